"""Bad rows never stop a read (issue 12, point 3, reader side): each crash of the issue's list
is a located problem of the person the row belongs to, and the persons around it are read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import PersonRows, ReadProgress, read_persons
from lab_rules.inputs.eventlog_lines import MAX_ROW_BYTES
from test_eventlog import _person


def _read(path: Path, *, group: bool = False) -> dict[str, PersonRows]:
    progress = ReadProgress()
    persons = list(read_persons(path, progress, group=group))
    assert progress.rows_read == progress.rows_used + progress.rows_quarantined
    assert progress.rows_read == sum(p.rows for p in persons)
    assert len({p.person_id for p in persons}) == len(persons)
    return {p.person_id: p for p in persons}


CSV_HEAD = b"person_id,type,date,kind\n"
CSV_A = b"a,first_contact,2024-01-02,\n"
CSV_C = b"c,first_contact,2024-01-02,\nc,conversation_held,2024-02-02,jobsamtale\n"


def _csv_between(tmp_path: Path, middle: bytes) -> dict[str, PersonRows]:
    log = tmp_path / "events.csv"
    log.write_bytes(CSV_HEAD + CSV_A + middle + CSV_C)
    return _read(log)


def _only_b_held_back(persons: dict[str, PersonRows], says: str) -> None:
    assert set(persons) == {"a", "b", "c"}
    assert persons["a"].document is not None
    assert persons["c"].document is not None
    assert persons["b"].document is None
    assert any(says in p for p in persons["b"].problems), persons["b"].problems


def test_a_non_utf8_csv_byte_holds_back_its_person(tmp_path: Path) -> None:
    persons = _csv_between(tmp_path, b"b,first_contact,2024-01-02,\nb,no_show,2024-\xff-01,\n")
    _only_b_held_back(persons, "line 4: not UTF-8 text")


def test_a_csv_cell_over_the_field_size_limit(tmp_path: Path) -> None:
    huge = b"x" * 131_073
    persons = _csv_between(tmp_path, b"b,first_contact,2024-01-02,\nb,no_show,2024-01-03," +
                           huge + b"\n")
    _only_b_held_back(persons, "field larger than field limit")


def test_an_unterminated_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    persons = _csv_between(tmp_path, b'b,first_contact,"2024-01-02,\n')
    _only_b_held_back(persons, "a quote is left open")


CSV_REF_HEAD = b"person_id,type,date,benefit,group,ref"
CSV_KEYS = ("person_id", "type", "date", "birth_date", "education", "benefit", "group", "kind")


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
@pytest.mark.parametrize("cell", [b'"line one{nl}line two"', b'"one{nl}{nl}two, after a blank"',
                                  b'"say ""hi""{nl}and ""bye"""'])
def test_a_quoted_csv_cell_may_hold_a_line_break(tmp_path: Path, newline: bytes,
                                                 cell: bytes) -> None:
    """A quoted cell runs over line ends (LF or CRLF, as the file has them), blank lines and
    doubled quotes included; its row is one row, and the rows after it are read as before."""
    cell = cell.replace(b"{nl}", newline)
    log = tmp_path / "events.csv"
    log.write_bytes(newline.join([
        CSV_REF_HEAD, b"p1,first_contact,2024-01-02,,," + cell,
        b"p1,benefit_started,2024-01-02,kontanthjaelp,jobparat_kontanthjaelp,",
        b"p2,first_contact,2024-01-02,,,"]) + newline)
    persons = _read(log)
    assert set(persons) == {"p1", "p2"}
    p1 = persons["p1"]
    assert p1.document is not None, p1.problems
    want = next(csv.reader(io.StringIO(cell.decode(), newline="")))[0]
    assert newline.decode() in want
    assert p1.document["events"][0]["ref"] == want
    assert p1.rows == 2
    assert persons["p2"].document is not None
    assert persons["p2"].first_line == 4 + cell.count(b"\n")


def test_a_quote_that_a_later_line_does_not_close_into_a_row_swallows_nothing(
        tmp_path: Path) -> None:
    """The quote opened on line 3 meets a quote on line 4 that does not end a cell: line 3
    is a problem of its own and line 4 a row again."""
    persons = _csv_between(tmp_path, b'b,first_contact,"2024-01-02,\n'
                                     b'b,no_show,"2024-01-03",\n')
    _only_b_held_back(persons, "a quote is left open")
    assert persons["b"].rows == 2
    assert persons["c"].rows == 2


def test_a_quote_left_open_is_not_read_past_the_field_size_limit(tmp_path: Path) -> None:
    """A cell cannot be longer than the csv module's field size limit, so a quote left open
    does not gather more lines than that: the rows after it are rows of their own, even when
    a quote further down would close it."""
    filler = b"b,no_show,2024-01-03,\n" * (csv.field_size_limit() // 20)
    persons = _csv_between(tmp_path, b'b,first_contact,"2024-01-02,\n' + filler
                           + b'b,no_show,2024-01-04,"\n')
    _only_b_held_back(persons, "a quote is left open")
    assert persons["b"].rows == 2 + csv.field_size_limit() // 20
    assert persons["c"].rows == 2


@pytest.mark.parametrize("row", [b"b,first_contact,2024-01-02,,extra\n", b"b,first_contact\n"])
def test_a_csv_row_with_more_or_fewer_cells(tmp_path: Path, row: bytes) -> None:
    persons = _csv_between(tmp_path, row)
    _only_b_held_back(persons, "cells, but the header has 4 columns")


def test_a_4300_digit_integer_in_csv(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_bytes(b"person_id,type,date,first_absence_day,category\n"
                    b"b,sickness_reported,2024-01-02,2024-01-01," + b"9" * 4300 + b"\n"
                    b"c,first_contact,2024-01-02,,\n")
    persons = _read(log)
    assert persons["b"].document is None
    assert "category" in persons["b"].problems[0]
    assert persons["c"].document is not None


def _jsonl_between(tmp_path: Path, middle: bytes) -> dict[str, PersonRows]:
    log = tmp_path / "events.jsonl"
    rows = [json.dumps(r).encode() + b"\n" for r in _person("a") + _person("c")]
    head, tail = rows[:5], rows[5:]
    log.write_bytes(b"".join(head) + b'{"person_id": "b", "type": "first_contact", '
                    b'"date": "2024-01-02"}\n' + middle + b"".join(tail))
    return _read(log)


@pytest.mark.parametrize(("middle", "says"), [
    (b'{"person_id": "b", "type": "sickness_reported", "category": ' + b"9" * 4300 + b"}\n",
     "category: a whole number with more than"),
    (b'{"person_id": "b", "type": "sickness_reported", "category": ' + b"9" * 5000 + b"}\n",
     "not JSON that can be read"),
    (b"[" * 100_000 + b"\n", "nested too deeply"),
    (b'{"person_id": "b", "type": "x", "d": ' + b"[" * 100_000 + b"}\n", "nested too deeply"),
    (b'{"person_id": "b", "date": "\\ud800"}\n', "lone surrogate"),
    (b'{"person_id": "b", "type": "no_show", "date": "\xff"}\n', "not UTF-8 text"),
    (b'{"type": "no_show", "date": "2024-01-03"}\n', "a row needs a person_id"),
    (b'{"person_id": "b", "type": ' + b'"' + b"x" * (MAX_ROW_BYTES + 10) + b'"}\n',
     "longer than"),
    (b'{"person_id": "b", "type": "payment", "amount": 1e999999999}\n', "amount"),
    (b'{"person_id": "b", "type": "payment", "amount": 1e99999999999999999999}\n', "amount"),
    (b'{"person_id": "b", "type": "payment", "amount": -1.5e-99999999999999999999}\n',
     "amount"),
    (b'{"person_id": "b", "type": \n', "not JSON"),
    (b'{"person_id": "b", "type": "no_show", "date": "2024-01-03", "date": "2024-02-01"}\n',
     '/date: the key "date" is given twice in one object'),
    (b'{"person_id": "b", "type": "no_show", "date": "2024-01-03", "date": "2024-01-03"}\n',
     '/date: the key "date" is given twice'),
    (b'{"person_id": "b", "type": "no_show", "ref": "a:b", "date": "2024-01-03", '
     b'"ref": "c"}\n', '/ref: the key "ref" is given twice'),
    (b'{"person_id": "b", "type": "no_show", "date": "2024-01-03", "x": {"k": 1, "k": 2}}\n',
     '/x/k: the key "k" is given twice'),
    (b'{"person_id": "b", "type": "payment", "benefit": "kontanthjaelp", "start": '
     b'"2024-01-01", "end": "2024-01-31", "amount": NaN}\n', "/amount: NaN is not a JSON number"),
    (b'{"person_id": "b", "type": "sickness_reported", "date": "2024-01-03", "category": '
     b'Infinity}\n', "/category: Infinity is not a JSON number"),
    (b'{"person_id": "b", "type": "sickness_reported", "date": "2024-01-03", "category": '
     b'-Infinity}\n', "/category: -Infinity is not a JSON number"),
    (b'{"person_id": "b", "type": "payment", "amount": NaN, }\n', "not JSON"),
])
def test_json_lines_rows_that_cannot_be_read(tmp_path: Path, middle: bytes, says: str) -> None:
    persons = _jsonl_between(tmp_path, middle)
    _only_b_held_back(persons, says)


@pytest.mark.parametrize("row", [
    b'{"person_id": "b", "type": "payment", "benefit": "kontanthjaelp", "start": "2024-01-01", '
    b'"end": "2024-01-31", "amount": NaN}\n',
    b'{"person_id": "b", "type": "first_contact", "date": "2024-01-02", "date": "2024-01-09"}\n'])
def test_a_row_refused_as_json_holds_back_its_own_person(tmp_path: Path, row: bytes) -> None:
    """A row with a NaN or a repeated key, the first of its person's rows, is a problem of
    that person (its person_id is read), not of the person before it."""
    log = tmp_path / "events.jsonl"
    lines = [json.dumps(r).encode() + b"\n" for r in _person("a") + _person("b") + _person("c")]
    lines[5] = row
    log.write_bytes(b"".join(lines))
    persons = _read(log)
    _only_b_held_back(persons, "line 6: ")
    assert persons["b"].rows == 5


def test_a_repeated_person_id_key_leaves_the_row_with_no_person(tmp_path: Path) -> None:
    persons = _jsonl_between(tmp_path, b'{"person_id": "b", "type": "no_show", "date": '
                                       b'"2024-01-03", "person_id": "c"}\n')
    _only_b_held_back(persons, '/person_id: the key "person_id" is given twice')
    assert persons["c"].rows == 5


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
@pytest.mark.parametrize("second", [
    {"type": "person", "birth_date": "1985-03-01", "education": True},
    {"type": "person", "custody": True}])
def test_a_second_person_row_holds_back_its_person(tmp_path: Path, suffix: str,
                                                   second: dict[str, Any]) -> None:
    """A person's facts come in one row: a second one, the same again or with facts the
    first left out, is a located problem, not merged into the first."""
    rows = _person("a") + _person("b") + _person("c")
    rows.insert(7, {"person_id": "b", **second})
    log = tmp_path / f"events{suffix}"
    if suffix == ".csv":
        keys = list(dict.fromkeys(k for row in rows for k in row))
        with log.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, keys)
            writer.writeheader()
            writer.writerows(rows)
    else:
        log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    persons = _read(log)
    line = 8 if suffix == ".jsonl" else 9
    _only_b_held_back(persons, f"line {line}: a second person row of this person (the first "
                               f"is line {line - 2})")
    assert persons["b"].rows == 6


def test_a_second_person_row_after_a_row_without_a_person_is_found(tmp_path: Path) -> None:
    """b's rows, a row with no person_id (counted among b's), then b's person row again: the
    second person row is a problem too, wherever b's first rows were read as a whole run."""
    rows = [json.dumps(r) for r in _person("a") + _person("b")]
    rows += ['{"type": "no_show", "date": "2024-01-03"}',
             *(json.dumps(r) for r in _person("b")[:2] + _person("c"))]
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    persons = _read(log)
    _only_b_held_back(persons, "line 12: a second person row of this person (the first is "
                               "line 6)")
    assert any("line 11: a row needs a person_id" in p for p in persons["b"].problems)


@pytest.mark.parametrize(("suffix", "spelled", "shown", "says"), [
    (".jsonl", b"b\\ud800", "b\\ud800", "the person_id holds a lone surrogate escape"),
    (".jsonl", b"b\\udc00x", "b\\udc00x", "the person_id holds a lone surrogate escape"),
    (".jsonl", b"b\xff", "b\\udcff", "not UTF-8 text"),
    (".csv", b"b\xff", "b\\udcff", "not UTF-8 text")])
def test_a_person_id_that_is_not_text_is_a_person_of_its_own(
        tmp_path: Path, suffix: str, spelled: bytes, shown: str, says: str) -> None:
    """A person_id with a lone surrogate escape or bytes that are not UTF-8 cannot be
    written, but it still tells its rows from the rows around it: they are held back as one
    person, named with the bad part escaped, and the persons before and after are read."""
    rows = _person("a") + _person("b", 1) + _person("c")
    lines = [json.dumps(r).encode() if suffix == ".jsonl" else
             ",".join(str(r.get(k, "")) for k in CSV_KEYS).encode() for r in rows]
    lines = [line.replace(b'"b"', b'"' + spelled + b'"') if suffix == ".jsonl"
             else (spelled + line[1:] if line.startswith(b"b,") else line) for line in lines]
    log = tmp_path / f"events{suffix}"
    log.write_bytes(b"\n".join(([b",".join(k.encode() for k in CSV_KEYS)]
                                if suffix == ".csv" else []) + lines) + b"\n")
    persons = _read(log)
    assert set(persons) == {"a", shown, "c"}
    assert persons["a"].document is not None
    assert persons["c"].document is not None
    held = persons[shown]
    assert held.document is None
    assert held.rows == 4
    first = 6 if suffix == ".jsonl" else 7
    assert held.first_line == first
    assert held.problems[0].startswith(f"line {first}: {says}")


def test_rows_before_any_person_are_unattributed_records(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"not json\n\n[1]\n" + b"".join(json.dumps(r).encode() + b"\n"
                                                   for r in _person("a")))
    persons = _read(log)
    assert persons["a"].document is not None
    junk = [p for p in persons.values() if p.unattributed]
    assert [p.person_id for p in junk] == ["line-1", "line-3"]
    assert all(p.rows == 1 and p.document is None for p in junk)


def test_a_person_split_apart_is_held_back_as_a_whole(tmp_path: Path) -> None:
    """a's rows lie in two places, b's and c's are interleaved: neither is evaluated from
    part of its rows, each is yielded once with every row counted."""
    a, b, c, d = (_person(p) for p in "abcd")
    rows = a[:2] + d + a[2:] + [b[0], c[0], b[1], c[1], *b[2:], *c[2:]]
    log = tmp_path / "split.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    progress = ReadProgress()
    persons = list(read_persons(log, progress))
    assert [p.person_id for p in persons] == ["d", "a", "b", "c"]
    by_id = {p.person_id: p for p in persons}
    assert by_id["d"].document is not None
    for pid in "abc":
        assert by_id[pid].document is None
        assert by_id[pid].rows == len(a)
        assert "places" in by_id[pid].problems[0]
        assert by_id[pid].split
    assert not by_id["d"].split
    assert progress.rows_read == len(rows)
    assert progress.rows_used == len(d)
    assert progress.rows_quarantined == len(rows) - len(d)


def _parquet(path: Path, rows: list[dict[str, Any]], row_group_size: int) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    keys = list(dict.fromkeys(k for row in rows for k in row))
    table = pa.table({k: [row.get(k) for row in rows] for k in keys})
    pq.write_table(table, path, row_group_size=row_group_size, compression="snappy")


def test_a_truncated_parquet_file_is_one_located_error(tmp_path: Path) -> None:
    log = tmp_path / "events.parquet"
    _parquet(log, _person("a"), 100)
    log.write_bytes(log.read_bytes()[: log.stat().st_size // 2])
    with pytest.raises(LabRulesError, match="cannot be read as Parquet"):
        list(read_persons(log))


def test_a_damaged_parquet_row_group_holds_back_only_its_persons(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [*_person("a"), *_person("b"), *_person("c")]
    log = tmp_path / "events.parquet"
    _parquet(log, rows, 5)
    meta = pq.ParquetFile(log).metadata
    middle = meta.row_group(1)
    column = middle.column(next(i for i in range(middle.num_columns)
                                if middle.column(i).path_in_schema == "date"))
    start = column.data_page_offset
    data = bytearray(log.read_bytes())
    for offset in range(start + 8, start + column.total_compressed_size - 1):
        data[offset] ^= 0x5A
    log.write_bytes(bytes(data))
    persons = _read(log)
    assert persons["b"].document is None
    assert any("row group 2" in p for p in persons["b"].problems)
    assert persons["c"].document is not None


@pytest.mark.parametrize("group", [False, True])
def test_an_unreadable_row_group_holds_back_the_persons_on_either_side(tmp_path: Path,
                                                                       group: bool) -> None:
    """When not even the person_id column of a row group can be read, its rows are counted
    with the person before it, and the person after it (whose rows may have begun there) is
    held back too; the persons further away are read."""
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [*_person("a"), *_person("b"), *_person("c"), *_person("d"), *_person("e")]
    log = tmp_path / "events.parquet"
    _parquet(log, rows, 5)
    middle = pq.ParquetFile(log).metadata.row_group(2)
    data = bytearray(log.read_bytes())
    for index in range(middle.num_columns):
        column = middle.column(index)
        start = column.dictionary_page_offset or column.data_page_offset
        for offset in range(start, start + column.total_compressed_size):
            data[offset] ^= 0x5A
    log.write_bytes(bytes(data))
    persons = _read(log, group=group)
    assert set(persons) == {"a", "b", "d", "e"}
    assert persons["a"].document is not None
    assert persons["e"].document is not None
    assert persons["b"].document is None
    assert persons["b"].rows == 10
    assert any("rows 11-15" in p for p in persons["b"].problems)
    assert persons["d"].document is None
    assert any("may hold rows of this person" in p for p in persons["d"].problems)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_split_persons_read_in_pieces_like_one_pass(tmp_path: Path, seed: int) -> None:
    """A person held back for rows in several places is yielded when its last run ends, so a
    log cut into pieces (none holding part of another piece's person) reads like one pass."""
    import random

    from lab_rules.inputs.eventlog import person_starts
    from lab_rules.inputs.synth import write_event_log

    log = tmp_path / "split.jsonl"
    write_event_log(log, 40, seed)
    lines = log.read_bytes().split(b"\n")[:-1]
    rng = random.Random(seed)
    people = [json.loads(line)["person_id"] for line in lines]
    edges = [i for i in range(1, len(lines) - 1) if people[i] != people[i + 1]]
    for at in rng.sample(edges, 4):
        lines[at - 1], lines[at + 1] = lines[at + 1], lines[at - 1]
    log.write_bytes(b"\n".join(lines) + b"\n")
    whole = list(read_persons(log))
    assert any(p.document is None for p in whole)
    for parts in (2, 3, 5, 8):
        cuts = person_starts(log, parts)
        pieces = [list(read_persons(log, start=start, end=end))
                  for start, end in zip(cuts, [*cuts[1:], None], strict=True)]
        ids = [p.person_id for piece in pieces for p in piece]
        if len(ids) == len(set(ids)):
            assert [p for piece in pieces for p in piece] == whole, parts


@pytest.mark.parametrize("first", [b'"x": NaN', b'"date": "2024-01-02"', b'"ref": "\xff"'])
def test_pieces_start_where_one_pass_starts_a_person_whose_first_row_is_refused(
        tmp_path: Path, first: bytes) -> None:
    """Every person's first row is refused (a NaN, a key given twice, bytes that are not
    UTF-8) but still names its person, which begins there in one pass; so the log is cut
    there for the workers, not one row later (which put the person in two pieces, and the
    batch read the log again in one pass)."""
    from lab_rules.inputs.eventlog import person_starts

    lines = []
    for person in "abcdefgh":
        lines.append(b'{"person_id": "%s", "type": "first_contact", "date": "2024-01-02", '
                     b"%s}" % (person.encode(), first))
        lines += [json.dumps({"person_id": person, "type": "registered",
                              "date": f"2024-01-{day:02d}"}).encode() for day in range(3, 9)]
    log = tmp_path / "refused.jsonl"
    log.write_bytes(b"\n".join(lines) + b"\n")
    whole = list(read_persons(log))
    assert [(p.person_id, p.rows, p.document) for p in whole] == [
        (person, 7, None) for person in "abcdefgh"]
    for parts in (2, 3, 5, 8):
        cuts = person_starts(log, parts)
        assert len(cuts) == parts
        pieces = [p for start, end in zip(cuts, [*cuts[1:], None], strict=True)
                  for p in read_persons(log, start=start, end=end)]
        assert pieces == whole, parts
