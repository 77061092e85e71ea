"""The padded answer without a padded copy: ``convolve()`` sums the interior from the caller's
array and the frame of border rows and columns from thin strips of the padded input.

Held against SciPy (every pad mode, stride, dilation, even kernels, colour, dtypes, inputs
thinner than the kernel), and, bit for bit, against the same shift-add run over a whole
padded array made by SciPy's boundary modes (``reference.pad_image``): splitting the output
into pieces must not change a single sum.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import PAD_MODE_NAMES, clamp, correlate_scipy, pad_image, reference_pads

import visualizer as vz
from visualizer import _borders, _shift_add

INT_DTYPES = ["uint8", "int16", "int32", "uint64", "int64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]


def make_image(rng: np.random.Generator, shape, dtype: str) -> np.ndarray:
    if dtype in INT_DTYPES:
        low = 0 if dtype.startswith("u") else -200
        return rng.integers(low, 256, shape).astype(dtype)
    return (rng.standard_normal(shape) * 20).astype(dtype)


def whole_padded_sums(conv: vz.Convolution, image: np.ndarray) -> np.ndarray:
    """The engine's own shift-add over one whole padded array that SciPy padded (not ``_borders``)."""
    padded = pad_image(image, conv.pads, conv.pad_mode, conv.pad_value).astype(conv.dtype)
    out = np.empty(conv.output_shape + image.shape[2:], conv.dtype)
    _shift_add.correlate(padded, conv._applied_kernel, conv.stride, conv.dilation, out)
    return out


def check(image: np.ndarray, kernel: np.ndarray, **params) -> None:
    """convolve() against SciPy, and bit for bit against the shift-add over a whole padded array."""
    got = vz.convolve(image, kernel, **params)
    conv = vz.Convolution(image, kernel, **params)
    raw = conv.raw_result()
    pad_mode, pad_value = params.get("pad_mode", "zeros"), params.get("pad_value", 0)
    expected = correlate_scipy(
        image,
        kernel,
        params.get("stride", 1),
        params.get("padding", "valid"),
        pad_mode,
        params.get("dilation", 1),
        pad_value=pad_value,
        flip_kernel=params.get("flip_kernel", False),
    )
    exact = image.dtype.kind in "iu" and kernel.dtype.kind in "iu" and float(pad_value).is_integer()
    # float error grows with the sum of |terms|, not with the (possibly cancelled) sum; float16 sums in float32
    scale = max(float(np.abs(image).max()), abs(pad_value)) * float(np.abs(kernel).sum(axis=(0, 1)).max())
    rtol = 1e-5 if conv.dtype == np.float32 else 1e-10
    if exact:
        np.testing.assert_array_equal(raw, expected)
    else:
        np.testing.assert_allclose(raw, expected, rtol=rtol, atol=rtol * scale + 1e-300)
    np.testing.assert_array_equal(got, conv.result())
    whole = whole_padded_sums(conv, image)
    if conv.dilation == (1, 1) or exact:
        assert raw.tobytes() == whole.tobytes()
    else:  # the einsum that sums spaced-out taps may order a piece's sums its own way
        np.testing.assert_allclose(raw, whole, rtol=rtol, atol=rtol * scale + 1e-300)
    if "clip" in params:
        np.testing.assert_array_equal(got, clamp(raw, params["clip"], image.dtype))


# -- named corners -------------------------------------------------------------------------

CORNERS = {
    "1x1 input, 5x5 kernel, same": ((1, 1), (5, 5), {"padding": "same"}),
    "1x1 input, 4x4 kernel, full": ((1, 1), (4, 4), {"padding": "full"}),
    "one row, 3x3 same": ((1, 9), (3, 3), {"padding": "same"}),
    "one column, 3x3 same": ((9, 1), (3, 3), {"padding": "same"}),
    "two rows, 5x5 same": ((2, 8), (5, 5), {"padding": "same"}),
    "thinner than the kernel, padded to fit": ((2, 3), (5, 6), {"padding": ((2, 1), (1, 2))}),
    "even kernel same": ((6, 7), (2, 4), {"padding": "same"}),
    "even kernel same stride 2": ((7, 6), (4, 2), {"padding": "same", "stride": 2}),
    "stride past the kernel": ((9, 9), (2, 2), {"padding": "same", "stride": 4}),
    "dilated full": ((4, 5), (3, 2), {"padding": "full", "dilation": (2, 3)}),
    "dilated same, thin": ((2, 9), (3, 3), {"padding": "same", "dilation": 3}),
    "pads on one side only": ((6, 6), (3, 3), {"padding": ((0, 3), (4, 0))}),
    "pads wider than the image": ((3, 2), (3, 3), {"padding": 5}),
    "no padding": ((6, 7), (3, 3), {"stride": (2, 3)}),
    "1x1 kernel with padding": ((4, 5), (1, 1), {"padding": 2}),
}


@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
@pytest.mark.parametrize("colour", [None, "shared", "stack"])
@pytest.mark.parametrize("name", CORNERS)
def test_corner(name, colour, pad_mode):
    image_shape, kernel_shape, params = CORNERS[name]
    rng = np.random.default_rng(len(name) * 31 + len(pad_mode))
    channels = () if colour is None else (3,)
    for dtype, kernel in (
        ("int16", rng.integers(-4, 5, kernel_shape + (channels if colour == "stack" else ()))),
        ("float32", rng.standard_normal(kernel_shape + (channels if colour == "stack" else ()))),
    ):
        check(make_image(rng, image_shape + channels, dtype), kernel, pad_mode=pad_mode, pad_value=3, **params)


# -- hypothesis sweep ----------------------------------------------------------------------

SMALL = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))
PADDINGS = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 6),
    st.tuples(st.tuples(st.integers(0, 6), st.integers(0, 6)), st.tuples(st.integers(0, 6), st.integers(0, 6))),
)


@st.composite
def cases(draw):
    """Images from 1×1 up (often thinner than the kernel), kernels up to 5×5, every parameter."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    channels = draw(st.sampled_from([(), (), (1,), (3,)]))
    image_shape = (draw(st.integers(1, 9)), draw(st.integers(1, 9))) + channels
    kernel_shape = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    if channels and draw(st.booleans()):
        kernel_shape += channels
    dtype = draw(st.sampled_from(INT_DTYPES + FLOAT_DTYPES))
    kernel = rng.integers(-4, 5, kernel_shape)
    if dtype in FLOAT_DTYPES or draw(st.booleans()):
        kernel = rng.standard_normal(kernel_shape) if draw(st.booleans()) else kernel / 8
    params = {
        "stride": draw(SMALL),
        "padding": draw(PADDINGS),
        "pad_mode": draw(st.sampled_from(sorted(PAD_MODE_NAMES))),
        "dilation": draw(SMALL),
        "pad_value": draw(st.sampled_from([0, 0, 5, -2, 0.5])),
        "flip_kernel": draw(st.booleans()),
    }
    if dtype != "uint64" and draw(st.booleans()):  # the reference's clamp cannot hold uint64's range
        params["clip"] = draw(st.sampled_from(["auto", (0, 255), (-1, 1)]))
    return make_image(rng, image_shape, dtype), kernel, params


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_copy_path_matches_scipy_and_the_whole_padded_sums(case):
    image, kernel, params = case
    try:
        vz.output_shape(image.shape, kernel.shape, params["stride"], params["padding"], params["dilation"])
    except ValueError:  # the kernel does not fit in the padded input: refused, as ever
        with pytest.raises(ValueError, match="kernel"):
            vz.convolve(image, kernel, **params)
        return
    check(image, kernel, **params)


@settings(max_examples=200, deadline=None)
@given(
    size=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    pads=st.tuples(*[st.integers(0, 9)] * 4),
    mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    data=st.data(),
)
def test_a_padded_block_is_that_part_of_the_padded_input(size, pads, mode, data):
    image = np.arange(size[0] * size[1] * 2).reshape(size + (2,)).astype(np.uint8)
    top, bottom, left, right = pads
    height, width = size[0] + top + bottom, size[1] + left + right
    r0 = data.draw(st.integers(0, height - 1))
    r1 = data.draw(st.integers(r0 + 1, height))
    c0 = data.draw(st.integers(0, width - 1))
    c1 = data.draw(st.integers(c0 + 1, width))
    block = _borders.padded_block(image, pads, mode, 7, np.dtype(np.int64), (r0, r1), (c0, c1))
    np.testing.assert_array_equal(block, pad_image(image, pads, mode, 7)[r0:r1, c0:c1])
    assert block.dtype == np.uint8  # 7 fits the pixels' dtype: the strip stays 8-bit


# -- the caller's array as it lies ---------------------------------------------------------

BIG = np.random.default_rng(5).standard_normal((70, 90, 3)).astype(np.float32)


@pytest.mark.parametrize(
    "view",
    [
        lambda a: a[3:60, 5:80, 0],  # a crop: rows are runs, a parent's row apart
        lambda a: a[::2, :, 1],  # every other row: runs two rows apart
        lambda a: a[:, ::2, 2],  # every other column: no runs
        lambda a: a[::-1, ::-1, 0],  # reversed
        lambda a: np.asfortranarray(a[..., 0]),
        lambda a: a[4:50, 7:60],  # a colour crop
        lambda a: a[:, :, ::-1],  # channels reversed
    ],
    ids=["crop", "rows", "columns", "reversed", "fortran", "colour-crop", "bgr"],
)
@pytest.mark.parametrize("size", [3, 4, 7])
def test_views_of_the_callers_array_give_the_same_bits(view, size):
    image = view(BIG)
    kernel = np.random.default_rng(size).standard_normal((size, size)).astype(np.float32)
    got = vz.convolve(image, kernel, padding="same")
    assert got.tobytes() == vz.convolve(np.ascontiguousarray(image), kernel, padding="same").tobytes()
    check(image, kernel, padding="same", pad_mode="reflect")


# -- no padded copy ------------------------------------------------------------------------


def peak_bytes(work) -> int:
    """Peak memory NumPy allocates while ``work()`` runs (NumPy reports to tracemalloc)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
@pytest.mark.parametrize("channels", [(), (3,)])
def test_convolve_copies_neither_the_image_nor_a_padded_one(pad_mode, channels):
    image = np.random.default_rng(6).random((800, 600) + channels, dtype=np.float32)
    kernel = np.ones((5, 5) + channels, np.float32)
    peak = peak_bytes(lambda: vz.convolve(image, kernel, padding="same", pad_mode=pad_mode))
    # the output, plus scratch for a band of rows and the thin border strips; a copy of the
    # image (padded or not) would add a whole image's bytes
    assert peak < 1.5 * image.nbytes


def test_a_convolution_pads_only_when_asked():
    image = np.random.default_rng(7).random((800, 600), dtype=np.float32)
    conv = vz.Convolution(image, np.ones((5, 5), np.float32), padding="same")
    assert peak_bytes(conv.result) < 1.5 * image.nbytes
    assert peak_bytes(lambda: conv.padded) > image.nbytes  # made now, on first use
    assert conv.padded.shape == (804, 604) and peak_bytes(lambda: conv.padded) < 1000  # and kept
    np.testing.assert_array_equal(conv.padded, pad_image(image, conv.pads).astype(np.float32))
    assert reference_pads(image.shape, (5, 5), 1, "same") == conv.pads
