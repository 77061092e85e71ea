"""A Stepper on the lesson's 130×200 photo: 26,000 steps, sent a stretch at a time, every step reachable.

What was sent is painted back as the player paints it (tests/widget_frames.py) and compared with
the frame renderer's own frame of that step at the same size; the step's sum is checked against
SciPy's correlation of the padded photo.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from widget_frames import decode, sent_frames

import visualizer as vz
from visualizer.images import photo_values
from visualizer.widget import Stepper
from visualizer.widget_player import STRETCH

PHOTO = photo_values((130, 200))
SHARPEN = np.array(vz.KERNELS["sharpen"])


@pytest.fixture(scope="module")
def stepper():
    return Stepper(vz.Convolution(PHOTO, SHARPEN, padding=1))


def drawn(stepper, step: int) -> np.ndarray:
    return np.asarray(vz.render_frame(stepper.shown, step, max_size=stepper.max_size, shade="values").convert("RGB"))


def sum_at(step: int) -> float:
    """Output ``step`` (row by row) from SciPy: the sharpened photo, zeros around it."""
    out = ndimage.correlate(PHOTO.astype(np.int64), SHARPEN, mode="constant", cval=0)
    return out.ravel()[step]


def test_the_first_stretch_only_is_sent(stepper):
    data = stepper._player
    assert stepper.num_steps == 130 * 200 == data["steps"] and data["first"] == 0
    assert len(data["captions"]) == len(data["patches"]) == STRETCH
    frames = sent_frames(stepper)
    for k in (0, STRETCH - 1):
        np.testing.assert_array_equal(frames[k], drawn(stepper, k))


def test_a_step_beyond_the_stretch_sends_its_own_shown_first(stepper):
    sent = []
    stepper.observe(lambda change: sent.append((change.new, stepper._sheets)), "_player")
    target = 5 * STRETCH + 37
    stepper.step = target
    payloads = [(data, sheets) for data, sheets in sent if data]
    assert [data.get("pending", False) for data, _ in payloads] == [True, False]
    (first, first_sheets), (whole, whole_sheets) = payloads
    assert first["first"] == whole["first"] == 5 * STRETCH and stepper.step == target
    assert [k for k, patches in enumerate(first["patches"]) if patches] == [37]
    np.testing.assert_array_equal(decode(first, first_sheets)[37], drawn(stepper, target))
    frames = decode(whole, whole_sheets)
    for k in (0, 37, STRETCH - 1):
        np.testing.assert_array_equal(frames[k], drawn(stepper, 5 * STRETCH + k))
    assert stepper.status.value.startswith(f"step {target + 1}/26000 · sum ")
    assert stepper.conv.step(target).value == pytest.approx(sum_at(target))


def test_steps_inside_the_stretch_send_nothing_and_the_last_step_is_reachable(stepper):
    stepper.step = 5 * STRETCH
    sheets = stepper._sheets
    stepper.step = 5 * STRETCH + 60
    assert stepper._sheets is sheets
    stepper.step = 130 * 200 - 1
    assert stepper._player["first"] == 130 * 200 - STRETCH and len(stepper._player["captions"]) == STRETCH
    with pytest.raises(Exception, match="step must be in 0…25999"):
        stepper.step = 130 * 200


def test_a_parameter_change_keeps_the_step_in_the_new_stretches(stepper):
    stepper.step = 1234
    stepper.stride.value = 2  # 65×100 outputs: 6,500 steps
    assert stepper.num_steps == 6500 and stepper.step == 1234 and stepper._player["first"] == 1200
    np.testing.assert_array_equal(sent_frames(stepper)[34], drawn(stepper, 1234))
