"""The keys of offer rules, read strictly: the longest length of an offer (``offer_limit``)
and the repeat offers that run from the end of the last one.

An ``offer_limit`` rule names the offer kinds it limits (``offers``), is anchored on each
``offer_started`` and counts its ``duration`` from the start day inclusive (reading
``within``; the ``offer_duration`` policy names the other reading). Its ``extensions`` are the
steps the law allows beyond the first limit, each on a named assessment; ``yields_to`` names
the rules of the same module whose longer limit replaces it where they apply (the law's
"dog 8 uger for ..."). A repeat-offer rule is ``rolling``, anchored on ``offer_ended`` with
``interval_from = "fulfilment_end"``, optionally with a ``floor``. Every misuse is a located
problem, as everywhere in the loader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from lab_rules.calendar import Duration, Reading
from lab_rules.core.errors import IncomparableDurationsError
from lab_rules.core.vocabulary import ExtensionBasis, OfferKind
from lab_rules.law.citation import parse_citation
from lab_rules.law.model import (
    Anchor,
    Conditions,
    Extension,
    Floor,
    FulfilledBy,
    IntervalFrom,
    Shape,
)
from lab_rules.law.reader import _Reader

__all__ = ["OFFER_RULE_KEYS", "OfferFields", "check_yields", "offer_fields"]

OFFER_RULE_KEYS = {"offers", "extensions", "yields_to", "floor"}
EXTENSION_KEYS = {"basis", "legal_basis", "to", "step", "open", "note", "note_da"}
FLOOR_KEYS = {"anchor", "duration"}


class OfferFields(NamedTuple):
    """The offer keys of one rule, as the :class:`~lab_rules.law.model.Rule` takes them."""

    offers: frozenset[OfferKind]
    extensions: tuple[Extension, ...]
    yields_to: tuple[str, ...]
    floor: Floor | None


def offer_fields(reader: _Reader, raw: Mapping[str, Any], path: str, *, shape: Shape | None,
                 anchor: Anchor | None, reading: Reading | None,
                 interval_from: IntervalFrom | None, event: FulfilledBy,
                 duration: Duration | None, conditions: Sequence[Conditions | None]
                 ) -> OfferFields:
    """The offer keys of one rule (``offers``, ``extensions``, ``yields_to``, ``floor``),
    checked against its shape, anchor, reading and fulfilment."""
    limit = shape is Shape.OFFER_LIMIT
    for key in ("offers", "extensions", "yields_to"):
        if key in raw and not limit:
            reader.problem(f"{path}.{key}", f'only an "offer_limit" rule takes "{key}"')
    if not limit and any(c is not None and c.employer_sector is not None for c in conditions):
        reader.problem(path, 'only an "offer_limit" rule may depend on "employer_sector" (a '
                       "fact of the offer)")
    offers = reader.enum_set(OfferKind, raw, "offers", path)
    if limit:
        if "offers" not in raw:
            reader.problem(path, 'shape "offer_limit" needs "offers": the offer kinds whose '
                           "length it limits")
        if anchor is not None and anchor is not Anchor.OFFER_STARTED:
            reader.problem(f"{path}.anchor", 'an "offer_limit" rule is anchored on each '
                           f'"offer_started", not "{anchor.value}"')
        if reading is not None and reading is not Reading.WITHIN:
            reader.problem(f"{path}.reading", 'an offer\'s length counts its first day: reading '
                           f'"within", not "{reading.value}" (the policy offer_duration names '
                           "the other reading)")
    elif anchor is Anchor.OFFER_STARTED:
        reader.problem(f"{path}.anchor", '"offer_started" anchors only "offer_limit" rules')
    if anchor is Anchor.OFFER_ENDED and shape is not None and shape is not Shape.ROLLING:
        reader.problem(f"{path}.anchor", '"offer_ended" anchors only "rolling" rules (the '
                       "repeat offers)")
    if event is FulfilledBy.OFFER_ENDED and not limit:
        reader.problem(f"{path}.fulfilled_by.event", '"offer_ended" fulfils only "offer_limit" '
                       "rules (the limited offer's own end)")
    if interval_from is IntervalFrom.FULFILMENT_END and event is not FulfilledBy.OFFER_STARTED:
        reader.problem(f"{path}.interval_from", '"fulfilment_end" runs from the end of the '
                       'offer that met the last obligation: the rule must be fulfilled by '
                       '"offer_started"')
    floor = _floor(reader, raw, path, anchor)
    return OfferFields(offers,
                       _extensions(reader, raw.get("extensions", []), f"{path}.extensions",
                                   duration),
                       _yields(reader, raw.get("yields_to", []), f"{path}.yields_to"), floor)


def _extensions(reader: _Reader, raw: object, path: str, duration: Duration | None
                ) -> tuple[Extension, ...]:
    if not isinstance(raw, list):
        reader.problem(path, "must be a list of tables { basis, legal_basis, to | step | open }")
        return ()
    found: list[Extension] = []
    for index, entry in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            reader.problem(where, f"must be a table {{ basis, legal_basis, to | step | open }}, "
                           f"got {entry!r}")
            continue
        reader.check_keys(entry, EXTENSION_KEYS, where)
        basis = reader.enum_of(ExtensionBasis, entry, "basis", where)
        if "basis" not in entry:
            reader.problem(where, 'missing required key "basis": the assessment the extension '
                           "needs (" + ", ".join(b.value for b in ExtensionBasis) + ")")
        citation = reader.text(entry, "legal_basis", where)
        if citation is not None and parse_citation(citation, "") is None:
            reader.problem(f"{where}.legal_basis", f"{citation!r} is not a citation in the "
                           "form of a rule's legal_basis (act, paragraph, stk., nr., pkt.)")
        to = reader.duration(entry, "to", where, positive=True)
        step = reader.duration(entry, "step", where, positive=True)
        is_open = reader.boolean(entry, "open", where) is True
        if sum(("to" in entry, "step" in entry, is_open)) != 1:
            reader.problem(where, 'give exactly one of "to" (a total length), "step" (more each '
                           'time) or open = true (no bound in law)')
        if to is not None and duration is not None and not _longer(to, duration):
            reader.problem(f"{where}.to", f"{to} is not longer than the rule's duration "
                           f"{duration}")
        if found and found[-1].repeatable:
            reader.problem(where, "is never reached: the extension before it may be taken "
                           "again and again")
        if basis is not None and citation is not None:
            found.append(Extension(basis, citation, to, step, is_open,
                                   reader.text(entry, "note", where, required=False),
                                   reader.text(entry, "note_da", where, required=False)))
    return tuple(found)


def _longer(longer: Duration, shorter: Duration) -> bool:
    try:
        return longer > shorter
    except IncomparableDurationsError:
        return True


def _yields(reader: _Reader, raw: object, path: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
        reader.problem(path, f"must be a list of rule ids, got {raw!r}")
        return ()
    return tuple(raw)


def _floor(reader: _Reader, raw: Mapping[str, Any], path: str, anchor: Anchor | None
           ) -> Floor | None:
    if "floor" not in raw:
        return None
    table = reader.table(raw, "floor", path)
    where = f"{path}.floor"
    reader.check_keys(table, FLOOR_KEYS, where)
    if anchor is not Anchor.OFFER_ENDED:
        reader.problem(where, 'a floor bounds the first repeat offer: only a rule anchored on '
                       '"offer_ended" takes one')
    start = reader.enum_of(Anchor, table, "anchor", where)
    length = reader.duration(table, "duration", where)
    if start is None or length is None:
        reader.problem(where, 'needs "anchor" and "duration" (floor = { anchor = '
                       '"first_contact", duration = "P12M" })')
        return None
    return Floor(start, length)


def check_yields(reader: _Reader, raw_rules: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    """Every ``yields_to`` names another ``offer_limit`` rule of the same module (each rule
    with its key path; a ``yields_to`` that is not a list of ids is a problem of its own)."""
    limits = {raw["id"] for _, raw in raw_rules
              if isinstance(raw.get("id"), str) and raw.get("shape") == Shape.OFFER_LIMIT.value}
    for path, raw in raw_rules:
        names = raw.get("yields_to")
        if not isinstance(names, list):
            continue
        for name in names:
            if isinstance(name, str) and (name == raw.get("id") or name not in limits):
                reader.problem(f"{path}.yields_to", f"{name!r} names no other "
                               '"offer_limit" rule of this module')
