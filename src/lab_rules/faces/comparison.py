"""A what-if comparison as text (Danish or English, from the message catalogue) and as CSV
tables (the vendors' format: plain decimals, whatever the language)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lab_rules.core.messages import catalogue, number_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line
from lab_rules.loops.whatif import Comparison

_METRICS = ("persons", "obligations", "met", "met_late", "overdue", "days_late",
            "days_overdue", "refund_loss", "refund", "cofinancing", "sanctions",
            "sanctions_deducted", "not_covered", "persons_changed")
"""The summary's rows, each labelled by ``report.compare.metric.<name>``: ``sanctions`` counts
the failures that may be sanctioned ("sanctionable failures"; the batch command counts every
failure: issue 16 names them apart)."""


def _figure(value: object, lang: str) -> str:
    if isinstance(value, Decimal):
        return number_text(value, lang)
    return number_text(int(str(value)), lang, places=0)


def _coded(group: str, code: str, lang: str) -> str:
    """A change's kind or value in words where the catalogue has them (``sanction
    withdrawn``, ``applies``); rule ids, policy values and file names stay codes."""
    key = f"report.compare.{group}." + code.replace(" ", "_")
    return text(key, lang) if key in catalogue() else code


def render_comparison(comparison: Comparison, lang: str = "en", max_changes: int = 12) -> str:
    """The summary as a text table (variants as columns, differences in brackets) and, per
    variant, the policies and rules that differ from the baseline; labels from the catalogue,
    figures grouped the way *lang* writes them (da ``1.234,50``). A variant's name (an overlay
    file's path) or a rules folder's keeps to its line: a line break in it is an escape."""
    rows = comparison.summary
    base = rows[0]
    head = ["", *(one_line(r["variant"]) for r in rows)]
    body = []
    for metric in _METRICS:
        cells = [text(f"report.compare.metric.{metric}", lang)]
        for index, row in enumerate(rows):
            value = row[metric]
            delta = row.get(f"d_{metric}")
            shown = _figure(value, lang)
            if index and delta:
                sign = "+" if delta > 0 else ""
                shown += f" ({sign}{_figure(delta, lang)})"
            cells.append(shown)
        body.append(cells)
    widths = [max(len(str(r[i])) for r in (head, *body)) for i in range(len(head))]
    lines = [text("report.compare.head", lang, as_of=comparison.as_of,
                  baseline=base["variant"]), ""]
    for cells in (head, *body):
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths, strict=True))))
    for chosen in comparison.variants[1:]:
        found = [c for c in comparison.changes if c["variant"] == chosen.name]
        lines += ["", text("report.compare.differences", lang, variant=chosen.name,
                           rules=chosen.rules.name, n=len(found))]
        for change in found[:max_changes]:
            lines.append(f"  {_coded('kind', change['kind'], lang):<18} {change['what']}: "
                         f"{_coded('value', change['baseline'], lang)} -> "
                         f"{_coded('value', change['value'], lang)}"
                         + (f"  [{change['source']}]" if change["source"] else ""))
        if len(found) > max_changes:
            lines.append("  " + text("report.compare.more", lang, n=len(found) - max_changes))
        if not found:
            lines.append("  " + text("report.compare.no_differences", lang))
    if comparison.quarantined:
        lines += ["", text("report.compare.quarantined", lang, n=len(comparison.quarantined))]
    return "\n".join(one_line(line) for line in lines) + "\n"


COMPARISON_NAMES = frozenset({"persons.csv", "summary.csv", "months.csv", "changes.csv",
                              "quarantine.jsonl"})
"""What a comparison's folder holds: a folder with only these may be replaced."""


def write_comparison(comparison: Comparison, out: str | Path) -> list[Path]:
    """Write ``persons.csv``, ``summary.csv``, ``months.csv``, ``changes.csv`` and
    ``quarantine.jsonl`` to *out*, whole or not at all (a sibling folder swapped into place,
    :func:`lab_rules.loops.atomic_output.whole_or_absent`); return the paths."""
    import csv
    import io
    import json

    from lab_rules.loops.atomic_output import whole_or_absent

    names = []
    with whole_or_absent(out, COMPARISON_NAMES) as folder:
        for name in ("persons", "summary", "months", "changes"):
            rows = getattr(comparison, name)
            path = folder / f"{name}.csv"
            table = io.StringIO(newline="")
            if rows:
                writer = csv.DictWriter(table, list(rows[0]))
                writer.writeheader()
                writer.writerows({k: "" if v is None else v for k, v in row.items()}
                                 for row in rows)
            path.write_bytes(mask_cpr(table.getvalue()).encode("utf-8"))
            names.append(path.name)
        path = folder / "quarantine.jsonl"
        path.write_text(mask_cpr("".join(json.dumps(q, ensure_ascii=False) + "\n"
                                         for q in comparison.quarantined)), encoding="utf-8")
        names.append(path.name)
    return [Path(out) / name for name in names]
