"""The Stepper in a real JupyterLab 4 and Notebook 7, in headless Chromium, offline.

One Jupyter server (JupyterLab's, which serves Notebook 7's pages too) for the module; each front end
runs its own copy of a small notebook (Run All) that shows a Stepper and a Label that Python sets
whenever it hears ``stepper.step`` change. Then: a click on an output cell moves Python's step to
that cell's step; hovering an input cell outlines the outputs it feeds (solved from the geometry in
tests/cell_geometry.py); space plays, and the picture changes with nothing asked of the kernel.
Every request stays on 127.0.0.1.
"""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import numpy as np
import pytest
from browser import chromium, chromium_path
from cell_geometry import fed_by, outlined, screen_point, window
from needed import missing
from notebook_server import IDLE, jupyter_server, notebook, run_all

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
CANVAS = ".cv-player .cv-frame"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Both front ends opened at once on one Jupyter server, a copy of the notebook each: {front end: page}.

    The server boots while Chromium starts, and the two pages load side by side; afterwards,
    no request may have left the machine.
    """
    chromium_path()  # no server is started when Chromium is missing
    if subprocess.run([sys.executable, "-c", "import jupyterlab, notebook"], capture_output=True).returncode:
        missing("JupyterLab and Notebook 7 are not installed (pip install convviz[lab])")
    books = {f"{front_end}.ipynb": notebook(SETUP, "heard") for front_end in IDLE}
    with (
        pytest.MonkeyPatch.context() as patch,
        jupyter_server(tmp_path_factory.mktemp("jupyter"), books) as url,
    ):
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        with chromium() as browser:
            opened, requested = {}, []
            for front_end in IDLE:
                page = browser.new_page(viewport={"width": 1300, "height": 1000})
                page.set_default_timeout(90_000)
                page.on("request", lambda r: requested.append(r.url))
                page.on("websocket", lambda s: requested.append(s.url))
                page.goto(url(front_end, f"{front_end}.ipynb"), wait_until="commit")
                opened[front_end] = page
            yield opened
    local = ("data", "blob")
    outside = [u for u in requested if urlsplit(u).scheme not in local and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"the pages asked for things outside 127.0.0.1: {outside[:5]}"


@pytest.fixture(scope="module", params=list(IDLE))
def shown(request, pages, tmp_path_factory):
    """The notebook run (Run All) in one front end, its Stepper drawn."""
    page = pages[request.param]
    page.bring_to_front()
    try:
        run_all(page, request.param)
        page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
        page.locator(".python-step").wait_for()
        yield page
    except Exception:
        shot = tmp_path_factory.mktemp("failure") / f"{request.param}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        raise


def python_step(page, step: int) -> None:
    """Wait until the Label that Python sets says it heard ``step``."""
    try:
        page.locator(".python-step", has_text=re.compile(f"^python step {step}$")).wait_for(timeout=30_000)
    except Exception as error:
        heard = page.locator(".python-step").all_inner_texts()
        raise AssertionError(f"Python never heard step {step}; the label reads {heard}") from error


def test_a_click_on_an_output_cell_moves_pythons_step(shown):
    page, renderer = shown, FrameRenderer(CONV)
    steps = {CONV.step(k).out_index: k for k in range(CONV.num_steps)}
    for i, j in [(2, 3), (0, 0), (1, 4)]:
        page.mouse.click(*screen_point(page, CANVAS, renderer, "output", i, j))
        python_step(page, steps[i, j])
        assert page.locator(".cv-player .cv-step").inner_text().strip() == f"step {steps[i, j] + 1}/{CONV.num_steps}"
        assert outlined(page, CANVAS, renderer, "input") == window(CONV, i, j)
        assert outlined(page, CANVAS, renderer, "output") == {(i, j)}
    page.mouse.click(*screen_point(page, CANVAS, renderer, "output", 1, 4))  # a second click lets the cell go


def test_hovering_an_input_cell_outlines_the_outputs_it_feeds(shown):
    page, renderer = shown, FrameRenderer(CONV)
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


def test_space_plays_in_the_browser_and_python_follows(shown):
    page = shown
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


def test_a_parameter_control_sends_new_frames(shown):
    page = shown
    # the stride slider, in the first tab: typed into its readout (Notebook 7 takes a focused slider's arrow keys)
    readout = page.locator(".widget-slider .widget-readout").first
    readout.fill("3")  # stride (2, 1) → 3 on both axes
    readout.press("Enter")
    (h, w), (m, n) = CONV.image.shape, CONV.kernel.shape
    rows, cols = (h + 2 - (m - 1) - 1) // 3 + 1, (w + 2 - 2 * (n - 1) - 1) // 3 + 1  # padding 1, dilation (1, 2)
    step = page.locator(".cv-player:not(.cv-pending) .cv-step", has_text=re.compile(f"/{rows * cols} $"))
    step.wait_for()
