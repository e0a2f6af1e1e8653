"""What a rule is, once loaded: frozen data, no behaviour beyond describing itself.

A rule module (one TOML file) holds rules of one act, era and group family. Each rule
names its legal basis and source, the period it is valid in, the target groups it applies
to, its *shape* (``semantics.md`` §3) with the shape's parameters, the events that fulfil
it, how exemptions affect it, and the policies it chose where the law is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from lab_rules.calendar import Duration, Reading, Roll, Rounding
from lab_rules.core.vocabulary import (
    CaseStep,
    ConversationKind,
    EmployerSector,
    ExemptionReason,
    ExtensionBasis,
    Form,
    FormException,
    Holder,
    OfferKind,
    TargetGroup,
    Term,
)
from lab_rules.law.policies import VersionSelector


class Shape(Term):
    """The rule shapes of ``semantics.md`` §3."""

    FIRST_WITHIN = "first_within"
    """One obligation due a duration after an anchor."""
    COUNT_IN_WINDOW = "count_in_window"
    """At least ``count`` distinct events inside a window (optionally repeating)."""
    SCHEDULE = "schedule"
    """One obligation at anchor + k·interval; a late one does not move the next."""
    ROLLING = "rolling"
    """One obligation an interval after the last fulfilment (or the previous due date)."""
    MILESTONE = "milestone"
    """One obligation due when the clock reaches a point, opening at another point."""
    ACTIVATION = "activation"
    """An offer must start by a deadline (ret og pligt), with LAB § 102 stk. 3-4."""
    CASE_STEP = "case_step"
    """A case step (rehabiliteringsteam, afklaring) due a duration after an anchor."""
    OFFER_LIMIT = "offer_limit"
    """One obligation per offer of the rule's kinds: it must end by its last allowed day (the
    start + ``duration``, moved by the recorded extensions the rule allows); the offer's own
    ``offer_ended`` fulfils it."""
    NOT_COVERED = "not_covered"
    """Not a rule file shape: the row of a stretch no rule covers (contact/coverage.py)."""


class Clock(Term):
    """How elapsed time is measured (``semantics.md`` §2, LAB § 9)."""

    CONTIGUOUS = "contiguous"
    """Calendar time on the same benefit; a benefit change starts a new period."""
    CUMULATIVE_DAYS = "cumulative_days"
    """Only days on the benefit count ("sammenlagt"); months turn into days by the anchor's
    calendar (an interpretation, ``semantics.md`` §2)."""
    DAGPENGE_HOURS = "dagpenge_hours"
    """Hours of dagpenge: 37 h a week, 160,33 h a month (bek. 1216/2023 § 7 stk. 4)."""


class Anchor(Term):
    """The date a rule's clock or deadline counts from."""

    COURSE_START = "course_start"
    """Start of the benefit period (for dagpenge: the indplacering)."""
    FIRST_CONTACT = "first_contact"
    """Første henvendelse til kommunen om hjælp (LAB § 9 stk. 2 nr. 2)."""
    REGISTERED = "registered"
    """Tilmelding som jobsøgende."""
    FIRST_ABSENCE_DAY = "first_absence_day"
    """Første fraværsdag of the sickness (sygedagpengeloven)."""
    GROUP_ENTRY = "group_entry"
    """The day the person entered the rule's target group."""
    TRANSFER_TO_JOBCENTER = "transfer_to_jobcenter"
    """The day the dagpenge course passes from the a-kasse to the jobcentre."""
    FIRST_FOLLOWUP = "first_followup"
    """The first qualifying follow-up conversation (visitation of sickness cases)."""
    SICKNESS_KNOWN = "sickness_known"
    """The day the municipality learned that a person outside sygedagpenge is sick (the
    sickness_reported event of a kontanthjælp course, LAS 2007 § 12 b)."""
    FOLLOWUP_REQUESTED = "followup_requested"
    """A request for early sickness follow-up (sdp § 13 b stk. 2). A trigger: without one
    the rule does not apply."""
    OFFER_STARTED = "offer_started"
    """The first day of each offer the rule limits (``offer_limit`` only): one obligation per
    offer. A trigger."""
    OFFER_ENDED = "offer_ended"
    """The last day of the first offer of the span that the rule's ``fulfilled_by`` names: the
    start of the repeat-offer clock ("har afsluttet det første tilbud", LAB 2008-2019 § 96).
    A trigger: until that offer has ended the rule does not apply."""


class Effect(Term):
    """How an exemption period affects a rule's obligations (``semantics.md`` §4)."""

    WAIVE = "waive"
    EXTEND = "extend"
    NONE = "none"


class ExemptWindow(Term):
    """How exempt time inside the window of a count-in-window rule counts ("mindst fire
    jobsamtaler inden for de første 6 måneder"). No act or order says (NOT FOUND, research
    issue 16 § 1.4), so the rule file names the policy it chose and every obligation it
    changed records it among its policies."""

    EXTEND = "extend"
    """The window's end moves by the exempt days inside it and the count stays: the law's own
    device wherever it deals with exempt time in a period (LAS § 13 f, stk. 12, "forlænges";
    LAB lbk 280/2024 § 37, stk. 1-2, "medregnes ikke"; bek. 1216/2023 § 7)."""
    PRO_RATE = "pro_rate"
    """A what-if without basis in law: ⌈count × active days / window days⌉ conversations are
    due by the unmoved end; the rest are waived."""


class Confidence(Term):
    """How firmly the rule is established (the catalogue's marks)."""

    CONFIRMED = "confirmed"
    """Read in the cited primary law text."""
    INFERRED = "inferred"
    """Derived from confirmed text by a stated interpretation."""
    UNCONFIRMED = "unconfirmed"
    """Not verified against a primary source: every result says so."""


class IntervalFrom(Term):
    """Where the next interval of a rolling rule runs from."""

    LAST_FULFILMENT = "last_fulfilment"
    PREVIOUS_DUE = "previous_due"
    FULFILMENT_END = "fulfilment_end"
    """From the last day of the offer that met the previous obligation (a new offer "hver
    gang" the person has had the interval on the benefit after an offer ended)."""


class FulfilledBy(Term):
    """Which event type can fulfil an obligation."""

    CONVERSATION_HELD = "conversation_held"
    OFFER_STARTED = "offer_started"
    CASE_STEP = "case_step"
    OFFER_ENDED = "offer_ended"
    """The limited offer's own end (``offer_limit``)."""


@attrs.frozen
class LegalBasis:
    """Where the rule stands in the law: act, §, stk., nr., pkt., and the source URL."""

    act: str
    paragraph: str
    source: str
    stk: str | None = None
    nr: str | None = None
    pkt: str | None = None

    def cite(self) -> str:
        """``LAB lbk 280/2024 § 31, stk. 4`` (Danish citation form)."""
        if not self.paragraph:
            return self.act
        text = f"{self.act} § {self.paragraph}"
        for label, value in (("stk.", self.stk), ("nr.", self.nr), ("pkt.", self.pkt)):
            if value:
                text += f", {label} {value}" if label != "pkt." else f", {value}. pkt."
        return text


@attrs.frozen(cache_hash=True)
class Fulfilment:
    """The events that fulfil an obligation; an empty filter set means "any"."""

    event: FulfilledBy
    kinds: frozenset[ConversationKind] = frozenset()
    held_by: frozenset[Holder] = frozenset()
    forms: frozenset[Form] = frozenset()
    first_forms: frozenset[Form] = frozenset()
    """The first conversation of the span must be held in one of these forms; conversations
    of other forms before it fulfil nothing ("Første jobsamtale holdes ved personligt
    fremmøde. Herefter vælger personen …", LAB lbk 280/2024 § 33, stk. 1)."""
    alternate_forms: frozenset[Form] = frozenset()
    """Forms a conversation may take only every other time: one in these forms fulfils nothing
    when the conversation before it that counted was in one of them too ("Opfølgning ved
    personlig samtale … Hver 2. samtale kan ske telefonisk", sickness category 2 in 2008)."""
    form_exceptions: frozenset[FormException] = frozenset()
    """Recorded reasons (``conversation_held.form_exception``) under which a conversation in
    one of ``excepted_forms`` counts as if held in a required form ("Opfølgningen kan dog ske
    telefonisk, eller ved personligt digitalt fremmøde, når …", sygedagpengeloven § 13 b,
    stk. 4)."""
    excepted_forms: frozenset[Form] = frozenset()
    offers: frozenset[OfferKind] = frozenset()
    steps: frozenset[CaseStep] = frozenset()

    def form_counts(self, form: Form, exception: FormException | None) -> bool:
        """Whether a conversation in *form*, with the recorded *exception*, has a form that
        fulfils ``forms`` (empty: any form does)."""
        return (not self.forms or form in self.forms
                or (exception in self.form_exceptions and form in self.excepted_forms))

    def excepted(self, form: Form, exception: FormException | None) -> bool:
        """Whether a recorded exception lets a conversation in *form* stand for a required
        form."""
        return exception in self.form_exceptions and form in self.excepted_forms


@attrs.frozen
class Conditions:
    """Facts about the person or case that make a rule apply (all must hold)."""

    age_min: int | None = None
    age_max: int | None = None
    education: bool | None = None
    custody: bool | None = None
    categories: frozenset[int] = frozenset()
    employed: bool | None = None
    good_job_prospects: bool | None = None
    hard_to_place: bool | None = None
    dimittend: bool | None = None
    employer_sector: EmployerSector | None = None
    """A fact of the offer, not the person (``offer_limit`` rules only)."""
    empty: bool = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "empty", (
            self.age_min is None and self.age_max is None and self.education is None
            and self.custody is None and not self.categories and self.employed is None
            and self.good_job_prospects is None and self.hard_to_place is None
            and self.dimittend is None and self.employer_sector is None))


@attrs.frozen
class Extension:
    """One step by which the last day of an ``offer_limit`` obligation may move, when an
    ``offer_extended`` event with this ``basis`` is recorded on or before the current last
    day: up ``to`` a total length from the start, by ``step`` more each time, or (``open``)
    to the recorded ``until`` with no bound in law. A step with ``step`` or ``open`` may be
    taken again; the others once, in order."""

    basis: ExtensionBasis
    legal_basis: str
    to: Duration | None = None
    step: Duration | None = None
    open: bool = False
    note: str | None = None
    note_da: str | None = None
    """The note in Danish (``note_da``), for outputs in Danish; None where the file has
    none."""

    @property
    def repeatable(self) -> bool:
        return self.step is not None or self.open


@attrs.frozen
class Floor:
    """The earliest due date of the first repeat offer: ``duration`` from ``anchor`` on the
    rule's clock (LAB 2008 § 89, stk. 2-3, § 96, stk. 2: "dog først ... ved")."""

    anchor: Anchor
    duration: Duration


@attrs.frozen
class Rule:
    """One rule version. See ``rules/README.md`` for the meaning of every key."""

    id: str
    title_da: str
    title_en: str
    module_id: str
    era: str
    legal_basis: LegalBasis
    law_text: str
    confidence: Confidence
    valid_from: date
    valid_to: date | None
    groups: frozenset[TargetGroup]
    shape: Shape
    clock: Clock
    anchor: Anchor
    fulfilled_by: Fulfilment
    reading: Reading
    rounding: Rounding
    roll: Roll
    roll_basis: str = ""
    """Why a due date on a closed day moves (``roll`` and its source) or stays the calendar
    date."""
    duration: Duration | None = None
    opens_after: Duration | None = None
    opens_anchor: Anchor | None = None
    count: int = 1
    repeat: Duration | None = None
    interval: Duration | None = None
    interval_from: IntervalFrom = IntervalFrom.PREVIOUS_DUE
    start_index: int = 1
    max_items: int | None = None
    grace: Duration | None = None
    loentilskud_grace: Duration | None = None
    after_exemption: Duration | None = None
    exemptions: Mapping[ExemptionReason, Effect] = attrs.field(factory=dict)
    exempt_window: ExemptWindow | None = None
    """How ``extend`` exemptions count in a count-in-window rule (None: per-obligation
    extension, as for every other shape)."""
    exempt_window_basis: str = ""
    """Why the rule chose ``exempt_window`` (the law is silent; the analogy it follows)."""
    form_basis: str = ""
    """The provision that sets the form in ``fulfilled_by.forms`` or ``first_forms``."""
    when: Conditions = Conditions()
    unless: Conditions | None = None
    excluded_periods: tuple[tuple[date, date], ...] = ()
    selector: VersionSelector = VersionSelector.OPENS
    note: str | None = None
    offers: frozenset[OfferKind] = frozenset()
    """``offer_limit``: the offer kinds whose length the rule limits."""
    extensions: tuple[Extension, ...] = ()
    yields_to: tuple[str, ...] = ()
    """``offer_limit``: rule ids of the same module whose longer limit replaces this one for an
    offer they apply to (the law's exceptions, "dog 8 uger for ...")."""
    floor: Floor | None = None
    source_file: str = ""
    source_line: int | None = None
    fixed_policies: tuple[tuple[str, str], ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "fixed_policies", (
            ("clock", self.clock.value), ("reading", self.reading.value),
            ("rounding", self.rounding.value)))

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def effect_of(self, reason: ExemptionReason, _none: Effect = Effect.NONE) -> Effect:
        return self.exemptions.get(reason, _none)  # a default: 3.11 reads Effect.NONE slowly


@attrs.frozen
class RuleModule:
    """One rule file: its metadata and rules."""

    id: str
    title_da: str
    title_en: str
    era: str
    source_file: str
    rules: tuple[Rule, ...]


@attrs.frozen
class RulePack:
    """A set of rule modules, indexed by target group for the evaluator."""

    name: str
    modules: tuple[RuleModule, ...]
    overlays: tuple[str, ...] = ()
    """Ids of the overlays applied on top of national law, in order."""
    policies: tuple[tuple[str, str], ...] = ()
    """Policies the overlays set; explicit policies passed to ``evaluate`` win."""
    withdrawn_sanctions: tuple[tuple[str, str], ...] = ()
    """(sanction rule id, overlay id): sanction rules an overlay abolishes."""
    by_group: Mapping[TargetGroup, tuple[Rule, ...]] = attrs.field(init=False, eq=False,
                                                                   repr=False)
    by_id: Mapping[str, tuple[Rule, ...]] = attrs.field(init=False, eq=False, repr=False)
    """Every version of each rule id, by its validity."""
    fulfilment_of: Mapping[int, Fulfilment] = attrs.field(init=False, eq=False, repr=False)
    """Each rule's ``fulfilled_by`` (by id) to the first equal one, whose candidates it shares."""

    def __attrs_post_init__(self) -> None:
        index: dict[TargetGroup, list[Rule]] = {}
        versions: dict[str, list[Rule]] = {}
        first: dict[Fulfilment, Fulfilment] = {}
        for rule in sorted(self.rules, key=lambda r: (r.id, r.valid_from)):
            versions.setdefault(rule.id, []).append(rule)
            for group in rule.groups:
                index.setdefault(group, []).append(rule)
            first.setdefault(rule.fulfilled_by, rule.fulfilled_by)
        object.__setattr__(self, "by_group", {g: tuple(rs) for g, rs in index.items()})
        object.__setattr__(self, "by_id", {i: tuple(rs) for i, rs in versions.items()})
        object.__setattr__(self, "fulfilment_of",
                           {id(r.fulfilled_by): first[r.fulfilled_by] for r in self.rules})

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for module in self.modules for rule in module.rules)

    def rule(self, rule_id: str) -> tuple[Rule, ...]:
        """Every version of the rule with this id."""
        return tuple(r for r in self.rules if r.id == rule_id)

    @classmethod
    def of(cls, name: str, modules: Iterable[RuleModule]) -> RulePack:
        return cls(name, tuple(sorted(modules, key=lambda m: m.id)))
