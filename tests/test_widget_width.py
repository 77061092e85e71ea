"""The Stepper's frames fit the width its view measured (``width``), without a browser.

The browser half sets ``width``; here the test sets it, as the view would, and reads back
what was sent: the sheets' PNGs (as wide as a frame), the frames painted from them, and the
step. Expected frames come from the frame renderer asked for that size directly.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image
from widget_frames import sent_frames

import visualizer as vz
from visualizer.render.inline import mimebundle
from visualizer.scenes.fit import MIN_SIZE, NOTEBOOK_WIDTH, notebook_size
from visualizer.widget import Stepper

# 10×10 with a 3×3 kernel, padding 1: 1084×848 pixels at the theme's own size, so it shrinks in a notebook
WIDE = vz.Convolution(np.arange(100).reshape(10, 10) % 10, np.ones((3, 3), int), padding=1)


def sheet_widths(widget) -> list[int]:
    """The pixel widths of the PNG sprite sheets sent (each as wide as a frame)."""
    widths, offset = [], 0
    for size in widget._player["sheet_sizes"]:
        widths.append(Image.open(io.BytesIO(widget._sheets[offset : offset + size])).width)
        offset += size
    return widths


def expected(op, width: int, step: int) -> np.ndarray:
    return np.asarray(vz.render_frame(op, step, max_size=(width, 720)).convert("RGB"))


@pytest.fixture
def stepper():
    return Stepper(WIDE)


def test_before_the_view_measures_frames_fit_a_notebook_column(stepper):
    assert stepper.width == 0 and stepper.max_size == (NOTEBOOK_WIDTH, 720)
    assert stepper._player["width"] <= NOTEBOOK_WIDTH and max(sheet_widths(stepper)) <= NOTEBOOK_WIDTH


@pytest.mark.parametrize("width", [760, 900, 1100])
def test_a_width_draws_the_frames_again_within_it_keeping_the_step(stepper, width):
    stepper.step = 37
    stepper.width = width
    assert stepper.step == 37 and stepper.status.value.startswith("step 38/100")
    assert stepper._player["width"] <= width and stepper._player["height"] <= 720
    assert max(sheet_widths(stepper)) <= width
    np.testing.assert_array_equal(sent_frames(stepper)[37], expected(WIDE, width, 37))
    # numbers (in the cells, or in the magnifier once cells are pixels) at a size the theme calls readable
    theme = stepper._renderer.builder.theme
    assert theme.value_size >= theme.min_text


def test_a_wider_view_gets_wider_frames_as_high_as_a_notebook_shows(stepper):
    stepper.width = 800
    narrow = stepper._player["width"]
    stepper.width = 2000
    assert narrow < stepper._player["width"] == expected(WIDE, 2000, 0).shape[1]
    assert stepper._player["height"] <= 720 < vz.render_frame(WIDE, 0, max_size=None).height


def test_a_view_narrower_than_the_smallest_frame_gets_the_smallest(stepper):
    stepper.width = 500
    assert stepper.max_size == (MIN_SIZE[0], 720)
    assert stepper._player["width"] <= MIN_SIZE[0]
    np.testing.assert_array_equal(sent_frames(stepper)[0], expected(WIDE, MIN_SIZE[0], 0))


def test_a_width_that_changes_nothing_sends_nothing():
    small = Stepper(vz.Convolution(np.eye(4, dtype=int), np.ones((3, 3), int)))  # 600 pixels wide at most
    sheets = small._sheets
    small.width = 1500
    small.width = 780
    assert small._sheets is sheets


def test_later_changes_keep_the_measured_width(stepper):
    stepper.width = 780
    stepper.padding.value = 2  # 12×12 outputs: more cells into the same width
    assert stepper.num_steps == 144 and stepper._player["width"] <= 780
    stepper.ops.operation.value = "max pooling"
    assert stepper._player["width"] <= 780


def test_the_width_is_a_whole_number_of_pixels_not_negative(stepper):
    with pytest.raises(Exception, match="width"):
        stepper.width = -1


def test_inline_output_fits_a_notebook_column():
    data, _ = mimebundle(WIDE)
    still = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert still.size == vz.render_frame(WIDE, 0, max_size=notebook_size()).size
    assert still.width <= NOTEBOOK_WIDTH < vz.render_frame(WIDE, 0).width
