"""The line from the footprint to the magnifier's window never runs over another picture.

When the cells become pictures, a line joins a footprint's outline to the
products panel's window. Here the line is drawn with Pillow onto a blank mask
and the mask is read inside every other picture's box: not one pixel may land
there. It must still start on a corner of a footprint's outline and end on the
window's grid.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import visualizer as vz
from visualizer.gallery import GALLERY
from visualizer.scenes import scene_builder

RNG = np.random.default_rng(3)
OPS = {
    # the output picture sits between the input and the window
    "convolution, wide frame": (vz.Convolution(RNG.integers(0, 10, (60, 60)), np.ones((3, 3))), (1920, 1080)),
    "colour lesson": (next(e for e in GALLERY if e.name == "lesson_colour_3x3x3").operation(), (1920, 1080)),
    "transposed, scatter": (
        vz.TransposedConvolution(RNG.integers(0, 10, (40, 40)), np.ones((3, 3)), stride=2, view="scatter"),
        (1920, 1080),
    ),
    # the first channel's line would cross the other channels' inputs
    "layer": (vz.ConvLayer(RNG.integers(0, 10, (60, 60, 3)), RNG.integers(-2, 3, (3, 3, 3, 2))), (1920, 1080)),
    "convolution, small frame": (vz.Convolution(RNG.integers(0, 10, (60, 60)), np.ones((3, 3))), (1280, 720)),
}


def drawn(points, size) -> np.ndarray:
    mask = Image.new("1", size, 0)
    ImageDraw.Draw(mask).line([tuple(map(round, p)) for p in points], fill=1, width=1)
    return np.asarray(mask)


@pytest.mark.parametrize("name", list(OPS))
def test_the_magnifier_line_goes_round_the_other_pictures(name):
    op, size = OPS[name]
    builder = scene_builder(op, max_size=size)
    assert builder.magnifier is not None and builder.products is not None
    grid = builder.products.window_grid(0)
    for index in (0, op.num_steps // 3, op.num_steps - 1):
        scene = builder.scene(index)
        (line,) = scene.find("magnifier-line")
        rings = {tag[1]: item.box for item in scene.items() if (tag := getattr(item, "tag", ()))[:1] == ("footprint",)}
        start, end = line.points[0], line.points[-1]
        starts = [name for name, (x0, y0, x1, y1) in rings.items() if start in {(x0, y0), (x1, y0), (x1, y1), (x0, y1)}]
        assert starts, (index, start, rings)
        assert grid.x <= end[0] <= grid.x + grid.size[0] and grid.y <= end[1] <= grid.y + grid.size[1]
        mask = drawn(line.points, scene.size)
        pictures = [item for item in scene.items() if getattr(item, "tag", ())[:1] == ("pixels",)]
        assert len(pictures) >= 2
        for picture in pictures:
            if picture.tag[1] in starts:
                continue
            x0, y0, x1, y1 = map(round, picture.box)
            assert not mask[y0 : y1 + 1, x0 : x1 + 1].any(), (index, picture.tag)
