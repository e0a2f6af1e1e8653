"""The refund ledger of one timeline as plain text: weeks, month totals, rate periods before
the staircase and the refund lost."""

from __future__ import annotations

from decimal import Decimal

from lab_rules.core.privacy import mask_cpr
from lab_rules.faces.text_table import clip
from lab_rules.refund.losses import RefundLoss
from lab_rules.refund.months import MonthTotal
from lab_rules.refund.rates_before_2016 import RatePeriod
from lab_rules.refund.staircase import RefundLedger


def render_refund(ledger: RefundLedger, lang: str = "da", losses: tuple[RefundLoss, ...] = (),
                  loss_months: tuple[MonthTotal, ...] = (),
                  policies: tuple[tuple[str, str], ...] = (),
                  periods: tuple[RatePeriod, ...] = ()) -> str:
    """Weeks (Monday, week number, benefit, days, share, rate, cost, amount) and month totals."""
    da = lang == "da"
    head = (("Uge (mandag)", "Nr.", "Ydelse", "Dage", "Andel", "Sats", "Udgift", "Beløb")
            if da else
            ("Week (Monday)", "No.", "Benefit", "Days", "Share", "Rate", "Cost", "Amount"))
    widths = (13, 5, 24, 5, 16, 6, 14, 14)
    lines = [f"{ledger.act}: {ledger.source}", ""]
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for week in ledger.weeks:
        for line in week.lines:
            row = (week.monday.isoformat(), str(week.number), line.benefit.value, str(line.days),
                   line.share, f"{line.rate * 100:.0f} %",
                   "" if line.cost is None else f"{line.cost:.2f}",
                   "" if line.amount is None else f"{line.amount:.2f}")
            lines.append("  ".join(clip(v, w).ljust(w) for v, w in zip(row, widths, strict=True))
                         .rstrip())
    lines += ["", "Måned     Refusion        Medfinansiering" if da
              else "Month     Refund          Co-financing"]
    for month in ledger.months:
        lines.append(f"{month.month}   {month.refund:>14}  {month.cofinancing:>14}")
    lines.append(f"{'I alt' if da else 'Total':8}  {ledger.total_refund:>14}  "
                 f"{ledger.total_cofinancing:>14}")
    if periods:
        lines += ["", "Før refusionstrappen (satsperioder)" if da
                  else "Before the staircase (rate periods)"]
        for period in periods:
            refund = "" if period.refund is None else f"  {period.refund:.2f}"
            active = (" aktiv" if da else " active") if period.active else ""
            lines.append(f"  {period.start} .. {period.end}  {period.benefit.value:<14} "
                         f"{period.rate * 100:.0f} %{active}  ({period.legal_basis}){refund}")
    if not losses:
        lines += ["", "Intet refusionsbortfald" if da else "No refund losses"]
    else:
        lines += ["", "Refusionsbortfald" if da else "Refund losses"]
        for loss in losses:
            amount = "" if loss.amount is None else f"  {loss.amount:.2f}"
            lines.append(f"  {loss.explain(lang)}{amount}")
        for month in loss_months:
            lines.append(f"  {month.month}   {month.refund:>14}")
        total = sum((m.refund for m in loss_months), Decimal("0.00"))
        lines.append(f"  {'I alt' if da else 'Total':8}  {total:>14}")
    if policies:
        lines.append("policies: " + ", ".join(f"{k}={v}" for k, v in policies))
    for restart in ledger.restarts:
        lines.append(("Trappen starter forfra " if da else "Count restarts ") + restart.isoformat())
    for note in ledger.notes:
        lines.append(f"note: {note}")
    return mask_cpr("\n".join(lines) + "\n")
