"""An event log read for the columnar fast path (:mod:`lab_rules.loops.columnar`) in chunks of
whole persons, so that its memory is bounded by the chunk, not by the caseload (issue 14).

The fast path's rows for a person are a function of that person's events alone, so a caseload
can be evaluated chunk by chunk if every chunk holds all rows of its persons. The log is read
once, in blocks: a JSON Lines file in blocks of bytes cut at line ends (polars' own reader maps
the whole file into the process, so its pages would count against the process's memory), a
Parquet file or a frame in polars batches. Each block keeps the rows the fast path reads,
normalised (:func:`normalised`), and joins the current segment; a segment closes when the next
person would make it one too many, so a log whose persons' rows are contiguous (as the
event-log reader asks, :mod:`lab_rules.inputs.eventlog`) has every person in one segment. The
closed segments wait in files in a temporary folder until the log has been read, for only
then is it known which persons have rows in more than one segment. Each segment is then a
chunk without those persons (the last, still in memory, first), and they follow, a chunk of
them at a time, gathered from every segment. A log sorted by person is so read once and
written once; an unsorted one costs a pass over the segments per chunk of spread persons,
within the same memory.

A segment is kept in polars' own serialisation (:meth:`polars.DataFrame.serialize`), not as an
Arrow IPC file: polars reads and writes IPC files on its streaming executor's threads, and the
memory freed there stays in those threads' jemalloc arenas for a second or so (its decay), out
of reach of the chunks evaluated meanwhile on the calling thread and the in-memory engine's
pool. With a segment re-read per chunk, the peak then grew with the number of chunks (issue
14); the serialisation is written and read on the calling thread. It is only ever read back by
the process that wrote it, so that its format is not stable across polars versions does not
matter.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import attrs
import polars as pl

from lab_rules.loops.interrupts import shielded

__all__ = ["BLOCK_BYTES", "CHUNK_PERSONS", "DATED", "ENGINE", "EVENT_SCHEMA", "READ",
           "normalised", "person_chunks", "scan_events"]

EVENT_SCHEMA: dict[str, Any] = {
    "person_id": pl.String, "type": pl.String, "date": pl.String, "benefit": pl.String,
    "group": pl.String, "kind": pl.String, "form": pl.String, "held_by": pl.String,
    "reason": pl.String, "start": pl.String, "end": pl.String,
    "documented_start": pl.String, "birth_date": pl.String, "education": pl.Boolean,
    "custody": pl.Boolean, "good_job_prospects": pl.Boolean,
}
"""The event-log fields the fast path reads (any others are ignored)."""

DATED = ("benefit_started", "benefit_ended", "first_contact", "registered", "group_changed",
         "conversation_held", "no_show")
"""The row types whose ``date`` the fast path reads: a person with one undated goes to the
engine (which reports it)."""

READ = (*DATED, "person", "exemption")
"""The row types the fast path reads at all."""

_PERSON = pl.col("person_id").hash(seed=14).alias("person")
"""A person as a number, which is what a read keeps of each person: a few bytes, where the id
would keep the text of its whole segment alive. Two persons with one number are both taken
for spread over the log, which costs a pass and changes no row."""

ROW_TYPE = pl.Enum(READ)
"""The type of the ``type`` column once read: the row types compare as small numbers."""

_DAYS = ("date", "start", "end", "documented_start", "birth_date")
"""The fields that hold a day."""

CHUNK_PERSONS = 5_000
"""Persons per chunk by default. A chunk's frames take a few tens of MiB, and polars'
allocator keeps what a second of chunks has freed, so larger chunks raise the peak of a long
run more than their size suggests; each chunk costs about 20 ms of planning (the fast rules of
one rule id; some 60 ms for all of them)."""

BLOCK_BYTES = 4 << 20
"""Bytes of JSON Lines parsed at a time."""

_BLOCK_ROWS = 50_000
"""Rows per batch of a Parquet file or a frame."""

_PART_ROWS = 16_384
"""Rows per file of a closed segment. polars serialises a frame into memory before writing it,
at some times the frame's size (a segment of 5,000 persons raised the resident memory by 15
MiB), so a segment is written in parts of this many rows."""

ENGINE: Literal["in-memory"] = "in-memory"
"""The polars engine of the fast path's queries: a chunk fits in memory, and polars'
streaming engine costs some tenths more CPU on frames this size."""


def scan_events(path: str | Path) -> pl.LazyFrame:
    """An event log in JSON Lines (``.jsonl``) or Parquet, with the fields the fast path reads."""
    if str(path).endswith(".parquet"):
        frame = pl.scan_parquet(path)
        have = frame.collect_schema().names()
        return frame.select([pl.col(c) if c in have else pl.lit(None, t).alias(c)
                             for c, t in EVENT_SCHEMA.items()])
    return pl.scan_ndjson(path, schema=EVENT_SCHEMA)


def normalised(events: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """The rows of the types the fast path reads, each field of :data:`EVENT_SCHEMA` in its
    type: days as dates (a day that is not one is null, so its person goes to the engine),
    ``"true"``/``"false"`` as booleans, a missing field as nulls."""
    frame = events.lazy()
    have = frame.collect_schema()
    if have.get("type") == ROW_TYPE:
        frame = frame.with_columns(pl.col("type").cast(pl.String))
    columns = []
    for name, kind in EVENT_SCHEMA.items():
        if name not in have:
            columns.append(pl.lit(None, kind).alias(name))
        elif kind is pl.Boolean and have[name] != pl.Boolean:
            text = pl.col(name).cast(pl.String).str.to_lowercase()
            columns.append(pl.when(text == "true").then(True).when(text == "false")
                           .then(False).otherwise(None).alias(name))
        elif name in _DAYS:
            columns.append(pl.col(name) if have[name] == pl.Date else pl.col(name)
                           .cast(pl.String).str.to_date("%Y-%m-%d", strict=False))
        else:
            columns.append(pl.col(name).cast(kind))
    return frame.select(columns).filter(pl.col("type").is_in(READ)).with_columns(
        pl.col("type").cast(ROW_TYPE))


def _json_blocks(path: Path, fields: Iterable[str], keep: pl.Expr) -> Iterator[pl.DataFrame]:
    """The rows of a JSON Lines file, as :func:`_blocks` gives them. A block's text is let go
    before the next is read: held by the frames reading it and by this generator until then,
    it kept up to four blocks' text alive, and the C heap, which Python's text comes from, grew
    with the length of the read."""
    schema = {name: EVENT_SCHEMA[name] for name in fields}
    with path.open("rb") as handle:
        while text := handle.read(BLOCK_BYTES):
            text += handle.readline()
            rows = normalised(pl.scan_ndjson(text, schema=schema)).filter(keep).collect(
                engine=ENGINE)
            del text
            yield rows


def _blocks(source: pl.DataFrame | pl.LazyFrame | str | Path, fields: Iterable[str],
            keep: pl.Expr) -> Iterator[pl.DataFrame]:
    """The rows the fast path reads of *source* (of JSON Lines only *fields*), normalised,
    those *keep* holds, in order, a block at a time (a segment of text would take several
    times the memory of its rows once normalised)."""
    if isinstance(source, str | Path) and not str(source).endswith(".parquet"):
        yield from _json_blocks(Path(source), fields, keep)
        return
    frame = scan_events(source) if isinstance(source, str | Path) else source
    yield from normalised(frame).filter(keep).collect_batches(chunk_size=_BLOCK_ROWS)


@attrs.define
class _Segments:
    """The segments of a read: the closed ones as files of the *fields* in *folder* (polars'
    serialisation), and which persons each holds."""

    folder: Path
    fields: tuple[str, ...]
    count: int = 0
    persons: list[pl.DataFrame] = attrs.field(factory=list)
    """Per closed segment, its persons as :data:`_PERSON` numbers."""
    parts: list[int] = attrs.field(factory=list)
    """Per closed segment, the number of its files (:data:`_PART_ROWS`)."""

    def add(self, blocks: list[pl.DataFrame]) -> pl.DataFrame:
        """The rows of a segment of *blocks*."""
        rows = pl.concat(blocks, rechunk=True)
        self.persons.append(rows.select(_PERSON.unique()).shrink_to_fit()
                            .with_columns(segment=pl.lit(self.count, pl.UInt32)))
        self.count += 1
        return rows

    def close(self, blocks: list[pl.DataFrame]) -> None:
        rows = self.add(blocks).select(self.fields)
        self.parts.append(max(1, -(-rows.height // _PART_ROWS)))
        for part in range(self.parts[-1]):
            rows.slice(part * _PART_ROWS, _PART_ROWS).serialize(
                self.folder / f"{self.count - 1}-{part}.bin")

    def rows(self, segment: int) -> pl.DataFrame:
        """A closed segment's rows, the fields not kept as nulls (read into new buffers, not
        mapped from the file)."""
        rows = pl.concat([pl.DataFrame.deserialize(self.folder / f"{segment}-{part}.bin")
                          for part in range(self.parts[segment])], rechunk=False)
        return rows.select(pl.col(name) if name in self.fields
                           else pl.lit(None, ROW_TYPE if name == "type" else kind).alias(name)
                           for name, kind in EVENT_SCHEMA.items())

    def scattered(self) -> pl.DataFrame:
        """The persons with rows in more than one segment, in the order of their first.

        Every person read is sorted and the neighbours compared, and only the few found are
        grouped: grouping them all took several times the memory of a sort (at a million
        persons a peak 168 MiB above the numbers themselves, against 52 MiB). This step and
        :attr:`persons` (12 bytes a person, kept to the end of the read) are the memory of a
        read that grows with the caseload."""
        person = pl.col("person")
        found = pl.concat(self.persons, rechunk=True).sort("person", "segment").filter(
            (person == person.shift(1)) | (person == person.shift(-1)))
        return (found.group_by("person").agg(pl.col("segment").min().alias("first"))
                .sort("first", "person").select("person"))


def person_chunks(source: pl.DataFrame | pl.LazyFrame | str | Path,
                  chunk_persons: int = CHUNK_PERSONS, keep: pl.Expr | None = None,
                  fields: Iterable[str] = tuple(EVENT_SCHEMA)
                  ) -> Generator[pl.DataFrame, None, None]:
    """*source* (an event log's path, or its rows) as frames of the rows the fast path reads
    (:func:`normalised`, and of those *keep* if given), each with every row of its persons,
    at most *chunk_persons* of them: the log's last segment, the others in order, then the
    persons whose rows lie in more than one segment. The fields not among *fields* may be
    left null."""
    if chunk_persons < 1:
        raise ValueError(f"chunk_persons must be positive, not {chunk_persons}")
    read = tuple(name for name in EVENT_SCHEMA if name in {*fields, "person_id", "type"})
    folder = tempfile.mkdtemp(prefix="lab-rules-columnar-")
    try:
        segments = _Segments(Path(folder), read)
        pending: list[pl.DataFrame] = []
        persons = 0
        for block in _blocks(source, read, pl.lit(True) if keep is None else keep):
            while block.height:
                ids = block.get_column("person_id")
                firsts = ids.arg_unique()
                carried = bool(pending) and ids.head(1).eq_missing(
                    pending[-1].get_column("person_id").tail(1)).item()
                room = chunk_persons - persons + carried
                if firsts.len() <= room:
                    pending.append(block)
                    persons += firsts.len() - carried
                    break
                cut = firsts[room]
                segments.close([*pending, block.head(cut)])
                pending, persons, block = [], 0, block.slice(cut)
        if not pending:
            return
        last = segments.add(pending)
        del pending
        if segments.count == 1:
            yield last
            return
        scattered = segments.scattered()
        rows, last = _of(last, scattered, "anti"), _of(last, scattered, "semi")
        if rows.height:
            yield rows
        del rows
        for segment in range(segments.count - 1):
            rows = _of(segments.rows(segment), scattered, "anti")
            if rows.height:
                yield rows
            del rows  # before the next segment is read
        for offset in range(0, scattered.height, chunk_persons):
            wanted = scattered.slice(offset, chunk_persons)
            yield pl.concat([*(_of(segments.rows(s), wanted, "semi")
                               for s in range(segments.count - 1)),
                             _of(last, wanted, "semi")])
    finally:
        with shielded():  # a signal now would leave the folder half removed
            shutil.rmtree(folder, ignore_errors=True)


def _of(rows: pl.DataFrame, persons: pl.DataFrame, how: Literal["semi", "anti"]
        ) -> pl.DataFrame:
    """The rows of *persons* (``semi``), or of the others (``anti``)."""
    if not persons.height:
        return rows if how == "anti" else rows.clear()
    among = _PERSON.is_in(persons.get_column("person").implode())
    return rows.filter(among if how == "semi" else ~among)
