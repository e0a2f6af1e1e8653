"""Headless Chromium for the HTML tests (the case report, the audit pack): found on PATH, or
the test is skipped; with ``LAB_RULES_REQUIRE_BROWSER`` set (CI), a missing browser fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    """The browser's path, None when there is none (a failure when one is required)."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("LAB_RULES_REQUIRE_BROWSER"):
        pytest.fail("LAB_RULES_REQUIRE_BROWSER is set but no chromium is installed")
    return None


def rendered_dom(page: Path, query: str = "", timeout: float = 300) -> str:
    """The DOM after the page's script ran, as headless Chromium sees it."""
    found = browser()
    if found is None:
        pytest.skip("no headless Chromium (apt-get install chromium)")
    done = subprocess.run(
        [found, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--dump-dom", page.as_uri() + query],
        capture_output=True, text=True, timeout=timeout, check=True)
    return done.stdout
