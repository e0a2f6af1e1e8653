"""One-sentence explanations of obligations, in Danish and English (``semantics.md`` §9).

Sentences are built from the obligation's own fields (rule title, legal basis, dates,
status, policies), never from free text stored elsewhere, so they cannot drift from the
numbers they explain.
"""

from __future__ import annotations

from lab_rules.contact.results import Obligation, Status
from lab_rules.law.model import Confidence


def _days(n: int, lang: str) -> str:
    if lang == "da":
        return f"{n} dag" if n == 1 else f"{n} dage"
    return f"{n} day" if n == 1 else f"{n} days"


def explain(obligation: Obligation) -> tuple[str, str]:
    """(Danish, English) sentence for *obligation*."""
    rule = obligation.rule
    cite = rule.legal_basis.cite()
    seq = f" (nr. {obligation.sequence})" if rule.count > 1 or obligation.sequence > 1 else ""
    due = obligation.due.isoformat()
    done = obligation.fulfilled_on.isoformat() if obligation.fulfilled_on else ""
    status = obligation.status
    if status is Status.MET:
        da = f"opfyldt {done}, inden fristen {due}"
        en = f"met on {done}, by the due date {due}"
    elif status is Status.MET_LATE:
        late = obligation.days_late or 0
        da = f"frist {due}, opfyldt {done}: {_days(late, 'da')} for sent"
        en = f"due {due}, met on {done}: {_days(late, 'en')} late"
    elif status is Status.OVERDUE:
        over = obligation.days_overdue or 0
        da = f"frist {due} er overskredet med {_days(over, 'da')}"
        en = f"due {due}, overdue by {_days(over, 'en')}"
    elif status is Status.OPEN:
        da = f"åben, frist {due}"
        en = f"open, due {due}"
    elif status is Status.WAIVED:
        da = f"frafaldet: fristen {due} lå i en fritagelse"
        en = f"waived: the due date {due} fell in an exemption"
    else:
        da = f"bortfaldet: personen forlod målgruppen før fristen {due}"
        en = f"lapsed: the person left the target group before the due date {due}"
    policies = dict(obligation.policies)
    extra_da, extra_en = "", ""
    if any(step.step == "restart" for step in obligation.trace):
        extra_da = (" Forløbet var stillet i bero fra udeblivelsen til genoptaget kontakt "
                    "(restart_from_contact).")
        extra_en = (" The course was suspended from the no-show until contact was restored "
                    "(restart_from_contact).")
    elif any(step.step == "no_show_policy" for step in obligation.trace):
        extra_da = (" Rettidig indkaldelse med udeblivelse tæller som opfyldt "
                    "(timely_summons_counts).")
        extra_en = " A timely summons followed by a no-show counts as met (timely_summons_counts)."
    elif (obligation.no_show_incident and policies.get("no_show") == "late_until_held"
          and status in (Status.MET_LATE, Status.OVERDUE)):
        extra_da = " Kun en afholdt samtale opfylder kravet (late_until_held)."
        extra_en = " Only a held conversation fulfils it (late_until_held)."
    if rule.confidence is Confidence.UNCONFIRMED:
        extra_da += " Reglen er ikke bekræftet i lovteksten."
        extra_en += " This rule is not confirmed in the law text."
    return (f"{rule.title_da}{seq} ({cite}): {da}.{extra_da}",
            f"{rule.title_en}{seq} ({cite}): {en}.{extra_en}")
