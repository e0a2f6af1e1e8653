"""Answers kept per law object (``lab_rules.law.params.kept`` and ``kept_together``): worked
out once per owner's identity, never handed to another object that merely looks the same, and
bounded."""

from __future__ import annotations

from lab_rules.law.params import kept, kept_together


def test_an_answer_is_worked_out_once_per_owner() -> None:
    calls: list[tuple[str, ...]] = []

    def build(owner: tuple[str, ...]) -> int:
        calls.append(owner)
        return len(owner)

    of = kept(build)
    owner = ("a", "b")
    assert of(owner) == of(owner) == 2
    assert calls == [owner]


def test_answers_of_several_owners_are_kept_per_combination_of_identities() -> None:
    calls: list[tuple[object, ...]] = []

    def build(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
        calls.append((first, second))
        return (*first, *second)

    of = kept_together(build)
    one, two = ("a",), ("b",)
    assert of(one, two) == ("a", "b")
    assert of(one, two) == ("a", "b")
    assert of(two, one) == ("b", "a")
    assert len(calls) == 2
    look_alike = tuple(["a"])
    assert look_alike == one
    assert look_alike is not one
    assert of(look_alike, two) == ("a", "b")
    assert len(calls) == 3


def test_kept_answers_are_bounded_and_still_right_after_clearing() -> None:
    of = kept_together(lambda a, b: (a, b), limit=3)
    owners = [(str(n),) for n in range(10)]
    for first in owners:
        assert of(first, owners[0]) == (first, owners[0])
    assert of(owners[2], owners[0]) == (owners[2], owners[0])
