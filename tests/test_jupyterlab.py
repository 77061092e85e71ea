"""Notebook 01 in a real JupyterLab in headless Chromium: the stepper reacts to Next and to its slider.

The expected sums are computed here with plain NumPy from the numbers written in the
notebook itself, not with the project's code.
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from browser import chromium
from processes import stop

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_how_convolution_works.ipynb"
STATUS = ".stepper-status"
SETTINGS = {
    # JupyterLab asks the internet for news unless told not to; the test must see no outside request
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # by default cells scrolled out of view are hidden, and the stepper's label with them
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


@contextmanager
def jupyter_lab(tmp_path: Path) -> Iterator[str]:
    """A JupyterLab server on a free loopback port; yields its base URL (token included)."""
    root, settings, runtime = tmp_path / "root", tmp_path / "settings", tmp_path / "runtime"
    root.mkdir()
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(SETTINGS))
    # a fresh folder each run: the server would reuse a notebook's running kernel otherwise
    shutil.copy(NOTEBOOK, root)
    token = secrets.token_hex(16)
    log = (tmp_path / "jupyterlab.log").open("wb")
    # port 0: the server takes a port the system hands it and names it in its runtime folder; a port
    # found free here and passed on could be taken by another process before the server binds it
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0"]
        + ["--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
        + [f"--LabApp.app_settings_dir={settings}", "--LabApp.extension_manager=readonly"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=os.environ | {"JUPYTER_RUNTIME_DIR": str(runtime)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = _wait_until_up(runtime, token, server, tmp_path / "jupyterlab.log")
        yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}"
    finally:
        stop(server)
        log.close()


def _wait_until_up(runtime: Path, token: str, server: subprocess.Popen, log: Path, timeout: float = 30) -> str:
    """The server's base URL once it answers, its port read from the server file in ``runtime``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            # written once the port is bound; a half-written file fails to parse and is read again
            info = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
            base = f"http://127.0.0.1:{info['port']}"
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return base
        except (StopIteration, ValueError, KeyError, OSError):
            time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-2000:]}")


def _lesson_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The ``image`` and ``kernel`` literals the notebook's stepper cell uses, read without running it."""
    found: dict[str, np.ndarray] = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and node.value.args:
                names = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id in ("image", "kernel")]
                try:
                    value = ast.literal_eval(node.value.args[0])
                except ValueError:
                    continue
                for name in names:
                    found[name] = np.array(value)
        if "Stepper(" in source:
            return found["image"], found["kernel"]
    pytest.fail(f"{NOTEBOOK.name} has no cell that shows a Stepper")


def _valid_sums(image: np.ndarray, kernel: np.ndarray) -> list[float]:
    """Every output of a stride-1, unpadded cross-correlation, row-major."""
    m, n = kernel.shape
    rows, cols = image.shape[0] - m + 1, image.shape[1] - n + 1
    return [float((image[i : i + m, j : j + n] * kernel).sum()) for i in range(rows) for j in range(cols)]


def _number(value: float) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.replace("-", "−")  # a true minus sign, as in handwriting


def test_stepper_in_jupyterlab(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JUPYTER_CONFIG_DIR", raising=False)  # the user's own Jupyter settings stay out of it
    sums = _valid_sums(*_lesson_arrays())
    total = len(sums)
    assert total >= 4, "the lesson's stepper should have a few steps to walk through"
    with chromium() as browser, jupyter_lab(tmp_path) as url:  # no server is started when Chromium is missing
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.on("websocket", lambda socket: requested.append(socket.url))
        try:
            page.goto(url)
            page.locator("#jp-main-statusbar .jp-StatusBar-TextItem:has-text('| Idle')").wait_for(timeout=30_000)
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
            page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()

            status = page.locator(STATUS)
            picture = page.locator("img.widget-image").first
            expect_status(page, f"step 1/{total} · sum {_number(sums[0])}")
            first_picture = picture.screenshot()

            page.locator("button.jupyter-widgets", has_text="Next").first.click()
            expect_status(page, f"step 2/{total} · sum {_number(sums[1])}")

            # the slider: click its handle, then move it with the keyboard
            target = total - 1
            page.locator(".widget-slider .noUi-handle").first.click()
            for _ in range(target - 1):
                page.keyboard.press("ArrowRight")
            expect_status(page, f"step {target + 1}/{total} · sum {_number(sums[target])}")
            assert picture.screenshot() != first_picture, "the frame did not change"
            explanation = page.locator(".stepper-explanation").first.inner_text()
            assert f"= {_number(sums[target])}" in explanation
            assert status.count() == 1
        except Exception:
            shot = tmp_path / "jupyterlab-failure.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
            raise
    outside = [
        u for u in requested if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert not outside, f"the page asked for things outside 127.0.0.1: {outside[:5]}"


def expect_status(page, text: str, timeout: float = 20_000) -> None:
    """Wait until the stepper's status label reads ``text`` (it is set after the picture is drawn)."""
    try:
        page.locator(STATUS, has_text=re.compile(f"^{re.escape(text)}$")).wait_for(timeout=timeout)
    except Exception as error:  # Playwright's TimeoutError: say what the label reads instead
        actual = page.locator(STATUS).all_inner_texts()
        raise AssertionError(f"the status never read {text!r}; it reads {actual}") from error
