"""A long 1-D signal reads as a signal: input and output plots, the window's span, the magnifier.

The window's span and the current output sample come from the step's origin and
the kernel's length (written here); the sums are checked against NumPy's
``np.correlate`` and SciPy's ``correlate1d``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import correlate1d

import visualizer as vz
from visualizer.render.frame import FrameRenderer
from visualizer.scenes import scene_builder
from visualizer.scenes.fit import DEFAULT_MAX_SIZE
from visualizer.text import display_number

MAGENTA = (211, 54, 130)
ORANGE = (230, 97, 1)  # the output's line
RNG = np.random.default_rng(14)
KERNEL = np.array([1.0, 2.0, -1.0, 0.5, 1.0])
LONG = vz.Convolution(RNG.normal(size=2000), KERNEL, padding=2)
PADDED = np.pad(LONG.image, 2)
EXPECTED = np.correlate(PADDED, KERNEL, "valid")


def test_the_references_agree():
    np.testing.assert_allclose(EXPECTED, correlate1d(LONG.image, KERNEL, mode="constant", origin=0))
    np.testing.assert_allclose(EXPECTED, LONG.result())


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("length", [3, 40, 300, 2000, 20_000])
def test_every_signal_frame_fits_the_target(length, layout):
    op = vz.Convolution(RNG.normal(size=length), np.ones(5)[: min(5, length)] / 5)
    builder = scene_builder(op, layout=layout, max_size=DEFAULT_MAX_SIZE)
    assert builder.size[0] <= 1920 and builder.size[1] <= 1080
    plots = builder.magnifier is not None and builder.magnifier.plots
    assert plots == (length >= 40)  # short signals keep their numbered cells
    assert builder.scene(op.num_steps - 1).size == builder.size


def span_box(panel, c0: int, c1: int, width: int) -> tuple[int, int, int, int]:
    x0 = round(panel.x + c0 * panel.width / panel.cols)
    x1 = max(x0, round(panel.x + c1 * panel.width / panel.cols) - 1)
    return (x0 - width, round(panel.y) - width, x1 + width, round(panel.y + panel.height) - 1 + width)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 1, 777, 1500, LONG.num_steps - 1])
def test_the_span_the_sample_and_the_magnifier_are_the_steps(index, layout):
    builder = scene_builder(LONG, layout=layout, max_size=DEFAULT_MAX_SIZE)
    scene = builder.scene(index)
    panels = builder.magnifier.panels
    (span,) = scene.find("footprint", "input")
    assert span.box == span_box(panels["input"], index, index + 5, span.outline_width)  # stride 1: origin = index
    (current,) = scene.find("current", "output")
    assert current.box == span_box(panels["output"], index, index + 1, current.outline_width)
    (dot,) = scene.find("sample", "output")
    out = panels["output"]
    y = out.y + out.height * (out.high - EXPECTED[index]) / (out.high - out.low)
    assert abs((dot.box[1] + dot.box[3]) / 2 - y) <= 1
    for k in range(5):
        assert scene.text_at("products", 0, "window", 0, k) == display_number(PADDED[index + k])
        assert scene.text_at("products", 0, "cell", 0, k) == display_number(PADDED[index + k] * KERNEL[k])
    assert scene.text_at("products", 0, "sum") == f"Σ = {display_number(EXPECTED[index])}"
    (line,) = scene.find("magnifier-line")
    assert line.points[0] in {(span.box[0], span.box[3]), (span.box[2], span.box[3])}


def test_the_output_line_grows_with_the_steps_and_the_rings_are_drawn():
    renderer = FrameRenderer(LONG)
    builder = renderer.builder
    index = 1000
    frame = np.asarray(renderer.frame_rgb(index))
    scene = builder.scene(index)
    (span,) = scene.find("footprint", "input")
    assert tuple(frame[span.box[1], span.box[0]]) == MAGENTA
    out = builder.magnifier.panels["output"]
    (trace,) = scene.find("trace", "output")
    assert len(trace.points) >= 2 and max(x for x, _ in trace.points) <= out.x_of(index) + 1
    x0, x1 = round(out.x), round(out.x + out.width)
    middle = round(out.x_of(index))
    band = frame[round(out.y) : round(out.y + out.height), :]
    orange = (band == ORANGE).all(axis=2).any(axis=0)
    assert orange[x0 : middle - 4].mean() > 0.9  # the line so far, every column
    assert not orange[middle + 6 : x1].any()  # nothing yet where no step has been


def test_a_long_signal_saves_as_vector(tmp_path):
    op = vz.Convolution(RNG.normal(size=5000), np.ones(7) / 7)
    text = vz.save_frame(op, 100, tmp_path / "signal.svg", max_size=DEFAULT_MAX_SIZE).read_text()
    assert text.count("<polyline") >= 3  # the input's line, the window's samples, the output's line so far


def test_a_wide_kernel_stacks_the_magnifier_and_keeps_its_numbers():
    signal = np.sin(np.arange(20_000) / 300) + RNG.normal(size=20_000) * 0.1
    kernel = np.ones(9) / 9
    op = vz.Convolution(signal, kernel, padding=4)
    builder = scene_builder(op, max_size=DEFAULT_MAX_SIZE)
    assert builder.products is not None and builder.products.stacked  # a row of three 9-wide grids is too wide
    assert builder.size[0] <= 1920 and builder.size[1] <= 1080
    expected = np.correlate(np.pad(signal, 4), kernel, "valid")
    for index in (0, 12_000, 19_999):
        scene = builder.scene(index)
        assert scene.text_at("products", 0, "sum") == f"Σ = {display_number(expected[index])}"
        window = builder.products.window_grid(0)
        (line,) = scene.find("magnifier-line")
        assert line.points[1] == (window.x + window.size[0] / 2, window.y)


def test_the_window_line_follows_a_dilated_kernel():
    op = vz.Convolution(RNG.normal(size=400), np.ones(3), dilation=4)
    builder = scene_builder(op, max_size=DEFAULT_MAX_SIZE)
    panel = builder.magnifier.panels["input"]
    assert panel.px >= 1
    (line,) = builder.scene(50).find("window", "input")
    np.testing.assert_allclose([x for x, _ in line.points], [panel.x + (50 + 4 * k + 0.5) * panel.px for k in range(3)])
    np.testing.assert_allclose(
        [y for _, y in line.points], [panel.y_of(op.image[50 + 4 * k]) for k in range(3)], rtol=0, atol=1e-9
    )


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_a_long_transposed_signal_in_the_direct_view_is_plotted(layout):
    x = RNG.normal(size=3000)
    kernel = np.array([1.0, 0.5, 0.25])
    op = vz.TransposedConvolution(x, kernel, stride=2, padding=1, view="direct")
    builder = scene_builder(op, layout=layout, max_size=DEFAULT_MAX_SIZE)
    assert builder.magnifier.plots and builder.size[0] <= 1920 and builder.size[1] <= 1080
    stretched = np.zeros(2 * len(x) - 1)
    stretched[::2] = x
    expected = np.convolve(stretched, kernel)[1:-1]  # cropped by the padding
    for index in (0, 1999, len(expected) - 1):
        scene = builder.scene(index)
        assert scene.text_at("products", 0, "sum") == f"Σ = {display_number(expected[index])}"
        (current,) = scene.find("current", "output")
        assert current.box == span_box(builder.magnifier.panels["output"], index, index + 1, current.outline_width)
