"""The ``lab-rules`` command: argument parsing only; the work is done by the library.

Exit codes: 0 success, 1 invalid input (with located messages), 2 usage error or an
unreadable file. Every line printed is CPR-masked.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from lab_rules._version import __version__
from lab_rules.errors import Problem, TimelineError
from lab_rules.privacy import mask_cpr
from lab_rules.timeline_json import json_schema, load_timeline

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
    code: int = args.run(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
