#!/usr/bin/env python3
"""Benchmark: one metric, "days late of the first jobsamtale" per person, three ways.

    python benchmarks/bench_columnar.py [--persons 20000] [--seed 1] [--repeat 3]
                                        [--memory 10000,100000] [--logs DIR]
                                        [--chunk-persons N]

1. the columnar fast path (``lab_rules.loops.columnar.iter_columnar``, the ``bench`` extra:
   polars) over the log's path, chunk by chunk, for the (person, rule) pairs it handles, and
   the engine for the persons it hands back;
2. a hand-written lazy polars query (``pl.scan_ndjson``, 5 columns): first contact + one week,
   the first job conversation on or after it; no rule versions, exemptions or no-shows;
3. the engine: ``read_persons``, ``parse_timeline`` and ``evaluate`` (deadlines only).

Reading the log is timed in every path. Prints CPU time (all threads) and wall time, best of
``--repeat``, the issue 14 targets beside the figures (columnar within 2x of the lazy query;
peak memory at the largest ``--memory`` caseload within 10 % of the smallest) and the machine.
With ``--memory`` the peak RSS (``VmHWM``, see :func:`own_peak`) of the columnar path alone,
each caseload size in a fresh process that writes the rows chunk by chunk to a CSV file: for
the metric's rules and for every fast rule, and for the metric once more with polars'
allocator told to give freed pages back at once (``_RJEM_MALLOC_CONF=muzzy_decay_ms:0``:
jemalloc otherwise keeps them, lazily freed but counted in RSS, for about a second). The
memory caseloads are written once into ``--logs`` (default ``/tmp/lab-rules-bench-columnar``)
and reused. A script, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
from bench_targets import machine as host

from lab_rules import evaluate
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.synth import write_event_log
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law
from lab_rules.loops.columnar import CHUNK_PERSONS, columnar_frames, iter_columnar, scan_events
from lab_rules.loops.columnar_rules import fast_rules

AS_OF = date(2026, 12, 31)
"""After every synthetic case of the default window has ended."""
TARGET = 2.0
"""The columnar path may take at most this many times the lazy polars query (issue 14)."""
MEMORY_FLAT = 1.10
"""Peak memory at 100k persons within 10 % of 10k (issue 14)."""
LOGS = Path(tempfile.gettempdir()) / "lab-rules-bench-columnar"
"""Where the memory caseloads are kept between runs."""
PROMPT_FREE = "muzzy_decay_ms:0"
"""The jemalloc setting under which polars gives freed pages back at once."""


def machine() -> str:
    return f"{host()}; polars {pl.__version__}, {pl.thread_pool_size()} threads"


def metric_ids() -> frozenset[str]:
    """The kontanthjælp first-jobsamtale rules of the bundled law (every version shares its
    id); the hand-written query knows kontanthjælp only."""
    return frozenset(r.id for r in bundled_law().rules.rules
                     if r.id.endswith("kontanthjaelp.first_jobsamtale"))


def columnar(path: Path, chunk_persons: int = CHUNK_PERSONS) -> dict[str, int | None]:
    """Days late of the first metric row per person, the log read chunk by chunk."""
    found: dict[str, int | None] = {}
    for rows, _ in iter_columnar(path, bundled_law(), AS_OF, None, only=metric_ids(),
                                 chunk_persons=chunk_persons):
        first = rows.group_by("person_id", maintain_order=True).first()
        found.update(zip(first.get_column("person_id").to_list(),
                         first.get_column("days_late").to_list(), strict=True))
    return found


def written(path: Path, out: Path, rules: str, chunk_persons: int) -> int:
    """Write the fast path's rows for *path* to the CSV file *out* chunk by chunk, as a batch
    would (*rules*: ``metric`` or ``all``); the number of rows."""
    only = metric_ids() if rules == "metric" else None
    count = 0
    with out.open("wb") as handle:
        for rows, _ in iter_columnar(path, bundled_law(), AS_OF, None, only=only,
                                     chunk_persons=chunk_persons):
            rows.write_csv(handle, include_header=not count)
            count += rows.height
    return count


def handed_back(path: Path) -> set[str]:
    """Persons with a course in the metric rules' groups that the fast path leaves to the
    engine: not handled for every fast metric rule, or (an upper bound) starting before the
    last day of a metric rule version the fast path does not take."""
    law = bundled_law()
    ids = metric_ids()
    _, pairs = columnar_frames(scan_events(path), law, AS_OF, None, only=ids)
    fast = {r.id for r in fast_rules(law)} & ids
    slow = [r for r in law.rules.rules if r.id in ids and r.id not in fast]
    groups = {g.value for r in law.rules.rules if r.id in ids for g in r.groups}
    slow_groups = {g.value for r in slow for g in r.groups}
    last_slow = max((r.valid_to or date.max for r in slow), default=date.min)
    schema = {"person_id": pl.String, "type": pl.String, "group": pl.String,
              "date": pl.String}
    started = (pl.scan_ndjson(path, schema=schema)
               .filter((pl.col("type") == "benefit_started") & pl.col("group").is_in(groups))
               .select("person_id", "group", pl.col("date").str.to_date()).collect())
    handled: dict[str, int] = {}
    for person in pairs.get_column("person_id").to_list():
        handled[person] = handled.get(person, 0) + 1
    return {p for p, group, day in started.iter_rows()
            if handled.get(p, 0) < len(fast) or (group in slow_groups and day <= last_slow)}


def lazy_query(path: Path) -> dict[str, int | None]:
    schema = {"person_id": pl.String, "type": pl.String, "date": pl.String,
              "kind": pl.String, "group": pl.String}
    log = pl.scan_ndjson(path, schema=schema).with_columns(pl.col("date").str.to_date())
    anchors = (log.filter(pl.col("type") == "first_contact").group_by("person_id")
               .agg(pl.col("date").min().alias("anchor")))
    kh = (log.filter((pl.col("type") == "benefit_started")
                     & pl.col("group").str.ends_with("kontanthjaelp"))
          .select("person_id").unique())
    held = (log.filter((pl.col("type") == "conversation_held")
                       & pl.col("kind").is_in(["jobsamtale", "faellessamtale"]))
            .select("person_id", pl.col("date").alias("held")))
    result = (anchors.join(kh, on="person_id").join(held, on="person_id", how="left")
              .filter(pl.col("held").is_null() | (pl.col("held") >= pl.col("anchor")))
              .group_by("person_id").agg(pl.col("anchor").first(), pl.col("held").min())
              .with_columns(late=(pl.col("held") - pl.col("anchor")).dt.total_days() - 7)
              .select("person_id", pl.when(pl.col("late") > 0).then(pl.col("late")))
              .collect())
    return dict(result.iter_rows())


def engine(path: Path, only: set[str] | None = None) -> dict[str, int | None]:
    law = bundled_law()
    ids = metric_ids()
    found: dict[str, int | None] = {}
    for person in read_persons(path):
        if person.document is None or (only is not None and person.person_id not in only):
            continue
        result = evaluate(parse_timeline(person.document), as_of=AS_OF, law=law,
                          refund=False, sanctions=False)
        first = next((o for o in result.obligations if o.rule.id in ids), None)
        if first is not None:
            found[person.person_id] = first.days_late
    return found


def best(work: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result) of the fastest of *repeat* runs."""
    cpu = wall = float("inf")
    result: object = None
    for _ in range(repeat):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        result = work()
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started_wall)
    return cpu, wall, result


def own_peak() -> float:
    """MiB of this process's peak RSS since it started its program. ``ru_maxrss`` keeps the
    peak of the process it was forked from (Linux carries it over ``execve``), so a child of a
    large benchmark would report the benchmark's; ``VmHWM`` is the new program's own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def caseload(persons: int, seed: int, folder: Path) -> Path:
    path = folder / f"caseload-{persons}-seed{seed}.jsonl"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.stem}.part.jsonl")
        write_event_log(part, persons, seed)
        part.replace(path)
    return path


def peak_rss(path: Path, rules: str, chunk_persons: int, allocator: str | None = None
             ) -> float:
    """MiB of peak RSS of the columnar path on the log *path*, in a fresh process."""
    env = dict(os.environ)
    if allocator is not None:
        env["_RJEM_MALLOC_CONF"] = allocator
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, __file__, "--child", str(path), "--rules", rules,
                              "--out", str(Path(tmp) / "rows.csv"),
                              "--chunk-persons", str(chunk_persons)],
                             check=True, capture_output=True, text=True, env=env).stdout
    return float(out.split()[-1])


def memory(sizes: list[int], seed: int, folder: Path, chunk_persons: int) -> None:
    paths = {n: caseload(n, seed, folder) for n in sizes}
    runs = (("metric", None, "metric rules"), ("all", None, "every fast rule"),
            ("metric", PROMPT_FREE, f"metric rules, {PROMPT_FREE}"))
    low, high = min(sizes), max(sizes)
    for rules, allocator, label in runs:
        peaks = {n: peak_rss(paths[n], rules, chunk_persons, allocator) for n in sizes}
        figures = ", ".join(f"{n:,} persons {mib:,.0f} MiB" for n, mib in peaks.items())
        ratio = peaks[high] / peaks[low]
        verdict = "met" if ratio <= MEMORY_FLAT else "missed"
        print(f"peak RSS           {label}: {figures}; x{ratio:.2f} "
              f"(target ≤ x{MEMORY_FLAT:.2f}: {verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", default="", help="caseload sizes, e.g. 10000,100000")
    parser.add_argument("--logs", type=Path, default=LOGS,
                        help="a folder to keep (and reuse) the memory caseloads in")
    parser.add_argument("--chunk-persons", type=int, default=CHUNK_PERSONS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rules", default="metric", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        written(Path(args.child), Path(args.out), args.rules, args.chunk_persons)
        print(own_peak())
        return 0
    print(f"machine            {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "caseload.jsonl"
        write_event_log(path, args.persons, args.seed)
        print(f"persons            {args.persons} (seed {args.seed}), as_of {AS_OF}, "
              f"best of {args.repeat}, chunks of {args.chunk_persons:,} persons; rules "
              f"{', '.join(sorted(metric_ids()))}")
        back = handed_back(path)
        timings = {
            "lazy polars query": best(lambda: lazy_query(path), args.repeat),
            "columnar path": best(lambda: columnar(path, args.chunk_persons), args.repeat),
            "engine, handed-back persons": best(lambda: engine(path, back), args.repeat),
            "engine": best(lambda: engine(path), args.repeat),
        }
        lazy_cpu, lazy_wall, _ = timings["lazy polars query"]
        for label, (cpu, wall, result) in timings.items():
            size = len(result) if isinstance(result, dict) else 0
            print(f"{label:28} cpu {cpu:7.2f} s  wall {wall:7.2f} s  "
                  f"{args.persons / cpu:>10,.0f} persons/cpu-s  x{cpu / lazy_cpu:5.1f} cpu "
                  f"x{wall / lazy_wall:5.1f} wall of lazy  ({size} persons with the metric)")
        fast = timings["columnar path"][2]
        slow = timings["engine"][2]
        assert isinstance(fast, dict)
        assert isinstance(slow, dict)
        same = sum(1 for p, v in fast.items() if slow.get(p, "missing") == v)
        print(f"handed back        {len(back)} of the persons with a course in the rules' groups "
              f"go to the engine (exemption, no-show, group change, ...);\n"
              f"                   'engine, handed-back persons' reads the whole log")
        print(f"agreement          {same} of {len(fast)} columnar values equal the engine's")
        cpu, wall, _ = timings["columnar path"]
        cpu_back, wall_back, _ = timings["engine, handed-back persons"]
        verdict = "met" if cpu / lazy_cpu <= TARGET else "missed"
        print(f"target             columnar within {TARGET:.0f}x of the lazy query: "
              f"cpu x{cpu / lazy_cpu:.2f} ({verdict}), wall x{wall / lazy_wall:.2f}; with the "
              f"engine for the handed-back persons cpu x{(cpu + cpu_back) / lazy_cpu:.1f}, "
              f"wall x{(wall + wall_back) / lazy_wall:.1f}")
    sizes = sorted({int(s) for s in args.memory.split(",") if s})
    if len(sizes) > 1:
        memory(sizes, args.seed, args.logs, args.chunk_persons)
    elif sizes:
        peak = peak_rss(caseload(sizes[0], args.seed, args.logs), "metric", args.chunk_persons)
        print(f"peak RSS           {sizes[0]:,} persons: {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
