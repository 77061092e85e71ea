"""1-D signals: a ``(W,)`` signal with an ``(N,)`` kernel is a one-row image with a ``(W′,)`` output.

Held against ``np.correlate`` / ``np.convolve`` ("valid" and "full"), against ``np.correlate``
over a signal padded by SciPy's boundary modes (``reference.pad_plane``) for every other
parameter, and against PyTorch's ``conv1d`` when it is importable.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import dilate, pad_plane, torch, torch_supports

import visualizer as vz

MODES = ["zeros", "replicate", "reflect", "circular"]


def reference(signal, kernel, stride=1, padding="valid", pad_mode="zeros", dilation=1, pad_value=0, flip=False):
    """np.correlate over the padded signal, every stride-th output; the pads written out by hand."""
    n = len(kernel)
    span = dilation * (n - 1) + 1
    if padding == "valid":
        left = right = 0
    elif padding == "full":
        left = right = span - 1
    elif padding == "same":  # TensorFlow's rule for one axis
        total = max((-(-len(signal) // stride) - 1) * stride + span - len(signal), 0)
        left, right = total // 2, total - total // 2
    elif isinstance(padding, int):
        left = right = padding
    else:
        left, right = padding
    padded = pad_plane(np.asarray(signal)[np.newaxis], (0, 0, left, right), pad_mode, pad_value)[0]
    taps = dilate(np.asarray(kernel, dtype=padded.dtype)[np.newaxis], (1, dilation))[0]
    if flip:
        taps = taps[::-1]
    return np.correlate(padded, taps, "valid")[::stride]


def make(rng: np.random.Generator, size: int, dtype: str) -> np.ndarray:
    if dtype == "uint8":
        return rng.integers(0, 256, size).astype(np.uint8)
    if dtype == "int64":
        return rng.integers(-100, 100, size)
    return (rng.standard_normal(size) * 10).astype(dtype)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    length=st.integers(1, 30),
    taps=st.integers(1, 8),
    dtype=st.sampled_from(["uint8", "int64", "float32", "float64"]),
)
def test_valid_and_full_equal_numpy(seed, length, taps, dtype):
    rng = np.random.default_rng(seed)
    signal = make(rng, length, dtype)
    kernel = rng.integers(-5, 6, taps) if dtype in ("uint8", "int64") else rng.standard_normal(taps)
    exact = dtype in ("uint8", "int64")
    # float32 sums: the error grows with the sum of |terms|, not with the (possibly cancelled) sum
    scale = float(np.abs(signal).max()) * float(np.abs(kernel).sum())
    compare = np.testing.assert_array_equal if exact else partial(np.testing.assert_allclose, atol=1e-6 * scale)
    wide = signal.astype(np.int64 if exact else np.float64)
    full = vz.convolve(signal, kernel, padding="full")
    assert full.shape == (length + taps - 1,)
    compare(full, np.correlate(wide, kernel, "full"))
    compare(vz.convolve(signal, kernel, padding="full", flip_kernel=True), np.convolve(wide, kernel, "full"))
    if taps <= length:
        valid = vz.convolve(signal, kernel)
        assert valid.shape == (length - taps + 1,)
        compare(valid, np.correlate(wide, kernel, "valid"))
        compare(vz.convolve(signal, kernel, flip_kernel=True), np.convolve(wide, kernel, "valid"))
    else:
        with pytest.raises(ValueError, match="kernel"):
            vz.convolve(signal, kernel)


@st.composite
def cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    signal = make(rng, draw(st.integers(1, 20)), draw(st.sampled_from(["uint8", "int64", "float32", "float64"])))
    kernel = rng.integers(-4, 5, draw(st.integers(1, 6)))
    params = {
        "stride": draw(st.integers(1, 4)),
        "padding": draw(
            st.one_of(
                st.sampled_from(["valid", "same", "full"]),
                st.integers(0, 6),
                st.tuples(st.integers(0, 6), st.integers(0, 6)),
            )
        ),
        "pad_mode": draw(st.sampled_from(MODES)),
        "dilation": draw(st.integers(1, 3)),
        "pad_value": draw(st.sampled_from([0, 0, 3, -2])),
    }
    return signal, kernel, params, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_parameter_matches_the_padded_reference(case):
    signal, kernel, params, flip = case
    try:
        conv = vz.Convolution(signal, kernel, flip_kernel=flip, **params)
    except ValueError as error:  # the dilated kernel must fit in the padded signal
        assert "kernel" in str(error)
        padding = params["padding"]
        assert padding == "valid" or isinstance(padding, (int, tuple))
        return
    expected = reference(signal, kernel, flip=flip, **params)
    assert conv.output_shape == expected.shape
    np.testing.assert_allclose(conv.result(), expected, rtol=1e-6, atol=1e-4)
    if signal.dtype.kind in "iu":
        np.testing.assert_array_equal(conv.result(), expected)
    # the steps: one per output element, out_index (j,), origin (col,) in the padded signal
    s, d, n = conv.stride, conv.dilation, len(kernel)
    applied = kernel[::-1] if flip else kernel
    steps = list(conv.steps())
    assert len(steps) == conv.num_steps == expected.shape[0]
    for j, step in enumerate(steps):
        assert step.index == j and step.out_index == (j,) and step.origin == (j * s,)
        window = conv.padded[j * s : j * s + d * (n - 1) + 1 : d]
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_array_equal(step.kernel, applied)
        np.testing.assert_array_equal(step.products, window * applied.astype(step.kernel.dtype))
        assert step.value == conv.result()[j] == conv.step(j).value
    assert conv.signal and conv.pads[:2] == (0, 0)
    left, right = conv.pads[2:]
    expected_padded = pad_plane(signal[np.newaxis], (0, 0, left, right), params["pad_mode"], params["pad_value"])[0]
    np.testing.assert_array_equal(conv.padded, expected_padded)
    assert [conv.is_padding(c) for c in range(len(conv.padded))] == [
        not left <= c < left + len(signal) for c in range(len(conv.padded))
    ]


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@settings(max_examples=100, deadline=None)
@given(cases())
def test_signals_match_torch_conv1d(case):
    import torch.nn.functional as F

    signal, kernel, params, _ = case
    try:
        conv = vz.Convolution(signal, kernel, **params)
    except ValueError:
        return
    left, right = conv.pads[2:]
    if not torch_supports((1, len(signal)), (0, 0, left, right), params["pad_mode"]):
        return  # F.pad refuses reflect pads >= size and circular pads > size
    mode = {"zeros": "constant", "replicate": "replicate", "reflect": "reflect", "circular": "circular"}
    x = torch.tensor(signal.astype(np.float64))[None, None]
    value = {"value": float(params["pad_value"])} if params["pad_mode"] == "zeros" else {}
    x = F.pad(x, (left, right), mode=mode[params["pad_mode"]], **value)
    w = torch.tensor(kernel.astype(np.float64))[None, None]
    expected = F.conv1d(x, w, stride=params["stride"], dilation=params["dilation"])[0, 0].numpy()
    rtol = 1e-6 if signal.dtype == np.float32 else 1e-12  # float32 signals sum in float32
    scale = max(float(np.abs(signal).max()), abs(params["pad_value"])) * float(np.abs(kernel).sum())
    np.testing.assert_allclose(conv.result(), expected, rtol=rtol, atol=rtol * scale)


def test_an_8_bit_signal_clips_and_describes_itself():
    conv = vz.Convolution(np.array([10, 200, 250, 30], np.uint8), [1, 1], padding="same", clip="auto")
    np.testing.assert_array_equal(conv.raw_result(), [210, 450, 280, 30])
    np.testing.assert_array_equal(conv.result(), np.array([210, 255, 255, 30], np.uint8))
    assert [s.is_clipped for s in conv.steps()] == [False, True, True, False]
    assert conv.describe() == "input 4, kernel 2, stride 1, padding same (0, 0, 0, 1) zeros, dilation 1 → output 4"
    assert conv.formula() == ("length = ⌊(4 + 1 − 2) / 1⌋ + 1 = 4",)
    assert repr(conv.step(1)) == "Step(index=1, out_index=(1,), origin=(1,), value=450, clipped_value=255)"


def test_replace_keeps_a_signal_a_signal():
    conv = vz.Convolution(np.arange(9), [1, 2, 3], padding=(2, 0), dilation=2)
    wider = conv.replace(stride=2)
    assert wider.signal and wider.stride == 2 and wider.dilation == 2 and wider.pads == (0, 0, 2, 0)
    np.testing.assert_array_equal(wider.result(), reference(np.arange(9), [1, 2, 3], 2, (2, 0), dilation=2))
    assert conv.replace(kernel=[1]).output_shape == (11,)


@pytest.mark.parametrize(
    ("image", "kernel"),
    [
        (np.arange(6), np.ones((3, 3))),
        (np.arange(6), np.ones((1, 3))),
        (np.ones((5, 5)), [1, 2, 3]),
        (np.ones((5, 5, 3)), [1, 2, 3]),
        (np.arange(6), np.ones((1, 3, 3))),
    ],
    ids=["signal, 2-D kernel", "signal, one-row kernel", "image, 1-D kernel", "colour, 1-D kernel", "signal, stack"],
)
def test_a_signal_and_an_image_kernel_do_not_mix(image, kernel):
    with pytest.raises(ValueError, match=r"1-D signal \(W,\) takes a 1-D kernel") as info:
        vz.Convolution(image, kernel)
    assert str(np.shape(image)) in str(info.value) and str(np.shape(kernel)) in str(info.value)


@pytest.mark.parametrize(
    ("params", "error", "words"),
    [
        ({"stride": (1, 2)}, ValueError, ["stride", "1-D signal", "int"]),
        ({"stride": (2,)}, ValueError, ["stride", "1-D signal", "int"]),
        ({"stride": 0}, ValueError, ["stride", ">= 1"]),
        ({"dilation": 1.5}, TypeError, ["dilation", "int"]),
        ({"dilation": 0}, ValueError, ["dilation", ">= 1"]),
        ({"padding": ((1, 1), (1, 1))}, TypeError, ["padding", "(left, right)"]),
        ({"padding": (1, 2, 3)}, TypeError, ["padding", "(left, right)"]),
        ({"padding": -1}, ValueError, ["padding", ">= 0"]),
        ({"padding": (0, -2)}, ValueError, ["padding", ">= 0"]),
        ({"padding": 1.0}, TypeError, ["padding"]),
        ({"padding": True}, TypeError, ["padding"]),
        ({"padding": "half"}, ValueError, ["padding", "valid", "same", "full"]),
        ({"kernel": np.ones(9)}, ValueError, ["kernel", "padding"]),
    ],
)
def test_bad_signal_parameters_are_named(params, error, words):
    kernel = params.pop("kernel", [1, 2, 1])
    with pytest.raises(error) as info:
        vz.Convolution(np.arange(6.0), kernel, **params)
    assert type(info.value) is error
    for word in words:
        assert word in str(info.value)
