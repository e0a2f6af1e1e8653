"""The batch writes each obligation's legal basis as its citation, worked out once per legal
basis object it meets (:func:`lab_rules.law.params.kept`, whose bound
``tests/test_kept_answers.py`` pins): whatever bases come, in whatever order, and however many,
the text is the basis's own citation."""

from __future__ import annotations

import random

import pytest

from lab_rules.law.model import LegalBasis
from lab_rules.loops.batch_person import _cited


def _basis(chance: random.Random) -> LegalBasis:
    return LegalBasis(chance.choice(["LAB lbk 701/2022", "LAS lbk 1146/2024"]),
                      chance.choice(["", "31", "13 f"]), "https://example.org",
                      stk=chance.choice([None, "3"]), nr=chance.choice([None, "2"]),
                      pkt=chance.choice([None, "1"]))


@pytest.mark.parametrize("seed", [2, 4096])
def test_every_basis_is_cited_as_itself(seed: int) -> None:
    chance = random.Random(seed)
    bases = [_basis(chance) for _ in range(30)]
    for _ in range(300):
        basis = chance.choice(bases) if chance.random() < 0.7 else _basis(chance)
        assert _cited(basis) == basis.cite()
