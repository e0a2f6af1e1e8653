"""The columnar fast path: the rules of :mod:`lab_rules.loops.columnar_rules` over a whole
caseload at once, as polars expressions (the ``bench`` extra), beside the engine.

Eligibility is per person as well as per rule. A person is evaluated here for a rule id only
when the engine's result is a function of a few dates of the log: at most one benefit start
by ``as_of`` (so one course, one target-group span, no previous course), its end after its
start, no group change, the anchor present, the rule's conditions decidable, no exemption the
rule extends by (a waiving one only if dated and without a documented start) and, unless the
no-show policy is ``late_until_held``, no no-show of a kind the rule counts. Everyone else goes
through the engine for that rule. For the handled pairs the row is what ``build_obligations``
gives: opens at the anchor, due at the engine's own calendar point (worked out once per
distinct anchor day), the version selector of the policies, the first qualifying conversation
from the opening day to the horizon, a waiver where an exemption covers the due date, and the
status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.courses import DEFAULT_GROUP
from lab_rules.law.bundle import Law
from lab_rules.law.model import Effect, Fulfilment, Rule
from lab_rules.law.policies import Policies, VersionSelector
from lab_rules.loops.columnar_exprs import (
    anchor_of,
    candidates,
    dues,
    holds,
    touched,
    waived_by,
)
from lab_rules.loops.columnar_rules import fast_rules, policies_of

__all__ = ["EVENT_SCHEMA", "ROW_COLUMNS", "columnar_frames", "evaluate_columnar",
           "scan_events"]

EVENT_SCHEMA: dict[str, Any] = {
    "person_id": pl.String, "type": pl.String, "date": pl.String, "benefit": pl.String,
    "group": pl.String, "kind": pl.String, "form": pl.String, "held_by": pl.String,
    "reason": pl.String, "start": pl.String, "end": pl.String,
    "documented_start": pl.String, "birth_date": pl.String, "education": pl.Boolean,
    "custody": pl.Boolean, "good_job_prospects": pl.Boolean,
}
"""The event-log fields the fast path reads (any others are ignored)."""

ROW_COLUMNS = ("person_id", "rule_id", "sequence", "group", "opens", "due", "fulfilled_on",
               "status", "days_late", "days_overdue", "legal_basis")
"""The columns of the batch's ``obligations.csv``, in its order."""

_DATED = ("benefit_started", "benefit_ended", "first_contact", "registered", "group_changed",
          "conversation_held", "no_show")
"""The row types whose ``date`` the fast path reads: a person with one undated goes to the
engine (which reports it)."""

_DAYS = ("date", "start", "end", "documented_start", "birth_date")
"""The fields that hold a day."""

_READ = (*_DATED, "person", "exemption")
"""The row types the fast path reads at all."""

def scan_events(path: str | Path) -> pl.LazyFrame:
    """An event log in JSON Lines (``.jsonl``) or Parquet, with the fields the fast path reads."""
    if str(path).endswith(".parquet"):
        frame = pl.scan_parquet(path)
        have = frame.collect_schema().names()
        return frame.select([pl.col(c) if c in have else pl.lit(None, t).alias(c)
                             for c, t in EVENT_SCHEMA.items()])
    return pl.scan_ndjson(path, schema=EVENT_SCHEMA)


def _normalised(events: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    frame = events.lazy()
    have = frame.collect_schema()
    columns = []
    for name, kind in EVENT_SCHEMA.items():
        if name not in have:
            columns.append(pl.lit(None, kind).alias(name))
        elif kind is pl.Boolean and have[name] != pl.Boolean:
            text = pl.col(name).cast(pl.String).str.to_lowercase()
            columns.append(pl.when(text == "true").then(True).when(text == "false")
                           .then(False).otherwise(None).alias(name))
        elif name in _DAYS:
            columns.append(pl.col(name) if have[name] == pl.Date else pl.col(name)
                           .cast(pl.String).str.to_date("%Y-%m-%d", strict=False))
        else:
            columns.append(pl.col(name).cast(kind))
    return frame.select(columns)


def _persons(events: pl.LazyFrame, as_of: date) -> pl.DataFrame:
    """One row per person: the one benefit start (if any) and what the rules read of it."""
    events = events.drop("start", "end", "documented_start")
    day = pl.col("date")
    kind = pl.col("type")
    known = day <= as_of
    started = (kind == "benefit_started") & known
    courses = [b.value for b in DEFAULT_GROUP]
    by_person = events.group_by("person_id").agg(
        starts=started.sum(),
        start=day.filter(started).min(),
        benefit=pl.col("benefit").filter(started).first(),
        given_group=pl.col("group").filter(started).first(),
        foreign=(started & ~pl.col("benefit").is_in(courses)).any(),
        undated=(day.is_null() & kind.is_in(_DATED)).any(),
        group_changes=(kind == "group_changed").sum(),
        birth_date=pl.col("birth_date").filter(kind == "person").first(),
        education=pl.col("education").filter(kind == "person").first(),
        custody=pl.col("custody").filter(kind == "person").first(),
        good_job_prospects=pl.col("good_job_prospects").filter(kind == "person").first(),
    )
    start = pl.col("start")
    ends = events.filter((kind == "benefit_ended") & known).join(
        by_person.select("person_id", "benefit", "start"), on=["person_id", "benefit"]
    ).group_by("person_id").agg(ends=pl.len(), end=day.min(),
                                ends_early=(day <= start).any())
    courses_known = by_person.join(ends, on="person_id", how="left").with_columns(
        horizon=pl.coalesce(pl.col("end"), pl.lit(as_of)))
    anchors = events.filter(kind.is_in(["first_contact", "registered"]) & known).join(
        courses_known.select("person_id", "start", "horizon"), on="person_id")
    registered = kind == "registered"
    persons = courses_known.join(anchors.group_by("person_id").agg(
        first_contact=day.filter((kind == "first_contact") & (day <= start)).max(),
        registered_before=day.filter(registered & (day <= start)).max(),
        registered_after=day.filter(registered & (day >= start)
                                    & (day <= pl.col("horizon"))).min(),
    ), on="person_id", how="left")
    defaults = {b.value: g.value for b, g in DEFAULT_GROUP.items()}
    simple = (~pl.col("undated") & (pl.col("group_changes") == 0) & (pl.col("starts") <= 1)
              & ~pl.col("foreign") & (pl.col("ends").fill_null(0) <= 1)
              & ~pl.col("ends_early").fill_null(False)
              & (pl.col("benefit").fill_null("") != Benefit.SYGEDAGPENGE.value))
    return persons.with_columns(
        simple=simple,
        group=pl.coalesce(pl.col("given_group"),
                          pl.col("benefit").replace_strict(defaults, default=None)),
        registered=pl.coalesce(pl.col("registered_before"), pl.col("registered_after")),
    ).collect()


def _applying(persons: pl.DataFrame, events: pl.LazyFrame, rule: Rule, as_of: date,
              policy: Policies) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(the persons the fast path gives a row of *rule* if its version is in force, with the
    cheap tests of that already made; every person it handles for *rule*). *events* need only
    hold the exemption and no-show rows."""
    groups = [g.value for g in rule.groups]
    has_course = pl.col("starts") == 1
    left = touched(events, rule, as_of, policy)
    frame = persons.lazy().join(left, on="person_id", how="left").with_columns(
        in_rule=has_course & pl.col("group").is_in(groups).fill_null(False),
        anchor=anchor_of(rule),
        when=holds(rule.when),
        unless=(pl.lit(False) if rule.unless is None or rule.unless.empty
                else holds(rule.unless)),
    )
    in_rule = pl.col("in_rule")
    decidable = (pl.col("when").is_not_null() & pl.col("unless").is_not_null()
                 & pl.col("anchor").is_not_null() & pl.col("touched").is_null())
    frame = frame.with_columns(
        handled=pl.col("simple") & (~in_rule | decidable),
        applies=in_rule & decidable & pl.col("when").fill_null(False)
        & ~pl.col("unless").fill_null(True))
    selector = policy.version_selector or rule.selector
    anchor, start = pl.col("anchor"), pl.col("start")
    possible = anchor <= (rule.valid_to or date.max)
    if selector is VersionSelector.OPENS:
        possible = possible & (anchor >= rule.valid_from)
    if selector is VersionSelector.COURSE_START:
        possible = possible & (start >= rule.valid_from) & (start <= (rule.valid_to or date.max))
    if rule.valid_from > as_of:
        possible = pl.lit(False)
    applying = frame.filter(pl.col("handled") & pl.col("applies") & possible)
    return applying, frame.filter("handled").select("person_id")


def _rows(applying: pl.DataFrame, events: pl.LazyFrame, rule: Rule, as_of: date,
          policy: Policies, due_days: pl.DataFrame, fulfilling: pl.LazyFrame) -> pl.LazyFrame:
    """The rows of *rule* for the persons of :func:`_applying`: in force by the version
    selector, fulfilled by the first of *fulfilling* (the rule's conversations by date) from
    the anchor to the horizon, waived, and judged on *as_of*."""
    selector = policy.version_selector or rule.selector
    valid_to = rule.valid_to or date.max
    anchor, due, start, end = pl.col("anchor"), pl.col("due"), pl.col("start"), pl.col("end")
    day = {VersionSelector.OPENS: anchor, VersionSelector.DUE: due}.get(selector, start)
    by_opens = pl.min_horizontal(pl.lit(as_of), end.fill_null(as_of))
    last = by_opens if selector is VersionSelector.OPENS else pl.lit(as_of)
    in_force = ((pl.lit(rule.valid_from) <= last) & (anchor <= valid_to)
                & (day >= rule.valid_from) & (day <= valid_to))
    if selector is VersionSelector.COURSE_START:
        in_force = in_force & (start >= rule.valid_from) & (start <= valid_to)
    rows = applying.lazy().join(due_days.lazy(), on="anchor").filter(in_force).sort("anchor")
    rows = rows.join_asof(fulfilling, left_on="anchor",
                          right_on="fulfilled_on", by="person_id", strategy="forward",
                          check_sortedness=False)
    fulfilled = pl.col("fulfilled_on")
    rows = rows.with_columns(fulfilled_on=pl.when(fulfilled <= pl.col("horizon"))
                             .then(fulfilled))
    if any(effect is Effect.WAIVE for effect in rule.exemptions.values()):
        rows = rows.join(waived_by(rows, events, rule, as_of), on="person_id", how="left")
    else:
        rows = rows.with_columns(waived=pl.lit(None, pl.Boolean))
    waived = pl.col("waived").fill_null(False) & ~(fulfilled <= due).fill_null(False)
    late = (fulfilled - due).dt.total_days()
    status = (pl.when(fulfilled <= due).then(pl.lit("met"))
              .when(waived).then(pl.lit("waived"))
              .when(fulfilled.is_not_null()).then(pl.lit("met_late"))
              .when(end.is_not_null() & (end <= due)).then(pl.lit("lapsed"))
              .when(pl.lit(as_of) > due).then(pl.lit("overdue"))
              .otherwise(pl.lit("open")))
    return rows.select(
        "person_id", pl.lit(rule.id).alias("rule_id"), pl.lit(1).alias("sequence"), "group",
        anchor.alias("opens"), due, fulfilled, status.alias("status"),
        pl.when((fulfilled > due) & ~waived).then(late).alias("days_late"),
        pl.when(fulfilled.is_null() & ~waived & ~(end.is_not_null() & (end <= due))
                & (pl.lit(as_of) > due))
        .then((pl.col("horizon") - due).dt.total_days()).alias("days_overdue"),
        pl.lit(rule.legal_basis.cite()).alias("legal_basis"),
        pl.lit(rule.valid_from).alias("valid_from"),
    )


def columnar_frames(events: pl.DataFrame | pl.LazyFrame, law: Law, as_of: date,
                    policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
                    only: Iterable[str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The fast path as frames: (obligation rows in :data:`ROW_COLUMNS`, handled pairs as
    ``person_id``, ``rule_id``); *only* limits it to some of the fast rule ids."""
    policy = policies_of(law, policies)
    frame = _normalised(events).filter(pl.col("type").is_in(_READ)).collect().lazy()
    persons = _persons(frame, as_of)
    wanted = None if only is None else frozenset(only)
    versions = [r for r in fast_rules(law, policy) if wanted is None or r.id in wanted]
    cache: dict[tuple[Any, ...], dict[date, date]] = {}
    held = frame.filter((pl.col("type") == "conversation_held") & (pl.col("date") <= as_of)
                        ).select("person_id", "date", "kind", "form", "held_by").collect()
    fulfilling: dict[Fulfilment, pl.LazyFrame] = {}
    facts = frame.filter(pl.col("type").is_in(("exemption", "no_show"))).collect().lazy()
    handled: dict[str, list[pl.LazyFrame]] = {}
    plans = []
    for rule in versions:
        applying, persons_handled = _applying(persons, facts, rule, as_of, policy)
        plans.append(applying)
        handled.setdefault(rule.id, []).append(persons_handled)
    rows: list[pl.LazyFrame] = []
    for rule, applying_now in zip(versions, pl.collect_all(plans), strict=True):
        spec = rule.fulfilled_by
        if spec not in fulfilling:
            fulfilling[spec] = candidates(held.lazy(), rule).collect().lazy()
        days = applying_now.get_column("anchor").to_list()
        rows.append(_rows(applying_now, facts, rule, as_of, policy, dues(rule, days, cache),
                          fulfilling[spec]))
    pairs: list[pl.LazyFrame] = []
    for rule_id, each in handled.items():
        both = each[0]
        for more in each[1:]:
            both = both.join(more, on="person_id", how="semi")
        pairs.append(both.with_columns(rule_id=pl.lit(rule_id)))
    if not rows:
        return (pl.DataFrame(schema=dict.fromkeys(ROW_COLUMNS, pl.String)),
                pl.DataFrame(schema={"person_id": pl.String, "rule_id": pl.String}))
    handled_pairs = pl.concat(pairs)
    merged = pl.concat(rows).join(handled_pairs, on=["person_id", "rule_id"], how="semi")
    merged = merged.sort("person_id", "due", "opens", "rule_id", "sequence", "valid_from",
                         maintain_order=True).select(ROW_COLUMNS)
    found_rows, found_pairs = pl.collect_all([merged, handled_pairs])
    return found_rows, found_pairs


def evaluate_columnar(events: pl.DataFrame | pl.LazyFrame, law: Law, as_of: date,
                      policies: Policies | Mapping[str, str] | Iterable[str] | None = None
                      ) -> tuple[pl.DataFrame, set[tuple[str, str]]]:
    """The obligation rows of the fast (person, rule id) pairs of a caseload on *as_of*, in the
    engine's order per person (due, opens, rule id, sequence), and the set of those pairs."""
    rows, pairs = columnar_frames(events, law, as_of, policies)
    return rows, set(zip(pairs.get_column("person_id").to_list(),
                         pairs.get_column("rule_id").to_list(), strict=True))
