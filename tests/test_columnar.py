"""The columnar fast path gives the engine's obligation rows for every (person, rule) pair it
handles, and merged with the engine's rows (the engine evaluated without the fast rules) the
batch's obligations.csv is byte for byte the whole-law one."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pl = pytest.importorskip("polars")

from lab_rules.core.errors import TimelineError  # noqa: E402
from lab_rules.core.vocabulary import (  # noqa: E402
    ConversationKind,
    ExemptionReason,
    Form,
    Holder,
)
from lab_rules.evaluation.evaluate import evaluate  # noqa: E402
from lab_rules.facts.courses import GROUP_BENEFITS  # noqa: E402
from lab_rules.inputs.eventlog import read_persons  # noqa: E402
from lab_rules.inputs.eventlog_write import write_rows  # noqa: E402
from lab_rules.inputs.synth import event_rows  # noqa: E402
from lab_rules.inputs.timeline import Timeline  # noqa: E402
from lab_rules.inputs.timeline_json import parse_timeline  # noqa: E402
from lab_rules.law.bundle import Law, bundled_law  # noqa: E402
from lab_rules.law.overlay import apply_overlays, find_overlay  # noqa: E402
from lab_rules.loops.batch_person import outcome_of  # noqa: E402
from lab_rules.loops.batch_tables import OBLIGATION_COLUMNS  # noqa: E402
from lab_rules.loops.columnar import evaluate_columnar, scan_events  # noqa: E402
from lab_rules.loops.columnar_merge import fast_cells, merged_cells  # noqa: E402
from lab_rules.loops.columnar_rules import EngineLaws, fast_rules  # noqa: E402

_BENEFITS = ("kontanthjaelp", "uddannelseshjaelp", "dagpenge", "integrationsydelse",
             "ledighedsydelse", "su")


def _edge_rows(persons: int, seed: int) -> Iterator[dict[str, Any]]:
    """Persons built to reach every branch: first contact before the start (across rule
    versions), registration before, after or missing, no group given, conditions on age,
    education and custody (known or not), a second course, group changes, exemptions and
    no-shows of every kind."""
    rng = random.Random(seed)
    first = date(2008, 1, 1)
    for index in range(persons):
        pid = f"edge-{index}"
        person: dict[str, Any] = {"person_id": pid, "type": "person"}
        if rng.random() < 0.9:
            person["birth_date"] = date(rng.randrange(1950, 2006), rng.randrange(1, 13),
                                        rng.randrange(1, 29)).isoformat()
        for name in ("education", "custody"):
            if rng.random() < 0.9:
                person[name] = rng.random() < 0.5
        yield person
        benefit = rng.choice(_BENEFITS)
        start = first + timedelta(days=rng.randrange(0, 19 * 365))
        events: list[dict[str, Any]] = []
        started: dict[str, Any] = {"type": "benefit_started", "date": start, "benefit": benefit}
        groups = sorted(g.value for g, bs in GROUP_BENEFITS.items()
                        if any(b.value == benefit for b in bs))
        if groups and rng.random() < 0.7:
            started["group"] = rng.choice(groups)
        events.append(started)
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            events.append({"type": "first_contact",
                           "date": start - timedelta(days=rng.randrange(0, 120))})
        if rng.random() < 0.6:
            events.append({"type": "registered",
                           "date": start + timedelta(days=rng.randrange(-40, 40))})
        if rng.random() < 0.5:
            events.append({"type": "benefit_ended", "benefit": benefit,
                           "date": start + timedelta(days=rng.randrange(1, 400))})
        for _ in range(rng.randrange(0, 7)):
            held: dict[str, Any] = {
                "type": "conversation_held",
                "date": start + timedelta(days=rng.randrange(-30, 250)),
                "kind": rng.choice(list(ConversationKind)).value}
            if rng.random() < 0.7:
                held["held_by"] = rng.choice(list(Holder)).value
            if rng.random() < 0.7:
                held["form"] = rng.choice(list(Form)).value
            events.append(held)
        if rng.random() < 0.08 and groups:
            events.append({"type": "group_changed", "group": rng.choice(groups),
                           "date": start + timedelta(days=rng.randrange(1, 200))})
        if rng.random() < 0.08:
            events.append({"type": "benefit_started", "benefit": rng.choice(_BENEFITS),
                           "date": start + timedelta(days=rng.randrange(-400, 400))})
        if rng.random() < 0.3:
            ex = start + timedelta(days=rng.randrange(-10, 60))
            exemption = {"type": "exemption", "start": ex,
                         "reason": rng.choice(list(ExemptionReason)).value}
            if rng.random() < 0.8:
                exemption["end"] = ex + timedelta(days=rng.randrange(0, 60))
            if rng.random() < 0.2 and exemption["reason"] == "mindre_intensiv_indsats":
                exemption["documented_start"] = ex + timedelta(days=rng.randrange(0, 80))
            events.append(exemption)
        if rng.random() < 0.15:
            meeting = start + timedelta(days=rng.randrange(3, 30))
            kind = rng.choice(list(ConversationKind)).value
            events += [{"type": "summons_sent", "date": meeting - timedelta(days=7),
                        "meeting_date": meeting, "kind": kind},
                       {"type": "no_show", "date": meeting, "kind": kind}]
        events.sort(key=lambda e: e.get("date") or e["start"])
        for event in events:
            yield {"person_id": pid, **{k: v.isoformat() if isinstance(v, date) else v
                                        for k, v in event.items()}}


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Timeline]]:
    path = tmp_path_factory.mktemp("columnar") / "caseload.jsonl"

    def rows() -> Iterator[dict[str, object]]:
        yield from event_rows(2500, 14)
        for row in event_rows(1000, 15, date(2008, 1, 7), date(2016, 12, 31)):
            yield {**row, "person_id": f"early-{row['person_id']}"}
        yield from _edge_rows(1200, 16)

    write_rows(path, rows())
    timelines = []
    for person in read_persons(path):
        try:
            timelines.append(parse_timeline(person.document or {}))
        except TimelineError:
            continue  # quarantined by the batch; its fast rows are dropped with it
    assert len(timelines) > 4500
    return path, timelines


def _row(o: Any) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in (
        o.rule.id, o.sequence, o.group.value, o.opens, o.due, o.fulfilled_on, o.status.value,
        o.days_late, o.days_overdue, o.rule.legal_basis.cite()))


def _overlaid() -> Law:
    return apply_overlays(bundled_law(), [find_overlay("roedovre-genstart"),
                                          find_overlay("koebenhavn-kvartal")])


VARIANTS = [
    (date(2019, 12, 31), ("national", {})),
    (date(2012, 3, 31), ("selector_opens", {"version_selector": "opens"})),
    (date(2026, 12, 31), ("selector_due", {"version_selector": "due"})),
    (date(2016, 6, 30), ("selector_course_start", {"version_selector": "course_start"})),
    (date(2022, 1, 15), ("timely_summons_counts", {"no_show": "timely_summons_counts"})),
    (date(2027, 6, 30), ("overlay_restart", None)),
]
"""Each version selector, a policy swap and an overlay (which sets the no-show policy and adds
rules), each on another ``as_of``."""


@pytest.mark.parametrize(("as_of", "variant"), VARIANTS,
                         ids=lambda v: v[0] if isinstance(v, tuple) else str(v))
def test_fast_path_gives_the_engines_rows_for_every_pair_it_handles(
        caseload: tuple[Path, list[Timeline]], as_of: date,
        variant: tuple[str, dict[str, str] | None]) -> None:
    path, timelines = caseload
    name, policies = variant
    law = _overlaid() if policies is None else bundled_law()
    rows, handled = evaluate_columnar(scan_events(path), law, as_of, policies)
    fast_ids = {r.id for r in fast_rules(law)}
    assert rows.columns == list(OBLIGATION_COLUMNS)
    fast: dict[str, list[tuple[str, ...]]] = {}
    for values in rows.iter_rows():
        fast.setdefault(values[0], []).append(tuple("" if v is None else str(v)
                                                    for v in values[1:]))
    compared = engine_only = 0
    for timeline in timelines:
        pid = timeline.person.id
        mine = {i for i in fast_ids if (pid, i) in handled}
        result = evaluate(timeline, as_of=as_of, law=law, policies=policies, refund=False,
                          sanctions=False)
        expected = [_row(o) for o in result.obligations if o.rule.id in mine]
        engine_only += sum(1 for o in result.obligations
                           if o.rule.id in fast_ids and o.rule.id not in mine)
        assert fast.get(pid, []) == expected, (name, pid)
        compared += len(expected)
    assert compared >= 20, compared
    assert compared > engine_only, (compared, engine_only)


def test_rules_that_qualify_are_first_within_on_the_contiguous_clock() -> None:
    law = bundled_law()
    chosen = fast_rules(law)
    assert {r.id for r in chosen} >= {"dk.lab.2015.kontanthjaelp.first_jobsamtale",
                                      "dk.lab.2020.dagpenge.cv_samtale"}
    assert all(r.shape.value == "first_within" and r.clock.value == "contiguous"
               for r in chosen)
    assert "dk.lab.2008.kontanthjaelp.first_jobsamtale" not in {r.id for r in chosen}


def _table(rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OBLIGATION_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("as_of", [date(2019, 12, 31), date(2026, 12, 31)])
def test_batch_merge_gives_the_whole_law_obligations_csv(
        caseload: tuple[Path, list[Timeline]], as_of: date) -> None:
    path, _ = caseload
    law = bundled_law()
    policies: dict[str, str] = {}
    rows, handled = evaluate_columnar(scan_events(path), law, as_of, policies)
    by_person = fast_cells(rows)
    laws = EngineLaws(law)
    fast_ids = {r.id for r in fast_rules(law)}
    whole: list[tuple[str, ...]] = []
    merged: list[tuple[str, ...]] = []
    for index, person in enumerate(read_persons(path)):
        if index % 12:
            continue
        full = outcome_of(person, as_of, policies, law)
        if full.quarantine is not None:
            continue
        mine = {i for i in fast_ids if (person.person_id, i) in handled}
        beside = outcome_of(person, as_of, policies, laws.without(mine))
        assert (beside.sanctions, beside.refund, beside.quotas) == (
            full.sanctions, full.refund, full.quotas)
        whole += full.obligations
        merged += merged_cells(beside.obligations, by_person.get(person.person_id, []))
    assert _table(merged) == _table(whole)
