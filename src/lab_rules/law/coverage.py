"""The coverage table of a rule pack: which target groups have rules in which era."""

from __future__ import annotations

from lab_rules.core.vocabulary import TargetGroup
from lab_rules.law.model import Confidence, RulePack

ERAS = ("E2", "E3", "E4", "E5")


def coverage(pack: RulePack) -> dict[TargetGroup, dict[str, tuple[int, int]]]:
    """For each group and era: (number of rules, of which unconfirmed)."""
    table: dict[TargetGroup, dict[str, tuple[int, int]]] = {g: {} for g in TargetGroup}
    for rule in pack.rules:
        for group in rule.groups:
            count, unconfirmed = table[group].get(rule.era, (0, 0))
            table[group][rule.era] = (count + 1,
                                      unconfirmed + (rule.confidence is Confidence.UNCONFIRMED))
    return table


def render_coverage(pack: RulePack) -> str:
    """A text table: rows are target groups, columns eras; ``3 (1?)`` = 3 rules, 1 unconfirmed."""
    table = coverage(pack)
    eras = sorted({era for row in table.values() for era in row} | set(ERAS))
    width = max(len(g.value) for g in TargetGroup) + 5
    lines = [f"{len(pack.modules)} modules, {len(pack.rules)} rules in {pack.name}", "",
             "target group (LAB § 6)".ljust(width) + "".join(e.ljust(9) for e in eras)]
    for group in TargetGroup:
        nr = f"{group.lab_6_nr:>2} " if group.lab_6_nr else "   "
        cells = []
        for era in eras:
            count, unconfirmed = table[group].get(era, (0, 0))
            cell = "-" if not count else f"{count}" + (f" ({unconfirmed}?)" if unconfirmed else "")
            cells.append(cell.ljust(9))
        lines.append((nr + group.value).ljust(width) + "".join(cells))
    lines += ["", "N (k?) = N rules, k of them unconfirmed in law; - = no rule (no duty in that "
              "era, or not yet encoded)"]
    return "\n".join(lines) + "\n"
