"""A file output written aside and moved into place, so the path holds the old file or the
whole new one, never a part, and nothing of a stopped write stays behind.

The file aside is ``.<name>.partial-<pid>`` in the output's folder (the same name a batch's
output folder is staged under). It is removed when writing fails or is interrupted; one left by
a killed process (SIGKILL, a power cut) is removed by the next write of the same output, once
its process is gone.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["process_alive", "write_aside"]


def process_alive(pid: int) -> bool:
    """True if a process *pid* exists (ours or another user's); always True on Windows, where
    ``os.kill(pid, 0)`` would not ask but act, so what a process left is never taken for
    stale there."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clear_stale(target: Path) -> None:
    """Remove the files aside of *target* whose writing process is gone."""
    prefix = f".{target.name}.partial-"
    me = os.getpid()
    try:
        found = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in found:
        pid = path.name[len(prefix):]
        if (pid.isdigit() and int(pid) != me and not process_alive(int(pid))
                and path.is_file() and not path.is_symlink()):
            path.unlink(missing_ok=True)


def _resolved(link: Path) -> Path:
    """The file the symbolic link *link* ends at; a loop of links is the OSError (ELOOP) that
    opening it would raise, not the RuntimeError ``Path.resolve`` gives before Python 3.13."""
    try:
        return link.resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(link)) from None


def write_aside(path: str | Path, write: Callable[[Path], object]) -> None:
    """Let *write* fill a file aside of *path*, then rename it into place. Whatever *write*
    raises (an ``OSError``, an interrupt) propagates after the file aside is removed. A
    symbolic link is written through (its target replaced); a device or a pipe is written
    directly."""
    target = Path(path)
    if target.is_symlink():
        target = _resolved(target)
    if target.exists() and not target.is_file():
        write(target)  # a device or a pipe (/dev/null, a FIFO) is written, never replaced
        return
    _clear_stale(target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
