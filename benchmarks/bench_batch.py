#!/usr/bin/env python3
"""Benchmark: a synthetic caseload through ``lab-rules batch``, printed as a table.

    python benchmarks/bench_batch.py [--persons 100000] [--seed 1] [--workers N]
        [--format jsonl|csv|parquet] [--reader auto|python|arrow]
        [--fast-path auto|off|both] [--table-writer auto|python|arrow] [--repeat 1]

Rows: reading the event log alone (the floor) with the Python reader and, when pyarrow is
installed, the Arrow reader (CPU time), the batch on 1 worker and on all cores with --reader,
with the columnar fast path (``auto``) and/or without it (``off``): persons per second of wall
time and of CPU time (this process, its threads and its workers; the best of --repeat runs),
speed-up, peak memory of the process and its workers, and, when polars is installed (``pip
install polars``), a peer: a hand-vectorised polars computation of one simple metric (for
kontanthjælp, the days from first contact to the first jobsamtale) against lab-rules computing
the same metric from its timelines, with the ratio. A script, not a timed test: the numbers
depend on the machine (on a shared one, compare CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from lab_rules.core.vocabulary import Benefit, ConversationKind
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.eventlog_arrow import arrow_available, persons_reader, reader_name
from lab_rules.inputs.synth import write_event_log
from lab_rules.inputs.timeline import BenefitStarted, ConversationHeld, FirstContact
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.loops.batch import evaluate_caseload

AS_OF = date(2026, 1, 1)


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
    args = parser.parse_args(argv)
    reader = reader_name(args.reader)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / f"caseload.{args.format}"
        write_event_log(log, args.persons, args.seed)
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

        rates: dict[tuple[str, int], float] = {}
        for fast in ("off", "auto") if args.fast_path == "both" else (args.fast_path,):
            for workers in sorted({1, args.workers}):
                out = Path(tmp) / f"out-{fast}-{workers}"
                wall, cpu, summary = _batch(log, out, workers, reader, fast,
                                            args.table_writer, args.repeat)
                run = json.loads((out / "run.json").read_text(encoding="utf-8"))
                used = "fast path" if run["fast_path"]["used"] else "engine only"
                rates[fast, workers] = summary.persons / wall
                table.append((f"batch, {workers} worker{'s' if workers > 1 else ''}, {reader}, "
                              f"{used}, {run['table_writer']} writer",
                              f"{summary.persons / wall:,.0f} persons/s",
                              f"wall; {summary.persons / cpu:,.0f} persons/s of CPU time; "
                              f"{summary.obligations:,} obligations, {summary.quarantined} "
                              "quarantined"))
            if args.workers > 1:
                table.append((f"speed-up, fast path {fast}",
                              f"{rates[fast, args.workers] / rates[fast, 1]:.2f}x",
                              f"{args.workers} workers against 1"))
        table.append(("peak memory", f"{_peak_mib():,.0f} MiB", "process and workers (max RSS)"))

        if args.format != "jsonl":
            log = Path(tmp) / "caseload.jsonl"
            write_event_log(log, args.persons, args.seed)
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
    width = max(len(r[0]) for r in table)
    print(f"persons            {args.persons:,} (seed {args.seed})")
    for label, figure, detail in table:
        print(f"{label:<{width}}  {figure:>18}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
