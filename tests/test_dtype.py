"""Convolution's ``dtype``: the sums in float32 or float64 on request, the same answers."""

from __future__ import annotations

import numpy as np
import pytest
from reference import correlate_scipy

import visualizer as vz

RNG = np.random.default_rng(11)
PHOTO = RNG.integers(0, 256, (40, 30, 3), dtype=np.uint8)
STACK = np.stack([vz.KERNELS["gaussian_blur"], vz.KERNELS["sharpen"], vz.KERNELS["outline"]], axis=-1)
KERNELS = [STACK, vz.KERNELS["sobel_x"], vz.KERNELS["box_blur"]]


@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
@pytest.mark.parametrize(
    "kernel", [STACK, vz.KERNELS["sobel_x"], vz.KERNELS["box_blur"]], ids=["stack", "int", "float"]
)
def test_float32_sums_of_8_bit_pixels_match_scipy(kernel, pad_mode):
    conv = vz.Convolution(PHOTO, kernel, padding="same", pad_mode=pad_mode, dtype=np.float32)
    expected = correlate_scipy(PHOTO.astype(float), kernel, padding="same", pad_mode=pad_mode)
    raw = conv.raw_result()
    assert raw.dtype == np.float32 and conv.padded.dtype == np.uint8  # pixels stay 8-bit on screen
    if np.issubdtype(kernel.dtype, np.integer) or kernel is STACK:  # sixteenths and integers: exact in float32
        np.testing.assert_array_equal(raw, expected)
    else:
        np.testing.assert_allclose(raw, expected, rtol=1e-6, atol=1e-4)
    assert [step.value.tolist() for step in conv.steps()][:5] == raw.reshape(-1, 3)[:5].tolist()


def test_auto_clip_still_gives_8_bit_and_replace_keeps_the_asked_dtype():
    conv = vz.Convolution(PHOTO, STACK, padding="same", clip="auto", dtype="float32")
    assert conv.result().dtype == np.uint8
    assert conv.replace(stride=2).dtype == np.float32
    # asked for nothing: replace() lets the new values choose (an integer kernel sums in int64)
    plain = vz.Convolution(PHOTO, vz.KERNELS["box_blur"])
    assert plain.dtype == np.float64 and plain.replace(kernel=vz.KERNELS["sobel_x"]).dtype == np.int64


@pytest.mark.parametrize("dtype", [np.int64, "float16", "uint8", "pixels", object, complex])
def test_other_dtypes_are_refused_by_name(dtype):
    with pytest.raises(TypeError, match=r"dtype must be None, float32 or float64"):
        vz.Convolution(PHOTO, STACK, dtype=dtype)
