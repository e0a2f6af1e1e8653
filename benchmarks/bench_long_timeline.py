#!/usr/bin/env python3
"""How one person's evaluation grows with the length of the timeline: a person with 1,000 to
100,000 events (mixed: conversations, monthly payments, no-shows with and without contact
restored, work hours, offers, exemptions, guidance, group changes) is parsed and evaluated in
full (refund and sanctions on), and the seconds are printed with the per-event cost, so a
quadratic path shows as a growing cost per event.

    .venv/bin/python benchmarks/bench_long_timeline.py [--events 1000 10000 100000]

Target (issue 12): 100,000 events in under 10 seconds.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from datetime import date, timedelta

from lab_rules import evaluate
from lab_rules.inputs.timeline_json import parse_timeline

START = date(2008, 1, 7)


def document(events: int, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = [
        {"type": "first_contact", "date": START.isoformat()},
        {"type": "benefit_started", "date": START.isoformat(), "benefit": "kontanthjaelp",
         "group": "jobparat_kontanthjaelp"}]
    for _ in range(events):
        day = START + timedelta(days=rng.randrange(0, 6000))
        text, r = day.isoformat(), rng.random()
        if r < 0.04:
            rows.append({"type": "group_changed", "date": text, "group": rng.choice(
                ["jobparat_kontanthjaelp", "aktivitetsparat_kontanthjaelp"])})
        elif r < 0.3:
            rows.append({"type": "conversation_held", "date": text, "kind": "jobsamtale",
                         "held_by": "jobcenter"})
        elif r < 0.5:
            rows.append({"type": "payment", "benefit": "kontanthjaelp", "start": text,
                         "end": (day + timedelta(days=27)).isoformat(), "amount": "12000"})
        elif r < 0.6:
            rows.append({"type": "no_show", "date": text, "kind": "jobsamtale"})
        elif r < 0.7:
            rows.append({"type": "contact_restored", "date": text})
        elif r < 0.8:
            rows.append({"type": "work_hours", "start": text, "end": text, "hours": "5"})
        elif r < 0.85:
            rows.append({"type": "offer_started", "date": text, "offer": "virksomhedspraktik"})
        elif r < 0.9:
            rows.append({"type": "exemption", "start": text, "reason": "sygdom",
                         "end": (day + timedelta(days=10)).isoformat()})
        else:
            rows.append({"type": "written_guidance", "date": text})
    return {"schema": "lab-rules/timeline/v1", "person": {"id": "long"}, "events": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    print(f"machine            {platform.machine()}, Python {platform.python_version()}")
    print("events      parse s   evaluate s   µs per event   sanctions")
    for count in args.events:
        doc = document(count)
        started = time.process_time()
        timeline = parse_timeline(doc)
        parsed = time.process_time()
        result = evaluate(timeline, as_of=date(2025, 1, 1))
        done = time.process_time()
        print(f"{count:>7,}   {parsed - started:8.2f}   {done - parsed:10.2f}   "
              f"{(done - started) / count * 1e6:12.1f}   {len(result.sanctions):9,}")
    print("target: 100,000 events in under 10 s (parse + evaluate, CPU time)")


if __name__ == "__main__":
    main()
