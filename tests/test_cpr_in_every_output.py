"""A CPR number that reaches lab-rules by any road (an option value, a rules folder's name, a
value split by a tab) leaves it masked: in argparse's own messages, a report, a picture, a
batch's run.json, a comparison's tables, a wrapped text table and a validation message; a rule
file holding one is refused. And a person id or a file name cannot forge or colour a line of
output."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from lab_rules.faces.cli import main
from lab_rules.faces.text_table import table
from lab_rules.law.loader import bundled_rules_dir

CPR = "0705894321"
EXAMPLES = Path(__file__).parent.parent / "examples"
EXAMPLE = EXAMPLES / "timelines" / "jobparat-kontanthjaelp-noshow.json"
CASELOAD = EXAMPLES / "caseload" / "caseload.jsonl"
_NOT_A_DIGIT = re.compile(r"\\(?:[ntrfbv]|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2})|\D")


def leaks(text: str) -> bool:
    """True if the serial digits of CPR follow its date, whatever stands between them."""
    digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return CPR in _NOT_A_DIGIT.sub("", digits)


def _rules_named_by_cpr(folder: Path) -> Path:
    """A copy of the bundled law in a folder named by the CPR number."""
    target = folder / CPR
    shutil.copytree(bundled_rules_dir(), target)
    return target


def test_a_rule_file_holding_a_cpr_number_is_refused_and_not_echoed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rules_named_by_cpr(tmp_path)
    for path in rules.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'^(title_en = ".*)"$', rf'\1 {CPR[:6]}\\t{CPR[6:]}"',
                               text, count=1, flags=re.MULTILINE), encoding="utf-8")
    assert main(["check-rules", str(rules)]) == 1
    said = capsys.readouterr().out
    assert "holds what looks like a CPR number" in said
    assert not leaks(said)
    assert main(["report", str(EXAMPLE), "--as-of", "2024-10-01", "--rules", str(rules),
                 "-o", str(tmp_path / "r.html")]) in (1, 2)
    assert not (tmp_path / "r.html").exists()
    assert not leaks(capsys.readouterr().err)


def test_the_leak_check_sees_a_split_number() -> None:
    assert leaks("070589\\t4321")
    assert leaks("070589 - 4321")
    assert not leaks("070589-****")


@pytest.mark.parametrize("argv", [
    ["evaluate", str(EXAMPLE), "--as-of", CPR],
    ["evaluate", str(EXAMPLE), "--as-of", "2024-10-01", "--format", CPR],
    [CPR],
    ["evaluate", str(EXAMPLE), "--as-of", "2024-10-01", "070589-4321"],
    ["report", str(EXAMPLE), "--as-of", "2024-10-01", "-o", f"{CPR}.txt"],
])
def test_argparse_errors_mask_the_values_they_echo(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert "070589-****" in said
    assert not leaks(said)


def test_a_report_masks_the_rules_folder_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rules_named_by_cpr(tmp_path)
    out = tmp_path / "report.html"
    code = main(["report", str(EXAMPLE), "--as-of", "2024-10-01", "--rules", str(rules),
                 "--lang", "en", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "070589-****" in text
    assert not leaks(text)
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2024-10-01", "--rules", str(rules),
                 "--format", "json"]) == 0
    said = capsys.readouterr().out
    assert "070589-****" in said
    assert not leaks(said)


def test_a_picture_masks_the_rules_folder_name_drawn_in_it(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    rules = _rules_named_by_cpr(tmp_path)
    out = tmp_path / "plot.svg"
    assert main(["plot", str(EXAMPLE), "--as-of", "2024-10-01", "--rules", str(rules),
                 "--lang", "en", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "070589-****" in text
    assert not leaks(text)


def test_batch_and_compare_mask_the_rules_and_variant_names(tmp_path: Path) -> None:
    rules = _rules_named_by_cpr(tmp_path)
    assert main(["batch", str(CASELOAD), "--as-of", "2026-01-01", "--rules", str(rules),
                 "--out", str(tmp_path / "b"), "--workers", "1"]) in (0, 1)
    run = (tmp_path / "b" / "run.json").read_text(encoding="utf-8")
    assert json.loads(run)["rule_pack"].endswith("070589-****")
    assert not leaks(run)
    variant = tmp_path / f"{CPR}.toml"
    shutil.copy(bundled_rules_dir() / "overlays" / "roedovre-genstart.toml", variant)
    assert main(["compare", str(CASELOAD), "--as-of", "2026-01-01", "--variant", str(variant),
                 "--out", str(tmp_path / "c"), "--workers", "1"]) in (0, 1)
    tables = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "c").iterdir())
    assert "070589-****" in tables
    assert not leaks(tables)


def test_a_wrapped_text_table_masks_a_number_before_breaking_it() -> None:
    lines = table([("id",), (f"person-{CPR}",)], (10,))
    assert not leaks("".join(lines))
    assert "070589-****" in "".join(lines)


def test_a_number_split_by_a_tab_is_masked_in_validation_messages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({
        "schema": "lab-rules/timeline/v2", "person": {"id": "p1", f"{CPR[:6]}\t{CPR[6:]}": 1},
        "events": [{"type": "first_contact", "date": f"{CPR[:6]}\t{CPR[6:]}"},
                   {"type": "first_contact", "date": f"{CPR[:6]}\n{CPR[6:]}"}]}),
        encoding="utf-8")
    for fmt in ("text", "json"):
        assert main(["validate", "--format", fmt, str(case)]) == 1
        said = capsys.readouterr().out
        assert "070589-****" in said
        assert not leaks(said)


def test_an_id_or_file_name_cannot_forge_or_colour_a_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_text('{"schema":"lab-rules/timeline/v2","person":{"id":"a\\nfake.json: ok '
                    '(person z, 0 events)\\u001b[31m"},"events":[]}', encoding="utf-8")
    bad = tmp_path / "y\nother.json: ok\x1b[2J.json"
    bad.write_text("{bad", encoding="utf-8")
    main(["validate", str(case), str(bad)])
    said = capsys.readouterr().out
    assert "\x1b" not in said
    lines = said.splitlines()
    assert len(lines) == 3, said
    assert lines[0] == (f"{case}: ok (person a\\nfake.json: ok (person z, 0 events)\\x1b[31m, "
                        "0 events)")
    assert lines[1].startswith(f"{tmp_path}/y\\nother.json: ok\\x1b[2J.json:1: invalid JSON")


@pytest.mark.parametrize("command", [
    ["worklist", "{input}", "--as-of", "2024-05-01", "--out", "{input}"],
    ["audit", "{input}", "--as-of", "2024-05-01", "--out", "{input}.html", "--sample", "1",
     "--seed", "1"],
])
def test_an_output_that_is_the_input_is_refused_and_the_input_kept(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    shutil.copy(EXAMPLE, source)
    if command[0] == "audit":
        source = tmp_path / "in.json.html"
        source.write_text("not an event log", encoding="utf-8")
        command = [c.replace("{input}.html", str(source)).replace("{input}", str(source))
                   for c in command]
    else:
        command = [c.replace("{input}", str(source)) for c in command]
    before = source.read_bytes()
    assert main(command) == 2
    assert "it is an input of this command" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_worklist_pages_are_named_by_masked_names_and_their_links_hold(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [json.loads(line) for line in CASELOAD.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row.get("type") == "assigned":
            row["caseworker"] = f"sb {CPR[:6]}\u200e{CPR[6:]}"
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "pages"
    main(["worklist", str(log), "--as-of", "2026-01-01", "--horizon", "P5Y", "--format", "html",
          "--out", str(out)])
    names = sorted(p.name for p in out.iterdir())
    assert "sb-070589.html" in names
    assert not leaks(" ".join(names))
    index = (out / "index.html").read_text(encoding="utf-8")
    for link in re.findall(r'href="([^"]+)"', index):
        assert (out / link).exists(), link
    assert not leaks(index)


def test_a_person_id_cannot_put_a_control_character_on_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["person"]["id"] = f"x\x1b[2Jy\u202ez {CPR[:6]}\x1b[0m{CPR[6:]}"
    case.write_text(json.dumps(document), encoding="utf-8")
    for command in (["evaluate", "--format", "text"], ["evaluate", "--format", "json"],
                    ["refund"], ["offer-end"]):
        assert main([command[0], str(case), "--as-of", "2024-10-01", *command[1:]]) == 0
        said = capsys.readouterr().out
        assert "\x1b" not in said
        assert "\u202e" not in said, command
        assert not leaks(said), command


def test_a_file_name_that_is_not_utf8_is_masked_after_it_is_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "070589\udcff4321.json"
    try:
        shutil.copy(EXAMPLE, name)
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system takes no such name")
    assert main(["validate", str(name)]) == 0
    said = capsys.readouterr().out
    assert "070589-****" in said
    assert not leaks(said)
