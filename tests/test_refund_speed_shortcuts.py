"""The money stages' shortcuts for a person on one plain benefit give what the general paths
give.

:meth:`Facts.paid_of` hands out all of the paid intervals, or none, when the asked set names
every benefit the person was paid or none of them; :func:`count_weeks` takes the intervals of
benefits on no list of other support and in no old-case entry as they are, without sorting
them out one by one. These properties pin both against the general readings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.facts import Facts, facts_of
from lab_rules.facts.paid import Interval
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.inputs.timeline import Person, Timeline
from lab_rules.law.policies import StaircaseRestart
from lab_rules.law.refund import bundled_staircase
from lab_rules.refund.law_index import staircase_index
from lab_rules.refund.week_count import _plain_weeks, _sorted_out, count_weeks

_STAIRCASE = bundled_staircase()
_PLAIN = sorted(staircase_index(_STAIRCASE).plain, key=lambda b: b.value)
_AS_OF = date(2024, 6, 30)


def _intervals(benefits: list[Benefit]) -> st.SearchStrategy[list[Interval]]:
    one = st.builds(
        lambda benefit, start, length, amount: Interval(
            benefit, date(2013, 1, 1) + timedelta(days=start),
            date(2013, 1, 1) + timedelta(days=start + length),
            None if amount is None else Decimal(amount) / (length + 1)),
        st.sampled_from(benefits), st.integers(0, 4000), st.integers(0, 60),
        st.none() | st.integers(0, 40_000))
    return st.lists(one, max_size=30)


def _facts(paid: list[Interval]) -> Facts:
    found = facts_of(Timeline.of(Person("shortcut"), []), _AS_OF)
    return Facts(found.timeline, found.as_of, found.courses, tuple(paid), found.exemptions)


@settings(max_examples=300, deadline=None)
@given(_intervals(sorted(Benefit, key=lambda b: b.value)),
       st.sets(st.sampled_from(sorted(Benefit, key=lambda b: b.value))))
def test_paid_of_is_the_paid_intervals_of_the_asked_benefits_in_order(
        paid: list[Interval], asked: set[Benefit]) -> None:
    facts = _facts(paid)
    benefits = frozenset(asked)
    assert facts.paid_of(benefits) == [i for i in paid if i.benefit in benefits]
    assert facts.paid_of(frozenset(i.benefit for i in paid)) == paid
    assert facts.paid_of(frozenset(Benefit) - {i.benefit for i in paid}) == []


@settings(max_examples=300, deadline=None)
@given(_intervals(_PLAIN))
def test_plain_benefits_are_all_on_the_staircase_as_sorting_them_out_finds(
        paid: list[Interval]) -> None:
    counted_from = _STAIRCASE.count_from.toordinal()
    on_stairs, off_stairs, supports, notes, weeks = _sorted_out(
        paid, _facts(paid), _STAIRCASE, counted_from)
    assert (on_stairs, off_stairs, supports, notes, weeks) == (
        paid, [], [], [], _plain_weeks(paid, counted_from))


def test_the_plain_benefits_leave_out_the_old_cases_and_other_support() -> None:
    index = staircase_index(_STAIRCASE)
    assert index.plain
    assert index.plain <= index.covered
    assert index.plain.isdisjoint(index.old_benefits)
    assert index.plain.isdisjoint(index.support)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_week_count_notes_are_each_note_once_in_order(seed: int) -> None:
    """count_weeks compares only the old cases' notes: the staircase's notes and the restart
    note cannot equal another note, so the notes are what deduplicating all of them gives."""
    timeline, as_of = synthetic_timeline(random.Random(seed), seed, years=4)
    facts = facts_of(timeline, as_of)
    for reading in StaircaseRestart:
        notes = count_weeks(facts, _STAIRCASE, reading).notes
        index_notes = staircase_index(_STAIRCASE).notes
        assert notes[:len(index_notes)] == index_notes
        added = notes[len(index_notes):]
        assert not any(a == n for a in added for n in index_notes)
        assert notes == tuple(dict.fromkeys(notes))
