#!/usr/bin/env python3
"""Benchmark: a synthetic caseload through ``lab-rules batch``, printed as a table.

    python benchmarks/bench_batch.py [--persons 100000] [--seed 1] [--workers N]
        [--format jsonl|csv|parquet] [--reader auto|python|arrow]
        [--fast-path auto|off|both] [--table-writer auto|python|arrow] [--repeat 1]
        [--years 2[,5,10]]

Rows: reading the event log alone (the floor) with the Python reader and, when pyarrow is
installed, the Arrow reader (CPU time); the batch on 1 worker and on all cores with --reader,
with the columnar fast path (``auto``) and/or without it (``off``), for each timeline length of
--years: persons per second of wall time and of CPU time (this process, its threads and its
workers; the best of --repeat runs) beside the issue 14 targets, the speed-up, and 1,000,000
persons extrapolated from the run; peak memory of the process and its workers (and with
--memory, of a batch of each caseload size in a fresh process); and, when
polars is installed (``pip install polars``), a peer: a hand-vectorised polars computation of
one simple metric (for kontanthjælp, the days from first contact to the first jobsamtale)
against lab-rules computing the same metric from its timelines, with the ratio. A script, not
a timed test: the numbers depend on the machine (on a shared one, compare CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lab_rules.core.vocabulary import Benefit, ConversationKind
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import arrow_available, persons_reader, reader_name
from lab_rules.inputs.synth import FIRST_START, write_event_log
from lab_rules.inputs.timeline import BenefitStarted, ConversationHeld, FirstContact
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.loops.batch import evaluate_caseload

AS_OF = date(2026, 1, 1)
BATCH_PER_CORE = 2500.0
"""Batch end to end with the refund, Arrow extra: persons per second per core (issue 14)."""
SPEED_UP = 1.8
"""2 workers against 1, wall time, on an idle machine (issue 14)."""
MILLION = 1_000_000
MILLION_MINUTES = 4
"""1,000,000 persons in under this many minutes on 2 cores (issue 14)."""


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _batch(log: Path, out: Path, workers: int, reader: str, fast: str, writer: str,
           repeat: int) -> tuple[float, float, Any]:
    """The best wall and CPU seconds of *repeat* runs, and the last run's summary."""
    walls, cpus = [], []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        cpu, wall = _cpu_seconds(), time.perf_counter()
        summary = evaluate_caseload(log, out, as_of=AS_OF, workers=workers, reader=reader,
                                    fast_path=fast, table_writer=writer)
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu_seconds() - cpu)
    return min(walls), min(cpus), summary


def _write(log: Path, persons: int, seed: int, years: int) -> None:
    """A synthetic caseload of *years*-year timelines that all end by :data:`AS_OF`: starting
    from 2016 (the staircase) as the default caseload does, or, where that leaves no room (10
    years), over the nine years before; those timelines run under the 2007-2015 refund law."""
    last = AS_OF - timedelta(days=365 * years + 1)
    first = FIRST_START if last > FIRST_START else last - timedelta(days=9 * 365)
    write_event_log(log, persons, seed, first, last, years=years)


def _batch_table(log: Path, tmp: Path, args: argparse.Namespace, reader: str,
                 years: int) -> list[tuple[str, str, str]]:
    """The batch rows of one caseload: 1 worker and --workers, with and/or without the fast
    path, each beside its target; the speed-up; and 1,000,000 persons extrapolated."""
    table: list[tuple[str, str, str]] = []
    rates: dict[tuple[str, int], float] = {}
    for fast in ("off", "auto") if args.fast_path == "both" else (args.fast_path,):
        for workers in sorted({1, args.workers}):
            out = tmp / f"out-{years}-{fast}-{workers}"
            wall, cpu, summary = _batch(log, out, workers, reader, fast, args.table_writer,
                                        args.repeat)
            run = json.loads((out / "run.json").read_text(encoding="utf-8"))
            used = "fast path" if run["fast_path"]["used"] else "engine only"
            rates[fast, workers] = summary.persons / wall
            per_core = summary.persons / cpu
            target = (f"; target >= {BATCH_PER_CORE:,.0f}/s per core: "
                      f"{'met' if per_core >= BATCH_PER_CORE else 'NOT met'}"
                      if workers == 1 else "")
            table.append((f"batch, {years}-year timelines, {workers} worker"
                          f"{'s' if workers > 1 else ''}, {reader}, {used}, "
                          f"{run['table_writer']} writer, {run['reading']}",
                          f"{summary.persons / wall:,.0f} persons/s",
                          f"wall; {per_core:,.0f} persons/s of CPU time{target}; "
                          f"{summary.obligations:,} obligations, {summary.quarantined} "
                          "quarantined"))
        if args.workers > 1:
            speed_up = rates[fast, args.workers] / rates[fast, 1]
            table.append((f"speed-up, {years}-year timelines, fast path {fast}",
                          f"{speed_up:.2f}x",
                          f"{args.workers} workers against 1; target >= {SPEED_UP:.1f}x: "
                          f"{'met' if speed_up >= SPEED_UP else 'NOT met'}"))
        best = max(rates[fast, w] for w in {1, args.workers})
        table.append((f"1,000,000 persons, {years}-year timelines, fast path {fast}",
                      f"{MILLION / best / 60:,.1f} min",
                      f"extrapolated from {args.persons:,} persons at {best:,.0f}/s wall on "
                      f"{args.workers} worker{'s' if args.workers > 1 else ''}; target "
                      f"< {MILLION_MINUTES} min on 2 cores"))
    return table


def _memory_table(sizes: list[int], tmp: Path, args: argparse.Namespace
                  ) -> list[tuple[str, str, str]]:
    """The peak memory (max RSS of the process and its workers) of a batch of each caseload
    size, each in a fresh process, and the largest against the smallest."""
    peaks: dict[int, float] = {}
    for persons in sizes:
        log = tmp / f"memory-{persons}.{args.format}"
        _write(log, persons, args.seed, 2)
        done = subprocess.run([sys.executable, __file__, "--child", str(log), "--workers",
                               str(args.workers), "--reader", args.reader,
                               "--table-writer", args.table_writer],
                              check=True, capture_output=True, text=True)
        peaks[persons] = float(done.stdout.split()[-1])
        log.unlink()
    table = [(f"peak memory, batch of {n:,} persons", f"{mib:,.0f} MiB",
              f"{args.workers} worker{'s' if args.workers > 1 else ''}, fresh process "
              "(max RSS of it and its workers)") for n, mib in peaks.items()]
    if len(sizes) > 1:
        ratio = peaks[sizes[-1]] / peaks[sizes[0]]
        table.append((f"peak memory, {sizes[-1]:,} against {sizes[0]:,} persons",
                      f"{ratio:.2f}x", "the batch reads one person at a time"))
    return table


def _lab_rules_metric(log: Path) -> tuple[int, int]:
    """Persons on kontanthjælp with a jobsamtale after first contact, and the summed days."""
    persons = total = 0
    for rows in read_persons(log):
        if rows.document is None:
            continue
        timeline = parse_timeline(rows.document)
        if not any(b.benefit is Benefit.KONTANTHJAELP for b in timeline.of_type(BenefitStarted)):
            continue
        contacts = timeline.of_type(FirstContact)
        if not contacts:
            continue
        first = contacts[0].date
        held = [c.date for c in timeline.of_type(ConversationHeld)
                if c.kind is ConversationKind.JOBSAMTALE and c.date >= first]
        if held:
            persons += 1
            total += (min(held) - first).days
    return persons, total


def _polars_metric(log: Path) -> tuple[int, int] | None:
    try:
        import polars as pl
    except ImportError:
        return None
    rows = pl.read_ndjson(log, infer_schema_length=None)
    kh = rows.filter((pl.col("type") == "benefit_started")
                     & (pl.col("benefit") == "kontanthjaelp")).select("person_id").unique()
    first = (rows.filter(pl.col("type") == "first_contact")
             .group_by("person_id").agg(pl.col("date").str.to_date().min().alias("first")))
    talks = (rows.filter((pl.col("type") == "conversation_held")
                         & (pl.col("kind") == "jobsamtale"))
             .select("person_id", pl.col("date").str.to_date().alias("held")))
    joined = (talks.join(first, on="person_id").join(kh, on="person_id")
              .filter(pl.col("held") >= pl.col("first"))
              .group_by("person_id").agg((pl.col("held").min() - pl.col("first").first())
                                         .dt.total_days().alias("days")))
    return joined.height, int(joined["days"].sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    parser.add_argument("--reader", choices=("auto", "python", "arrow"), default="auto")
    parser.add_argument("--fast-path", choices=("auto", "off", "both"), default="both")
    parser.add_argument("--table-writer", choices=("auto", "python", "arrow"), default="auto")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--years", default="2",
                        help="timeline lengths in years, e.g. 2,5,10 (a caseload each)")
    parser.add_argument("--memory", default="",
                        help="caseload sizes, e.g. 10000,100000: the peak memory of a batch of "
                             "each, in a fresh process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _batch(Path(args.child), Path(args.child).with_suffix(".out"), args.workers,
               reader_name(args.reader), "off", args.table_writer, 1)
        print(_peak_mib())
        return 0
    reader = reader_name(args.reader)
    with tempfile.TemporaryDirectory() as tmp:
        lengths = sorted({int(y) for y in args.years.split(",")})
        log = Path(tmp) / f"caseload.{args.format}"
        _write(log, args.persons, args.seed, lengths[0])
        table: list[tuple[str, str, str]] = []

        warm = Path(tmp) / f"warm.{args.format}"
        write_event_log(warm, 3, args.seed)
        for name in ("python", "arrow") if arrow_available() else ("python",):
            sum(1 for _ in persons_reader(name)(warm))
            started = time.process_time()
            read = sum(1 for _ in persons_reader(name)(log))
            floor = read / (time.process_time() - started)
            table.append((f"read the event log, {name} reader (floor)",
                          f"{floor:,.0f} persons/s", f"{args.format}, CPU time"))

        for years in lengths:
            if years != lengths[0]:
                log = Path(tmp) / f"caseload-{years}y.{args.format}"
                _write(log, args.persons, args.seed, years)
            table += _batch_table(log, Path(tmp), args, reader, years)
        table.append(("peak memory", f"{_peak_mib():,.0f} MiB", "process and workers (max RSS)"))

        if args.format != "jsonl" or lengths[-1] != lengths[0]:
            log = Path(tmp) / "caseload.jsonl"
            _write(log, args.persons, args.seed, lengths[0])
        started = time.perf_counter()
        ours = _lab_rules_metric(log)
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        peer = _polars_metric(log)
        peer_s = time.perf_counter() - started
        table.append(("metric in lab-rules", f"{ours_s:.2f} s",
                      f"{ours[0]:,} persons, {ours[1]:,} days in all"))
        if peer is None:
            table.append(("metric in polars", "skipped", "pip install polars to compare"))
        else:
            same = "same result" if peer == ours else f"DIFFERENT: {peer}"
            table.append(("metric in polars", f"{peer_s:.2f} s",
                          f"{same}; polars is {ours_s / peer_s:.1f}x faster"))
        sizes = sorted({int(n) for n in args.memory.split(",") if n})
        if sizes:
            table += _memory_table(sizes, Path(tmp), args)
    width = max(len(r[0]) for r in table)
    print(f"persons            {args.persons:,} (seed {args.seed})")
    for label, figure, detail in table:
        print(f"{label:<{width}}  {figure:>18}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
