"""The columnar fast path: the rules of :mod:`lab_rules.loops.columnar_rules` over a whole
caseload at once, as polars expressions (the ``bench`` extra), beside the engine.

Eligibility is per person as well as per rule. A person is evaluated here for a rule id only
when the engine's result is a function of a few dates of the log: at most one benefit start
by ``as_of`` (so one course, one target-group span, no previous course), its end after its
start, no group change, the anchor present, the rule's conditions decidable, no exemption the
rule extends by (a waiving one only if dated and without a documented start) and, unless the
no-show policy is ``late_until_held``, no no-show of a kind the rule counts. Everyone else goes
through the engine for that rule. For the handled pairs the row is what ``build_obligations``
gives: opens at the anchor, due at the engine's own calendar point (worked out once per
distinct anchor day), the version selector of the policies, the first qualifying conversation
from the opening day to the horizon, a waiver where an exemption covers the due date, and the
status.

A person's rows depend on that person's events alone, so a caseload can also be evaluated a
chunk of persons at a time (:func:`iter_columnar`, reading the log with
:mod:`lab_rules.loops.columnar_chunks`): its memory is then that of a chunk whatever the size
of the caseload (issue 14), and its rows are those of the caseload at once. Within a chunk the
persons are numbered in the order of their ids (numbers join and sort faster than text), and
a run reads only the fields and conversations its rules need (:class:`FastRun`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from lab_rules.core.vocabulary import Benefit
from lab_rules.facts.courses import DEFAULT_GROUP
from lab_rules.law.bundle import Law
from lab_rules.law.model import Effect, Fulfilment, Rule
from lab_rules.law.policies import Policies, VersionSelector
from lab_rules.loops.columnar_chunks import (
    CHUNK_PERSONS,
    DATED,
    ENGINE,
    EVENT_SCHEMA,
    normalised,
    person_chunks,
    scan_events,
)
from lab_rules.loops.columnar_exprs import (
    anchor_of,
    candidates,
    dues,
    holds,
    touched,
    waived_by,
)
from lab_rules.loops.columnar_rules import fast_rules, policies_of

__all__ = ["CHUNK_PERSONS", "EVENT_SCHEMA", "ROW_COLUMNS", "FastRun", "columnar_frames",
           "evaluate_columnar", "iter_columnar", "scan_events"]

ROW_COLUMNS = ("person_id", "rule_id", "sequence", "group", "opens", "due", "fulfilled_on",
               "status", "days_late", "days_overdue", "legal_basis")
"""The columns of the batch's ``obligations.csv``, in its order."""

Source = pl.DataFrame | pl.LazyFrame | str | Path
"""An event log: its path (JSON Lines, or Parquet by the suffix ``.parquet``) or its rows."""


def _persons(events: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """One row per person: the one benefit start (if any) and what the rules read of it."""
    events = events.drop("start", "end", "documented_start")
    day = pl.col("date")
    kind = pl.col("type")
    known = day <= as_of
    started = (kind == "benefit_started") & known
    courses = [b.value for b in DEFAULT_GROUP]
    by_person = events.group_by("person_id").agg(
        starts=started.sum(),
        start=day.filter(started).min(),
        benefit=pl.col("benefit").filter(started).first(),
        given_group=pl.col("group").filter(started).first(),
        foreign=(started & ~pl.col("benefit").is_in(courses)).any(),
        undated=(day.is_null() & kind.is_in(DATED)).any(),
        group_changes=(kind == "group_changed").sum(),
        birth_date=pl.col("birth_date").filter(kind == "person").first(),
        education=pl.col("education").filter(kind == "person").first(),
        custody=pl.col("custody").filter(kind == "person").first(),
        good_job_prospects=pl.col("good_job_prospects").filter(kind == "person").first(),
    )
    start = pl.col("start")
    ends = events.filter((kind == "benefit_ended") & known).join(
        by_person.select("person_id", "benefit", "start"), on=["person_id", "benefit"]
    ).group_by("person_id").agg(ends=pl.len(), end=day.min(),
                                ends_early=(day <= start).any())
    courses_known = by_person.join(ends, on="person_id", how="left").with_columns(
        horizon=pl.coalesce(pl.col("end"), pl.lit(as_of)))
    anchors = events.filter(kind.is_in(["first_contact", "registered"]) & known).join(
        courses_known.select("person_id", "start", "horizon"), on="person_id")
    registered = kind == "registered"
    persons = courses_known.join(anchors.group_by("person_id").agg(
        first_contact=day.filter((kind == "first_contact") & (day <= start)).max(),
        registered_before=day.filter(registered & (day <= start)).max(),
        registered_after=day.filter(registered & (day >= start)
                                    & (day <= pl.col("horizon"))).min(),
    ), on="person_id", how="left")
    defaults = {b.value: g.value for b, g in DEFAULT_GROUP.items()}
    simple = (~pl.col("undated") & (pl.col("group_changes") == 0) & (pl.col("starts") <= 1)
              & ~pl.col("foreign") & (pl.col("ends").fill_null(0) <= 1)
              & ~pl.col("ends_early").fill_null(False)
              & (pl.col("benefit").fill_null("") != Benefit.SYGEDAGPENGE.value))
    return persons.with_columns(
        simple=simple,
        group=pl.coalesce(pl.col("given_group"),
                          pl.col("benefit").replace_strict(defaults, default=None)),
        registered=pl.coalesce(pl.col("registered_before"), pl.col("registered_after")),
    )


def _applying(persons: pl.DataFrame, events: pl.LazyFrame, rule: Rule, as_of: date,
              policy: Policies) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(the persons the fast path gives a row of *rule* if its version is in force, with the
    cheap tests of that already made; every person it handles for *rule*). *events* need only
    hold the exemption and no-show rows."""
    groups = [g.value for g in rule.groups]
    has_course = pl.col("starts") == 1
    left = touched(events, rule, as_of, policy)
    frame = persons.lazy().join(left, on="person_id", how="left").with_columns(
        in_rule=has_course & pl.col("group").is_in(groups).fill_null(False),
        anchor=anchor_of(rule),
        when=holds(rule.when),
        unless=(pl.lit(False) if rule.unless is None or rule.unless.empty
                else holds(rule.unless)),
    )
    in_rule = pl.col("in_rule")
    decidable = (pl.col("when").is_not_null() & pl.col("unless").is_not_null()
                 & pl.col("anchor").is_not_null() & pl.col("touched").is_null())
    frame = frame.with_columns(
        handled=pl.col("simple") & (~in_rule | decidable),
        applies=in_rule & decidable & pl.col("when").fill_null(False)
        & ~pl.col("unless").fill_null(True))
    selector = policy.version_selector or rule.selector
    anchor, start = pl.col("anchor"), pl.col("start")
    possible = anchor <= (rule.valid_to or date.max)
    if selector is VersionSelector.OPENS:
        possible = possible & (anchor >= rule.valid_from)
    if selector is VersionSelector.COURSE_START:
        possible = possible & (start >= rule.valid_from) & (start <= (rule.valid_to or date.max))
    if rule.valid_from > as_of:
        possible = pl.lit(False)
    applying = frame.filter(pl.col("handled") & pl.col("applies") & possible)
    return applying, frame.filter("handled").select("person_id")


def _rows(applying: pl.DataFrame, events: pl.LazyFrame, rule: Rule, as_of: date,
          policy: Policies, due_days: pl.DataFrame, fulfilling: pl.LazyFrame) -> pl.LazyFrame:
    """The rows of *rule* for the persons of :func:`_applying`: in force by the version
    selector, fulfilled by the first of *fulfilling* (the rule's conversations by date) from
    the anchor to the horizon, waived, and judged on *as_of*."""
    selector = policy.version_selector or rule.selector
    valid_to = rule.valid_to or date.max
    anchor, due, start, end = pl.col("anchor"), pl.col("due"), pl.col("start"), pl.col("end")
    day = {VersionSelector.OPENS: anchor, VersionSelector.DUE: due}.get(selector, start)
    by_opens = pl.min_horizontal(pl.lit(as_of), end.fill_null(as_of))
    last = by_opens if selector is VersionSelector.OPENS else pl.lit(as_of)
    in_force = ((pl.lit(rule.valid_from) <= last) & (anchor <= valid_to)
                & (day >= rule.valid_from) & (day <= valid_to))
    if selector is VersionSelector.COURSE_START:
        in_force = in_force & (start >= rule.valid_from) & (start <= valid_to)
    rows = applying.lazy().join(due_days.lazy(), on="anchor").filter(in_force).sort("anchor")
    rows = rows.join_asof(fulfilling, left_on="anchor",
                          right_on="fulfilled_on", by="person_id", strategy="forward",
                          check_sortedness=False)
    fulfilled = pl.col("fulfilled_on")
    rows = rows.with_columns(fulfilled_on=pl.when(fulfilled <= pl.col("horizon"))
                             .then(fulfilled))
    if any(effect is Effect.WAIVE for effect in rule.exemptions.values()):
        rows = rows.join(waived_by(rows, events, rule, as_of), on="person_id", how="left")
    else:
        rows = rows.with_columns(waived=pl.lit(None, pl.Boolean))
    waived = pl.col("waived").fill_null(False) & ~(fulfilled <= due).fill_null(False)
    late = (fulfilled - due).dt.total_days()
    status = (pl.when(fulfilled <= due).then(pl.lit("met"))
              .when(waived).then(pl.lit("waived"))
              .when(fulfilled.is_not_null()).then(pl.lit("met_late"))
              .when(end.is_not_null() & (end <= due)).then(pl.lit("lapsed"))
              .when(pl.lit(as_of) > due).then(pl.lit("overdue"))
              .otherwise(pl.lit("open")))
    return rows.select(
        "person_id", pl.lit(rule.id).alias("rule_id"), pl.lit(1).alias("sequence"), "group",
        anchor.alias("opens"), due, fulfilled, status.alias("status"),
        pl.when((fulfilled > due) & ~waived).then(late).alias("days_late"),
        pl.when(fulfilled.is_null() & ~waived & ~(end.is_not_null() & (end <= due))
                & (pl.lit(as_of) > due))
        .then((pl.col("horizon") - due).dt.total_days()).alias("days_overdue"),
        pl.lit(rule.legal_basis.cite()).alias("legal_basis"),
        pl.lit(rule.valid_from).alias("valid_from"),
    )


@attrs.frozen
class FastRun:
    """What the chunks of one run share: the fast rule versions it evaluates, its policies
    and day, and the due dates worked out so far (per duration and calendar reading, per
    anchor day)."""

    versions: tuple[Rule, ...]
    policy: Policies
    as_of: date
    due_days: dict[tuple[Any, ...], dict[date, date]] = attrs.field(factory=dict, eq=False)

    @classmethod
    def of(cls, law: Law, as_of: date,
           policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
           only: Iterable[str] | None = None) -> FastRun:
        """The run of *law*'s fast rules (*only* some of their ids, if given) on *as_of*."""
        policy = policies_of(law, policies)
        wanted = None if only is None else frozenset(only)
        return cls(tuple(r for r in fast_rules(law, policy) if wanted is None or r.id in wanted),
                   policy, as_of)

    def fields(self) -> tuple[str, ...]:
        """The event-log fields the run's rules read: the person's facts their conditions
        name, the holder and form of a conversation if they restrict them, the exemption's
        fields if one changes them."""
        needed = {"person_id", "type", "date", "benefit", "group", "kind"}
        for rule in self.versions:
            for conditions in (rule.when, rule.unless):
                if conditions is None:
                    continue
                if conditions.age_min is not None or conditions.age_max is not None:
                    needed.add("birth_date")
                needed.update(name for name in ("education", "custody", "good_job_prospects")
                              if getattr(conditions, name) is not None)
            needed.update(name for name, used in (("held_by", rule.fulfilled_by.held_by),
                                                  ("form", rule.fulfilled_by.forms)) if used)
            if any(effect is not Effect.NONE for effect in rule.exemptions.values()):
                needed.update(("reason", "start", "end", "documented_start"))
        return tuple(name for name in EVENT_SCHEMA if name in needed)

    def keep(self) -> pl.Expr:
        """The rows the run needs of those the fast path reads: of the conversations held, the
        undated (their person goes to the engine) and those by ``as_of`` of a kind a rule
        counts."""
        kinds = sorted({k.value for rule in self.versions for k in rule.fulfilled_by.kinds})
        day = pl.col("date")
        counted = (day <= self.as_of) & pl.col("kind").is_in(kinds)
        return ((pl.col("type") != "conversation_held") | day.is_null()
                | counted.fill_null(False))

    def frames(self, events: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(obligation rows in :data:`ROW_COLUMNS` sorted as the engine sorts a person's,
        handled pairs as ``person_id``, ``rule_id``) of the persons of *events*, rows of the
        log as :func:`lab_rules.loops.columnar_chunks.normalised` gives them.

        The persons are numbered in the order of their ids for the joins and sorts (numbers
        join faster than text), and named again at the end."""
        if not self.versions:
            return (pl.DataFrame(schema=dict.fromkeys(ROW_COLUMNS, pl.String)),
                    pl.DataFrame(schema={"person_id": pl.String, "rule_id": pl.String}))
        ids = events.get_column("person_id")
        names = ids.unique().drop_nulls().sort()
        rows, pairs = self._numbered(events.with_columns(ids.rank("dense").alias("person_id")))
        return (rows.with_columns(names.gather(rows.get_column("person_id") - 1)),
                pairs.with_columns(names.gather(pairs.get_column("person_id") - 1)))

    def _numbered(self, events: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        as_of, policy = self.as_of, self.policy
        frame = events.lazy()
        persons, held, found = pl.collect_all([
            _persons(frame, as_of),
            frame.filter((pl.col("type") == "conversation_held") & (pl.col("date") <= as_of)
                         ).select("person_id", "date", "kind", "form", "held_by"),
            frame.filter(pl.col("type").is_in(("exemption", "no_show")))], engine=ENGINE)
        facts = found.lazy()
        handled: dict[str, list[pl.LazyFrame]] = {}
        plans = []
        for rule in self.versions:
            applying, persons_handled = _applying(persons, facts, rule, as_of, policy)
            plans.append(applying)
            handled.setdefault(rule.id, []).append(persons_handled)
        pairs: list[pl.LazyFrame] = []
        for rule_id, each in handled.items():
            both = each[0]
            for more in each[1:]:
                both = both.join(more, on="person_id", how="semi")
            pairs.append(both.with_columns(rule_id=pl.lit(rule_id)))
        specs: dict[Fulfilment, Rule] = {}
        for rule in self.versions:
            specs.setdefault(rule.fulfilled_by, rule)
        found_all = pl.collect_all(
            [pl.concat(pairs), *(candidates(held.lazy(), r) for r in specs.values()), *plans],
            engine=ENGINE)
        handled_pairs = found_all[0]
        fulfilling = dict(zip(specs, found_all[1:len(specs) + 1], strict=True))
        rows: list[pl.LazyFrame] = []
        for rule, applying_now in zip(self.versions, found_all[len(specs) + 1:], strict=True):
            days = applying_now.get_column("anchor").to_list()
            rows.append(_rows(applying_now, facts, rule, as_of, policy,
                              dues(rule, days, self.due_days),
                              fulfilling[rule.fulfilled_by].lazy()))
        merged = pl.concat(rows).join(handled_pairs.lazy(), on=["person_id", "rule_id"],
                                      how="semi")
        merged = merged.sort("person_id", "due", "opens", "rule_id", "sequence", "valid_from",
                             maintain_order=True).select(ROW_COLUMNS)
        return merged.collect(engine=ENGINE), handled_pairs


def columnar_frames(events: pl.DataFrame | pl.LazyFrame, law: Law, as_of: date,
                    policies: Policies | Mapping[str, str] | Iterable[str] | None = None,
                    only: Iterable[str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The fast path as frames, the caseload at once: (obligation rows in
    :data:`ROW_COLUMNS`, handled pairs as ``person_id``, ``rule_id``); *only* limits it to
    some of the fast rule ids."""
    run = FastRun.of(law, as_of, policies, only)
    return run.frames(normalised(events).collect(engine=ENGINE))


def iter_columnar(source: Source, law: Law, as_of: date,
                  policies: Policies | Mapping[str, str] | Iterable[str] | None = None, *,
                  only: Iterable[str] | None = None, chunk_persons: int = CHUNK_PERSONS
                  ) -> Generator[tuple[pl.DataFrame, pl.DataFrame], None, None]:
    """:func:`columnar_frames` chunk by chunk (:func:`~lab_rules.loops.columnar_chunks.
    person_chunks`): every person's rows and pairs in one chunk of at most *chunk_persons*
    persons, each chunk's rows sorted as :func:`columnar_frames` sorts them. The chunks follow
    the log (its last segment first, persons whose rows are spread over it last); an empty log
    gives one empty chunk. Read from a path, the memory a chunk takes is bounded by
    *chunk_persons*, not by the caseload."""
    run = FastRun.of(law, as_of, policies, only)
    empty = True
    with closing(person_chunks(source, chunk_persons, run.keep(), run.fields())) as chunks:
        for events in chunks:
            empty = False
            found = run.frames(events)
            del events  # the chunk's rows are let go before the next chunk is read
            yield found
            del found
    if empty:
        yield run.frames(normalised(pl.DataFrame(schema=EVENT_SCHEMA)).collect(engine=ENGINE))


def evaluate_columnar(events: Source, law: Law, as_of: date,
                      policies: Policies | Mapping[str, str] | Iterable[str] | None = None, *,
                      chunk_persons: int | None = None
                      ) -> tuple[pl.DataFrame, set[tuple[str, str]]]:
    """The obligation rows of the fast (person, rule id) pairs of a caseload on *as_of*, in the
    engine's order per person (due, opens, rule id, sequence) and persons in the order of their
    ids, and the set of those pairs.

    Frames are evaluated at once unless *chunk_persons* is given; a path (JSON Lines, or
    Parquet by its suffix) is read chunk by chunk (:func:`iter_columnar`). The result is the
    same whatever the chunks."""
    if chunk_persons is None and isinstance(events, pl.DataFrame | pl.LazyFrame):
        rows, pairs = columnar_frames(events, law, as_of, policies)
        return rows, set(zip(pairs.get_column("person_id").to_list(),
                             pairs.get_column("rule_id").to_list(), strict=True))
    found: set[tuple[str, str]] = set()
    parts: list[pl.DataFrame] = []
    for rows, pairs in iter_columnar(events, law, as_of, policies,
                                     chunk_persons=chunk_persons or CHUNK_PERSONS):
        found.update(zip(pairs.get_column("person_id").to_list(),
                         pairs.get_column("rule_id").to_list(), strict=True))
        parts.append(rows)
    return pl.concat(parts).sort("person_id", maintain_order=True), found
