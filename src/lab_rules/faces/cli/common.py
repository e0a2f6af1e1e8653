"""What every ``lab-rules`` command shares: exit codes, CPR-masked output, dates, output
files, and the law options (``--rules``, ``--variant``, ``--policy``) that every evaluating
command takes.

Exit codes, the same for the same mistake in every command:

- 0 success;
- 1 invalid input, with located messages: a timeline, rule files, quarantined persons;
- 2 usage: a bad option or option value (a date not written YYYY-MM-DD or outside
  1990-01-01 to 2100-12-31, a count below 1 or above its bound, an empty path or spec, an
  output file named like a folder or with a suffix that is not supported), an unreadable or
  missing input file or ``--rules`` path, an output path that cannot be written; the message
  names the path;
- 3 an internal error (a bug): one line naming it, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from lab_rules.core.aside import write_aside
from lab_rules.core.errors import InputError, LabRulesError, Problem, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import inert, one_line
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_checks import printable
from lab_rules.inputs.timeline_fields import supported_day
from lab_rules.inputs.timeline_json import load_timeline
from lab_rules.law.bundle import Law, bundled_law, law_from_path
from lab_rules.law.policies import Policies
from lab_rules.law.reader import RuleError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BUG = 3
_LONGEST_SAID = 300


def screened(text: str) -> str:
    """*text* as it may reach a terminal or a pipe: text no encoding can take (a file name's
    stray bytes) and control characters other than line breaks and tabs (an ANSI escape in a
    person id) written as escapes, then CPR-masked, so a number split by either is found."""
    return mask_cpr(inert(printable(text)))


def say(stream: TextIO, text: str) -> None:
    """Write one line, :func:`screened`."""
    stream.write(screened(text) + "\n")


def as_of_date(text: str) -> date:
    """A date option value written exactly ``YYYY-MM-DD`` (not ``20240601`` nor
    ``2024-W01-1``, which Python 3.11 would also read), inside the supported range of timeline
    dates (:func:`lab_rules.inputs.timeline_fields.supported_day`)."""
    try:
        return supported_day(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def positive_int(text: str) -> int:
    """A whole-number option value of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be 1 or more")
    return value


def count_up_to(most: int) -> Callable[[str], int]:
    """An option type for a whole number from 1 to *most*: a count whose work grows with it
    (processes, persons written), so a slip of the keyboard is a usage error that names the
    bound, not a run that lasts until it is killed."""
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"{text}: must be from 1 to {most:,}")
        return value
    return check


def given(what: str) -> Callable[[str], str]:
    """An option type for a path or a spec (*what* names it in the message) that may not be
    empty. An empty name meant something else to every reader (the current folder to
    ``--rules``, the bundled pack to ``check-rules``, no variant at all, a file not written),
    so it is a usage error everywhere. ``-`` is a file named ``-``: no command reads standard
    input or writes standard output by that name."""
    def check(text: str) -> str:
        if not text:
            raise argparse.ArgumentTypeError(f"an empty {what} names nothing")
        return text
    return check


PATH = given("path")
"""The option type of every input or output path."""
SPEC = given("variant spec")
"""The option type of ``--variant`` and ``--baseline``."""


def output_path(text: str) -> str:
    """An output file's path: not empty, and ending in a file's name, not ``/``, ``.`` or
    ``..`` (``x.png/`` would else be written as ``x.png``: pathlib drops the slash)."""
    PATH(text)
    last = text.replace(os.sep, "/").replace(os.altsep or "/", "/").rsplit("/", 1)[-1]
    if last in ("", ".", ".."):
        raise argparse.ArgumentTypeError(f"{text!r} names a folder, not a file")
    return text


def output_file(*suffixes: str) -> Callable[[str], str]:
    """An option type for an output file (:func:`output_path`) whose suffix is one of
    *suffixes* (lower case)."""
    def check(text: str) -> str:
        output_path(text)
        suffix = Path(text).suffix.lower().lstrip(".")
        if suffix not in suffixes:
            raise argparse.ArgumentTypeError(
                f"{text!r}: unsupported suffix; use one of "
                + ", ".join(f".{s}" for s in suffixes))
        return text
    return check


def write_whole(path: str, write: Callable[[Path], object]) -> None:
    """Let *write* fill a file aside of *path*, then rename it into place
    (:func:`lab_rules.core.aside.write_aside`): *path* holds the old file or the whole new
    one, never a part. OSError (naming *path*) propagates after the file aside is removed."""
    try:
        write_aside(path, write)
    except OSError as err:
        raise OSError(err.errno, err.strerror, path) from None


def write_text(path: str, text: str) -> None:
    """*text* into the file *path*, whole (:func:`write_whole`) and CPR-masked: the last
    screen before a file leaves the program, whatever went into the text (a rule title, a
    rules folder's name)."""
    write_whole(path, lambda aside: aside.write_text(mask_cpr(text), encoding="utf-8"))


def refuses_output_over_input(output: str | None, inputs: Iterable[str | None]) -> bool:
    """Say so and return True if the file *output* is one of *inputs* (the same file, by any
    name): writing it would destroy the command's input; the command then gives the usage
    code."""
    if not output:
        return False
    for source in inputs:
        if source is None:
            continue
        try:
            if os.path.samefile(output, source):
                say(sys.stderr, f"{one_line(output)}: cannot write: it is an input of this "
                                "command; choose another output")
                return True
        except (OSError, ValueError):
            continue
    return False


def cannot_write(err: OSError, path: str) -> int:
    """Say that the output *path* cannot be written, and give the usage exit code."""
    say(sys.stderr, f"{one_line(str(err.filename or path))}: cannot write: {err.strerror or err}")
    return EXIT_USAGE


def invalid(err: InputError, stream: TextIO) -> int:
    """Say every located problem of the input, and give the invalid-input exit code."""
    for problem in err.problems:
        say(stream, str(problem))
    return EXIT_INVALID


def usage_error(err: LabRulesError | OSError, path: str) -> int:
    """Say what went wrong with the command's input, on one line (a file name in the message
    keeps to it), and give the usage exit code. An OSError is blamed on the file it names (the
    output folder, a rules file), else *path*."""
    if isinstance(err, OSError):
        name = err.filename if isinstance(err.filename, str) and err.filename else path
        say(sys.stderr, f"{one_line(name)}: cannot read: {err.strerror or err}")
    else:
        say(sys.stderr, f"lab-rules: error: {one_line(str(err))}")
    return EXIT_USAGE


def add_law_options(command: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """``--rules``, ``--variant`` and ``--policy``, alike in every evaluating command."""
    command.add_argument("--rules", metavar="PATH", type=PATH,
                         help="a law folder (rule and parameter files), or rule modules alone "
                              "on top of national parameters (default: the bundled law)")
    if variant:
        command.add_argument("--variant", metavar="SPEC", type=SPEC,
                             help="overlays, policy swaps or law:DATE joined with + "
                                  "(see compare)")
    command.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE",
                         help="e.g. no_show=restart_from_contact (repeatable)")


def read_law(path: str) -> Law:
    """The law a ``--rules PATH`` names. Raises the loader's :class:`RuleError` (also for a
    file that is not UTF-8 text: an invalid rule file), and a :class:`LabRulesError` naming
    the path it cannot read."""
    try:
        return law_from_path(path)
    except OSError as err:
        name = err.filename if isinstance(err.filename, str) and err.filename else path
        raise LabRulesError(f"{name}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        problem = Problem("", f"not UTF-8 text: {err.reason} at byte {err.start}", path)
        raise RuleError([problem], subject=path) from None


def law_of(args: argparse.Namespace) -> tuple[Law, list[str]]:
    """The law and policy swaps the command's options name; raises the loader's errors, and
    a :class:`LabRulesError` naming the ``--rules`` path it cannot read."""
    Policies.parse(args.policy)
    path = getattr(args, "rules", None)
    law = bundled_law() if path is None else read_law(path)
    spec = getattr(args, "variant", None)
    if not spec:
        return law, []
    from lab_rules.loops.variants import variant

    chosen = variant(spec, base=law)
    return chosen.law, [f"{k}={v}" for k, v in chosen.policies]


def case_of(args: argparse.Namespace) -> tuple[Law, list[str], Timeline] | int:
    """The law, the policies (the variant's swaps, then ``--policy``) and the timeline
    ``args.file`` a one-case command names; or the located problems said and the exit code."""
    try:
        law, swaps = law_of(args)
    except RuleError as err:
        return invalid(err, sys.stderr)
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.rules or "--rules")
    try:
        timeline = load_timeline(args.file)
    except TimelineError as err:
        return invalid(err, sys.stderr)
    except OSError as err:
        return usage_error(err, args.file)
    return law, [*swaps, *args.policy], timeline


def guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """*run* with a last line of defence: an error that escapes it is a bug, said in one line
    (exit code 3) instead of a traceback."""
    def command(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BrokenPipeError:
            raise
        except Exception as err:
            said = str(err)[:_LONGEST_SAID]
            say(sys.stderr, f"lab-rules: internal error (a bug; please report it with the "
                            f"input): {type(err).__name__}: {said}")
            return EXIT_BUG
    return command
