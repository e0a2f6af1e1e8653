"""``lab-rules offer-end``: when must each offer of a timeline end."""

from __future__ import annotations

import argparse
import sys

from lab_rules.core.errors import LabRulesError
from lab_rules.core.terminal import one_line
from lab_rules.evaluation.offer_end import offer_end
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    PATH,
    add_law_options,
    as_of_date,
    case_of,
    say,
    screened,
)
from lab_rules.faces.offer_end_output import dumps_offer_ends, render_offer_ends


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "offer-end", help="when must each offer of a timeline end: its last allowed day",
        description="For every offer of the timeline started by --as-of: the last day it may "
                    "run (its longest length under the law of its first day, moved by the "
                    "extensions recorded), its status on --as-of, the rule and its legal "
                    "basis, and the extensions the rule still allows. Exit codes: 0, 1 an "
                    "invalid timeline or rules, 2 usage.")
    command.add_argument("file", metavar="FILE", type=PATH)
    command.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE",
                         help="the day the answer is given (YYYY-MM-DD)")
    command.add_argument("--format", choices=("text", "json"), default="text")
    command.add_argument("--lang", choices=("da", "en"), default="da")
    add_law_options(command)
    command.set_defaults(run=_cmd_offer_end)


def _cmd_offer_end(args: argparse.Namespace) -> int:
    case = case_of(args)
    if isinstance(case, int):
        return case
    law, policies, timeline = case
    try:
        result = offer_end(timeline, as_of=args.as_of, law=law, policies=policies)
    except LabRulesError as err:
        say(sys.stderr, f"{one_line(args.file)}: cannot be evaluated: {one_line(str(err))}")
        return EXIT_INVALID
    sys.stdout.write(screened(dumps_offer_ends(result) if args.format == "json"
                              else render_offer_ends(result, args.lang)))
    return EXIT_OK
