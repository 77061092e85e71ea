"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest
from browser import chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium per test module, with a HOME of its own (Chromium writes its profile there)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        with chromium() as chromium_browser:
            yield chromium_browser
