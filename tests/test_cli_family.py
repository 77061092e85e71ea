"""``--op``: the transposed convolution, pooling and the layer from the command line.

- what each op computes through the CLI equals loops of our own and PyTorch on the same numbers;
- ``info`` prints the shape the references give;
- an unknown ``--op``, and an option the op has no use for, end in one line and exit 2.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference_family import conv_transpose_loops, conv_transpose_torch, pool_loops, pool_torch
from reference_layer import layer_scipy, layer_torch

import visualizer.cli as cli
from visualizer.cli import main

try:
    import torch  # noqa: F401
except ImportError:
    HAVE_TORCH = False
else:
    HAVE_TORCH = True

ROWS = "3,1,4,1;5,9,2,6;5,3,5,8;9,7,9,3"
IMAGE = np.array([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8], [9, 7, 9, 3]])
KERNEL = np.array([[1, -1], [2, 0]])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture()
def built(monkeypatch):
    """The operation each run builds, as the command computes with it."""
    seen: list = []
    build = cli.operation_from_args

    def record(args):
        seen.append(build(args))
        return seen[-1]

    monkeypatch.setattr(cli, "operation_from_args", record)
    return seen


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


TRANSPOSED = [
    dict(stride=1, padding=0, output_padding=0, dilation=1),
    dict(stride=2, padding=1, output_padding=1, dilation=1),
    dict(stride=3, padding=0, output_padding=2, dilation=1),
    dict(stride=2, padding=0, output_padding=0, dilation=2),
]


@pytest.mark.parametrize("view", ["direct", "scatter"])
@pytest.mark.parametrize("params", TRANSPOSED, ids=str)
def test_transposed_through_the_cli_is_the_references(capsys, built, params, view):
    argv = ["info", "--op", "transposed", "--values", ROWS, "--kernel", "1,-1;2,0", "--view", view]
    argv += [f"--{k.replace('_', '-')}={v}" for k, v in params.items()]
    status, out, err = run(capsys, *argv)
    assert status == 0 and err == "", err
    expected = conv_transpose_loops(IMAGE, KERNEL, **params)
    np.testing.assert_array_equal(built[0].result(), expected)
    steps = expected.size if view == "direct" else IMAGE.size  # scatter: one step per input element
    assert f"output shape: {expected.shape[0]}×{expected.shape[1]} ({steps} steps)" in out
    if HAVE_TORCH:
        np.testing.assert_allclose(built[0].result(), conv_transpose_torch(IMAGE, KERNEL, **params))


POOLS = [
    (["--op", "maxpool"], dict(mode="max")),
    (["--op", "maxpool", "--kernel", "3", "--stride", "1", "--padding", "1"], dict(size=3, stride=1, padding=1)),
    (["--op", "maxpool", "--kernel", "2", "--dilation", "2", "--stride", "1"], dict(mode="max", dilation=2, stride=1)),
    (["--op", "maxpool", "--kernel", "3", "--stride", "2", "--ceil-mode"], dict(size=3, stride=2, ceil_mode=True)),
    (["--op", "avgpool", "--kernel", "3", "--padding", "1"], dict(mode="avg", size=3, padding=1)),
    (
        ["--op", "avgpool", "--kernel", "3", "--padding", "1", "--no-count-include-pad"],
        dict(mode="avg", size=3, padding=1, count_include_pad=False),
    ),
    (
        ["--op", "avgpool", "--kernel", "2x3", "--stride", "2", "--ceil-mode", "--count-include-pad"],
        dict(mode="avg", size=(2, 3), stride=2, ceil_mode=True),
    ),
]


@pytest.mark.parametrize(("options", "params"), POOLS, ids=[" ".join(o) for o, _ in POOLS])
def test_pooling_through_the_cli_is_the_references(capsys, built, options, params):
    status, out, err = run(capsys, "info", "--values", ROWS, *options)
    assert status == 0 and err == "", err
    expected = pool_loops(IMAGE, **params)[0]
    np.testing.assert_allclose(built[0].result(), expected)
    assert f"output shape: {expected.shape[0]}×{expected.shape[1]} ({expected.size} steps)" in out
    if HAVE_TORCH:
        np.testing.assert_allclose(built[0].result(), pool_torch(IMAGE, **params)[0])


LAYERS = [
    (["--filters", "2", "--bias", "1,-2", "--activation", "relu"], dict(bias=[1, -2], activation="relu")),
    (["--filters", "3", "--groups", "3", "--padding", "same"], dict(groups=3, padding="same")),
    (["--kernel", "1", "--filters", "2", "--stride", "2"], dict(stride=2)),
    (
        ["--filters", "1", "--padding", "1", "--pad-mode", "reflect", "--dilation", "2"],
        dict(padding=1, pad_mode="reflect", dilation=2),
    ),
]


@pytest.mark.parametrize(("options", "params"), LAYERS, ids=[" ".join(o) for o, _ in LAYERS])
def test_layer_through_the_cli_is_the_references(capsys, built, options, params):
    status, out, err = run(capsys, "info", "--op", "layer", "--input", "6x6x3", *options)
    assert status == 0 and err == "", err
    layer = built[0]
    filters = int(options[options.index("--filters") + 1])
    assert layer.weights.shape[2:] == (3 // params.get("groups", 1), filters)
    assert layer.image.shape == (6, 6, 3)
    assert np.all((layer.weights >= -2) & (layer.weights <= 2))
    expected = layer_scipy(layer.image, layer.weights, **params)
    np.testing.assert_allclose(layer.result(), expected)
    rows, cols, channels = expected.shape
    assert f"output shape: {rows}×{cols}×{channels} ({expected.size} steps)" in out
    if HAVE_TORCH:
        np.testing.assert_allclose(layer.result(), layer_torch(layer.image, layer.weights, **params), atol=1e-9)


def test_the_seed_draws_the_same_layer_and_another_seed_another(capsys, built):
    for seed in ("1", "1", "2"):
        assert run(capsys, "info", "--op", "layer", "--filters", "2", "--seed", seed)[0] == 0
    same, again, other = built
    np.testing.assert_array_equal(same.weights, again.weights)
    assert not np.array_equal(same.weights, other.weights)


@pytest.mark.parametrize(
    "argv",
    [
        ["--op", "transposed", "--stride", "2", "--view", "scatter"],
        ["--op", "maxpool", "--kernel", "3", "--ceil-mode", "--stride", "2"],
        ["--op", "avgpool", "--padding", "1", "--no-count-include-pad"],
        ["--op", "layer", "--input", "4x4x3", "--filters", "2", "--bias", "1,-2", "--activation", "relu"],
    ],
    ids=lambda argv: argv[1],
)
def test_animate_draws_every_step_of_the_op(capsys, built, argv):
    status, out, err = run(capsys, "animate", *argv, "--quiet", "-o", "op.gif")
    assert status == 0 and err == "", err
    from PIL import Image

    with Image.open("op.gif") as gif:
        frames = gif.n_frames
    assert frames >= built[0].num_steps
    assert out.startswith(f"wrote op.gif ({built[0].num_steps} steps: {built[0].describe()})")


REFUSALS = [
    (["info", "--op", "maxpol"], ["--op must be one of conv, transposed, maxpool, avgpool, layer", "'maxpool'"]),
    (["animate", "--op", "convolution"], ["--op must be one of", "conv"]),
    (["info", "--op", "maxpool", "--view", "scatter"], ["--view does nothing for max pooling", "--op transposed"]),
    (["info", "--view", "direct"], ["--view does nothing for a convolution"]),
    (["info", "--output-padding", "1"], ["--output-padding does nothing", "--op transposed"]),
    (["info", "--op", "maxpool", "--count-include-pad"], ["--count-include-pad does nothing", "--op avgpool"]),
    (["info", "--op", "transposed", "--ceil-mode"], ["--ceil-mode does nothing", "--op maxpool"]),
    (["info", "--op", "avgpool", "--filters", "2"], ["--filters does nothing", "--op layer"]),
    (["info", "--op", "conv", "--activation", "relu"], ["--activation does nothing", "--op layer"]),
    (["info", "--op", "transposed", "--pad-mode", "reflect", "--padding", "1"], ["--pad-mode does nothing"]),
    (["info", "--op", "maxpool", "--clip", "auto"], ["--clip does nothing"]),
    (["info", "--op", "avgpool", "--dilation", "2"], ["--dilation does nothing"]),
    (["info", "--op", "layer", "--flip-kernel"], ["--flip-kernel does nothing"]),
    (["info", "--op", "maxpool", "--kernel", "sobel_x"], ["window's size"]),
    (["info", "--op", "transposed", "--padding", "same"], ["--padding", "number"]),
    (["info", "--op", "transposed", "--stride", "2", "--output-padding", "2"], ["output_padding"]),
    (["info", "--op", "layer", "--input", "5x5"], ["--op layer needs channels"]),
    (["info", "--op", "layer", "--groups", "2"], ["--groups 2 must divide"]),
    (["info", "--op", "layer", "--filters", "2", "--bias", "1"], ["bias"]),
    (["info", "--op", "layer", "--bias", "one"], ["--bias is one number per filter"]),
    (["info", "--op", "layer", "--activation", "rlu"], ["--activation must be one of", "'relu'"]),
    (["info", "--op", "transposed", "--view", "scater"], ["--view must be direct or scatter", "'scatter'"]),
    (["info", "--op", "maxpool", "--values", "ramp", "--seed", "2"], ["--seed does nothing"]),
]


@pytest.mark.parametrize(("argv", "words"), REFUSALS, ids=[" ".join(a) for a, _ in REFUSALS])
def test_what_an_op_cannot_take_is_refused_in_one_line(capsys, argv, words):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "", (out, err)
    assert err.count("\n") == 1 and err.startswith("convviz: error: "), err
    for word in words:
        assert word in err, (word, err)


def test_conv_is_the_default_op_and_takes_the_same_options(capsys):
    plain = run(capsys, "info", "--input", "6x6", "--stride", "2", "--padding", "same")
    named = run(capsys, "info", "--op", "conv", "--input", "6x6", "--stride", "2", "--padding", "same")
    assert plain == named and plain[0] == 0
    assert "output shape: 3×3 (9 steps)" in plain[1]
