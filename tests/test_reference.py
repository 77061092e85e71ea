"""The engine against independent references: SciPy always, PyTorch when importable.

Every case checks ``result()``, every Step (value, clipped value, window,
kernel, products, origin, row-major order), ``pads``, ``padded`` and
``output_shape``. Named cases pin the tricky corners; hypothesis sweeps the rest.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from needed import missing
from reference import (
    PAD_MODE_NAMES,
    clamp,
    convolve_scipy,
    correlate_scipy,
    correlate_torch,
    pad_image,
    pair,
    reference_output_shape,
    reference_pads,
    tensorflow_same,
    torch,
    torch_supports,
    window_at,
)
from scipy import ndimage, signal

import visualizer as vz

INT_DTYPES = ["uint8", "int8", "uint16", "int16", "int32", "int64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]
RTOL = {"float16": 1e-5, "float32": 1e-5, "float64": 1e-10}  # float16 images sum in float32


def make_image(rng: np.random.Generator, shape, dtype: str) -> np.ndarray:
    if dtype in INT_DTYPES:
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -300), min(info.max, 300), shape, endpoint=True).astype(dtype)
    return (rng.standard_normal(shape) * 50).astype(dtype)


def make_kernel(rng: np.random.Generator, shape, kind: str) -> np.ndarray:
    if kind == "int":
        return rng.integers(-4, 5, shape)
    if kind == "dyadic":  # floats whose sums with integers are exact: rounding compares exactly
        return rng.integers(-16, 17, shape) / 8
    return rng.standard_normal(shape)


def tolerance(image_dtype: np.dtype, padded: np.ndarray, kernel: np.ndarray) -> tuple[float, float]:
    """(rtol, atol): float error grows with the sum of |terms|, not with the (possibly cancelled) sum."""
    if image_dtype.kind in "iu":
        return 1e-12, 1e-9
    rtol = RTOL[image_dtype.name]
    scale = float(np.abs(padded).max()) * float(np.abs(kernel).sum(axis=(0, 1)).max())
    return rtol, rtol * scale + 1e-300


def check_against_scipy(image, kernel, **params) -> vz.Convolution:
    """Build the Convolution and hold every part of it against the SciPy reference."""
    stride, padding, dilation = params.get("stride", 1), params.get("padding", "valid"), params.get("dilation", 1)
    pad_mode, pad_value = params.get("pad_mode", "zeros"), params.get("pad_value", 0)
    clip, flip = params.get("clip"), params.get("flip_kernel", False)
    conv = vz.Convolution(image, kernel, **params)

    pads = reference_pads(image.shape, kernel.shape, stride, padding, dilation)
    assert conv.pads == pads
    out_shape = reference_output_shape(image.shape, kernel.shape, stride, padding, dilation)
    assert conv.output_shape == out_shape
    assert conv.num_steps == len(conv) == out_shape[0] * out_shape[1]
    # the lesson's formula, generalised with dilation
    (sr, sc), (dr, dc) = pair(stride), pair(dilation)
    (h, w), (m, n) = image.shape[:2], kernel.shape[:2]
    assert out_shape == (
        (h + pads[0] + pads[1] - dr * (m - 1) - 1) // sr + 1,
        (w + pads[2] + pads[3] - dc * (n - 1) - 1) // sc + 1,
    )

    padded = pad_image(image, pads, pad_mode, pad_value)
    np.testing.assert_array_equal(conv.padded, padded)
    raw = correlate_scipy(image, kernel, stride, padding, pad_mode, dilation, pad_value=pad_value, flip_kernel=flip)
    expected = clamp(raw, clip, image.dtype)
    rtol, atol = tolerance(image.dtype, padded, kernel)

    result = conv.result()
    assert result.shape == out_shape + image.shape[2:]
    if image.dtype.kind in "iu" and kernel.dtype.kind in "iu" and float(pad_value).is_integer():
        assert result.dtype.kind in "iu"
        np.testing.assert_array_equal(conv.raw_result(), raw)  # integers: exactly
    else:
        np.testing.assert_allclose(conv.raw_result(), raw, rtol=rtol, atol=atol)
    if clip == "auto" and image.dtype.kind in "iu":
        assert result.dtype == image.dtype
        np.testing.assert_array_equal(result, expected)
    else:
        np.testing.assert_allclose(result, expected, rtol=rtol, atol=atol)
    if clip is not None and clip != "auto":
        assert result.min() >= clip[0] and result.max() <= clip[1]

    applied = kernel[::-1, ::-1] if flip else kernel
    spread = applied[..., None] if image.ndim == 3 and kernel.ndim == 2 else applied
    steps = list(conv.steps())
    assert len(steps) == conv.num_steps
    for k, step in enumerate(steps):
        i, j = divmod(k, out_shape[1])
        assert step.index == k and step.out_index == (i, j)  # row-major
        assert step.origin == (i * sr, j * sc)
        window = window_at(padded, step.origin, kernel.shape, dilation)
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_array_equal(step.kernel, applied.astype(step.kernel.dtype))  # in the dtype it sums in
        np.testing.assert_allclose(step.products, window * spread, rtol=1e-6)
        np.testing.assert_allclose(step.value, raw[i, j], rtol=rtol, atol=atol)
        np.testing.assert_allclose(step.value, step.products.sum(axis=(0, 1)), rtol=rtol, atol=atol)
        # a step's value is exactly the matching element of the output
        np.testing.assert_array_equal(step.clipped_value, result[i, j])
        low, high = conv.clip_range or (-np.inf, np.inf)
        assert step.is_clipped == bool(np.any((step.value < low) | (step.value > high)))
    return conv


# -- named cases --------------------------------------------------------------------------

NAMED = {
    "lesson 4x4 valid": ((4, 4), (3, 3), {}),
    "lesson 4x5 stride 2": ((4, 5), (3, 3), {"stride": 2}),
    "same 5x5": ((5, 5), (3, 3), {"padding": "same"}),
    "same stride 2": ((5, 5), (3, 3), {"padding": "same", "stride": 2}),
    "even kernel same": ((5, 6), (2, 4), {"padding": "same"}),
    "even kernel same stride 2": ((7, 6), (4, 2), {"padding": "same", "stride": 2}),
    "same stride larger than kernel": ((7, 7), (2, 2), {"padding": "same", "stride": 3}),
    "same dilated": ((6, 7), (3, 2), {"padding": "same", "dilation": (2, 3)}),
    "full": ((3, 4), (3, 2), {"padding": "full"}),
    "full dilated": ((3, 4), (2, 3), {"padding": "full", "dilation": 2}),
    "int padding": ((4, 4), (3, 3), {"padding": 2}),
    "pair padding": ((4, 4), (3, 3), {"padding": (1, 3)}),
    "asymmetric pads": ((4, 5), (3, 3), {"padding": ((0, 2), (3, 1))}),
    "stride pair": ((7, 8), (3, 3), {"stride": (1, 3)}),
    "dilation pair": ((7, 8), (3, 2), {"dilation": (3, 1)}),
    "1x1 kernel": ((3, 4), (1, 1), {"stride": 2}),
    "kernel as large as the input": ((3, 4), (3, 4), {}),
    "1x1 input with full padding": ((1, 1), (3, 3), {"padding": "full", "pad_mode": "replicate"}),
    "replicate beyond the image": ((2, 3), (3, 3), {"padding": 4, "pad_mode": "replicate"}),
    "reflect beyond the image": ((2, 3), (3, 3), {"padding": 4, "pad_mode": "reflect"}),
    "reflect of one row": ((1, 4), (3, 3), {"padding": 1, "pad_mode": "reflect"}),
    "circular beyond the image": ((2, 3), (3, 3), {"padding": 5, "pad_mode": "circular"}),
    "numpy names": ((4, 4), (3, 3), {"padding": 1, "pad_mode": "edge"}),
    "pad value": ((4, 4), (3, 3), {"padding": 1, "pad_value": 7}),
    "fractional pad value": ((4, 4), (3, 3), {"padding": 1, "pad_value": 0.5}),
    "negative pad value": ((4, 4), (2, 2), {"padding": 1, "pad_value": -3}),
    "flipped": ((5, 4), (3, 2), {"flip_kernel": True, "padding": "same"}),
    "stride and dilation": ((9, 9), (3, 3), {"stride": 2, "dilation": 2, "padding": 1}),
    "uppercase padding name": ((5, 5), (3, 3), {"padding": "SAME"}),
}


@pytest.mark.parametrize("dtype", ["uint8", "int64", "float32", "float64"])
@pytest.mark.parametrize("colour", [None, "shared", "stack"])
@pytest.mark.parametrize("name", NAMED)
def test_named_case(name, colour, dtype):
    image_shape, kernel_shape, params = NAMED[name]
    rng = np.random.default_rng(zlib.crc32(f"{name} {colour} {dtype}".encode()))
    channels = () if colour is None else (3,)
    image = make_image(rng, image_shape + channels, dtype)
    kernel = make_kernel(rng, kernel_shape + (channels if colour == "stack" else ()), "int")
    check_against_scipy(image, kernel, **params)


@pytest.mark.parametrize("clip", [None, "auto", (0, 1), (-1, 1), (0, 255)])
@pytest.mark.parametrize("dtype", ["uint8", "int16", "float32", "float64"])
def test_clip_forms(clip, dtype):
    rng = np.random.default_rng(3)
    image = make_image(rng, (6, 5), dtype)
    if dtype.startswith("float"):
        image = (image / 100).astype(dtype)  # around the (0, 1) and (-1, 1) ranges
    for kernel in (make_kernel(rng, (3, 3), "int"), make_kernel(rng, (3, 2), "dyadic")):
        conv = check_against_scipy(image, kernel, padding="same", clip=clip)
        if clip == "auto" and dtype == "uint8":
            assert conv.result().dtype == np.uint8


def test_auto_clip_keeps_uint8_and_saturates():
    image = np.array([[200, 100, 0], [50, 255, 30], [10, 20, 250]], np.uint8)
    conv = check_against_scipy(image, np.ones((2, 2), int), clip="auto")
    assert conv.result().dtype == np.uint8
    np.testing.assert_array_equal(conv.result(), [[255, 255], [255, 255]])
    np.testing.assert_array_equal(conv.raw_result(), [[605, 385], [335, 555]])
    assert all(step.is_clipped for step in conv.steps())


def test_auto_clip_rounds_float_sums():
    # 5 × (1/9) × 9 is 4.999999999999999 in floating point; an 8-bit blur must still give 5
    image = np.full((4, 4), 5, np.uint8)
    conv = check_against_scipy(image, np.full((3, 3), 1 / 9), clip="auto")
    assert conv.raw_result()[0, 0] != 5
    np.testing.assert_array_equal(conv.result(), np.full((2, 2), 5, np.uint8))


@pytest.mark.parametrize("alias, name", [("constant", "zeros"), ("edge", "replicate"), ("wrap", "circular")])
def test_numpy_aliases_equal_pytorch_names(alias, name):
    image = np.random.default_rng(5).integers(0, 10, (5, 4))
    a = vz.Convolution(image, np.ones((3, 3), int), padding=2, pad_mode=alias)
    b = vz.Convolution(image, np.ones((3, 3), int), padding=2, pad_mode=name)
    assert a.pad_mode == b.pad_mode == name
    np.testing.assert_array_equal(a.result(), b.result())
    check_against_scipy(image, np.ones((3, 3), int), padding=2, pad_mode=alias)


@pytest.mark.parametrize("padding", ["valid", "same", "full", 2])
@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
def test_flip_kernel_is_true_convolution(padding, pad_mode):
    rng = np.random.default_rng(7)
    image, kernel = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    expected = convolve_scipy(image, kernel, padding, pad_mode)
    result = vz.convolve(image, kernel, padding=padding, pad_mode=pad_mode, flip_kernel=True)
    np.testing.assert_allclose(result, expected, rtol=1e-10, atol=1e-12)
    # and not a correlation, for a kernel that is not symmetric
    assert not np.allclose(result, vz.convolve(image, kernel, padding=padding, pad_mode=pad_mode))


def test_flip_kernel_matches_signal_and_ndimage_convolve():
    rng = np.random.default_rng(8)
    image, kernel = rng.integers(0, 9, (6, 6)), rng.integers(-3, 4, (3, 3))
    np.testing.assert_array_equal(
        vz.convolve(image, kernel, flip_kernel=True), signal.convolve2d(image, kernel, mode="valid")
    )
    # ndimage.convolve of an odd kernel, "same" size, reflect -> mirror
    expected = ndimage.convolve(image, kernel, mode="mirror")
    np.testing.assert_array_equal(
        vz.convolve(image, kernel, padding="same", pad_mode="reflect", flip_kernel=True), expected
    )
    colour = rng.integers(0, 9, (5, 5, 3))
    stack = rng.integers(-3, 4, (3, 3, 3))
    got = vz.convolve(colour, stack, padding="same", pad_mode="replicate", flip_kernel=True)
    for c in range(3):
        np.testing.assert_array_equal(got[..., c], ndimage.convolve(colour[..., c], stack[..., c], mode="nearest"))


def test_per_channel_kernels_differ():
    # the seed's 3×3×3 stack: blur red, sharpen green, edges on blue
    rng = np.random.default_rng(9)
    image = rng.integers(0, 256, (6, 6, 3)).astype(np.uint8)
    stack = np.stack([vz.KERNELS["box_blur"], vz.KERNELS["sharpen"], vz.KERNELS["sobel_x"]], axis=-1)
    conv = check_against_scipy(image, stack, padding="same", clip="auto")
    for c in range(3):
        alone = vz.convolve(image[..., c], stack[..., c], padding="same", clip="auto")
        np.testing.assert_array_equal(conv.result()[..., c], alone)


def test_scipy_reference_paths_agree():
    """The two SciPy routes (ndimage boundary modes, map_coordinates + correlate2d) agree with each other."""
    rng = np.random.default_rng(10)
    for pad_mode in ("zeros", "replicate", "reflect", "circular"):
        for padding in ("same", "full", 1, ((0, 2), (1, 0))):
            image, kernel = rng.integers(0, 9, (5, 6)), rng.integers(-2, 3, (3, 4))
            a = correlate_scipy(image, kernel, 1, padding, pad_mode, 1, pad_value=2)
            b = correlate_scipy(image, kernel, 1, padding, pad_mode, 1, pad_value=2, method="signal")
            np.testing.assert_array_equal(a, b)


def test_tensorflow_same_rule_examples():
    # worked examples of TensorFlow's rule: (size, kernel, stride, dilation) -> (before, after)
    assert tensorflow_same(5, 3, 1, 1) == (1, 1)
    assert tensorflow_same(5, 3, 2, 1) == (1, 1)
    assert tensorflow_same(6, 3, 2, 1) == (0, 1)  # the extra row goes after
    assert tensorflow_same(5, 4, 1, 1) == (1, 2)
    assert tensorflow_same(7, 2, 3, 1) == (0, 1)
    assert tensorflow_same(7, 1, 3, 1) == (0, 0)
    assert tensorflow_same(5, 3, 1, 2) == (2, 2)


# -- hypothesis sweep ---------------------------------------------------------------------

PADDINGS = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 3),
    st.tuples(st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.tuples(st.integers(0, 3), st.integers(0, 3)), st.tuples(st.integers(0, 3), st.integers(0, 3))),
)
STEPS = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))


@st.composite
def cases(draw):
    """(image, kernel, params) over shapes, dtypes, colour, every padding form, mode and clip."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    channels = draw(st.sampled_from([(), (), (1,), (3,)]))
    image_shape = (draw(st.integers(1, 7)), draw(st.integers(1, 7))) + channels
    kernel_shape = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    if channels and draw(st.booleans()):
        kernel_shape += channels
    dtype = draw(st.sampled_from(INT_DTYPES + FLOAT_DTYPES))
    kind = draw(st.sampled_from(["int", "dyadic"] if dtype in INT_DTYPES else ["int", "dyadic", "float"]))
    params = {
        "stride": draw(STEPS),
        "padding": draw(PADDINGS),
        "pad_mode": draw(st.sampled_from(sorted(PAD_MODE_NAMES))),
        "dilation": draw(STEPS),
        "pad_value": draw(st.sampled_from([0, 0, 3, -2, 0.5])),
        "clip": draw(st.sampled_from([None, None, "auto", (0, 1), (-1, 1), (0, 255)])),
        "flip_kernel": draw(st.booleans()),
    }
    return make_image(rng, image_shape, dtype), make_kernel(rng, kernel_shape, kind), params


def fits(image, kernel, params) -> bool:
    """Whether the dilated kernel fits inside the padded input (else the engine must refuse)."""
    top, bottom, left, right = reference_pads(
        image.shape, kernel.shape, params["stride"], params["padding"], params["dilation"]
    )
    (dr, dc), (m, n) = pair(params["dilation"]), kernel.shape[:2]
    return image.shape[0] + top + bottom >= dr * (m - 1) + 1 and image.shape[1] + left + right >= dc * (n - 1) + 1


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_engine_matches_scipy(case):
    image, kernel, params = case
    if fits(image, kernel, params):
        check_against_scipy(image, kernel, **params)
    else:
        with pytest.raises(ValueError, match="kernel"):
            vz.Convolution(image, kernel, **params)


# -- PyTorch, a second and separate reference ---------------------------------------------

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")


def test_pytorch_is_installed():
    # the PyTorch tests skip without it: this one names the cause once, and fails in CI, which installs it
    if torch is None:
        missing("PyTorch is not installed (pip install torch==2.13.0), so every PyTorch reference test skips")


@needs_torch
@settings(max_examples=150, deadline=None)
@given(cases())
def test_engine_matches_torch(case):
    image, kernel, params = case
    params = {k: v for k, v in params.items() if k != "clip"}
    pads = reference_pads(image.shape, kernel.shape, params["stride"], params["padding"], params["dilation"])
    if not fits(image, kernel, params) or not torch_supports(image.shape, pads, params["pad_mode"]):
        return  # torch refuses reflect pads >= size and circular pads > size
    conv = vz.Convolution(image, kernel, **params)
    expected = correlate_torch(image, kernel, **params)
    rtol, atol = tolerance(image.dtype, conv.padded, kernel)
    np.testing.assert_allclose(conv.result(), expected, rtol=rtol, atol=max(atol, 1e-9))
    np.testing.assert_allclose(
        [s.value for s in conv.steps()], expected.reshape((-1,) + expected.shape[2:]), rtol=rtol, atol=max(atol, 1e-9)
    )


@needs_torch
@pytest.mark.parametrize("name", NAMED)
def test_named_case_matches_torch(name):
    image_shape, kernel_shape, params = NAMED[name]
    rng = np.random.default_rng(11)
    image, kernel = rng.standard_normal(image_shape + (3,)), rng.standard_normal(kernel_shape)
    pads = reference_pads(
        image.shape, kernel.shape, params.get("stride", 1), params.get("padding", "valid"), params.get("dilation", 1)
    )
    if not torch_supports(image.shape, pads, params.get("pad_mode", "zeros")):
        pytest.skip("F.pad refuses this much reflect/circular padding")
    np.testing.assert_allclose(
        vz.convolve(image, kernel, **params), correlate_torch(image, kernel, **params), rtol=1e-10, atol=1e-10
    )


def test_rounding_under_auto_is_not_clamping():
    image = np.array([[10, 20, 31], [40, 50, 60], [70, 80, 250]], np.uint8)
    conv = vz.Convolution(image, np.full((2, 2), 0.25), clip="auto")
    expected = clamp(correlate_scipy(image, np.full((2, 2), 0.25)), "auto", np.uint8)
    np.testing.assert_array_equal(conv.result(), expected)  # 30.25 → 30, 45.25 → 45, …
    assert not any(step.is_clipped for step in conv.steps())
    odd = vz.Convolution(image, vz.KERNELS["odd"], clip="auto")
    assert odd.step(0).is_clipped and odd.step(0).clipped_value == 255
