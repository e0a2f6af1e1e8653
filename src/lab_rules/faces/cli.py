"""The ``lab-rules`` command: argument parsing only; the work is done by the library.

Exit codes: 0 success, 1 invalid input (with located messages), 2 usage error or an
unreadable file. Every line printed is CPR-masked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from lab_rules._version import __version__
from lab_rules.core.errors import InputError, LabRulesError, Problem, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.entitlements.holiday_sickness import dagpenge_sickness, kh_holiday
from lab_rules.evaluation.evaluate import evaluate
from lab_rules.evaluation.result import Evaluation
from lab_rules.faces.evaluation_json import (
    dumps_evaluation,
    hours_rule_to_json,
    refund_to_json,
    sanction_to_json,
)
from lab_rules.faces.text_table import render_refund, render_text
from lab_rules.inputs.synth import FIRST_START, LAST_START, write_event_log
from lab_rules.inputs.timeline import Timeline
from lab_rules.inputs.timeline_json import json_schema, load_timeline
from lab_rules.law.bundle import PARAMETER_KINDS, kind_of
from lab_rules.law.coverage import render_coverage
from lab_rules.law.loader import RuleError, bundled_rules_dir, load_pack
from lab_rules.law.model import RulePack
from lab_rules.law.overlay import apply_overlays, load_overlay
from lab_rules.law.policies import Policies
from lab_rules.loops.batch import evaluate_caseload

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _say(stream: TextIO, text: str) -> None:
    stream.write(mask_cpr(text) + "\n")


def _cmd_validate(args: argparse.Namespace) -> int:
    results: list[dict[str, object]] = []
    unreadable = False
    for path in args.files:
        try:
            timeline = load_timeline(path)
        except TimelineError as err:
            results.append({"file": path, "valid": False,
                            "problems": [_problem_json(p) for p in err.problems]})
            if args.format == "text":
                for problem in err.problems:
                    _say(sys.stdout, str(problem))
        except OSError as err:
            unreadable = True
            results.append({"file": path, "valid": False,
                            "problems": [{"path": "", "message": f"cannot read: {err.strerror}"}]})
            _say(sys.stderr, f"{path}: cannot read: {err.strerror}")
        else:
            results.append({"file": path, "valid": True, "person": timeline.person.id,
                            "events": len(timeline)})
            if args.format == "text":
                _say(sys.stdout, f"{path}: ok (person {timeline.person.id}, "
                                 f"{len(timeline)} events)")
    invalid = sum(1 for r in results if not r["valid"])
    if args.format == "json":
        _say(sys.stdout, json.dumps({"files": results}, ensure_ascii=False, indent=2))
    else:
        noun = "file" if len(results) == 1 else "files"
        valid = len(results) - invalid
        _say(sys.stdout, f"{len(results)} {noun}: {valid} valid, {invalid} invalid")
    if unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _problem_json(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "message": mask_cpr(problem.message), "line": problem.line}


def _cmd_schema(args: argparse.Namespace) -> int:
    _say(sys.stdout, json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _load_rules(path: str | None) -> RulePack | None:
    return None if path is None else load_pack(path)


def _invalid(err: InputError, stream: TextIO) -> int:
    """Say every located problem of the input, and give the invalid-input exit code."""
    for problem in err.problems:
        _say(stream, str(problem))
    return EXIT_INVALID


def _usage_error(err: LabRulesError | OSError, path: str) -> int:
    """Say what went wrong with the command's input, and give the usage exit code."""
    if isinstance(err, OSError):
        _say(sys.stderr, f"{path}: cannot read: {err.strerror}")
    else:
        _say(sys.stderr, f"lab-rules: error: {err}")
    return EXIT_USAGE


def _evaluate_case(args: argparse.Namespace) -> tuple[Timeline, Evaluation] | int:
    """Load and evaluate ``args.file`` under ``args.policy`` (and ``args.rules`` and
    ``args.variant`` where given), or report the located problems and return the exit code.
    Overlay policies apply unless ``--policy`` names them too."""
    try:
        Policies.parse(args.policy)
        pack = _load_rules(getattr(args, "rules", None))
        swaps: list[str] = []
        spec = getattr(args, "variant", None)
        if spec:
            from lab_rules.loops.whatif import variant

            chosen = variant(spec, base=pack)
            pack, swaps = chosen.rules, [f"{k}={v}" for k, v in chosen.policies]
        timeline = load_timeline(args.file)
    except (TimelineError, RuleError) as err:
        return _invalid(err, sys.stderr)
    except (LabRulesError, OSError) as err:
        return _usage_error(err, args.file)
    return timeline, evaluate(timeline, as_of=args.as_of, rules=pack,
                              policies=[*swaps, *args.policy])


def _evaluate_file(args: argparse.Namespace) -> Evaluation | int:
    case = _evaluate_case(args)
    return case if isinstance(case, int) else case[1]


def _cmd_plot(args: argparse.Namespace) -> int:
    case = _evaluate_case(args)
    if isinstance(case, int):
        return case
    from lab_rules.faces.plot import timeline as plot_timeline

    try:
        figure = plot_timeline(case[1], case[0], lang=args.lang)
    except LabRulesError as err:
        _say(sys.stderr, f"lab-rules: error: {err}")
        return EXIT_USAGE
    figure.savefig(args.output, dpi=args.dpi)
    _say(sys.stderr, f"{args.output}: {len(case[1].obligations)} obligations drawn")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    case = _evaluate_case(args)
    if isinstance(case, int):
        return case
    from lab_rules.faces.report import render_report

    Path(args.output).write_text(render_report(case[1], case[0], lang=args.lang),
                                 encoding="utf-8")
    _say(sys.stderr, f"{args.output}: report of {len(case[1].obligations)} obligations")
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    if args.start_from > args.start_to:
        _say(sys.stderr, f"--start-from {args.start_from} is after --start-to {args.start_to}")
        return EXIT_USAGE
    rows = write_event_log(args.out, args.persons, args.seed, args.start_from, args.start_to)
    _say(sys.stderr, f"{args.out}: {args.persons} synthetic persons, {rows} rows "
                     f"(seed {args.seed})")
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    try:
        policies = dict(Policies.parse(args.policy).as_dict()) if args.policy else None
        summary = evaluate_caseload(args.events, args.out, as_of=args.as_of, policies=policies,
                                    workers=args.workers, table_format=args.table_format)
    except (LabRulesError, OSError) as err:
        return _usage_error(err, args.events)
    _say(sys.stderr, f"{summary.persons} persons, {summary.evaluated} evaluated, "
                     f"{summary.quarantined} quarantined, {summary.obligations} obligations, "
                     f"{summary.sanctions} sanctions in {summary.seconds:.1f} s -> {summary.out}")
    if summary.quarantined and not args.allow_quarantine:
        return EXIT_INVALID
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from lab_rules.loops.whatif import compare_caseload, render_comparison, write_comparison

    try:
        comparison = compare_caseload(args.events, args.baseline, *args.variant,
                                      as_of=args.as_of, workers=args.workers or os.cpu_count()
                                      or 1)
    except (LabRulesError, OSError) as err:
        return _usage_error(err, args.events)
    _say(sys.stdout, render_comparison(comparison, args.lang).rstrip("\n"))
    if args.out:
        write_comparison(comparison, args.out)
        _say(sys.stderr, f"tables -> {args.out}")
    if comparison.quarantined and not args.allow_quarantine:
        return EXIT_INVALID
    return EXIT_OK


def _cmd_entitlements(args: argparse.Namespace) -> int:
    try:
        timeline = load_timeline(args.file)
    except TimelineError as err:
        return _invalid(err, sys.stderr)
    except OSError as err:
        _say(sys.stderr, f"{args.file}: cannot read: {err.strerror}")
        return EXIT_USAGE
    holidays = kh_holiday(timeline, args.as_of)
    sick = dagpenge_sickness(timeline, args.as_of)
    if args.format == "json":
        document = {
            "person": mask_cpr(timeline.person.id), "as_of": args.as_of.isoformat(),
            "kh_holiday": [{"earned_on": h.earned_on.isoformat(), "take_by": h.take_by.isoformat(),
                            "days": h.days, "used": h.used, "remaining": h.remaining,
                            "periods_too_long": [[a.isoformat(), b.isoformat()]
                                                 for a, b in h.periods_too_long],
                            "legal_basis": h.legal_basis, "notes": list(h.notes)}
                           for h in holidays],
            "dagpenge_sickness": [{"first_day": s.first_day.isoformat(),
                                   "last_dagpenge_day": s.last_dagpenge_day.isoformat(),
                                   "legal_basis": s.legal_basis, "notes": list(s.notes)}
                                  for s in sick],
        }
        _say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
        return EXIT_OK
    for h in holidays:
        _say(sys.stdout, f"ferie ({h.legal_basis}): optjent {h.earned_on}, holdes senest "
                         f"{h.take_by}: {h.remaining} af {h.days} dage tilbage")
    for s in sick:
        _say(sys.stdout, f"syg fra {s.first_day}: dagpenge til og med {s.last_dagpenge_day} "
                         f"({s.legal_basis})")
    if not holidays and not sick:
        _say(sys.stdout, "ingen rettigheder at vise")
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    evaluation = _evaluate_file(args)
    if isinstance(evaluation, int):
        return evaluation
    if args.format == "json":
        sys.stdout.write(dumps_evaluation(evaluation) + "\n")
    else:
        sys.stdout.write(render_text(evaluation, args.lang))
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
        _say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        sys.stdout.write(render_refund(evaluation.refund, args.lang, evaluation.refund_losses,
                                       evaluation.refund_loss_months, evaluation.policies,
                                       evaluation.refund_periods))
    return EXIT_OK


def _cmd_sanctions(args: argparse.Namespace) -> int:
    evaluation = _evaluate_file(args)
    if isinstance(evaluation, int):
        return evaluation
    if args.format == "json":
        document = {"sanctions": [sanction_to_json(s) for s in evaluation.sanctions],
                    "hours_rule": hours_rule_to_json(evaluation.hours_rule),
                    "policies": dict(evaluation.policies)}
        _say(sys.stdout, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for sanction in evaluation.sanctions:
            _say(sys.stdout, sanction.explain(args.lang))
            for note in sanction.notes:
                _say(sys.stdout, f"  note: {note}")
        if not evaluation.sanctions:
            _say(sys.stdout, "ingen udeblivelser" if args.lang == "da" else "no failures")
        if evaluation.hours_rule is not None:
            _say(sys.stdout, evaluation.hours_rule.explain(args.lang))
        _say(sys.stdout, "policies: " + ", ".join(f"{k}={v}" for k, v in evaluation.policies))
    return EXIT_OK


def _cmd_check_rules(args: argparse.Namespace) -> int:
    path = args.path or str(bundled_rules_dir())
    try:
        pack = load_pack(path)
    except RuleError as err:
        for problem in err.problems:
            _say(sys.stdout, str(problem))
        count = len(err.problems)
        _say(sys.stdout, f"{count} problem{'' if count == 1 else 's'}")
        return EXIT_INVALID
    except OSError as err:
        _say(sys.stderr, f"{path}: cannot read: {err.strerror}")
        return EXIT_USAGE
    _say(sys.stdout, render_coverage(pack).rstrip("\n"))
    for parameters in sorted(Path(path).glob("parameters/*.toml")) if Path(path).is_dir() else []:
        try:
            _say(sys.stdout, _check_parameters(parameters))
        except RuleError as err:
            return _invalid(err, sys.stdout)
    for overlay_file in sorted(Path(path).glob("overlays/*.toml")) if Path(path).is_dir() else []:
        try:
            overlay = load_overlay(overlay_file)
            apply_overlays(pack, [overlay])
        except RuleError as err:
            return _invalid(err, sys.stdout)
        added = len(overlay.module.rules) if overlay.module else 0
        _say(sys.stdout, f"overlay {overlay_file.stem}: {overlay.kind.value} of "
                         f"{overlay.authority}; replaces {len(overlay.replaces)}, adds {added} "
                         f"rules, sets {len(overlay.policies)} policies, withdraws "
                         f"{len(overlay.withdraws_sanctions)} sanctions ({overlay_file})")
    return EXIT_OK


def _check_parameters(path: Path) -> str:
    """Load a parameter file with the parser of the kind it declares; describe it in one line."""
    kind, problems = kind_of(path)
    if kind is None or kind not in PARAMETER_KINDS:
        raise RuleError(problems or [Problem("kind", f"{kind!r} is not a parameter kind",
                                             str(path), 1)], subject=str(path))
    value = PARAMETER_KINDS[kind](path)
    size = len(value) if isinstance(value, tuple) else 1
    return f"parameters {path.name}: {kind}, {size} entr{'y' if size == 1 else 'ies'} ({path})"


def _timeline_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                      run: Callable[[argparse.Namespace], int],
                      summary: str, policy_help: str | None) -> None:
    """A subcommand over one timeline file at ``--as-of``; with *policy_help*, it also takes
    ``--lang`` and repeatable ``--policy`` options."""
    command = commands.add_parser(name, help=summary)
    command.add_argument("file", metavar="FILE")
    command.add_argument("--as-of", required=True, type=_as_of, metavar="DATE")
    command.add_argument("--format", choices=("json", "text"), default="json")
    if policy_help is not None:
        command.add_argument("--lang", choices=("da", "en"), default="da")
        command.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE",
                             help=policy_help)
    command.set_defaults(run=run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lab-rules",
        description="Danish employment-law deadlines (LAB, LAS, sygedagpenge) evaluated over "
        "citizens' timelines.",
    )
    parser.add_argument("--version", action="version", version=f"lab-rules {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check timeline/v1 files and report every problem with its location"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=_cmd_validate)

    evaluate_cmd = commands.add_parser(
        "evaluate", help="evaluate a timeline: obligations, due dates, status and explanation")
    evaluate_cmd.add_argument("file", metavar="FILE")
    evaluate_cmd.add_argument("--as-of", required=True, type=_as_of, metavar="DATE",
                              help="the day the evaluation is made (YYYY-MM-DD)")
    evaluate_cmd.add_argument("--format", choices=("json", "text"), default="json")
    evaluate_cmd.add_argument("--lang", choices=("da", "en"), default="da")
    evaluate_cmd.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE",
                              help="e.g. no_show=restart_from_contact (repeatable)")
    evaluate_cmd.add_argument("--rules", metavar="PATH",
                              help="rule files or folder (default: the bundled national pack)")
    evaluate_cmd.set_defaults(run=_cmd_evaluate)

    for name, run, what, suffix in (
            ("plot", _cmd_plot, "draw one timeline's evaluation as a chart (PNG, SVG, PDF)",
             "case.png"),
            ("report", _cmd_report, "one person's self-contained HTML audit report",
             "case.html")):
        case_cmd = commands.add_parser(name, help=what)
        case_cmd.add_argument("file", metavar="FILE")
        case_cmd.add_argument("--as-of", required=True, type=_as_of, metavar="DATE")
        case_cmd.add_argument("-o", "--output", default=suffix, metavar="FILE")
        case_cmd.add_argument("--lang", choices=("da", "en"), default="da")
        case_cmd.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE")
        case_cmd.add_argument("--variant", metavar="SPEC",
                              help="evaluate under an overlay or policy swap (see compare)")
        if name == "plot":
            case_cmd.add_argument("--dpi", type=int, default=110)
        case_cmd.set_defaults(run=run)
    _timeline_command(commands, "refund", _cmd_refund,
                      "the refund ledger of a timeline: weeks, rates, amounts, month totals",
                      "e.g. no_show=restart_from_contact, loss_from=day_after_due")
    _timeline_command(commands, "sanctions", _cmd_sanctions,
                      "failures (no-shows, absences, bookings, refusals, lapses) and sanctions",
                      "e.g. sanction_days=weekdays, sanction_contact_day=inclusive")
    _timeline_command(commands, "entitlements", _cmd_entitlements,
                      "kontanthjælp holiday and dagpenge during sickness", None)

    compare_cmd = commands.add_parser(
        "compare", help="a caseload under a baseline and variants (overlays, policy swaps, "
                        "the law as of a date)")
    compare_cmd.add_argument("events", metavar="EVENTS")
    compare_cmd.add_argument("--as-of", required=True, type=_as_of, metavar="DATE")
    compare_cmd.add_argument("--variant", action="append", required=True, metavar="SPEC",
                             help="an overlay (roedovre-genstart, a file), a policy swap "
                                  "(no_show=restart_from_contact), law:DATE, or several "
                                  "joined with +; repeat for more variants")
    compare_cmd.add_argument("--baseline", default="national", metavar="SPEC",
                             help="the baseline spec (default: national)")
    compare_cmd.add_argument("--out", metavar="DIR", help="also write the tables as CSV")
    compare_cmd.add_argument("--lang", choices=("da", "en"), default="en")
    compare_cmd.add_argument("--workers", type=int, default=None, metavar="N",
                             help="processes (default: the machine's cores)")
    compare_cmd.add_argument("--allow-quarantine", action="store_true")
    compare_cmd.set_defaults(run=_cmd_compare)

    synth_cmd = commands.add_parser(
        "synth", help="write a synthetic caseload as a JSON Lines event log")
    synth_cmd.add_argument("--persons", type=int, required=True)
    synth_cmd.add_argument("--seed", type=int, default=1)
    synth_cmd.add_argument("--out", required=True, metavar="FILE")
    synth_cmd.add_argument("--start-from", type=_as_of, default=FIRST_START, metavar="DATE",
                           help=f"earliest course start (default {FIRST_START})")
    synth_cmd.add_argument("--start-to", type=_as_of, default=LAST_START, metavar="DATE",
                           help=f"latest course start (default {LAST_START})")
    synth_cmd.set_defaults(run=_cmd_synth)

    batch_cmd = commands.add_parser(
        "batch", help="evaluate every person of an event log (JSON Lines or CSV) in parallel")
    batch_cmd.add_argument("events", metavar="EVENTS")
    batch_cmd.add_argument("--as-of", required=True, type=_as_of, metavar="DATE")
    batch_cmd.add_argument("--out", required=True, metavar="DIR")
    batch_cmd.add_argument("--workers", type=int, default=None,
                           help="processes (default: all cores; 1 = this process)")
    batch_cmd.add_argument("--allow-quarantine", action="store_true",
                           help="exit 0 even when some persons were quarantined")
    batch_cmd.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE")
    batch_cmd.add_argument("--table-format", choices=("csv", "parquet"), default="csv",
                           help="parquet needs the parquet extra (pyarrow)")
    batch_cmd.set_defaults(run=_cmd_batch)

    check = commands.add_parser(
        "check-rules", help="check rule files; print every problem or the coverage table")
    check.add_argument("path", nargs="?", metavar="PATH",
                       help="rule file or folder (default: the bundled pack)")
    check.set_defaults(run=_cmd_check_rules)

    schema = commands.add_parser("schema", help="print the timeline/v1 JSON Schema")
    schema.set_defaults(run=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        _say(sys.stderr, "lab-rules: error: a command is required (try --help)")
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # the reader (head, less) closed the pipe: stop quietly
        sys.stderr.close()
        return EXIT_OK
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
