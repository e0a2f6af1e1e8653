"""``lab-rules worklist``: the caseworker's deadlines of a caseload for the days ahead."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab_rules.calendar import Duration
from lab_rules.core.errors import LabRulesError
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.worklist import DEFAULT_HORIZON, horizon_problem
from lab_rules.faces.cli.caseload import PSEUDONYM_KEY_VARIABLE, pseudonym_key
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
    refuses_output_over_input,
    say,
    screened,
    usage_error,
    write_text,
)
from lab_rules.faces.worklist_output import (
    WORKLIST_SCHEMA,
    html_pages,
    render_worklist,
    worklist_csv,
    worklist_json,
)
from lab_rules.law.loader import RuleError
from lab_rules.law.policies import Policies
from lab_rules.loops.atomic_output import OutputError, whole_or_absent
from lab_rules.loops.worklist_caseload import caseload_worklist

FORMATS = ("text", "csv", "json", "html")


def horizon(text: str) -> Duration:
    """An ISO 8601 duration option value of at least one day (``P14D``, ``P2W``, ``P1M``)."""
    try:
        value = Duration.parse(text)
    except (ValueError, LabRulesError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration such as P14D, P2W or P1M") from None
    problem = horizon_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text}: {problem}")
    return value


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "worklist", help="the obligations that are overdue, open or due soon, per caseworker",
        description="For each person of the event logs (or timeline .json files): the "
                    "obligations that are overdue or open on --as-of, or open or fall due "
                    "within --horizon after it, including projected ones (the next "
                    "conversation of a cadence), with their legal basis and what fulfils "
                    "them, grouped by the caseworker or team of the person's assigned events. "
                    "A person whose rows lie in more than one input is held back as a whole. "
                    "Exit codes: 0, 1 if a person was held back (listed), 2 usage (the same "
                    "file given twice too).")
    command.add_argument("events", nargs="+", metavar="EVENTS", type=PATH,
                         help="event logs (.jsonl, .csv, .parquet) or timeline .json files")
    command.add_argument("--as-of", required=True, type=as_of_date, metavar="YYYY-MM-DD")
    command.add_argument("--horizon", type=horizon, default=DEFAULT_HORIZON,
                         metavar="DURATION", help="how far ahead (default P14D)")
    command.add_argument("--by", choices=("caseworker", "team", "person"),
                         default="caseworker")
    command.add_argument("--format", choices=FORMATS, default="text")
    command.add_argument("--lang", choices=("da", "en"), default="da")
    command.add_argument("--out", metavar="PATH", type=PATH,
                         help="a file (text, csv, json; default standard output) or, for "
                              "html, a folder with a page per group and index.html")
    command.add_argument("--pseudonymise", action="store_true",
                         help="persons as keyed pseudonyms (for a list that leaves the "
                              f"jobcentre); the key from --pseudonym-key-file or "
                              f"{PSEUDONYM_KEY_VARIABLE}")
    command.add_argument("--pseudonym-key-file", metavar="FILE", type=PATH)
    add_law_options(command)
    command.set_defaults(run=_cmd_worklist)


def _cmd_worklist(args: argparse.Namespace) -> int:
    if args.format == "html" and not args.out:
        say(sys.stderr, "--format html writes a folder: name it with --out")
        return EXIT_USAGE
    if refuses_output_over_input(args.out,
                                 [*args.events, args.rules, args.pseudonym_key_file]):
        return EXIT_USAGE
    try:
        law, swaps = law_of(args)
        chosen = [*swaps, *args.policy]
        policies = dict(Policies.parse(chosen).as_dict()) if chosen else None
    except RuleError as err:
        return invalid(err, sys.stderr)
    except LabRulesError as err:
        return usage_error(err, args.events[0])
    key = None
    if args.pseudonymise or args.pseudonym_key_file:
        try:
            key = pseudonym_key(args.pseudonym_key_file)
        except (LabRulesError, OSError) as err:
            return usage_error(err, args.pseudonym_key_file or PSEUDONYM_KEY_VARIABLE)
    try:
        result = caseload_worklist(args.events, as_of=args.as_of, horizon=args.horizon,
                                   law=law, policies=policies, key=key)
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.events[0])
    try:
        if args.format == "html":
            _write_pages(args.out, html_pages(result, args.by, args.lang),
                         json.dumps(worklist_json(result, args.by), ensure_ascii=False,
                                    indent=2) + "\n")
        else:
            text = (render_worklist(result, args.by, args.lang) if args.format == "text"
                    else worklist_csv(result, args.lang) if args.format == "csv"
                    else json.dumps(worklist_json(result, args.by), ensure_ascii=False,
                                    indent=2) + "\n")
            if args.out:
                write_text(args.out, text)
            else:
                sys.stdout.write(screened(text))
    except OutputError as err:
        say(sys.stderr, str(err))
        return EXIT_USAGE
    except OSError as err:
        return cannot_write(err, args.out or "-")
    for held in result.held:
        say(sys.stderr, f"held back: {held.person_id}: " + "; ".join(held.reasons))
    return EXIT_INVALID if result.held else EXIT_OK


def _write_pages(out: str, pages: dict[str, str], document: str) -> None:
    """The pages and ``worklist.json`` into the folder *out*, whole or not at all; a folder
    may be replaced only if it holds an earlier worklist."""
    known = {"worklist.json", *pages}
    previous = Path(out) / "worklist.json"
    try:
        earlier = json.loads(previous.read_text(encoding="utf-8")).get("schema")
    except (OSError, ValueError, AttributeError):
        earlier = None
    if earlier == WORKLIST_SCHEMA:
        known.update(p.name for p in Path(out).iterdir() if p.suffix == ".html")
    with whole_or_absent(out, frozenset(known)) as staging:
        for name, text in pages.items():
            (staging / name).write_text(mask_cpr(text), encoding="utf-8")
        (staging / "worklist.json").write_text(mask_cpr(document), encoding="utf-8")
