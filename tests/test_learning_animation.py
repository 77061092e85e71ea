"""The learning of a kernel as frames: weights, loss and outputs read back, held to SciPy; its exports.

The targets are images filtered by Sobel x typed out here and correlated by SciPy;
each frame's loss and output are recomputed with SciPy from the kernel the frame
shows, and the last frame must show Sobel x itself.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from layer_cases import number
from PIL import Image
from scipy import signal

import visualizer as vz
from visualizer.learn import KernelHistory, learn_kernel
from visualizer.learning_animation import KernelLearning, animate_learning
from visualizer.render.frame import FrameRenderer
from visualizer.scenes import scene_builder

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
IMAGES = np.random.default_rng(5).standard_normal((4, 9, 9))
TARGETS = np.stack([signal.correlate2d(image, SOBEL_X, mode="valid") for image in IMAGES])


@pytest.fixture(scope="module")
def learning() -> KernelLearning:
    history = learn_kernel(IMAGES, TARGETS, steps=150)
    return KernelLearning(history, IMAGES[0], TARGETS[0], SOBEL_X, frames=12)


def test_frames_are_spread_over_the_learning_densest_at_the_start(learning) -> None:
    its = learning.iterations
    assert len(its) == learning.num_steps == 12 and its[0] == 0 and its[-1] == 150
    assert all(b > a for a, b in zip(its, its[1:], strict=False))
    gaps = np.diff(its)
    assert gaps[0] <= gaps[-1]
    assert KernelLearning(learning.history, IMAGES[0], TARGETS[0], frames=[0, 5, 150]).iterations == [0, 5, 150]
    assert KernelLearning(learning.history, IMAGES[0], TARGETS[0], frames=500).iterations == list(range(151))


def test_every_frame_reads_back_its_kernel_loss_and_output(learning) -> None:
    builder = scene_builder(learning)
    levels = {colour: k for k, colour in enumerate(builder.ramp)}
    zero = len(builder.ramp) // 2
    for index, t in enumerate(learning.iterations):
        scene = builder.scene(index)
        kernel = learning.history.kernels[t]
        for u, v in np.ndindex(3, 3):
            assert scene.text_at("weight", "kernel", u, v) == number(np.round(kernel[u, v], 3) + 0.0)
            assert scene.text_at("weight", "target", u, v) == number(SOBEL_X[u, v])
        # the loss of this kernel over every example, and its output on the first, by SciPy
        outputs = np.stack([signal.correlate2d(image, kernel, mode="valid") for image in IMAGES])
        assert scene.text_at("loss") == "loss " + f"{np.mean((outputs - TARGETS) ** 2):.3g}".replace("-", "−")
        assert scene.text_at("status") == f"after {t} of 150 updates: " + scene.text_at("loss")
        cells = {item.tag[2:]: levels[item.fill] for item in scene.find("cell", "output")}
        ordered = sorted(np.ndindex(*outputs[0].shape), key=lambda ij: outputs[0][ij])
        shades = [cells[ij] for ij in ordered]
        assert shades == sorted(shades), index  # a larger value is never drawn in a bluer shade
        for ij in ordered:  # and a clearly positive one is red, a clearly negative one blue
            value = outputs[0][ij] / builder.output_scale * 7
            assert (cells[ij] > zero) == (value > 0.5) or abs(value) <= 0.5
    last = builder.scene(-1)
    assert [[last.text_at("weight", "kernel", u, v) for v in range(3)] for u in range(3)] == [
        [number(w) for w in row] for row in SOBEL_X
    ]


def test_the_loss_curve_grows_step_by_step(learning) -> None:
    builder = scene_builder(learning)
    x0, _, x1, _ = builder.chart
    ends = []
    for index, t in enumerate(learning.iterations):
        curve = builder.scene(index).find("curve", "so far")[0]
        assert curve.points[-1][0] == pytest.approx(x0 + (x1 - x0) * t / 150)
        ends.append(curve.points[-1][1])
    assert ends == sorted(ends)  # the loss only falls: its point only goes down the chart


def test_kernel_cells_are_red_above_zero_and_blue_below(learning) -> None:
    renderer = FrameRenderer(learning)
    frame = renderer.frame(-1).convert("RGB")
    for (u, v), weight in np.ndenumerate(SOBEL_X):
        x0, y0, _, _ = renderer.cell_box("kernel", u, v)
        r, g, b = frame.getpixel((x0 + 2, y0 + 2))
        if weight > 0:
            assert r > b, (u, v)
        elif weight < 0:
            assert b > r, (u, v)
        else:
            assert (r, g, b) == (255, 255, 255), (u, v)


def test_animate_learning_writes_gif_html_and_pdf(tmp_path, learning) -> None:
    history, count = learning.history, learning.num_steps
    gif = animate_learning(history, IMAGES[0], TARGETS[0], tmp_path / "learn.gif", target_kernel=SOBEL_X, frames=count)
    with Image.open(gif) as image:
        assert image.n_frames == count
    page = animate_learning(history, IMAGES[0], TARGETS[0], tmp_path / "learn.html", frames=count, progress=False)
    text = page.read_text(encoding="utf-8")
    assert "http" not in text.lower() and all(f"after {t} of 150 updates" in text for t in learning.iterations)
    pdf = vz.save_animation(learning, tmp_path / "learn.pdf", progress=False)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == count


def test_bad_input(learning) -> None:
    history = learning.history
    with pytest.raises(TypeError, match="history must be a KernelHistory"):
        KernelLearning(history.kernels, IMAGES[0], TARGETS[0])
    with pytest.raises(ValueError, match=r"target must be the image's output, shape \(7, 7\)"):
        KernelLearning(history, IMAGES[0], TARGETS[0][:6])
    with pytest.raises(ValueError, match="image must be one grey"):
        KernelLearning(history, np.zeros((9, 9, 3)), TARGETS[0])
    with pytest.raises(ValueError, match=r"target_kernel must have the kernels' shape \(3, 3\)"):
        KernelLearning(history, IMAGES[0], TARGETS[0], np.ones((2, 2)))
    with pytest.raises(ValueError, match="frames must be increasing update numbers in 0…150"):
        KernelLearning(history, IMAGES[0], TARGETS[0], frames=[0, 200])
    with pytest.raises(ValueError, match="frames must be at least 2"):
        KernelLearning(history, IMAGES[0], TARGETS[0], frames=1)
    with pytest.raises(TypeError, match="frames must be an int or a sequence"):
        KernelLearning(history, IMAGES[0], TARGETS[0], frames="all")
    with pytest.raises(IndexError, match="step index"):
        learning.step(12)
    empty = KernelHistory(np.zeros((2, 1, 1)), np.array([1.0, 1.0]), 0.1)
    assert KernelLearning(empty, [[1.0]], [[0.0]]).iterations == [0, 1]
