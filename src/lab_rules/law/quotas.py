"""The 2026 reform's caseload quotas as data (``rules/parameters/kvoter-2026.toml``)."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from lab_rules.calendar import Duration
from lab_rules.core.vocabulary import Holder, TargetGroup
from lab_rules.law.bounds import MAX_COUNT, SHARE
from lab_rules.law.loader import RuleError, bundled_rules_dir, open_toml
from lab_rules.law.model import Anchor, Confidence
from lab_rules.law.params import decimal_of

QUOTA_KEYS = {"id", "groups", "holders", "conversations", "window", "share", "valid_from",
              "confidence", "legal_basis", "source", "anchor", "pool"}
QUOTA_ANCHORS = frozenset({Anchor.COURSE_START, Anchor.TRANSFER_TO_JOBCENTER})
@attrs.frozen
class Quota:
    """At least ``share`` of the persons in ``groups`` must have ``conversations`` jobsamtaler
    (held by one of ``holders``, any when empty) within ``window`` of ``anchor``: the course
    start, or for the kommune's dagpenge quota the transfer from the a-kasse to the jobcentre."""

    id: str
    groups: frozenset[TargetGroup]
    holders: frozenset[Holder]
    conversations: int
    window: Duration
    share: Decimal
    valid_from: date
    confidence: Confidence
    legal_basis: str
    anchor: Anchor = Anchor.COURSE_START
    pool: str | None = None
    """Quotas with the same pool are also counted together: the kommune's 75 % is of the
    combined group (dagpenge and job-/uddannelsesparate kontanthjælp)."""


def load_quotas(path: str | Path) -> tuple[Quota, ...]:
    """Read the quota file; raise :class:`RuleError` with located problems."""
    document, reader = open_toml(path)
    reader.check_keys(document, {"quota"}, "")
    quotas = []
    for where, raw in reader.tables(document, "quota", ""):
        reader.check_keys(raw, QUOTA_KEYS, where)
        ident, basis = reader.text(raw, "id", where), reader.text(raw, "legal_basis", where)
        reader.text(raw, "source", where)
        groups = reader.enum_set(TargetGroup, raw, "groups", where)
        holders = reader.enum_set(Holder, raw, "holders", where)
        count = reader.integer(raw, "conversations", where, None, minimum=1, maximum=MAX_COUNT)
        window = reader.duration(raw, "window", where, positive=True)
        start = reader.day(raw, "valid_from", where)
        confidence = reader.enum_of(Confidence, raw, "confidence", where)
        pool = reader.text(raw, "pool", where, required=False)
        anchor = Anchor.COURSE_START
        if "anchor" in raw:
            anchor = reader.enum_of(Anchor, raw, "anchor", where) or Anchor.COURSE_START
            if anchor not in QUOTA_ANCHORS:
                reader.problem(f"{where}.anchor", "a quota counts from course_start or "
                               f"transfer_to_jobcenter, not {anchor.value}")
        share = decimal_of(reader, raw, "share", where, maximum=SHARE, unit="a decimal share")
        if (ident and basis and groups and count and window and start and confidence
                and share is not None):
            quotas.append(Quota(ident, groups, holders, count, window, share, start,
                                confidence, basis, anchor, pool))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return tuple(quotas)


@functools.lru_cache(maxsize=1)
def bundled_quotas() -> tuple[Quota, ...]:
    return load_quotas(bundled_rules_dir() / "parameters" / "kvoter-2026.toml")


