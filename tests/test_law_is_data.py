"""All of the law is data: no legal date, rate, amount, duration of law or citation in ``src/``.

The scanner walks every module's syntax tree (docstrings and other bare string statements are
prose and are skipped) and flags
- a date built from literals (``date(2015, 7, 1)``, ``date.fromisoformat("2015-07-01")``);
- a ``Decimal`` from a literal, or a float literal (a rate, a share, an hour figure);
- a duration of law built from literals (``Duration(months=3)``, ``Duration.of(weeks=6)``,
  ``relativedelta(months=12)``, ``timedelta(weeks=...)``, ``timedelta(days=N)`` beyond the
  technical day and week);
- a string that cites the law (contains "§").
The few technical exceptions are declared below with their reason; anything else belongs in
``rules/`` with its legal basis, validity and source.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lab_rules"

ALLOWED: dict[tuple[str, str], str] = {
    ("law/model.py", "' § '"): "the separator that writes a citation, not a citation",
    ("law/citation.py", "(?P<paragraph>"): "the pattern that reads a citation",
    ("law/citation.py", "every rule must cite its"): "an example in an error message",
    ("law/citation.py", "is not a citation like"): "an example in an error message",
    ("law/reader.py", "target group (LAB § 6)"): "the vocabulary's name in an error message",
    ("law/coverage.py", "target group (LAB § 6)"): "a column heading naming the vocabulary",
    ("inputs/synth.py", "date.fromisoformat('2016-01-04')"):
        "the first course start of synthetic test data",
    ("inputs/synth.py", "Duration(months=1)"): "the next month of a synthetic payment",
    ("facts/failures.py", "Duration(months=1)"):
        "the first day of the next calendar month (a month-end failure's day)",
    ("evaluation/worklist.py", "Duration(days=14)"):
        "how far a caseworker's worklist looks ahead by default, a display choice",
    ("faces/serve/limits.py", "10.0"): "the HTTP service's default time budget per request",
    ("law/rule_checks.py", "name the provision that sets the form"):
        "an example in an error message",
    ("law/bounds.py", "date(1900, 1, 1)"):
        "the earliest date a rule file may give: a bound of the reader, not a date of law",
    ("law/bounds.py", "date(2199, 12, 31)"):
        "the latest date a rule file may give: a bound of the reader, not a date of law",
}
"""(module, a part of what is flagged) -> why it is not law."""
QUANTA = {"0.01", "0.00", "0.001"}
"""Rounding quanta of outputs (øre, shares to 0.1 %): presentation, not law."""
GEOMETRY = {"faces/plot.py": "chart geometry (inches, alpha, line widths, axis margins)",
            "inputs/synth.py": "the distribution of synthetic test data, not law"}
"""Modules whose floats and day counts are not figures of law."""

TECHNICAL_DAYS = {1, 7}
"""``timedelta(days=1)`` is the next day, ``days=7`` a calendar week: arithmetic, not law."""
DURATION_CALLS = {"Duration", "of", "relativedelta"}
DATE_CALLS = {"date", "fromisoformat"}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp):
        return _literal(node.operand)
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float | str)


def findings(source: str, module: str) -> list[str]:
    """What in *source* looks like law written in code (``line: what``)."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        if not any(module == where and snippet in what for where, snippet in ALLOWED):
            found.append(f"{module}:{getattr(node, 'lineno', 0)}: {what}")

    geometry = module in GEOMETRY

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in prose:
            if isinstance(node.value, str) and "§" in node.value:
                flag(node, f"a citation in code: {node.value[:60]!r}")
            elif isinstance(node.value, float) and node.value and not geometry:
                flag(node, f"a numeric rate or figure: {node.value!r}")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        literal_args = [a for a in node.args if _literal(a)]
        literal_kw = {k.arg: k.value for k in node.keywords if k.arg and _literal(k.value)}
        text = ast.unparse(node)
        technical = (name == "Decimal" and literal_args
                     and isinstance(literal_args[0], ast.Constant)
                     and str(literal_args[0].value) in {"0", "1", *QUANTA})
        dated = name in DATE_CALLS and bool(node.args) and all(_literal(a) for a in node.args)
        valued = name == "Decimal" and bool(literal_args) and not technical
        lasting = name in DURATION_CALLS and bool(literal_args or literal_kw)
        if dated or valued or lasting:
            flag(node, text)
        elif name == "timedelta" and not geometry:
            values = [*literal_args, *literal_kw.values()]
            if "weeks" in literal_kw or any(
                    isinstance(v, ast.Constant) and v.value not in TECHNICAL_DAYS
                    for v in values):
                flag(node, text)
    return found


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_of_src_writes_law_in_code() -> None:
    found = [f for path in _modules()
             for f in findings(path.read_text(encoding="utf-8"),
                               path.relative_to(SRC).as_posix())]
    assert not found, "law belongs in rules/:\n" + "\n".join(found)


@pytest.mark.parametrize("line", [
    "START = date(2015, 7, 1)",
    'ERA = date.fromisoformat("2016-01-04")',
    'RATE = Decimal("0.40")',
    "HOURS = 7.4",
    "WINDOW = Duration(months=12)",
    "KARENS = Duration.of(weeks=6)",
    "BACK = relativedelta(months=-3)",
    "SIX = timedelta(weeks=6)",
    "SPELL = timedelta(days=14)",
    'BASIS = "LAS § 35, stk. 4"',
])
def test_the_scanner_finds_law_written_in_code(line: str) -> None:
    assert findings(line + "\n", "example.py")


@pytest.mark.parametrize("line", [
    'def f() -> None:\n    """Cites LAS § 35, stk. 4 in prose."""\n',
    "NEXT = day + timedelta(days=1)",
    "WEEK = timedelta(days=7)",
    "x = Decimal(amount)",
    "y = date(year, month, 1)",
])
def test_the_scanner_leaves_prose_and_arithmetic_alone(line: str) -> None:
    assert not findings(line + "\n", "example.py")
