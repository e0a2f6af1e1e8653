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
from lab_rules.errors import (
    AmbiguousDateError,
    DurationFormatError,
    IncomparableDurationsError,
    InputError,
    LabRulesError,
    Problem,
    TimelineError,
)
from lab_rules.privacy import mask_cpr
from lab_rules.timeline import Person, Timeline
from lab_rules.timeline_json import (
    dumps_timeline,
    load_timeline,
    loads_timeline,
    parse_timeline,
    timeline_to_json,
)

__all__ = [
    "AmbiguousDateError",
    "ClosedDay",
    "DanishCalendar",
    "DateComputation",
    "Duration",
    "DurationFormatError",
    "IncomparableDurationsError",
    "InputError",
    "LabRulesError",
    "Person",
    "Problem",
    "Reading",
    "Roll",
    "Rounding",
    "Timeline",
    "TimelineError",
    "__version__",
    "add",
    "after",
    "deadline",
    "dumps_timeline",
    "end_of_week",
    "load_timeline",
    "loads_timeline",
    "mask_cpr",
    "parse_timeline",
    "timeline_to_json",
    "within",
]
