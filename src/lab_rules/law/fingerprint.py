"""The content hash of a law: SHA-256 over the parsed rule files in a canonical form.

A stored result names the law that produced it by this hash. It is computed from what the
files say, not their bytes, so a checkout with CRLF line endings, a wheel and a clone of the
same law give the same hash; reordering keys or reformatting a file does not change it, any
change of a value, a key or a file's place in the folder does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["canonical", "fingerprint", "with_overlays"]


def _plain(value: Any) -> Any:
    """The TOML value with dates and times tagged and line endings of strings normalised."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {"$" + type(value).__name__: value.isoformat()}
    if isinstance(value, float):
        return {"$float": repr(value)}
    return value


def canonical(path: Path, document: Mapping[str, Any] | None = None) -> bytes:
    """The parsed content of one TOML file as canonical JSON (sorted keys, UTF-8); from
    *document* if the file has been parsed already."""
    if document is None:
        document = tomllib.loads(path.read_bytes().decode("utf-8"))
    return json.dumps(_plain(document), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def fingerprint(files: Iterable[Path], root: Path,
                documents: Mapping[Path, Mapping[str, Any]] | None = None) -> str:
    """SHA-256 over every file's place under *root* and canonical content, in path order;
    a file in *documents* is not parsed again."""
    digest = hashlib.sha256()
    parsed = documents or {}
    for file in sorted(files, key=lambda f: f.relative_to(root).as_posix()):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(canonical(file, parsed.get(file)))
        digest.update(b"\0")
    return digest.hexdigest()


def with_overlays(law_hash: str, overlay_files: Iterable[str]) -> str:
    """The hash of a law with overlays applied: the law's, then each overlay's content."""
    digest = hashlib.sha256(law_hash.encode())
    for name in overlay_files:
        digest.update(canonical(Path(name)) if name else b"")
    return digest.hexdigest()
