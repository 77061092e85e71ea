"""The marimo lesson served by ``marimo run --headless`` in offline Chromium: the Stepper plays, a click moves the step.

A click on an output cell of the player must reach Python and re-run the cell that reads
``stepper.value["step"]``, whose text names the step; every request stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium
from cell_geometry import screen_point
from needed import missing
from processes import stop

import visualizer as vz
from visualizer.render.frame import FrameRenderer

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().parents[1] / "notebooks" / "01_how_convolution_works_marimo.py"
# the lesson's convolution, for where its cells are drawn
CONV = vz.Convolution(
    [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]], [[0, 1, 2], [2, 2, 0], [0, 1, 2]]
)


def _free_port() -> int:
    # marimo names no port it picked itself; a port free now could in principle be taken before it binds
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def marimo_app(tmp_path_factory):
    if subprocess.run([sys.executable, "-c", "import marimo"], capture_output=True).returncode:
        missing("marimo is not installed (pip install convviz[lab])")
    tmp = tmp_path_factory.mktemp("marimo")
    port = _free_port()
    log_path = tmp / "marimo.log"
    env = os.environ | {"HOME": str(tmp), "PYTHONPATH": str(APP.parents[1])}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "marimo", "run", str(APP), "--headless", "--host", "127.0.0.1"]
            + ["--port", str(port), "--no-token"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    pytest.fail(f"marimo exited with {process.returncode}:\n{log_path.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"marimo did not answer:\n{log_path.read_text()[-2000:]}")
                    time.sleep(0.2)
            yield base
        finally:
            stop(process)


def test_the_stepper_in_marimo(marimo_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    renderer = FrameRenderer(CONV)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.set_default_timeout(90_000)
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.on("websocket", lambda s: requested.append(s.url))
        try:
            page.goto(marimo_app)
            page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
            page.get_by_text(re.compile(r"Step 1 of 6")).wait_for()
            page.locator(".cv-player .cv-frame").scroll_into_view_if_needed()
            page.mouse.click(*screen_point(page, ".cv-player .cv-frame", renderer, "output", 1, 2))  # step 6
            page.get_by_text(re.compile(r"Step 6 of 6, output \(1, 2\)")).wait_for()
            assert page.locator(".cv-player .cv-step").inner_text().strip() == "step 6/6"
        except Exception:
            page.screenshot(path=str(tmp_path / "marimo-failure.png"), full_page=True)
            print(f"screenshot of the failure: {tmp_path / 'marimo-failure.png'}")
            raise
    outside = [
        u for u in requested if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert not outside, f"the page asked for things outside 127.0.0.1: {outside[:5]}"
