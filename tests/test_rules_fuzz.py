"""Rule files are checked, never trusted: a bounded, deterministic fuzz over the real ``rules/``.

Each example copies the bundled law folder, swaps one value of one rule, parameter, coverage
or overlay file for a value of another TOML type (a string where a date is, a table where an
array is, a bool where a count is, a float where a figure is, ...) or for an extreme value
of its own type (a huge or negative count, duration or amount), and reads the folder as
``lab-rules check-rules`` and the public API do. The law is either accepted, or refused with
problems that each name their file: never any other exception, never exit code 3. What is
accepted is then evaluated over the bundled example timelines, where only the documented
:class:`LabRulesError` may end the way (no overflow, no endless loop).
Hypothesis runs derandomised, so CI sees the same examples every time.
"""

from __future__ import annotations

import contextlib
import io
import math
import shutil
import signal
import tomllib
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from lab_rules.core.errors import LabRulesError, Problem
from lab_rules.entitlements.holiday_sickness import holiday_entitlements, sickness_dagpenge
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.faces.cli import main
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline_json import load_timeline
from lab_rules.law.bundle import Law, load_law
from lab_rules.law.overlay import apply_overlays, load_overlay
from lab_rules.law.reader import RuleError
from rule_files import DROP, RULES, nodes, swapped, toml_text

FILES = sorted(path.relative_to(RULES) for path in RULES.rglob("*.toml"))
TIMELINES = [load_timeline(path) for path in sorted(EXAMPLES.glob("*.json"))]
AS_OF = [date(2009, 6, 1), date(2016, 9, 1), date(2024, 10, 1), date(2100, 12, 31)]

OTHER_TYPES: list[object] = [
    "", "x", "2009-07-31", "P1M", "1.5", "true", "kontanthjaelp", "{", "}", "{0}",
    "{x.__class__}", "{x!r}", "{x:>9}",
    0, 1, -1, 2, 10**6, 2**63 - 1, -(2**63),
    0.5, -2.5, 1e308, math.inf, -math.inf, math.nan,
    True, False,
    date(2009, 7, 31), date(1, 1, 1), date(9999, 12, 31), datetime(2009, 7, 31, 12, 0),
    time(12, 0),
    [], [1], ["x"], [date(2009, 1, 1)], [[]], [{}], [{"a": 1}],
    {}, {"a": 1}, {"id": "x"},
]
"""One or more values of every TOML type."""

EXTREMES: list[object] = [
    "P999999999999Y", "P99999999999999999999D", "-P1M", "P0D", "-P0D", "P0M", "P1200M",
    "P100Y", "P36525D", "P9999Y", "-P9999Y", "P5000W", "P1Y1D",
    "0", "-1", "1E+999999", "99999999999999999999999", "-0.01", "0.001", "1e2", "NaN",
    "Infinity", "100", "1000000000", " 1 ",
    0, -1, 10**6, 10**9, 2**31, 2**63 - 1,
    date(1, 1, 1), date(9999, 12, 31), date(1900, 1, 1), date(2100, 12, 31), DROP,
]
"""Values of the types rule files use, at and beyond any sane bound."""


@st.composite
def mutated(draw: st.DrawFn, values: list[object]) -> tuple[Path, str, str]:
    """(file, dotted key path, new text of the file): one value of one bundled file swapped."""
    relative = draw(st.sampled_from(FILES))
    document = tomllib.loads((RULES / relative).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(list(nodes(document))))
    new = draw(st.sampled_from(values))
    return relative, ".".join(map(str, path)), swapped(relative, path, new)


@pytest.fixture(scope="module")
def law_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-rules") / "rules"
    shutil.copytree(RULES, folder)
    return folder


@contextlib.contextmanager
def changed(folder: Path, relative: Path, text: str) -> Iterator[Path]:
    """*folder* with *relative* holding *text* for the block's time."""
    file = folder / relative
    old = file.read_text(encoding="utf-8")
    file.write_text(text, encoding="utf-8")
    try:
        yield file
    finally:
        file.write_text(old, encoding="utf-8")


def _read(folder: Path) -> tuple[list[Law], tuple[Problem, ...]]:
    """The law of *folder* and the law under each of its overlays (as ``check-rules`` applies
    them), through the public API; or the problems it is refused with."""
    try:
        law = load_law(folder)
        return [law, *(apply_overlays(law, [load_overlay(overlay)])
                       for overlay in sorted(folder.glob("overlays/*.toml")))], ()
    except RuleError as err:
        return [], err.problems


def _check_rules(folder: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check-rules", str(folder)])
    assert "internal error" not in err.getvalue(), err.getvalue()
    return code, out.getvalue()


def _accepted_or_located(law_copy: Path, relative: Path, text: str) -> list[Law]:
    """The laws of the folder with *relative* changed to *text* (national law, then under
    each overlay), after checking that ``check-rules`` and the API agree; none when refused."""
    with changed(law_copy, relative, text):
        code, out = _check_rules(law_copy)
        laws, problems = _read(law_copy)
    assert code in (0, 1), out
    assert (code == 0) == bool(laws), out
    assert (code == 1) == bool(problems), out
    for problem in problems:  # each names its file (or the folder), and where in it
        assert problem.source, problem
        assert problem.path or problem.line or Path(problem.source).is_dir(), problem
        assert str(problem) in out, problem
    return laws if relative.parts[0] == "overlays" else laws[:1]


class OverBudgetError(Exception):
    """An evaluation ran past its budget: a loop that never ends, or nearly."""


@contextlib.contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudgetError` in the block after *seconds* (on the main thread's alarm)."""
    def stop(signum: int, frame: object) -> None:
        raise OverBudgetError(f"an evaluation ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _evaluates(law: Law, as_of: date) -> None:
    """Every bundled timeline evaluates under *law* (obligations, refund, sanctions) and its
    entitlements are worked out, within a budget; only a documented LabRulesError may end the
    way."""
    for timeline in TIMELINES:
        with budget(30), contextlib.suppress(LabRulesError):
            evaluate(timeline, as_of=as_of, law=law)
            facts = facts_of(timeline, as_of, law)
            holiday_entitlements(facts, law.holiday_rules)
            sickness_dagpenge(facts, law.sickness_rules)


SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_the_fuzz_writes_every_bundled_file_back_as_it_reads() -> None:
    for relative in FILES:
        document = tomllib.loads((RULES / relative).read_text(encoding="utf-8"))
        assert tomllib.loads(toml_text(document)) == document, relative


@settings(SETTINGS, max_examples=60)
@given(change=mutated(OTHER_TYPES))
def test_a_value_of_the_wrong_toml_type_is_accepted_or_a_located_problem(
        law_copy: Path, change: tuple[Path, str, str]) -> None:
    for law in _accepted_or_located(law_copy, change[0], change[2]):
        _evaluates(law, date(2024, 10, 1))


@settings(SETTINGS, max_examples=40)
@given(change=mutated(EXTREMES), as_of=st.sampled_from(AS_OF))
def test_an_extreme_value_is_a_located_problem_or_evaluates(
        law_copy: Path, change: tuple[Path, str, str], as_of: date) -> None:
    for law in _accepted_or_located(law_copy, change[0], change[2]):
        _evaluates(law, as_of)
