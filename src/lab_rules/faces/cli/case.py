"""Commands on one timeline: evaluate, refund, sanctions, entitlements, plot and report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab_rules.core.errors import LabRulesError, TimelineError
from lab_rules.core.messages import Message, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line
from lab_rules.entitlements.holiday_sickness import holiday_entitlements, sickness_dagpenge
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PATH,
    add_law_options,
    as_of_date,
    cannot_write,
    case_of,
    invalid,
    law_of,
    output_file,
    refuses_output_over_input,
    say,
    screened,
    usage_error,
    write_text,
    write_whole,
)
from lab_rules.faces.evaluation_json import (
    dumps_evaluation,
    hours_rule_to_json,
    refund_to_json,
    sanction_to_json,
)
from lab_rules.faces.plot import SUFFIXES as PICTURE_SUFFIXES
from lab_rules.faces.refund_table import render_refund
from lab_rules.faces.sanctions_text import sanctions_lines
from lab_rules.faces.text_table import render_text
from lab_rules.facts.facts import facts_of
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import load_timeline
from lab_rules.law.loader import RuleError

_DPI = (10, 1200)
"""The resolutions a PNG may be drawn at: below, nothing is legible; above, the picture of a
long case runs to gigabytes."""


def _dpi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not _DPI[0] <= value <= _DPI[1]:
        raise argparse.ArgumentTypeError(f"{text}: must be from {_DPI[0]} to {_DPI[1]}")
    return value


def _evaluate_case(args: argparse.Namespace) -> tuple[Timeline, Evaluation] | int:
    """Load and evaluate ``args.file`` under the law and policies the options name, or
    report the located problems and return the exit code. Overlay policies apply unless
    ``--policy`` names them too."""
    case = case_of(args)
    if isinstance(case, int):
        return case
    law, policies, timeline = case
    try:
        return timeline, evaluate(timeline, as_of=args.as_of, law=law, policies=policies)
    except LabRulesError as err:
        say(sys.stderr, f"{one_line(args.file)}: cannot be evaluated: {one_line(str(err))}")
        return EXIT_INVALID


def _evaluate_file(args: argparse.Namespace) -> Evaluation | int:
    case = _evaluate_case(args)
    return case if isinstance(case, int) else case[1]


def _cmd_plot(args: argparse.Namespace) -> int:
    if refuses_output_over_input(args.output, [args.file, args.rules]):
        return EXIT_USAGE
    case = _evaluate_case(args)
    if isinstance(case, int):
        return case
    try:
        from lab_rules.faces.plot import save
        from lab_rules.faces.plot import timeline as plot_timeline

        figure = plot_timeline(case[1], case[0], lang=args.lang)
    except LabRulesError as err:
        say(sys.stderr, f"lab-rules: error: {err}")
        return EXIT_USAGE
    suffix = Path(args.output).suffix.lower().lstrip(".")
    try:
        write_whole(args.output, lambda path: save(figure, path, format=suffix, dpi=args.dpi))
    except OSError as err:
        return cannot_write(err, args.output)
    say(sys.stderr, f"{one_line(args.output)}: {len(case[1].obligations)} obligations drawn")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    if refuses_output_over_input(args.output, [args.file, args.rules]):
        return EXIT_USAGE
    case = _evaluate_case(args)
    if isinstance(case, int):
        return case
    from lab_rules.faces.report import render_report

    text = render_report(case[1], case[0], lang=args.lang)
    try:
        write_text(args.output, text)
    except OSError as err:
        return cannot_write(err, args.output)
    say(sys.stderr, f"{one_line(args.output)}: report of {len(case[1].obligations)} "
                    "obligations")
    return EXIT_OK


def _cmd_entitlements(args: argparse.Namespace) -> int:
    try:
        law, _ = law_of(args)
        timeline = load_timeline(args.file)
    except (TimelineError, RuleError) as err:
        return invalid(err, sys.stderr)
    except LabRulesError as err:
        return usage_error(err, args.file)
    except OSError as err:
        say(sys.stderr, f"{one_line(args.file)}: cannot read: {err.strerror or err}")
        return EXIT_USAGE
    facts = facts_of(timeline, args.as_of, law)
    holidays = holiday_entitlements(facts, law.holiday_rules)
    sick = sickness_dagpenge(facts, law.sickness_rules)
    if args.format == "json":
        document = {
            "person": mask_cpr(timeline.person.id), "as_of": args.as_of.isoformat(),
            "kh_holiday": [{"earned_on": h.earned_on.isoformat(), "take_by": h.take_by.isoformat(),
                            "days": h.days, "used": h.used, "remaining": h.remaining,
                            "periods_too_long": [[a.isoformat(), b.isoformat()]
                                                 for a, b in h.periods_too_long],
                            "legal_basis": h.legal_basis, "entry": h.entry,
                            "notes": list(h.notes)}
                           for h in holidays],
            "dagpenge_sickness": [{"first_day": s.first_day.isoformat(),
                                   "last_dagpenge_day": s.last_dagpenge_day.isoformat(),
                                   "legal_basis": s.legal_basis, "entry": s.entry,
                                   "notes": list(s.notes)}
                                  for s in sick],
        }
        say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
        return EXIT_OK
    lang = args.lang
    for h in holidays:
        say(sys.stdout, text("entitlements.holiday", lang, basis=h.cited or h.legal_basis,
                             earned=h.earned_on, take_by=h.take_by, remaining=h.remaining,
                             days=Message("unit.days", n=h.days)))
    for s in sick:
        say(sys.stdout, text("entitlements.sickness", lang, first=s.first_day,
                             last=s.last_dagpenge_day, basis=s.cited or s.legal_basis))
    if not holidays and not sick:
        say(sys.stdout, text("entitlements.nothing", lang))
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    evaluation = _evaluate_file(args)
    if isinstance(evaluation, int):
        return evaluation
    if args.format == "json":
        sys.stdout.write(screened(dumps_evaluation(evaluation)) + "\n")
    else:
        sys.stdout.write(screened(render_text(evaluation, args.lang, wide=args.wide)))
    return EXIT_OK


def _cmd_refund(args: argparse.Namespace) -> int:
    evaluation = _evaluate_file(args)
    if isinstance(evaluation, int):
        return evaluation
    assert evaluation.refund is not None
    if args.format == "json":
        document = refund_to_json(evaluation.refund, evaluation.refund_losses,
                                  evaluation.refund_loss_months, evaluation.refund_periods,
                                  evaluation.refund_period_months, evaluation.cofinancing_weeks,
                                  evaluation.cofinancing_months)
        document["policies"] = dict(evaluation.policies)
        say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        sys.stdout.write(screened(render_refund(
            evaluation.refund, args.lang, evaluation.refund_losses, evaluation.refund_loss_months,
            evaluation.policies, evaluation.refund_periods)))
    return EXIT_OK


def _cmd_sanctions(args: argparse.Namespace) -> int:
    evaluation = _evaluate_file(args)
    if isinstance(evaluation, int):
        return evaluation
    if args.format == "json":
        document = {"sanctions": [sanction_to_json(s) for s in evaluation.sanctions],
                    "hours_rule": hours_rule_to_json(evaluation.hours_rule),
                    "policies": dict(evaluation.policies)}
        say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for line in sanctions_lines(evaluation, args.lang):
            say(sys.stdout, line)
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the one-timeline commands to the parser."""
    for name, run, what in (
            ("evaluate", _cmd_evaluate,
             "evaluate a timeline: obligations, due dates, status and explanation"),
            ("refund", _cmd_refund,
             "the refund ledger of a timeline: weeks, rates, amounts, month totals"),
            ("sanctions", _cmd_sanctions,
             "failures (no-shows, absences, bookings, refusals, lapses) and sanctions")):
        command = commands.add_parser(name, help=what)
        command.add_argument("file", metavar="FILE", type=PATH)
        command.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE",
                             help="the day the evaluation is made (YYYY-MM-DD)")
        command.add_argument("--format", choices=("json", "text"), default="json")
        command.add_argument("--lang", choices=("da", "en"), default="da")
        if name == "evaluate":
            command.add_argument("--wide", action="store_true",
                                 help="text: columns as wide as their content, one line per "
                                      "obligation (default: fixed widths that wrap)")
        add_law_options(command)
        command.set_defaults(run=run)
    for name, run, what, suffix, suffixes in (
            ("plot", _cmd_plot, "draw one timeline's evaluation as a chart (PNG, SVG, PDF)",
             "case.png", PICTURE_SUFFIXES),
            ("report", _cmd_report, "one person's self-contained HTML audit report",
             "case.html", ("html", "htm"))):
        case_cmd = commands.add_parser(name, help=what)
        case_cmd.add_argument("file", metavar="FILE", type=PATH)
        case_cmd.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE")
        case_cmd.add_argument("-o", "--output", default=suffix, metavar="FILE",
                              type=output_file(*suffixes),
                              help="the file to write (" + ", ".join(f".{s}" for s in suffixes)
                                   + f"; default {suffix})")
        case_cmd.add_argument("--lang", choices=("da", "en"), default="da")
        add_law_options(case_cmd)
        if name == "plot":
            case_cmd.add_argument("--dpi", type=_dpi, default=110,
                                  help=f"dots per inch of a PNG ({_DPI[0]}-{_DPI[1]})")
        case_cmd.set_defaults(run=run)
    entitlements = commands.add_parser(
        "entitlements", help="kontanthjælp holiday and dagpenge during sickness")
    entitlements.add_argument("file", metavar="FILE", type=PATH)
    entitlements.add_argument("--as-of", required=True, type=as_of_date, metavar="DATE")
    entitlements.add_argument("--format", choices=("json", "text"), default="json")
    entitlements.add_argument("--lang", choices=("da", "en"), default="da")
    add_law_options(entitlements, variant=True)
    entitlements.set_defaults(run=_cmd_entitlements)
