"""Options that must change what `convviz steps` prints and what `convviz animate` draws."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import signal

from visualizer import Convolution, render_frame
from visualizer.cli import main

RAMP = np.arange(20).reshape(4, 5)
KERNEL = np.array([[1, 2], [0, -1]])  # flipped, it is another kernel: convolution and correlation differ
KERNEL_TEXT = "1,2;0,-1"


def printed_output(out: str) -> np.ndarray:
    """The grid printed under "output:"."""
    block = out.split("\noutput:\n", 1)[1].strip()
    return np.array([[float(x.replace("−", "-")) for x in line.split()] for line in block.splitlines()])


def test_flip_kernel_prints_the_true_convolution(capsys):
    args = ["steps", "--input", "4x5", "--values", "ramp", "--kernel-values", KERNEL_TEXT]
    assert main(args) == 0
    correlation = printed_output(capsys.readouterr().out)
    assert main([*args, "--flip-kernel"]) == 0
    convolution = printed_output(capsys.readouterr().out)
    np.testing.assert_array_equal(correlation, signal.correlate2d(RAMP, KERNEL, mode="valid"))
    np.testing.assert_array_equal(convolution, signal.convolve2d(RAMP, KERNEL, mode="valid"))
    assert not np.array_equal(correlation, convolution)


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


def test_no_numbers_reaches_every_frame(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["animate", "--input", "4x5", "--values", "ramp", "--kernel-values", KERNEL_TEXT, "--stride", "2", "--quiet"]
    assert main([*args, "-o", "plain.gif", "--no-numbers"]) == 0
    assert main([*args, "-o", "numbers.gif"]) == 0
    conv = Convolution(RAMP, KERNEL, stride=2)
    plain, numbers = gif_frames(tmp_path / "plain.gif"), gif_frames(tmp_path / "numbers.gif")
    assert len(plain) == len(numbers) == conv.num_steps == 4
    for k in range(conv.num_steps):
        np.testing.assert_array_equal(plain[k], np.asarray(render_frame(conv, k, numbers=False).convert("RGB")))
        np.testing.assert_array_equal(numbers[k], np.asarray(render_frame(conv, k).convert("RGB")))
        assert not np.array_equal(plain[k], numbers[k])
