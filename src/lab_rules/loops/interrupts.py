"""SIGINT, SIGTERM and SIGHUP as an exception at a safe point of a batch run, never in the middle
of its clean-up.

:func:`interruptible` installs a handler that raises :class:`Interrupted` (``KeyboardInterrupt``
for SIGINT) in the run's main thread. Inside :func:`shielded` (removing the temporary folder,
swapping the result into place, starting or stopping worker processes, where Python itself runs
fork hooks that swallow an exception) the signal is only noted, and raised when the shielded
block ends: so a signal never leaves a half-removed folder, a held lock or a lost interrupt
behind. An interrupt raised inside a library's callback (polars, pyarrow) may be swallowed there
as "unraisable" and the library then fail with an error of its own: inside the block such an
error is the interrupt, and the swallowed exception is not reported.

:func:`terminable` is the program's own guard, set by :mod:`lab_rules.faces.command` around every
command: SIGTERM and SIGHUP raise :class:`Interrupted` as SIGINT raises ``KeyboardInterrupt``, so
a command stopped by a service manager or a closed terminal removes the file it was writing aside
and says one line, instead of dying with the temporary file left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType


class Interrupted(BaseException):
    """The run was asked to stop (SIGTERM, SIGHUP); it cleans up and ends."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


class _State:
    """The run's interrupt state (one run per process: the command's main thread)."""

    depth = 0
    pending: int | None = None
    raised: int | None = None
    """The signal last raised as an exception in the block, to tell an error it caused."""
    owner: int | None = None
    """The process that set :func:`terminable`: a worker forked from it dies of the signal
    as it would have without the guard, instead of raising in the middle of its pool's loop."""


def _stop(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


def _handle(signum: int, frame: FrameType | None) -> None:
    if _State.owner is not None and os.getpid() != _State.owner:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _State.depth:
        _State.pending = _State.pending or signum
        return
    _State.raised = signum
    raise _stop(signum)


_Hook = Callable[["sys.UnraisableHookArgs"], object]


def _unraisable(hook: _Hook) -> _Hook:
    """*hook* (the unraisable-exception hook), dropping the run's own interrupts: a library's
    callback swallowed one, and the run ends as interrupted all the same."""
    def report(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, (KeyboardInterrupt, Interrupted)):
            hook(unraisable)
    return report


def _heeded(*names: str) -> list[str]:
    """Those of the signals *names* this platform has and the process does not ignore (a
    signal it was started ignoring, under ``nohup``, stays ignored)."""
    return [name for name in names if hasattr(signal, name)
            and signal.getsignal(getattr(signal, name)) is not signal.SIG_IGN]


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Interrupted`, SIGINT ``KeyboardInterrupt``, inside the
    block (main thread only; elsewhere the block runs unchanged)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = _heeded("SIGINT", "SIGTERM", "SIGHUP")
    _State.depth, _State.pending, _State.raised = 0, None, None
    before = {name: signal.signal(getattr(signal, name), _handle) for name in names}
    hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(hook)
    try:
        yield
    except Exception as err:
        if _State.raised is not None:
            raise _stop(_State.raised) from err
        raise
    finally:
        sys.unraisablehook = hook
        with shielded(raise_pending=False):
            for name, handler in before.items():
                signal.signal(getattr(signal, name), handler)
        pending, _State.pending = _State.pending, None
        if pending is not None:
            raise _stop(pending)


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Interrupted` inside the block, in this process's main
    thread (a process it forks dies of them as before); elsewhere the block runs unchanged. A
    signal the process was started ignoring (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = _heeded("SIGTERM", "SIGHUP")
    owner, _State.owner = _State.owner, os.getpid()
    before = {name: signal.signal(getattr(signal, name), _handle) for name in names}
    try:
        yield
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)
        _State.owner = owner


@contextlib.contextmanager
def shielded(*, raise_pending: bool = True) -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back inside the block; raise a signal that came
    meanwhile when the outermost shield ends."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if raise_pending and not _State.depth and _State.pending is not None:
            pending, _State.pending = _State.pending, None
            raise _stop(pending)
