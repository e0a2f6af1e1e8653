"""Forms a conversation may take only every other time (``fulfilled_by.alternate_forms``):
the rule files that use them are checked, and two phone follow-ups in a row leave the second
without effect (the worked cases F-1 and F-2 in ``tests/cases/contact_course``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_rules.core.vocabulary import Form
from lab_rules.law import bundled_pack
from lab_rules.law.loader import RuleError, load_pack

MODULE = Path(__file__).parents[1] / "rules" / "dk" / "sygedagpenge" / "2008.toml"
RULE = "dk.sygedagpenge.2008.category_2_every_four_weeks"


def _problems(tmp_path: Path, old: str, new: str) -> list[tuple[str, str]]:
    text = MODULE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_pack(path)
    return [(p.path, p.message) for p in caught.value.problems]


def test_the_2008_category_2_follow_up_may_be_by_phone_every_other_time() -> None:
    rule = next(r for r in bundled_pack().rules if r.id == RULE)
    assert rule.fulfilled_by.alternate_forms == frozenset({Form.TELEFON})
    assert "Hver 2. samtale kan ske telefonisk" in rule.form_basis


def test_alternate_forms_need_their_basis(tmp_path: Path) -> None:
    start = MODULE.read_text(encoding="utf-8").index('form_basis = "Rødovre')
    line = MODULE.read_text(encoding="utf-8")[start:].split("\n", 1)[0] + "\n"
    problems = _problems(tmp_path, line, "")
    assert any('missing "form_basis"' in message for _, message in problems)


@pytest.mark.parametrize("forms", ['["telefon"]', '["personligt"]'])
def test_alternate_forms_must_be_some_but_not_all_of_the_forms(tmp_path: Path,
                                                               forms: str) -> None:
    problems = _problems(tmp_path, 'forms = ["personligt", "telefon"]', f"forms = {forms}")
    assert any(path.endswith("fulfilled_by.alternate_forms") and "some, not all" in message
               for path, message in problems)


def test_alternate_forms_on_a_first_within_rule_are_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'shape = "first_within"\nduration = "P8W"\n'
                                   'fulfilled_by = { kinds = ["opfoelgningssamtale"] }',
                         'shape = "first_within"\nduration = "P8W"\nform_basis = "x"\n'
                         'fulfilled_by = { kinds = ["opfoelgningssamtale"], '
                         'alternate_forms = ["telefon"] }')
    assert any("first_within" in message for _, message in problems)
