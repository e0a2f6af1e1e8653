"""Commands that check inputs and law: validate, schema and check-rules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab_rules.core.errors import LabRulesError, Problem, TimelineError
from lab_rules.core.privacy import mask_cpr
from lab_rules.core.terminal import one_line
from lab_rules.faces.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PATH,
    invalid,
    read_law,
    say,
)
from lab_rules.inputs.eventlog_schema import event_log_schema
from lab_rules.inputs.timeline_json import load_timeline
from lab_rules.inputs.timeline_schema import json_schema
from lab_rules.law.bundle import FIELDS, PARAMETER_KINDS
from lab_rules.law.coverage import render_coverage
from lab_rules.law.loader import RuleError, bundled_rules_dir
from lab_rules.law.overlay import apply_overlays, load_overlay


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
                    say(sys.stdout, str(problem))
        except OSError as err:
            unreadable = True
            results.append({"file": path, "valid": False,
                            "problems": [{"path": "", "message": f"cannot read: {err.strerror}"}]})
            say(sys.stderr, f"{one_line(path)}: cannot read: {err.strerror}")
        else:
            results.append({"file": path, "valid": True, "person": timeline.person.id,
                            "events": len(timeline)})
            if args.format == "text":
                say(sys.stdout, f"{one_line(path)}: ok (person {one_line(timeline.person.id)}, "
                                 f"{len(timeline)} events)")
    invalid = sum(1 for r in results if not r["valid"])
    if args.format == "json":
        say(sys.stdout, json.dumps({"files": results}, ensure_ascii=False, indent=2))
    else:
        noun = "file" if len(results) == 1 else "files"
        valid = len(results) - invalid
        say(sys.stdout, f"{len(results)} {noun}: {valid} valid, {invalid} invalid")
    if unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _problem_json(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "message": mask_cpr(problem.message), "line": problem.line}


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.kind == "evaluation":
        from lab_rules.faces.evaluation_json import evaluation_schema_path

        schema = json.loads(evaluation_schema_path().read_text(encoding="utf-8"))
    elif args.kind == "worklist":
        from lab_rules.faces.worklist_output import worklist_schema

        schema = worklist_schema()
    else:
        schema = event_log_schema() if args.kind == "event-log" else json_schema()
    say(sys.stdout, json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_check_rules(args: argparse.Namespace) -> int:
    """Read a law folder with the one loader (or rule modules alone), print the coverage
    table and one line per parameter kind, then apply every overlay of the folder."""
    path = args.path or str(bundled_rules_dir())
    try:
        law = read_law(path)
    except RuleError as err:
        for problem in err.problems:
            say(sys.stdout, str(problem))
        count = len(err.problems)
        say(sys.stdout, f"{count} problem{'' if count == 1 else 's'}")
        return EXIT_INVALID
    except LabRulesError as err:
        say(sys.stderr, one_line(str(err)))
        return EXIT_USAGE
    say(sys.stdout, render_coverage(law.rules, law.coverage).rstrip("\n"))
    for kind in sorted(PARAMETER_KINDS):
        value = getattr(law, FIELDS.get(kind, kind))
        size = len(value) if isinstance(value, tuple) else 1
        say(sys.stdout, f"parameters {kind}: {size} entr{'y' if size == 1 else 'ies'}")
    say(sys.stdout, f"law {one_line(law.name)}: content hash {law.content_hash[:16]}")
    for overlay_file in sorted(Path(path).glob("overlays/*.toml")) if Path(path).is_dir() else []:
        try:
            overlay = load_overlay(overlay_file)
            apply_overlays(law, [overlay])
        except RuleError as err:
            return invalid(err, sys.stdout)
        added = len(overlay.module.rules) if overlay.module else 0
        say(sys.stdout, one_line(
            f"overlay {overlay_file.stem}: {overlay.kind.value} of {overlay.authority}; "
            f"replaces {len(overlay.replaces)}, adds {added} rules, sets "
            f"{len(overlay.policies)} policies, withdraws {len(overlay.withdraws_sanctions)} "
            f"sanctions, replaces {len(overlay.parameters)} parameter tables ({overlay_file})"))
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the checking commands to the parser."""
    validate = commands.add_parser(
        "validate", help="check timeline files (v2, or v1 read as v2) and report every problem "
                    "with its location"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", type=PATH)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=_cmd_validate)

    check = commands.add_parser(
        "check-rules", help="check rule files; print every problem or the coverage table")
    check.add_argument("path", nargs="?", metavar="PATH", type=PATH,
                       help="rule file or folder (default: the bundled pack)")
    check.set_defaults(run=_cmd_check_rules)

    schema = commands.add_parser(
        "schema", help="print a JSON Schema: timeline/v2 (default), an event-log row, the "
                       "evaluation output or the worklist")
    schema.add_argument("--kind", choices=("timeline", "event-log", "evaluation", "worklist"),
                        default="timeline")
    schema.set_defaults(run=_cmd_schema)
