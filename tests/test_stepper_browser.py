"""The Stepper in a real JupyterLab 4 and Notebook 7, in headless Chromium, offline.

One Jupyter server (JupyterLab's, which serves Notebook 7's pages too) for the module; each front end
runs its own copy of a small notebook (Run All) that shows a Stepper and a Label that Python sets
whenever it hears ``stepper.step`` change. Then: a click on an output cell moves Python's step to
that cell's step; hovering an input cell outlines the outputs it feeds (solved from the geometry in
tests/cell_geometry.py); space plays, and the picture changes with nothing asked of the kernel.
Every request stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import numpy as np
import pytest
from browser import chromium
from cell_geometry import fed_by, outlined, screen_point, window
from needed import missing
from processes import stop

from visualizer import Convolution
from visualizer.render.frame import FrameRenderer

pytestmark = pytest.mark.browser

SETUP = """\
import ipywidgets as widgets
import numpy as np
import visualizer as vz

conv = vz.Convolution(np.arange(42).reshape(6, 7) % 10, np.array([[1, 2], [0, -1], [3, 1]]),
                      stride=(2, 1), dilation=(1, 2), padding=1)
stepper = vz.Stepper(conv)
heard = widgets.Label("python step 0")
heard.add_class("python-step")
stepper.observe(lambda change: setattr(heard, "value", f"python step {change.new}"), "step")
stepper"""
# the same convolution, built here for the geometry: where its cells are drawn and what they join
CONV = Convolution(
    np.arange(42).reshape(6, 7) % 10, np.array([[1, 2], [0, -1], [3, 1]]), stride=(2, 1), dilation=(1, 2), padding=1
)
SETTINGS = {
    # JupyterLab asks the internet for news unless told not to; the test must see no outside request
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # by default cells scrolled out of view are not drawn
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
CANVAS = ".cv-player .cv-frame"
FRONT_ENDS = {
    # page, and what says the kernel is idle
    "lab": ("lab/tree/lab.ipynb", "#jp-main-statusbar .jp-StatusBar-TextItem:has-text('| Idle')"),
    "notebook": ("notebooks/notebook.ipynb", ".jp-Notebook-ExecutionIndicator[data-status='idle']"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server on a free loopback port with a copy of the notebook per front end: (base URL, token)."""
    if subprocess.run([sys.executable, "-c", "import jupyterlab, notebook"], capture_output=True).returncode:
        missing("JupyterLab and Notebook 7 are not installed (pip install convviz[lab])")
    tmp = tmp_path_factory.mktemp("jupyter")
    root, settings, runtime, home = tmp / "root", tmp / "settings", tmp / "runtime", tmp / "home"
    for folder in (root, settings, home):
        folder.mkdir()
    (settings / "overrides.json").write_text(json.dumps(SETTINGS))
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell("heard")]
    for name in FRONT_ENDS:
        nbformat.write(book, root / f"{name}.ipynb")
    token = secrets.token_hex(16)
    log_path = tmp / "jupyter.log"
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_DIR"}
    env |= {"JUPYTER_RUNTIME_DIR": str(runtime), "HOME": str(home)}
    with log_path.open("wb") as log:
        # port 0: the server takes a port the system hands it and names it in its runtime folder
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0"]
            + ["--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
            + [f"--LabApp.app_settings_dir={settings}", "--LabApp.extension_manager=readonly"]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield _wait_until_up(runtime, token, process, log_path), token
        finally:
            stop(process)


def _wait_until_up(runtime: Path, token: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Jupyter exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            info = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
            base = f"http://127.0.0.1:{info['port']}"
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return base
        except (StopIteration, ValueError, KeyError, OSError):
            time.sleep(0.2)
    pytest.fail(f"Jupyter did not answer within {timeout} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        with chromium() as chromium_browser:
            yield chromium_browser


@pytest.fixture(scope="module", params=list(FRONT_ENDS))
def notebook(request, browser, server, tmp_path_factory):
    """The notebook run (Run All) in one front end, its Stepper drawn; afterwards, no request left the machine."""
    base, token = server
    path, idle = FRONT_ENDS[request.param]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(30_000)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("websocket", lambda s: requested.append(s.url))
    try:
        page.goto(f"{base}/{path}?token={token}")
        page.locator(idle).first.wait_for()
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
        page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
        page.locator(".python-step").wait_for()
        yield page
    except Exception:
        shot = tmp_path_factory.mktemp("failure") / f"{request.param}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        raise
    finally:
        page.close()
    local = ("data", "blob")
    outside = [u for u in requested if urlsplit(u).scheme not in local and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"the page asked for things outside 127.0.0.1: {outside[:5]}"


def python_step(page, step: int) -> None:
    """Wait until the Label that Python sets says it heard ``step``."""
    try:
        page.locator(".python-step", has_text=re.compile(f"^python step {step}$")).wait_for(timeout=10_000)
    except Exception as error:
        heard = page.locator(".python-step").all_inner_texts()
        raise AssertionError(f"Python never heard step {step}; the label reads {heard}") from error


def test_a_click_on_an_output_cell_moves_pythons_step(notebook):
    page, renderer = notebook, FrameRenderer(CONV)
    steps = {CONV.step(k).out_index: k for k in range(CONV.num_steps)}
    for i, j in [(2, 3), (0, 0), (1, 4)]:
        page.mouse.click(*screen_point(page, CANVAS, renderer, "output", i, j))
        python_step(page, steps[i, j])
        assert page.locator(".cv-player .cv-step").inner_text().strip() == f"step {steps[i, j] + 1}/{CONV.num_steps}"
        assert outlined(page, CANVAS, renderer, "input") == window(CONV, i, j)
        assert outlined(page, CANVAS, renderer, "output") == {(i, j)}
    page.mouse.click(*screen_point(page, CANVAS, renderer, "output", 1, 4))  # a second click lets the cell go


def test_hovering_an_input_cell_outlines_the_outputs_it_feeds(notebook):
    page, renderer = notebook, FrameRenderer(CONV)
    page.locator(".cv-player").focus()
    page.keyboard.press("End")  # every output drawn: none hides an outline
    python_step(page, CONV.num_steps - 1)
    grid = renderer.builder.grids["input"]
    fed = 0
    for r in range(grid.rows):
        for c in range(0, grid.cols, 2):
            page.mouse.move(*screen_point(page, CANVAS, renderer, "input", r, c))
            assert outlined(page, CANVAS, renderer, "output") == fed_by(CONV, r, c), (r, c)
            fed += bool(fed_by(CONV, r, c))
    assert fed > 10


def test_space_plays_in_the_browser_and_python_follows(notebook):
    page = notebook
    page.mouse.move(1, 1)
    page.locator(".cv-player").focus()
    page.keyboard.press("Home")
    page.keyboard.press("+")
    page.keyboard.press("+")  # 4 steps a second
    page.keyboard.press(" ")
    pictures = set()
    for _ in range(100):
        pictures.add(page.evaluate(f"document.querySelector('{CANVAS}').toDataURL()"))
        if len(pictures) >= 5:
            break
        page.wait_for_timeout(50)
    page.keyboard.press(" ")
    assert len(pictures) >= 5, "the picture did not change while playing"
    shown = int(page.evaluate("document.querySelector('.cv-player').dataset.index"))
    assert shown > 0
    python_step(page, shown)
    page.keyboard.press("PageDown")  # one output row on
    python_step(page, min(shown + CONV.output_shape[1], CONV.num_steps - 1))
