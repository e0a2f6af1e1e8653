"""lab-rules: Danish employment-law deadlines and refunds as declarative rules.

The public API is what this module re-exports; everything else may change.
"""

from lab_rules._version import __version__
from lab_rules.calendar import (
    ClosedDay,
    DanishCalendar,
    DateComputation,
    Duration,
    Reading,
    Roll,
    Rounding,
    add,
    after,
    deadline,
    end_of_week,
    within,
)
from lab_rules.contact.results import Note, Obligation, Status
from lab_rules.core.errors import (
    AmbiguousDateError,
    DurationFormatError,
    IncomparableDurationsError,
    InputError,
    LabRulesError,
    Problem,
    TimelineError,
)
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.offer_end import OfferEnd, OfferEnds, offer_end
from lab_rules.evaluation.result import Evaluation
from lab_rules.evaluation.worklist import Worklist, worklist
from lab_rules.faces import frames
from lab_rules.faces.evaluation_json import dumps_evaluation, evaluation_to_json
from lab_rules.faces.text_table import render_text
from lab_rules.inputs.timeline import Person, Timeline
from lab_rules.inputs.timeline_json import (
    dumps_timeline,
    load_timeline,
    loads_timeline,
    parse_timeline,
    timeline_to_json,
)
from lab_rules.law import RuleError, RulePack, bundled_pack, load_pack
from lab_rules.law.overlay import (
    Overlay,
    apply_overlays,
    bundled_overlays,
    law_as_of,
    load_overlay,
)
from lab_rules.law.policies import NoShowPolicy, Policies, VersionSelector
from lab_rules.loops.variants import Variant, variant
from lab_rules.loops.whatif import compare_caseload

__all__ = [
    "AmbiguousDateError",
    "ClosedDay",
    "DanishCalendar",
    "DateComputation",
    "Duration",
    "DurationFormatError",
    "Evaluation",
    "IncomparableDurationsError",
    "InputError",
    "LabRulesError",
    "NoShowPolicy",
    "Note",
    "Obligation",
    "OfferEnd",
    "OfferEnds",
    "Overlay",
    "Person",
    "Policies",
    "Problem",
    "Reading",
    "Roll",
    "Rounding",
    "RuleError",
    "RulePack",
    "Status",
    "Timeline",
    "TimelineError",
    "Variant",
    "VersionSelector",
    "Worklist",
    "__version__",
    "add",
    "after",
    "apply_overlays",
    "bundled_overlays",
    "bundled_pack",
    "compare_caseload",
    "deadline",
    "dumps_evaluation",
    "dumps_timeline",
    "end_of_week",
    "evaluate",
    "evaluation_to_json",
    "frames",
    "law_as_of",
    "load_overlay",
    "load_pack",
    "load_timeline",
    "loads_timeline",
    "mask_cpr",
    "offer_end",
    "parse_timeline",
    "render_text",
    "timeline_to_json",
    "variant",
    "within",
    "worklist",
]
