"""The player in headless Chromium, offline: pointing at cells, playing, and a notebook's static HTML page.

Which cells are outlined is read from the canvas's own pixels (the outline colour at each cell's edge)
and compared with the outputs an input cell feeds, solved from the geometry (tests/cell_geometry.py,
and _solve here for the other operations).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cell_geometry import fed_by, outlined, screen_point, window

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution, save_animation
from visualizer.render.cellmap import cell_map
from visualizer.render.frame import FrameRenderer
from visualizer.render.html import html_player

pytestmark = pytest.mark.browser

CANVAS = "#frame"
CONV = Convolution(
    np.arange(42).reshape(6, 7) % 10, np.array([[1, 2], [0, -1], [3, 1]]), stride=(2, 1), dilation=(1, 2), padding=1
)


@pytest.fixture
def open_page(browser):
    """Opens a file's page; afterwards checks it raised no error and asked for nothing but itself."""
    pages = []

    def open_(path, root: str = "#player"):
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.requests, page.errors = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector(f"{root}[data-ready='1']")
        pages.append((context, page, path.as_uri()))
        return page

    yield open_
    for context, page, url in pages:
        context.close()
        assert not page.errors
        assert page.requests and all(u == url or u.startswith("data:") for u in page.requests), page.requests


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return save_animation(CONV, tmp_path_factory.mktemp("player") / "conv.html", progress=False)


def test_click_on_an_output_cell_jumps_to_its_step(open_page, exported):
    page, renderer = open_page(exported), FrameRenderer(CONV)
    steps = {CONV.step(k).out_index: k for k in range(CONV.num_steps)}
    for i, j in [(2, 3), (0, 0), (1, 4), (2, 0)]:
        page.mouse.click(*screen_point(page, CANVAS, renderer, "output", i, j))
        assert page.evaluate("document.getElementById('player').dataset.index") == str(steps[i, j])
        assert page.text_content("#caption").startswith(f"out[{i}, {j}] = ")
        assert page.text_content("#step") == f"step {steps[i, j] + 1}/{CONV.num_steps} "
        assert outlined(page, CANVAS, renderer, "input") == window(CONV, i, j)  # its receptive field
        assert outlined(page, CANVAS, renderer, "output") == {(i, j)}


def test_hover_on_an_input_cell_outlines_the_outputs_it_feeds(open_page, exported):
    page, renderer = open_page(exported), FrameRenderer(CONV)
    page.keyboard.press("End")  # every output drawn: none hides an outline
    grid = renderer.builder.grids["input"]
    checked = 0
    for r in range(grid.rows):
        for c in range(grid.cols):
            page.mouse.move(*screen_point(page, CANVAS, renderer, "input", r, c))
            assert outlined(page, CANVAS, renderer, "output") == fed_by(CONV, r, c), (r, c)
            checked += bool(fed_by(CONV, r, c))
    assert checked > 20
    page.mouse.move(1, 1)
    assert outlined(page, CANVAS, renderer, "output") == set()


def _solve(index: int, stride: int, dilation: int, taps: int, start: int = 0) -> set[int]:
    """Window positions p with p·stride + u·dilation = index + start for a tap u (start: the lead padding)."""
    return {
        (index + start - u * dilation) // stride
        for u in range(taps)
        if index + start - u * dilation >= 0 and (index + start - u * dilation) % stride == 0
    }


def _family():
    """(operation, grid pointed at, its cell, {grid: the cells outlined}) for each operation family,
    the outlined cells solved here from the operation's definition."""
    image = np.arange(1, 5).reshape(2, 2)
    direct = TransposedConvolution(image, np.ones((3, 3), int), stride=2, padding=1)
    # direct view: the output cell reads its 3×3 window on the stretched, padded input, at stride 1
    yield direct, "output", (1, 2), {"input": {(1 + u, 2 + v) for u in range(3) for v in range(3)}, "output": {(1, 2)}}
    scatter = direct.replace(view="scatter")
    # scatter view: input (0, 1) adds into outputs a·2 − 1 + u (inside the 3×3 output), drawn 1 cell in
    patch = {(i + 1, j + 1) for i in range(3) for j in range(3) if i in {-1, 0, 1} and j in {1, 2, 3}}
    yield scatter, "input", (0, 1), {"output": patch, "input": {(0, 1)}}
    pool = Pooling(np.arange(36).reshape(6, 6), size=3, stride=2, padding=1)
    fed = {(i, j) for i in _solve(3, 2, 1, 3) for j in _solve(4, 2, 1, 3) if i < 3 and j < 3}
    yield pool, "input", (3, 4), {"output": fed}
    layer = ConvLayer(np.arange(32).reshape(4, 4, 2) % 5, np.ones((2, 2, 2, 3), int))
    fed = {(i, j) for i in _solve(1, 1, 1, 2) for j in _solve(2, 1, 1, 2) if i < 3 and j < 3}
    yield layer, "input:1", (1, 2), {f"output:{k}": fed for k in range(3)}  # every filter it feeds
    window = {(0, 1), (0, 2), (1, 1), (1, 2)}
    yield layer, "output:2", (0, 1), {"input:0": window, "input:1": window, "output:0": set()}
    signal = Convolution(np.arange(9) % 4, [1, 2, 3], stride=2)
    yield signal, "input", (0, 4), {"output": {(0, j) for j in _solve(4, 2, 1, 3) if j < 4}}


FAMILY = list(_family())


@pytest.mark.parametrize(
    ("op", "grid", "cell", "expected"),
    FAMILY,
    ids=["transposed-direct", "transposed-scatter", "pooling", "layer-input", "layer-output", "signal"],
)
def test_hover_outlines_what_the_geometry_joins_for_every_operation(open_page, tmp_path, op, grid, cell, expected):
    page, renderer = open_page(save_animation(op, tmp_path / "op.html", progress=False)), FrameRenderer(op)
    page.keyboard.press("End")  # every output drawn: none hides an outline
    page.mouse.move(*screen_point(page, CANVAS, renderer, grid, *cell))
    for name, cells in expected.items():
        assert outlined(page, CANVAS, renderer, name) == cells, name
    assert any(expected.values())


def test_click_on_a_scatter_input_jumps_to_its_step(open_page, tmp_path):
    op = TransposedConvolution(np.arange(1, 7).reshape(2, 3), np.ones((2, 2), int), stride=2, view="scatter")
    page, renderer = open_page(save_animation(op, tmp_path / "op.html", progress=False)), FrameRenderer(op)
    page.mouse.click(*screen_point(page, CANVAS, renderer, "input", 1, 2))
    assert page.evaluate("document.getElementById('player').dataset.index") == "5"  # the sixth input, row-major


def test_a_cell_map_of_the_first_form_still_points(open_page, tmp_path):
    """A map written before blocks (taps offsets and [row, col, i, j] per step) is read the same way."""
    renderer = FrameRenderer(CONV)
    grids = [{key: g[key] for key in g if key != "pages"} for g in cell_map(renderer)["grids"]]
    (m, n), (dr, dc) = CONV.kernel.shape, CONV.dilation
    taps = [[u * dr, v * dc] for u in range(m) for v in range(n)]
    steps = [[*map(int, step.origin), *map(int, step.out_index)] for step in CONV.steps()]
    frames = [renderer.frame(k) for k in range(CONV.num_steps)]
    page_text = html_player(frames, cells={"grids": grids, "taps": taps, "steps": steps})
    (tmp_path / "first.html").write_text(page_text, encoding="utf-8")
    page = open_page(tmp_path / "first.html")
    page.keyboard.press("End")
    for r, c in [(2, 3), (4, 4), (0, 0)]:
        page.mouse.move(*screen_point(page, CANVAS, renderer, "input", r, c))
        assert outlined(page, CANVAS, renderer, "output") == fed_by(CONV, r, c), (r, c)
    page.mouse.click(*screen_point(page, CANVAS, renderer, "output", 1, 2))
    assert page.evaluate("document.getElementById('player').dataset.index") == str(CONV.output_shape[1] + 2)


def test_space_plays_and_the_picture_changes(open_page, exported):
    page = open_page(exported)
    page.keyboard.press("+")  # 3 steps a second
    page.keyboard.press(" ")
    pictures = set()
    for _ in range(200):
        pictures.add(page.evaluate("document.getElementById('frame').toDataURL()"))
        if len(pictures) >= 4:
            break
        page.wait_for_timeout(50)
    assert len(pictures) >= 4
    page.keyboard.press(" ")
    assert page.get_attribute("#play", "aria-label") == "play"


def test_nothing_plays_by_itself(open_page, exported):
    page = open_page(exported)
    page.wait_for_timeout(1500)
    assert page.evaluate("document.getElementById('player').dataset.index") == "0"
    assert page.get_attribute("#play", "aria-label") == "play"
    labels = page.eval_on_selector_all("button", "buttons => buttons.map(b => b.getAttribute('aria-label'))")
    assert all(labels) and page.get_attribute("#status", "aria-live") == "polite"


# a bare operation at the end of a cell, its step count and its third step's caption
BARE = {
    "convolution": (
        "from visualizer import Convolution\nConvolution(np.arange(25).reshape(5, 5), np.ones((3, 3), int), padding=1)",
        25,
        "out[0, 2] = ",
    ),
    "transposed": (
        "from visualizer import TransposedConvolution\n"
        "TransposedConvolution(np.arange(1, 5).reshape(2, 2), np.ones((3, 3), int), stride=2)",
        25,
        "out[0, 2] = ",
    ),
    "pooling": (
        "from visualizer import Pooling\nPooling(np.arange(36).reshape(6, 6), size=2, mode='avg')",
        9,
        "out[0, 2] = ",
    ),
}


@pytest.fixture(scope="module")
def static_page(tmp_path_factory) -> Path:
    """A notebook of cells each ending with a bare operation, executed and converted by nbconvert with no CDN."""
    folder = tmp_path_factory.mktemp("static")
    spec = folder / "jupyter" / "kernels" / "convviz-player"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "convviz", "language": "python"}))
    import nbformat  # here, not at the top: a second to import, which every test process would pay at collection

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("import numpy as np\n" + code) for code, _, _ in BARE.values()]
    nbformat.write(book, folder / "op.ipynb")
    command = [sys.executable, "-m", "nbconvert", "--to", "html", "--execute", "op.ipynb"]
    command += ["--HTMLExporter.mathjax_url=", "--HTMLExporter.require_js_url="]
    command += ["--ExecutePreprocessor.kernel_name=convviz-player", "--ExecutePreprocessor.timeout=60"]
    env = {**os.environ, "JUPYTER_PATH": str(folder / "jupyter"), "HOME": str(folder)}
    subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True, timeout=180)
    return folder / "op.html"


@pytest.mark.parametrize("name", BARE)
def test_nbconvert_static_page_steps_and_plays(open_page, static_page, name):
    _, steps, caption = BARE[name]
    page = open_page(static_page, root=".cv-player")
    players = page.locator(".cv-player")
    assert players.count() == len(BARE)  # one player for each cell, each on its own
    player = players.nth(list(BARE).index(name))
    player.locator(".cv-forward").click()
    player.locator(".cv-forward").click()
    assert player.get_attribute("data-index") == "2"
    assert player.locator(".cv-step").text_content() == f"step 3/{steps} "
    assert player.locator(".cv-caption").text_content().startswith(caption)
    player.focus()  # inline, the player answers keys while it has the focus
    page.keyboard.press("End")
    assert player.get_attribute("data-index") == str(steps - 1)
    page.keyboard.press(" ")
    page.wait_for_function(
        "([n, i]) => document.querySelectorAll('.cv-player')[n].dataset.index === i", arg=[list(BARE).index(name), "2"]
    )  # round past the end and on
    assert page.locator(".cv-still").count() == 0  # the still frames gave way to the players
