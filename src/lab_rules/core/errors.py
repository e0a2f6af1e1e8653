"""Exception types, one per failure kind, each carrying where the failure is.

Every message is passed through :func:`lab_rules.core.privacy.mask_cpr`, so no exception raised
by lab-rules can carry an unmasked CPR number into a log or a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line


class LabRulesError(Exception):
    """Base class of every error lab-rules raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_cpr(message))


@attrs.frozen
class Problem:
    """One located problem in an input document.

    ``path`` is a JSON Pointer (``/events/3/date``) or a dotted key path for rule files;
    ``source`` the file or record it came from; ``line`` the line number where known. Its text
    is one line: a line break or an ANSI escape in a file name or a value is written as an
    escape.
    """

    path: str
    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        located = f"{self.path}: {self.message}" if self.path else self.message
        return one_line(mask_cpr(f"{where}: {located}" if where else located))


class InputError(LabRulesError):
    """Bad input: carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem], *, subject: str = "input") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{subject} has {count} {noun}:\n{lines}")


class TimelineError(InputError):
    """A timeline document failed validation."""


class DurationFormatError(LabRulesError, ValueError):
    """A duration string is not an ISO-8601 duration lab-rules understands."""


class AmbiguousDateError(LabRulesError, ValueError):
    """Adding months or years landed on a day that does not exist (31 Jan + 1 month).

    Raised in :attr:`lab_rules.calendar.Rounding.STRICT` mode, where the rule author must
    decide how to round rather than let the engine guess.
    """

    def __init__(self, start: object, duration: object, target: str) -> None:
        self.start = start
        self.duration = duration
        super().__init__(
            f"{start} + {duration} is ambiguous: {target} does not exist; "
            "choose Rounding.DOWN (last day of the month) or Rounding.UP (first day of the next)"
        )


class IncomparableDurationsError(LabRulesError, TypeError):
    """Two durations in different units were compared (1 month is not 30 days)."""
