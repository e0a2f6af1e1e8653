"""Running ``lab-rules serve`` for the tests: the real server in a subprocess, on a free port
of 127.0.0.1, started by the command's own parser and code, and called over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

import attrs

COMMAND = ("import argparse, sys\n"
           "from lab_rules.faces.cli import serve\n"
           "from lab_rules.faces.cli.common import guarded\n"
           "parser = argparse.ArgumentParser(prog='lab-rules')\n"
           "serve.register(parser.add_subparsers(dest='command'))\n"
           "args = parser.parse_args(sys.argv[1:])\n"
           "sys.exit(guarded(args.run)(args))\n")
"""``lab-rules serve`` as the command's own parser and code run it."""
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@attrs.frozen
class Answer:
    """An HTTP answer, error statuses included."""

    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@attrs.frozen
class Server:
    """A running ``lab-rules serve``: its process, address and the files of its output."""

    process: subprocess.Popen[bytes]
    base: str
    port: int
    out: Path
    err: Path

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with _OPENER.open(request, timeout=60) as answer:
                return Answer(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read())

    def logs(self) -> str:
        return self.out.read_text(encoding="utf-8") + self.err.read_text(encoding="utf-8")

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def start(folder: Path, *flags: str) -> Server:
    """``lab-rules serve --port 0 FLAGS``, its output in *folder*, once it says its port."""
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", COMMAND, "serve", "--port", "0", *flags],
            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"on http://127\.0\.0\.1:(\d+)/v1/", err.read_text(encoding="utf-8"))
        if found:
            port = int(found[1])
            return Server(process, f"http://127.0.0.1:{port}", port, out, err)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise AssertionError("the server did not start:\n" + err.read_text(encoding="utf-8"))
