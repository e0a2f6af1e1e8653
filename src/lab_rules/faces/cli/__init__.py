"""The ``lab-rules`` command: argument parsing only; the work is done by the library.

Exit codes, the same in every command: 0 success, 1 invalid input (with located messages),
2 usage error, an unreadable input or an unwritable output, 3 an internal error (a bug, said
in one line, never a traceback); 130 for Ctrl-C, which :mod:`lab_rules.faces.command` (the
program's entry point) catches at any moment. Every line printed is CPR-masked.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lab_rules._version import __version__
from lab_rules.faces.cli import audit, case, caseload, checks, offers, serve, worklist
from lab_rules.faces.cli.common import EXIT_OK, EXIT_USAGE, guarded, say, screened

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class _Parser(argparse.ArgumentParser):
    """argparse, with its own messages (a bad option value echoed in an error, usage, help)
    CPR-masked and their control characters escaped like every other line printed. Its
    subcommands' parsers are of this class too (``add_subparsers`` takes the parent's)."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(screened(message))


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(
        prog="lab-rules",
        description="Danish employment-law deadlines (LAB, LAS, sygedagpenge) evaluated over "
        "citizens' timelines.",
    )
    parser.add_argument("--version", action="version", version=f"lab-rules {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    checks.register(commands)
    case.register(commands)
    caseload.register(commands)
    audit.register(commands)
    worklist.register(commands)
    offers.register(commands)
    serve.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        say(sys.stderr, "lab-rules: error: a command is required (try --help)")
        return EXIT_USAGE
    try:
        code: int = guarded(args.run)(args)
    except BrokenPipeError:  # the reader (head, less) closed the pipe: stop quietly
        sys.stderr.close()
        return EXIT_OK
    return code

