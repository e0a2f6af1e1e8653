"""The rule versions in force for a course, remembered by where its days fall among the
versions' first and last days, are those a check of every version gives, for any days
(:mod:`lab_rules.evaluation.versions`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.evaluation.versions import _in_force, _Versions
from lab_rules.law import bundled_law
from lab_rules.law.policies import VersionSelector

_PACK = bundled_law().rules
_GROUPS = sorted(_PACK.by_group, key=lambda g: g.value)
_DAYS = st.dates(date(2005, 1, 1), date(2030, 12, 31))
_EDGES = sorted({d for rules in _PACK.by_group.values() for r in rules
                 for d in (r.valid_from, r.valid_to) if d is not None})
_NEAR_EDGES = st.builds(lambda edge, shift: edge + timedelta(days=shift),
                        st.sampled_from(_EDGES), st.integers(-1, 1))


@settings(max_examples=400, deadline=None)
@given(group=st.sampled_from(_GROUPS), earliest=_DAYS | _NEAR_EDGES,
       by_opens=_DAYS | _NEAR_EDGES, as_of=_DAYS | _NEAR_EDGES,
       chosen=st.none() | st.sampled_from(list(VersionSelector)))
def test_the_remembered_choice_is_the_checked_one(group: object, earliest: date,
                                                  by_opens: date, as_of: date,
                                                  chosen: VersionSelector | None) -> None:
    rules = _PACK.by_group[group]  # type: ignore[index]
    versions = _Versions.of(rules)
    expected = _in_force(rules, earliest, by_opens, as_of, chosen)
    assert list(versions.pick(earliest, by_opens, as_of, chosen)) == expected
    assert list(_Versions.of(rules).pick(earliest, by_opens, as_of, chosen)) == expected


def test_the_choice_changes_where_a_version_begins() -> None:
    rules = next(r for r in _PACK.by_group.values() if len({v.valid_from for v in r}) > 2)
    first = sorted({r.valid_from for r in rules})[1]
    before = _Versions.of(rules).pick(date(2000, 1, 1), first - timedelta(days=1),
                                      first - timedelta(days=1), None)
    on = _Versions.of(rules).pick(date(2000, 1, 1), first, first, None)
    assert {id(r) for r in on} - {id(r) for r in before} == {
        id(r) for r in rules if r.valid_from == first}
