"""Headless Chromium for the browser tests (Debian's ``chromium``, driven by Playwright).

Outside CI a missing Chromium skips the test with a reason; in CI (``CI`` set)
it fails, because CI installs Chromium and must run these tests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from needed import missing

# Without the networking flags Chromium keeps trying hosts this offline machine cannot reach;
# the resolver rule makes every name but this machine's fail at once, so a page that reaches
# for a CDN breaks in the test instead of only on a learner's offline laptop.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def chromium_path() -> str:
    """Path of Chromium, or skip (fail in CI) when it is not installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        missing("Chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium ``Browser`` (Playwright gives it a fresh, empty profile)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = chromium_path()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            yield browser
        finally:
            browser.close()
