"""A layer's frames in pixels: the footprint sits on the step's taps of the channels its filter reads, in
both layouts; outputs fill in; every exporter writes a layer.

Expected positions come from DESIGN.md's step order and each filter's group
(``layer_cases``), expected colours from DESIGN.md's palette; the renderer
only tells where a cell is (``cell_box``).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from layer_cases import CASES, LayerCase, number
from PIL import Image

import visualizer as vz
from visualizer.render.frame import FrameRenderer

WHITE = (255, 255, 255)
BLUE = (0x26, 0x8B, 0xD2)
CYAN = (0x2A, 0xA1, 0x98)
SHADE = (0x07, 0x36, 0x42)


def shaded(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """#073642 at 40 % over ``colour``, rounded (DESIGN.md's footprint shading)."""
    return tuple(round(0.4 * s + 0.6 * c) for s, c in zip(SHADE, colour, strict=True))


def sample(image, renderer: FrameRenderer, area: str, row: int, col: int, panel: int = 0):
    """The commonest colour of a 5×5 patch near the cell's top-left corner (clear of its value and weight)."""
    x0, y0, _, _ = renderer.cell_box(area, row, col, panel)
    patch = [image.getpixel((x, y)) for x in range(x0, x0 + 5) for y in range(y0, y0 + 5)]
    return max(set(patch), key=patch.count)


def check_frame(case: LayerCase, renderer: FrameRenderer, k: int) -> None:
    image = renderer.frame(k).convert("RGB")
    i, j, f = case.position(k)
    taps = set(case.taps(i, j))
    split = renderer.builder.split
    shown = case.reads(f) if split else range(case.c_in)
    rows, cols = case.padded.shape[:2]
    for channel in shown:
        panel = channel - case.reads(f).start if split else channel
        on = channel in case.reads(f)
        for r, c in np.ndindex(rows, cols):
            base = WHITE if case.is_padding(r, c) else BLUE
            expected = shaded(base) if on and (r, c) in taps else base
            assert sample(image, renderer, "input", r, c, panel) == expected, (k, channel, r, c)
    if renderer.builder.compact:
        return
    oblique = renderer.layout == "oblique"
    for index in range(case.steps):
        a, b, g = case.position(index)
        # a tilted map is coloured whole from the start (conv_arithmetic's output plane); a flat one fills in
        expected = shaded(CYAN) if index == k else CYAN if index < k or oblique else WHITE
        assert sample(image, renderer, "output", a, b, g) == expected, (k, a, b, g)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(CASES))
def test_footprint_sits_where_the_step_says(name: str, layout: str) -> None:
    case = CASES[name]
    # the numbered cells at their own size (frames fitted to a target: test_layer_fit.py)
    renderer = FrameRenderer(case.layer, layout=layout, max_size=None)
    for k in case.sample_steps(8):
        check_frame(case, renderer, k)


@settings(max_examples=25, deadline=None)
@given(
    groups=st.integers(1, 3),
    per_in=st.integers(1, 2),
    per_out=st.integers(1, 2),
    size=st.tuples(st.integers(3, 6), st.integers(3, 6)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    pads=st.tuples(*[st.integers(0, 1)] * 4),
    numbers=st.booleans(),
    layout=st.sampled_from(["flat", "oblique"]),
    data=st.data(),
)
def test_footprint_follows_any_step(
    groups, per_in, per_out, size, kernel, stride, dilation, pads, numbers, layout, data
) -> None:
    top, bottom, left, right = pads
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel, strict=True)]
    assume(spans[0] <= size[0] + top + bottom and spans[1] <= size[1] + left + right)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    case = LayerCase(
        rng.integers(0, 10, (*size, groups * per_in)),
        rng.integers(-2, 3, (*kernel, per_in, groups * per_out)),
        groups=groups,
        stride=stride,
        dilation=dilation,
        padding=((top, bottom), (left, right)),
    )
    renderer = FrameRenderer(case.layer, numbers=numbers, layout=layout, max_size=None)
    check_frame(case, renderer, data.draw(st.integers(0, case.steps - 1)))


def test_every_exporter_writes_a_layer(tmp_path) -> None:
    case = LayerCase(np.arange(18).reshape(3, 3, 2), np.ones((2, 2, 2, 2), int), bias=[0, -60], activation="relu")
    gif = vz.save_animation(case.layer, tmp_path / "layer.gif", progress=False, layout="oblique")
    with Image.open(gif) as image:
        assert image.n_frames == case.steps
    pdf = vz.save_animation(case.layer, tmp_path / "layer.pdf", progress=False)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == case.steps
    page = vz.save_animation(case.layer, tmp_path / "layer.html", progress=False).read_text(encoding="utf-8")
    assert "http" not in page.lower()
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', page)[1])
    assert len(data["patches"]) == case.steps  # the first frame, then what each step changes
    for k in range(case.steps):
        i, j, f = case.position(k)
        assert f"out[{i}, {j}, {f}] = " in page
        assert f"= {number(case.pre[i, j, f])}, relu → {number(case.post[i, j, f])}" in page
    svg = vz.save_frame(case.layer, 5, tmp_path / "step.svg").read_text(encoding="utf-8")
    assert "partial sum = " + number(case.partials[1][1][0, 1]) in svg
