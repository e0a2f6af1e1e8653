"""Commands on a caseload: synth, batch and compare."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from lab_rules.core.errors import LabRulesError
from lab_rules.core.messages import text
from lab_rules.core.privacy import MIN_KEY_BYTES
from lab_rules.core.terminal import one_line
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PATH,
    SPEC,
    add_law_options,
    as_of_date,
    cannot_write,
    count_up_to,
    invalid,
    law_of,
    output_path,
    read_law,
    say,
    usage_error,
)
from lab_rules.inputs.eventlog_arrow import READERS
from lab_rules.inputs.synth import FIRST_START, LAST_START, MAX_PERSONS, write_event_log
from lab_rules.law.loader import RuleError
from lab_rules.law.policies import Policies
from lab_rules.loops.atomic_output import OutputError
from lab_rules.loops.batch import evaluate_caseload
from lab_rules.loops.batch_fast import FAST_PATH_OPTIONS
from lab_rules.loops.interrupts import Interrupted
from lab_rules.loops.worker_guard import MAX_WORKERS

PSEUDONYM_KEY_VARIABLE = "LAB_RULES_PSEUDONYM_KEY"


def pseudonym_key(path: str | None) -> bytes:
    """The pseudonym key: the file's bytes (without a trailing newline), else the environment
    variable; never written anywhere."""
    if path is not None:
        with open(path, "rb") as handle:
            key = handle.read().rstrip(b"\r\n")
    else:
        key = os.environb.get(PSEUDONYM_KEY_VARIABLE.encode(), b"")
        if not key:
            raise LabRulesError(f"--pseudonymise needs a key: --pseudonym-key-file FILE or "
                                f"the environment variable {PSEUDONYM_KEY_VARIABLE}")
    if len(key) < MIN_KEY_BYTES:
        raise LabRulesError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    return key


def interrupted(err: BaseException, out: str) -> int:
    """Say that the run was stopped and *out* left as it was; the shell's code (128 + n)."""
    signum = err.signum if isinstance(err, Interrupted) else signal.SIGINT
    say(sys.stderr, f"{one_line(out)}: interrupted ({signal.Signals(signum).name}); left as it "
                    "was")
    return 128 + int(signum)


def _cmd_synth(args: argparse.Namespace) -> int:
    if args.start_from > args.start_to:
        say(sys.stderr, f"--start-from {args.start_from} is after --start-to {args.start_to}")
        return EXIT_USAGE
    try:
        rows = write_event_log(args.out, args.persons, args.seed, args.start_from,
                               args.start_to)
    except LabRulesError as err:
        say(sys.stderr, f"lab-rules: error: {one_line(str(err))}")
        return EXIT_USAGE
    except OSError as err:  # named by the output, not by the file written aside of it
        say(sys.stderr, f"{one_line(args.out)}: cannot write: {err.strerror or err}")
        return EXIT_USAGE
    say(sys.stderr, f"{one_line(args.out)}: {args.persons} synthetic persons, {rows} rows "
                    f"(seed {args.seed})")
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    try:
        law, swaps = law_of(args)
        chosen = [*swaps, *args.policy]
        policies = dict(Policies.parse(chosen).as_dict()) if chosen else None
    except RuleError as err:
        return invalid(err, sys.stderr)
    except LabRulesError as err:
        return usage_error(err, args.events)
    key = None
    if args.pseudonymise or args.pseudonym_key_file:
        try:
            key = pseudonym_key(args.pseudonym_key_file)
        except (LabRulesError, OSError) as err:
            return usage_error(err, args.pseudonym_key_file or PSEUDONYM_KEY_VARIABLE)
    try:
        summary = evaluate_caseload(args.events, args.out, as_of=args.as_of, policies=policies,
                                    workers=args.workers, table_format=args.table_format,
                                    law=law, pseudonymise_key=key,
                                    refund=not args.no_refund, reader=args.reader,
                                    fast_path=args.fast_path)
    except (KeyboardInterrupt, Interrupted) as err:
        return interrupted(err, args.out)
    except OutputError as err:
        say(sys.stderr, one_line(str(err)))
        return EXIT_USAGE
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.events)
    say(sys.stderr, text("report.batch.done", "en", persons=summary.persons,
                         evaluated=summary.evaluated, quarantined=summary.quarantined,
                         obligations=summary.obligations, failures=summary.sanctions,
                         seconds=f"{summary.seconds:.1f}", out=one_line(str(summary.out))))
    if summary.quarantined and not args.allow_quarantine:
        return EXIT_INVALID
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from lab_rules.faces.comparison import render_comparison, write_comparison
    from lab_rules.loops.whatif import compare_caseload

    try:
        base = read_law(args.rules) if args.rules else None
    except RuleError as err:
        return invalid(err, sys.stderr)
    except LabRulesError as err:
        return usage_error(err, args.rules)
    try:
        comparison = compare_caseload(args.events, args.baseline, *args.variant,
                                      as_of=args.as_of, workers=args.workers, base=base)
    except (KeyboardInterrupt, Interrupted) as err:
        if args.out:
            return interrupted(err, args.out)
        raise
    except RuleError as err:
        return invalid(err, sys.stderr)
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.events)
    say(sys.stdout, render_comparison(comparison, args.lang).rstrip("\n"))
    if args.out:
        try:
            write_comparison(comparison, args.out)
        except (KeyboardInterrupt, Interrupted) as err:
            return interrupted(err, args.out)
        except OutputError as err:
            say(sys.stderr, one_line(str(err)))
            return EXIT_USAGE
        except OSError as err:
            return cannot_write(err, args.out)
        say(sys.stderr, f"tables -> {one_line(args.out)}")
    if comparison.quarantined and not args.allow_quarantine:
        return EXIT_INVALID
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the caseload commands to the parser."""
    compare_cmd = commands.add_parser(
        "compare", help="a caseload under a baseline and variants (overlays, policy swaps, "
                        "the law as of a date)")
    compare_cmd.add_argument("events", metavar="EVENTS", type=PATH)
    compare_cmd.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE")
    compare_cmd.add_argument("--variant", action="append", required=True, metavar="SPEC",
                             type=SPEC,
                             help="an overlay (roedovre-genstart, a file), a policy swap "
                                  "(no_show=restart_from_contact), law:DATE, or several "
                                  "joined with +; repeat for more variants")
    compare_cmd.add_argument("--rules", metavar="PATH", type=PATH,
                             help="the law every spec starts from (default: the bundled law)")
    compare_cmd.add_argument("--baseline", default="national", metavar="SPEC", type=SPEC,
                             help="the baseline spec (default: national)")
    compare_cmd.add_argument("--out", metavar="DIR", type=PATH,
                             help="also write the tables as CSV")
    compare_cmd.add_argument("--lang", choices=("da", "en"), default="en")
    compare_cmd.add_argument("--workers", type=count_up_to(MAX_WORKERS), default=None,
                             metavar="N", help="processes, 1 to "
                                               f"{MAX_WORKERS} (default: the machine's cores)")
    compare_cmd.add_argument("--allow-quarantine", action="store_true")
    compare_cmd.set_defaults(run=_cmd_compare)

    synth_cmd = commands.add_parser(
        "synth", help="write a synthetic caseload as an event log in the format --out's "
                      "suffix names (.jsonl, .csv, .parquet)")
    synth_cmd.add_argument("--persons", type=count_up_to(MAX_PERSONS), required=True,
                           metavar="N", help=f"how many persons, 1 to {MAX_PERSONS:,}")
    synth_cmd.add_argument("--seed", type=int, default=1)
    synth_cmd.add_argument("--out", required=True, metavar="FILE", type=output_path,
                           help="FILE.jsonl, FILE.csv or FILE.parquet (the parquet extra)")
    synth_cmd.add_argument("--start-from", type=as_of_date, default=FIRST_START, metavar="DATE",
                           help=f"earliest course start (default {FIRST_START})")
    synth_cmd.add_argument("--start-to", type=as_of_date, default=LAST_START, metavar="DATE",
                           help=f"latest course start (default {LAST_START})")
    synth_cmd.set_defaults(run=_cmd_synth)

    batch_cmd = commands.add_parser(
        "batch", help="evaluate every person of an event log (JSON Lines, CSV or Parquet) in "
                 "parallel")
    batch_cmd.add_argument("events", metavar="EVENTS", type=PATH)
    batch_cmd.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE")
    batch_cmd.add_argument("--out", required=True, metavar="DIR", type=PATH)
    batch_cmd.add_argument("--workers", type=count_up_to(MAX_WORKERS), default=None,
                           metavar="N", help=f"processes, 1 to {MAX_WORKERS} (default: all "
                                             "cores; 1 = this process)")
    batch_cmd.add_argument("--allow-quarantine", action="store_true",
                           help="exit 0 even when some persons were quarantined")
    add_law_options(batch_cmd)
    batch_cmd.add_argument("--no-refund", action="store_true",
                           help="skip the refund, co-financing and refund lost (refund.csv "
                                "keeps only its header; faster)")
    batch_cmd.add_argument("--reader", choices=READERS, default="auto",
                           help="the event-log reader: arrow (the parquet extra: typed columns, "
                                "faster), python, or auto (arrow when pyarrow is installed); "
                                "both give the same results and quarantine entries")
    batch_cmd.add_argument("--fast-path", choices=FAST_PATH_OPTIONS, default="auto",
                           help="auto (default): with polars installed and a JSON Lines or "
                                "Parquet log, evaluate the simplest first-conversation rules "
                                "for the whole caseload at once (columnar) and the rest per "
                                "person; off: every rule per person. The tables are the same; "
                                "run.json says which was used")
    batch_cmd.add_argument("--table-format", choices=("csv", "parquet"), default="csv",
                           help="parquet needs the parquet extra (pyarrow)")
    batch_cmd.add_argument("--pseudonymise", action="store_true",
                           help="write every person id as a keyed hash (HMAC-SHA256); the "
                                f"key from --pseudonym-key-file or ${PSEUDONYM_KEY_VARIABLE}")
    batch_cmd.add_argument("--pseudonym-key-file", metavar="FILE", type=PATH,
                           help="a file holding the pseudonym key (at least 16 bytes)")
    batch_cmd.set_defaults(run=_cmd_batch)

