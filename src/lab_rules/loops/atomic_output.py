"""Output folders that hold a whole result or none: a lock, a sibling folder, one swap.

A run writes into ``.<name>.partial-<pid>`` beside ``--out`` and, when every table and
``run.json`` (last) are written and flushed to disk, exchanges that folder with ``--out`` in
one step (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere the previous result is renamed
aside to ``.<name>.previous-<pid>`` first, and put back by the next run if a kill fell between
the two renames). The previous result is removed after. So ``--out`` holds the old result or
the new one, never a mix, whatever stops the run.

The lock ``.<name>.lock`` beside ``--out`` (:class:`RunLock`) names the pid, its start time and
the host of the run that holds it; a second run into the same ``--out`` is refused. A lock
whose process is gone (killed) is stale: the next run takes it over and removes the sibling
folders the killed run left.

A folder that exists and holds anything but a previous result (files this library did not
write) is never replaced: the run is refused, so ``--out ~`` cannot wipe a home folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import socket
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from lab_rules.core.aside import process_alive
from lab_rules.core.errors import LabRulesError
from lab_rules.loops.interrupts import shielded

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
from lab_rules.core.privacy import mask_cpr

WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})
"""What a full disk, a file size limit, a quota or a read-only disk raise while writing."""


class OutputError(LabRulesError):
    """The output folder is busy, is not a result of this library, or cannot be written."""


def _process_start(pid: int) -> str | None:
    """The start time of process *pid* (Linux: clock ticks since boot), to tell a live run
    from a new process that got a dead run's pid; None where it cannot be known."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _stale(lock: dict[str, object]) -> bool:
    """True if the run that wrote *lock* is gone (same host, pid dead or reused)."""
    pid = lock.get("pid")
    if lock.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    if not process_alive(pid):
        return True
    started = lock.get("pid_start")
    return started is not None and _process_start(pid) not in (None, started)


def _read_lock(path: Path) -> dict[str, object] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


class RunLock:
    """The lock of one output folder, held by this process while it writes a result.

    Where the system has ``flock`` (every POSIX system), the lock is a kernel lock on the file
    ``.<name>.lock``: it ends with its process, however that process ends, so a lock file left
    by a killed run is free and the next run simply takes it. The file names the holder (pid,
    its start time, host, start) for the message a refused run shows. Elsewhere the lock is the
    file itself, made by one atomic link, and a lock whose process is gone is stale."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out.parent / f".{out.name}.lock"
        self.held = False
        self.handle: int | None = None

    def _record(self) -> bytes:
        me = os.getpid()
        return (json.dumps({"pid": me, "pid_start": _process_start(me),
                            "host": socket.gethostname(),
                            "started": datetime.now(UTC).isoformat(timespec="seconds"),
                            "out": mask_cpr(str(self.out))}) + "\n").encode()

    def _busy(self, holder: dict[str, object] | None) -> OutputError:
        holder = holder or {}
        return OutputError(f"{self.out}: in use by another run (pid {holder.get('pid')}, "
                           f"started {holder.get('started')}; lock {self.path})")

    def acquire(self) -> None:
        """Take the lock; :class:`OutputError` if another run has it."""
        if fcntl is None:
            self._acquire_by_link()
            return
        for _ in range(3):
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                raise self._busy(_read_lock(self.path)) from None
            except BaseException:
                os.close(handle)
                raise
            try:
                same = os.fstat(handle).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(handle)
                continue
            self.handle, self.held = handle, True
            os.ftruncate(handle, 0)
            os.write(handle, self._record())
            return
        raise OutputError(f"{self.out}: could not take the lock {self.path}")

    def _acquire_by_link(self) -> None:
        scratch = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        scratch.write_bytes(self._record())
        try:
            for _ in range(2):
                try:
                    os.link(scratch, self.path)
                except FileExistsError:
                    holder = _read_lock(self.path)
                    if holder is None:
                        continue
                    if not _stale(holder):
                        raise self._busy(holder) from None
                    self.path.unlink(missing_ok=True)
                    continue
                self.held = True
                return
            raise OutputError(f"{self.out}: could not take the lock {self.path}")
        finally:
            scratch.unlink(missing_ok=True)

    def release(self) -> None:
        """Remove the lock if this process holds it (also when an interrupt came between
        taking it and knowing so)."""
        holder = _read_lock(self.path) if not self.held else None
        if self.held or (holder is not None and holder.get("pid") == os.getpid()):
            self.path.unlink(missing_ok=True)
            self.held = False
        if self.handle is not None:
            os.close(self.handle)
            self.handle = None


def _siblings(out: Path, kinds: Iterable[str]) -> Iterator[tuple[Path, int | None]]:
    for kind in kinds:
        prefix = f".{out.name}.{kind}"
        for path in out.parent.glob(f"{prefix}*"):
            suffix = path.name[len(prefix):].lstrip("-.")
            yield path, int(suffix) if suffix.isdigit() else None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean_stale(out: Path) -> None:
    """Remove what killed runs left beside *out* (call with the lock held): their partial
    folders, and their moved-aside previous result, which goes back into place if *out* is
    missing (a kill between the two renames of the fallback swap)."""
    me = os.getpid()
    for path, pid in _siblings(out, ("previous-",)):
        if pid is not None and pid != me and not out.exists():
            path.rename(out)
        elif pid is not None and pid != me:
            _remove(path)
    for path, pid in _siblings(out, ("partial-",)):
        if pid is not None and pid != me:
            _remove(path)
    for path, pid in _siblings(out, ("lock.",)):
        if pid is not None and pid != me and not process_alive(pid):
            _remove(path)


def check_replaceable(out: Path, known: frozenset[str]) -> None:
    """Refuse to replace *out* unless it is missing, empty or a previous result (only names
    in *known*, and the hidden scratch folders of an older version)."""
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir() or out.is_symlink():
        raise OutputError(f"{out}: exists and is not a folder")
    foreign = sorted(p.name for p in out.iterdir()
                     if p.name not in known and not p.name.startswith(".pieces-"))
    if foreign:
        raise OutputError(f"{out}: holds files that are not a lab-rules result "
                          f"({', '.join(foreign[:3])}); choose a new or empty folder")


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_into_place(staging: Path, out: Path) -> None:
    """Put the finished *staging* folder at *out*, and remove the previous result."""
    _fsync_tree(staging)
    if not out.exists():
        staging.rename(out)
    elif _exchange(staging, out):
        _remove(staging)
    else:
        aside = out.parent / f".{out.name}.previous-{os.getpid()}"
        out.rename(aside)
        try:
            staging.rename(out)
        except BaseException:
            if not out.exists():
                aside.rename(out)
            raise
        _remove(aside)
    _fsync_dir(out.parent)


def is_write_error(err: OSError, *places: Path) -> bool:
    """True if *err* came from writing the output (full disk, size limit, or a path in one of
    *places*, or named in the message as pyarrow does), not from reading the input."""
    if err.errno in WRITE_ERRORS:
        return True
    name = err.filename if isinstance(err.filename, str) else None
    if name is not None:
        return any(Path(name).absolute().is_relative_to(p) for p in places)
    return any(str(p) in str(err) for p in places)


@contextlib.contextmanager
def whole_or_absent(out: str | Path, known: frozenset[str]) -> Iterator[Path]:
    """Lock *out*, yield an empty sibling folder to write the result into, and swap it into
    place when the block ends normally. On any exception (an interrupt included) the sibling
    is removed and *out* is left as it was; a write error becomes :class:`OutputError`."""
    target = Path(out).absolute()
    try:
        if target.is_symlink() and target.resolve().is_dir():
            target = target.resolve()
    except RuntimeError:  # a loop of symbolic links (Python < 3.13 says so this way)
        raise OutputError(f"{out}: cannot write: {os.strerror(errno.ELOOP)}") from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{out}: cannot create its folder: {err.strerror}") from None
    lock = RunLock(target)
    try:
        lock.acquire()
    except OSError as err:
        raise OutputError(f"{out}: cannot take the lock: {err.strerror}") from None
    except BaseException:
        lock.release()
        raise
    staging = target.parent / f".{target.name}.partial-{os.getpid()}"
    try:
        clean_stale(target)
        check_replaceable(target, known)
        staging.mkdir()
        try:
            yield staging
            with shielded():
                swap_into_place(staging, target)
        except OSError as err:
            if is_write_error(err, staging, target):
                raise OutputError(f"{out}: cannot write the result: {err.strerror}; "
                                  "nothing was changed there") from None
            raise
    finally:
        with shielded():
            _remove(staging)
            lock.release()
