"""The batch writes each obligation's legal basis as its citation, worked out once per legal
basis object it meets: whatever bases come, in whatever order, and however many, the text is
the basis's own citation."""

from __future__ import annotations

import random

import pytest

from lab_rules.law.model import LegalBasis
from lab_rules.loops import batch_person
from lab_rules.loops.batch_person import _cited


def _basis(chance: random.Random) -> LegalBasis:
    return LegalBasis(chance.choice(["LAB lbk 701/2022", "LAS lbk 1146/2024"]),
                      chance.choice(["", "31", "13 f"]), "https://example.org",
                      stk=chance.choice([None, "3"]), nr=chance.choice([None, "2"]),
                      pkt=chance.choice([None, "1"]))


@pytest.mark.parametrize("kept", [2, 4096])
def test_every_basis_is_cited_as_itself(monkeypatch: pytest.MonkeyPatch, kept: int) -> None:
    monkeypatch.setattr(batch_person, "_CITED", {})
    monkeypatch.setattr(batch_person, "_CITED_KEPT", kept)
    chance = random.Random(kept)
    bases = [_basis(chance) for _ in range(30)]
    for _ in range(300):
        basis = chance.choice(bases) if chance.random() < 0.7 else _basis(chance)
        assert _cited(basis) == basis.cite()
    assert len(batch_person._CITED) <= max(kept, 1)
