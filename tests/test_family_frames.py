"""The family's frames as pixels and files: the footprint, the patch and the winning tap sit where the steps say.

Colours come from DESIGN.md's palette (input #268BD2, output #2AA198, white
padding, #073642 at 40 % over what it shades), positions from each step's
origin, stride and dilation as written here; the renderer only says where a
cell is (``cell_box``). Exports are read back with Pillow and as text.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image
from test_frame import BLUE, CYAN, WHITE, sample, shaded

import visualizer as vz
from visualizer.render import THEMES, FrameRenderer

ACCENT = (0xCB, 0x4B, 0x16)  # the default theme's ring: it must differ from every fill it rings
RNG = np.random.default_rng(11)

DIRECT = {
    "padding_strides_odd": vz.TransposedConvolution(
        RNG.integers(0, 10, (3, 3)), RNG.integers(0, 3, (3, 3)), stride=2, padding=1, output_padding=1
    ),
    "dilated uneven": vz.TransposedConvolution(
        RNG.integers(0, 10, (3, 4)), np.ones((2, 3), int), stride=(1, 2), dilation=2
    ),
    "signal": vz.TransposedConvolution(np.arange(4), [1, 2, 3], stride=2),
}
POOLS = {
    "max ceil": vz.Pooling(RNG.integers(0, 10, (6, 6)), 3, stride=2, padding=1, ceil_mode=True),
    "avg dilated-free": vz.Pooling(RNG.integers(0, 10, (5, 5)), 3, stride=1, mode="avg", padding=1),
    "max dilated": vz.Pooling(RNG.integers(0, 10, (6, 6)), 2, stride=2, dilation=2),
}


def steps_to_check(op) -> list[int]:
    return sorted({0, 1, op.num_steps // 2, op.num_steps - 1})


def lifted(index: tuple[int, ...]) -> tuple[int, int]:
    return (0, index[0]) if len(index) == 1 else index


@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(DIRECT))
def test_direct_footprint_sits_on_the_stretched_taps(name: str, layout: str, numbers: bool) -> None:
    op = DIRECT[name]
    renderer = FrameRenderer(op, layout=layout, numbers=numbers)
    grid = renderer.builder.grids["input"]
    dr, dc = (1, op.dilation) if op.signal else op.dilation
    m, n = (1, op.kernel.shape[0]) if op.signal else op.kernel.shape
    inputs, padding = (np.atleast_2d(mask) for mask in (op.input_mask, op.padding_mask))
    frames = {k: renderer.frame(k).convert("RGB") for k in steps_to_check(op)}
    taps = {
        k: {(i + u * dr, j + v * dc) for u in range(m) for v in range(n)}
        for k in frames
        for i, j in [lifted(op.step(k).origin)]
    }
    zero_colours = set()
    for r, c in np.ndindex(grid.rows, grid.cols):
        seen = {k: sample(frame, renderer, "input", r, c) for k, frame in frames.items()}
        plain = [colour for k, colour in seen.items() if (r, c) not in taps[k]]
        if inputs[r, c] or padding[r, c]:
            base = BLUE if inputs[r, c] else WHITE
        elif plain:
            base = plain[0]
            zero_colours.add(base)
        else:
            continue  # an inserted zero under every footprint checked
        for k, colour in seen.items():
            assert colour == (shaded(base) if (r, c) in taps[k] else base), (name, k, r, c)
    if (~inputs & ~padding).any():
        # inserted zeros look alike, and like neither input nor padding
        assert len(zero_colours) == 1 and not zero_colours & {BLUE, WHITE}


@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_scatter_shades_the_input_element_and_its_patch(layout: str, numbers: bool) -> None:
    op = DIRECT["padding_strides_odd"].replace(view="scatter")
    renderer = FrameRenderer(op, layout=layout, numbers=numbers)
    (p, _), (s, _), (o_rows, o_cols) = op.padding, op.stride, op.output_shape
    touched: set[tuple[int, int]] = set()
    for k in range(op.num_steps):
        frame = renderer.frame(k).convert("RGB")
        i, j = divmod(k, op.image.shape[1])
        for a, b in np.ndindex(*op.image.shape):
            assert sample(frame, renderer, "input", a, b) == (shaded(BLUE) if (a, b) == (i, j) else BLUE)
        patch = {(i * s + u - p, j * s + v - p) for u in range(3) for v in range(3)}
        inside = {(a, b) for a, b in patch if 0 <= a < o_rows and 0 <= b < o_cols}
        for a, b in patch:
            # the output grid has a border of p cut-off cells before the output
            expected = shaded(CYAN) if (a, b) in inside else shaded(WHITE)
            assert sample(frame, renderer, "output", a + p, b + p) == expected, (k, a, b)
        touched |= inside
        for a, b in np.ndindex(o_rows, o_cols):
            if (a, b) not in patch:
                untouched = WHITE if layout == "flat" else CYAN  # the oblique plane is whole from the start
                expected = CYAN if (a, b) in touched else untouched
                assert sample(frame, renderer, "output", a + p, b + p) == expected, (k, a, b)


@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(POOLS))
def test_pooling_window_sits_on_its_taps_and_outside_cells_look_apart(name: str, layout: str, numbers: bool) -> None:
    op = POOLS[name]
    renderer = FrameRenderer(op, layout=layout, numbers=numbers)
    grid = renderer.builder.grids["input"]
    (m, n), (sr, sc), (dr, dc), (pr, pc) = op.size, op.stride, op.dilation, op.padding
    h, w = op.image.shape
    for k in steps_to_check(op):
        frame = renderer.frame(k).convert("RGB")
        i, j = op.step(k).out_index
        taps = {(i * sr + u * dr, j * sc + v * dc) for u in range(m) for v in range(n)}
        outside = set()
        for r, c in np.ndindex(grid.rows, grid.cols):
            t = (r - pr, c - pc)
            colour = sample(frame, renderer, "input", r, c)
            if 0 <= t[0] < h and 0 <= t[1] < w:
                base = BLUE
            elif -pr <= t[0] < h + pr and -pc <= t[1] < w + pc:
                base = WHITE
            else:
                outside.add(colour)
                continue
            assert colour == (shaded(base) if (r, c) in taps else base), (name, k, r, c)
        assert not outside & {BLUE, WHITE, shaded(BLUE), shaded(WHITE)}
        assert sample(frame, renderer, "output", i, j) == shaded(CYAN)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_max_pooling_rings_the_winner_in_the_accent_colour(layout: str) -> None:
    op = vz.Pooling(np.array([[1, 9, 2], [3, 4, 8], [7, 6, 5]]), 2, stride=1)
    renderer = FrameRenderer(op, layout=layout)
    winners = {0: (0, 1), 1: (0, 1), 2: (2, 0), 3: (1, 2)}  # the largest of each 2×2 window, by eye
    for k, (r, c) in winners.items():
        frame = np.asarray(renderer.frame(k).convert("RGB"))
        ring = renderer.builder.scene(k).find("winner", "input")
        assert [item.tag[2:] for item in ring] == [(r, c)]
        grid = renderer.builder.grids["input"]
        if layout == "flat":
            x0, y0, x1, _ = grid.region(r, c, r + 1, c + 1)
            edge = frame[y0 + 1, x0 + 3 : x1 - 3]  # the ring runs along the cell's top line
            assert (edge == ACCENT).all(axis=1).mean() > 0.8
        assert (frame == ACCENT).all(axis=2).sum() > 4 * grid.cell  # four sides of accent pixels


OPS = {
    "direct": DIRECT["padding_strides_odd"],
    "scatter": DIRECT["padding_strides_odd"].replace(view="scatter"),
    "max": vz.Pooling(RNG.integers(0, 10, (5, 5)), 3, stride=1),
    "avg": vz.Pooling(RNG.integers(0, 10, (5, 5)), 3, stride=1, mode="avg"),
}


@pytest.mark.parametrize("name", list(OPS))
def test_save_animation_writes_gif_pdf_and_html(tmp_path, name: str) -> None:
    op = OPS[name]
    with Image.open(vz.save_animation(op, tmp_path / "a.gif", layout="oblique", progress=False)) as gif:
        assert gif.n_frames == op.num_steps
    pdf = vz.save_animation(op, tmp_path / "a.pdf", progress=False).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == op.num_steps
    html = vz.save_animation(op, tmp_path / "a.html", progress=False).read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html)[1])
    assert len(data["patches"]) == op.num_steps  # the player's first frame, then what each step changes
    first = "in[0, 0] = " if name == "scatter" else "out[0, 0] = "
    assert first in html  # the player's captions
    svg = vz.save_frame(op, 1, tmp_path / "a.svg").read_text(encoding="utf-8")
    assert ">output" in svg and ">input" in svg


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("name", list(OPS))
def test_every_theme_draws_every_op_in_both_layouts(theme: str, name: str) -> None:
    op = OPS[name]
    for layout in ("flat", "oblique"):
        for numbers in (True, False):
            renderer = FrameRenderer(op, theme=theme, layout=layout, numbers=numbers)
            frame = renderer.frame(op.num_steps - 1)
            assert frame.size == renderer.size and renderer.size[0] % 2 == renderer.size[1] % 2 == 0


def test_colour_images_get_one_panel_per_channel() -> None:
    image = RNG.integers(0, 256, (3, 3, 3)).astype(np.uint8)
    for op in (vz.TransposedConvolution(image, np.ones((2, 2, 3), int), stride=2), vz.Pooling(image, 2, stride=1)):
        for layout in ("flat", "oblique"):
            # no limit: three channels' rows of cells are taller than 1080 px (the limit draws pictures)
            scene = FrameRenderer(op, layout=layout, max_size=None).scene(0)
            names = {name for name in scene.grids if name.startswith(("input", "output"))}
            assert names == {f"{area}:{c}" for area in ("input", "output") for c in range(3)}
            titles = [t.text for t in scene.texts("title")]
            assert {"red", "green", "blue"} <= {title.split(":")[0] for title in titles}
