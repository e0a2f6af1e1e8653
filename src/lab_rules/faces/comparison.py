"""A what-if comparison as text (Danish or English) and as CSV tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lab_rules.loops.whatif import Comparison

_LABELS = {
    "persons": ("personer", "persons"),
    "obligations": ("forpligtelser", "obligations"),
    "met": ("overholdt", "met on time"),
    "met_late": ("for sent", "met late"),
    "overdue": ("overskredet", "overdue"),
    "days_late": ("dage for sent", "days late"),
    "days_overdue": ("dage overskredet", "days overdue"),
    "refund_loss": ("mistet refusion (kr.)", "refund lost (kr.)"),
    "refund": ("refusion, trappen (kr.)", "refund, staircase (kr.)"),
    "cofinancing": ("medfinansiering (kr.)", "co-financing (kr.)"),
    "sanctions": ("sanktioner", "sanctions"),
    "sanctions_deducted": ("sanktioner (kr.)", "sanctions (kr.)"),
    "not_covered": ("ikke dækket af reglerne", "not covered by the rules"),
    "persons_changed": ("personer berørt", "persons affected"),
}


def render_comparison(comparison: Comparison, lang: str = "en", max_changes: int = 12) -> str:
    """The summary as a text table (variants as columns, differences in brackets) and, per
    variant, the policies and rules that differ from the baseline."""
    da = lang == "da"
    rows = comparison.summary
    base = rows[0]
    head = ["", *(r["variant"] for r in rows)]
    body = []
    for metric, (label_da, label_en) in _LABELS.items():
        cells = [label_da if da else label_en]
        for index, row in enumerate(rows):
            value = row[metric]
            delta = row.get(f"d_{metric}")
            text = f"{value:,}" if not isinstance(value, Decimal) else f"{value:,.2f}"
            if index and delta:
                sign = "+" if delta > 0 else ""
                text += f" ({sign}{delta:,.2f})" if isinstance(delta, Decimal) \
                    else f" ({sign}{delta:,})"
            cells.append(text)
        body.append(cells)
    widths = [max(len(str(r[i])) for r in (head, *body)) for i in range(len(head))]
    lines = [f"{'Sammenligning' if da else 'Comparison'} as of {comparison.as_of} "
             f"({'grundlag' if da else 'baseline'}: {base['variant']})", ""]
    for cells in (head, *body):
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths, strict=True))))
    for chosen in comparison.variants[1:]:
        found = [c for c in comparison.changes if c["variant"] == chosen.name]
        noun = ("forskel" if len(found) == 1 else "forskelle") if da else (
            "difference" if len(found) == 1 else "differences")
        lines += ["", f"{chosen.name} ({chosen.rules.name}): {len(found)} {noun}"]
        for change in found[:max_changes]:
            lines.append(f"  {change['kind']:<18} {change['what']}: {change['baseline']} -> "
                         f"{change['value']}" + (f"  [{change['source']}]"
                                                 if change["source"] else ""))
        if len(found) > max_changes:
            lines.append(f"  ... {len(found) - max_changes} more in changes.csv")
        if not found:
            lines.append("  " + ("ingen regler eller politikker ændret" if da
                                 else "no rule or policy differs"))
    if comparison.quarantined:
        lines += ["", f"{len(comparison.quarantined)} "
                  f"{'personer sat i karantæne' if da else 'persons quarantined'}"]
    return "\n".join(lines) + "\n"


COMPARISON_NAMES = frozenset({"persons.csv", "summary.csv", "months.csv", "changes.csv",
                              "quarantine.jsonl"})
"""What a comparison's folder holds: a folder with only these may be replaced."""


def write_comparison(comparison: Comparison, out: str | Path) -> list[Path]:
    """Write ``persons.csv``, ``summary.csv``, ``months.csv``, ``changes.csv`` and
    ``quarantine.jsonl`` to *out*, whole or not at all (a sibling folder swapped into place,
    :func:`lab_rules.loops.atomic_output.whole_or_absent`); return the paths."""
    import csv
    import json

    from lab_rules.loops.atomic_output import whole_or_absent

    names = []
    with whole_or_absent(out, COMPARISON_NAMES) as folder:
        for name in ("persons", "summary", "months", "changes"):
            rows = getattr(comparison, name)
            path = folder / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                if rows:
                    writer = csv.DictWriter(handle, list(rows[0]))
                    writer.writeheader()
                    writer.writerows({k: "" if v is None else v for k, v in row.items()}
                                     for row in rows)
            names.append(path.name)
        path = folder / "quarantine.jsonl"
        path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n"
                                for q in comparison.quarantined), encoding="utf-8")
        names.append(path.name)
    return [Path(out) / name for name in names]
