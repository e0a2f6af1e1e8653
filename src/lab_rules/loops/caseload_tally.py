"""Caseload compliance: the share of timely obligations per group and month, and the 2026
reform's 75 % quotas (``rules/parameters/kvoter-2026.toml``).

Per person, the evaluation says for each quota whether the person belongs to it and reached
its count (``Evaluation.quota_rows``, :mod:`lab_rules.contact.quotas`).
:class:`ComplianceTally` adds those rows and the obligations up across a caseload, in any
order, and gives the tables: per group and due month the counts by status and the share met
on time (met / (met + met late + overdue); waived, lapsed and open ones are not yet or no
longer due); per quota and cohort month the share of persons who reached the count and whether
that share meets the quota; and per pool of quotas (the kommune's combined group) the same
counted together. A person in two quotas of one pool in the same cohort counts twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lab_rules.law.quotas import Quota, bundled_quotas

COMPLIANCE_COLUMNS = ("group", "month", "obligations", "met", "met_late", "overdue", "open",
                      "waived", "lapsed", "share_met_on_time", "not_covered")
"""``obligations`` and the share count deadlines only; ``not_covered`` (last, so older readers
keep their columns) counts the stretches no rule covers, by the month they end."""
QUOTA_COLUMNS = ("quota", "cohort", "persons", "reached", "share", "required", "quota_met",
                 "confidence", "legal_basis")


@attrs.define
class ComplianceTally:
    """Counts added up over a caseload; the tables come out sorted, whatever the order in."""

    statuses: dict[tuple[str, str], dict[str, int]] = attrs.field(
        factory=lambda: defaultdict(lambda: defaultdict(int)))
    quota_counts: dict[tuple[str, str], list[int]] = attrs.field(
        factory=lambda: defaultdict(lambda: [0, 0]))

    def add_obligation(self, group: str, month: str, status: str) -> None:
        """One obligation of *group* due in *month* (``YYYY-MM``) with *status*."""
        self.statuses[(group, month)][status] += 1

    def add_quota(self, quota: str, cohort: str, reached: bool) -> None:
        counts = self.quota_counts[(quota, cohort)]
        counts[0] += 1
        counts[1] += int(reached)

    def export(self) -> tuple[dict[tuple[str, str], dict[str, int]],
                              dict[tuple[str, str], list[int]]]:
        """The counts as plain dicts (to send from a worker process)."""
        return ({key: dict(counts) for key, counts in self.statuses.items()},
                {key: list(counts) for key, counts in self.quota_counts.items()})

    def absorb(self, exported: tuple[dict[tuple[str, str], dict[str, int]],
                                     dict[tuple[str, str], list[int]]]) -> None:
        """Add counts another tally exported; the order of absorbing never matters."""
        statuses, quotas = exported
        for key, counts in statuses.items():
            for status, number in counts.items():
                self.statuses[key][status] += number
        for key, (persons, reached) in quotas.items():
            self.quota_counts[key][0] += persons
            self.quota_counts[key][1] += reached

    def compliance_rows(self) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        for (group, month), counts in sorted(self.statuses.items()):
            decided = counts["met"] + counts["met_late"] + counts["overdue"]
            share = (Decimal(counts["met"]) / decided).quantize(Decimal("0.001"), ROUND_HALF_UP) \
                if decided else None
            uncovered = counts.get("not_covered", 0)
            rows.append((group, month, sum(counts.values()) - uncovered, counts["met"],
                         counts["met_late"], counts["overdue"], counts["open"], counts["waived"],
                         counts["lapsed"], share, uncovered))
        return rows

    def quota_rows(self, quotas: Sequence[Quota] | None = None) -> list[tuple[object, ...]]:
        by_id = {q.id: q for q in (bundled_quotas() if quotas is None else quotas)}
        rows: list[tuple[object, ...]] = []
        pools: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        members: dict[str, Quota] = {}
        for (quota_id, cohort), (persons, reached) in sorted(self.quota_counts.items()):
            quota = by_id[quota_id]
            rows.append(_quota_row(quota_id, cohort, persons, reached, quota))
            if quota.pool is not None:
                pools[(quota.pool, cohort)][0] += persons
                pools[(quota.pool, cohort)][1] += reached
                members[quota.pool] = quota
        rows += [_quota_row(pool, cohort, persons, reached, members[pool])
                 for (pool, cohort), (persons, reached) in sorted(pools.items())]
        return rows


def _quota_row(name: str, cohort: str, persons: int, reached: int,
               quota: Quota) -> tuple[object, ...]:
    share = (Decimal(reached) / persons).quantize(Decimal("0.001"), ROUND_HALF_UP)
    return (name, cohort, persons, reached, share, quota.share, share >= quota.share,
            quota.confidence.value, quota.legal_basis)
