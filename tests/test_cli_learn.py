"""``convviz learn``: the animation is written, the kernel learned is the target's, bad flags end in one line.

The targets are typed out here from their textbook definitions, never read from
``visualizer.KERNELS``; the learned kernel is read from what the command prints.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from visualizer.cli import main

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
GAUSSIAN_3X3 = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def learned(capsys, *argv: str) -> tuple[np.ndarray, np.ndarray, str]:
    """Run ``convviz learn ARGV``; the learned and the target kernels it prints, and its first line."""
    assert main(["learn", "--quiet", *argv]) == 0
    out = capsys.readouterr().out
    blocks = {}
    for block in out.split("\n")[2:]:
        if block.endswith(":"):
            name, blocks[block[:-1]] = block[:-1], []
        elif block.strip():
            blocks[name].append([float(v) for v in block.split()])
    return np.array(blocks["learned"]), np.array(blocks["target"]), out.splitlines()[0]


def test_sobel_x_is_learned_and_the_gif_has_the_frames_asked_for(capsys, tmp_path):
    kernel, target, first = learned(capsys, "--kernel", "sobel_x", "--frames", "12", "-o", "learn.gif")
    assert first == "wrote learn.gif (12 frames)"
    np.testing.assert_array_equal(target, SOBEL_X)
    np.testing.assert_allclose(kernel, SOBEL_X, atol=1e-3)
    with Image.open(tmp_path / "learn.gif") as gif:
        assert gif.n_frames == 12


def test_rows_a_file_and_the_geometry_are_taken(capsys, tmp_path):
    kernel, _, _ = learned(capsys, "--kernel", "0,-1,0;-1,5,-1;0,-1,0", "--steps", "300", "-o", "s.html")
    np.testing.assert_allclose(kernel, SHARPEN, atol=1e-3)
    assert "after 300 of 300 updates" in (tmp_path / "s.html").read_text(encoding="utf-8")
    np.save(tmp_path / "g.npy", GAUSSIAN_3X3)
    argv = ["--kernel", "g.npy", "--stride", "2", "--padding", "same", "--dilation", "2", "--input", "16x16"]
    kernel, _, _ = learned(capsys, *argv, "--images", "6", "--frames", "3", "-o", "g.gif")
    np.testing.assert_allclose(kernel, GAUSSIAN_3X3, atol=1e-3)
    with Image.open(tmp_path / "g.gif") as gif:
        assert gif.n_frames == 3


def test_a_size_learns_random_weights_drawn_with_the_seed(capsys):
    runs = [
        learned(capsys, "--kernel", "2x2", "--seed", str(seed), "--steps", "300", "-o", "r.gif") for seed in (1, 1, 2)
    ]
    (kernel, target, _), again, other = runs
    assert target.shape == (2, 2) and set(target.ravel()) <= {0, 1, 2}
    np.testing.assert_array_equal(again[1], target)
    assert not np.array_equal(other[0], kernel)
    np.testing.assert_allclose(kernel, target, atol=1e-3)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--images", "0"], "--images must be a whole number >= 1"),
        (["--steps", "0"], "--steps must be a whole number >= 1"),
        (["--frames", "1"], "--frames must be a whole number >= 2"),
        (["--seed", "-1"], "--seed must be a whole number >= 0"),
        (["--learning-rate", "0"], "--learning-rate must be a number > 0"),
        (["--kernel", "3x3x3"], "one grey kernel"),
        (["--kernel", "sobelx"], "did you mean 'sobel_x'?"),
        (["--input", "6x6x3"], "--input needs 2 positive sizes"),
        (["--input", "2x2"], "kernel spans 3 pixels"),
        (["--padding", "middle"], "--padding"),
        (["--layout", "oblique"], "unrecognized argument '--layout'"),
        (["--steps", "many"], "--steps"),
    ],
)
def test_bad_flags_end_in_one_line(capsys, tmp_path, argv, words):
    assert main(["learn", *argv, "-o", "bad.gif"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("convviz: error: ") and err.count("\n") == 1, err
    assert words in err
    assert not (tmp_path / "bad.gif").exists()
