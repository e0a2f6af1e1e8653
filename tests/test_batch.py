"""Caseload evaluation (issue 6, first part): synthetic event logs, the streaming reader, the
parallel batch with quarantine, and determinism across worker counts."""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lab_rules.faces.cli import main
from lab_rules.inputs.eventlog import ReadProgress, person_starts, read_persons
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.batch import evaluate_caseload
from lab_rules.loops.batch_tables import cell
from lab_rules.loops.caseload_tally import QUOTA_COLUMNS

AS_OF = date(2026, 1, 1)
TABLES = ("obligations.csv", "sanctions.csv", "persons.csv", "refund.csv", "quarantine.jsonl")


def test_synth_is_deterministic_per_seed(tmp_path: Path) -> None:
    write_event_log(tmp_path / "a.jsonl", 40, 7)
    write_event_log(tmp_path / "b.jsonl", 40, 7)
    write_event_log(tmp_path / "c.jsonl", 40, 8)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "c.jsonl").read_bytes()


def test_batch_tables_are_identical_across_runs_and_worker_counts(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 120, 1)
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    assert one.persons == two.persons == 120
    assert one.quarantined == 0
    assert one.obligations > 0
    for table in TABLES:
        assert (tmp_path / "one" / table).read_bytes() == (tmp_path / "two" / table).read_bytes()
    run = json.loads((tmp_path / "one" / "run.json").read_text(encoding="utf-8"))
    assert run["persons"] == 120
    assert run["policies"]["no_show"] == "late_until_held"


def _corrupt(log: Path) -> None:
    """Break three persons: an invalid date, an unknown event type, a line that is not JSON."""
    lines = log.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        row = json.loads(line)
        if row["person_id"] == "synthetic-3" and row["type"] == "benefit_started":
            row["date"] = "2024-02-30"
        if row["person_id"] == "synthetic-7" and row["type"] == "conversation_held":
            row["type"] = "conversation_hold"
        out.append(json.dumps(row, ensure_ascii=False))
        if row["person_id"] == "synthetic-11" and row["type"] == "person":
            out.append('{"person_id": "synthetic-11", "type": ')
    log.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_corrupted_rows_quarantine_exactly_those_persons(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 30, 2)
    _corrupt(log)
    summary = evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1)
    quarantined = [json.loads(line) for line in
                   (tmp_path / "out" / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = {q["person_id"] for q in quarantined}
    assert ids == {"synthetic-3", "synthetic-7", "synthetic-11"}
    assert summary.persons == 30
    assert summary.evaluated == 27
    reasons = " ".join(r for q in quarantined for r in q["reasons"])
    assert "2024-02-30" in reasons
    assert "conversation_hold" in reasons
    assert "not JSON" in reasons
    persons = (tmp_path / "out" / "persons.csv").read_text(encoding="utf-8")
    assert "synthetic-0," in persons
    assert "synthetic-3," not in persons


def test_rows_of_a_person_after_another_persons_are_reported(tmp_path: Path) -> None:
    log = tmp_path / "scattered.jsonl"
    rows = [{"person_id": "a", "type": "first_contact", "date": "2024-01-02"},
            {"person_id": "b", "type": "first_contact", "date": "2024-01-02"},
            {"person_id": "a", "type": "first_contact", "date": "2024-02-02"}]
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    persons = list(read_persons(log))
    assert [p.person_id for p in persons] == ["b", "a"]
    assert persons[1].document is None
    assert persons[1].rows == 2
    assert "lie in 2 places" in persons[1].problems[0]


def test_csv_event_log_reads_like_json_lines(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("person_id,type,date,benefit,group,birth_date\n"
                   "p1,person,,,,1980-01-01\n"
                   "p1,first_contact,2024-01-02,,,\n"
                   "p1,benefit_started,2024-01-02,kontanthjaelp,jobparat_kontanthjaelp,\n",
                   encoding="utf-8")
    (person,) = list(read_persons(log))
    assert person.document is not None
    assert person.document["person"] == {"id": "p1", "birth_date": "1980-01-01"}
    assert len(person.document["events"]) == 2
    summary = evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1)
    assert summary.quarantined == 0


def test_cli_batch_exits_1_on_quarantine_unless_allowed(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    assert main(["synth", "--persons", "15", "--seed", "3", "--out", str(log)]) == 0
    _corrupt(log)
    args = ["batch", str(log), "--as-of", "2026-01-01", "--out", str(tmp_path / "o"),
            "--workers", "1"]
    assert main(args) == 1
    assert main([*args, "--allow-quarantine"]) == 0


def test_bundled_caseload_is_the_synth_output_for_seed_1(tmp_path: Path) -> None:
    """examples/caseload/caseload.jsonl is reproducible from its documented command."""
    bundled = Path(__file__).parent.parent / "examples" / "caseload" / "caseload.jsonl"
    write_event_log(tmp_path / "again.jsonl", 300, 1, date(2008, 1, 1), date(2025, 6, 30))
    assert (tmp_path / "again.jsonl").read_bytes() == bundled.read_bytes()


def _kh_person(pid: str, conversations: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"person_id": pid, "type": "person", "birth_date": "1985-03-01", "education": True},
        {"person_id": pid, "type": "first_contact", "date": "2026-07-06"},
        {"person_id": pid, "type": "benefit_started", "date": "2026-07-06",
         "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"}]
    for n in range(conversations):
        rows.append({"person_id": pid, "type": "conversation_held",
                     "date": f"2026-{8 + n:02d}-03", "kind": "jobsamtale"})
    return rows


def test_quota_share_per_cohort_against_75_percent(tmp_path: Path) -> None:
    """The 2026 reform's quota (kvoter-2026.toml): ≥4 jobsamtaler within 6 months for at least
    75 % of jobparate; 3 of 4 persons reach it, so the cohort meets the quota."""
    rows = [*_kh_person("p1", 4), *_kh_person("p2", 5), *_kh_person("p3", 4),
            *_kh_person("p4", 2)]
    log = tmp_path / "quota.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    evaluate_caseload(log, tmp_path / "out", as_of=date(2027, 1, 10), workers=1)
    lines = (tmp_path / "out" / "quotas.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith(
        "dk.lab.2026.quota.kontanthjaelp_four_in_six_months,2026-07,4,3,0.750,0.75,true,")
    compliance = (tmp_path / "out" / "compliance.csv").read_text(encoding="utf-8")
    assert compliance.startswith("group,month,obligations,met,met_late,overdue,open,waived,")


def test_quota_waits_until_the_window_has_ended(tmp_path: Path) -> None:
    log = tmp_path / "quota.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in _kh_person("p1", 4)), encoding="utf-8")
    evaluate_caseload(log, tmp_path / "out", as_of=date(2026, 12, 31), workers=1)
    lines = (tmp_path / "out" / "quotas.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [",".join(QUOTA_COLUMNS)]


def test_parquet_in_and_out_give_the_csv_tables(tmp_path: Path) -> None:
    """Parquet event logs and Parquet tables (the parquet extra) carry the same rows, typed."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 40, 6)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    keys = list(dict.fromkeys(k for row in rows for k in row))
    pq.write_table(pa.table({k: [row.get(k) for row in rows] for k in keys}),
                   tmp_path / "caseload.parquet")
    evaluate_caseload(log, tmp_path / "csv", as_of=AS_OF, workers=1)
    evaluate_caseload(tmp_path / "caseload.parquet", tmp_path / "pq", as_of=AS_OF, workers=1,
                      table_format="parquet")
    for name in ("obligations", "sanctions", "persons", "compliance", "quotas"):
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        got = [[cell(v) for v in r.values()] for r in table.to_pylist()]
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            want = list(csv.reader(handle))[1:]
        assert len(got) == len(want), name
        for got_row, want_row in zip(got, want, strict=True):
            for value, text in zip(got_row, want_row, strict=True):
                assert value == text or Decimal(value) == Decimal(text), (name, value, text)


def test_read_progress_reaches_the_whole_log(tmp_path: Path) -> None:
    """The ETA's basis: after reading, the characters read equal the file's size (ASCII)."""
    log = tmp_path / "caseload.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in _kh_person("p1", 2)), encoding="utf-8")
    progress = ReadProgress()
    assert len(list(read_persons(log, progress))) == 1
    assert progress.total == log.stat().st_size
    assert progress.read == progress.total


def test_read_progress_follows_csv_logs_by_characters(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    rows = _kh_person("p1", 2)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with log.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, keys)
        writer.writeheader()
        writer.writerows(rows)
    progress = ReadProgress()
    assert len(list(read_persons(log, progress))) == 1
    assert progress.total == log.stat().st_size
    assert progress.read == progress.total


def test_read_progress_follows_parquet_logs_by_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = _kh_person("p1", 3)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    pq.write_table(pa.table({k: [row.get(k) for row in rows] for k in keys}),
                   tmp_path / "events.parquet")
    progress = ReadProgress()
    assert len(list(read_persons(tmp_path / "events.parquet", progress))) == 1
    assert progress.total == progress.read == len(rows)


def _dp_person(pid: str, held: list[tuple[str, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"person_id": pid, "type": "person", "birth_date": "1980-03-01"},
        {"person_id": pid, "type": "benefit_started", "date": "2026-07-06",
         "benefit": "dagpenge", "group": "dagpenge"},
        {"person_id": pid, "type": "transferred_to_jobcenter", "date": "2026-10-01"}]
    for day, holder in held:
        rows.append({"person_id": pid, "type": "conversation_held", "date": day,
                     "kind": "jobsamtale", "held_by": holder})
    return rows


def test_kommune_dagpenge_quota_counts_from_the_transfer(tmp_path: Path) -> None:
    """The kommune's 2026 quota: ≥2 jobsamtaler from the transfer to the jobcentre and within
    6 months. The a-kasse's conversations before the transfer do not count for it; the cohort
    is the transfer month, and 1 of 2 persons (50 %) misses the 75 % share."""
    before = [("2026-07-20", "a_kasse"), ("2026-09-01", "a_kasse")]
    rows = [*_dp_person("d1", [*before, ("2026-10-20", "jobcenter"), ("2027-01-20", "kommune")]),
            *_dp_person("d2", [*before, ("2026-10-20", "jobcenter"), ("2027-04-20", "jobcenter")])]
    log = tmp_path / "quota.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    evaluate_caseload(log, tmp_path / "out", as_of=date(2027, 4, 30), workers=1)
    lines = (tmp_path / "out" / "quotas.csv").read_text(encoding="utf-8").splitlines()
    kommune = [line for line in lines if "kommune_dagpenge" in line]
    assert len(kommune) == 1
    assert kommune[0].startswith(
        "dk.lab.2026.quota.kommune_dagpenge_two_after_transfer,2026-10,2,1,0.500,0.75,false,")
    akasse = [line for line in lines if "akasse_two" in line]
    assert len(akasse) == 1
    assert akasse[0].startswith(
        "dk.lab.2026.quota.akasse_two_in_three_months,2026-07,2,2,1.000,0.75,true,")


def _messy_log(path: Path, seed: int) -> None:
    """A sorted synthetic log with blank lines, rows that are not JSON, rows without a
    person_id and a line that is not UTF-8, scattered at random places."""
    import random

    write_event_log(path, 30, seed)
    rng = random.Random(seed)
    lines = path.read_bytes().split(b"\n")[:-1]
    for junk in (b"", b"{not json", b'{"type": "no_show"}', b"\xff\xfe bad", b"  ", b"[1, 2]"):
        for _ in range(3):
            lines.insert(rng.randrange(len(lines) + 1), junk)
    path.write_bytes(b"\n".join(lines) + b"\n")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_log_pieces_read_like_one_pass(tmp_path: Path, seed: int) -> None:
    """Cut at person starts, the pieces of a log give exactly the persons, lines and problems
    of one pass, whatever junk lies around the cuts."""
    log = tmp_path / "messy.jsonl"
    _messy_log(log, seed)
    whole = list(read_persons(log))
    for parts in (1, 2, 3, 5, 8, 13, 40):
        cuts = person_starts(log, parts)
        assert cuts[0] == 0
        assert cuts == sorted(set(cuts))
        pieces = []
        for start, end in zip(cuts, [*cuts[1:], None], strict=True):
            pieces += list(read_persons(log, start=start, end=end))
        assert pieces == whole, parts


def test_asking_for_more_pieces_than_persons_ends_at_the_last_person(tmp_path: Path) -> None:
    """``--workers 99999999999999999999999`` ran for good: every cut past the last person's
    start read the log's tail again, once per piece asked for."""
    log = tmp_path / "messy.jsonl"
    _messy_log(log, 5)
    every = person_starts(log, 10**4)
    assert person_starts(log, 10**30) == every
    assert len(every) == len({p.person_id for p in read_persons(log)})


def test_batch_in_pieces_equals_one_pass_on_a_messy_log(tmp_path: Path) -> None:
    log = tmp_path / "messy.jsonl"
    _messy_log(log, 4)
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    assert one.quarantined == two.quarantined > 0
    for table in (*TABLES, "compliance.csv", "quotas.csv"):
        assert (tmp_path / "one" / table).read_bytes() == (tmp_path / "two" / table).read_bytes()
    run = json.loads((tmp_path / "two" / "run.json").read_text(encoding="utf-8"))
    assert run["reading"] == "pieces"
    reasons = (tmp_path / "two" / "quarantine.jsonl").read_text(encoding="utf-8")
    assert "not UTF-8 text" in reasons


def test_an_unsorted_log_falls_back_to_one_pass(tmp_path: Path) -> None:
    """A person whose rows appear in two pieces is reported as in one pass."""
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 60, 5)
    again = [line for line in log.read_text(encoding="utf-8").splitlines()
             if '"synthetic-2"' in line][:2]
    with log.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(again) + "\n")
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2)
    for table in TABLES:
        assert (tmp_path / "one" / table).read_bytes() == (tmp_path / "two" / table).read_bytes()
    assert one.quarantined == two.quarantined == 1
    run = json.loads((tmp_path / "two" / "run.json").read_text(encoding="utf-8"))
    assert run["reading"] == "one pass (persons split across pieces)"


@pytest.mark.parametrize("reader", ["python", "arrow"])
def test_a_damaged_row_naming_a_person_of_another_piece_holds_it_back_in_pieces_too(
        tmp_path: Path, reader: str) -> None:
    """A damaged row at the head of the log names a person whose rows come at its end: one
    pass holds that person back (it cannot tell the damaged row from its rows); so must a run
    in pieces, not evaluate the person from the later piece's rows alone."""
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 60, 5)
    lines = log.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])["person_id"]
    damaged = f'{{"person_id": "{last}", "type": "payment", "amount": 1' + "0" * 4400 + "}"
    log.write_text("\n".join([damaged, *lines]) + "\n", encoding="utf-8")
    one = evaluate_caseload(log, tmp_path / "one", as_of=AS_OF, workers=1, reader=reader)
    two = evaluate_caseload(log, tmp_path / "two", as_of=AS_OF, workers=2, reader=reader)
    for table in (*TABLES, "compliance.csv", "quotas.csv"):
        assert (tmp_path / "one" / table).read_bytes() == (tmp_path / "two" / table).read_bytes()
    assert one.quarantined == two.quarantined == 2
    held = (tmp_path / "two" / "quarantine.jsonl").read_text(encoding="utf-8")
    assert f'"person_id": "{last}"' in held


def test_a_log_whose_file_name_is_not_utf8_runs_and_run_json_names_it_escaped(
        tmp_path: Path) -> None:
    """A byte that is not UTF-8 (a Latin-1 ``ø``) in the log's name, right before a CPR
    number: the run completes, ``run.json`` shows the byte as an escape and masks the number."""
    log = tmp_path / os.fsdecode(b"sag-\xf80101901234.jsonl")
    write_event_log(log, 5, 1)
    evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1)
    text = (tmp_path / "out" / "run.json").read_text(encoding="utf-8")
    assert json.loads(text)["source"].endswith("sag-\\udcf8010190-****.jsonl")
    assert "0101901234" not in text


def test_a_byte_order_mark_does_not_break_the_first_row(tmp_path: Path) -> None:
    log = tmp_path / "bom.jsonl"
    log.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in
                                               _kh_person("p1", 1)).encode("utf-8"))
    (person,) = list(read_persons(log))
    assert person.problems == ()


def test_kommune_quotas_are_also_counted_as_one_pool(tmp_path: Path) -> None:
    """The kommune's 75 % is of the combined group: kontanthjælp (4 in 6 months) and dagpenge
    (2 within 6 months of the transfer) in the same cohort month are counted together too."""
    rows: list[dict[str, object]] = []
    for pid, held in (("k1", 4), ("k2", 4), ("k3", 1)):
        rows += [{"person_id": pid, "type": "person", "birth_date": "1985-03-01",
                  "education": True},
                 {"person_id": pid, "type": "first_contact", "date": "2026-10-05"},
                 {"person_id": pid, "type": "benefit_started", "date": "2026-10-05",
                  "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"}]
        rows += [{"person_id": pid, "type": "conversation_held",
                  "date": f"2026-{10 + n}-20", "kind": "jobsamtale"} for n in range(min(held, 3))]
        if held == 4:
            rows.append({"person_id": pid, "type": "conversation_held", "date": "2027-01-20",
                         "kind": "jobsamtale"})
    rows += _dp_person("d1", [("2026-10-20", "jobcenter")])
    log = tmp_path / "pool.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    evaluate_caseload(log, tmp_path / "out", as_of=date(2027, 5, 1), workers=1)
    lines = (tmp_path / "out" / "quotas.csv").read_text(encoding="utf-8").splitlines()
    by_id = {line.split(",")[0]: line for line in lines[1:]}
    assert by_id["dk.lab.2026.quota.kontanthjaelp_four_in_six_months"].startswith(
        "dk.lab.2026.quota.kontanthjaelp_four_in_six_months,2026-10,3,2,0.667,0.75,false,")
    assert by_id["dk.lab.2026.quota.kommune_dagpenge_two_after_transfer"].startswith(
        "dk.lab.2026.quota.kommune_dagpenge_two_after_transfer,2026-10,1,0,0.000,0.75,false,")
    assert by_id["dk.lab.2026.quota.kommune_combined"].startswith(
        "dk.lab.2026.quota.kommune_combined,2026-10,4,2,0.500,0.75,false,")


def test_batch_refund_table_adds_up_to_each_persons_evaluation(tmp_path: Path) -> None:
    from lab_rules import evaluate
    from lab_rules.inputs.timeline_json import parse_timeline
    from lab_rules.loops.whatif import person_metrics

    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 80, 3)
    evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1)
    with (tmp_path / "out" / "refund.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (tmp_path / "out" / "persons.csv").open(encoding="utf-8") as handle:
        persons = {row["person_id"]: row for row in csv.DictReader(handle)}
    assert rows, "the synthetic caseload has refund"
    for person in {r["person_id"] for r in rows}:
        months = [r["month"] for r in rows if r["person_id"] == person]
        assert months == sorted(set(months))
    by_person: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        totals = by_person.setdefault(row["person_id"], {})
        for column in ("refund", "refund_before_2016", "cofinancing", "refund_lost"):
            totals[column] = totals.get(column, Decimal(0)) + Decimal(row[column])
    for rows_of in read_persons(log):
        assert rows_of.document is not None
        evaluation = evaluate(parse_timeline(rows_of.document), as_of=AS_OF)
        metrics = person_metrics(evaluation)
        totals = by_person.get(rows_of.person_id, {})
        assert totals.get("refund", Decimal(0)) == metrics["refund"]
        assert totals.get("cofinancing", Decimal(0)) == metrics["cofinancing"]
        assert totals.get("refund_lost", Decimal(0)) == metrics["refund_loss"]
        summary = persons[rows_of.person_id]
        assert Decimal(summary["refund_lost"]) == metrics["refund_loss"]


def test_batch_without_refund_keeps_the_table_header_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 20, 3)
    assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(tmp_path / "out"),
                 "--workers", "1", "--no-refund"]) == 0
    lines = (tmp_path / "out" / "refund.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["person_id,month,refund,refund_before_2016,cofinancing,refund_lost"]
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["refund"] is False
    with (tmp_path / "out" / "persons.csv").open(encoding="utf-8") as handle:
        assert all(row["refund"] == "" for row in csv.DictReader(handle))
