"""Batch outputs whole or absent (issue 12, point 4), every person accounted for (point 2) and
typed Parquet tables (point 6)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from lab_rules.faces.cli import main
from lab_rules.inputs.synth import write_event_log
from lab_rules.loops.atomic_output import OutputError, RunLock, clean_stale
from lab_rules.loops.batch import RESULT_NAMES, evaluate_caseload

AS_OF = date(2026, 1, 1)
TABLES = {"obligations.csv", "sanctions.csv", "persons.csv", "refund.csv", "quarantine.jsonl",
          "compliance.csv", "quotas.csv", "run.json"}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _whole(out: Path) -> dict[str, object]:
    """The result in *out*, checked: run.json complete and every file as it names it."""
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["complete"] is True
    files = run["files"]
    assert set(files) | {"run.json"} == {p.name for p in out.iterdir()}
    for name, facts in files.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == facts["sha256"], name
    if (out / "persons.csv").exists():
        persons = (out / "persons.csv").read_text(encoding="utf-8").splitlines()
        assert len(persons) - 1 == run["evaluated"]
    return dict(run)


def test_a_rerun_replaces_the_previous_result_whole(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 30, 1)
    out = tmp_path / "out"
    evaluate_caseload(log, out, as_of=date(2025, 1, 1), workers=1)
    assert _whole(out)["as_of"] == "2025-01-01"
    evaluate_caseload(log, out, as_of=AS_OF, workers=2, table_format="parquet")
    run = _whole(out)
    assert run["as_of"] == AS_OF.isoformat()
    assert not list(out.glob("*.csv"))
    assert _siblings(out) == []
    persons = run["accounting"]["persons"]
    assert persons == {"in": 30, "evaluated": 30, "quarantined": 0, "held_back_split": 0,
                       "balanced": True}
    assert run["accounting"]["rows"]["balanced"] is True


def test_a_folder_holding_other_files_is_never_replaced(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tex").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"thesis\.tex"):
        evaluate_caseload(log, out, as_of=AS_OF, workers=1)
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert _siblings(out) == []
    args = ["batch", str(log), "--as-of", "2026-01-01", "--workers", "1"]
    assert main([*args, "--out", str(out)]) == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main([*args, "--out", str(tmp_path / "file")]) == 2


def test_a_second_run_into_a_busy_out_is_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    out = tmp_path / "out"
    lock = RunLock(out.absolute())
    lock.acquire()
    try:
        code = main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(out),
                     "--workers", "1"])
    finally:
        lock.release()
    assert code == 2
    said = capsys.readouterr().err
    assert f"{out}: in use by another run (pid {os.getpid()}" in said
    assert not out.exists()
    assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(out),
                 "--workers", "1"]) == 0


def test_a_stale_lock_and_the_folders_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    out = tmp_path / "out"
    evaluate_caseload(log, out, as_of=date(2025, 1, 1), workers=1)
    dead = _dead_pid()
    (tmp_path / ".out.lock").write_text(json.dumps(
        {"pid": dead, "host": socket.gethostname(), "started": "2026-01-01T00:00:00+00:00"}),
        encoding="utf-8")
    for kind in ("partial", "previous"):
        (tmp_path / f".out.{kind}-{dead}").mkdir()
        (tmp_path / f".out.{kind}-{dead}" / "persons.csv").write_text("half", encoding="utf-8")
    evaluate_caseload(log, out, as_of=AS_OF, workers=1)
    assert _whole(out)["as_of"] == AS_OF.isoformat()
    assert _siblings(out) == []


def test_a_kill_between_the_two_renames_puts_the_previous_result_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    aside = tmp_path / f".out.previous-{_dead_pid()}"
    aside.mkdir()
    (aside / "run.json").write_text("{}", encoding="utf-8")
    clean_stale(out)
    assert (out / "run.json").read_text(encoding="utf-8") == "{}"
    assert _siblings(out) == []


_HOLD = """
import sys, time
from pathlib import Path
from lab_rules.loops.atomic_output import RunLock
RunLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_lock_held_by_another_process_refuses_until_that_process_is_gone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        args = ["batch", str(log), "--as-of", "2026-01-01", "--out", str(out), "--workers", "1"]
        assert main(args) == 2
        assert f"in use by another run (pid {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / ".out.lock").exists()
    assert main(args) == 0
    assert _siblings(out) == []


_LIMITED = """
import resource, signal, sys
from lab_rules.faces.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_is_a_clear_error_and_out_keeps_the_previous_result(
        tmp_path: Path, workers: str) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 200, 2)
    out = tmp_path / "out"
    evaluate_caseload(log, out, as_of=date(2025, 1, 1), workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    limit = max(len(data) for data in before.values()) // 2
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), "batch", str(log), "--as-of",
         "2026-01-01", "--out", str(out), "--workers", workers],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "File too large" in done.stderr
    assert "nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _siblings(out) == []


def test_a_person_in_two_places_is_held_back_from_every_table(tmp_path: Path) -> None:
    """Whatever the reader yields, a person evaluated and also quarantined (or evaluated
    twice) leaves persons, obligations, sanctions and the tallies."""
    from lab_rules.inputs.eventlog import PersonRows
    from lab_rules.loops import batch

    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 12, 3)
    clean = tmp_path / "clean"
    evaluate_caseload(log, clean, as_of=AS_OF, workers=1)
    real = batch.read_persons

    def doubled(*args: object, **kwargs: object) -> object:
        for rows in real(*args, **kwargs):  # type: ignore[arg-type]
            yield rows
            if rows.person_id == "synthetic-4":
                yield PersonRows("synthetic-4", 1, None, ("line 1: again",))
            if rows.person_id == "synthetic-7":
                yield attrs.evolve(rows, rows=0)

    batch.read_persons = doubled  # type: ignore[assignment]
    try:
        summary = evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1)
    finally:
        batch.read_persons = real
    assert (summary.persons, summary.evaluated, summary.quarantined) == (12, 10, 2)
    obligations = (tmp_path / "out" / "obligations.csv").read_text(encoding="utf-8")
    assert summary.obligations == len(obligations.splitlines()) - 1
    for name in ("persons.csv", "obligations.csv", "sanctions.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "synthetic-4," not in text
        assert "synthetic-7," not in text
        kept = [line for line in (clean / name).read_text(encoding="utf-8").splitlines()
                if not line.startswith(("synthetic-4,", "synthetic-7,"))]
        assert text.splitlines() == kept, name
    quarantined = (tmp_path / "out" / "quarantine.jsonl").read_text(encoding="utf-8")
    assert "more than one place" in quarantined
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["accounting"]["persons"]["held_back_split"] == 2


def test_parquet_tables_are_typed_for_pandas(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 60, 6)
    evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1, table_format="parquet")
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "obligations.parquet", "sanctions.parquet", "persons.parquet", "compliance.parquet",
        "quotas.parquet", "refund.parquet", "quarantine.jsonl", "run.json"} <= RESULT_NAMES
    schema = {n: pq.read_schema(tmp_path / "out" / f"{n}.parquet")
              for n in ("obligations", "sanctions", "persons", "compliance", "quotas",
                        "refund")}
    money = pa.decimal128(18, 2)
    assert schema["obligations"].field("due").type == pa.date32()
    assert schema["obligations"].field("days_late").type == pa.int64()
    assert schema["obligations"].field("person_id").type == pa.string()
    assert schema["sanctions"].field("sanctionable").type == pa.bool_()
    assert schema["sanctions"].field("rate").type == money
    assert schema["sanctions"].field("deducted").type == money
    assert schema["persons"].field("deducted").type == money
    assert schema["persons"].field("met").type == pa.int64()
    assert schema["compliance"].field("share_met_on_time").type == pa.decimal128(9, 3)
    assert schema["quotas"].field("quota_met").type == pa.bool_()
    assert schema["refund"].field("refund_lost").type == money
    assert schema["persons"].field("refund").type == money
    assert schema["persons"].field("not_covered").type == pa.int64()
    frame = pd.read_parquet(tmp_path / "out" / "sanctions.parquet", dtype_backend="pyarrow")
    assert str(frame["date"].dtype) == "date32[day][pyarrow]"
    assert str(frame["rate"].dtype) == "decimal128(18, 2)[pyarrow]"
    assert str(frame["sanctionable"].dtype) == "bool[pyarrow]"
    assert str(frame["days"].dtype) == "int64[pyarrow]"
    assert all(isinstance(v, Decimal) for v in frame["rate"].dropna())
    persons = pd.read_parquet(tmp_path / "out" / "persons.parquet")
    assert str(persons["obligations"].dtype) == "int64"


def test_parquet_tables_are_typed_for_polars(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 30, 6)
    evaluate_caseload(log, tmp_path / "out", as_of=AS_OF, workers=1, table_format="parquet")
    frame = pl.read_parquet(tmp_path / "out" / "sanctions.parquet")
    assert frame.schema["date"] == pl.Date
    assert frame.schema["rate"] == pl.Decimal(18, 2)
    assert frame.schema["sanctionable"] == pl.Boolean
    assert frame.schema["days"] == pl.Int64


def test_workers_below_one_are_a_usage_error(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 3, 1)
    for workers in ("0", "-3"):
        try:
            code = main(["batch", str(log), "--as-of", "2026-01-01", "--out",
                         str(tmp_path / "o"), "--workers", workers])
        except SystemExit as stopped:
            code = int(str(stopped.code))
        assert code == 2
    with pytest.raises(Exception, match="must be from 1 to 256"):
        evaluate_caseload(log, tmp_path / "o", as_of=AS_OF, workers=-3)
    assert not (tmp_path / "o").exists()


def test_a_missing_log_leaves_out_untouched(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "nope.jsonl"), "--as-of", "2026-01-01", "--out",
                 str(out)]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
    assert not out.exists()
    assert _siblings(out) == []


def test_interrupted_run_cleans_up_in_process(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT (KeyboardInterrupt) inside the run: nothing new in out, no temporary files."""
    from lab_rules.loops import batch

    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 10, 1)
    out = tmp_path / "out"
    evaluate_caseload(log, out, as_of=date(2025, 1, 1), workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def stop(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_settle", stop)
    assert main(["batch", str(log), "--as-of", "2026-01-01", "--out", str(out),
                 "--workers", "1"]) == 130
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _siblings(out) == []


def test_the_two_rename_swap_where_no_exchange_exists(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Without renameat2 (not Linux, or a file system without it) the previous result is
    renamed aside first and removed after."""
    from lab_rules.loops import atomic_output

    monkeypatch.setattr(atomic_output, "_exchange", lambda a, b: False)
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    out = tmp_path / "out"
    evaluate_caseload(log, out, as_of=date(2025, 1, 1), workers=1)
    evaluate_caseload(log, out, as_of=AS_OF, workers=1)
    assert _whole(out)["as_of"] == AS_OF.isoformat()
    assert _siblings(out) == []


def test_out_may_be_a_link_to_a_result_folder(tmp_path: Path) -> None:
    log = tmp_path / "caseload.jsonl"
    write_event_log(log, 5, 1)
    real = tmp_path / "real"
    evaluate_caseload(log, real, as_of=date(2025, 1, 1), workers=1)
    (tmp_path / "link").symlink_to(real)
    evaluate_caseload(log, tmp_path / "link", as_of=AS_OF, workers=1)
    assert (tmp_path / "link").is_symlink()
    assert _whole(real)["as_of"] == AS_OF.isoformat()


def test_without_flock_a_dead_runs_lock_is_stale_and_a_live_one_refuses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no flock (Windows), the lock is a file made by one link; a lock whose
    process is gone on this host is stale, any other is respected."""
    from lab_rules.loops import atomic_output

    monkeypatch.setattr(atomic_output, "fcntl", None)
    out = tmp_path / "out"
    lock_file = tmp_path / ".out.lock"
    lock_file.write_text(json.dumps({"pid": _dead_pid(), "host": socket.gethostname()}),
                         encoding="utf-8")
    lock = RunLock(out)
    lock.acquire()
    assert json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == os.getpid()
    with pytest.raises(OutputError, match="in use"):
        RunLock(out).acquire()
    lock.release()
    assert not lock_file.exists()
    lock_file.write_text(json.dumps({"pid": _dead_pid(), "host": "elsewhere"}),
                         encoding="utf-8")
    with pytest.raises(OutputError, match="in use"):
        RunLock(out).acquire()
