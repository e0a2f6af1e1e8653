"""``lab-rules audit``: a sample of a caseload as one printable HTML audit pack (and a PDF).

Exit codes: 0 the pack was written; 1 invalid input with located messages (a ``--persons``
line naming no person of the log, rule files), or persons quarantined (the pack is written
and lists them; ``--allow-quarantine`` gives 0); 2 usage: a bad option (``--sample`` below 1, a
``--persons`` file that names no person: an empty pack proves nothing), no pseudonym key, an
unreadable input, an output that cannot be written, or ``--pdf`` without a headless Chromium
(the HTML is written, the PDF not); 3 a bug.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lab_rules.core.errors import InputError, LabRulesError, Problem
from lab_rules.core.privacy import MIN_KEY_BYTES
from lab_rules.core.terminal import one_line
from lab_rules.faces.cli.caseload import PSEUDONYM_KEY_VARIABLE, interrupted, pseudonym_key
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PATH,
    add_law_options,
    as_of_date,
    cannot_write,
    invalid,
    law_of,
    output_file,
    positive_int,
    refuses_output_over_input,
    say,
    usage_error,
    write_text,
    write_whole,
)
from lab_rules.inputs.eventlog_arrow import READERS
from lab_rules.law.loader import RuleError
from lab_rules.law.policies import Policies
from lab_rules.loops.interrupts import Interrupted

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Headless browsers that print the PDF, looked up on PATH in this order."""
PRINT_SECONDS = 600


def browser() -> str | None:
    """The first headless-capable browser on PATH, or None."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(page: Path, target: Path, program: str) -> None:
    """Print the HTML file *page* to *target* with *program* (headless Chromium), A4 as the
    page's print styles say, without the browser's header and footer. Raises OSError (with
    the browser's last words) when it fails or writes no PDF."""
    with tempfile.TemporaryDirectory(prefix="lab-rules-chromium-") as profile:
        done = subprocess.run(
            [program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             "--print-to-pdf-no-header", f"--print-to-pdf={target}",
             page.resolve().as_uri()],
            capture_output=True, text=True, timeout=PRINT_SECONDS, check=False)
    if done.returncode != 0 or not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
        last = (done.stderr.strip().splitlines() or ["no PDF written"])[-1]
        raise OSError(0, f"{Path(program).name} could not print the PDF: {last[:200]}",
                      str(target))


def read_persons_file(path: str) -> list[tuple[str, int]]:
    """The person ids of *path*, one a line, with their line numbers; blank lines and lines
    starting with ``#`` are skipped; an id listed twice is a located problem."""
    with open(path, encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    seen: dict[str, int] = {}
    found: list[tuple[str, int]] = []
    problems = []
    for number, line in enumerate(lines, start=1):
        person = line.strip()
        if not person or person.startswith("#"):
            continue
        if person in seen:
            problems.append(Problem("", f"{person}: listed again (first on line "
                                        f"{seen[person]})", path, number))
            continue
        seen[person] = number
        found.append((person, number))
    if problems:
        raise InputError(problems, subject=path)
    return found


def _key(args: argparse.Namespace) -> bytes | None:
    if args.pseudonym_key is None and not os.environ.get(PSEUDONYM_KEY_VARIABLE):
        say(sys.stderr, f"lab-rules: error: cases are named by keyed pseudonyms: give "
                        f"--pseudonym-key FILE or set {PSEUDONYM_KEY_VARIABLE} (at least 16 "
                        f"bytes; the same key as for batch --pseudonymise)")
        return None
    key = pseudonym_key(args.pseudonym_key)
    if len(key) < MIN_KEY_BYTES:
        raise LabRulesError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    return key


def _cmd_audit(args: argparse.Namespace) -> int:
    from lab_rules.faces.audit import audit_pack
    from lab_rules.faces.audit_html import render_audit

    if (args.sample is None) != (args.seed is None):
        say(sys.stderr, "lab-rules: error: --sample N and --seed S go together")
        return EXIT_USAGE
    inputs = [args.events, args.persons, args.rules, args.pseudonym_key]
    if any(refuses_output_over_input(out, inputs) for out in (args.out, args.pdf)):
        return EXIT_USAGE
    try:
        law, swaps = law_of(args)
        chosen = [*swaps, *args.policy]
        policies = dict(Policies.parse(chosen).as_dict()) if chosen else {}
    except RuleError as err:
        return invalid(err, sys.stderr)
    except LabRulesError as err:
        return usage_error(err, args.events)
    try:
        key = _key(args)
        if key is None:
            return EXIT_USAGE
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.pseudonym_key or PSEUDONYM_KEY_VARIABLE)
    try:
        persons = None if args.persons is None else read_persons_file(args.persons)
    except InputError as err:
        return invalid(err, sys.stderr)
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        say(sys.stderr, f"{one_line(args.persons)}: cannot read: {reason or err}")
        return EXIT_USAGE
    if persons == []:
        say(sys.stderr, f"{one_line(args.persons)}: names no person (one id a line; blank "
                        "lines and # comments are skipped): nothing to audit")
        return EXIT_USAGE
    try:
        pack = audit_pack(args.events, as_of=args.as_of, key=key, sample=args.sample,
                          seed=args.seed, persons=persons,
                          persons_source=args.persons or "persons", law=law,
                          policies=policies, reader=args.reader)
    except InputError as err:
        return invalid(err, sys.stderr)
    except (KeyboardInterrupt, Interrupted) as err:
        return interrupted(err, args.out)
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.events)
    text = render_audit(pack, lang=args.lang)
    try:
        write_text(args.out, text)
    except KeyboardInterrupt as err:
        return interrupted(err, args.out)
    except OSError as err:
        return cannot_write(err, args.out)
    say(sys.stderr, f"{one_line(args.out)}: {len(pack.cases)} case(s) of {pack.evaluated} persons "
                     f"evaluated, {len(pack.quarantined)} quarantined, as of {pack.as_of}")
    if args.pdf:
        program = browser()
        if program is None:
            say(sys.stderr, f"{one_line(args.pdf)}: not written: the PDF needs headless Chromium "
                             f"({' or '.join(BROWSERS[:2])} on PATH); the HTML is written")
            return EXIT_USAGE
        try:
            write_whole(args.pdf, lambda path: print_pdf(Path(args.out), path, program))
        except KeyboardInterrupt as err:
            return interrupted(err, args.pdf)
        except (OSError, subprocess.TimeoutExpired) as err:
            if isinstance(err, subprocess.TimeoutExpired):
                err = OSError(0, f"the browser took over {PRINT_SECONDS} s", args.pdf)
            return cannot_write(err, args.pdf)
        say(sys.stderr, f"{one_line(args.pdf)}: printed")
    if pack.quarantined and not args.allow_quarantine:
        return EXIT_INVALID
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` command to the parser."""
    audit_cmd = commands.add_parser(
        "audit", help="a sample of a caseload's cases as one printable HTML audit pack: "
                      "summonses, meetings, held dates, timeliness, refund lost, law text")
    audit_cmd.add_argument("events", metavar="EVENTS", type=PATH,
                           help="an event log (.jsonl, .csv or .parquet), read as batch does")
    audit_cmd.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE")
    chosen = audit_cmd.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--sample", type=positive_int, metavar="N",
                        help="draw N of the persons evaluated (all of them if fewer)")
    chosen.add_argument("--persons", metavar="FILE", type=PATH,
                        help="the person ids to audit, one a line, in the order to print them")
    audit_cmd.add_argument("--seed", type=int, metavar="S",
                           help="the sample's seed (required with --sample): the same seed "
                                "draws the same cases")
    audit_cmd.add_argument("--out", required=True, type=output_file("html"),
                           metavar="FILE.html")
    audit_cmd.add_argument("--pdf", type=output_file("pdf"), metavar="FILE.pdf",
                           help="also print the pack to PDF with headless Chromium")
    audit_cmd.add_argument("--pseudonym-key", "--pseudonym-key-file", dest="pseudonym_key",
                           metavar="FILE", type=PATH,
                           help="the key that names the cases (at least 16 bytes; default "
                                f"${PSEUDONYM_KEY_VARIABLE}; one of them is required)")
    add_law_options(audit_cmd)
    audit_cmd.add_argument("--reader", choices=READERS, default="auto",
                           help="the event-log reader, as for batch")
    audit_cmd.add_argument("--lang", choices=("da", "en"), default="da",
                           help="the language the pack opens (and prints) in")
    audit_cmd.add_argument("--allow-quarantine", action="store_true",
                           help="exit 0 even when some persons of the log were quarantined")
    audit_cmd.set_defaults(run=_cmd_audit)
