"""Forms a conversation may take only every other time.

Rødovre's 2008 description of sickness follow-up (seed 003) reads: "Opfølgning ved personlig
samtale i alle kategori 2 sygedagpengesager hver 4 uge. Hver 2. samtale kan ske telefonisk."
A rule lists such forms in ``fulfilled_by.alternate_forms``: a conversation in one of them
counts only when the conversation before it that counted was in another form, so two phone
follow-ups in a row leave the second unfulfilled and its deadline running. The statute of the
time (lov nr. 563/2006 § 13) is not cited, so the rule that uses this is unconfirmed.
"""

from __future__ import annotations

import attrs

from lab_rules.contact.rule_span import RuleSpan
from lab_rules.inputs.events import ConversationHeld

__all__ = ["alternate_form"]


def alternate_form(rs: RuleSpan) -> tuple[RuleSpan, list[ConversationHeld]]:
    """*rs* without each conversation in an alternate form that follows one in an alternate
    form; and those conversations (in date order)."""
    alternate = rs.rule.fulfilled_by.alternate_forms
    ignored: list[ConversationHeld] = []
    kept = []
    previous_alternate = False
    for candidate in rs.candidates:
        event = candidate.event
        if isinstance(event, ConversationHeld) and rs.rule.fulfilled_by.form_counts(
                event.form, event.form_exception):
            this_alternate = event.form in alternate and not rs.rule.fulfilled_by.excepted(
                event.form, event.form_exception)
            if this_alternate and previous_alternate:
                ignored.append(event)
                continue
            previous_alternate = this_alternate
        kept.append(candidate)
    if not ignored:
        return rs, ignored
    return attrs.evolve(rs, candidates=tuple(kept)), ignored

