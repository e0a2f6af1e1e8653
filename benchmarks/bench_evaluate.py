#!/usr/bin/env python3
"""Benchmark: N synthetic two-year timelines through ``lab_rules.evaluate`` on one core.

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
from datetime import date, timedelta

from lab_rules import Person, Timeline, evaluate
from lab_rules.rules import bundled_pack
from lab_rules.timeline import (
    BenefitEnded,
    BenefitStarted,
    ConversationHeld,
    Event,
    Exemption,
    FirstContact,
    OfferStarted,
    Registered,
    SicknessReported,
)
from lab_rules.vocabulary import (
    Benefit,
    ConversationKind,
    ExemptionReason,
    Form,
    Holder,
    OfferKind,
    TargetGroup,
)

KINDS = (
    (Benefit.DAGPENGE, TargetGroup.DAGPENGE),
    (Benefit.KONTANTHJAELP, TargetGroup.JOBPARAT_KONTANTHJAELP),
    (Benefit.KONTANTHJAELP, TargetGroup.AKTIVITETSPARAT_KONTANTHJAELP),
    (Benefit.UDDANNELSESHJAELP, TargetGroup.UDDANNELSESPARAT_UDDANNELSESHJAELP),
    (Benefit.SYGEDAGPENGE, TargetGroup.SYGEDAGPENGE),
    (Benefit.LEDIGHEDSYDELSE, TargetGroup.FLEKSJOBVISITERET),
)


def synthetic_timeline(rng: random.Random, index: int) -> tuple[Timeline, date]:
    """A realistic two-year case: a benefit, conversations, maybe an exemption and an offer."""
    benefit, group = rng.choice(KINDS)
    start = date(2016, 1, 4) + timedelta(days=rng.randrange(0, 9 * 365))
    events: list[Event] = [BenefitStarted(start, benefit, group)]
    if benefit is Benefit.DAGPENGE:
        events.append(Registered(start))
    elif benefit is Benefit.SYGEDAGPENGE:
        events.append(SicknessReported(start + timedelta(days=5), start, rng.choice((1, 2, 3)),
                                       rng.random() < 0.5))
    else:
        events.append(FirstContact(start))
    kind = (ConversationKind.OPFOELGNINGSSAMTALE if benefit is Benefit.SYGEDAGPENGE
            else ConversationKind.JOBSAMTALE)
    day = start
    for _ in range(rng.randrange(4, 16)):
        day += timedelta(days=rng.randrange(5, 60))
        holder = Holder.A_KASSE if benefit is Benefit.DAGPENGE and rng.random() < 0.3 \
            else Holder.JOBCENTER
        events.append(ConversationHeld(day, kind, rng.choice(list(Form)), holder))
    if rng.random() < 0.3:
        ex_start = start + timedelta(days=rng.randrange(30, 400))
        events.append(Exemption(ex_start, rng.choice(list(ExemptionReason)),
                                ex_start + timedelta(days=rng.randrange(7, 90))))
    if rng.random() < 0.6:
        events.append(OfferStarted(start + timedelta(days=rng.randrange(20, 300)),
                                   rng.choice(list(OfferKind))))
    end = start + timedelta(days=730)
    if rng.random() < 0.5:
        end = start + timedelta(days=rng.randrange(60, 700))
        events.append(BenefitEnded(end, benefit))
    person = Person(f"synthetic-{index}", birth_date=date(rng.randrange(1960, 2004), 6, 15),
                    education=rng.random() < 0.7, custody=rng.random() < 0.4)
    return Timeline.of(person, events), start + timedelta(days=730)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timelines", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    cases = [synthetic_timeline(rng, i) for i in range(args.timelines)]
    pack = bundled_pack()
    evaluate(cases[0][0], as_of=cases[0][1], rules=pack)  # warm caches (holidays, imports)
    print(f"timelines          {args.timelines}")
    for label, with_refund in (("contact course", False),
                               ("with refund ledger and sanctions", True)):
        obligations = weeks = 0
        started = time.perf_counter()
        for timeline, as_of in cases:
            result = evaluate(timeline, as_of=as_of, rules=pack, refund=with_refund,
                              sanctions=with_refund)
            obligations += len(result.obligations)
            weeks += len(result.refund.weeks) if result.refund else 0
        elapsed = time.perf_counter() - started
        print(f"-- {label}")
        print(f"obligations        {obligations} ({obligations / args.timelines:.1f} per timeline)"
              + (f", {weeks / args.timelines:.0f} ledger weeks per timeline" if weeks else ""))
        print(f"seconds            {elapsed:.2f}")
        print(f"timelines/second   {args.timelines / elapsed:,.0f}  (goal: 5,000 on one core)")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory        {peak_kib / 1024:.0f} MiB (max RSS of the process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
