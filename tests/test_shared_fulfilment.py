"""Rules met by the same events share one fulfilment spec in the pack, so an evaluation works
out their candidates once; a rule outside the pack keeps its own."""

from __future__ import annotations

import attrs

from lab_rules.law import bundled_law


def test_equal_fulfilment_specs_map_to_one_object() -> None:
    pack = bundled_law().rules
    rules = pack.rules
    shared = {id(pack.fulfilment_of[id(r.fulfilled_by)]) for r in rules}
    assert len(shared) == len({r.fulfilled_by for r in rules}) < len(rules)
    for rule in rules:
        assert pack.fulfilment_of[id(rule.fulfilled_by)] == rule.fulfilled_by


def test_a_changed_pack_maps_its_own_specs() -> None:
    pack = bundled_law().rules
    changed = attrs.evolve(pack, modules=pack.modules[1:])
    assert set(changed.fulfilment_of) == {id(r.fulfilled_by) for r in changed.rules}
