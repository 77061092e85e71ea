"""The stepper widget without a browser: set its controls from Python, check its state, text and picture.

Expected sums come from SciPy (tests/reference.py), never from the project's own output.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import traitlets
from reference import correlate_scipy
from widget_frames import decode, sent_frames, shown_frame

import visualizer as vz
from visualizer.images import photo_crop
from visualizer.widget import Stepper, interact

IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]])
KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def number(value: float) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:.3g}"
    return text.replace("-", "−")  # a true minus sign, as in handwriting


def status_sum(stepper: Stepper) -> str:
    return re.fullmatch(r"step \d+/\d+ · sum (.+)", stepper.status.value).group(1)


def expected_statuses(image, kernel, **params) -> list[str]:
    sums = correlate_scipy(image, kernel, **params)
    flat = sums.reshape(-1)
    return [f"step {k + 1}/{flat.size} · sum {number(v)}" for k, v in enumerate(flat)]


def walk(stepper: Stepper) -> list[str]:
    """The status at every step, reached by setting ``step`` as the browser does."""
    seen = []
    for value in range(stepper.num_steps):
        stepper.step = value
        seen.append(stepper.status.value)
    return seen


@pytest.fixture
def stepper() -> Stepper:
    return Stepper(vz.Convolution(IMAGE, KERNEL))


def test_every_step_shows_the_reference_sum(stepper):
    assert stepper.num_steps == 6 and stepper.step == 0
    assert walk(stepper) == expected_statuses(IMAGE, KERNEL)


def test_the_frames_go_over_once_and_are_the_renderers(stepper):
    frames = sent_frames(stepper)
    assert len(frames) == 6 == len(stepper._player["captions"])
    for index, frame in enumerate(frames):
        np.testing.assert_array_equal(
            frame, np.asarray(vz.render_frame(stepper.conv, index, max_size=stepper.max_size).convert("RGB"))
        )
    sheets = stepper._sheets
    stepper.step = 3  # a step is the browser's business: nothing is sent again
    assert stepper._sheets is sheets
    assert stepper._player["row"] == 3  # PageUp/PageDown: one output row of 3 cells


def test_a_change_sends_the_step_shown_first_then_every_step(stepper):
    stepper.step = 4
    sent = []
    stepper.observe(lambda change: sent.append((change.new, stepper._sheets)), "_player")
    stepper.padding.value = 1
    payloads = [(data, buffer) for data, buffer in sent if data]
    assert [data.get("pending", False) for data, _ in payloads] == [True, False]
    (first, first_buffer), (whole, whole_buffer) = payloads
    padded = vz.Convolution(IMAGE, KERNEL, padding=1)
    assert first["captions"] == whole["captions"] and len(whole["captions"]) == padded.num_steps
    expected = [
        np.asarray(vz.render_frame(padded, k, max_size=stepper.max_size).convert("RGB"))
        for k in range(padded.num_steps)
    ]
    # until the rest arrive, the player holds the step shown alone: its frame sits in its place
    assert [bool(patches) for patches in first["patches"]] == [k == 4 for k in range(padded.num_steps)]
    np.testing.assert_array_equal(decode(first, first_buffer)[4], expected[4])
    for frame, drawn in zip(decode(whole, whole_buffer), expected, strict=True):
        np.testing.assert_array_equal(frame, drawn)
    assert stepper.step == 4


def test_step_is_checked(stepper):
    with pytest.raises(traitlets.TraitError, match="step must be in 0…5"):
        stepper.step = 6
    assert stepper.step == 0


def test_the_notebook_shows_the_player_inside_its_controls(stepper):
    view = stepper._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == stepper.box.model_id != stepper.model_id
    assert stepper in stepper.box.children[0].children


def test_text_beside_the_picture(stepper):
    stepper.step = 4  # output [1, 1], window at row 1, column 1
    text = stepper.explanation.value
    window = IMAGE[1:4, 1:4]
    assert "output [1, 1]" in text and "row 1, column 1" in text
    total = int((window * KERNEL).sum())
    assert f"= {total}</code>" in text
    for w, x in zip(KERNEL.ravel(), window.ravel(), strict=True):
        assert f"{w}×{x}<br><b>{w * x}</b>" in text
    assert "rows = ⌊(4 + 0 − 3) / 1⌋ + 1 = 2" in text and "cols = ⌊(5 + 0 − 3) / 1⌋ + 1 = 3" in text


def test_stride_rebuilds_and_keeps_the_step_in_range(stepper):
    stepper.step = 5
    stepper.stride.value = 2
    assert stepper.num_steps == 2 and stepper.step == 1
    assert walk(stepper) == expected_statuses(IMAGE, KERNEL, stride=2)


@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
def test_padding_and_pad_mode(stepper, pad_mode):
    stepper.padding.value = "same"
    stepper.pad_mode.value = pad_mode
    assert walk(stepper) == expected_statuses(IMAGE, KERNEL, padding="same", pad_mode=pad_mode)


def test_full_padding_and_dilation(stepper):
    stepper.padding.value = "full"
    stepper.dilation.value = 2
    assert walk(stepper) == expected_statuses(IMAGE, KERNEL, padding="full", dilation=2)


def test_kernel_preset_and_edited_weights(stepper):
    assert stepper.kernel_name.value == "custom" and len(stepper.weights) == 9
    stepper.kernel_name.value = "sobel_x"
    assert [box.value for box in stepper.weights] == [-1, 0, 1, -2, 0, 2, -1, 0, 1]
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert walk(stepper) == expected_statuses(IMAGE, sobel)
    stepper.weights[4].value = 3  # the centre weight
    sobel[1, 1] = 3
    assert stepper.kernel_name.value == "custom"
    assert walk(stepper) == expected_statuses(IMAGE, sobel)
    stepper.weights[4].value = 0  # back to Sobel x: the dropdown recognises it
    assert stepper.kernel_name.value == "sobel_x"


def test_kernel_size(stepper):
    stepper.kernel_name.value = "box_blur"
    stepper.kernel_size.value = 2
    assert len(stepper.weights) == 4 and stepper.kernel_name.value == "box_blur"
    assert walk(stepper) == expected_statuses(IMAGE, np.full((2, 2), 0.25))
    stepper.kernel_name.value = "sharpen"
    stepper.kernel_size.value = 1  # a fixed kernel keeps its middle weight
    assert stepper.kernel_name.value == "custom" and [b.value for b in stepper.weights] == [5]


def test_input_values(stepper):
    assert stepper.rows.disabled and stepper.cols.disabled and stepper.seed.disabled
    stepper.values.value = "ramp"
    assert not stepper.rows.disabled and stepper.seed.disabled
    stepper.rows.value, stepper.cols.value = 3, 4
    ramp = np.arange(12).reshape(3, 4)
    assert np.array_equal(stepper.conv.image, ramp)
    assert walk(stepper) == expected_statuses(ramp, KERNEL)

    stepper.values.value = "random"
    assert not stepper.seed.disabled
    first = stepper.conv.image.copy()
    assert first.shape == (3, 4) and first.min() >= 0 and first.max() <= 9
    stepper.seed.value = 1
    assert not np.array_equal(stepper.conv.image, first)
    stepper.seed.value = 0
    assert np.array_equal(stepper.conv.image, first)  # the same seed, the same numbers

    stepper.values.value = "photo"
    crop = photo_crop((3, 4))
    assert np.array_equal(stepper.conv.image, crop)
    assert walk(stepper) == expected_statuses(crop, KERNEL)

    stepper.values.value = "as given"
    assert np.array_equal(stepper.conv.image, IMAGE) and stepper.rows.disabled


def test_clamping_shows_raw_and_clipped_values():
    image = (IMAGE * 60).astype(np.uint8)
    stepper = interact(image, vz.KERNELS["odd"], clip="auto")
    raw = correlate_scipy(image, vz.KERNELS["odd"]).reshape(-1)
    assert stepper.status.value == f"step 1/6 · sum {number(raw[0])} → 255"
    assert "clamped to 0…255: 255 (clipped)" in stepper.explanation.value
    stepper.clip.value = "none"
    assert stepper.status.value == f"step 1/6 · sum {number(raw[0])}"


def test_look_changes_the_picture_not_the_step(stepper):
    stepper.step = 2
    before, status = shown_frame(stepper), stepper.status.value
    stepper.numbers.value = False
    without_numbers = shown_frame(stepper)
    assert not np.array_equal(without_numbers, before)
    stepper.theme.value = "dark"
    assert not np.array_equal(shown_frame(stepper), without_numbers)
    assert stepper.status.value == status and stepper.step == 2


def test_impossible_combination_keeps_the_last_good_picture(stepper):
    stepper.step = 1
    stepper.kernel_name.value = "gaussian_blur"
    picture, status = stepper._sheets, stepper.status.value
    assert stepper.message.layout.display == "none"
    stepper.kernel_size.value = 5  # a 5×5 kernel on a 4-row input, unpadded
    assert stepper.message.layout.display != "none"
    assert "kernel" in stepper.message.value and "Traceback" not in stepper.message.value
    assert stepper._sheets is picture and stepper.status.value == status
    stepper.padding.value = "same"  # padding makes room: the message goes, the picture follows
    assert stepper.message.layout.display == "none"
    assert stepper._sheets != picture and stepper.conv.kernel.shape == (5, 5)
    assert walk(stepper) == expected_statuses(IMAGE, vz.kernel("gaussian_blur", 5), padding="same")


def test_colour_image_with_a_kernel_per_channel():
    image = np.stack([IMAGE, IMAGE[::-1], IMAGE * 2], axis=-1)
    stack = np.stack([KERNEL, KERNEL.T, np.ones((3, 3), int)], axis=-1)
    stepper = Stepper(vz.Convolution(image, stack))
    assert len(stepper.weights) == 27 and stepper.kernel_name.value == "custom"
    sums = correlate_scipy(image, stack).reshape(-1, 3)
    stepper.step = 3
    assert status_sum(stepper) == "(" + ", ".join(number(v) for v in sums[3]) + ")"
    for c, name in enumerate(("red", "green", "blue")):
        assert f"<b>{name}</b>" in stepper.explanation.value
        assert f"= {number(sums[3, c])}</code>" in stepper.explanation.value
    stepper.weights[9 + 4].value = 5  # green's centre weight
    stack[1, 1, 1] = 5
    assert status_sum(stepper) == "(" + ", ".join(number(v) for v in correlate_scipy(image, stack)[1, 0]) + ")"


def test_speed_is_the_players_starting_speed():
    assert Stepper(vz.Convolution(IMAGE, KERNEL), fps=5)._player["fps"] == 5


def test_bad_arguments():
    with pytest.raises(TypeError, match="op must be a visualizer Convolution, TransposedConvolution"):
        Stepper(IMAGE)
    with pytest.raises(ValueError, match="theme must be one of"):
        Stepper(vz.Convolution(IMAGE, KERNEL), theme="neon")
    with pytest.raises(ValueError, match="fps"):
        Stepper(vz.Convolution(IMAGE, KERNEL), fps=0)
    with pytest.raises(ValueError, match="kernel"):
        interact(IMAGE, np.ones((5, 5)))


def test_lazy_names():
    assert vz.Stepper is Stepper and vz.interact is interact
