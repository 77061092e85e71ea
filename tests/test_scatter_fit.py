"""The scatter view of a transposed convolution fits ``max_size``: pictures, the patch outlined, a magnifier.

Where the outlined input value and patch must be comes from the input index,
stride, padding and dilation (written here); the magnifier's numbers are read
back from the scene and checked against an independent reference: SciPy's full
2-D convolution of the zero-stuffed input, cropped by the padding.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import convolve2d

import visualizer as vz
from visualizer.render.frame import FrameRenderer
from visualizer.scenes import scene_builder
from visualizer.scenes.fit import DEFAULT_MAX_SIZE
from visualizer.text import display_number

MAGENTA = (211, 54, 130)
RNG = np.random.default_rng(14)
STRIDE, PADDING = 2, 1
KERNEL = np.array([[1, 2, 1], [0, -1, 0], [2, 1, 3]])
BIG = vz.TransposedConvolution(RNG.integers(0, 9, (130, 200)), KERNEL, stride=STRIDE, padding=PADDING, view="scatter")


def scattered(image: np.ndarray, kernel: np.ndarray, count: int) -> np.ndarray:
    """The output once the first ``count`` input values (row-major) are in: SciPy's convolution of the input
    stretched with ``STRIDE − 1`` zeros, cropped by ``PADDING``."""
    values = image.astype(float).copy()
    values.reshape(-1)[count:] = 0
    rows, cols = ((n - 1) * STRIDE + 1 for n in image.shape)
    stretched = np.zeros((rows, cols))
    stretched[::STRIDE, ::STRIDE] = values
    full = convolve2d(stretched, kernel)
    return full[PADDING : full.shape[0] - PADDING, PADDING : full.shape[1] - PADDING]


def ring_box(panel, r0: int, c0: int, r1: int, c1: int, width: int) -> tuple[int, int, int, int]:
    x0, y0 = round(panel.x + c0 * panel.px), round(panel.y + r0 * panel.px)
    x1, y1 = round(panel.x + c1 * panel.px) - 1, round(panel.y + r1 * panel.px) - 1
    return (x0 - width, y0 - width, x1 + width, y1 + width)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("size", [(3, 3), (12, 20), (60, 60), (130, 200), (300, 300)])
def test_every_scatter_frame_fits_the_target(size, layout):
    op = vz.TransposedConvolution(RNG.integers(0, 9, size), np.ones((3, 3)), stride=2, view="scatter")
    builder = scene_builder(op, layout=layout, max_size=DEFAULT_MAX_SIZE)
    assert builder.size[0] <= 1920 and builder.size[1] <= 1080
    assert (builder.magnifier is not None) == (size[0] > 3)  # a 3×3 input keeps its numbered cells
    scene = builder.scene(op.num_steps // 2)
    assert scene.size == builder.size


def test_a_long_scatter_signal_fits_as_plots():
    op = vz.TransposedConvolution(RNG.normal(size=3000), np.array([1.0, 0.5, 0.25]), stride=2, view="scatter")
    renderer = FrameRenderer(op)
    assert renderer.builder.magnifier.plots and renderer.size[0] <= 1920 and renderer.size[1] <= 1080
    renderer.frame_rgb(1500)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 1, 4_321, 13_077, BIG.num_steps - 1])
def test_the_outlined_value_patch_and_magnifier_are_the_steps(index, layout):
    builder = scene_builder(BIG, layout=layout, max_size=DEFAULT_MAX_SIZE)
    assert builder.magnifier is not None
    scene = builder.scene(index)
    a, b = divmod(index, BIG.image.shape[1])
    x = BIG.image[a, b]
    (ring,) = scene.find("footprint", "input")
    assert ring.box == ring_box(builder.magnifier.panels["input"], a, b, a + 1, b + 1, ring.outline_width)
    # the patch: rows a·S − P + u, columns b·S − P + v, those inside the output
    rows = [r for r in range(a * STRIDE - PADDING, a * STRIDE - PADDING + 3) if 0 <= r < BIG.output_shape[0]]
    cols = [c for c in range(b * STRIDE - PADDING, b * STRIDE - PADDING + 3) if 0 <= c < BIG.output_shape[1]]
    (patch,) = scene.find("current", "output")
    panel = builder.magnifier.panels["output"]
    assert patch.box == ring_box(panel, rows[0], cols[0], rows[-1] + 1, cols[-1] + 1, patch.outline_width)
    # the magnifier: x × kernel = contributions → the outputs they update, against SciPy
    assert scene.text_at("products", 0, "window", 0, 0) == display_number(x)
    now = scattered(BIG.image, KERNEL, index + 1)
    for (u, v), weight in np.ndenumerate(KERNEL):
        assert scene.text_at("products", 0, "kernel", u, v) == display_number(weight)
        assert scene.text_at("products", 0, "cell", u, v) == display_number(x * weight)
        r, c = a * STRIDE - PADDING + u, b * STRIDE - PADDING + v
        if r in rows and c in cols:
            assert scene.text_at("products", 0, "output", u, v) == display_number(now[r, c])
        else:
            assert not scene.find("products", 0, "output", u, v)  # cut off by the padding
    assert scene.text_at("arithmetic", 0).startswith(f"in[{a}, {b}] = {display_number(x)}:")


def test_the_output_picture_builds_up_and_the_rings_are_drawn():
    renderer = FrameRenderer(BIG)
    builder = renderer.builder
    index = 9_000
    a, b = divmod(index, BIG.image.shape[1])
    frame = renderer.frame_rgb(index)
    scene = builder.scene(index)
    for tag in (("footprint", "input"), ("current", "output")):
        (ring,) = scene.find(*tag)
        assert frame.getpixel(ring.box[:2]) == MAGENTA
    panel = builder.magnifier.panels["output"]
    now = scattered(BIG.image, KERNEL, index + 1)
    final = scattered(BIG.image, KERNEL, BIG.image.size)
    pictures = builder.magnifier.pictures
    empty = tuple(int(v) for v in pictures.output_table[-1])

    def at(r, c):
        return frame.getpixel((int(panel.x + (c + 0.5) * panel.px), int(panel.y + (r + 0.5) * panel.px)))

    # a row the patches left behind shows its sums in the output's colours; rows no patch reached yet are empty
    done, ahead = a * STRIDE - PADDING - 4, a * STRIDE + 6
    expected = pictures.output_table[pictures.positions_of(now[done : done + 1, 10:11])[0][0, 0]]
    assert at(done, 10) == tuple(int(v) for v in expected)
    assert at(ahead, 10) == empty and at(ahead, panel.cols - 1) == empty
    assert not np.array_equal(now, final)  # the frame shows sums so far, not the result


def test_small_integer_pictures_span_black_to_white():
    builder = scene_builder(BIG, max_size=DEFAULT_MAX_SIZE)
    (pixels,) = builder.scene(0).find("pixels", "input")
    colours = pixels.rgb()
    assert tuple(colours[BIG.image == 0][0]) == (0, 0, 0)
    assert tuple(colours[BIG.image == 8][0]) == (255, 255, 255)
