"""No two texts of a frame run into each other: titles, cell numbers, tap letters, names, sums.

Every text item of a scene is measured with Pillow's own box for its font and
anchor, where the painter draws it; two different texts on the same plane must
not share a pixel. A text drawn again under the same tag (a shaded cell's
number over the still one) is the same text and is not compared with itself.
Scenes: every gallery entry in both layouts, and operations the gallery does
not draw (a flipped colour kernel, a pooled colour image, a wide transposed
kernel, a one-column image, a layer), at sizes down to the smallest frame, where the cells become pictures.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import visualizer as vz
from visualizer.gallery import GALLERY
from visualizer.render.style import font
from visualizer.scenes import scene_builder
from visualizer.scenes.fit import MIN_SIZE
from visualizer.scenes.items import Text

MOST_CELLS = 400  # the lesson's photo writes tens of thousands of numbers in cells of one grid: its own tests read them
RNG = np.random.default_rng(5)
OTHERS = {
    "colour, flipped kernel": vz.Convolution(
        RNG.integers(0, 10, (5, 5, 3)), RNG.integers(-3, 4, (3, 3, 3)), flip_kernel=True, padding=1
    ),
    "signal": vz.Convolution(RNG.integers(0, 10, (12,)), np.array([1, -2, 1])),
    "average pooling, colour": vz.Pooling(RNG.integers(0, 10, (6, 6, 3)), 2, stride=2, mode="avg"),
    "transposed, colour": vz.TransposedConvolution(
        RNG.integers(0, 10, (3, 3, 3)), RNG.integers(-3, 4, (3, 3, 3)), stride=2
    ),
    "transposed, wide numbers": vz.TransposedConvolution(
        RNG.integers(-99, 100, (3, 3)), RNG.integers(-99, 100, (5, 5)), stride=2
    ),
    "one column": vz.Convolution(RNG.integers(0, 10, (90, 1)), np.array([[1], [2], [0], [-1], [1]])),
    "layer": vz.ConvLayer(RNG.integers(0, 10, (5, 5, 3)), RNG.integers(-2, 3, (3, 3, 3, 2)), bias=[1, -2]),
}
# conv_arithmetic's plain look of a convolution writes no text at all
SMALL = [e for e in GALLERY if np.prod(e.input[:2]) <= MOST_CELLS and (e.numbers or e.op != "conv")]
ENTRIES = [*SMALL, *(replace(e, layout="oblique" if e.layout == "flat" else "flat") for e in SMALL if e.op != "layer")]


def clashes(scene) -> list[tuple[str, str, tuple, tuple]]:
    """Pairs of different texts on one plane whose boxes overlap by more than half a pixel each way."""
    texts = [item for item in scene.items() if isinstance(item, Text) and item.text.strip()]
    boxes = []
    for text in texts:
        left, top, right, bottom = font(text.font.size, text.font.variant).getbbox(text.text, anchor=text.anchor)
        boxes.append((text.xy[0] + left, text.xy[1] + top, text.xy[0] + right, text.xy[1] + bottom))
    b = np.array(boxes).reshape(-1, 4)
    across = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    down = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    pairs = np.argwhere(np.triu((across > 0.5) & (down > 0.5), 1))
    return [
        (texts[i].text, texts[j].text, texts[i].tag, texts[j].tag)
        for i, j in pairs
        if texts[i].plane == texts[j].plane and texts[i].tag != texts[j].tag
    ]


def first_middle_last(op) -> list[int]:
    return sorted({0, op.num_steps // 2, op.num_steps - 1})


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.name}-{e.layout}" for e in ENTRIES])
def test_gallery_frames_keep_their_texts_apart(entry):
    op = entry.operation()
    builder = scene_builder(op, layout=entry.layout, numbers=entry.numbers)
    for index in first_middle_last(op):
        assert not clashes(builder.scene(index)), index


@pytest.mark.parametrize("size", [None, (1280, 720), (800, 600), MIN_SIZE], ids=str)
@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(OTHERS))
def test_other_frames_keep_their_texts_apart(name, layout, size):
    op = OTHERS[name]
    builder = scene_builder(op, layout=layout, max_size=size)
    for index in first_middle_last(op):
        assert not clashes(builder.scene(index)), index


def test_a_clash_is_seen():
    """The check itself: a kernel title as wide as the products panel's gap would run into "products"."""
    op = OTHERS["transposed, colour"]
    scene = scene_builder(op).scene(0)
    (title,) = [t for t in scene.items() if isinstance(t, Text) and t.tag == ("products", 0, "title", 1)]
    moved = replace(title, text=title.text + " " * 2 + "and a long tail that reaches the next title")

    class Moved:
        def items(self):
            return [moved if item is title else item for item in scene.items()]

    assert clashes(scene) == []
    assert any("products" in pair[:2] for pair in clashes(Moved()))
