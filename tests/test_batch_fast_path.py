"""The batch with the columnar fast path (issue 14, point 5): ``lab-rules batch`` evaluates the
fast rules for the whole caseload at once and the engine the rest, and every table is byte for
byte the one the engine alone writes with the pure-Python writer: for the bundled caseload and a
synthetic one of thousands, on 1 and 2 workers, from JSON Lines and Parquet, with and without
pseudonymisation, under a no-show policy that sends more persons to the engine and under an
overlay. A person the reader holds back or whose timeline is invalid gets no fast rows, and a
run the fast path cannot serve says why and gives the same tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("polars")
pytest.importorskip("pyarrow")

from lab_rules.faces.cli import main
from lab_rules.inputs.eventlog_write import write_rows
from lab_rules.inputs.synth import write_event_log
from lab_rules.law.bundle import bundled_law
from lab_rules.loops import batch, batch_fast
from lab_rules.loops.batch_fast import choose_fast_path

BUNDLED = Path(__file__).resolve().parents[1] / "examples" / "caseload" / "caseload.jsonl"
SYNTH_PERSONS = 2500
VARIANTS = {
    "national": ("2026-01-01", []),
    "no_show_counts": ("2024-06-30", ["--policy", "no_show=timely_summons_counts"]),
    "overlay": ("2027-06-30", ["--variant", "roedovre-genstart"]),
}
"""A variant: its ``as_of`` and its law options."""

Tables = dict[str, bytes]


def _run(log: Path, out: Path, variant: str, *, key: Path | None, workers: int,
         fast: str) -> tuple[Tables, dict[str, Any]]:
    as_of, options = VARIANTS[variant]
    argv = ["batch", str(log), "--as-of", as_of, "--out", str(out), "--workers", str(workers),
            "--allow-quarantine", "--fast-path", fast, *options]
    if key is not None:
        argv += ["--pseudonymise", "--pseudonym-key-file", str(key)]
    assert main(argv) == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {p.name: p.read_bytes() for p in out.iterdir() if p.name != "run.json"}, run


class _Engine:
    """The tables of the engine alone, written by the pure-Python writer, once per log,
    variant and key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found: dict[tuple[str, str, bool], Tables] = {}

    def tables(self, log: Path, variant: str, key: Path | None) -> Tables:
        index = (log.stem, variant, key is not None)
        if index not in self.found:
            out = self.folder / "-".join(map(str, index))
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(batch, "arrow_available", lambda: False)
                tables, run = _run(log, out, variant, key=key, workers=2, fast="off")
            assert run["table_writer"] == "python"
            assert run["fast_path"] == {"option": "off", "used": False, "why": "turned off"}
            self.found[index] = tables
        return self.found[index]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fast-path")


@pytest.fixture(scope="module")
def logs(folder: Path) -> dict[str, Path]:
    found = {}
    for suffix in ("jsonl", "parquet"):
        found[f"synthetic.{suffix}"] = folder / f"synthetic.{suffix}"
        write_event_log(found[f"synthetic.{suffix}"], SYNTH_PERSONS, 5)
    found["bundled.jsonl"] = BUNDLED
    found["bundled.parquet"] = folder / "bundled.parquet"
    with BUNDLED.open(encoding="utf-8") as handle:
        write_rows(found["bundled.parquet"], (json.loads(line) for line in handle))
    return found


@pytest.fixture(scope="module")
def engine(folder: Path) -> _Engine:
    return _Engine(folder / "engine")


@pytest.fixture(scope="module")
def key(folder: Path) -> Path:
    path = folder / "key"
    path.write_bytes(b"a pseudonym key of the test run\n")
    return path


def _check_same(log: Path, tmp_path: Path, engine: _Engine, variant: str, key: Path | None,
                workers: int) -> dict[str, Any]:
    expected = engine.tables(log, variant, key)
    tables, run = _run(log, tmp_path / "fast", variant, key=key, workers=workers, fast="auto")
    assert run["fast_path"]["used"] is True, run["fast_path"]
    assert run["table_writer"] == "arrow"
    assert set(tables) == set(expected)
    for name in sorted(expected):
        assert tables[name] == expected[name], name
    return run


SYNTH_RUNS = [
    ("national", "jsonl", 1, False), ("national", "jsonl", 2, True),
    ("national", "parquet", 1, True), ("national", "parquet", 2, False),
    ("no_show_counts", "jsonl", 1, True), ("no_show_counts", "parquet", 2, False),
    ("overlay", "jsonl", 2, False), ("overlay", "parquet", 1, True),
]
"""Every variant, format, worker count and key, each beside each other in some run."""


@pytest.mark.parametrize(("variant", "suffix", "workers", "keyed"), SYNTH_RUNS)
def test_fast_path_writes_the_engines_tables_for_a_synthetic_caseload(
        logs: dict[str, Path], engine: _Engine, key: Path, tmp_path: Path, variant: str,
        suffix: str, workers: int, keyed: bool) -> None:
    run = _check_same(logs[f"synthetic.{suffix}"], tmp_path, engine, variant,
                      key if keyed else None, workers)
    assert run["persons"] == SYNTH_PERSONS
    assert run["fast_path"]["rows"] > 500
    assert run["fast_path"]["pairs"] > run["fast_path"]["rows"]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize(("suffix", "workers", "keyed"),
                         [("jsonl", 1, False), ("jsonl", 2, True), ("parquet", 1, True),
                          ("parquet", 2, False)])
def test_fast_path_writes_the_engines_tables_for_the_bundled_caseload(
        logs: dict[str, Path], engine: _Engine, key: Path, tmp_path: Path, variant: str,
        suffix: str, workers: int, keyed: bool) -> None:
    run = _check_same(logs[f"bundled.{suffix}"], tmp_path, engine, variant,
                      key if keyed else None, workers)
    assert run["fast_path"]["rows"] > 0


def test_the_no_show_policy_changes_which_persons_the_fast_path_takes(
        logs: dict[str, Path]) -> None:
    """Under ``late_until_held`` (the bundled default) a no-show changes no column of a fast
    row; under ``timely_summons_counts`` a person with a no-show the rule counts goes to the
    engine for that rule."""
    law = bundled_law()
    log = logs["synthetic.jsonl"]
    held = choose_fast_path("auto", log, law, date(2024, 6, 30), {}).path
    counted = choose_fast_path("auto", log, law, date(2024, 6, 30),
                               {"no_show": "timely_summons_counts"}).path
    assert counted is not None
    assert held is not None
    assert held.pairs > counted.pairs


def _person(pid: str, conversation: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """A simple kontanthjælp course the fast path takes, its first jobsamtale held late."""
    rows: list[dict[str, Any]] = [
        {"person_id": pid, "type": "person", "birth_date": "1980-02-03", "education": True,
         "custody": False},
        {"person_id": pid, "type": "first_contact", "date": "2021-03-01"},
        {"person_id": pid, "type": "benefit_started", "date": "2021-03-01",
         "benefit": "kontanthjaelp", "group": "jobparat_kontanthjaelp"},
        {"person_id": pid, "type": "conversation_held", "date": "2021-06-15",
         "kind": "jobsamtale", "form": "personligt", "held_by": "jobcenter"}]
    if conversation is not None:
        rows.append({"person_id": pid, **conversation})
    return rows


def test_a_person_the_engine_quarantines_gets_no_fast_rows(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    split = _person("split-1")
    invalid = _person("invalid-1", {"type": "conversation_held", "date": "2021-04-01",
                                    "kind": "no-such-kind"})
    write_rows(log, [*split[:2], *_person("good-1"), *split[2:], *invalid, *_person("good-2")])
    found = choose_fast_path("auto", log, bundled_law(), date(2026, 1, 1), {}).path
    assert found is not None
    assert all(found.of(pid)[1] for pid in ("split-1", "invalid-1", "good-1", "good-2"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "arrow_available", lambda: False)
        expected, _ = _run(log, tmp_path / "engine", "national", key=None, workers=1,
                           fast="off")
    tables, run = _run(log, tmp_path / "fast", "national", key=None, workers=1, fast="auto")
    assert run["fast_path"]["used"] is True
    assert tables == expected
    assert run["quarantined"] == 2
    obligations = tables["obligations.csv"].decode()
    assert "good-1," in obligations
    assert "good-2," in obligations
    assert "split-1" not in obligations
    assert "invalid-1" not in obligations


def test_a_log_the_columnar_pass_cannot_read_goes_through_the_engine_alone(
        tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    write_event_log(log, 60, 2)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join([*lines[:40], b"{not json\n", *lines[40:]]))
    tables, run = _run(log, tmp_path / "fast", "national", key=None, workers=1, fast="auto")
    expected, _ = _run(log, tmp_path / "engine", "national", key=None, workers=1, fast="off")
    assert run["fast_path"]["used"] is False
    assert run["fast_path"]["why"].startswith("the columnar pass could not read the log")
    assert run["quarantined"] == 1
    assert tables == expected


@pytest.mark.parametrize(("situation", "why"), [
    ("csv", "a CSV log is read by the engine only"),
    ("no polars", "polars is not installed (pip install 'lab-rules[bench]')"),
    ("off", "turned off"),
])
def test_run_json_says_why_the_fast_path_was_not_used(tmp_path: Path, situation: str,
                                                      why: str) -> None:
    log = tmp_path / ("log.csv" if situation == "csv" else "log.jsonl")
    write_event_log(log, 20, 2)
    with pytest.MonkeyPatch.context() as patch:
        if situation == "no polars":
            patch.setattr(batch_fast, "find_spec", lambda name: None)
        _, run = _run(log, tmp_path / "out", "national", key=None, workers=1,
                      fast="off" if situation == "off" else "auto")
    assert run["fast_path"] == {"option": "off" if situation == "off" else "auto",
                                "used": False, "why": why}


def test_an_unknown_fast_path_option_is_a_usage_error(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    log = tmp_path / "log.jsonl"
    write_event_log(log, 2, 2)
    with pytest.raises(SystemExit) as stopped:
        main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(tmp_path / "out"),
              "--fast-path", "always"])
    assert stopped.value.code == 2
    assert "--fast-path" in capsys.readouterr().err
