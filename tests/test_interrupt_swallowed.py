"""A Ctrl-C that a library swallows, or that comes while Python exits, still ends a command
without a traceback: inside a run, an error that follows a swallowed interrupt is the
interrupt (found when a kill test stopped a batch inside polars, which then failed with an
error of its own, reported as an internal error, exit 3); after the command, Ctrl-C during
Python's exit handlers ends the process (multiprocessing's printed a traceback)."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from types import SimpleNamespace
from typing import Any

import pytest

from lab_rules.loops.interrupts import Interrupted, _unraisable, interruptible

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix",
                                reason="POSIX signals")


def _swallow(signum: int) -> None:
    """Send *signum* to this process and swallow the exception it raises, as a library's
    callback does."""
    try:
        os.kill(os.getpid(), signum)
        time.sleep(5)
    except (KeyboardInterrupt, Interrupted):
        pass


def _run_failing_after(signum: int) -> None:
    """A run in which a library swallows *signum*'s exception, then fails."""
    with interruptible():
        _swallow(signum)
        raise TypeError("the library's own error after it")


@pytest.mark.parametrize(("signum", "raised"), [(signal.SIGINT, KeyboardInterrupt),
                                                (signal.SIGTERM, Interrupted)])
def test_an_error_after_a_swallowed_interrupt_is_the_interrupt(
        signum: int, raised: type[BaseException]) -> None:
    with pytest.raises(raised) as caught:
        _run_failing_after(signum)
    assert isinstance(caught.value.__cause__, TypeError)


def test_an_error_without_an_interrupt_stays_itself() -> None:
    with pytest.raises(ValueError, match="plain"), interruptible():
        raise ValueError("plain")


def test_a_run_that_swallowed_no_interrupt_is_not_told_of_an_earlier_one() -> None:
    with pytest.raises(KeyboardInterrupt):
        _run_failing_after(signal.SIGINT)
    with pytest.raises(TypeError), interruptible():
        raise TypeError("a later run's own")


class _Hook:
    def __init__(self) -> None:
        self.seen: list[type[BaseException]] = []

    def __call__(self, unraisable: Any) -> None:
        self.seen.append(type(unraisable.exc_value))


@pytest.mark.parametrize(("error", "reported"), [(KeyboardInterrupt(), False),
                                                 (Interrupted(signal.SIGTERM), False),
                                                 (ValueError("other"), True)])
def test_the_hook_drops_only_the_runs_own_interrupts(error: BaseException,
                                                     reported: bool) -> None:
    before = _Hook()
    hook = _unraisable(before)
    hook(SimpleNamespace(exc_type=type(error), exc_value=error, exc_traceback=None,
                         err_msg=None, object=None))
    assert before.seen == ([type(error)] if reported else [])


class _RaisesWhenCollected:
    def __del__(self) -> None:
        raise KeyboardInterrupt


def test_an_interrupt_swallowed_in_a_finaliser_prints_nothing(
        capfd: pytest.CaptureFixture[str]) -> None:
    previous = sys.unraisablehook
    with interruptible():
        _RaisesWhenCollected()
        gc.collect()
    assert sys.unraisablehook is previous
    assert "KeyboardInterrupt" not in capfd.readouterr().err


_LATE = """
import atexit, os, signal, sys, time
from lab_rules.faces.command import program

def late():
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(2)

atexit.register(late)
sys.argv = ["lab-rules", "--version"]
sys.exit(program())
"""


def test_ctrl_c_while_python_exits_after_a_command_prints_no_traceback() -> None:
    done = subprocess.run([sys.executable, "-c", _LATE], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == -signal.SIGINT, (done.returncode, done.stderr)
    assert done.stdout.strip()
