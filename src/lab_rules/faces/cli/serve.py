"""``lab-rules serve``: the HTTP service (the ``serve`` extra), for case systems that are not
Python.

The law (``--rules``, ``--variant``, ``--policy``, as in every evaluating command) is read
once, before the server listens; the limits are flags. A missing extra, a law that cannot be
read, an address that cannot be listened on are said in one line with the usual exit codes;
the server stops cleanly on Ctrl-C or SIGTERM (exit 0).
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from types import FrameType

from lab_rules.core.errors import LabRulesError
from lab_rules.core.terminal import one_line
from lab_rules.faces.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_law_options,
    invalid,
    law_of,
    positive_int,
    say,
    usage_error,
)
from lab_rules.faces.serve.limits import Limits
from lab_rules.law.reader import RuleError

__all__ = ["register"]

EXTRA_MISSING = ("lab-rules serve needs the serve extra (Starlette and uvicorn): "
                 "pip install 'lab-rules[serve]'")


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0-65535; 0: any free one)")
    return int(text)


def _host(text: str) -> str:
    """An address to listen on, not empty: the socket module reads an empty host as every
    interface (0.0.0.0), which is no default to fall into by an empty variable; whoever
    means every interface says 0.0.0.0 (or ::)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty host would listen on every interface; "
                                         "name an address (0.0.0.0 for all of them)")
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"{text}: must be more than 0 and at most 86400")
    return value


class _StoppedError(Exception):
    """Ctrl-C or SIGTERM after the server shut down: the end of a normal run."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _StoppedError


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from lab_rules.faces.serve.app import create_app
        from lab_rules.faces.serve.logs import log_config
    except ImportError:
        say(sys.stderr, EXTRA_MISSING)
        return EXIT_USAGE
    try:
        law, swaps = law_of(args)
    except RuleError as err:
        return invalid(err, sys.stderr)
    except (LabRulesError, OSError) as err:
        return usage_error(err, args.rules or "--rules")
    limits = Limits(max_body_bytes=args.max_body, max_events=args.max_events,
                    max_persons=args.max_persons, time_budget=args.time_budget,
                    concurrency=args.concurrency)
    app = create_app(law, limits, policies=[*swaps, *args.policy])
    try:
        listener = _listen(args.host, args.port)
    except (OSError, OverflowError) as err:
        say(sys.stderr, one_line(f"lab-rules serve: cannot listen on {args.host}:{args.port}: "
                                 f"{getattr(err, 'strerror', None) or err}"))
        return EXIT_USAGE
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    say(sys.stderr, f"lab-rules serve: law {one_line(law.name)} (content hash "
                    f"{law.content_hash}) on http://{shown}:{port}/v1/")
    config = uvicorn.Config(app, log_config=log_config(args.log_level),
                            access_log=not args.no_access_log, server_header=False)
    server = uvicorn.Server(config)
    hung_up: list[int] = []

    def hang_up(signum: int, frame: FrameType | None) -> None:
        # uvicorn stops on SIGINT and SIGTERM only: a SIGHUP (a closed terminal) would else
        # raise in the middle of its event loop, cancel the requests in flight and print a
        # traceback; it stops the server as SIGTERM does, with SIGHUP's exit code
        hung_up.append(signum)
        server.should_exit = True

    handlers = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        handlers[signal.SIGHUP] = signal.signal(signal.SIGHUP, hang_up)
    try:
        server.run(sockets=[listener])
    except (_StoppedError, KeyboardInterrupt):
        pass
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        listener.close()
    if hung_up:
        say(sys.stderr, "lab-rules: stopped by SIGHUP")
        return 128 + int(signal.SIGHUP)
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command to the parser."""
    defaults = Limits()
    command = commands.add_parser(
        "serve", help="an HTTP service: evaluate, validate, rules, coverage, health under /v1 "
                      "(needs the serve extra)")
    command.add_argument("--host", default="127.0.0.1", type=_host,
                         help="the address to listen on (default 127.0.0.1: this machine only)")
    command.add_argument("--port", type=_port, default=8000,
                         help="the port (default 8000; 0: any free port, said on start)")
    add_law_options(command)
    command.add_argument("--max-body", type=positive_int, default=defaults.max_body_bytes,
                         metavar="BYTES", help="the largest request body "
                                               f"(default {defaults.max_body_bytes})")
    command.add_argument("--max-events", type=positive_int, default=defaults.max_events,
                         metavar="N", help="the most events of one timeline "
                                           f"(default {defaults.max_events})")
    command.add_argument("--max-persons", type=positive_int, default=defaults.max_persons,
                         metavar="N", help="the most persons of one worklist request "
                                           f"(default {defaults.max_persons})")
    command.add_argument("--time-budget", type=_seconds, default=defaults.time_budget,
                         metavar="SECONDS", help="the longest one request may take "
                                                 f"(default {defaults.time_budget:g})")
    command.add_argument("--concurrency", type=positive_int, default=defaults.concurrency,
                         metavar="N", help="requests evaluated at once "
                                           f"(default {defaults.concurrency})")
    command.add_argument("--log-level", default="info",
                         choices=("critical", "error", "warning", "info", "debug"))
    command.add_argument("--no-access-log", action="store_true",
                         help="do not log one line per request")
    command.set_defaults(run=_cmd_serve)
