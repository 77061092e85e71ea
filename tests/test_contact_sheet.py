"""The contact sheet (`save_animation` to .png): each frame labelled with its step, counted from 1 as in the player."""

from __future__ import annotations

import numpy as np
from PIL import Image

from visualizer import Convolution, render_frame, save_animation
from visualizer.render.sheet import contact_sheet


def test_frames_are_labelled_step_1_onwards_with_their_output_cell(tmp_path):
    conv = Convolution(np.arange(20).reshape(4, 5), np.array([[1, 0], [0, 2]]), stride=(2, 1))  # output 2×4
    path = save_animation(conv, tmp_path / "sheet.png", progress=False)
    labels = ["step 1: out[0, 0]", "step 2: out[0, 1]", "step 3: out[0, 2]", "step 4: out[0, 3]",
              "step 5: out[1, 0]", "step 6: out[1, 1]", "step 7: out[1, 2]", "step 8: out[1, 3]"]  # fmt: skip
    frames = [np.asarray(render_frame(conv, k).convert("RGB")) for k in range(conv.num_steps)]
    expected = contact_sheet(list(zip(labels, frames, strict=True)), columns=4)  # laid out like the output
    with Image.open(path) as sheet:
        np.testing.assert_array_equal(np.asarray(sheet.convert("RGB")), np.asarray(expected))
