"""Refund lost because a step was late (eras A and B, 2007 - 2015).

Until 2015 a municipality lost the state refund of a person's kontanthjælp for the days an
obligation was overdue: an activation offer not started by the ret og pligt deadline (L1), or
a jobsamtale not held in time in a case drawn in the state's sample audit (L2). A loss runs
from the deadline (policy ``loss_from``) to the day before the obligation was met, or to
``as_of`` while it is unmet, and is total: the refund that would have been paid for those days,
at the passive or active rate of the day, is lost (catalogue ``refund.md`` §§ 2-3, 6).

Loss rules and rates are data (``rules/parameters/refusionsbortfald.toml``). The no-show policy
acts through the obligations: under ``timely_summons_counts`` a summoned no-show meets the
obligation, so there is no loss; under ``restart_from_contact`` the days of suspension are no
loss.
"""

from __future__ import annotations

import functools
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs

from lab_rules.errors import Problem
from lab_rules.policies import LossFrom, Policies
from lab_rules.refund import ORE, Interval, MonthTotal, _intervals
from lab_rules.results import Obligation, Status
from lab_rules.rules.loader import RuleError, _line_index, _Reader, bundled_rules_dir
from lab_rules.rules.model import Confidence
from lab_rules.timeline import AuditSampled, OfferEnded, OfferStarted, Timeline
from lab_rules.vocabulary import Benefit

RATE_KEYS = {"benefit", "valid_from", "valid_to", "passive", "active", "legal_basis", "source",
             "note"}
LOSS_KEYS = {"id", "title_da", "title_en", "legal_basis", "source", "law_text", "confidence",
             "valid_from", "valid_to", "note", "rules", "benefits", "requires_sample"}


@attrs.frozen
class BaseRate:
    """The refund rate of a benefit in a period: passive, or active while in an offer."""

    benefit: Benefit
    valid_from: date
    valid_to: date
    passive: Decimal
    active: Decimal
    legal_basis: str
    note: str = ""


@attrs.frozen
class LossRule:
    """A refund loss for late obligations of the named rules, due within the validity."""

    id: str
    title_da: str
    title_en: str
    legal_basis: str
    source: str
    law_text: str
    confidence: Confidence
    valid_from: date
    valid_to: date
    rules: frozenset[str]
    benefits: frozenset[Benefit]
    requires_sample: bool
    note: str = ""


@attrs.frozen
class LossSchedule:
    rates: tuple[BaseRate, ...]
    losses: tuple[LossRule, ...]

    def rate_on(self, benefit: Benefit, day: date) -> BaseRate | None:
        return next((r for r in self.rates if r.benefit is benefit
                     and r.valid_from <= day <= r.valid_to), None)


@attrs.frozen
class RefundLoss:
    """Refund lost for the days ``start``..``end`` because an obligation was late."""

    loss_rule: LossRule
    rule_id: str
    sequence: int
    due: date
    fulfilled_on: date | None
    start: date
    end: date
    days: int
    amount: Decimal | None
    loss_from: str

    def explain(self, lang: str = "en") -> str:
        held = self.fulfilled_on.isoformat() if self.fulfilled_on else None
        if lang == "da":
            until = f"opfyldt {held}" if held else "endnu ikke opfyldt"
            return (f"{self.loss_rule.title_da} ({self.loss_rule.legal_basis}): frist "
                    f"{self.due}, {until}; refusionen bortfalder {self.start} til {self.end} "
                    f"({self.days} dage, loss_from={self.loss_from}).")
        until = f"met {held}" if held else "not met yet"
        return (f"{self.loss_rule.title_en} ({self.loss_rule.legal_basis}): due {self.due}, "
                f"{until}; refund lost {self.start} to {self.end} ({self.days} days, "
                f"loss_from={self.loss_from}).")


def _decimal(reader: _Reader, raw: object, path: str) -> Decimal:
    if not isinstance(raw, str):
        reader.problem(path, f'must be a decimal share as a string, like "0.35", got {raw!r}')
        return Decimal(0)
    return Decimal(raw)


def load_loss_schedule(path: str | Path) -> LossSchedule:
    """Read rates and loss rules; raise :class:`RuleError` with every located problem."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RuleError([Problem("", f"invalid TOML: {err}", str(path))]) from None
    reader = _Reader(str(path), _line_index(text))
    reader.check_keys(document, {"rate", "loss"}, "")
    rates = []
    for index, raw in enumerate(document.get("rate", [])):
        where = f"rate[{index}]"
        reader.check_keys(raw, RATE_KEYS, where)
        benefit = reader.enum_of(Benefit, raw, "benefit", where)
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        basis = reader.text(raw, "legal_basis", where)
        passive = _decimal(reader, raw.get("passive"), f"{where}.passive")
        active = _decimal(reader, raw.get("active"), f"{where}.active")
        if benefit and start and end and basis:
            rates.append(BaseRate(benefit, start, end, passive, active, basis,
                                  str(raw.get("note", ""))))
    losses = []
    for index, raw in enumerate(document.get("loss", [])):
        where = f"loss[{index}]"
        reader.check_keys(raw, LOSS_KEYS, where)
        fields = {k: reader.text(raw, k, where) for k in (
            "id", "title_da", "title_en", "legal_basis", "source", "law_text")}
        confidence = reader.enum_of(Confidence, raw, "confidence", where, "confirmed")
        start, end = reader.day(raw, "valid_from", where), reader.day(raw, "valid_to", where)
        rule_ids = raw.get("rules", [])
        if not isinstance(rule_ids, list) or not rule_ids:
            reader.problem(f"{where}.rules", "name the rule ids whose late obligations lose refund")
            rule_ids = []
        benefits = reader.enum_set(Benefit, raw, "benefits", where)
        sample = reader.boolean(raw, "requires_sample", where)
        if all(fields.values()) and confidence and start and end:
            losses.append(LossRule(
                str(fields["id"]), str(fields["title_da"]), str(fields["title_en"]),
                str(fields["legal_basis"]), str(fields["source"]), str(fields["law_text"]),
                confidence, start, end, frozenset(map(str, rule_ids)), benefits, bool(sample),
                str(raw.get("note", ""))))
    if reader.problems:
        raise RuleError(reader.problems, subject=str(path))
    return LossSchedule(tuple(rates), tuple(losses))


@functools.lru_cache(maxsize=1)
def bundled_loss_schedule() -> LossSchedule:
    return load_loss_schedule(bundled_rules_dir() / "parameters" / "refusionsbortfald.toml")


def _offer_days(timeline: Timeline) -> list[tuple[date, date | None]]:
    """Periods in an offer (started .. ended), for the active refund rate."""
    periods: list[tuple[date, date | None]] = []
    ends = sorted(e.date for e in timeline.of_type(OfferEnded))
    for started in timeline.of_type(OfferStarted):
        end = next((d for d in ends if d >= started.date), None)
        periods.append((started.date, end))
    return periods


def _lost_amount(start: date, end: date, loss: LossRule, paid: Iterable[Interval],
                 offers: list[tuple[date, date | None]], schedule: LossSchedule,
                 by_month: dict[str, Decimal]) -> Decimal | None:
    """The refund of the loss days: daily benefit × the day's passive or active rate."""
    amount = Decimal(0)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for interval in paid:
        if interval.benefit not in loss.benefits:
            continue
        day, last = max(interval.start, start), min(interval.end, end)
        while day <= last:
            if interval.per_day is None:
                return None
            rate = schedule.rate_on(interval.benefit, day)
            if rate is None:
                return None
            active = any(s <= day and (e is None or day <= e) for s, e in offers)
            lost = interval.per_day * (rate.active if active else rate.passive)
            amount += lost
            parts[day.strftime("%Y-%m")] += lost
            day += timedelta(days=1)
    for month, value in parts.items():
        by_month[month] += value
    return amount


def compute_losses(obligations: Iterable[Obligation], timeline: Timeline, as_of: date,
                   schedule: LossSchedule, policies: Policies
                   ) -> tuple[tuple[RefundLoss, ...], tuple[MonthTotal, ...]]:
    """Every refund loss of the late obligations, and the lost refund per month."""
    known = timeline.until(as_of)
    sampled = bool(known.of_type(AuditSampled))
    benefits = frozenset(b for loss in schedule.losses for b in loss.benefits)
    paid = _intervals(known, as_of, benefits)
    offers = _offer_days(known)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    found: list[RefundLoss] = []
    for obligation in obligations:
        if obligation.status not in (Status.MET_LATE, Status.OVERDUE):
            continue
        for loss in schedule.losses:
            if (obligation.rule.id not in loss.rules
                    or not loss.valid_from <= obligation.due <= loss.valid_to
                    or (loss.requires_sample and not sampled)):
                continue
            start = obligation.due + timedelta(
                days=1 if policies.loss_from is LossFrom.DAY_AFTER_DUE else 0)
            end = (obligation.fulfilled_on - timedelta(days=1)
                   if obligation.fulfilled_on else as_of)
            if end < start:
                continue
            amount = _lost_amount(start, end, loss, paid, offers, schedule, by_month)
            found.append(RefundLoss(loss, obligation.rule.id, obligation.sequence,
                                    obligation.due, obligation.fulfilled_on, start, end,
                                    (end - start).days + 1, amount, policies.loss_from.value))
    months = tuple(MonthTotal(m, v.quantize(ORE, ROUND_HALF_UP), Decimal("0.00"))
                   for m, v in sorted(by_month.items()))
    return tuple(found), months
