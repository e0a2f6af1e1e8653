"""The worklist of a caseload read from an event log (JSON Lines, CSV or Parquet) or from
``timeline/v2`` documents: every person read is on the list or held back with its reasons,
never dropped; ids are CPR-masked, or keyed pseudonyms for a list that leaves the jobcentre.

Every reason a person is held back for starts with the input it comes from, as given on the
command line (control characters and undecodable bytes escaped), so a list made from several
inputs says which file to open.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from lab_rules.calendar import Duration
from lab_rules.core.errors import TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line
from lab_rules.evaluation.worklist import Held, Worklist, worklist
from lab_rules.inputs.eventlog import read_persons
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_checks import printable
from lab_rules.inputs.timeline_json import load_timeline, parse_timeline
from lab_rules.law.bundle import Law
from lab_rules.loops.batch_person import public_id

__all__ = ["caseload_worklist", "input_name"]


def input_name(source: str | Path) -> str:
    """The input *source* as a held-back reason names it: as given, on one line, with
    undecodable bytes (a file name that is not UTF-8) and control characters as escapes, so it
    can be printed and written to any output."""
    return one_line(printable(str(source)))


def caseload_worklist(sources: Iterable[str | Path], *, as_of: date, horizon: Duration,
                      law: Law | None = None, policies: Mapping[str, str] | None = None,
                      key: bytes | None = None) -> Worklist:
    """The worklist of the persons in *sources*: event logs, or single ``.json`` timelines.

    A person whose rows cannot be read, or whose timeline does not validate, is held back
    with its located reasons, each naming its input (CPR-masked, the id pseudonymised under
    *key*)."""
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
        for source in sources:
            path = Path(source)
            name = input_name(source)
            if path.suffix == ".json":
                try:
                    timeline = load_timeline(path)
                except TimelineError as err:
                    held.append(Held(name, tuple(said(str(p), "") for p in err.problems)))
                    continue
                origin[timeline.person.id] = name
                yield timeline
                continue
            for rows in read_persons(path):
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

    def failed(person_id: str, err: Exception) -> Held:
        return Held(said(shown(person_id), ""), (
            said(f"{origin.get(person_id, '')}: evaluation failed: {err}", person_id),))

    return worklist(timelines(), as_of=as_of, horizon=horizon, law=law, policies=policies,
                    held=held, public_id=shown, failed=failed)
