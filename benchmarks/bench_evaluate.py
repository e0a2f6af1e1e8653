#!/usr/bin/env python3
"""Benchmark: N synthetic two-year timelines through ``lab_rules.evaluation.evaluate`` on one core.

    python benchmarks/bench_evaluate.py [--timelines 5000] [--seed 1]

Prints timelines per second (evaluation only; building the timelines is not timed) and peak
resident memory. A script, not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time

from lab_rules import evaluate
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law import bundled_law


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timelines", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-weeks", action="store_true",
                        help="also read every ledger week (built lazily: JSON, text, report)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    cases = [synthetic_timeline(rng, i) for i in range(args.timelines)]
    law = bundled_law()
    evaluate(cases[0][0], as_of=cases[0][1], law=law)  # warm caches (holidays, imports)
    print(f"timelines          {args.timelines}")
    for label, with_refund in (("contact course", False),
                               ("with refund ledger and sanctions", True)):
        obligations = weeks = 0
        started = time.perf_counter()
        for timeline, as_of in cases:
            result = evaluate(timeline, as_of=as_of, law=law, refund=with_refund,
                              sanctions=with_refund)
            obligations += len(result.obligations)
            if result.refund is not None:
                weeks += len(result.refund.weeks if args.read_weeks else result.refund.months)
        elapsed = time.perf_counter() - started
        print(f"-- {label}")
        print(f"obligations        {obligations} ({obligations / args.timelines:.1f} per timeline)"
              + (f", {weeks / args.timelines:.0f} ledger {'weeks' if args.read_weeks else 'months'}"
                 " per timeline" if weeks else ""))
        print(f"seconds            {elapsed:.2f}")
        print(f"timelines/second   {args.timelines / elapsed:,.0f}  (goal: 5,000 on one core)")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory        {peak_kib / 1024:.0f} MiB (max RSS of the process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
