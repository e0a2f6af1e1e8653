"""The read-only documents of the server: health, the law bundle's rules, its coverage.

Each is a pure function of the law loaded at start-up (and, for coverage, the years asked),
so the server answers them without state; every one names the law by its content hash, the
fingerprint a vendor stores beside a result to prove which law produced it.
"""

from __future__ import annotations

from datetime import date

from lab_rules._version import __version__
from lab_rules.faces.serve.limits import Limits
from lab_rules.law.bundle import Law
from lab_rules.law.coverage import QUARTER_MARKS, gap_list, quarter_map
from lab_rules.law.model import LegalBasis, Rule

__all__ = ["COVERAGE_YEARS", "coverage_document", "health_document", "law_header", "rules_document"]

COVERAGE_YEARS = (2008, 2026)
"""The years ``/v1/coverage`` shows unless asked for others (those ``check-rules`` prints)."""
RULES_SCHEMA = "lab-rules/rules/v1"
COVERAGE_SCHEMA = "lab-rules/coverage/v1"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def law_header(law: Law) -> dict[str, object]:
    """What names the law in every document: its name, content hash, overlays, policies."""
    return {"law": law.name, "content_hash": law.content_hash, "overlays": list(law.overlays),
            "policies": dict(law.policies)}


def health_document(law: Law, limits: Limits) -> dict[str, object]:
    """The server is up: its version, the law it loaded and the limits it enforces."""
    return {"status": "ok", "lab_rules_version": __version__, **law_header(law),
            "limits": limits.as_json()}


def _basis(basis: LegalBasis) -> dict[str, object]:
    return {"citation": basis.cite(), "act": basis.act, "paragraph": basis.paragraph,
            "stk": basis.stk, "nr": basis.nr, "pkt": basis.pkt, "source": basis.source}


def _rule(rule: Rule) -> dict[str, object]:
    return {"id": rule.id, "module": rule.module_id, "era": rule.era,
            "title": {"da": rule.title_da, "en": rule.title_en},
            "legal_basis": _basis(rule.legal_basis), "confidence": rule.confidence.value,
            "valid_from": _day(rule.valid_from), "valid_to": _day(rule.valid_to),
            "groups": sorted(group.value for group in rule.groups)}


def rules_document(law: Law) -> dict[str, object]:
    """Every contact-course rule version and sanction rule of the law: id, legal basis,
    validity and confidence (unconfirmed rules say so here as in every result)."""
    rules = sorted(law.rules.rules, key=lambda r: (r.id, r.valid_from))
    sanctions = sorted(law.sanction_rules, key=lambda r: (r.id, r.valid_from))
    return {
        "schema": RULES_SCHEMA, "lab_rules_version": __version__, **law_header(law),
        "rules": [_rule(rule) for rule in rules],
        "sanction_rules": [
            {"id": s.id, "era": s.era, "summary": s.summary,
             "legal_basis": {"citation": s.legal_basis, "source": s.source},
             "confidence": s.confidence.value, "valid_from": _day(s.valid_from),
             "valid_to": _day(s.valid_to)}
            for s in sanctions],
        "withdrawn_sanction_rules": [{"id": rule, "overlay": overlay}
                                     for rule, overlay in law.rules.withdrawn_sanctions],
    }


def coverage_document(law: Law, first: int, last: int) -> dict[str, object]:
    """The coverage of the law from 1 January *first* to 31 December *last*: one mark per
    target group and quarter (as ``lab-rules check-rules`` prints it) and every stretch
    without contact-course rules with the entry that says why (README, "What the bundled
    pack covers")."""
    gaps = []
    for piece in gap_list(law.coverage, first, last):
        entry = piece.gap
        gaps.append({
            "group": piece.group.value, "start": _day(piece.start), "end": _day(piece.end),
            "reason": piece.reason.value, "label": {"da": piece.reason.label("da"),
                                                    "en": piece.reason.label("en")},
            "entry": None if entry is None else {
                "id": entry.id, "text": {"da": entry.text_da, "en": entry.text_en},
                "legal_basis": _basis(entry.legal_basis),
                "confidence": entry.confidence.value}})
    return {
        "schema": COVERAGE_SCHEMA, "lab_rules_version": __version__, **law_header(law),
        "first_year": first, "last_year": last,
        "quarters": {group.value: marks
                     for group, marks in quarter_map(law.coverage, law.rules, first,
                                                     last).items()},
        "marks": dict(QUARTER_MARKS),
        "gaps": gaps,
    }
