"""What every ``lab-rules`` command shares: exit codes, CPR-masked output, dates, and the
law options (``--rules``, ``--variant``, ``--policy``) that every evaluating command takes.

Exit codes: 0 success, 1 invalid input (with located messages), 2 usage error or an
unreadable file, the same in every command.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TextIO

from lab_rules.core.errors import InputError, LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.law.bundle import Law, bundled_law, law_from_path
from lab_rules.law.policies import Policies

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def say(stream: TextIO, text: str) -> None:
    stream.write(mask_cpr(text) + "\n")


def as_of_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def invalid(err: InputError, stream: TextIO) -> int:
    """Say every located problem of the input, and give the invalid-input exit code."""
    for problem in err.problems:
        say(stream, str(problem))
    return EXIT_INVALID


def usage_error(err: LabRulesError | OSError, path: str) -> int:
    """Say what went wrong with the command's input, and give the usage exit code."""
    if isinstance(err, OSError):
        say(sys.stderr, f"{path}: cannot read: {err.strerror}")
    else:
        say(sys.stderr, f"lab-rules: error: {err}")
    return EXIT_USAGE


def add_law_options(command: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """``--rules``, ``--variant`` and ``--policy``, alike in every evaluating command."""
    command.add_argument("--rules", metavar="PATH",
                         help="a law folder (rule and parameter files), or rule modules alone "
                              "on top of national parameters (default: the bundled law)")
    if variant:
        command.add_argument("--variant", metavar="SPEC",
                             help="overlays, policy swaps or law:DATE joined with + "
                                  "(see compare)")
    command.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE",
                         help="e.g. no_show=restart_from_contact (repeatable)")


def law_of(args: argparse.Namespace) -> tuple[Law, list[str]]:
    """The law and policy swaps the command's options name; raises the loader's errors."""
    Policies.parse(args.policy)
    path = getattr(args, "rules", None)
    law = bundled_law() if path is None else law_from_path(path)
    spec = getattr(args, "variant", None)
    if not spec:
        return law, []
    from lab_rules.loops.variants import variant

    chosen = variant(spec, base=law)
    return chosen.law, [f"{k}={v}" for k, v in chosen.policies]
