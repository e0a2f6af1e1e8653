#!/usr/bin/env python3
"""Benchmark: the evaluation targets of issue 14, on one core, beside the figures measured.

    python benchmarks/bench_targets.py [--timelines 3000] [--seed 1] [--repeat 3]

For synthetic timelines of 2, 5 and 10 years (``lab_rules.inputs.synth``), the CPU time per
person of ``parse_timeline`` (from the JSON document), of deadlines only
(``refund=False, sanctions=False``) and of the full evaluation (refund and sanctions on),
through the public ``evaluate``; the best of ``--repeat`` runs; and the cost of a 10-year
timeline against a 2-year one. Prints the machine. A script, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date

from lab_rules import evaluate
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import parse_timeline, timeline_to_json
from lab_rules.law import bundled_law

TARGETS = {"deadlines only": 8000.0, "full evaluation": 3000.0}
"""Persons per second per core of CPU time, 2-year timelines (issue 14)."""
LINEAR = 5.5
"""A 10-year timeline may cost at most this many times a 2-year one."""


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info
                          if line.startswith("model name")), "")
    except OSError:
        pass
    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
            + (f", {model}" if model else ""))


def best_rate(work: Callable[[], int], repeat: int) -> float:
    """Persons per CPU second of the fastest of *repeat* runs of *work* (which returns how
    many persons it did)."""
    best = 0.0
    for _ in range(repeat):
        started = time.process_time()
        done = work()
        spent = time.process_time() - started
        best = max(best, done / spent if spent else float("inf"))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timelines", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    law = bundled_law()
    print(f"machine            {machine()}")
    print(f"timelines          {args.timelines} per length, best of {args.repeat}, CPU time")
    rates: dict[tuple[int, str], float] = {}
    for years in (2, 5, 10):
        rng = random.Random(args.seed)
        cases: list[tuple[Timeline, date]] = [
            synthetic_timeline(rng, i, years=years) for i in range(args.timelines)]
        documents = [timeline_to_json(t) for t, _ in cases]
        evaluate(cases[0][0], as_of=cases[0][1], law=law)
        events = sum(len(t.events) for t, _ in cases) / len(cases)

        def parse(documents: list[dict[str, object]] = documents) -> int:
            for document in documents:
                parse_timeline(document)
            return len(documents)

        def deadlines(cases: list[tuple[Timeline, date]] = cases) -> int:
            for timeline, as_of in cases:
                evaluate(timeline, as_of=as_of, law=law, refund=False, sanctions=False)
            return len(cases)

        def full(cases: list[tuple[Timeline, date]] = cases) -> int:
            for timeline, as_of in cases:
                evaluate(timeline, as_of=as_of, law=law)
            return len(cases)

        print(f"-- {years}-year timelines ({events:.0f} events each on average)")
        for label, work in (("parse_timeline", parse), ("deadlines only", deadlines),
                            ("full evaluation", full)):
            rate = best_rate(work, args.repeat)
            rates[(years, label)] = rate
            target = TARGETS.get(label) if years == 2 else None
            goal = (f"  target >= {target:,.0f}: {'met' if rate >= target else 'NOT met'}"
                    if target else "")
            print(f"{label:<18} {rate:>8,.0f} persons/s  {1e6 / rate:>7,.0f} µs/person{goal}")
    for label in ("deadlines only", "full evaluation"):
        ratio = rates[(2, label)] / rates[(10, label)]
        verdict = "met" if ratio <= LINEAR else "NOT met"
        print(f"10 y / 2 y cost, {label}: {ratio:.2f}x  (target <= {LINEAR}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
