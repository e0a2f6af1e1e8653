"""The answer to "when must this offer end" as a table or a JSON document.

Rendering computes no law: every date, status and citation is the evaluation's. The JSON
document (``lab-rules/offer-end/v1``) has sorted keys and plain ISO dates, so the same answer
always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from lab_rules.core.messages import date_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.offer_end import OfferEnd, OfferEnds
from lab_rules.law.model import Extension

__all__ = ["OFFER_END_SCHEMA", "dumps_offer_ends", "render_offer_ends"]

OFFER_END_SCHEMA = "lab-rules/offer-end/v1"

class _Words:
    """The offer-end table's words in one language (``contact.offer_end.*``)."""

    __slots__ = ("lang",)

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(f"contact.offer_end.{key}", self.lang)


def _step(extension: Extension, lang: str) -> str:
    words = _Words(lang)
    if extension.to is not None:
        reach = f"{words['to']} {extension.to.describe(lang)}"
    elif extension.step is not None:
        reach = f"{words['step']} {extension.step.describe(lang)}"
    else:
        reach = words["open"]
    return f"{reach} ({extension.basis.value}, {extension.legal_basis})"


def render_offer_ends(result: OfferEnds, lang: str = "da") -> str:
    """One line per offer (start, last allowed day, status, days late or overdue, end, legal
    basis), then its rule, the extensions and what was assumed."""
    words = _Words(lang)
    evaluation = result.evaluation
    lines = [text("contact.offer_end.header", lang, title=words["title"],
                  person=evaluation.person_id, as_of=evaluation.as_of), ""]
    head = (words["offer"], words["start"], words["last"], words["status"], words["days"],
            words["ended"], words["basis"])
    widths = (32, 10, 10, 12, 5, 10, 0)
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * (w or 34) for w in widths))
    for item in result.offers:
        lines += _lines(item, lang, widths)
    if not result.offers:
        lines.append(words["no_offers"])
    return mask_cpr("\n".join(lines) + "\n")


def _lines(item: OfferEnd, lang: str, widths: tuple[int, ...]) -> list[str]:
    words = _Words(lang)
    run, obligation = item.run, item.obligation
    name = run.kind.value + (f" ({run.started.ref})" if run.started.ref else "")
    ended = date_text(run.end, lang)
    if obligation is None:
        row = (name, date_text(run.start, lang), "", words["none"], "", ended, "")
        out = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()]
        reasons = [note.describe(lang) for note in item.notes] or [words["no_rule"]]
        return out + [f"    {reason}" for reason in reasons]
    days = obligation.days_late if obligation.days_late is not None else obligation.days_overdue
    row = (name, date_text(run.start, lang), date_text(obligation.due, lang),
           obligation.status.label(lang), "" if days is None else str(days), ended,
           obligation.rule.legal_basis.cite())
    rule = obligation.rule
    out = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip(),
           f"    {rule.title_da if lang == 'da' else rule.title_en} ({rule.id})"]
    out += [f"    {words['assumed']}: {s.describe(lang)}" for s in obligation.trace
            if s.step == "assumed"]
    out += [f"    {words['extension']}: {s.describe(lang)}" for s in item.extensions]
    out += [f"    {words['may']} {_step(step, lang)}" for step in item.may_extend]
    return out


def _extension_json(extension: Extension) -> dict[str, Any]:
    return {"basis": extension.basis.value, "legal_basis": extension.legal_basis,
            "to": str(extension.to) if extension.to is not None else None,
            "step": str(extension.step) if extension.step is not None else None,
            "open": extension.open}


def _offer_json(item: OfferEnd) -> dict[str, Any]:
    run, obligation = item.run, item.obligation
    found: dict[str, Any] = {
        "offer": run.kind.value, "ref": run.started.ref, "started": run.start.isoformat(),
        "ended": run.end.isoformat() if run.end else None,
        "notes": [note.text for note in item.notes],
    }
    if obligation is None:
        return {**found, "last_day": None, "rule_id": None}
    rule = obligation.rule
    return {
        **found, "last_day": obligation.due.isoformat(), "group": obligation.group.value,
        "status": obligation.status.value, "days_late": obligation.days_late,
        "days_overdue": obligation.days_overdue, "rule_id": rule.id,
        "title": {"da": rule.title_da, "en": rule.title_en},
        "legal_basis": {"citation": rule.legal_basis.cite(), "source": rule.legal_basis.source},
        "law_text": rule.law_text, "confidence": rule.confidence.value,
        "policies": dict(obligation.policies),
        "extensions": list(item.extensions_applied),
        "may_extend": [_extension_json(step) for step in item.may_extend],
        "trace": [{"step": s.step, "date": s.day.isoformat() if s.day else None, "text": s.text}
                  for s in obligation.trace],
        "explanation": {"da": obligation.explanation_da, "en": obligation.explanation_en},
    }


def dumps_offer_ends(result: OfferEnds) -> str:
    """The ``lab-rules/offer-end/v1`` document: sorted keys, CPR-like numbers masked."""
    evaluation = result.evaluation
    document = {"schema": OFFER_END_SCHEMA, "person_id": evaluation.person_id,
                "as_of": evaluation.as_of.isoformat(), "law": evaluation.rule_pack,
                "policies": dict(evaluation.policies),
                "offers": [_offer_json(item) for item in result.offers]}
    return mask_cpr(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
