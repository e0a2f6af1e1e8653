"""timeline/v1: parsing, every located problem, masking, round trips, canonical order."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_rules.core.errors import TimelineError
from lab_rules.core.vocabulary import Benefit, ConversationKind, ExemptionReason, Form, Holder
from lab_rules.inputs.timeline import (
    BenefitStarted,
    ConversationHeld,
    Exemption,
    FirstContact,
    Payment,
    Person,
    Timeline,
)
from lab_rules.inputs.timeline_json import (
    dumps_timeline,
    load_timeline,
    loads_timeline,
    parse_timeline,
    timeline_to_json,
)

GOOD: dict[str, Any] = {
    "schema": "lab-rules/timeline/v1",
    "person": {"id": "P-1", "birth_date": "1987-11-02"},
    "events": [
        {"type": "first_contact", "date": "2024-03-04"},
        {"type": "benefit_started", "date": "2024-03-04", "benefit": "kontanthjaelp",
         "group": "jobparat_kontanthjaelp"},
        {"type": "conversation_held", "date": "2024-03-08", "kind": "jobsamtale",
         "form": "telefon", "held_by": "jobcenter"},
        {"type": "exemption", "start": "2024-04-01", "reason": "sygdom"},
        {"type": "payment", "benefit": "kontanthjaelp", "start": "2024-03-04",
         "end": "2024-03-31", "amount": "11354.84"},
    ],
}


def _problems(document: object) -> list[str]:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(document, source="case.json")
    return [str(p) for p in caught.value.problems]


def _with_event(event: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(GOOD)
    document["events"].append(event)
    return document


def test_valid_document_parses_into_typed_events() -> None:
    timeline = parse_timeline(GOOD)
    assert timeline.person == Person("P-1", birth_date=date(1987, 11, 2))
    assert timeline.events[0] == FirstContact(date(2024, 3, 4))
    conversation = timeline.of_type(ConversationHeld)[0]
    assert (conversation.kind, conversation.form, conversation.held_by) == (
        ConversationKind.JOBSAMTALE, Form.TELEFON, Holder.JOBCENTER)
    assert timeline.of_type(Exemption)[0].end is None
    assert timeline.of_type(Payment)[0].amount == Decimal("11354.84")


def test_invalid_date_is_located_by_json_pointer() -> None:
    document = _with_event({"type": "first_contact", "date": "2024-02-30"})
    assert _problems(document) == [
        'case.json: /events/5/date: "2024-02-30" is not a valid date (expected YYYY-MM-DD)'
    ]


def test_every_problem_is_reported_at_once() -> None:
    document = copy.deepcopy(GOOD)
    document["schema"] = "lab-rules/timeline/v0"
    document["person"]["colour"] = "blue"
    document["events"][0]["date"] = "04-03-2024"
    document["events"][1]["benefit"] = "kontanthjalp"
    document["events"][2]["kind"] = 7
    document["events"].append({"type": "teleport", "date": "2024-01-01"})
    problems = _problems(document)
    assert len(problems) == 6
    assert problems[0].startswith("case.json: /schema:")
    assert problems[1] == "case.json: /person/colour: unknown key"
    assert "/events/0/date" in problems[2]
    assert "/events/1/benefit" in problems[3]
    assert "kontanthjaelp" in problems[3]
    assert "/events/2/kind" in problems[4]
    assert "/events/5/type" in problems[5]
    assert "teleport" in problems[5]


def test_misspelt_key_gets_a_suggestion() -> None:
    document = _with_event({"type": "conversation_held", "date": "2024-03-08",
                            "kind": "jobsamtale", "helt_by": "jobcenter"})
    assert _problems(document) == [
        'case.json: /events/5/helt_by: unknown key (did you mean "held_by"?)'
    ]


def test_missing_required_key_is_named() -> None:
    document = _with_event({"type": "benefit_started", "date": "2024-05-01"})
    assert _problems(document) == ['case.json: /events/5: missing required key "benefit"']


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ({"type": "exemption", "start": "2024-05-01", "end": "2024-04-01", "reason": "barsel"},
         "/events/5/end: 2024-04-01 is before start 2024-05-01"),
        ({"type": "summons_sent", "date": "2024-05-01", "meeting_date": "2024-04-01",
          "kind": "jobsamtale"}, "/events/5/meeting_date"),
        ({"type": "sickness_reported", "date": "2024-05-01", "first_absence_day": "2024-05-02"},
         "/events/5/first_absence_day"),
        ({"type": "sickness_reported", "date": "2024-05-01", "first_absence_day": "2024-04-02",
          "category": 4}, "/events/5/category: 4 is not a visitation category"),
        ({"type": "payment", "benefit": "kontanthjaelp", "start": "2024-05-01",
          "end": "2024-05-31", "amount": "-5"}, "/events/5/amount: -5 must not be negative"),
        ({"type": "payment", "benefit": "kontanthjaelp", "start": "2024-05-01",
          "end": "2024-05-31", "amount": "12.000,00"}, "/events/5/amount"),
        ({"type": "benefit_ended", "date": "2024-05-01", "benefit": "dagpenge"},
         "/events/5: benefit_ended for dagpenge on 2024-05-01, but no benefit_started"),
        ({"type": "benefit_started", "date": "2024-05-01", "benefit": "kontanthjaelp"},
         "but it already runs since /events/1"),
        ({"type": "offer_started", "date": "2024-05-01", "offer": "loentilskud",
          "offered_on": "2024-05-02"}, "/events/5/offered_on"),
        ({"type": "sickness_reported", "date": "2024-05-01", "first_absence_day": "2024-04-02",
          "employed": "yes"}, '/events/5/employed: "yes" must be true or false'),
        ({"type": "no_show", "date": "2024-05-01", "kind": "jobsamtale", "ref": ""},
         "/events/5/ref"),
        ("just text", "/events/5: an event must be an object"),
        ({"date": "2024-05-01"}, "/events/5/type: unknown event type missing"),
    ],
)
def test_semantic_problem_is_located(event: Any, fragment: str) -> None:
    problems = _problems(_with_event(event))
    assert len(problems) == 1
    assert fragment in problems[0]


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "a timeline must be a JSON object"),
        ({"schema": "lab-rules/timeline/v1", "events": []}, 'missing required key "person"'),
        ({"schema": "lab-rules/timeline/v1", "person": {"id": "x"}},
         'missing required key "events"'),
        ({"schema": "lab-rules/timeline/v1", "person": {"id": "x"}, "events": {}},
         "/events: must be an array"),
        ({"schema": "lab-rules/timeline/v1", "person": "x", "events": []},
         "/person: must be an object"),
        ({"person": {"id": "x"}, "events": []},
         '/schema: must be "lab-rules/timeline/v2" (or "lab-rules/timeline/v1"), got missing'),
    ],
)
def test_document_level_problems(document: object, fragment: str) -> None:
    problems = _problems(document)
    assert any(fragment in p for p in problems), problems


def test_json_syntax_error_has_a_line_number() -> None:
    with pytest.raises(TimelineError) as caught:
        loads_timeline('{\n  "schema": "lab-rules/timeline/v1",\n  "person": }', source="x.json")
    assert str(caught.value.problems[0]).startswith("x.json:3: invalid JSON")


_GOOD_TEXT = json.dumps(GOOD)
_FIRST_EVENT = '{"type": "first_contact", "date": "2024-03-04"}'
_A_PAYMENT = '"amount": "11354.84"'
_PERSON = '"person": {"id": "P-1", "birth_date": "1987-11-02"}'


@pytest.mark.parametrize(("edit", "where", "says"), [
    ((_FIRST_EVENT, _FIRST_EVENT[:-1] + ', "date": "2024-03-21"}'), "/events/0/date",
     'the key "date" is given twice in one object'),
    ((_FIRST_EVENT, _FIRST_EVENT[:-1] + ', "date": "2024-03-04"}'), "/events/0/date",
     'the key "date" is given twice'),
    ((_PERSON, _PERSON + ', "person": {"id": "P-2"}'), "/person",
     'the key "person" is given twice'),
    ((_PERSON, _PERSON[:-1] + ', "id": "P-2"}'), "/person/id", 'the key "id" is given twice'),
    ((_A_PAYMENT, '"amount": NaN'), "/events/4/amount", "NaN is not a JSON number"),
    ((_A_PAYMENT, '"amount": Infinity'), "/events/4/amount", "Infinity is not a JSON number"),
    ((_A_PAYMENT, '"amount": -Infinity'), "/events/4/amount", "-Infinity is not a JSON number"),
])
def test_what_python_reads_but_json_does_not_allow_is_located(
        edit: tuple[str, str], where: str, says: str) -> None:
    """A key given twice (Python keeps the last) and a bare NaN or infinity (Python reads a
    float) are refused with the JSON Pointer of the member or value."""
    text = _GOOD_TEXT.replace(*edit)
    assert text != _GOOD_TEXT
    with pytest.raises(TimelineError) as caught:
        loads_timeline(text, source="case.json")
    assert str(caught.value.problems[0]).startswith(
        f"case.json: {where}: {says}")


def test_every_repeated_key_of_a_file_is_listed() -> None:
    text = (_GOOD_TEXT.replace(_FIRST_EVENT, _FIRST_EVENT[:-1] + ', "date": "2024-03-21"}')
            .replace(_A_PAYMENT, _A_PAYMENT + ', "amount": NaN, "amount": "1"'))
    with pytest.raises(TimelineError) as caught:
        loads_timeline(text.encode(), source="case.json")
    assert [p.path for p in caught.value.problems] == [
        "/events/0/date", "/events/4/amount", "/events/4/amount", "/events/4/amount"]


def test_cpr_numbers_are_masked_in_every_message() -> None:
    document = copy.deepcopy(GOOD)
    document["person"]["cpr"] = "3213901234"  # month 13: invalid, echoed in the message
    document["events"][0]["ref"] = 12
    document["events"].append({"type": "no_show", "date": "2024-05-01", "kind": "0101901234"})
    with pytest.raises(TimelineError) as caught:
        parse_timeline(document, source="010190-1234.json")
    text = str(caught.value) + "".join(str(p) for p in caught.value.problems)
    assert "1234" not in text
    assert "321390-****" in text
    assert "010190-****" in text


def test_person_repr_masks_the_cpr() -> None:
    person = Person("P-1", cpr="010190-1234")
    assert "1234" not in repr(person)
    assert "010190-****" in repr(person)


def test_decimal_amounts_stay_exact() -> None:
    text = json.dumps(GOOD).replace('"11354.84"', "11354.84")
    timeline = loads_timeline(text)
    assert timeline.of_type(Payment)[0].amount == Decimal("11354.84")


def test_round_trip_gives_an_equal_timeline() -> None:
    timeline = parse_timeline(GOOD)
    assert loads_timeline(dumps_timeline(timeline)) == timeline
    document = timeline_to_json(timeline)
    assert timeline_to_json(parse_timeline(document)) == document


def test_examples_round_trip(example_files: list[Path]) -> None:
    for path in example_files:
        timeline = load_timeline(path)
        assert loads_timeline(dumps_timeline(timeline)) == timeline


def test_same_day_events_sort_benefit_start_before_conversation() -> None:
    document = copy.deepcopy(GOOD)
    document["events"].reverse()
    timeline = parse_timeline(document)
    assert isinstance(timeline.events[0], FirstContact)
    assert isinstance(timeline.events[1], BenefitStarted)


@settings(max_examples=50)
@given(st.permutations(range(len(GOOD["events"]))))
def test_input_order_does_not_change_the_timeline(order: list[int]) -> None:
    document = copy.deepcopy(GOOD)
    document["events"] = [GOOD["events"][i] for i in order]
    assert parse_timeline(document) == parse_timeline(GOOD)


def test_until_drops_later_events() -> None:
    timeline = parse_timeline(GOOD)
    assert [e.on for e in timeline.until(date(2024, 3, 4))] == [date(2024, 3, 4)] * 3
    assert timeline.last_day == date(2024, 4, 1)


def test_timeline_of_builds_canonical_order() -> None:
    person = Person("P-2")
    a = FirstContact(date(2024, 1, 2))
    b = BenefitStarted(date(2024, 1, 1), Benefit.KONTANTHJAELP)
    c = Exemption(date(2024, 1, 1), ExemptionReason.FERIE, date(2024, 1, 5))
    assert Timeline.of(person, [a, c, b]).events == (b, c, a)
    assert c.covers(date(2024, 1, 5))
    assert not c.covers(date(2024, 1, 6))


def test_age_on() -> None:
    person = Person("P-3", birth_date=date(1994, 10, 14))
    assert person.age_on(date(2024, 10, 13)) == 29
    assert person.age_on(date(2024, 10, 14)) == 30
    assert Person("P-4").age_on(date(2024, 1, 1)) is None


def _payment(**fields: Any) -> dict[str, Any]:
    return {"type": "payment", "benefit": "kontanthjaelp", "start": "2024-05-01",
            "end": "2024-05-31", **fields}


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ({"type": "first_contact", "date": "0001-01-01"},
         '/events/5/date: "0001-01-01" is outside the supported range 1990-01-01 to 2100-12-31'),
        ({"type": "first_contact", "date": "1989-12-31"}, "outside the supported range"),
        ({"type": "first_contact", "date": "2101-01-01"}, "outside the supported range"),
        ({"type": "first_contact", "date": "9999-12-31"},
         "only an optional end may be open"),
        (_payment(end="9999-12-31"), "/events/5/end"),
        (_payment(amount="1e999999999"), "/events/5/amount"),
        (_payment(amount=Decimal("1E+999999999")),
         "/events/5/amount: 1E+999999999 is beyond the supported bound of 10000000"),
        (_payment(amount="10000000.01"), "beyond the supported bound"),
        (_payment(amount=Decimal("NaN")), "must be a decimal number"),
        (_payment(amount="9" * 5000), "/events/5/amount"),
        (_payment(amount=10**5000), "/events/5/amount: a number of 16610 bits"),
        (_payment(hours="745"), "/events/5/hours: 745 hours is more than the 744 hours"),
        (_payment(rate="-1"), "/events/5/rate: -1 must not be negative"),
        ({"type": "offer_started", "date": "2024-05-01", "offer": "loentilskud",
          "hours_per_week": "169"}, "/events/5/hours_per_week: 169 is more than the 168"),
        ({"type": "sickness_reported", "date": "2024-05-01", "first_absence_day": "2024-04-02",
          "category": 10**5000}, "/events/5/category: a number of 16610 bits is too large"),
        ({"type": "no_show", "date": "2024-05-01", "kind": "jobsamtale", "ref": "\ud800"},
         '/events/5/ref: "\\ud800" is not Unicode text'),
        ({"type": "first_contact", "date": "2024-05-01", "²": 1}, "/events/5/²: unknown key"),
        ({"type": "first_contact", "date": "2024-05-01", "a/b~c": 1},
         "/events/5/a~1b~0c: unknown key"),
        ({"type": "first_contact", "date": "2024-05-01", "ref": [[[[[[[[[[]]]]]]]]]]},
         "/events/5/ref: [[[...]]] must be a non-empty string"),
    ],
)
def test_what_cannot_be_evaluated_is_a_located_problem(event: Any, fragment: str) -> None:
    problems = _problems(_with_event(event))
    assert len(problems) == 1, problems
    assert fragment in problems[0]


def test_birth_dates_are_taken_from_1900() -> None:
    document = copy.deepcopy(GOOD)
    document["person"]["birth_date"] = "1900-01-01"
    assert parse_timeline(document).person.birth_date == date(1900, 1, 1)
    document["person"]["birth_date"] = "1899-12-31"
    assert "/person/birth_date" in _problems(document)[0]


@pytest.mark.parametrize(("event", "name"), [
    ({"type": "exemption", "start": "2024-05-01", "end": "9999-12-31", "reason": "sygdom"},
     "end"),
    ({"type": "strict_sanction", "date": "2024-05-01", "end": "9999-12-31"}, "end"),
    ({"type": "registration_missing", "date": "2024-05-01", "kind": "no_cv",
      "resolved_on": "9999-12-31"}, "resolved_on"),
    ({"type": "booking_missed", "date": "2024-05-01", "booked_on": "9999-12-31"}, "booked_on"),
])
def test_9999_12_31_in_an_optional_end_means_no_end(event: dict[str, Any], name: str) -> None:
    timeline = parse_timeline(_with_event(event))
    parsed = [e for e in timeline.events if event["type"] == e.TYPE]
    assert getattr(parsed[-1], name) is None


def test_an_open_exemption_evaluates_at_the_last_supported_day() -> None:
    from lab_rules.evaluation.evaluate import evaluate
    from lab_rules.faces.evaluation_json import dumps_evaluation

    timeline = parse_timeline(_with_event(
        {"type": "exemption", "start": "2024-05-01", "end": "9999-12-31", "reason": "sygdom"}))
    json.loads(dumps_evaluation(evaluate(timeline, as_of=date(2100, 12, 31))))


@pytest.mark.parametrize("text", [
    '{"schema": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"schema": "lab-rules/timeline/v1", "person": {"id": "x"}, "events": ['
    + "9" * 5000 + "]}",
    '{"schema": "lab-rules/timeline/v1", "person": {"id": "x", "²": 1}, "events": []}',
])
def test_validate_does_not_crash_on_hostile_json(text: str) -> None:
    with pytest.raises(TimelineError) as caught:
        loads_timeline(text, source="case.json")
    assert caught.value.problems


@pytest.mark.parametrize(("event", "valid"), [
    ({"type": "first_contact", "date": "1989-12-31"}, False),
    ({"type": "first_contact", "date": "2100-12-31"}, True),
    ({"type": "first_contact", "date": "2101-01-01"}, False),
    ({"type": "exemption", "start": "2024-05-01", "end": "9999-12-31", "reason": "sygdom"}, True),
    (_payment(end="9999-12-31"), False),
    (_payment(amount="10000000.00"), True),
    (_payment(amount="10000000.01"), False),
    (_payment(amount=10_000_001), False),
])
def test_the_schema_states_the_supported_ranges(event: dict[str, Any], valid: bool) -> None:
    import jsonschema

    from lab_rules.inputs.timeline_schema import json_schema

    document = _with_event(event)
    schema_valid = not list(jsonschema.Draft202012Validator(json_schema()).iter_errors(document))
    try:
        parse_timeline(document)
    except TimelineError:
        parser_valid = False
    else:
        parser_valid = True
    assert (schema_valid, parser_valid) == (valid, valid)


@pytest.mark.parametrize("number", ["1e99999999999999999999", "-1.5e-99999999999999999999"])
def test_a_number_whose_exponent_decimal_cannot_hold_is_located(number: str) -> None:
    text = _GOOD_TEXT.replace(_A_PAYMENT, f'"amount": {number}')
    with pytest.raises(TimelineError) as caught:
        loads_timeline(text, source="case.json")
    assert str(caught.value.problems[0]).startswith("case.json: /events/4/amount: ")
