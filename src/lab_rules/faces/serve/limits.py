"""The bounds a server puts on each request, set by ``lab-rules serve`` flags.

Every request is bounded before it costs much: the body by its size in bytes (checked against
``Content-Length`` and again while it streams in), a timeline by its number of events and a
worklist by its number of persons (both counted on the decoded JSON, before the located
parse), and the work of one request (decoding, parsing, evaluating, writing the answer) by a
time budget. ``concurrency`` evaluations run at once; the others wait their turn within the
budget.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Limits"]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen(slots=True)
class Limits:
    """The per-request bounds of a server (defaults: a caseworker's single case is a few
    kilobytes and tens of events; a 10-year synthetic case is about 400 events)."""

    max_body_bytes: int = attrs.field(default=5_000_000, validator=_positive)
    """The largest request body accepted, in bytes (answered 413 above it)."""
    max_events: int = attrs.field(default=10_000, validator=_positive)
    """The most events one timeline may have (answered 413 above it)."""
    max_persons: int = attrs.field(default=1_000, validator=_positive)
    """The most persons one worklist request may hold (answered 413 above it)."""
    time_budget: float = attrs.field(default=10.0, validator=_positive)
    """Seconds one request may spend reading, evaluating and writing its answer (answered
    503 past it)."""
    concurrency: int = attrs.field(default=4, validator=_positive)
    """How many requests are evaluated at once; the others wait (within their budget)."""

    def as_json(self) -> dict[str, int | float]:
        """The limits as the health and OpenAPI documents state them."""
        return {"max_body_bytes": self.max_body_bytes, "max_events": self.max_events,
                "max_persons": self.max_persons, "time_budget_seconds": self.time_budget,
                "concurrency": self.concurrency}
