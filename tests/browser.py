"""Driving Debian's Chromium with Playwright (from PyPI) for the browser tests.

Playwright's own browser download cannot work offline, so the tests launch the system's
Chromium (``SINORUS_CHROMIUM`` or ``chromium`` on PATH). Where it is missing the tests are
skipped with a message saying how to install it; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps",
         "--disable-extensions", "--no-default-browser-check", "--disable-domain-reliability",
         "--disable-client-side-phishing-detection", "--metrics-recording-only"]
HOW = ("install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`; or set SINORUS_CHROMIUM to a "
       "Chromium binary) and Playwright (`pip install -e '.[dev]'`)")


def chromium_path() -> str | None:
    return os.environ.get("SINORUS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail on CI, where the setup installs the browser."""
    message = f"browser tests cannot start: {reason}; {HOW}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launched() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        unavailable("no Chromium found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=FLAGS)
        except Exception as exc:  # a broken browser install: say so rather than a traceback
            unavailable(f"Chromium at {path} did not start ({str(exc).splitlines()[0]})")
        try:
            yield browser
        finally:
            browser.close()
