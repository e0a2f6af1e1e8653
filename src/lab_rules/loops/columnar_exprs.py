"""A fast rule compiled to polars expressions: its anchor, its conditions, its due dates, the
conversations that fulfil it, and the persons whose exemptions or no-shows it leaves to the
engine (:mod:`lab_rules.loops.columnar`, which runs them over a caseload)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import polars as pl

from lab_rules.facts.clocks import Course, CourseClock
from lab_rules.law.model import Anchor, Clock, Conditions, Effect, Rule
from lab_rules.law.policies import NoShowPolicy, Policies

__all__ = ["anchor_of", "candidates", "dues", "exempt", "holds", "touched", "waived_by"]

_CONVERSATION_DEFAULTS = {"form": "personligt", "held_by": "jobcenter"}
"""What a ``conversation_held`` row without ``form`` or ``held_by`` means (the event's
defaults)."""


def _month_day(day: pl.Expr) -> pl.Expr:
    """(month, day) as one comparable number (the date's parts are 8-bit in polars)."""
    return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)


def holds(conditions: Conditions) -> pl.Expr:
    """``evaluate._holds`` on the course start: True, False, or null when a fact is unknown."""
    checks: list[pl.Expr] = []
    start, born = pl.col("start"), pl.col("birth_date")
    if conditions.age_min is not None or conditions.age_max is not None:
        before = _month_day(start) < _month_day(born)
        age = start.dt.year() - born.dt.year() - before.cast(pl.Int32)
        check = pl.lit(True)
        if conditions.age_min is not None:
            check = check & (age >= conditions.age_min)
        if conditions.age_max is not None:
            check = check & (age <= conditions.age_max)
        checks.append(check)
    for name in ("education", "custody", "good_job_prospects"):
        wanted = getattr(conditions, name)
        if wanted is not None:
            checks.append(pl.col(name) == wanted)
    if not checks:
        return pl.lit(True)
    any_false = pl.any_horizontal([c.fill_null(True).not_() for c in checks])
    any_null = pl.any_horizontal([c.is_null() for c in checks])
    return pl.when(any_false).then(False).when(any_null).then(None).otherwise(True)


_NO_COURSE = Course(None, date.min, None, (), ())
"""A course for the contiguous clock, which reads only the anchor and the calendar."""


def dues(rule: Rule, anchors: Iterable[date], cache: dict[tuple[Any, ...], dict[date, date]]
         ) -> pl.DataFrame:
    """The engine's due date for each of *anchors* (its contiguous clock, worked out once per
    anchor day and duration in a run)."""
    duration = rule.duration
    assert duration is not None
    key = (duration.years, duration.months, duration.days, duration.in_weeks, rule.reading,
           rule.rounding, rule.roll)
    known = cache.setdefault(key, {})
    days = sorted(set(anchors))
    clock = CourseClock(_NO_COURSE, Clock.CONTIGUOUS)
    for anchor in days:
        if anchor not in known:
            day = clock.point(anchor, duration, rule.reading, rule.rounding, rule.roll).day
            assert day is not None
            known[anchor] = day
    return pl.DataFrame({"anchor": days, "due": [known[d] for d in days]},
                        schema={"anchor": pl.Date, "due": pl.Date})


def anchor_of(rule: Rule) -> pl.Expr:
    if rule.anchor is Anchor.FIRST_CONTACT:
        return pl.coalesce(pl.col("first_contact"), pl.col("start"))
    if rule.anchor is Anchor.REGISTERED:
        return pl.col("registered")
    return pl.col("start")


def candidates(held: pl.LazyFrame, rule: Rule) -> pl.LazyFrame:
    """The conversations held (by ``as_of``) that fulfil *rule*, by date."""
    spec = rule.fulfilled_by
    held = held.filter(pl.col("kind").is_in([k.value for k in spec.kinds]))
    for name, allowed in (("held_by", spec.held_by), ("form", spec.forms)):
        if allowed:
            value = pl.col(name).fill_null(_CONVERSATION_DEFAULTS[name])
            held = held.filter(value.is_in([a.value for a in allowed]))
    return held.select("person_id", pl.col("date").alias("fulfilled_on")).sort("fulfilled_on")


def exempt(events: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """The exemptions known on *as_of*, as the engine keeps them."""
    return events.filter((pl.col("type") == "exemption")
                         & (pl.col("start").is_null() | (pl.col("start") <= as_of)))


def touched(events: pl.LazyFrame, rule: Rule, as_of: date, policy: Policies
             ) -> pl.LazyFrame:
    """Persons the fast path leaves to the engine for *rule*: an exemption the rule extends
    by, or one that waives but is undated or has a documented start (LAB § 106's period,
    :mod:`lab_rules.facts.exemptions`); under any no-show policy but ``late_until_held``, a
    no-show of a kind the rule counts (under ``late_until_held`` a no-show changes no column
    of the row, only the words of its explanation)."""
    waive = [r.value for r, effect in rule.exemptions.items() if effect is Effect.WAIVE]
    other = [r.value for r, effect in rule.exemptions.items()
             if effect is not Effect.WAIVE and effect is not Effect.NONE]
    reason = pl.col("reason")
    hit = reason.is_in(other) | (reason.is_in(waive) & (
        pl.col("start").is_null() | pl.col("documented_start").is_not_null()))
    found = exempt(events, as_of).filter(hit).select("person_id")
    if policy.no_show is not NoShowPolicy.LATE_UNTIL_HELD:
        kinds = [k.value for k in rule.fulfilled_by.kinds]
        found = pl.concat([found, events.filter(
            (pl.col("type") == "no_show") & pl.col("kind").is_in(kinds)).select("person_id")])
    return found.unique().with_columns(touched=pl.lit(True))


def waived_by(rows: pl.LazyFrame, events: pl.LazyFrame, rule: Rule, as_of: date
            ) -> pl.LazyFrame:
    """The persons whose due date lies in an exemption the rule waives on (§ 4 of the
    semantics: ``apply_exemptions``)."""
    waive = [r.value for r, effect in rule.exemptions.items() if effect is Effect.WAIVE]
    exemptions = exempt(events, as_of).filter(pl.col("reason").is_in(waive)).select(
        "person_id", pl.col("start").alias("ex_start"), pl.col("end").alias("ex_end"))
    due = pl.col("due")
    return (rows.select("person_id", "due").join(exemptions, on="person_id")
            .filter((pl.col("ex_start") <= due)
                    & (pl.col("ex_end").is_null() | (due <= pl.col("ex_end"))))
            .select("person_id").unique().with_columns(waived=pl.lit(True)))
