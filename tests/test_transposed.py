"""TransposedConvolution against PyTorch's conv_transpose2d, a pixel-by-pixel scatter, and conv_arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reference_family import conv_transpose_loops, conv_transpose_torch, stretched_cells, torch

import visualizer as vz


@st.composite
def cases(draw, ranks=("signal", "grey", "colour"), max_side=4):
    """A signal, grey or colour image with an integer kernel and PyTorch-valid parameters."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rank = draw(st.sampled_from(ranks))
    if rank == "signal":
        image = rng.integers(-9, 10, draw(st.integers(1, 2 * max_side)))
        kernel = rng.integers(-3, 4, draw(st.integers(1, 4)))
        s, d = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        params = {"stride": s, "dilation": d, "padding": draw(st.integers(0, 4))}
        params["output_padding"] = draw(st.integers(0, max(s, d) - 1))
    else:
        shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
        channels = (draw(st.integers(1, 3)),) if rank == "colour" else ()
        image = rng.integers(-9, 10, shape + channels)
        per_channel = channels if channels and draw(st.booleans()) else ()
        kernel = rng.integers(-3, 4, (draw(st.integers(1, 3)), draw(st.integers(1, 3))) + per_channel)
        s, d = (draw(st.integers(1, 3)), draw(st.integers(1, 3))), (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
        params = {
            "stride": s,
            "dilation": d,
            "padding": (draw(st.integers(0, 3)), draw(st.integers(0, 3))),
            "output_padding": tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in (0, 1)),
        }
    expected = conv_transpose_loops(image, kernel, **params)
    assume(min(expected.shape[:2] if image.ndim > 1 else expected.shape) >= 1)
    return image, kernel, params, expected


@settings(max_examples=150, deadline=None)
@given(cases())
def test_result_is_the_pixel_by_pixel_scatter_and_pytorchs(case):
    image, kernel, params, expected = case
    up = vz.TransposedConvolution(image, kernel, **params)
    result = up.result()
    np.testing.assert_array_equal(result, expected)
    assert result.dtype == np.int64
    assert up.output_shape == (result.shape[:1] if image.ndim == 1 else result.shape[:2])
    np.testing.assert_array_equal(vz.conv_transpose(image, kernel, **params), expected)
    if torch is not None:
        np.testing.assert_array_equal(conv_transpose_torch(image, kernel, **params), expected)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_every_direct_step_is_the_rotated_kernel_over_the_stretched_input(case):
    image, kernel, params, expected = case
    up = vz.TransposedConvolution(image, kernel, **params)
    if torch is not None:  # the steps below are held against the loops; the loops against PyTorch
        np.testing.assert_array_equal(conv_transpose_torch(image, kernel, **params), expected)
    values, kinds = stretched_cells(image, kernel.shape, **params)
    np.testing.assert_array_equal(up.stretched, values)
    np.testing.assert_array_equal(up.input_mask, kinds == "input")
    np.testing.assert_array_equal(up.padding_mask, kinds == "padding")
    rotated = kernel[::-1] if kernel.ndim == 1 else kernel[::-1, ::-1]
    np.testing.assert_array_equal(up.rotated_kernel, rotated)
    steps = list(up.steps())
    assert up.num_steps == len(steps) == expected.size // (image.shape[2] if image.ndim == 3 else 1)
    d = params["dilation"]
    for index, step in enumerate(steps):
        assert step.index == index
        assert step.out_index == np.unravel_index(index, up.output_shape)
        assert step.origin == step.out_index
        # the window, read straight from the reference's stretched array at the dilated taps
        if image.ndim == 1:
            taps = (np.arange(len(kernel)) * d + step.origin[0],)
        else:
            taps = np.ix_(*(np.arange(kernel.shape[a]) * d[a] + step.origin[a] for a in (0, 1)))
        np.testing.assert_array_equal(step.window, values[taps])
        np.testing.assert_array_equal(step.kernel, rotated)
        np.testing.assert_array_equal(step.products.sum(axis=tuple(range(rotated.ndim))[:2]), step.value)
        np.testing.assert_array_equal(step.value, expected[step.out_index])
        np.testing.assert_array_equal(step.clipped_value, step.value)
        assert not step.is_clipped
    for index in (0, -1, len(steps) // 2):
        assert up.step(index).out_index == steps[index].out_index
    for row, col in np.ndindex(kinds.shape if kinds.ndim == 2 else (1, len(kinds))):
        where = (col,) if kinds.ndim == 1 else (row, col)
        assert up.cell_kind(*where) == kinds[where]


@settings(max_examples=120, deadline=None)
@given(cases())
def test_every_scatter_step_adds_its_value_times_the_kernel(case):
    image, kernel, params, expected = case
    up = vz.TransposedConvolution(image, kernel, view="scatter", **params)
    pixels = image.shape[0] * (image.shape[1] if image.ndim > 1 else 1)
    assert up.num_steps == pixels
    np.testing.assert_array_equal(up.result(), expected)
    np.testing.assert_array_equal(up.result(), up.replace(view="direct").result())
    running = np.zeros_like(expected)
    s, p = params["stride"], params["padding"]
    for step in up.steps():
        assert step.in_index == np.unravel_index(step.index, image.shape[: image.ndim if image.ndim < 3 else 2])
        np.testing.assert_array_equal(step.value, image[step.in_index])
        if image.ndim == 1:
            assert step.origin == (step.in_index[0] * s,)
            assert step.taps[0][0] == step.origin[0] - p
        else:
            assert step.origin == (step.in_index[0] * s[0], step.in_index[1] * s[1])
            assert (step.taps[0][0], step.taps[1][0]) == (step.origin[0] - p[0], step.origin[1] - p[1])
        contribution = step.contribution
        per_channel = kernel[..., None] if image.ndim == 3 and kernel.ndim == 2 else kernel
        np.testing.assert_array_equal(contribution, per_channel * image[step.in_index])
        for tap in np.ndindex(step.inside.shape):
            where = tuple(step.taps[a][tap[a]] for a in range(len(tap)))
            shape = expected.shape[: len(tap)]
            inside = all(0 <= where[a] < shape[a] for a in range(len(tap)))
            assert step.inside[tap] == inside
            if inside:
                running[where] += contribution[tap]
        np.testing.assert_array_equal(running, conv_transpose_loops(image, kernel, count=step.index + 1, **params))
        np.testing.assert_array_equal(step.partial_output, running)
    np.testing.assert_array_equal(running, expected)
    np.testing.assert_array_equal(up.partial_output(0), np.zeros_like(expected))


@settings(max_examples=80, deadline=None)
@given(cases(ranks=("grey",)))
def test_it_is_the_adjoint_of_the_convolution_it_transposes(case):
    # <conv(y), x> = <y, conv_transpose(x)> for every y: the defining property of a transpose
    image, kernel, params, _ = case
    up = vz.TransposedConvolution(image, kernel, **params)
    twin = up.transpose_of()
    y = np.random.default_rng(0).integers(-5, 6, twin["input_shape"])
    conv = vz.Convolution(y, kernel, stride=params["stride"], padding=params["padding"], dilation=params["dilation"])
    assert conv.output_shape == twin["output_shape"]
    # output_padding >= stride (allowed when smaller than dilation) gives the convolution more outputs
    # than this input has; the transposed convolution never reads those
    small = all(op < s for op, s in zip(params["output_padding"], params["stride"], strict=True))
    if small:
        assert conv.output_shape == image.shape
    assert all(o >= h for o, h in zip(conv.output_shape, image.shape, strict=True))
    h, w = image.shape
    assert int(np.sum(conv.result()[:h, :w] * image)) == int(np.sum(y * up.result()))


# conv_arithmetic's transposed animations: (direct input i, kernel k, stride s, padding p, output_padding)
# -> transposed input i', its stretched and padded size, output o' (read off the animations)
CONV_ARITHMETIC = {
    "no_padding_no_strides": ((4, 3, 1, 0, 0), 2, 6, 4),
    "arbitrary_padding_no_strides": ((5, 4, 1, 2, 0), 6, 8, 5),
    "same_padding_no_strides": ((5, 3, 1, 1, 0), 5, 7, 5),
    "full_padding_no_strides": ((5, 3, 1, 2, 0), 7, 7, 5),
    "no_padding_strides": ((5, 3, 2, 0, 0), 2, 7, 5),
    "padding_strides": ((5, 3, 2, 1, 0), 3, 7, 5),
    "padding_strides_odd": ((6, 3, 2, 1, 1), 3, 8, 6),
}


@pytest.mark.parametrize("name", CONV_ARITHMETIC)
def test_conv_arithmetic_cases(name):
    (i, k, s, p, op), transposed_in, stretched, out = CONV_ARITHMETIC[name]
    assert vz.output_shape((i, i), (k, k), stride=s, padding=p) == (transposed_in,) * 2
    up = vz.TransposedConvolution(np.ones((transposed_in,) * 2), np.ones((k, k)), s, p, output_padding=op)
    assert up.output_shape == (out, out)
    assert up.stretched.shape == (stretched, stretched)
    assert int(up.input_mask.sum()) == transposed_in**2
    assert up.transpose_of()["input_shape"] == (i, i)
    assert up.transpose_of()["output_shape"] == (transposed_in, transposed_in)
    assert up.num_steps == out * out and up.replace(view="scatter").num_steps == transposed_in**2


def test_negative_padding_crops_the_stretched_input():
    # P > D(M − 1): the direct view's padding is negative, so the stretched input loses its border
    up = vz.TransposedConvolution(np.arange(1, 10).reshape(3, 3), np.ones((2, 2), int), stride=2, padding=2)
    assert up.pads == (-1, -1, -1, -1)
    assert up.output_shape == (2, 2)
    np.testing.assert_array_equal(up.stretched, [[0, 0, 0], [0, 5, 0], [0, 0, 0]])
    assert up.cell_kind(1, 1) == "input" and up.cell_kind(0, 0) == "zero" and not up.padding_mask.any()
    np.testing.assert_array_equal(up.result(), [[5, 5], [5, 5]])


def test_dtypes_follow_the_image():
    grey = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert vz.conv_transpose(grey, np.ones((2, 2), np.uint8)).dtype == np.int64  # no uint8 wrap-around
    assert vz.conv_transpose(grey, np.full((2, 2), 0.5)).dtype == np.float64
    photo = np.ones((4, 4), np.float32)
    assert vz.conv_transpose(photo, np.full((3, 3), 0.1), stride=2).dtype == np.float32
    big = np.full((2, 2), 200, np.uint8)
    step = vz.TransposedConvolution(big, np.full((1, 1), 200, np.uint8)).step(0)
    assert int(step.value) == 40000 and int(step.products.sum()) == 40000


def test_float32_photo_matches_pytorch():
    rng = np.random.default_rng(3)
    image, kernel = rng.random((9, 7, 3), dtype=np.float32), rng.random((3, 3, 3), dtype=np.float32)
    got = vz.conv_transpose(image, kernel, stride=2, padding=1, output_padding=1)
    expected = conv_transpose_loops(image.astype(np.float64), kernel.astype(np.float64), 2, 1, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_clip_auto_gives_the_image_dtype_and_marks_clipped_steps():
    image = np.array([[200, 100], [0, 50]], np.uint8)
    up = vz.TransposedConvolution(image, [[1, 1], [1, -1]], clip="auto")
    raw = conv_transpose_loops(image, np.array([[1, 1], [1, -1]]))
    result = up.result()
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, np.clip(raw, 0, 255))
    np.testing.assert_array_equal(up.raw_result(), raw)
    for step in up.steps():
        assert step.is_clipped == (not 0 <= raw[step.out_index] <= 255)
        assert step.clipped_value == result[step.out_index]
    low_high = vz.TransposedConvolution(image, [[1, 1], [1, -1]], clip=(0, 100)).result()
    np.testing.assert_array_equal(low_high, np.clip(raw, 0, 100))


def test_a_snapshot_of_the_input():
    image = np.ones((2, 2))
    up = vz.TransposedConvolution(image, np.ones((2, 2)))
    image[:] = 7
    np.testing.assert_array_equal(up.result(), conv_transpose_loops(np.ones((2, 2)), np.ones((2, 2))))
    with pytest.raises(ValueError):
        up.stretched[0, 0] = 1  # read-only


def test_description():
    up = vz.TransposedConvolution(np.zeros((3, 4)), np.ones((3, 3)), stride=2, padding=(1, 0), output_padding=1)
    assert up.formula() == (
        "rows = (3 − 1)·2 − 2·1 + (3 − 1) + 1 + 1 = 6",
        "cols = (4 − 1)·2 − 2·0 + (3 − 1) + 1 + 1 = 10",
    )
    assert up.output_shape == (6, 10)
    assert up.stride == (2, 2) and up.padding == (1, 0) and up.output_padding == (1, 1) and up.dilation == (1, 1)
    text = up.describe()
    for words in (
        "input 3×4",
        "kernel 3×3",
        "stride 2",
        "padding 1×0",
        "output_padding 1",
        "output 6×10",
        "6×10 → 3×4",
    ):
        assert words in text
    assert vz.TransposedConvolution(np.zeros(3), np.ones(2), dilation=2).formula() == (
        "length = (3 − 1)·1 − 2·0 + 2·(2 − 1) + 0 + 1 = 5",
    )
    changed = up.replace(stride=1, output_padding=0, view="scatter")
    assert changed.output_shape == (3, 6) and changed.view == "scatter" and up.output_shape == (6, 10)
    assert repr(up).startswith("<TransposedConvolution transposed, direct view")
    assert "ScatterStep(index=0" in repr(changed.step(0)) and "DirectStep(index=0" in repr(up.step(0))


def test_a_signal_keeps_its_rank():
    up = vz.TransposedConvolution([1, 2, 3], [1, 10], stride=2, output_padding=1)
    np.testing.assert_array_equal(up.result(), [1, 10, 2, 20, 3, 30, 0])
    assert up.output_shape == (7,) and up.stride == 2 and up.stretched.shape == (8,)
    step = up.step(3)
    assert step.out_index == (3,) and step.origin == (3,) and step.window.shape == (2,)
    assert up.cell_kind(1) == "input" and up.cell_kind(2) == "zero" and up.cell_kind(0) == "padding"
    scatter = up.replace(view="scatter").step(2)
    assert scatter.in_index == (2,) and scatter.taps == (range(4, 6),) and scatter.inside.tolist() == [True, True]
    np.testing.assert_array_equal(scatter.partial_output, [1, 10, 2, 20, 3, 30, 0])
