"""The closed vocabularies of timelines and rule files, in the Danish legal terms.

Values are the Danish term of art in ASCII (æ → ae, ø → oe, å → aa) so that JSON and TOML
files read like the law; the docstrings give the English meaning and the legal source.
"""

from __future__ import annotations

import enum

from lab_rules.core.messages import text


class Term(enum.Enum):
    """Base of lab-rules' enumerations. Members are singletons, so they hash by identity:
    set membership tests run at C speed instead of through ``Enum.__hash__``."""

    __hash__ = object.__hash__


class Benefit(Term):
    """Public benefits ("ydelser") that put a person in a target group or count for refund."""

    DAGPENGE = "dagpenge"
    """Arbejdsløshedsdagpenge, insured unemployment benefit (LAB § 6 nr. 1)."""
    KONTANTHJAELP = "kontanthjaelp"
    """Kontanthjælp, social assistance (LAS § 11; LAB § 6 nr. 2-3)."""
    UDDANNELSESHJAELP = "uddannelseshjaelp"
    """Uddannelseshjælp for persons under 30 without vocational education (LAB § 6 nr. 4-5)."""
    OVERGANGSYDELSE = "overgangsydelse"
    """Overgangsydelse / selvforsørgelses- og hjemrejseydelse outside the programmes."""
    SYGEDAGPENGE = "sygedagpenge"
    """Sickness benefit (sygedagpengeloven; LAB § 6 nr. 6)."""
    JOBAFKLARINGSYDELSE = "jobafklaringsydelse"
    """Ressourceforløbsydelse under jobafklaringsforløb (LAB § 6 nr. 7)."""
    RESSOURCEFORLOEBSYDELSE = "ressourceforloebsydelse"
    """Ressourceforløbsydelse under ressourceforløb (LAB § 6 nr. 8)."""
    LEDIGHEDSYDELSE = "ledighedsydelse"
    """Benefit for unemployed persons approved for fleksjob (LAB § 6 nr. 9)."""
    REVALIDERINGSYDELSE = "revalideringsydelse"
    """Revalidering (LAB § 6 nr. 10)."""
    FOERTIDSPENSION = "foertidspension"
    """Disability pension (LAB § 6 nr. 11)."""
    FLEKSLOENTILSKUD = "fleksloentilskud"
    """Wage subsidy of a person employed in fleksjob."""
    BARSELSDAGPENGE = "barselsdagpenge"
    """Maternity benefit: public support that is not a covered benefit for refund."""
    SU = "su"
    """Statens Uddannelsesstøtte: public support, not a covered benefit (BEK 1772/2015 § 3
    stk. 2 nr. 18)."""
    EFTERLOEN = "efterloen"
    """Early retirement pay: public support, not a covered benefit."""
    FOLKEPENSION = "folkepension"
    """Old-age pension: offentlig forsørgelse, not a covered benefit (BEK 1772/2015 § 3, stk. 2,
    nr. 19)."""
    FLEKSYDELSE = "fleksydelse"
    """Fleksydelse (lov om fleksydelse): offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2,
    nr. 11)."""
    DELPENSION = "delpension"
    """Delpension (lov om delpension): offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2, nr. 12)."""
    FERIEDAGPENGE = "feriedagpenge"
    """Feriedagpenge (ALF § 75 h): offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2, nr. 13)."""
    JOBROTATIONSYDELSE = "jobrotationsydelse"
    """Jobrotationsydelse: offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2, nr. 15)."""
    VOKSENLAERLINGETILSKUD = "voksenlaerlingetilskud"
    """Wage subsidy for an adult apprentice: offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2,
    nr. 16)."""
    SENIORJOB = "seniorjob"
    """Seniorjob (lov om seniorjob): offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2, nr. 17)."""
    EFTERLEVELSESPENSION = "efterlevelsespension"
    """Pension continued to the surviving pensioner: offentlig forsørgelse (BEK 572/2023 § 3,
    stk. 2, nr. 20)."""
    TIDLIG_PENSION = "tidlig_pension"
    """Tidlig pension: offentlig forsørgelse (BEK 572/2023 § 3, stk. 2, nr. 21)."""
    SELVSTAENDIGTILSKUD = "selvstaendigtilskud"
    """Support as a subsidy to a self-employed person (LAB § 70 g): covered by the staircase
    with fleksløntilskud (lov 994/2015 § 3, stk. 1, nr. 12)."""
    FLEKSJOBTILSKUD = "fleksjobtilskud"
    """Subsidy to an old-scheme fleksjob (LAB §§ 71-72): offentlig forsørgelse (BEK 1772/2015
    § 3, stk. 2, nr. 5)."""
    KONTANTHJAELP_EFTERLOENSALDER = "kontanthjaelp_efterloensalder"
    """Help to a person past efterløn age without social pension (LAS § 27): offentlig
    forsørgelse, not a covered benefit (BEK 1772/2015 § 3, stk. 2, nr. 1)."""
    FOERTIDSPENSION_FOER_2003 = "foertidspension_foer_2003"
    """Førtidspension under the pre-2003 law (højeste, mellemste, ... førtidspension):
    offentlig forsørgelse (BEK 1772/2015 § 3, stk. 2, nr. 8)."""
    INTEGRATIONSYDELSE = "integrationsydelse"
    """Integrationsydelse (LAS § 22, 1.9.2015 – 30.6.2019): help to persons without the
    residence or work record for kontanthjælp; renamed selvforsørgelses- og hjemrejseydelse."""
    SELVFORSOERGELSES_OG_HJEMREJSEYDELSE = "selvforsoergelses_og_hjemrejseydelse"
    """Selvforsørgelses- og hjemrejseydelse (LAS § 22 from 1.7.2019), the successor of
    integrationsydelse."""
    KONTANTYDELSE = "kontantydelse"
    """Kontantydelse (lov om kontantydelse, lov 174/2015, from 1.3.2015): help to persons who
    have used up their dagpenge (refunded on the staircase, lov 994/2015 § 3, stk. 1, nr. 4)."""
    FOERTIDSPENSION_UDLAND = "foertidspension_udland"
    """Førtidspension to a person without residence in Denmark: offentlig forsørgelse (BEK
    1772/2015 § 3, stk. 2, nr. 9)."""


class TargetGroup(Term):
    """Target groups of LAB § 6 (numbering of lov 548/2019 to lbk 280/2024) and fleksjob."""

    DAGPENGE = "dagpenge"
    JOBPARAT_KONTANTHJAELP = "jobparat_kontanthjaelp"
    AKTIVITETSPARAT_KONTANTHJAELP = "aktivitetsparat_kontanthjaelp"
    UDDANNELSESPARAT_UDDANNELSESHJAELP = "uddannelsesparat_uddannelseshjaelp"
    AKTIVITETSPARAT_UDDANNELSESHJAELP = "aktivitetsparat_uddannelseshjaelp"
    SYGEDAGPENGE = "sygedagpenge"
    JOBAFKLARINGSFORLOEB = "jobafklaringsforloeb"
    RESSOURCEFORLOEB = "ressourceforloeb"
    FLEKSJOBVISITERET = "fleksjobvisiteret"
    REVALIDERING = "revalidering"
    FOERTIDSPENSION = "foertidspension"
    SELVFORSOERGENDE = "selvforsoergende"
    UNDER_18 = "under_18"
    FLEKSJOB_ANSAT = "fleksjob_ansat"
    """Persons employed in fleksjob: follow-up every 2½ years (LAB § 121), not a § 6 group."""
    INTEGRATIONSPROGRAM = "integrationsprogram"
    """Persons in the integration programme or introduction course of integrationsloven
    (selvforsørgelses- og hjemrejseprogram from 2019): their contact duties are in that act."""
    KONTANTYDELSE = "kontantydelse"
    """Recipients of kontantydelse (lov 174/2015): no contact course of their own (LAB lbk
    1342/2016 § 75 z, stk. 2), see rules/coverage/."""

    @property
    def lab_6_nr(self) -> int | None:
        """The number in LAB § 6 (lov 548/2019 ff.), or None outside § 6."""
        return _LAB_6_NR.get(self)


_LAB_6_NR = {group: nr for nr, group in enumerate(list(TargetGroup)[:13], start=1)}


class ConversationKind(Term):
    """Kinds of conversation ("samtale") a contact course requires."""

    JOBSAMTALE = "jobsamtale"
    """Individual job conversation with the jobcentre, kommune or a-kasse."""
    FAELLESSAMTALE = "faellessamtale"
    """Joint job conversation: jobcentre and a-kasse together (a jobsamtale as well)."""
    CV_SAMTALE = "cv_samtale"
    """CV conversation (a-kasse; LAB 2008 § 14, 2016 § 14, 2019 § 25)."""
    OPFOELGNINGSSAMTALE = "opfoelgningssamtale"
    """Follow-up conversation: sickness benefit (sdp § 13 b) or fleksjob (LAB § 121)."""
    RAADIGHEDSSAMTALE = "raadighedssamtale"
    """Availability conversation held by the a-kasse."""


class Form(Term):
    """How a conversation was held (LAB § 33)."""

    PERSONLIGT = "personligt"
    """Personal attendance ("personligt fremmøde")."""
    VIDEO = "video"
    """"Personligt digitalt fremmøde"."""
    TELEFON = "telefon"
    BREV = "brev"
    """By letter (barsel conversations; older eras)."""


class FormException(Term):
    """Why a conversation that must be held in person may be held otherwise, as the caseworker
    records it on the conversation (``conversation_held.form_exception``).

    Sygedagpengeloven lbk 1221/2025 § 13 b, stk. 4: "Opfølgningen kan dog ske telefonisk,
    eller ved personligt digitalt fremmøde, når 1) … 6)"; LAB lbk 280/2024 § 33, stk. 2,
    3. pkt. for barsel. Which of them a rule accepts is data (``fulfilled_by.form_exceptions``).
    """

    ANSAT = "ansat"
    """The sick person is employed ("i et ansættelsesforhold", § 13 b, stk. 4, nr. 1)."""
    DELVIST_GENOPTAGET = "delvist_genoptaget"
    """Has partly resumed work (nr. 2)."""
    RASKMELDT_INDEN_4_UGER = "raskmeldt_inden_4_uger"
    """Expected fully fit and back at work within 4 weeks (nr. 3)."""
    BARSEL_INDEN_4_UGER = "barsel_inden_4_uger"
    """Expected to go on maternity/paternity leave within 4 weeks (nr. 4)."""
    I_TILBUD = "i_tilbud"
    """Takes part in an offer under LAB (nr. 5)."""
    SYGDOM_FORHINDRER = "sygdom_forhindrer"
    """The illness prevents a conversation in person (nr. 6)."""
    BARSEL_ANMODNING = "barsel_anmodning"
    """On barsel (LAB § 27, stk. 4) and asked for phone or video (LAB § 33, stk. 2, 3. pkt.)."""


class Holder(Term):
    """Who held a conversation."""

    JOBCENTER = "jobcenter"
    KOMMUNE = "kommune"
    A_KASSE = "a_kasse"
    ARBEJDSGIVER = "arbejdsgiver"


class Excuse(Term):
    """Reasonable excuses ("rimelig grund", LAS § 13 stk. 7; RÅD-KH-JP § 16 stk. 3)."""

    SYGDOM = "sygdom"
    BARSEL = "barsel"
    BEGRAVELSE = "begravelse"
    JOBSAMTALE_HOS_ARBEJDSGIVER = "jobsamtale_hos_arbejdsgiver"
    SAMVAER_MED_ANBRAGT_BARN = "samvaer_med_anbragt_barn"
    PASNING_AF_BARN = "pasning_af_barn"
    TRANSPORT = "transport"
    FERIE = "ferie"
    ANDET = "andet"


class RateCategory(Term):
    """The kontanthjælp rate a payment is computed on, where a rule depends on it (the fixed
    2009-2013 nedsættelse, LAS lbk 190/2012 § 40: adult rates § 25 stk. 1 nr. 1-2, stk. 2-3;
    under 25 living away from home; under 25 living at home)."""

    VOKSEN = "voksen"
    UNDER_25_UDEBOENDE = "under_25_udeboende"
    UNDER_25_HJEMMEBOENDE = "under_25_hjemmeboende"


class RegistrationKind(Term):
    """What was missing under LAS § 38: the registration as jobsøgende, or the CV."""

    NOT_REGISTERED = "not_registered"
    NO_CV = "no_cv"


class RefusalKind(Term):
    """What the person refused or left (LAS § 39 stk. 1 nr. 1-8)."""

    QUIT_JOB = "quit_job"
    REFUSED_JOB = "refused_job"
    REFUSED_OFFER = "refused_offer"
    SICKNESS_NOT_REPORTED = "sickness_not_reported"
    JOB_NOT_APPLIED = "job_not_applied"
    EDUCATION_DROPPED = "education_dropped"
    JOBLOG = "joblog"


class ExemptionReason(Term):
    """Why duties are paused or waived (``semantics.md`` §4; catalogue §15)."""

    MINDRE_INTENSIV_INDSATS = "mindre_intensiv_indsats"
    """LAB § 106 (2016: § 21 f): job, barsel or pension within 6 weeks, vejrlig, etc."""
    BARSEL = "barsel"
    SYGDOM = "sygdom"
    FERIE = "ferie"
    STANDBY = "standby"
    """Sygedagpenge standby-ordning for serious illness (sdp § 13 b stk. 5)."""
    RIMELIG_GRUND = "rimelig_grund"
    KOMMUNAL_VURDERING = "kommunal_vurdering"
    """The 2026 exemption of up to 25 % of a group by concrete assessment."""
    ANDET = "andet"
    BEGRAENSET_ARBEJDSEVNE = "begraenset_arbejdsevne"
    """The kommune's assessment that the capacity for work is so limited that ordinary
    employment cannot be obtained: not covered by the hours rule (LAS § 13 f, stk. 9; 2007-2011
    § 13, stk. 9), and its time extends the window (§ 13 f, stk. 12, nr. 5). Not the 2026
    :attr:`KOMMUNAL_VURDERING`."""
    PASNING = "pasning"
    """Support for caring for a child with a disability, a disabled adult or a dying relative:
    extends the hours rule's window (LAS § 13 f, stk. 12, nr. 3)."""
    VAERNEPLIGT = "vaernepligt"
    """Military service: extends the hours rule's window (LAS § 13 f, stk. 12, nr. 4)."""
    BEHANDLING = "behandling"
    """Documented long-term treatment of at least 3 months that rules out offers (sick
    kontanthjælp recipients, BEK 743/2009 § 29, stk. 3 to BEK 977/2018 § 35, stk. 3): it
    changes the content of a jobsamtale, not when it is due, so the rule files give it no
    effect on a deadline (``behandling = "none"``)."""
    LIVSTRUENDE_UHELBREDELIG = "livstruende_uhelbredelig"
    """Kontant- and starthjælp recipients sick with a life-threatening illness judged incurable:
    undtaget fra det individuelle kontaktforløb from 1.8.2009 until BEK 199/2012 removed the
    item on 5.3.2012 (BEK 743/2009 § 28, stk. 2, nr. 5); the dates are data
    (``fritagelser.toml``, ``lapses``)."""
    UDDANNELSE_UDEN_RAADIGHED = "uddannelse_uden_raadighed"
    """Education, or another public benefit, without a duty to use one's work opportunities:
    extends the hours rule's window (LAS § 13 f, stk. 12, nr. 6)."""

    def label(self, lang: str = "en") -> str:
        """The reason in words (catalogue ``exemptions.<value>``)."""
        return text(f"exemptions.{self.value}", lang)


class OfferKind(Term):
    """Activation offers ("tilbud", LAB kap. 10-14 / 2019 kap. 10-12)."""

    VEJLEDNING_OG_OPKVALIFICERING = "vejledning_og_opkvalificering"
    VIRKSOMHEDSPRAKTIK = "virksomhedspraktik"
    LOENTILSKUD = "loentilskud"
    NYTTEINDSATS = "nytteindsats"
    UDDANNELSE = "uddannelse"
    OEVRIG_VEJLEDNING = "oevrig_vejledning"
    """LAB § 91: does not meet ret og pligt from lbk 280/2024 (§ 102 stk. 6)."""
    LAERINGSFORLOEB = "laeringsforloeb"
    """LAB § 93: does not meet ret og pligt."""


class ExtensionBasis(Term):
    """The assessment on which a running offer is extended beyond its first limit.

    LAB 2008-2019 § 44, stk. 2; 2019 § 61, stk. 2, § 68, nr. 2: each extension step of a rule
    names the one it needs."""

    KONKRET_VURDERING = "konkret_vurdering"
    """A concrete assessment ("efter en konkret vurdering"): the first extension."""
    SAERLIGT_BEHOV = "saerligt_behov"
    """A special need found by a concrete, individual assessment ("særligt behov for en længere
    periode", LAB 2008-2019): a further extension without an upper bound."""
    HELT_SAERLIGT_BEHOV = "helt_saerligt_behov"
    """A very special need ("helt særligt behov", LAB 2019 ff.): up to 13 weeks at a time."""


class EmployerSector(Term):
    """The employer of a løntilskud offer: public (offentlig) or private (privat).

    The longest løntilskud depends on it from 2014 (LAB § 53; 2019 § 68)."""

    OFFENTLIG = "offentlig"
    PRIVAT = "privat"


class CaseStep(Term):
    """Case steps that are deadlines in themselves, not conversations."""

    REHABILITERINGSTEAM = "rehabiliteringsteam"
    AFKLARING = "afklaring"
    REVURDERING = "revurdering"
    UDDANNELSESPAALAEG = "uddannelsespaalaeg"
    VISITATION = "visitation"
    SYGDOMSVURDERING = "sygdomsvurdering"
    """Assessment of a sick kontanthjælp recipient's need for a plan (LAS 2007 § 12 b)."""
    STATUS = "status"
    """Fleksjob status after 4½ years (LAB 2016 § 70 d stk. 3; LAB 2019 § 121 stk. 3)."""
