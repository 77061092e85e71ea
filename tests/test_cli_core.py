"""`convviz steps` and `convviz info`: what they print, and one clear line for bad arguments."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from reference import correlate_scipy, pad_image, pair, reference_output_shape, reference_pads

from visualizer.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def grid_after(out: str, heading: str) -> np.ndarray:
    """The numbers printed under ``heading`` up to the next blank line."""
    block = out.split(f"\n{heading}\n", 1)[1].split("\n\n", 1)[0]
    return np.array([[float(x) for x in line.split()] for line in block.strip().splitlines()])


def test_info_lesson_stride_2(capsys):
    status, out, err = run(capsys, "info", "--input", "4x5", "--stride", "2")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert "output 1×2" in lines[0]
    assert "output shape: 1×2 (2 steps)" in lines
    assert "pads: top 0, bottom 0, left 0, right 0" in lines
    assert "rows = ⌊(4 + 0 − 3) / 2⌋ + 1 = 1" in lines
    assert "cols = ⌊(5 + 0 − 3) / 2⌋ + 1 = 2" in lines


def test_info_same_padding_even_kernel(capsys):
    status, out, _ = run(capsys, "info", "--input", "5x6", "--kernel", "2x4", "--padding", "same")
    assert status == 0
    # TensorFlow's rule: rows pad 1 in total (after), cols pad 3 (1 before, 2 after)
    assert "pads: top 0, bottom 1, left 1, right 2" in out.splitlines()
    assert "output shape: 5×6 (30 steps)" in out.splitlines()


def test_info_dilation_and_stride_pairs(capsys):
    status, out, _ = run(capsys, "info", "--input", "9x9", "--stride", "2x1", "--dilation", "1x2", "--padding", "1x0")
    assert status == 0
    # rows: ⌊(9 + 2 − 3) / 2⌋ + 1 = 5; cols: ⌊(9 + 0 − 2·2 − 1) / 1⌋ + 1 = 5
    assert "output shape: 5×5 (25 steps)" in out.splitlines()
    assert "pads: top 1, bottom 1, left 0, right 0" in out.splitlines()


def test_steps_prints_every_sum_with_clamping(capsys):
    status, out, err = run(
        capsys, "steps", "--input", "3x3", "--kernel", "2x2", "--values", "ramp", "--kernel-values", "1,0;0,1",
        "--clip", "0,5",
    )  # fmt: skip
    assert status == 0 and err == ""
    step_lines = [line for line in out.splitlines() if line.startswith("step")]
    assert len(step_lines) == 4
    # ramp 0…8 with a diagonal kernel, by hand: 0+4, 1+5, 3+7, 4+8; clamped to 5
    assert step_lines[0].endswith("1×0 + 0×1 + 0×3 + 1×4 = 4")
    assert step_lines[1].endswith("1×1 + 0×2 + 0×4 + 1×5 = 6 → 5")
    assert "out[1, 1], window at (1, 1)" in step_lines[3]
    np.testing.assert_array_equal(grid_after(out, "input:"), np.arange(9).reshape(3, 3))
    np.testing.assert_array_equal(grid_after(out, "kernel:"), [[1, 0], [0, 1]])
    np.testing.assert_array_equal(grid_after(out, "output:"), [[4, 5], [5, 5]])


def test_steps_shows_the_padded_input(capsys):
    status, out, _ = run(capsys, "steps", "--input", "2x3", "--values", "ramp", "--padding", "1", "--pad-mode", "edge",
                         "--kernel-values", "identity")  # fmt: skip
    assert status == 0
    # replicate ("edge"): the edge copied outward
    np.testing.assert_array_equal(
        grid_after(out, "input (padded):"),
        [[0, 0, 1, 2, 2], [0, 0, 1, 2, 2], [3, 3, 4, 5, 5], [3, 3, 4, 5, 5]],
    )
    np.testing.assert_array_equal(grid_after(out, "output:"), np.arange(6).reshape(2, 3))


def test_steps_from_files_matches_scipy(capsys, tmp_path):
    rng = np.random.default_rng(4)
    image, kernel = rng.integers(0, 20, (6, 5)), rng.integers(-2, 3, (3, 2))
    np.save(tmp_path / "image.npy", image)
    np.savetxt(tmp_path / "kernel.csv", kernel, delimiter=",", fmt="%d")
    status, out, _ = run(
        capsys, "steps", "--values", str(tmp_path / "image.npy"), "--kernel-values", str(tmp_path / "kernel.csv"),
        "--padding", "same", "--pad-mode", "reflect", "--stride", "2",
    )  # fmt: skip
    assert status == 0
    expected = correlate_scipy(image, kernel, 2, "same", "reflect")
    np.testing.assert_array_equal(grid_after(out, "output:"), expected)
    assert sum(line.startswith("step") for line in out.splitlines()) == expected.size


STEP_LINE = re.compile(
    r"step +(\d+) of (?:\d+): out\[(\d+), (\d+)\], window at \((\d+), (\d+)\)"
    r"(?: channel (\d+):)?  (.+) = (−?\d+)(?: → −?\d+)?"
)


def parse_sum(text: str) -> tuple[list[int], list[int]]:
    """``1×2 − 3×(−4) + …`` as (weights, pixels), signs read back onto the weights."""
    weights, pixels = [], []
    for term in text.replace(" + ", "|+").replace(" − ", "|−").split("|"):
        weight, pixel = term.lstrip("+").split("×")
        weights.append(int(weight.replace("−", "-")))
        pixels.append(int(pixel.strip("()").replace("−", "-")))
    return weights, pixels


# Non-square inputs, kernels, strides and pads: a step that swapped rows and columns anywhere
# (index, window position, the pixels read) would print something else.
NON_SQUARE = [
    pytest.param((3, 5), (2, 3), {"stride": (1, 2)}, id="3x5-k2x3-s1x2"),
    pytest.param((4, 6), (2, 3), {"stride": (1, 2), "padding": (1, 2), "pad_mode": "reflect"}, id="4x6-k2x3-s1x2-p1x2"),
    pytest.param((4, 6), (3, 2), {"stride": (2, 1), "padding": "same", "pad_mode": "replicate", "dilation": (1, 2)},
                 id="4x6-k3x2-s2x1-same-d1x2"),
    pytest.param((3, 5, 2), (2, 3, 2), {"stride": (1, 2), "padding": (0, 1)}, id="colour-3x5-k2x3x2-s1x2-p0x1"),
]  # fmt: skip


def command_line(params: dict) -> list[str]:
    """``{"pad_mode": "reflect", "stride": (1, 2)}`` as ``--pad-mode reflect --stride 1x2``."""
    argv = []
    for name, value in params.items():
        argv += [f"--{name.replace('_', '-')}", value if isinstance(value, str) else "{}x{}".format(*value)]
    return argv


@pytest.mark.parametrize(("shape", "kernel_shape", "params"), NON_SQUARE)
def test_steps_non_square_every_line_against_scipy(capsys, tmp_path, shape, kernel_shape, params):
    rng = np.random.default_rng(9)
    image, kernel = rng.integers(-9, 10, shape), rng.integers(-3, 4, kernel_shape)
    np.save(tmp_path / "image.npy", image)
    np.save(tmp_path / "kernel.npy", kernel)
    files = ["--values", str(tmp_path / "image.npy"), "--kernel-values", str(tmp_path / "kernel.npy")]
    status, out, err = run(capsys, "steps", *files, *command_line(params))
    assert status == 0 and err == ""

    # the reference: SciPy's padding (map_coordinates) and sums, counted window positions
    geometry = {name: value for name, value in params.items() if name != "pad_mode"}
    stride, dilation = pair(params.get("stride", 1)), pair(params.get("dilation", 1))
    padded = pad_image(image, reference_pads(shape, kernel_shape, **geometry), params.get("pad_mode", "zeros"))
    expected = correlate_scipy(image, kernel, **params)
    rows, cols = reference_output_shape(shape, kernel_shape, **geometry)
    assert expected.shape[:2] == (rows, cols)
    channels = range(shape[2]) if len(shape) == 3 else [None]

    lines = [STEP_LINE.fullmatch(line) for line in out.splitlines() if line.startswith("step")]
    assert all(lines) and len(lines) == rows * cols * len(channels)
    for match, (k, c) in zip(lines, [(k, c) for k in range(rows * cols) for c in channels], strict=True):
        index, i, j, r, col, channel = (None if g is None else int(g) for g in match.groups()[:6])
        assert (index, channel) == (k + 1, c)  # people count steps from 1
        # row-major: the k-th step is output (k // cols, k % cols), its window's top-left at stride × that
        assert (i, j) == divmod(k, cols)
        assert (r, col) == (i * stride[0], j * stride[1])
        taps = padded[r : r + (kernel_shape[0] - 1) * dilation[0] + 1 : dilation[0],
                      col : col + (kernel_shape[1] - 1) * dilation[1] + 1 : dilation[1]]  # fmt: skip
        weights, pixels = parse_sum(match.group(7))
        plane, weight_plane = (taps, kernel) if c is None else (taps[..., c], kernel[..., c])
        assert weights == weight_plane.ravel().tolist()
        assert pixels == plane.ravel().tolist()
        total = int(match.group(8).replace("−", "-"))
        assert total == sum(w * x for w, x in zip(weights, pixels, strict=True))
        assert total == (expected[i, j] if c is None else expected[i, j, c])
    if len(shape) == 2:
        np.testing.assert_array_equal(grid_after(out, "output:"), expected)


def test_steps_colour_prints_each_channel(capsys):
    status, out, _ = run(capsys, "steps", "--input", "3x4x3", "--kernel", "2x2x3", "--values", "ramp")
    assert status == 0
    step_lines = [line for line in out.splitlines() if line.startswith("step")]
    assert len(step_lines) == 2 * 3 * 3  # 2×3 outputs, three channels each
    assert [re.search(r"channel (\d)", line).group(1) for line in step_lines[:3]] == ["0", "1", "2"]
    assert "channel 2:" in out.split("\noutput:\n", 1)[1]


def test_steps_named_kernel_and_auto_clip(capsys):
    status, out, _ = run(capsys, "steps", "--input", "4x4", "--kernel-values", "odd", "--clip", "auto",
                         "--values", "9,9,9,9;9,9,9,9;9,9,9,9;9,9,9,9")  # fmt: skip
    assert status == 0
    # the odd kernel's weights sum to 25: 9 × 25 = 225 stays below 255 — no clamping arrow
    np.testing.assert_array_equal(grid_after(out, "output:"), np.full((2, 2), 225))
    assert "→" not in out.split("\noutput:\n")[0].split("step 1 of 4")[1]


def test_random_values_follow_the_seed(capsys):
    first = run(capsys, "steps", "--seed", "3")[1]
    again = run(capsys, "steps", "--seed", "3")[1]
    other = run(capsys, "steps", "--seed", "4")[1]
    assert first == again != other


BAD_ARGUMENTS = [
    (["steps", "--stride", "0"], "stride"),
    (["steps", "--stride", "-2"], "stride"),
    (["steps", "--stride", "x"], "--stride"),
    (["steps", "--stride", "2x3x4"], "--stride"),
    (["steps", "--dilation", "0"], "dilation"),
    (["info", "--dilation", "1.5"], "--dilation"),
    (["steps", "--padding", "half"], "--padding"),
    (["steps", "--padding", "-1"], "--padding"),
    (["info", "--pad-mode", "symmetric"], "pad_mode"),
    (["steps", "--pad-value", "nan"], "pad_value"),
    (["steps", "--pad-value", "abc"], "--pad-value"),
    (["steps", "--input", "0x3"], "--input"),
    (["steps", "--input", "5x5x3x2"], "--input"),
    (["steps", "--input", "big"], "--input"),
    (["info", "--kernel", "9x9"], "kernel"),
    (["info", "--kernel", "3x3", "--dilation", "3"], "kernel"),
    (["steps", "--input", "5x5x3", "--kernel", "3x3x2"], "kernel"),
    (["steps", "--kernel", "3x3x3"], "kernel"),
    (["steps", "--kernel-values", "nope"], "--kernel-values"),
    (["steps", "--kernel-values", "sobel_x", "--kernel", "5x5"], "--kernel"),
    (["steps", "--values", "1,2;3"], "--values"),
    (["steps", "--values", "/no/such/file.npy"], "--values"),
    (["steps", "--clip", "1"], "--clip"),
    (["steps", "--clip", "5,1"], "clip"),
    (["steps", "--clip", "nan,1"], "clip"),
    (["steps", "--seed", "-1"], "--seed"),
    (["steps", "--seed", "x"], "--seed"),
    (["info", "--bogus"], "--bogus"),
    (["nonsense"], "nonsense"),
]


@pytest.mark.parametrize("argv, word", BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS])
def test_bad_argument_one_line_exit_2(capsys, argv, word):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("convviz: error: ")
    assert word in lines[0]
    assert "Traceback" not in err


def test_bad_file_contents(capsys, tmp_path):
    (tmp_path / "bad.csv").write_text("1,2\nthree,4\n")
    status, _, err = run(capsys, "steps", "--values", str(tmp_path / "bad.csv"))
    assert status == 2 and len(err.splitlines()) == 1 and "--values" in err
    np.save(tmp_path / "nan.npy", np.array([[1.0, np.nan], [2.0, 3.0]]))
    status, _, err = run(capsys, "steps", "--values", str(tmp_path / "nan.npy"), "--kernel", "2x2")
    assert status == 2 and len(err.splitlines()) == 1 and "finite" in err


def test_no_command_prints_help_and_fails(capsys):
    status, out, _ = run(capsys)
    assert status == 2 and "steps" in out and "info" in out


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as info:
        main(["steps", "--help"])
    assert info.value.code == 0
    assert "--pad-mode" in capsys.readouterr().out


def test_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "info", "--input", "5x5", "--padding", "same"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "output shape: 5×5 (25 steps)" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "visualizer", "steps", "--stride", "0"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1 and "stride" in bad.stderr and "Traceback" not in bad.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    # `convviz steps | head -1`: the pipe closes after one line; no traceback, no "error" line
    process = subprocess.Popen(
        [sys.executable, "-m", "visualizer", "steps", "--input", "60x60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout.readline().startswith("input 60×60")
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 141
    assert stderr == ""
