"""What the player is sent: patches that rebuild every frame, a cell map that agrees with the geometry, its size."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution, save_animation
from visualizer.gallery import GALLERY
from visualizer.render.cellmap import cell_map
from visualizer.render.frame import FrameRenderer
from visualizer.render.inline import mimebundle
from visualizer.render.patches import changed_boxes, encode_patches


def rebuild(sheets: list[Image.Image], patches) -> list[np.ndarray]:
    """Every frame, painted patch by patch onto one canvas as the player does (frame 0's patch is the whole frame)."""
    whole = patches[0][0]
    canvas = np.full((whole.h, whole.w), -1)
    frames = []
    for step in patches:
        for p in step:
            sheet = np.asarray(sheets[p.sheet])
            canvas[p.dy : p.dy + p.h, p.dx : p.dx + p.w] = sheet[p.sy : p.sy + p.h, p.sx : p.sx + p.w]
        frames.append(canvas.copy())
    return frames


@st.composite
def frame_runs(draw):
    """A few paletted frames, each the one before with some rectangles painted over."""
    h, w = draw(st.integers(4, 40)), draw(st.integers(4, 40))
    first = draw(st.integers(0, 9))
    frames = [np.full((h, w), first, np.uint8)]
    for _ in range(draw(st.integers(0, 5))):
        frame = frames[-1].copy()
        for _ in range(draw(st.integers(0, 4))):
            y0, x0 = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
            y1, x1 = draw(st.integers(y0 + 1, h)), draw(st.integers(x0 + 1, w))
            frame[y0:y1, x0:x1] = draw(st.integers(0, 9))
        frames.append(frame)
    return frames


@settings(max_examples=60, deadline=None)
@given(frame_runs())
def test_patches_rebuild_every_frame(arrays):
    frames = [Image.fromarray(a, mode="L").convert("P") for a in arrays]
    sheets, patches = encode_patches(frames)
    assert len(patches) == len(frames)
    for got, frame in zip(rebuild(sheets, patches), frames, strict=True):
        assert np.array_equal(got, np.asarray(frame))


@settings(max_examples=60, deadline=None)
@given(frame_runs())
def test_changed_boxes_cover_every_change_and_only_inside_the_frame(arrays):
    for before, after in zip(arrays, arrays[1:], strict=False):
        covered = np.zeros(before.shape, bool)
        for x0, y0, x1, y1 in changed_boxes(before, after):
            assert 0 <= x0 < x1 <= before.shape[1] and 0 <= y0 < y1 <= before.shape[0]
            covered[y0:y1, x0:x1] = True
        assert not ((before != after) & ~covered).any()


CONVS = {
    "strided, dilated, padded": Convolution(
        np.arange(42).reshape(6, 7), np.ones((3, 2)), stride=(2, 1), dilation=(1, 2), padding=1
    ),
    "colour, same": Convolution(np.arange(75).reshape(5, 5, 3) % 9, np.ones((3, 3)), padding="same"),
}


def test_cell_map_boxes_are_the_painted_cells():
    conv = CONVS["strided, dilated, padded"]
    renderer = FrameRenderer(conv)
    for grid in cell_map(renderer)["grids"]:
        area = grid["name"]
        for r, c in [(0, 0), (grid["rows"] - 1, grid["cols"] - 1)]:
            x0 = grid["x"] + c * grid["cell"] + grid["line"]
            y0 = grid["y"] + r * grid["cell"] + grid["line"]
            assert renderer.cell_box(area, r, c)[:2] == (x0, y0)


FULL_PADDING = next(a for a in GALLERY if a.name == "full_padding_no_strides_numbers")


def test_full_padding_with_numbers_fits_in_400_kb(tmp_path):
    conv = FULL_PADDING.operation()
    assert conv.num_steps == 49
    path = save_animation(conv, tmp_path / "full.html", numbers=True, progress=False)
    assert path.stat().st_size <= 400_000, path.stat().st_size


def test_full_padding_inline_fits_in_400_kb():
    data, metadata = mimebundle(FULL_PADDING.operation())
    assert len(json.dumps([data, metadata])) <= 400_000


def test_inline_bundle_holds_the_player_a_frame_and_the_description():
    conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    data, metadata = conv._repr_mimebundle_()
    assert data["text/plain"] == conv.describe()
    assert "http" not in data["text/html"].lower() and 'type="module"' in data["text/html"]
    payload = json.loads(re.search(r'type="application/json">(.*?)</script>', data["text/html"])[1])
    assert len(payload["captions"]) == len(payload["patches"]) == conv.num_steps
    png = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert np.array_equal(np.asarray(png.convert("RGB")), np.asarray(FrameRenderer(conv).frame_rgb(0)))
    assert conv.describe() in metadata["image/png"]["alt"]


@pytest.mark.parametrize(
    "op",
    [
        Convolution(np.arange(8.0), np.ones(3)),
        TransposedConvolution(np.arange(4).reshape(2, 2), np.ones((3, 3)), stride=2),
        TransposedConvolution(np.arange(4).reshape(2, 2), np.ones((3, 3)), stride=2, view="scatter"),
        Pooling(np.arange(16).reshape(4, 4), size=2),
        ConvLayer(np.arange(32).reshape(4, 4, 2) % 5, np.ones((3, 3, 2, 2))),
    ],
    ids=["signal", "transposed", "scatter", "pooling", "layer"],
)
def test_every_operation_shows_the_player_with_its_cell_map(op):
    data, metadata = op._repr_mimebundle_()
    assert sorted(data) == ["image/png", "text/html", "text/plain"] and data["text/plain"] == op.describe()
    payload = json.loads(re.search(r'type="application/json">(.*?)</script>', data["text/html"])[1])
    assert len(payload["patches"]) == len(payload["cells"]["links"]) == op.num_steps
    assert metadata["image/png"]["alt"].startswith(f"{type(op).__name__}, step 1 of {op.num_steps}")
