"""lab-rules: Danish employment-law deadlines and refunds as declarative rules.

The public API is what this module re-exports; everything else may change. The names are
imported when first used (PEP 562), so ``import lab_rules`` and the ``lab-rules`` command start
without loading the law and the engine: a Ctrl-C while the command is still starting is then
caught like one at any later moment (:mod:`lab_rules.faces.command`).
"""

from __future__ import annotations

from importlib import import_module

from lab_rules._version import __version__

TYPE_CHECKING = False
"""True only for type checkers (mypy reads any ``TYPE_CHECKING`` so): ``typing`` itself takes
a hundredth of a second to import, while an interrupt would still print a traceback."""

if TYPE_CHECKING:
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
    from lab_rules.contact.results import (
        Note,
        Obligation,
        Status,
    )
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
    from lab_rules.evaluation.offer_end import (
        OfferEnd,
        OfferEnds,
        offer_end,
    )
    from lab_rules.evaluation.result import Evaluation
    from lab_rules.evaluation.worklist import (
        Worklist,
        worklist,
    )
    from lab_rules.faces import frames
    from lab_rules.faces.evaluation_json import (
        dumps_evaluation,
        evaluation_to_json,
    )
    from lab_rules.faces.text_table import render_text
    from lab_rules.inputs.timeline import (
        Person,
        Timeline,
    )
    from lab_rules.inputs.timeline_json import (
        dumps_timeline,
        load_timeline,
        loads_timeline,
        parse_timeline,
        timeline_to_json,
    )
    from lab_rules.law import (
        RuleError,
        RulePack,
        bundled_pack,
        load_pack,
    )
    from lab_rules.law.overlay import (
        Overlay,
        apply_overlays,
        bundled_overlays,
        law_as_of,
        load_overlay,
    )
    from lab_rules.law.policies import (
        NoShowPolicy,
        Policies,
        VersionSelector,
    )
    from lab_rules.loops.variants import (
        Variant,
        variant,
    )
    from lab_rules.loops.whatif import compare_caseload

_PLACES: dict[str, str] = {
    "ClosedDay": "lab_rules.calendar",
    "DanishCalendar": "lab_rules.calendar",
    "DateComputation": "lab_rules.calendar",
    "Duration": "lab_rules.calendar",
    "Reading": "lab_rules.calendar",
    "Roll": "lab_rules.calendar",
    "Rounding": "lab_rules.calendar",
    "add": "lab_rules.calendar",
    "after": "lab_rules.calendar",
    "deadline": "lab_rules.calendar",
    "end_of_week": "lab_rules.calendar",
    "within": "lab_rules.calendar",
    "Note": "lab_rules.contact.results",
    "Obligation": "lab_rules.contact.results",
    "Status": "lab_rules.contact.results",
    "AmbiguousDateError": "lab_rules.core.errors",
    "DurationFormatError": "lab_rules.core.errors",
    "IncomparableDurationsError": "lab_rules.core.errors",
    "InputError": "lab_rules.core.errors",
    "LabRulesError": "lab_rules.core.errors",
    "Problem": "lab_rules.core.errors",
    "TimelineError": "lab_rules.core.errors",
    "mask_cpr": "lab_rules.core.privacy",
    "evaluate": "lab_rules.evaluation.evaluate",
    "OfferEnd": "lab_rules.evaluation.offer_end",
    "OfferEnds": "lab_rules.evaluation.offer_end",
    "offer_end": "lab_rules.evaluation.offer_end",
    "Evaluation": "lab_rules.evaluation.result",
    "Worklist": "lab_rules.evaluation.worklist",
    "worklist": "lab_rules.evaluation.worklist",
    "frames": "lab_rules.faces",
    "dumps_evaluation": "lab_rules.faces.evaluation_json",
    "evaluation_to_json": "lab_rules.faces.evaluation_json",
    "render_text": "lab_rules.faces.text_table",
    "Person": "lab_rules.inputs.timeline",
    "Timeline": "lab_rules.inputs.timeline",
    "dumps_timeline": "lab_rules.inputs.timeline_json",
    "load_timeline": "lab_rules.inputs.timeline_json",
    "loads_timeline": "lab_rules.inputs.timeline_json",
    "parse_timeline": "lab_rules.inputs.timeline_json",
    "timeline_to_json": "lab_rules.inputs.timeline_json",
    "RuleError": "lab_rules.law",
    "RulePack": "lab_rules.law",
    "bundled_pack": "lab_rules.law",
    "load_pack": "lab_rules.law",
    "Overlay": "lab_rules.law.overlay",
    "apply_overlays": "lab_rules.law.overlay",
    "bundled_overlays": "lab_rules.law.overlay",
    "law_as_of": "lab_rules.law.overlay",
    "load_overlay": "lab_rules.law.overlay",
    "NoShowPolicy": "lab_rules.law.policies",
    "Policies": "lab_rules.law.policies",
    "VersionSelector": "lab_rules.law.policies",
    "Variant": "lab_rules.loops.variants",
    "variant": "lab_rules.loops.variants",
    "compare_caseload": "lab_rules.loops.whatif",
}
"""Where each public name lives (a module of the package, for ``frames``)."""

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


def __getattr__(name: str) -> object:
    """The public name *name*, imported from its module the first time it is asked for."""
    place = _PLACES.get(name)
    if place is None:
        raise AttributeError(f"module 'lab_rules' has no attribute {name!r}")
    module = import_module(place)
    value = getattr(module, name) if hasattr(module, name) else import_module(f"{place}.{name}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
