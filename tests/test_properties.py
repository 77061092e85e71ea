"""Properties that hold for every convolution: steps and result agree, snapshots stay put, symmetries hold."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import correlate_scipy

import visualizer as vz
from visualizer.text import arithmetic, format_number

MODES = ["zeros", "replicate", "reflect", "circular"]


@st.composite
def small_cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    h, w = draw(st.integers(5, 8)), draw(st.integers(5, 8))  # a dilated 3×3 spans 5
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    channels = draw(st.sampled_from([(), (2,)]))
    image = rng.integers(-9, 10, (h, w) + channels)
    kernel = rng.integers(-3, 4, (m, n) + (channels if draw(st.booleans()) else ()))
    params = {
        "stride": (draw(st.integers(1, 2)), draw(st.integers(1, 3))),
        "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        "padding": tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in "rc"),
        "pad_mode": draw(st.sampled_from(MODES)),
        "pad_value": draw(st.integers(-2, 2)),
        "clip": draw(st.sampled_from([None, (-5, 5)])),
    }  # fmt: skip
    return image, kernel, params


@settings(max_examples=120, deadline=None)
@given(small_cases())
def test_steps_and_result_agree_exactly(case):
    image, kernel, params = case
    conv = vz.Convolution(image, kernel, **params)
    steps = list(conv.steps())
    result = conv.result()
    stacked = np.array([s.clipped_value for s in steps]).reshape(result.shape)
    np.testing.assert_array_equal(stacked, result)
    assert stacked.dtype == result.dtype
    raw = np.array([s.value for s in steps]).reshape(result.shape)
    np.testing.assert_array_equal(raw, conv.raw_result())
    # random access agrees with iteration, from both ends
    for i in {0, len(steps) // 2, len(steps) - 1}:
        for index in (i, i - len(steps)):
            step = conv.step(index)
            assert (step.index, step.out_index, step.origin) == (steps[i].index, steps[i].out_index, steps[i].origin)
            np.testing.assert_array_equal(step.window, steps[i].window)
    # the shortcuts are the same thing
    np.testing.assert_array_equal(vz.convolve(image, kernel, **params), result)
    by_shortcut = np.array([s.clipped_value for s in vz.conv_steps(image, kernel, **params)])
    np.testing.assert_array_equal(by_shortcut.reshape(result.shape), result)


@settings(max_examples=120, deadline=None)
@given(small_cases())
def test_transposing_everything_transposes_the_output(case):
    image, kernel, params = case
    (top, bottom), (left, right) = params["padding"]
    swapped = dict(
        params,
        stride=params["stride"][::-1],
        dilation=params["dilation"][::-1],
        padding=((left, right), (top, bottom)),
    )
    conv = vz.Convolution(image, kernel, **params)
    transposed = vz.Convolution(image.swapaxes(0, 1), kernel.swapaxes(0, 1), **swapped)
    np.testing.assert_array_equal(transposed.result(), conv.result().swapaxes(0, 1))
    assert transposed.pads == (left, right, top, bottom)


@settings(max_examples=80, deadline=None)
@given(small_cases(), st.integers(-3, 3), st.integers(-3, 3))
def test_linear_in_the_image_and_the_kernel(case, a, c):
    image, kernel, params = case
    params = dict(params, pad_value=0, clip=None)  # a constant fill other than 0 is affine, not linear
    other = np.roll(image, 1, axis=0)
    left = vz.convolve(a * image + c * other, kernel, **params)
    np.testing.assert_array_equal(
        left, a * vz.convolve(image, kernel, **params) + c * vz.convolve(other, kernel, **params)
    )
    twice = vz.convolve(image, 2 * kernel - 1, **params)
    np.testing.assert_array_equal(
        twice, 2 * vz.convolve(image, kernel, **params) - vz.convolve(image, np.ones_like(kernel), **params)
    )


@pytest.mark.parametrize("pad_mode", MODES)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_identity_kernel_with_same_padding_returns_the_input(pad_mode, size):
    image = np.random.default_rng(1).integers(0, 256, (6, 7, 3)).astype(np.uint8)
    conv = vz.Convolution(image, vz.kernel("identity", size=size), padding="same", pad_mode=pad_mode, clip="auto")
    np.testing.assert_array_equal(conv.result(), image)
    assert conv.result().dtype == np.uint8


def test_single_tap_kernel_samples_the_input():
    image = np.arange(48).reshape(6, 8)
    kernel = np.zeros((3, 3), int)
    kernel[1, 2] = 1
    np.testing.assert_array_equal(vz.convolve(image, kernel, stride=(2, 3)), image[1:5:2, 2:8:3])
    np.testing.assert_array_equal(vz.convolve(image, kernel, dilation=2), image[2:4, 4:8])


def test_shared_kernel_equals_a_stack_of_copies_and_each_channel_alone():
    rng = np.random.default_rng(2)
    image, kernel = rng.integers(0, 9, (5, 6, 4)), rng.integers(-2, 3, (2, 3))
    shared = vz.convolve(image, kernel, padding="same", pad_mode="circular")
    stack = vz.convolve(image, np.repeat(kernel[..., None], 4, axis=2), padding="same", pad_mode="circular")
    np.testing.assert_array_equal(shared, stack)
    for c in range(4):
        np.testing.assert_array_equal(
            shared[..., c], vz.convolve(image[..., c], kernel, padding="same", pad_mode="circular")
        )


def test_flip_kernel_twice_is_correlation():
    rng = np.random.default_rng(3)
    image, kernel = rng.integers(0, 9, (6, 6)), rng.integers(-2, 3, (3, 2))
    np.testing.assert_array_equal(vz.convolve(image, kernel[::-1, ::-1], flip_kernel=True), vz.convolve(image, kernel))
    conv = vz.Convolution(image, kernel, flip_kernel=True)
    np.testing.assert_array_equal(conv.step(0).kernel, kernel[::-1, ::-1])
    np.testing.assert_array_equal(conv.kernel, kernel)  # the kernel as given stays as given


def test_convolution_is_a_snapshot():
    image = np.arange(25, dtype=float).reshape(5, 5)
    kernel = np.ones((3, 3))
    conv = vz.Convolution(image, kernel, padding=1)
    before = conv.result()
    image[:] = 0
    kernel[:] = 0
    np.testing.assert_array_equal(conv.result(), before)
    returned = conv.result()
    returned[:] = -1  # a fresh array each time
    np.testing.assert_array_equal(conv.result(), before)
    for array in (conv.padded, conv.image, conv.kernel, conv.step(0).window, conv.step(0).kernel):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0, 0] = 1
    np.testing.assert_array_equal(conv.image, np.arange(25).reshape(5, 5))


def test_replace_equals_a_fresh_convolution():
    rng = np.random.default_rng(4)
    image = rng.integers(0, 256, (7, 6)).astype(np.uint8)
    conv = vz.Convolution(image, vz.KERNELS["sharpen"], padding="same", pad_mode="edge", clip="auto", pad_value=3)
    for changes in ({"stride": 2}, {"padding": "full"}, {"kernel": vz.KERNELS["emboss"]}, {"dilation": (1, 2)}):
        params = dict(padding="same", pad_mode="edge", clip="auto", pad_value=3, kernel=vz.KERNELS["sharpen"])
        params.update(changes)
        fresh = vz.Convolution(image, params.pop("kernel"), **params)
        replaced = conv.replace(**changes)
        np.testing.assert_array_equal(replaced.result(), fresh.result())
        assert replaced.result().dtype == np.uint8
    # a negative fill widens the padded array, yet the image and "auto" stay 8-bit through replace()
    widened = vz.Convolution(image, vz.KERNELS["identity"], padding=1, pad_value=-5, clip="auto")
    assert widened.image.dtype == np.uint8 and widened.replace(stride=2).result().dtype == np.uint8


def test_is_padding_marks_exactly_the_border():
    conv = vz.Convolution(np.ones((3, 4)), np.ones((2, 2)), padding=((1, 2), (0, 3)))
    rows, cols = conv.padded.shape
    mask = np.array([[conv.is_padding(r, c) for c in range(cols)] for r in range(rows)])
    expected = np.ones((rows, cols), bool)
    expected[1:4, 0:4] = False
    np.testing.assert_array_equal(mask, expected)


def test_integer_inputs_sum_in_integers():
    image = np.random.default_rng(5).integers(0, 256, (5, 5)).astype(np.uint8)
    assert vz.convolve(image, np.ones((3, 3), int)).dtype.kind == "i"
    assert vz.convolve(image, np.ones((3, 3), int), padding=1, pad_mode="edge", pad_value=0.5).dtype.kind == "i"
    assert vz.convolve(image, np.ones((3, 3))).dtype == np.float64
    # a float32 photo stays float32 (a float64 kernel must not promote it)
    assert vz.convolve(image.astype(np.float32), np.ones((3, 3))).dtype == np.float32


@settings(max_examples=60, deadline=None)
@given(small_cases())
def test_arithmetic_line_adds_up(case):
    image, kernel, params = case
    conv = vz.Convolution(image, kernel, **params)
    for step in list(conv.steps())[:4]:
        for channel in range(conv.channels) if conv.channels else [None]:
            line = arithmetic(step, channel=channel)
            terms = line.split(" = ")[0].replace("(", "").replace(")", "")
            total = sum(
                (-1 if sign.strip() == "−" else 1) * float(w.replace("−", "-")) * float(x.replace("−", "-"))
                for sign, w, x in re.findall(r"(^−|[+−] )?(\S+)×(\S+)", terms)
            )
            value = step.value if channel is None else step.value[channel]
            assert total == value
            assert line.split(" = ")[1].split(" → ")[0] == format_number(value).replace("-", "−")


# -- kernels ------------------------------------------------------------------------------


def test_named_kernels_are_read_only_and_kernel_gives_copies():
    for name, weights in vz.KERNELS.items():
        assert not weights.flags.writeable, name
        fresh = vz.kernel(name, size=weights.shape[0])
        np.testing.assert_array_equal(fresh, weights)
        fresh[0, 0] = 99  # a fresh array the caller may change
        assert vz.KERNELS[name][0, 0] != 99


@pytest.mark.parametrize("name", ["box_blur", "gaussian_blur", "gaussian_blur_5x5", "identity", "sharpen"])
def test_smoothing_kernels_keep_brightness(name):
    assert vz.KERNELS[name].sum() == pytest.approx(1)


@pytest.mark.parametrize("name", ["sobel_x", "sobel_y", "laplacian", "outline"])
def test_edge_kernels_ignore_flat_areas(name):
    assert vz.KERNELS[name].sum() == 0
    np.testing.assert_array_equal(vz.convolve(np.full((5, 5), 7), vz.KERNELS[name]), np.zeros((3, 3)))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_sized_kernels(size):
    from scipy.special import comb

    row = comb(size - 1, np.arange(size))
    np.testing.assert_allclose(vz.kernel("gaussian_blur", size=size), np.outer(row, row) / row.sum() ** 2)
    np.testing.assert_allclose(vz.kernel("box_blur", size=size), np.full((size, size), 1 / size**2))
    identity = vz.kernel("identity", size=size)
    assert identity.sum() == 1 and identity[(size - 1) // 2, (size - 1) // 2] == 1
    np.testing.assert_allclose(vz.kernel("gaussian_blur", size=5), vz.KERNELS["gaussian_blur_5x5"])
    np.testing.assert_allclose(vz.kernel("gaussian_blur", size=3), vz.KERNELS["gaussian_blur"])


def test_sobel_magnitude_against_scipy():
    image = np.random.default_rng(6).integers(0, 256, (7, 8))
    gx = correlate_scipy(image, vz.KERNELS["sobel_x"], padding="same", pad_mode="replicate")
    gy = correlate_scipy(image, vz.KERNELS["sobel_y"], padding="same", pad_mode="replicate")
    got = vz.sobel_magnitude(image, padding="same", pad_mode="replicate")
    np.testing.assert_allclose(got, np.hypot(gx, gy), rtol=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e5, 1e5, allow_nan=False).filter(lambda x: abs(x) > 1e-3)))
def test_format_number_is_short_and_close(value):
    text = format_number(value)
    assert not text.endswith(".0") and " " not in text
    if float(value).is_integer():
        assert text == str(int(value))
    else:
        # three significant figures (the whole part past 100): within half a percent
        assert abs(float(text) - value) <= 0.005 * abs(value) * (1 + 1e-9)
