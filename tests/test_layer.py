"""ConvLayer against SciPy channel by channel and against PyTorch's conv2d; its steps, one by one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import pad_image, reference_pads, torch_supports, window_at
from reference_layer import ACTIVATIONS_REFERENCE, layer_scipy, layer_torch

import visualizer as vz

MODES = ["zeros", "replicate", "reflect", "circular"]
PADDINGS = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 2),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.tuples(st.integers(0, 2), st.integers(0, 2))),
)


@st.composite
def layers(draw, activations=(None, "relu", "sigmoid", "tanh")):
    """Integer layers of every shape: channels, groups, filters, kernel, bias, geometry, activation."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 3))
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    image = rng.integers(-9, 10, (draw(st.integers(5, 8)), draw(st.integers(5, 8)), c_in))
    weights = rng.integers(-3, 4, (m, n, c_in // groups, c_out))
    params = {
        "bias": rng.integers(-20, 21, c_out) if draw(st.booleans()) else None,
        "stride": (draw(st.integers(1, 2)), draw(st.integers(1, 3))),
        "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        "padding": draw(PADDINGS),
        "pad_mode": draw(st.sampled_from(MODES)),
        "groups": groups,
        "activation": draw(st.sampled_from(activations)),
    }
    return image, weights, params


def check_against(result, expected, activation):
    if activation in (None, "relu"):  # integer sums: exactly equal
        np.testing.assert_array_equal(result, expected)
        assert result.dtype == np.int64
    else:
        np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=120, deadline=None)
@given(layers())
def test_result_matches_scipy_channel_by_channel(case):
    image, weights, params = case
    layer = vz.ConvLayer(image, weights, **params)
    expected = layer_scipy(image, weights, **params)
    assert layer.result().shape == layer.output_shape + (weights.shape[3],) == expected.shape
    check_against(layer.result(), expected, params["activation"])
    np.testing.assert_array_equal(vz.conv_layer(image, weights, **params), layer.result())


@settings(max_examples=60, deadline=None)
@given(layers())
def test_result_matches_torch(case):
    pytest.importorskip("torch")
    image, weights, params = case
    pads = reference_pads(image.shape, weights.shape, params["stride"], params["padding"], params["dilation"])
    if not torch_supports(image.shape, pads, params["pad_mode"]):
        return
    expected = layer_torch(image, weights, **params)
    np.testing.assert_allclose(vz.ConvLayer(image, weights, **params).result(), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(layers())
def test_every_step_adds_up_and_matches_the_result(case):
    image, weights, params = case
    layer = vz.ConvLayer(image, weights, **params)
    result, pre = layer.result(), layer.pre_activation()
    (rows, cols), c_out = layer.output_shape, weights.shape[3]
    per_in, per_out = image.shape[2] // params["groups"], c_out // params["groups"]
    pads = reference_pads(image.shape, weights.shape, params["stride"], params["padding"], params["dilation"])
    padded = pad_image(image, pads, params["pad_mode"])
    activation = ACTIVATIONS_REFERENCE[params["activation"]]
    steps = list(layer.steps())
    assert len(steps) == layer.num_steps == len(layer) == rows * cols * c_out
    # filter by filter, each one row-major
    expected_order = [(i, j, k) for k in range(c_out) for i in range(rows) for j in range(cols)]
    assert [s.out_index for s in steps] == expected_order
    for index, step in enumerate(steps):
        i, j, k = step.out_index
        assert step.index == index
        assert step.origin == (i * params["stride"][0], j * params["stride"][1])
        group = k // per_out
        assert step.input_channels == range(group * per_in, (group + 1) * per_in)
        window = window_at(padded, step.origin, weights.shape, params["dilation"])[..., step.input_channels]
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_array_equal(step.kernel, weights[..., k])
        np.testing.assert_array_equal(step.products, window * weights[..., k])
        assert step.partial_sums.shape == (per_in,)
        np.testing.assert_array_equal(step.partial_sums, (window * weights[..., k]).sum(axis=(0, 1)))
        assert step.bias == (0 if params["bias"] is None else params["bias"][k])
        assert step.partial_sums.sum() + step.bias == step.pre_activation == pre[i, j, k]
        assert step.value == result[i, j, k]
        if params["activation"] is not None:  # the layer's own function, and the textbook's
            assert step.value == vz.ACTIVATIONS[params["activation"]](step.pre_activation)
        np.testing.assert_allclose(step.value, activation(np.float64(step.pre_activation)), rtol=1e-13)
    # random access agrees with iteration, from both ends
    for index in (0, len(steps) // 2, len(steps) - 1, -1):
        assert layer.step(index).out_index == steps[index].out_index
        assert layer.step(index).value == steps[index].value


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_layers_keep_the_image_precision_and_match_scipy(dtype):
    rng = np.random.default_rng(3)
    image = rng.standard_normal((9, 11, 4)).astype(dtype)
    weights = rng.standard_normal((3, 3, 2, 6))
    bias = rng.standard_normal(6)
    layer = vz.ConvLayer(image, weights, bias, padding="same", groups=2, activation="relu", stride=(2, 1))
    assert layer.result().dtype == dtype
    expected = layer_scipy(image.astype(np.float64), weights, bias, (2, 1), "same", groups=2, activation="relu")
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(layer.result(), expected, rtol=tolerance, atol=tolerance)
    # float partial sums add up to the vectorised sum up to rounding
    for step in layer.steps():
        np.testing.assert_allclose(
            step.partial_sums.sum() + step.bias, step.pre_activation, rtol=tolerance, atol=tolerance
        )


def test_dtypes():
    image8 = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    assert vz.ConvLayer(image8, np.ones((2, 2, 3, 1), int)).result().dtype == np.int64
    assert vz.ConvLayer(image8, np.ones((2, 2, 3, 1))).result().dtype == np.float64
    assert vz.ConvLayer(image8, np.ones((2, 2, 3, 1), int), bias=[0.5]).result().dtype == np.float64
    assert vz.ConvLayer(image8.astype(np.float32), np.ones((2, 2, 3, 1))).result().dtype == np.float32
    # 8-bit sums past 255 stay exact, and an int64 image with large values sums exactly
    assert vz.ConvLayer(image8, np.ones((4, 4, 3, 1), int)).result().item() == image8.sum()
    big = np.full((2, 2, 1), 2**60, dtype=np.int64)
    assert vz.ConvLayer(big, np.ones((1, 2, 1, 1), int)).result()[0, 0, 0] == 2**61


@pytest.mark.parametrize("magnitude", [2**44, 2**50])  # sums below 2**52 go through float64, beyond through int64
def test_large_integer_sums_stay_exact(magnitude):
    rng = np.random.default_rng(9)
    image = magnitude - rng.integers(0, 1000, (5, 6, 2))  # odd values whose sums need every bit
    weights = rng.integers(-3, 4, (3, 3, 2, 3))
    bias = rng.integers(-5, 6, 3)
    result = vz.ConvLayer(image, weights, bias, padding=1).result()
    assert result.dtype == np.int64
    np.testing.assert_array_equal(result, layer_scipy(image, weights, bias, padding=1))
    # against Python's unbounded ints, too
    corner = sum(int(image[u, v, c]) * int(weights[u + 1, v + 1, c, 0]) for u in (0, 1) for v in (0, 1) for c in (0, 1))
    assert int(result[0, 0, 0]) == corner + int(bias[0])


def test_pad_value_fills_the_padding():
    ones = np.ones((3, 3, 1), int)
    layer = vz.ConvLayer(ones, np.ones((3, 3, 1, 1), int), padding=1, pad_value=0.5)
    assert layer.result()[0, 0, 0] == 4 + 5 * 0.5  # four pixels and five padding cells under the corner window
    assert "value 0.5" in layer.describe()
    assert vz.ConvLayer(ones, np.ones((3, 3, 1, 1), int), padding=1, pad_value=-2).result()[0, 0, 0] == 4 - 10


def test_input_is_a_snapshot():
    image, weights, bias = np.ones((4, 4, 2)), np.ones((3, 3, 2, 2)), np.zeros(2)
    layer = vz.ConvLayer(image, weights, bias)
    before = layer.result()
    image[:], weights[:], bias[:] = 5, 5, 5
    np.testing.assert_array_equal(layer.result(), before)
    with pytest.raises(ValueError, match="read-only"):
        layer.weights[0, 0, 0, 0] = 1


@pytest.mark.parametrize(
    ("shape", "groups", "kind"),
    [
        ((3, 3, 4, 8), 1, "dense"),
        ((1, 1, 4, 8), 1, "pointwise"),
        ((3, 3, 1, 8), 4, "depthwise"),
        ((1, 1, 1, 4), 4, "depthwise"),
        ((3, 3, 2, 8), 2, "grouped"),
        ((1, 1, 2, 8), 2, "grouped"),
    ],
)
def test_kind(shape, groups, kind):
    layer = vz.ConvLayer(np.zeros((5, 5, 4)), np.zeros(shape), groups=groups)
    assert layer.kind == kind
    assert kind in layer.describe()


def test_pointwise_mixes_the_channels_at_each_pixel():
    rng = np.random.default_rng(0)
    image, weights = rng.integers(-5, 6, (4, 5, 3)), rng.integers(-3, 4, (1, 1, 3, 2))
    np.testing.assert_array_equal(vz.conv_layer(image, weights), image @ weights[0, 0])


def test_depthwise_filters_each_channel_on_its_own():
    rng = np.random.default_rng(1)
    image, weights = rng.integers(-5, 6, (6, 6, 3)), rng.integers(-3, 4, (3, 3, 1, 3))
    layer = vz.ConvLayer(image, weights, groups=3, padding=1)
    for c in range(3):
        plane = vz.convolve(image[..., c], weights[:, :, 0, c], padding=1)
        np.testing.assert_array_equal(layer.result()[..., c], plane)
        assert layer.input_channels(c) == range(c, c + 1)


def test_describe_formula_replace():
    layer = vz.ConvLayer(np.zeros((6, 7, 2)), np.zeros((3, 3, 2, 4)), np.zeros(4), stride=2, activation="relu")
    assert layer.describe() == (
        "input 6×7×2, 4 filters 3×3×2, dense, stride 2, padding valid (0, 0, 0, 0) zeros, dilation 1, "
        "bias, relu → output 2×3×4"
    )
    assert layer.formula() == ("rows = ⌊(6 + 0 − 3) / 2⌋ + 1 = 2", "cols = ⌊(7 + 0 − 3) / 2⌋ + 1 = 3")
    same = layer.replace(stride=1, padding="same", pad_mode="edge")
    assert (same.output_shape, same.pad_mode, same.activation, same.bias.tolist()) == (
        (6, 7),
        "replicate",
        "relu",
        [0] * 4,
    )
    assert "no bias, no activation" in layer.replace(bias=None, activation=None).describe()
    assert repr(layer).startswith("<ConvLayer input 6×7×2")
    with pytest.raises(TypeError, match="kernel"):
        layer.replace(kernel=np.ones((3, 3)))


def test_step_index_checks_and_repr():
    layer = vz.ConvLayer(np.ones((3, 3, 1), int), np.ones((2, 2, 1, 2), int), bias=[1, -9], activation="relu")
    assert repr(layer.step(-1)) == "LayerStep(index=7, out_index=(1, 1, 1), origin=(1, 1), pre_activation=-5, value=0)"
    with pytest.raises(IndexError, match="-8…7"):
        layer.step(8)
    with pytest.raises(TypeError, match="index must be an int"):
        layer.step(1.0)


def test_padding_is_the_convolution_rule():
    layer = vz.ConvLayer(np.zeros((5, 6, 3)), np.zeros((3, 2, 3, 1)), stride=2, padding="same", dilation=(1, 2))
    assert layer.pads == reference_pads((5, 6), (3, 2), 2, "same", (1, 2))
    assert layer.padded.shape == (5 + sum(layer.pads[:2]), 6 + sum(layer.pads[2:]), 3)
    assert layer.is_padding(0, 0) == (layer.pads[0] > 0)


# -- PyTorch -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"groups": 1},
        {"groups": 2, "bias": True},
        {"groups": 4, "bias": True},  # depthwise, two filters per channel
        {"stride": 2, "padding": 1, "bias": True},
        {"stride": (1, 2), "padding": (2, 0)},
        {"dilation": 2, "padding": 2, "groups": 2},
        {"padding": "same", "dilation": (2, 1), "bias": True},
        {"padding": "valid", "stride": 3},
    ],
)
@pytest.mark.parametrize("activation", [None, "relu"])
def test_torch_conv2d_and_relu(params, activation):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(7)
    params = dict(params)
    groups = params.pop("groups", 1)
    x = torch.from_numpy(rng.standard_normal((1, 4, 9, 10)))
    w = torch.from_numpy(rng.standard_normal((8, 4 // groups, 3, 3)))
    b = torch.from_numpy(rng.standard_normal(8)) if params.pop("bias", False) else None
    expected = F.conv2d(x, w, b, groups=groups, **params)  # torch's own padding, "same" included
    expected = (F.relu(expected) if activation else expected)[0].permute(1, 2, 0).numpy()
    layer = vz.ConvLayer(
        x[0].permute(1, 2, 0).numpy(),
        w.permute(2, 3, 1, 0).numpy(),
        None if b is None else b.numpy(),
        groups=groups,
        activation=activation,
        **params,
    )
    np.testing.assert_allclose(layer.result(), expected, rtol=1e-12, atol=1e-12)


def test_float32_matches_torch_float32():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    conv = torch.nn.Conv2d(16, 32, 3, padding=1).float()
    x = torch.from_numpy(rng.standard_normal((1, 16, 20, 24), dtype=np.float32))
    layer = vz.ConvLayer.from_torch(conv, x)
    assert layer.result().dtype == np.float32
    with torch.no_grad():
        expected = conv(x)[0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(layer.result(), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize(
    "settings",
    [
        {"kernel_size": 3, "padding": 1},
        {"kernel_size": (3, 2), "padding": (2, 1), "stride": (2, 1), "groups": 2, "bias": False},
        {"kernel_size": 3, "padding": "same", "dilation": 2, "groups": 4},
        {"kernel_size": 2, "padding": "valid", "stride": 2},
    ],
)
def test_from_torch_module_round_trip(padding_mode, settings):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    torch.manual_seed(0)
    module = torch.nn.Conv2d(4, 8, padding_mode=padding_mode, **settings).double()
    x = torch.randn(1, 4, 7, 9, dtype=torch.float64)
    with torch.no_grad():
        expected = module(x)
    layer = vz.ConvLayer.from_torch(module, x, activation="relu")
    assert layer.pad_mode == padding_mode and layer.groups == module.groups
    assert layer.stride == module.stride and layer.dilation == module.dilation
    np.testing.assert_allclose(layer.pre_activation(), expected[0].permute(1, 2, 0).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.result(), F.relu(expected)[0].permute(1, 2, 0).numpy(), rtol=1e-12, atol=1e-12)
    # and back: the same tensors, and PyTorch's call on them gives the same output
    t = layer.to_torch()
    assert torch.equal(t.weight, module.weight.detach())
    assert (t.bias is None) == (module.bias is None)
    if module.bias is not None:
        assert torch.equal(t.bias, module.bias.detach())
    assert torch.equal(t.input, x)
    np.testing.assert_allclose(
        F.conv2d(F.pad(t.input, **t.pad), t.weight, t.bias, **t.conv), expected, rtol=1e-12, atol=1e-12
    )


def test_from_torch_tensors_and_keywords():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    torch.manual_seed(1)
    w, b, x = torch.randn(6, 1, 3, 3), torch.randn(6), torch.randn(3, 8, 8)  # (C, H, W) image
    layer = vz.from_torch_conv(w, x, b, stride=2, padding=1, groups=3, padding_mode="circular")
    assert (layer.kind, layer.pad_mode, layer.output_shape) == ("depthwise", "circular", (4, 4))
    expected = F.conv2d(F.pad(x[None], (1, 1, 1, 1), mode="circular"), w, b, stride=2, groups=3)
    np.testing.assert_allclose(layer.result(), expected[0].permute(1, 2, 0).numpy(), rtol=1e-5, atol=1e-5)
    # defaults are PyTorch's: stride 1, no padding, one group, no bias
    plain = vz.ConvLayer.from_torch(torch.randn(2, 3, 3, 3), torch.randn(1, 3, 5, 5))
    assert (plain.stride, plain.pads, plain.groups, plain.bias, plain.pad_mode) == ((1, 1), (0,) * 4, 1, None, "zeros")


def test_to_torch_gives_writable_copies():
    torch = pytest.importorskip("torch")
    import warnings

    layer = vz.ConvLayer(np.ones((3, 3, 1), np.float32), np.ones((1, 1, 1, 1), np.float32))  # contiguous already
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # PyTorch warns about tensors over read-only arrays
        t = layer.to_torch()
    t.input.add_(1)
    t.weight.add_(1)
    assert layer.image.sum() == 9 and layer.weights.sum() == 1 and t.input.dtype == torch.float32


def test_to_torch_of_an_integer_layer_with_asymmetric_padding():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    image, weights = np.arange(30).reshape(5, 6, 1), np.array([[[[1, -1]]], [[[2, 0]]]])  # 2×1×1×2
    layer = vz.ConvLayer(image, weights, bias=[3, 4], stride=2, padding="same")  # same at stride 2: extra pad after
    t = layer.to_torch()
    assert t.input.dtype == torch.float64 and t.pad["pad"] == (0, 0, 0, 1)
    out = F.conv2d(F.pad(t.input, **t.pad), t.weight, t.bias, **t.conv)
    np.testing.assert_array_equal(out[0].permute(1, 2, 0).numpy(), layer.result())
