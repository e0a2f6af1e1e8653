"""The form of a conversation: forms allowed only every other time
(``fulfilled_by.alternate_forms``; cases F-1, F-2) and recorded exceptions to a required form
(``conversation_held.form_exception`` with ``form_exceptions``/``excepted_forms``; cases F-3,
F-4). The rule files that use them are checked, and exceptions are read from event logs."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import CASES, load_changed
from lab_rules import evaluate
from lab_rules.core.vocabulary import Form, FormException
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.events import ConversationHeld
from lab_rules.inputs.timeline_json import parse_timeline
from lab_rules.law import bundled_law, bundled_pack
from lab_rules.loops.columnar_rules import why_not

MODULE = Path(__file__).parents[1] / "rules" / "dk" / "sygedagpenge" / "2008.toml"
RULE = "dk.sygedagpenge.2008.category_2_every_four_weeks"


def _problems(tmp_path: Path, old: str, new: str) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in load_changed(MODULE, tmp_path, old, new).problems]


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


def _f4_rows() -> list[dict[str, object]]:
    case = json.loads((CASES / "contact_course" / "F-4-sick-2025-phone-with-exception.json")
                      .read_text(encoding="utf-8"))
    return [{"person_id": "F-4", **event} for event in case["timeline"]["events"]]


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_a_recorded_form_exception_is_read_from_an_event_log(tmp_path: Path,
                                                              suffix: str) -> None:
    rows = _f4_rows()
    path = tmp_path / f"log.{suffix}"
    if suffix == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        keys = sorted({k for r in rows for k in r})
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, keys)
            writer.writeheader()
            writer.writerows(rows)
    (person,) = read_persons(path)
    assert person.document is not None, person.problems
    timeline = parse_timeline(person.document, source=path.name)
    held = [e for e in timeline.of_type(ConversationHeld) if e.form_exception is not None]
    assert [(str(e.date), e.form_exception) for e in held] == [
        ("2025-04-14", FormException.DELVIST_GENOPTAGET),
        ("2025-06-02", FormException.DELVIST_GENOPTAGET),
        ("2025-08-01", FormException.DELVIST_GENOPTAGET)]
    first = next(o for o in evaluate(timeline, as_of=date(2025, 10, 1)).obligations
                 if o.rule.id == "dk.sygedagpenge.2025.first_followup")
    assert str(first.fulfilled_on) == "2025-04-14"


def test_rules_with_form_exceptions_leave_the_columnar_fast_path() -> None:
    law = bundled_law()
    rule = next(r for r in law.rules.rules if r.id == "dk.sygedagpenge.2025.first_followup")
    assert "exceptions to the form" in (why_not(rule, law) or "")
