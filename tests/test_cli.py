"""The lab-rules command: exit codes and located, masked output."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lab_rules import LabRulesError, __version__
from lab_rules.faces.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"lab-rules {__version__}"


def test_validate_examples_exits_0(example_files: list[Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, example_files)]) == 0
    out = capsys.readouterr().out
    assert f"{len(example_files)} files: {len(example_files)} valid, 0 invalid" in out


def test_validate_malformed_file_exits_1_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "schema": "lab-rules/timeline/v1",
        "person": {"id": "P-9", "cpr": "010190-1234"},
        "events": [
            {"type": "first_contact", "date": "2024-02-30"},
            {"type": "conversation_held", "date": "2024-03-05", "kind": "jobsamtale",
             "form": "telephone"},
            {"type": "no_show", "date": "2024-03-05", "kind": "0101901234"},
        ],
    }))
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        f'{bad}: /events/0/date: "2024-02-30" is not a valid date (expected YYYY-MM-DD)',
        f'{bad}: /events/1/form: "telephone" is not a known value; expected one of: '
        "personligt, video, telefon, brev",
        f'{bad}: /events/2/kind: "010190-****" is not a known value; expected one of: '
        "jobsamtale, faellessamtale, cv_samtale, opfoelgningssamtale, raadighedssamtale",
    ]
    assert lines[3] == "1 file: 0 valid, 1 invalid"


def test_validate_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "lab-rules/timeline/v1", "person": {"id": "x"}, "events": [1]}')
    assert main(["validate", "--format", "json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["problems"][0]["path"] == "/events/0"


def test_validate_unreadable_file_exits_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--frobnicate", "x.json"])
    assert caught.value.code == 2


def test_installed_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    result = subprocess.run([sys.executable, "-m", "lab_rules.faces.cli", "validate", str(bad)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "invalid JSON" in result.stdout


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "timelines" / \
    "jobparat-kontanthjaelp-noshow.json"
ONE_CASE = ("evaluate", "refund", "sanctions", "plot", "report", "entitlements")
LAWFUL = ("evaluate", "refund", "sanctions", "plot", "report")
CASELOAD = ("batch", "compare")


def _mistakes(tmp: Path) -> list[tuple[str, list[str], int, str]]:
    """(name, argv, exit code, a fragment the message must hold) for every command and each
    user mistake it can be given."""
    missing = str(tmp / "missing.json")
    broken = tmp / "broken.json"
    broken.write_text('{"schema": "lab-rules/timeline/v1", "person": {}, "events": []}')
    bad_rules = tmp / "bad-rules"
    bad_rules.mkdir()
    (bad_rules / "x.toml").write_text('kind = "contact_course"\n')
    binary = tmp / "binary.toml"
    binary.write_bytes(b'kind = "\xff\xfe"\n')
    log = tmp / "events.jsonl"
    assert main(["synth", "--persons", "2", "--out", str(log)]) == 0
    case = [str(EXAMPLE), "--as-of", "2024-10-01"]
    rows: list[tuple[str, list[str], int, str]] = []
    for command in ONE_CASE:
        extra = ["-o", str(tmp / f"out.{'html' if command == 'report' else 'png'}")] \
            if command in ("plot", "report") else []
        rows += [
            (f"{command}: missing file", [command, missing, "--as-of", "2024-10-01", *extra],
             2, f"{missing}: cannot read"),
            (f"{command}: a folder as the file", [command, str(tmp), "--as-of", "2024-10-01",
                                                 *extra], 2, f"{tmp}: cannot read"),
            (f"{command}: invalid timeline", [command, str(broken), "--as-of", "2024-10-01",
                                             *extra], 1, '/person: missing required key "id"'),
            (f"{command}: not a date", [command, *case[:2], "2024-13-01", *extra], 2,
             "'2024-13-01' is not a date"),
            (f"{command}: as-of beyond the range", [command, *case[:2], "9999-12-31", *extra],
             2, "9999-12-31 is outside the supported range 1990-01-01 to 2100-12-31"),
            (f"{command}: as-of before the range", [command, *case[:2], "1989-12-31", *extra],
             2, "outside the supported range"),
            (f"{command}: unknown option", [command, *case, "--frobnicate", *extra], 2,
             "unrecognized arguments: --frobnicate"),
        ]
    for command in LAWFUL:
        extra = ["-o", str(tmp / f"out.{'html' if command == 'report' else 'png'}")] \
            if command in ("plot", "report") else []
        rows += [
            (f"{command}: missing rules", [command, *case, "--rules", missing, *extra], 2,
             f"{missing}: cannot read"),
            (f"{command}: invalid rules", [command, *case, "--rules", str(bad_rules), *extra],
             1, "x.toml"),
            (f"{command}: rules not UTF-8", [command, *case, "--rules", str(binary), *extra],
             1, f"{binary}:1: not UTF-8 text"),
            (f"{command}: unknown variant", [command, *case, "--variant", "nowhere", *extra], 2,
             "no overlay 'nowhere'"),
            (f"{command}: unknown policy", [command, *case, "--policy", "x=y", *extra], 2,
             "x"),
        ]
    for command, suffix in (("plot", "png"), ("report", "html")):
        rows += [
            (f"{command}: output folder missing",
             [command, *case, "-o", f"/nonexistent/x.{suffix}"], 2,
             f"/nonexistent/x.{suffix}: cannot write"),
            (f"{command}: unsupported suffix", [command, *case, "-o", str(tmp / "x.jpgg")], 2,
             "unsupported suffix; use one of ." + ("png, .svg, .pdf" if command == "plot"
                                                   else "html")),
        ]
    rows += [
        ("plot: dpi zero", ["plot", *case, "-o", str(tmp / "x.png"), "--dpi", "0"], 2,
         "must be from"),
        ("validate: missing file", ["validate", missing], 2, f"{missing}: cannot read"),
        ("validate: invalid timeline", ["validate", str(broken)], 1, "missing required key"),
        ("check-rules: missing folder", ["check-rules", missing], 2, f"{missing}: cannot read"),
        ("check-rules: invalid rules", ["check-rules", str(bad_rules)], 1, "x.toml"),
        ("check-rules: not UTF-8", ["check-rules", str(binary)], 1, "not UTF-8 text"),
        ("synth: negative persons", ["synth", "--persons", "-5", "--out", str(tmp / "s.jsonl")],
         2, "-5: must be from 1 to 10,000,000"),
        ("synth: output folder missing",
         ["synth", "--persons", "2", "--out", "/nonexistent/s.jsonl"], 2, "/nonexistent/s.jsonl"),
        ("schema: unknown option", ["schema", "--frobnicate"], 2,
         "unrecognized arguments: --frobnicate"),
        ("synth: not a number", ["synth", "--persons", "many", "--out", str(tmp / "s.jsonl")],
         2, "'many' is not a whole number"),
    ]
    for command in CASELOAD:
        tail = (["--out", str(tmp / "out")] if command == "batch"
                else ["--variant", "roedovre-genstart"])
        rows += [
            (f"{command}: missing log", [command, missing, "--as-of", "2024-10-01", *tail], 2,
             missing),
            (f"{command}: as-of beyond the range", [command, str(log), "--as-of", "9999-12-31",
                                                    *tail], 2, "outside the supported range"),
            (f"{command}: missing rules", [command, str(log), "--as-of", "2024-10-01", *tail,
                                           "--rules", missing], 2, missing),
            (f"{command}: invalid rules", [command, str(log), "--as-of", "2024-10-01", *tail,
                                           "--rules", str(bad_rules)], 1, "x.toml"),
            (f"{command}: rules not UTF-8", [command, str(log), "--as-of", "2024-10-01", *tail,
                                             "--rules", str(binary)], 1, "not UTF-8 text"),
            (f"{command}: no workers", [command, str(log), "--as-of", "2024-10-01", *tail,
                                        "--workers", "0"], 2, "0: must be from 1 to 256"),
        ]
    unwritable = str(tmp / "broken.json" / "out")
    rows += [
        ("batch: output folder under a file", ["batch", str(log), "--as-of", "2024-10-01",
                                               "--out", unwritable], 2, unwritable),
        ("compare: output folder under a file", ["compare", str(log), "--as-of", "2024-10-01",
                                                 "--variant", "roedovre-genstart", "--out",
                                                 unwritable], 2, unwritable),
    ]
    return rows


def test_every_command_gives_each_mistake_its_code_and_a_located_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failures = []
    for name, argv, code, fragment in _mistakes(tmp_path):
        capsys.readouterr()
        try:
            got: int | str | None = main(argv)
        except SystemExit as stop:
            got = stop.code
        said = capsys.readouterr()
        text = said.out + said.err
        if got != code or fragment not in text or "Traceback" in text:
            failures.append(f"{name}: exit {got} (want {code}), said {text[-300:]!r}")
    assert not failures, "\n".join(failures)


def test_the_output_folder_is_blamed_not_the_input(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "case.html"
    assert main(["report", str(EXAMPLE), "--as-of", "2024-10-01", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target}: cannot write" in err
    assert str(EXAMPLE) not in err


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "case.html"
    target.write_text("the previous report")
    target.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        code = main(["report", str(EXAMPLE), "--as-of", "2024-10-01", "-o", str(target)])
    finally:
        tmp_path.chmod(0o755)
    if code == 0:  # running as root: the folder's mode does not stop the write
        return
    assert code == 2
    assert target.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["case.html"]


@pytest.mark.parametrize("command", ["evaluate", "refund", "sanctions", "entitlements"])
@pytest.mark.parametrize("as_of", ["1990-01-01", "2100-12-31"])
def test_every_example_evaluates_at_the_edges_of_the_supported_range(
        command: str, as_of: str, example_files: list[Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    for path in example_files:
        assert main([command, str(path), "--as-of", as_of]) == 0, path
    assert "Traceback" not in capsys.readouterr().err


def test_the_text_table_never_cuts_a_legal_basis(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16: "§ 31, stk. 1, 1. pkt." and "2. pkt." must not look the same. A basis longer
    than its column wraps onto the next line; --wide keeps each obligation on one line."""
    from lab_rules import evaluate, load_timeline
    from lab_rules.faces.text_table import WIDTHS, render_text

    root = Path(__file__).resolve().parents[1]
    longest = 0
    for path in sorted((root / "examples").rglob("*.json")):
        try:
            timeline = load_timeline(path)
        except LabRulesError:  # not every example file is a timeline
            continue
        evaluation = evaluate(timeline, as_of=date(2026, 1, 1))
        wide = render_text(evaluation, "en", wide=True)
        wrapped = render_text(evaluation, "en").splitlines()
        column = sum(WIDTHS[:-1]) + 2 * (len(WIDTHS) - 1)
        cells: list[str] = []
        for line in wrapped[4:4 + len(wrapped)]:
            if not line or line.startswith(("note", "(?)")):
                break
            assert len(line) <= column + WIDTHS[-1], line
            piece = line[column:].strip()
            if line[:10].strip():
                cells.append(piece)
            elif piece:
                cells[-1] += " " + piece
        cites = [o.rule.legal_basis.cite() for o in evaluation.obligations]
        assert cells == cites
        for cite in cites:
            longest = max(longest, len(cite))
            assert cite in wide
    assert longest > WIDTHS[-1], "some example has a basis longer than its column"


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_a_timeline_file_giving_a_key_twice_is_refused_with_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """An event that gives "date" twice (Python's json keeps the last): a located problem,
    exit 1, not a timeline evaluated on one of the dates."""
    case = tmp_path / "case.json"
    case.write_text(
        '{"schema": "lab-rules/timeline/v2",\n'
        ' "person": {"id": "p-1", "birth_date": "1987-11-02"},\n'
        ' "events": [\n'
        '  {"type": "first_contact", "date": "2024-03-04"},\n'
        '  {"type": "benefit_started", "date": "2024-03-04", "benefit": "kontanthjaelp", '
        '"group": "jobparat_kontanthjaelp"},\n'
        '  {"type": "conversation_held", "date": "2024-03-08", "kind": "jobsamtale", '
        '"date": "2024-03-21"}\n'
        " ]}\n", encoding="utf-8")
    as_of = ["--as-of", "2024-06-01"] if command == "evaluate" else []
    assert main([command, str(case), *as_of]) == 1
    said = capsys.readouterr()
    assert f'{case}: /events/2/date: the key "date" is given twice' in said.out + said.err
    assert "Traceback" not in said.out + said.err
