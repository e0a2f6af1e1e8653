"""A bounded fuzz of the event-log reader: byte mutations of a synthetic log in every format
never end in a traceback; the rows stay accounted for and every person is yielded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_rules.core.errors import LabRulesError
from lab_rules.inputs.eventlog import ReadProgress, read_persons
from lab_rules.inputs.synth import write_event_log

TOKENS = [b"\n", b",", b'"', b"{", b"}", b"[" * 3000, b"\xff", b"\x00", b"\r", b"9" * 4400,
          b"\\u", b"\\ud800", b"\xef\xbb\xbf", b"NaN", b"1e999999999", b"True", b";", b"\t",
          b'"person_id"', b"x" * 140_000]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("bases")
    suffixes = [".jsonl", ".csv"]
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        suffixes.append(".parquet")
    found = {}
    for suffix in suffixes:
        write_event_log(folder / f"base{suffix}", 6, 1)
        found[suffix] = (folder / f"base{suffix}").read_bytes()
    return found


_EDITS = st.lists(st.tuples(st.integers(0, 3), st.floats(0, 1), st.integers(0, 255),
                            st.sampled_from(TOKENS)), min_size=1, max_size=8)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 2), edits=_EDITS)
def test_mutated_logs_never_end_in_a_traceback(tmp_path: Path, bases: dict[str, bytes],
                                               which: int, edits: list[tuple[int, float, int,
                                                                             bytes]]) -> None:
    suffix = list(bases)[which % len(bases)]
    data = bytearray(bases[suffix])
    for kind, where, byte, token in edits:
        at = int(where * len(data))
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = byte
        elif kind == 1:
            data[at:at] = token
        elif kind == 2:
            del data[at:at + byte]
        else:
            data[at:at] = data[at:at + byte]
    log = tmp_path / f"mutated{suffix}"
    log.write_bytes(bytes(data))
    progress = ReadProgress()
    try:
        persons = list(read_persons(log, progress))
    except LabRulesError:
        return
    assert progress.rows_read == progress.rows_used + progress.rows_quarantined
    assert progress.rows_read == sum(p.rows for p in persons)
    ids = [p.person_id for p in persons]
    assert len(ids) == len(set(ids))
