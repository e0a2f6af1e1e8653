#!/usr/bin/env python3
"""Benchmark: ``lab-rules serve`` under a bounded load of concurrent evaluate requests.

    python benchmarks/bench_serve.py [--requests 2000] [--clients 8] [--as-of 2025-06-30]

Starts the real server (uvicorn on 127.0.0.1, a free port, default limits, access log on and
sent to /dev/null) with the command's own code, then sends ``--requests`` POST /v1/evaluate
requests from ``--clients`` threads, each on its own keep-alive connection, cycling over the
bundled example timelines. Every answer is checked against ``dumps_evaluation`` of the same
timeline: a status other than 200 or a different body is an error. Prints the machine, the
throughput (wall clock, clients and server sharing the machine), the p50, p99 and worst
latency, the errors (none expected), and the server's CPU time per request (from /proc, on
Linux) beside the same work done in-process, the figure that does not depend on what else
the machine runs. The server is stopped with SIGTERM at the end. A script, not a timed test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from bench_targets import machine

from lab_rules import dumps_evaluation, evaluate, load_timeline, loads_timeline

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ("import argparse, sys\n"
           "from lab_rules.faces.cli import serve\n"
           "from lab_rules.faces.cli.common import guarded\n"
           "parser = argparse.ArgumentParser(prog='lab-rules')\n"
           "serve.register(parser.add_subparsers(dest='command'))\n"
           "args = parser.parse_args(sys.argv[1:])\n"
           "sys.exit(guarded(args.run)(args))\n")


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of process *pid* so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(err: Path, flags: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    with err.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-c", COMMAND, "serve", "--port", "0",
                                    *flags], stdout=subprocess.DEVNULL, stderr=stderr,
                                   stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"on http://127\.0\.0\.1:(\d+)/v1/", err.read_text(encoding="utf-8"))
        if found:
            return process, int(found[1])
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start:\n" + err.read_text(encoding="utf-8"))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _library_cpu(cases: list[tuple[bytes, bytes]], as_of: date, rounds: int = 20) -> float:
    """CPU seconds per case of the same work in-process (parse the body, evaluate, write the
    document), the best of three runs: what the server adds is the rest."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for _ in range(rounds):
            for body, _ in cases:
                dumps_evaluation(evaluate(loads_timeline(body), as_of=as_of))
        best = min(best, (time.process_time() - started) / (rounds * len(cases)))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 6, 30))
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument("--serve-flag", action="append", default=[], metavar="FLAG",
                        help="a flag passed to lab-rules serve (repeatable, e.g. "
                             "--serve-flag=--concurrency=8)")
    args = parser.parse_args(argv)
    files = sorted((ROOT / "examples" / "timelines").glob("*.json"))
    cases = [(f.read_bytes(), dumps_evaluation(evaluate(load_timeline(f), as_of=args.as_of))
              .encode("utf-8")) for f in files]
    path = f"/v1/evaluate?as_of={args.as_of.isoformat()}"
    with tempfile.TemporaryDirectory() as folder:
        process, port = _start(Path(folder) / "stderr.txt", args.serve_flag)
        try:
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()

            def client(counter: Iterator[int]) -> None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                while True:
                    with lock:
                        index = next(counter, None)
                    if index is None:
                        break
                    body, expected = cases[index % len(cases)]
                    started = time.perf_counter()
                    try:
                        connection.request("POST", path, body=body,
                                           headers={"Content-Type": "application/json"})
                        answer = connection.getresponse()
                        got = answer.read()
                        ok = answer.status == 200 and got == expected
                        said = f"status {answer.status}"
                    except (OSError, http.client.HTTPException) as err:
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                        ok, said = False, f"{type(err).__name__}: {err}"
                    spent = time.perf_counter() - started
                    if index >= args.warm_up:
                        with lock:
                            latencies.append(spent)
                            if not ok:
                                errors.append(said)
                connection.close()

            def load(indices: range, clients: int) -> None:
                counter = iter(indices)
                threads = [threading.Thread(target=client, args=(counter,))
                           for _ in range(clients)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()

            load(range(args.warm_up), 1)
            cpu_before = _cpu_seconds(process.pid)
            began = time.perf_counter()
            load(range(args.warm_up, args.warm_up + args.requests), args.clients)
            wall = time.perf_counter() - began
            cpu_after = _cpu_seconds(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    done = len(latencies)
    print(f"machine            {machine()}")
    print(f"server             lab-rules serve, default limits "
          f"{' '.join(args.serve_flag)}".rstrip() + ", access log on (to /dev/null)")
    print(f"load               {done} POST /v1/evaluate from {args.clients} clients "
          f"(keep-alive), {len(cases)} example timelines in turn, as_of {args.as_of}")
    print(f"throughput         {done / wall:,.0f} requests/s ({wall:.2f} s wall clock)")
    print(f"latency            p50 {_percentile(latencies, 0.50) * 1000:.1f} ms, "
          f"p99 {_percentile(latencies, 0.99) * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms")
    library = _library_cpu(cases, args.as_of)
    if cpu_before is not None and cpu_after is not None:
        per = (cpu_after - cpu_before) / done
        print(f"server CPU         {per * 1000:.2f} ms per request "
              f"({1 / per:,.0f} requests per CPU second)")
        print(f"library CPU        {library * 1000:.2f} ms per case in-process (parse, "
              f"evaluate, dumps_evaluation): the server adds {per / library - 1:.0%}")
    print(f"errors             {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"server exit        {code}")
    return 1 if errors or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
