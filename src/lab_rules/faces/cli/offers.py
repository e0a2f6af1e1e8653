"""``lab-rules offer-end``: when must each offer of a timeline end."""

from __future__ import annotations

import argparse
import sys

from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.evaluation.offer_end import offer_end
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_law_options,
    as_of_date,
    invalid,
    law_of,
    say,
    usage_error,
)
from lab_rules.faces.offer_end_output import dumps_offer_ends, render_offer_ends
from lab_rules.inputs.timeline_json import load_timeline
from lab_rules.law.loader import RuleError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "offer-end", help="when must each offer of a timeline end: its last allowed day",
        description="For every offer of the timeline started by --as-of: the last day it may "
                    "run (its longest length under the law of its first day, moved by the "
                    "extensions recorded), its status on --as-of, the rule and its legal "
                    "basis, and the extensions the rule still allows. Exit codes: 0, 1 an "
                    "invalid timeline or rules, 2 usage.")
    command.add_argument("file", metavar="FILE")
    command.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE",
                         help="the day the answer is given (YYYY-MM-DD)")
    command.add_argument("--format", choices=("text", "json"), default="text")
    command.add_argument("--lang", choices=("da", "en"), default="da")
    add_law_options(command)
    command.set_defaults(run=_cmd_offer_end)


def _cmd_offer_end(args: argparse.Namespace) -> int:
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
    try:
        result = offer_end(timeline, as_of=args.as_of, law=law,
                           policies=[*swaps, *args.policy])
    except LabRulesError as err:
        say(sys.stderr, f"{args.file}: cannot be evaluated: {err}")
        return EXIT_INVALID
    sys.stdout.write(dumps_offer_ends(result) if args.format == "json"
                     else render_offer_ends(result, args.lang))
    return EXIT_OK
