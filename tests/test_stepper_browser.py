"""The Stepper in a real JupyterLab 4 and Notebook 7, in headless Chromium, offline.

One Jupyter server (JupyterLab's, which serves Notebook 7's pages too) for the module; each front end
runs its own copy of a small notebook (Run All) that shows a Stepper and a Label that Python sets
whenever it hears ``stepper.step`` change. Then: a click on an output cell moves Python's step to
that cell's step; hovering an input cell outlines the outputs it feeds (solved from the geometry in
tests/cell_geometry.py); space plays, and the picture changes with nothing asked of the kernel.
A third page (JupyterLab) shows a Stepper whose frames would be wider than the notebook: its frame is
drawn as wide as the view has room for (shown unscaled), and a narrower window draws it again.
A fourth (JupyterLab) steps through the lesson's 130×200 photo, 26,000 steps sent a stretch at a time.
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
from visualizer.scenes.fit import notebook_size

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
# 9×9, 3×3, padding 1: 996×804 pixels at the theme's size; its cells shrink to fit both windows here
WIDE = Convolution(np.arange(81).reshape(9, 9) % 10, np.ones((3, 3), int), padding=1)
SETUP_WIDE = """\
import ipywidgets as widgets
import numpy as np
import visualizer as vz

stepper = vz.Stepper(vz.Convolution(np.arange(81).reshape(9, 9) % 10, np.ones((3, 3), int), padding=1))
told = widgets.Label("python width 0")
told.add_class("python-width")
stepper.observe(lambda change: setattr(told, "value", f"python width {change.new}"), "width")
display(told)
stepper"""
SETUP_PHOTO = """\
import time
import ipywidgets as widgets
import visualizer as vz
from visualizer.images import photo_values

stepper = vz.Stepper(vz.Convolution(photo_values((130, 200)), vz.KERNELS["sharpen"], padding=1))
heard = widgets.Label("python step 0")
heard.add_class("python-step")
stepper.observe(lambda change: setattr(heard, "value", f"python step {change.new}"), "step")
told = widgets.Label("python width 0")
told.add_class("python-width")
stepper.observe(lambda change: setattr(told, "value", f"python width {change.new}"), "width")
# a slow machine: Python says when it starts on the frames for the view's width, and takes its time over
# them and over the last stretch of steps, so that the test's keys certainly land while they are drawn
drawing = widgets.Label("python idle")
drawing.add_class("python-drawing")
draw = stepper._render
def slowly(op):
    drawing.value = "python drawing"
    time.sleep(1)
    renderer = draw(op)
    frame = renderer.frame
    renderer.frame = lambda index: index >= 25_900 and time.sleep(0.02) or frame(index)
    return renderer
stepper._render = slowly
display(heard, told, drawing)
stepper"""
# JupyterLab's notebook at these window widths leaves its output more than the smallest frame (720 px)
WINDOWS = (1700, 1300)


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
    books |= {"wide.ipynb": notebook(SETUP_WIDE), "photo.ipynb": notebook(SETUP_PHOTO)}
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
            for name in ("wide", "photo"):
                page = browser.new_page(viewport={"width": WINDOWS[0], "height": 1000})
                page.set_default_timeout(90_000)
                page.on("request", lambda r: requested.append(r.url))
                page.on("websocket", lambda s: requested.append(s.url))
                page.goto(url("lab", f"{name}.ipynb"), wait_until="commit")
                opened[name] = page
            yield opened
    local = ("data", "blob")
    outside = [u for u in requested if urlsplit(u).scheme not in local and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"the pages asked for things outside 127.0.0.1: {outside[:5]}"


@pytest.fixture(scope="module", params=list(IDLE))  # the front ends' own pages, not the wide one
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
    page.close()  # a front end left open keeps working in the background while the other pages are tested


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


def fitted_frame(page) -> dict:
    """Once the frames for the width Python was told have arrived: that width, the frame's and the room's."""
    page.locator(".python-width", has_text=re.compile(r"^python width [1-9]")).wait_for()
    told = int(page.locator(".python-width").inner_text().split()[-1])
    renderer = FrameRenderer(WIDE, max_size=notebook_size(told))
    width = renderer.size[0]
    page.wait_for_function(
        f"""() => {{
            const player = document.querySelector(".cv-player[data-ready='1']:not(.cv-pending)");
            return player && player.querySelector(".cv-frame").width === {width};
        }}"""
    )
    sizes = page.evaluate(
        """() => {
            const player = document.querySelector(".cv-player"), canvas = player.querySelector(".cv-frame");
            const style = getComputedStyle(player);
            return {room: player.parentElement.parentElement.clientWidth, shown: canvas.getBoundingClientRect().width,
                    natural: canvas.width, index: Number(player.dataset.index),
                    padding: parseFloat(style.paddingLeft) + parseFloat(style.paddingRight)};
        }"""
    )
    return {"told": told, "theme": renderer.builder.theme, "pictures": renderer.builder.magnifier is not None, **sizes}


def test_the_frame_fits_the_notebook_and_a_narrower_window_draws_it_again(pages, tmp_path_factory):
    page = pages["wide"]
    page.bring_to_front()
    shots = tmp_path_factory.mktemp("widths")
    try:
        run_all(page, "lab")
        page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
        wide = fitted_frame(page)
    except Exception:
        page.screenshot(path=str(shots / "failure.png"), full_page=True)
        print(f"screenshot of the failure: {shots / 'failure.png'}")
        raise
    page.locator(".cv-player").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.screenshot(path=str(shots / f"window-{WINDOWS[0]}.png"))
    page.set_viewport_size({"width": WINDOWS[1], "height": 1000})
    page.locator(".python-width", has_text=re.compile(f"^python width (?!{wide['told']}$)")).wait_for()
    narrow = fitted_frame(page)
    page.screenshot(path=str(shots / f"window-{WINDOWS[1]}.png"))
    print(f"screenshots of the two widths: {shots}")
    assert narrow["told"] < wide["told"] and narrow["natural"] < wide["natural"]
    for sizes in (wide, narrow):
        # the width told is the room the view has; the frame fits in it and is shown at its own size
        assert abs(sizes["told"] + sizes["padding"] - sizes["room"]) <= 8, sizes
        assert sizes["natural"] <= sizes["told"], sizes
        assert abs(sizes["shown"] - sizes["natural"]) < 1, sizes
        # numbers in the cells, at a size the theme calls readable, shown at that size
        assert not sizes["pictures"] and sizes["theme"].value_size >= sizes["theme"].min_text
    assert narrow["index"] == 5  # the step shown is kept through the new frames
    page.close()


def test_the_photos_26000_steps_are_all_reachable(pages, tmp_path_factory):
    page = pages["photo"]
    page.bring_to_front()
    try:
        run_all(page, "lab")
        page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
    except Exception:
        shot = tmp_path_factory.mktemp("photo") / "failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        raise
    player = page.locator(".cv-player")
    assert player.locator(".cv-step").inner_text().strip() == "step 1/26000"
    # the view tells its width once it is laid out, and Python draws the frames again for it: a key pressed
    # meanwhile is kept when they arrive
    page.locator(".python-drawing", has_text="python drawing").wait_for()
    player.focus()
    page.keyboard.press("End")
    # the stretch holding the last step: its one frame comes first, alone; a key pressed before the rest
    # come is heard too, and its step painted once they have
    page.locator(".cv-player.cv-pending[data-painted='25999']").wait_for()
    page.keyboard.press("ArrowLeft")
    python_step(page, 25_998)
    page.locator(".cv-player[data-ready='1'][data-painted='25998']:not(.cv-pending)").wait_for()
    assert player.locator(".cv-step").inner_text().strip() == "step 25999/26000"
    player.focus()
    for key, step in [("Home", 0), ("PageDown", 200), ("ArrowLeft", 199)]:
        page.keyboard.press(key)
        python_step(page, step)
        # the stretch holding the step arrived and paints it
        page.locator(f".cv-player[data-ready='1'][data-painted='{step}']:not(.cv-pending)").wait_for()
        assert player.locator(".cv-step").inner_text().strip() == f"step {step + 1}/26000"
        player.focus()
    shot = tmp_path_factory.mktemp("photo") / "photo.png"
    page.screenshot(path=str(shot))
    print(f"screenshot of the photo: {shot}")
