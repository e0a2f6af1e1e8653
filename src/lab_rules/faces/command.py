"""The ``lab-rules`` program: the command line (:mod:`lab_rules.faces.cli`) behind one guard
against Ctrl-C, SIGTERM and SIGHUP.

The Ctrl-C guard is set before the command line and the law are imported (and this module
imports nothing else, for the same reason), so an interrupt while the program is still starting
ends the same way as one in the middle of any command: one line, ``lab-rules: interrupted
(SIGINT)``, and exit code 130 (128 + SIGINT, as a shell reports it), never a traceback. Only in
Python's own start, the first hundredth of a second or so, before this module runs, does Python
answer Ctrl-C itself. Once the command line is loaded (before any file is opened), SIGTERM and
SIGHUP end a command the same way: ``lab-rules: stopped by SIGTERM`` and 143 (SIGHUP: 129).
The commands that write a caseload's tables (``batch``, ``compare``, ``audit``) say more
themselves: which output was left as it was. Every file a command writes is written aside and
moved into place, and the file aside is removed when a signal stops the command, so a stopped
command leaves neither a part of its output nor its temporary file.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main", "program"]

INTERRUPTED = "lab-rules: interrupted (SIGINT)\n"
EXIT_INTERRUPTED = 130
"""128 + SIGINT (2), as a shell reports a program that SIGINT stopped."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lab-rules`` command with *argv* (default: the program's arguments); its exit
    code, 130 when interrupted by SIGINT, 143 by SIGTERM and 129 by SIGHUP (128 + the
    signal's number, as a shell reports it)."""
    try:
        from lab_rules.faces.cli import main as run
        from lab_rules.loops.interrupts import Interrupted, terminable
    except KeyboardInterrupt:
        return _say(INTERRUPTED, EXIT_INTERRUPTED)
    try:
        with terminable():
            return run(argv)
    except KeyboardInterrupt:
        return _say(INTERRUPTED, EXIT_INTERRUPTED)
    except Interrupted as err:
        return _say(f"lab-rules: {err}\n", 128 + err.signum)


def program() -> int:
    """The ``lab-rules`` program (its console script and ``python -m lab_rules.faces.cli``):
    :func:`main`, after which Ctrl-C ends the process at once. The command has finished, its
    output in place or removed; what is left is Python's own exit, whose handlers
    (multiprocessing's among them) would otherwise print a traceback for a late Ctrl-C. A
    process started ignoring SIGINT keeps ignoring it."""
    try:
        return main()
    except KeyboardInterrupt:
        return _say(INTERRUPTED, EXIT_INTERRUPTED)
    finally:
        try:
            import signal
            import threading

            if (threading.current_thread() is threading.main_thread()
                    and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN):
                signal.signal(signal.SIGINT, signal.SIG_DFL)
        except KeyboardInterrupt:
            pass


def _say(line: str, code: int) -> int:
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (KeyboardInterrupt, OSError, ValueError):
        pass
    return code


if __name__ == "__main__":
    sys.exit(program())
