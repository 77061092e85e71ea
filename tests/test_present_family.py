"""The presenter opens on any operation of the family, headless: real key events on an Agg canvas.

Each window is compared with a frame drawn from an operation the test builds itself, and
what a layer computes with SciPy per channel (and PyTorch where it is installed).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presenter_canvas import assert_shows, canvas_window, press
from reference_family import conv_transpose_loops, conv_transpose_scipy, pool_loops, pool_windows
from reference_layer import layer_scipy, layer_torch

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution
from visualizer.cli import main
from visualizer.presenter import PresenterState
from visualizer.presenter_ops import operation, split

GREY = np.arange(25).reshape(5, 5) % 7
COLOUR = np.stack([GREY, GREY.T, GREY[::-1]], axis=-1)
WEIGHTS = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])[:, :, None, None] * np.array([1, -1, 2])[:, None] + np.arange(
    2
)  # (3, 3, 3, 2): Sobel x per channel, scaled, and shifted for the second filter
BIAS = np.array([1, -2])

OPS = {
    "transposed": TransposedConvolution(GREY, [[1, 2], [0, 1]], stride=2, padding=1, output_padding=1),
    "avgpool": Pooling(GREY, 3, stride=2, padding=1, mode="avg", ceil_mode=True, count_include_pad=False),
    "maxpool": Pooling(GREY[:2, :2], 3, padding=1),
    "layer": ConvLayer(COLOUR, WEIGHTS, BIAS, padding="same", activation="relu"),
    "depthwise": ConvLayer(COLOUR, WEIGHTS[:, :, :1, :].repeat(3, axis=3), groups=3, stride=2),
}


@pytest.mark.parametrize("name", ["transposed", "avgpool", "layer"])
def test_the_window_opens_on_the_operation(name):
    op = OPS[name]
    window = canvas_window(op)
    assert window.state.shown is op
    assert_shows(window, op)
    press(window, "end")
    assert_shows(window, op, op.num_steps - 1)


@pytest.mark.parametrize("name", list(OPS))
def test_o_goes_round_and_comes_back_to_the_operation_with_its_parameters(name):
    op = OPS[name]
    state = PresenterState(op)
    own, seen = state.op, []
    while not seen or state.op != own:  # at most once round (an operation that cannot work is passed over)
        assert state.press("o") and not state.problem, state.message
        seen.append(state.op)
        assert len(seen) <= 5
    assert own == name.replace("depthwise", "layer") and "conv" in seen and "layer" in seen
    back = state.shown  # a layer comes back with its weights, pooling with its padding, …
    assert type(back) is type(op) and back.describe() == op.describe()
    np.testing.assert_array_equal(back.result(), op.result())


def test_a_key_keeps_the_operation_s_own_padding():
    transposed = PresenterState(
        TransposedConvolution(GREY, np.ones((3, 3), int), stride=2, padding=1, output_padding=1)
    )
    transposed.press("s")  # stride 3
    shown = transposed.shown
    assert (shown.stride, shown.padding, shown.output_padding) == ((3, 3), (1, 1), (1, 1)), transposed.message
    np.testing.assert_allclose(shown.result(), conv_transpose_scipy(GREY, np.ones((3, 3)), 3, 1, 1))
    pooled = PresenterState(Pooling(GREY, 3, stride=2, padding=1, mode="avg", ceil_mode=True, count_include_pad=False))
    pooled.press("s")
    shown = pooled.shown
    assert (shown.stride, shown.padding, shown.mode, shown.ceil_mode, shown.count_include_pad) == (
        (3, 3),
        (1, 1),
        "avg",
        True,
        False,
    ), pooled.message
    np.testing.assert_allclose(shown.result(), pool_windows(GREY, 3, 3, 1, "avg", ceil_mode=True))


def test_an_operation_that_cannot_work_is_passed_over_and_named():
    state = PresenterState(OPS["maxpool"])  # a 2×2 input: only padding lets a 3×3 window fit
    state.press("o")
    assert state.op == "layer" and not state.problem
    assert state.message.startswith("layer (skipped average pooling cannot work here: pooling window spans 3")


def test_a_layer_s_keys_change_its_geometry_and_keep_its_weights():
    window = canvas_window(OPS["layer"])
    press(window, "p")  # same -> full
    layer = window.state.shown
    np.testing.assert_array_equal(layer.weights, WEIGHTS)
    expected = layer_scipy(COLOUR, WEIGHTS, BIAS, padding="full", activation="relu")
    np.testing.assert_array_equal(layer.result(), expected)
    press(window, "s")  # stride 2
    press(window, "m")  # pad mode replicate
    assert_shows(window, ConvLayer(COLOUR, WEIGHTS, BIAS, 2, "full", "replicate", activation="relu"))
    press(window, "k")
    assert window.state.problem and window.message.get_text().startswith("k (kernel) changes nothing in layer")
    press(window, "r")  # a new input of the same shape and range; the same filters
    layer = window.state.shown
    assert layer.image.shape == COLOUR.shape and not np.array_equal(layer.image, COLOUR)
    assert layer.image.min() >= 0 and layer.image.max() <= COLOUR.max()
    expected = layer_scipy(layer.image, WEIGHTS, BIAS, 2, "full", "replicate", activation="relu")
    np.testing.assert_array_equal(layer.result(), expected)
    assert window.state.gif_name() == "layer-5x5x3-k3x3x3x2-s2-full-replicate-d1.gif"
    pytest.importorskip("torch")
    torch_result = layer_torch(layer.image, WEIGHTS, BIAS, 2, "full", "replicate", activation="relu")
    np.testing.assert_allclose(layer.result(), torch_result)


def test_the_convolution_behind_a_layer_is_its_first_filter_per_channel():
    conv, name, params = split(OPS["layer"])
    assert name == "layer" and params["groups"] == 1 and params["activation"] == "relu"
    np.testing.assert_array_equal(conv.kernel, WEIGHTS[..., 0])
    # the convolution's channels are the first filter's partial sums: their sum plus the bias is its output
    pre = conv.result().sum(axis=2) + BIAS[0]
    np.testing.assert_array_equal(np.maximum(pre, 0), OPS["layer"].result()[..., 0])


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["transposed", "maxpool", "avgpool"]),
    size=st.integers(1, 3),
    stride=st.integers(1, 3),
    padding=st.integers(0, 1),
    ceil_mode=st.booleans(),
    seed=st.integers(0, 99),
)
def test_split_then_operation_gives_the_operation_back(kind, size, stride, padding, ceil_mode, seed):
    image = np.random.default_rng(seed).integers(0, 9, (4, 5))
    if kind == "transposed":
        kernel = np.random.default_rng(seed + 1).integers(-2, 3, (size, size))
        extra = min(padding, stride - 1)
        op = TransposedConvolution(image, kernel, stride=stride, padding=padding, output_padding=extra)
        expected = conv_transpose_loops(image, kernel, stride=stride, padding=padding, output_padding=extra)
    else:
        padding = min(padding, size // 2)  # PyTorch's rule: padding at most half the window
        mode = kind.removesuffix("pool")
        op = Pooling(image, size, stride=stride, padding=padding, mode=mode, ceil_mode=ceil_mode)
        expected = pool_loops(image, size, stride=stride, padding=padding, mode=mode, ceil_mode=ceil_mode)[0]
    conv, name, params = split(op)
    again = operation(conv, name, **params)
    assert name == kind and again.describe() == op.describe()
    np.testing.assert_allclose(again.result(), expected)


def test_anything_else_is_refused_in_one_clear_line():
    with pytest.raises(TypeError, match="op must be a visualizer Convolution, .* or ConvLayer, got list"):
        PresenterState([[1, 2], [3, 4]])
    assert split(Convolution(GREY, np.ones((2, 2))))[1:] == ("conv", {})


def test_convviz_present_takes_the_operation_options(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr("visualizer.presenter.present", lambda op, **style: shown.append((op, style)))
    argv = ["present", "--op", "layer", "--input", "6x6x3", "--filters", "2", "--bias", "1,-2", "--activation", "relu"]
    assert main(argv) == 0
    ((layer, style),) = shown
    assert isinstance(layer, ConvLayer) and style["theme"] == "classroom"
    assert layer.image.shape == (6, 6, 3) and layer.weights.shape == (3, 3, 3, 2) and layer.activation == "relu"
    np.testing.assert_array_equal(layer.bias, [1, -2])
    expected = layer_scipy(layer.image, layer.weights, [1, -2], activation="relu")
    np.testing.assert_array_equal(layer.result(), expected)
    # as for a convolution, the options the window's keys use later are taken even where they change nothing yet
    assert main(["present", "--op", "layer", "--input", "5x5x2", "--pad-mode", "reflect", "--seed", "3"]) == 0
    assert shown[-1][0].pad_mode == "reflect"
    assert main(["present", "--op", "avgpool", "--kernel", "3", "--stride", "2", "--padding", "1"]) == 0
    np.testing.assert_allclose(shown[-1][0].result(), pool_loops(shown[-1][0].image, 3, 2, 1, mode="avg")[0])
    capsys.readouterr()
    for bad in (["--op", "layer", "--view", "scatter"], ["--op", "layer", "--input", "5x5"], ["--op", "pool"]):
        assert main(["present", *bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("convviz: error: ") and err.count("\n") == 1
