"""The worklist of a caseload read from an event log (JSON Lines, CSV or Parquet) or from
``timeline/v2`` documents: every person read is on the list or held back with its reasons,
never dropped; ids are CPR-masked, or keyed pseudonyms for a list that leaves the jobcentre.

Every reason a person is held back for starts with the input it comes from, as given on the
command line (control characters and undecodable bytes escaped), so a list made from several
inputs says which file to open. A pseudonymised list names its inputs by their place on the
command line instead (``input 2``): a file name is the jobcentre's choice and may say anything
about anyone (a log named after one person would show in every other person's reasons), and
the jobcentre that sends the list knows which file was its second input.

A person is evaluated from all of its rows or held back, across inputs too: with several
inputs, a first pass finds every person id that occurs in more than one of them (an event
log's rows, a timeline file's ``person.id``), and such a person is held back once, as a whole,
naming every input and line where its rows start, never evaluated once per input from a part
of its rows. The same file given twice (by any name: a link, ``./``) is refused before anything
is read: it is a mistake on the command line (every person would be held back, or, read once,
the file meant may be missing), not a fact of the caseload.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

from lab_rules.calendar import Duration
from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line
from lab_rules.evaluation.worklist import Held, Worklist, worklist
from lab_rules.inputs.eventlog import read_persons, row_people
from lab_rules.inputs.eventlog_lines import check_content, format_of
from lab_rules.inputs.row_types import person_id_of
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_checks import printable
from lab_rules.inputs.timeline_json import loads_timeline, parse_timeline
from lab_rules.law.bundle import Law
from lab_rules.loops.batch_person import public_id

__all__ = ["caseload_worklist", "input_name", "refuse_repeated_inputs"]


def input_name(source: str | Path) -> str:
    """The input *source* as a held-back reason names it: as given, on one line, with
    undecodable bytes (a file name that is not UTF-8) and control characters as escapes, so it
    can be printed and written to any output."""
    return one_line(printable(str(source)))


def refuse_repeated_inputs(sources: Sequence[str | Path]) -> None:
    """Raise a :class:`LabRulesError` naming both if two of *sources* are the same file: the
    same device and inode (a link, another spelling of the path), or, for a path that cannot
    be looked at (it fails later, as unreadable), the same absolute path."""
    seen: dict[object, int] = {}
    for number, source in enumerate(sources, start=1):
        identity: object
        try:
            status = os.stat(source)
            identity = (status.st_dev, status.st_ino)
        except (OSError, ValueError):
            identity = os.path.abspath(source)
        if identity in seen:
            first = seen[identity]
            raise LabRulesError(
                f"{input_name(sources[first - 1])} and {input_name(source)} (inputs {first} "
                f"and {number}) are the same file: give each input once")
        seen[identity] = number


def _timeline_person(path: Path) -> str | None:
    """The ``person.id`` of the timeline file *path* as written, or None if it has none that
    can be read (the file is then held back for what is wrong with it). OSError propagates."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return None
    person = document.get("person") if isinstance(document, dict) else None
    return person_id_of(person.get("id")) if isinstance(person, dict) else None


def _starts(path: Path) -> Iterator[tuple[str | None, str]]:
    """(person, place) of every row of the input *path* as the event-log reader's first pass
    reads it (:func:`lab_rules.inputs.eventlog.row_people`), the place named as the reader
    names it (``line 7``, a Parquet ``row 7``); or the one person of a timeline file (no
    place)."""
    if path.suffix == ".json":
        yield _timeline_person(path), ""
        return
    kind = format_of(path)
    check_content(path, kind)
    unit = "row" if kind == "parquet" else "line"
    for person, number in row_people(path, kind):
        yield person, f"{unit} {number}"


def _spread(paths: Sequence[Path], names: Sequence[str]) -> dict[str, list[str]]:
    """Every person id found in more than one of the inputs *paths*, with the places its rows
    start in each (``log.jsonl line 7``, or a timeline file's name), in input order. The
    first pass reads only the person of each row, as the event-log reader's own first pass
    does, and only when there is more than one input."""
    if len(paths) < 2:
        return {}
    places: dict[str, list[str]] = {}
    inputs: dict[str, int] = {}
    for index, path in enumerate(paths):
        for person, place in _starts(path):
            if person is None or inputs.get(person) == index:
                continue
            inputs[person] = index
            places.setdefault(person, []).append(f"{names[index]} {place}".rstrip())
    return {person: found for person, found in places.items() if len(found) > 1}


def caseload_worklist(sources: Iterable[str | Path], *, as_of: date, horizon: Duration,
                      law: Law | None = None, policies: Mapping[str, str] | None = None,
                      key: bytes | None = None) -> Worklist:
    """The worklist of the persons in *sources*: event logs, or single ``.json`` timelines.

    A person whose rows cannot be read, or whose timeline does not validate, is held back
    with its located reasons, each naming its input (CPR-masked; under *key*, the id
    pseudonymised wherever it is written, and each input named by its place, ``input 2``,
    never by its file name). A timeline file is held back under its ``person.id`` when it has
    one that can be read, else under its name (its place, under *key*). A person whose rows
    lie in more than one input is held back once. The same file given twice raises a
    :class:`LabRulesError` (:func:`refuse_repeated_inputs`)."""
    given = list(sources)
    refuse_repeated_inputs(given)
    paths = [Path(source) for source in given]
    names = ([input_name(source) for source in given] if key is None
             else [f"input {number}" for number in range(1, len(given) + 1)])
    spread = _spread(paths, names)
    spread_reasons: dict[str, list[str]] = {person: [] for person in spread}
    """The problems each input has with a person of *spread*, said with it when held back."""
    held: list[Held] = []
    origin: dict[str, str] = {}
    """The input each person given to the worklist was read from, for a failed evaluation."""

    def shown(person_id: str) -> str:
        return public_id(person_id, key)

    def said(text: str, person_id: str) -> str:
        text = mask_cpr(text)
        if key is not None and person_id:
            text = text.replace(mask_cpr(person_id), shown(person_id))
        return one_line(printable(text))

    def timelines() -> Iterator[Timeline]:
        for path, name in zip(paths, names, strict=True):
            if path.suffix == ".json":
                try:
                    timeline = loads_timeline(path.read_bytes(), source=name)
                except TimelineError as err:
                    person = _timeline_person(path)
                    reasons = [said(str(p), person or "") for p in err.problems]
                    if person in spread_reasons:
                        spread_reasons[person] += reasons
                    else:
                        held.append(Held(name if person is None else said(shown(person), ""),
                                         tuple(reasons)))
                    continue
                if not spread or _timeline_person(path) not in spread:
                    origin[timeline.person.id] = name
                    yield timeline
                continue
            for rows in read_persons(path):
                if rows.person_id in spread_reasons and not rows.unattributed:
                    spread_reasons[rows.person_id] += [
                        said(f"{name}: {r}", rows.person_id) for r in rows.problems]
                    continue
                if rows.document is None:
                    held.append(Held(said(shown(rows.person_id), ""), tuple(
                        said(f"{name}: {r}", rows.person_id) for r in rows.problems)))
                    continue
                try:
                    timeline = parse_timeline(
                        rows.document, source=f"{name}: person {shown(rows.person_id)}")
                except TimelineError as err:
                    held.append(Held(said(shown(rows.person_id), ""), tuple(
                        said(str(p), rows.person_id) for p in err.problems)))
                    continue
                origin[timeline.person.id] = name
                yield timeline
        for person, places in spread.items():
            reason = (f"{', '.join(places)}: the rows of {mask_cpr(person)} lie in "
                      f"{len(places)} inputs; the person is held back as a whole, not "
                      "evaluated from part of its rows: give each person's rows in one input")
            held.append(Held(said(shown(person), ""),
                             (said(reason, person), *spread_reasons[person])))

    def failed(person_id: str, err: Exception) -> Held:
        return Held(said(shown(person_id), ""), (
            said(f"{origin.get(person_id, '')}: evaluation failed: {err}", person_id),))

    return worklist(timelines(), as_of=as_of, horizon=horizon, law=law, policies=policies,
                    held=held, public_id=shown, failed=failed)
