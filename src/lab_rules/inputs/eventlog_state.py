"""The person reader's state: rows in, persons out, for every event-log reader.

:class:`PersonReader` is the one place that decides which rows make a person, which persons
are held back (split across the log, or among unreadable rows) and how rows are counted; the
pure-Python reader (:func:`lab_rules.inputs.eventlog.read_persons`) feeds it every row, the
Arrow reader (:mod:`lab_rules.inputs.eventlog_arrow`) feeds it whole clean runs of rows already
converted (:meth:`PersonReader.run`) and every other row one by one (:meth:`PersonReader.row`),
so both give the same persons and the same located problems.

The Arrow reader may hand over a run's rows unbuilt (:data:`UnbuiltRows`), when it has read
their events: a person read from such a run alone keeps its document unbuilt until it is
asked for (:attr:`PersonRows.document`), since a caller that parses the person with those
events (:meth:`PersonRows.timeline`) needs only the person's facts and how many events there
are, unless the document has a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs

from lab_rules.core.privacy import mask_cpr
from lab_rules.inputs.events import Event
from lab_rules.inputs.row_types import PERSON_FIELDS, PERSON_ROW, ReadProgress, Row, convert_row
from lab_rules.inputs.timeline import SCHEMA_ID, Timeline
from lab_rules.inputs.timeline_json import parse_timeline, timeline_of_read

__all__ = ["PersonReader", "PersonRows", "UnbuiltRows", "suspects"]

_PLACES_SHOWN = 5

UnbuiltRows = Callable[[], list[dict[str, object]]]
"""A run's rows as :func:`~lab_rules.inputs.row_types.convert_row` gives them (without the
person row), built when called."""


@attrs.frozen
class _Unbuilt:
    """A document whose events are not built yet: its ``schema`` and ``person``, and its
    events' rows to build. Pickled as the document built."""

    head: dict[str, Any]
    rows: UnbuiltRows

    def built(self) -> dict[str, Any]:
        return {**self.head, "events": self.rows()}

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (self.built(),)


def _document_of(value: dict[str, Any] | _Unbuilt | None) -> dict[str, Any] | None:
    return value.built() if isinstance(value, _Unbuilt) else value


@attrs.frozen
class PersonRows:
    """One person's ``timeline/v1`` document as read, or the reasons it could not be read.

    ``rows`` is how many rows of the log are this person's (its own and unreadable rows among
    them); ``unattributed`` marks a record of rows that belong to no person (rows before the
    first person's that could not be read), whose ``person_id`` is ``line-N``; ``split`` a
    person held back as a whole because its rows lie in more than one place.

    ``events`` are the document's events already read, one per event of the document and in
    its order, when the reader was asked for them and could read every one (the Arrow reader
    reads each distinct cell once): :func:`~lab_rules.inputs.timeline_json.parse_timeline`
    then skips reading them again. They are what it would read, so they are not compared.

    The document may be held unbuilt (see the module): it is built when first read, and
    compared and pickled as built."""

    person_id: str
    first_line: int
    _document: dict[str, Any] | _Unbuilt | None = attrs.field(
        alias="document", eq=_document_of, repr=lambda value: repr(_document_of(value)))
    problems: tuple[str, ...] = ()
    rows: int = 0
    unattributed: bool = False
    split: bool = False
    events: tuple[Event, ...] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def document(self) -> dict[str, Any] | None:
        """The person's ``timeline/v1`` document; None when it could not be read."""
        found = self._document
        if isinstance(found, _Unbuilt):
            found = found.built()
            object.__setattr__(self, "_document", found)
        return found

    @property
    def readable(self) -> bool:
        """Whether the person has a document (without building it)."""
        return self._document is not None

    def timeline(self, source: str | None = None) -> Timeline:
        """``parse_timeline(self.document, source=source, events=self.events)``; an unbuilt
        document is built only when it has a problem (the reading that locates it needs its
        rows). Raises :class:`~lab_rules.core.errors.TimelineError` as that does; the
        document must be readable."""
        unbuilt = self._document
        if isinstance(unbuilt, _Unbuilt) and self.events is not None:
            found = timeline_of_read(unbuilt.head["person"], self.events)
            if found is not None:
                return found
        return parse_timeline(self.document, source=source, events=self.events)


def suspects(people: Iterator[str | None], named: set[str] | None = None) -> dict[str, int]:
    """The first pass: every person whose rows lie in more than one run, with its number of
    runs (rows without a person do not end a run, as in the second pass); every person
    met added to *named*, when given (:attr:`ReadProgress.named`)."""
    runs: dict[str, int] = {}
    current: str | None = None
    for person in people:
        if person is not None and person != current:
            runs[person] = runs.get(person, 0) + 1
            current = person
    if named is not None:
        named.update(runs)
    return {person: count for person, count in runs.items() if count > 1}


@attrs.define
class _Held:
    """A person held back as a whole: where its runs of rows start, its rows, and how many of
    its runs the first pass found still to come."""

    runs_left: int
    starts: list[int] = attrs.Factory(list)
    rows: int = 0


@attrs.define
class _Person:
    """The rows of the person being read."""

    person_id: str
    first_line: int
    unit: str
    whole: bool = True
    events: list[dict[str, object]] = attrs.Factory(list)
    facts: dict[str, object] = attrs.Factory(dict)
    problems: list[str] = attrs.Factory(list)
    rows: int = 0
    read: list[Event] | None = None
    """The events already read, while every row came in a run with them."""
    unbuilt: UnbuiltRows | None = None
    """The rows of the one run the person's rows came in, while they are not built."""
    person_line: int | None = None
    """Where the person's row of facts is, once read: a person has one."""

    def build(self) -> None:
        """Build the rows of :attr:`unbuilt` into :attr:`events`."""
        if self.unbuilt is not None:
            self.events = self.unbuilt() + self.events
            self.unbuilt = None

    def add(self, row: Row) -> None:
        self.rows += row.size
        self.read = None
        self.build()
        if row.cells is None:
            self.problems.append(f"{self.unit} {row.line}: {row.problem} (a row among this "
                                 "person's rows, so the person is held back rather than "
                                 "evaluated without it)")
            return
        values, problems = convert_row(row.cells)
        if problems:
            self.problems += [f"{self.unit} {row.line}: {p}" for p in problems]
        if values.get("type") != PERSON_ROW:
            self.events.append(values)
            return
        where = f"{self.unit} {row.line}"
        unknown = sorted(set(values) - set(PERSON_FIELDS) - {"type"})
        if unknown:
            self.problems.append(f"{where}: unknown person field(s) {', '.join(unknown)}")
        if self.person_line is not None:
            self.problems.append(f"{where}: a second person row of this person (the first is "
                                 f"{self.unit} {self.person_line}); give a person's facts in "
                                 "one row")
            return
        self.person_line = row.line
        self.facts = {key: values[key] for key in PERSON_FIELDS if key in values}

    def finish(self) -> PersonRows:
        if self.problems:
            return PersonRows(self.person_id, self.first_line, None, tuple(self.problems),
                              self.rows)
        head = {"schema": SCHEMA_ID, "person": {"id": self.person_id, **self.facts}}
        read = None if self.read is None else tuple(self.read)
        document = ({**head, "events": self.events} if self.unbuilt is None
                    else _Unbuilt(head, self.unbuilt))
        return PersonRows(self.person_id, self.first_line, document, (), self.rows,
                          events=read)


def _split_problem(person_id: str, starts: list[int], unit: str) -> str:
    if len(starts) == 1:
        return (f"{unit} {starts[0]}: the rows of {mask_cpr(person_id)} could not be told apart "
                "from other persons' rows on a first reading (a damaged row among them); the "
                "person is held back as a whole")
    shown = ", ".join(str(s) for s in starts[:_PLACES_SHOWN])
    more = f" and {len(starts) - _PLACES_SHOWN} more" if len(starts) > _PLACES_SHOWN else ""
    return (f"{unit} {starts[0]}: the rows of {mask_cpr(person_id)} lie in {len(starts)} places "
            f"among other persons' rows (starting at {unit}s {shown}{more}); the person is "
            "held back as a whole, not evaluated from part of its rows: sort the log by "
            "person_id")


class PersonReader:
    """Rows in log order in, persons out (in the order their rows end). *suspects* are the
    persons the first pass found in more than one run; *unit* names a row's place (``line``
    or ``row``)."""

    def __init__(self, suspects: dict[str, int], unit: str, counts: ReadProgress) -> None:
        self.suspects = suspects
        self.unit = unit
        self.counts = counts
        self.yielded: set[str] = set()
        self.held: dict[str, _Held] = {}
        self.current: _Person | None = None
        self.taint: str | None = None

    @property
    def current_id(self) -> str | None:
        return None if self.current is None else self.current.person_id

    def _done(self) -> Iterator[PersonRows]:
        """End a run of rows: a whole person is yielded; a held person when its last run
        (as the first pass counted them) is over, so its place is the same however the log
        is cut into pieces."""
        person = self.current
        if person is None:
            return
        if person.whole:
            result = person.finish()
            if not result.readable:
                self.counts.rows_quarantined += result.rows
            else:
                self.counts.rows_used += result.rows
            yield result
            return
        place = self.held[person.person_id]
        place.runs_left -= 1
        if place.runs_left == 0:
            yield self._release(person.person_id, place)

    def _release(self, person_id: str, place: _Held) -> PersonRows:
        self.counts.rows_quarantined += place.rows
        return PersonRows(person_id, place.starts[0], None,
                          (_split_problem(person_id, place.starts, self.unit),), place.rows,
                          split=True)

    def _begin(self, person: str, line: int) -> Iterator[PersonRows]:
        yield from self._done()
        current = self.current = _Person(person, line, self.unit)
        if person in self.suspects or person in self.yielded:
            current.whole = False
            place = self.held.setdefault(person, _Held(self.suspects.get(person, 1)))
            place.starts.append(line)
        else:
            self.yielded.add(person)
            if self.taint is not None:
                current.problems.append(f"{self.unit} {line}: {self.taint}")

    def row(self, row: Row) -> Iterator[PersonRows]:
        """One row as read."""
        self.counts.rows_read += row.size
        current = self.current
        if row.person is not None and (current is None or row.person != current.person_id):
            yield from self._begin(row.person, row.line)
            current = self.current
        if row.person is not None:
            self.taint = None
        if current is None:
            self.counts.rows_quarantined += row.size
            yield PersonRows(f"{self.unit}-{row.line}", row.line, None,
                             (f"{self.unit} {row.line}: {row.problem}",), row.size, True)
        elif current.whole:
            current.add(row)
        else:
            self.held[current.person_id].rows += row.size
        if row.taints_next:
            self.taint = (f"{self.unit}s from {row.line} could not be read and may hold rows "
                          "of this person")

    def run(self, person: str, line: int, rows: int,
            events: list[dict[str, object]] | UnbuiltRows, facts: dict[str, object],
            person_line: int | None, read: list[Event] | None = None
            ) -> Iterator[PersonRows]:
        """A run of *rows* readable rows of *person* (a person other than the one being read)
        from *line*, already converted without a problem: its *events* (or the rows to build
        them, :data:`UnbuiltRows`) and the *facts* of at most one person row with only person
        fields, on *person_line* (None: no person row); *read*, the events already read from
        them (:attr:`PersonRows.events`), if any. The same as feeding the rows one by one."""
        self.counts.rows_read += rows
        yield from self._begin(person, line)
        self.taint = None
        current = self.current
        assert current is not None
        if current.whole:
            current.rows += rows
            current.read = read if not current.events else None
            if callable(events) and not current.events and current.unbuilt is None:
                current.unbuilt = events
            else:
                current.build()
                current.events += events() if callable(events) else events
            current.facts.update(facts)
            current.person_line = person_line
        else:
            self.held[person].rows += rows

    def close(self) -> Iterator[PersonRows]:
        """The log has ended: the last person, and every held person not yet released."""
        yield from self._done()
        self.current = None
        for person_id, place in self.held.items():
            if place.runs_left > 0:
                yield self._release(person_id, place)
