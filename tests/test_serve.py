"""``lab-rules serve``: the real server (uvicorn on 127.0.0.1, started by the command's own
code in a subprocess), called over HTTP (issue 15, point 1)."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
pytest.importorskip("uvicorn", reason="the serve extra is not installed")

from jsonschema import Draft202012Validator

from lab_rules import dumps_evaluation, evaluate, load_timeline
from lab_rules.calendar import Duration
from lab_rules.evaluation.worklist import worklist
from lab_rules.faces.serve.openapi import published_schemas
from lab_rules.faces.worklist_output import worklist_json
from lab_rules.law import bundled_law
from lab_rules.law.coverage import gap_list, quarter_map
from lab_rules.loops.worklist_caseload import caseload_worklist
from serve_harness import Answer, Server, start

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "timelines").glob("*.json"))
CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
AS_OF = "2025-06-30"
JSON = {"Content-Type": "application/json"}
CPR = "0101901234"
"""A CPR-shaped number (ten digits, a valid day and month) that must never be echoed whole."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = start(tmp_path_factory.mktemp("serve"))
    yield started
    assert started.stop() == 0
    assert "Traceback" not in started.logs()


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with small limits: 20,000 bytes, 10 events, 2 persons."""
    started = start(tmp_path_factory.mktemp("tight"), "--max-body", "20000",
                    "--max-events", "10", "--max-persons", "2")
    yield started
    assert started.stop() == 0
    assert "Traceback" not in started.logs()


def _problem(answer: Answer, status: int, name: str) -> dict[str, Any]:
    assert answer.status == status, answer.body
    assert answer.headers.get_content_type() == "application/problem+json"
    document: dict[str, Any] = answer.json()
    assert document["type"] == f"/v1/problems/{name}"
    assert document["status"] == status
    assert document["title"]
    assert document["detail"]
    return document


def _timeline(events: list[dict[str, object]], person_id: str = "p-1") -> bytes:
    return json.dumps({"schema": "lab-rules/timeline/v2",
                       "person": {"id": person_id, "birth_date": "1990-01-01"},
                       "events": events}).encode()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_evaluate_answers_the_evaluation_document_byte_for_byte(server: Server,
                                                                example: Path) -> None:
    answer = server.call("POST", f"/v1/evaluate?as_of={AS_OF}", example.read_bytes(), JSON)
    assert answer.status == 200
    assert answer.headers.get_content_type() == "application/json"
    expected = dumps_evaluation(evaluate(load_timeline(example), as_of=date(2025, 6, 30)))
    assert answer.body == expected.encode("utf-8")
    assert answer.headers["Lab-Rules-Law-Hash"] == bundled_law().content_hash


def test_evaluate_takes_policies_and_the_refund_and_sanctions_switches(server: Server) -> None:
    example = ROOT / "examples" / "timelines" / "jobparat-kontanthjaelp-noshow.json"
    answer = server.call(
        "POST", "/v1/evaluate?as_of=2024-10-01&policy=no_show=restart_from_contact"
        "&policy=loss_from=day_after_due&refund=false&sanctions=false",
        example.read_bytes(), JSON)
    expected = evaluate(load_timeline(example), as_of=date(2024, 10, 1),
                        policies=["no_show=restart_from_contact", "loss_from=day_after_due"],
                        refund=False, sanctions=False)
    assert answer.status == 200
    assert answer.body == dumps_evaluation(expected).encode("utf-8")
    assert answer.json()["refund"] is None


def test_a_bad_query_is_a_400_problem_naming_each_parameter(server: Server) -> None:
    body = EXAMPLES[0].read_bytes()
    document = _problem(server.call("POST", "/v1/evaluate?asof=2024-01-01&policy=no_show=x"
                                    "&refund=maybe", body, JSON), 400, "invalid-query")
    named = {p["parameter"] for p in document["problems"]}
    assert named == {"asof", "as_of", "policy", "refund"}
    outside = _problem(server.call("POST", "/v1/evaluate?as_of=1980-01-01", body, JSON), 400,
                       "invalid-query")
    assert "outside the supported range" in outside["problems"][0]["detail"]


def test_validate_accepts_a_valid_timeline(server: Server) -> None:
    answer = server.call("POST", "/v1/validate", EXAMPLES[0].read_bytes(), JSON)
    assert answer.status == 200
    assert answer.json() == {"valid": True,
                             "events": len(load_timeline(EXAMPLES[0]).events)}


def test_validate_locates_every_problem_of_a_broken_timeline(server: Server) -> None:
    body = _timeline([{"type": "no_such_event", "date": "2024-01-01"},
                      {"type": "first_contact", "date": "2024-02-30"}])
    document = _problem(server.call("POST", "/v1/validate", body, JSON), 422,
                        "invalid-timeline")
    assert [p["pointer"] for p in document["problems"]] == ["/events/0/type",
                                                            "/events/1/date"]
    assert "2024-02-30" in document["problems"][1]["detail"]


def test_json_that_cannot_be_read_is_located_by_line(server: Server) -> None:
    document = _problem(server.call("POST", "/v1/validate", b'{\n "schema": [1,', JSON), 422,
                        "invalid-timeline")
    assert document["problems"][0]["line"] == 2
    assert document["problems"][0]["detail"].startswith("invalid JSON")


@pytest.mark.parametrize(("body", "pointer"), [
    (_timeline([{"type": "first_contact", "date": "2024-01-02"}]).replace(
        b'"date": "2024-01-02"', b'"date": "2024-01-02", "date": "2024-01-09"'),
     "/events/0/date"),
    (b'{"timelines": [' + _timeline([{"type": "payment", "benefit": "kontanthjaelp",
                                      "start": "2024-01-01", "end": "2024-01-31",
                                      "amount": "1"}]).replace(b'"1"', b"NaN") + b"]}",
     "/timelines/0/events/0/amount")])
def test_json_that_python_reads_but_json_does_not_allow_is_located(server: Server, body: bytes,
                                                                  pointer: str) -> None:
    path = "/v1/worklist?as_of=2025-06-30" if body.startswith(b'{"timelines"') else "/v1/validate"
    document = _problem(server.call("POST", path, body, JSON), 422, "invalid-timeline")
    assert [p["pointer"] for p in document["problems"]] == [pointer]


def test_a_cpr_number_in_a_bad_request_is_masked_in_the_problem_and_the_logs(
        server: Server) -> None:
    """The CPR number is in the person id, an unknown key, a bad date and the query; the
    problem document and every log line show it masked, never whole."""
    body = json.dumps({"schema": "lab-rules/timeline/v2",
                       "person": {"id": CPR, "birth_date": "010190-1234", CPR: 1},
                       "events": [{"type": "first_contact", "date": CPR}]}).encode()
    answer = server.call("POST", f"/v1/evaluate?as_of=2024-01-01&{CPR}=1", body, JSON)
    query = _problem(answer, 400, "invalid-query")
    answer = server.call("POST", "/v1/evaluate?as_of=2024-01-01", body, JSON)
    document = _problem(answer, 422, "invalid-timeline")
    shown = json.dumps(query) + json.dumps(document)
    assert "010190-****" in shown
    assert CPR not in answer.body.decode()
    assert "1234" not in shown
    time.sleep(0.2)
    logs = server.logs()
    assert f"{CPR[:6]}-****=1" in logs, "the access log has the request line, masked"
    assert CPR not in logs
    assert "010190-1234" not in logs


def test_an_oversize_body_is_a_413_problem(server: Server) -> None:
    """A client that sends its whole body before reading the answer (as urllib does) still
    gets the problem document, not a reset connection."""
    body = b" " * 5_000_001
    _problem(server.call("POST", "/v1/validate", body, JSON), 413, "body-too-large")
    assert server.call("GET", "/v1/health").status == 200


def test_a_streamed_body_is_stopped_at_the_limit(tight: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", tight.port, timeout=30)
    try:
        connection.request("POST", "/v1/validate", body=iter([b" " * 10_000] * 3),
                           headers={**JSON, "Transfer-Encoding": "chunked"},
                           encode_chunked=True)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read())
    finally:
        connection.close()
    _problem(answer, 413, "body-too-large")


def test_a_timeline_with_too_many_events_is_a_413_problem(tight: Server) -> None:
    events: list[dict[str, object]] = [{"type": "written_guidance", "date": "2024-01-02"}
                                       for _ in range(11)]
    document = _problem(tight.call("POST", "/v1/evaluate?as_of=2024-06-01", _timeline(events),
                                   JSON), 413, "too-many-events")
    assert document["problems"] == [{"pointer": "/events", "detail": "11 events, more than 10"}]
    assert tight.call("POST", "/v1/validate", _timeline(events[:10]), JSON).status == 200
    rows = b"".join(b'{"person_id": "%s", "type": "written_guidance", "date": "2024-01-02"}\n'
                    % CPR.encode() for _ in range(11))
    document = _problem(tight.call("POST", "/v1/worklist?as_of=2024-06-01", rows,
                                   {"Content-Type": "application/x-ndjson"}), 413,
                        "too-many-events")
    assert document["problems"] == [{"detail": "person 010190-****: 11 events, more than 10"}]


def test_a_body_that_is_not_json_is_a_415_problem(server: Server) -> None:
    _problem(server.call("POST", "/v1/validate", EXAMPLES[0].read_bytes(),
                         {"Content-Type": "application/x-www-form-urlencoded"}), 415,
             "unsupported-media-type")


def test_an_unknown_path_or_method_is_a_problem(server: Server) -> None:
    document = _problem(server.call("GET", "/v1/nothing-here"), 404, "not-found")
    assert document["detail"] == "GET /v1/nothing-here"
    answer = server.call("GET", "/v1/evaluate")
    _problem(answer, 405, "method-not-allowed")
    assert answer.headers["Allow"] == "POST"
    kind = server.call("GET", "/v1/problems/too-many-events").json()
    assert kind["status"] == 413
    assert kind["description"]


def test_health_names_the_version_and_the_law(server: Server) -> None:
    answer = server.call("GET", "/v1/health")
    document = answer.json()
    assert document["status"] == "ok"
    assert document["content_hash"] == bundled_law().content_hash
    assert document["law"] == "dk-national"
    assert document["limits"]["max_events"] == 10_000


def test_rules_lists_every_rule_with_basis_validity_and_confidence(server: Server) -> None:
    law = bundled_law()
    document = server.call("GET", "/v1/rules").json()
    assert document["content_hash"] == law.content_hash
    assert len(document["rules"]) == len(law.rules.rules)
    assert {r["id"] for r in document["rules"]} == {r.id for r in law.rules.rules}
    first = document["rules"][0]
    rule = next(r for r in law.rules.rules
                if r.id == first["id"] and r.valid_from.isoformat() == first["valid_from"])
    assert first["legal_basis"]["citation"] == rule.legal_basis.cite()
    assert first["confidence"] == rule.confidence.value
    assert {r["id"] for r in document["sanction_rules"]} == {r.id for r in law.sanction_rules}


def test_coverage_is_the_law_bundle_coverage(server: Server) -> None:
    law = bundled_law()
    document = server.call("GET", "/v1/coverage").json()
    pieces = gap_list(law.coverage, 2008, 2026)
    assert [(g["group"], g["start"], g["end"]) for g in document["gaps"]] == [
        (p.group.value, p.start.isoformat(), p.end.isoformat()) for p in pieces]
    assert document["quarters"] == {group.value: marks for group, marks in
                                    quarter_map(law.coverage, law.rules, 2008, 2026).items()}
    narrow = server.call("GET", "/v1/coverage?first=2020&last=2021").json()
    assert len(next(iter(narrow["quarters"].values()))) == 8
    _problem(server.call("GET", "/v1/coverage?first=2021&last=2020"), 400, "invalid-query")


def test_the_openapi_document_is_made_of_the_published_schemas(server: Server) -> None:
    document = server.call("GET", "/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {"/v1/evaluate", "/v1/validate", "/v1/worklist",
                                      "/v1/rules", "/v1/coverage", "/v1/health"}
    schemas = document["components"]["schemas"]
    for name, published in published_schemas().items():
        assert schemas[name]["x-lab-rules-schema"] == published["$id"]
        assert {f"{name}.{key}" for key in published.get("$defs", {})} <= set(schemas)
    references = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"',
                                json.dumps(document)))
    assert references <= set(schemas), "every reference resolves in the document"
    timeline = Draft202012Validator({**document, "$ref": "#/components/schemas/Timeline"})
    for example in EXAMPLES:
        timeline.validate(json.loads(example.read_bytes()))
    assert not timeline.is_valid({"schema": "lab-rules/timeline/v2", "person": {},
                                  "events": [{"type": "first_contact"}]})
    evaluation = Draft202012Validator({**document, "$ref": "#/components/schemas/Evaluation"})
    answer = server.call("POST", f"/v1/evaluate?as_of={AS_OF}", EXAMPLES[0].read_bytes(), JSON)
    evaluation.validate(answer.json())


def test_the_worklist_of_an_event_log_is_the_commands(server: Server) -> None:
    answer = server.call("POST", "/v1/worklist?as_of=2016-09-01&horizon=P1M&by=team",
                         CASELOAD.read_bytes(), {"Content-Type": "application/x-ndjson"})
    assert answer.status == 200, answer.body
    expected = caseload_worklist([CASELOAD], as_of=date(2016, 9, 1),
                                 horizon=Duration(months=1))
    assert answer.json() == worklist_json(expected, "team")
    assert answer.json()["persons"] == 300


def test_the_worklist_holds_back_a_person_it_cannot_read(server: Server) -> None:
    timelines = [json.loads(p.read_bytes()) for p in EXAMPLES[:2]]
    broken = {"schema": "lab-rules/timeline/v2", "person": {"id": CPR}, "events": [3]}
    answer = server.call("POST", "/v1/worklist?as_of=2025-06-30",
                         json.dumps({"timelines": [*timelines, broken]}).encode(), JSON)
    assert answer.status == 200, answer.body
    document = answer.json()
    expected = worklist([load_timeline(p) for p in EXAMPLES[:2]], as_of=date(2025, 6, 30),
                        horizon=Duration(days=14))
    assert document["groups"] == worklist_json(expected)["groups"]
    assert document["persons"] == 3
    assert [h["person_id"] for h in document["held"]] == ["010190-****"]
    assert document["held"][0]["reasons"][0].startswith("/timelines/2/events/0")
    assert CPR not in answer.body.decode()


def test_a_worklist_of_too_many_persons_is_a_413_problem(tight: Server) -> None:
    timelines = [json.loads(_timeline([], f"p-{i}")) for i in range(3)]
    _problem(tight.call("POST", "/v1/worklist?as_of=2025-06-30",
                        json.dumps({"timelines": timelines}).encode(), JSON), 413,
             "too-many-persons")
    rows = b"".join(b'{"person_id": "p-%d", "type": "first_contact", "date": "2024-01-02"}\n'
                    % i for i in range(3))
    _problem(tight.call("POST", "/v1/worklist?as_of=2025-06-30", rows,
                        {"Content-Type": "application/x-ndjson"}), 413, "too-many-persons")


def test_work_past_the_time_budget_is_a_503_problem(tmp_path: Path) -> None:
    slow = start(tmp_path, "--time-budget", "0.0001")
    try:
        answer = slow.call("POST", f"/v1/evaluate?as_of={AS_OF}", EXAMPLES[0].read_bytes(),
                           JSON)
        _problem(answer, 503, "time-budget-exceeded")
        assert slow.call("GET", "/v1/health").status == 200
    finally:
        assert slow.stop() == 0
    assert "Traceback" not in slow.logs()


def test_the_server_stops_cleanly_and_never_prints_a_traceback(tmp_path: Path) -> None:
    """Every kind of bad input, then SIGTERM: exit 0, and no traceback on either stream."""
    started = start(tmp_path, "--max-body", "50000")
    try:
        for method, path, body in (
                ("POST", "/v1/evaluate?as_of=2025-06-30", b"\xff\xfe"),
                ("POST", "/v1/evaluate?as_of=2025-06-30", b"[" * 100_000),
                ("POST", "/v1/evaluate?as_of=2025-06-30", b"[" * 40_000),
                ("POST", "/v1/evaluate?as_of=2025-06-30", b'{"events": "no"}'),
                ("POST", "/v1/evaluate?as_of=2025-06-30", b"1e999999"),
                ("POST", "/v1/evaluate?as_of=2025-99-99", b"{}"),
                ("POST", "/v1/worklist?as_of=2025-06-30&horizon=P0D", b"{}"),
                ("POST", "/v1/worklist?as_of=2025-06-30", b'{"timelines": 1}'),
                ("POST", "/v1/validate?x=1", b"{}"),
                ("PUT", "/v1/health", b"{}")):
            answer = started.call(method, path, body, JSON)
            assert 400 <= answer.status < 500, (path, answer.status, answer.body)
            assert answer.headers.get_content_type() == "application/problem+json"
    finally:
        assert started.stop() == 0
    logs = started.logs()
    assert "Traceback" not in logs
    assert "Exception" not in logs
    assert "Finished server process" in logs
