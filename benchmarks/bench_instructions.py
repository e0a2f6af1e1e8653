#!/usr/bin/env python3
"""Benchmark: instructions per person (valgrind's callgrind), which do not drift with the
machine's load the way CPU time does.

    python benchmarks/bench_instructions.py [--persons 400] [--seed 1]

For 2-year synthetic timelines, runs the same script under callgrind with a few persons and
with ``--persons``, and prints the difference per person for ``parse_timeline``, deadlines only
and the full evaluation (the law's loading and the warm-up are the same in both runs and cancel
out). Needs ``valgrind`` on the PATH; takes a few minutes. A script, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
from datetime import date

_FEW = 20
_WORK = ("parse", "deadlines", "full")


def _work(kind: str, persons: int, worked: int, seed: int) -> None:
    """Make *persons* cases (as every run does, so that making them cancels out), warm up on a
    few, then do *kind* for the first *worked* of them."""
    from lab_rules import evaluate
    from lab_rules.inputs.synth import synthetic_timeline
    from lab_rules.inputs.timeline import Timeline
    from lab_rules.inputs.timeline_json import parse_timeline, timeline_to_json
    from lab_rules.law import bundled_law

    law = bundled_law()
    rng = random.Random(seed)
    cases: list[tuple[Timeline, date]] = [synthetic_timeline(rng, i, years=2)
                                          for i in range(persons)]
    documents = [timeline_to_json(t) for t, _ in cases]
    for timeline, as_of in cases[:_FEW]:
        parse_timeline(timeline_to_json(timeline))
        evaluate(timeline, as_of=as_of, law=law)
        evaluate(timeline, as_of=as_of, law=law, refund=False, sanctions=False)
    for index in range(worked):
        timeline, as_of = cases[index]
        if kind == "parse":
            parse_timeline(documents[index])
        elif kind == "deadlines":
            evaluate(timeline, as_of=as_of, law=law, refund=False, sanctions=False)
        else:
            evaluate(timeline, as_of=as_of, law=law)


def _instructions(kind: str, persons: int, worked: int, seed: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         __file__, "--inner", kind, "--persons", str(persons), "--worked", str(worked),
         "--seed", str(seed)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"})  # counts move ~3 % with the hash seed
    found = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inner", choices=_WORK, help=argparse.SUPPRESS)
    parser.add_argument("--worked", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        _work(args.inner, args.persons, args.worked, args.seed)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    if args.persons <= _FEW:
        parser.error(f"--persons must be more than {_FEW}")
    print(f"2-year synthetic timelines, {args.persons} persons against {_FEW}, seed {args.seed}")
    for kind in _WORK:
        extra = (_instructions(kind, args.persons, args.persons, args.seed)
                 - _instructions(kind, args.persons, _FEW, args.seed))
        print(f"{kind:<10} {extra // (args.persons - _FEW):>12,} instructions per person")
    return 0


if __name__ == "__main__":
    sys.exit(main())
