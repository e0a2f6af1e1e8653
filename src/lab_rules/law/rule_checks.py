"""Checks of rule keys that depend on one another: the form a conversation must have and the
policy for exempt time in a count-in-window rule. Each problem is located by its key path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lab_rules.core.vocabulary import ExemptionReason
from lab_rules.law.model import Effect, FulfilledBy, Fulfilment, Shape
from lab_rules.law.reader import _Reader

__all__ = ["check_forms", "exempt_window_basis"]


def check_forms(reader: _Reader, raw: Mapping[str, Any], fulfilment: Fulfilment,
                shape: Shape | None, path: str) -> str:
    """The rule's ``form_basis``, which a rule that requires a form must give; and whether
    ``first_forms`` and ``alternate_forms`` fit the rule."""
    basis = reader.text(raw, "form_basis", path, required=False) or ""
    first = fulfilment.first_forms
    alternate = fulfilment.alternate_forms
    if alternate:
        _check_alternate(reader, fulfilment, shape, f"{path}.fulfilled_by")
    if bool(fulfilment.form_exceptions) != bool(fulfilment.excepted_forms):
        reader.problem(f"{path}.fulfilled_by", '"form_exceptions" and "excepted_forms" go '
                       "together: the reasons and the forms they allow")
    elif fulfilment.form_exceptions and not (fulfilment.forms or first or alternate):
        reader.problem(f"{path}.fulfilled_by.form_exceptions", "is given without a required "
                       'form ("forms", "first_forms" or "alternate_forms")')
    if (fulfilment.forms or first or alternate) and not basis:
        reader.problem(path, 'missing "form_basis": name the provision that sets the form of '
                       "the conversation (like LAB lbk 280/2024 § 33, stk. 1)")
    elif basis and not (fulfilment.forms or first or alternate):
        reader.problem(f"{path}.form_basis", 'is given without "fulfilled_by.forms", '
                       '"first_forms" or "alternate_forms"')
    if not first:
        return basis
    path = f"{path}.fulfilled_by"
    if fulfilment.event is not FulfilledBy.CONVERSATION_HELD:
        reader.problem(f"{path}.first_forms", "only a conversation has a form")
    elif shape is Shape.FIRST_WITHIN:
        reader.problem(f"{path}.first_forms", 'a "first_within" rule is met by one '
                       'conversation: write its form in "forms"')
    elif fulfilment.forms and not first <= fulfilment.forms:
        reader.problem(f"{path}.first_forms", "must be among forms "
                       + str(sorted(f.value for f in fulfilment.forms)))
    return basis


def _check_alternate(reader: _Reader, fulfilment: Fulfilment, shape: Shape | None,
                     path: str) -> None:
    if fulfilment.event is not FulfilledBy.CONVERSATION_HELD:
        reader.problem(f"{path}.alternate_forms", "only a conversation has a form")
    elif shape is Shape.FIRST_WITHIN:
        reader.problem(f"{path}.alternate_forms", 'a "first_within" rule is met by one '
                       'conversation: write its form in "forms"')
    elif fulfilment.forms and not fulfilment.alternate_forms < fulfilment.forms:
        reader.problem(f"{path}.alternate_forms", "must be some, not all, of forms "
                       + str(sorted(f.value for f in fulfilment.forms)))


def exempt_window_basis(reader: _Reader, raw: Mapping[str, Any], path: str,
                         shape: Shape | None, exemptions: Mapping[ExemptionReason, Effect]
                         ) -> str:
    """The reason given for ``exempt_window``, which must be given with it and only on a
    count-in-window rule that some exemption extends."""
    basis = reader.text(raw, "exempt_window_basis", path, required=False) or ""
    if "exempt_window" not in raw:
        if basis:
            reader.problem(f"{path}.exempt_window_basis", 'is given without "exempt_window"')
        return basis
    if shape is not Shape.COUNT_IN_WINDOW:
        reader.problem(f"{path}.exempt_window", 'only a "count_in_window" rule has a window '
                       "to count exempt time in")
    if Effect.EXTEND not in exemptions.values():
        reader.problem(f"{path}.exempt_window", 'has no effect: no exemption reason is '
                       '"extend" for this rule')
    if not basis.strip():
        reader.problem(path, 'missing "exempt_window_basis": the law is silent on exempt time '
                       "in a count-in-window rule, so say which reading the rule follows")
    return basis
