"""Bad input: a ValueError or TypeError naming the parameter, never IndexError/ZeroDivisionError or a wrong answer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import visualizer as vz
from visualizer.text import arithmetic

IMAGE = np.arange(25).reshape(5, 5)
KERNEL = np.ones((3, 3))
COLOUR = np.zeros((5, 5, 3))


def conv(**params):
    return vz.Convolution(params.pop("image", IMAGE), params.pop("kernel", KERNEL), **params)


# name -> (call, exception type, words the message must contain: the parameter, and what is allowed)
BAD = {
    "stride 0": (lambda: conv(stride=0), ValueError, ["stride", ">= 1"]),
    "stride negative": (lambda: conv(stride=-1), ValueError, ["stride", ">= 1"]),
    "stride 0 in a pair": (lambda: conv(stride=(1, 0)), ValueError, ["stride", ">= 1"]),
    "stride float": (lambda: conv(stride=1.5), TypeError, ["stride", "int"]),
    "stride whole float": (lambda: conv(stride=2.0), TypeError, ["stride", "int"]),
    "stride bool": (lambda: conv(stride=True), TypeError, ["stride", "int"]),
    "stride string": (lambda: conv(stride="2"), TypeError, ["stride", "int"]),
    "stride None": (lambda: conv(stride=None), TypeError, ["stride", "int"]),
    "stride triple": (lambda: conv(stride=(1, 2, 3)), ValueError, ["stride", "(rows, cols) pair"]),
    "dilation 0": (lambda: conv(dilation=0), ValueError, ["dilation", ">= 1"]),
    "dilation negative": (lambda: conv(dilation=-2), ValueError, ["dilation", ">= 1"]),
    "dilation float": (lambda: conv(dilation=0.5), TypeError, ["dilation", "int"]),
    "dilation bool": (lambda: conv(dilation=False), TypeError, ["dilation", "int"]),
    "dilated kernel larger than the input": (lambda: conv(dilation=3), ValueError, ["kernel", "dilation", "padding"]),
    "kernel taller than the input": (lambda: conv(kernel=np.ones((6, 3))), ValueError, ["kernel", "5 rows", "padding"]),
    "kernel wider than the input": (lambda: conv(kernel=np.ones((3, 6))), ValueError, ["kernel", "5 cols", "padding"]),
    "kernel larger than the padded input": (
        lambda: conv(kernel=np.ones((9, 9)), padding=1),
        ValueError,
        ["kernel", "padded input"],
    ),
    "unknown padding name": (lambda: conv(padding="half"), ValueError, ["padding", "valid", "same", "full"]),
    "negative padding": (lambda: conv(padding=-1), ValueError, ["padding", ">= 0"]),
    "negative padding in a pair": (lambda: conv(padding=(1, -1)), ValueError, ["padding", ">= 0"]),
    "negative padding nested": (lambda: conv(padding=((0, -1), (0, 0))), ValueError, ["padding", ">= 0"]),
    "float padding": (lambda: conv(padding=1.5), TypeError, ["padding", "valid"]),
    "None padding": (lambda: conv(padding=None), TypeError, ["padding", "valid"]),
    "bool padding": (lambda: conv(padding=True), TypeError, ["padding"]),
    "padding triple": (lambda: conv(padding=(1, 2, 3)), ValueError, ["padding", "pair"]),
    "padding dict": (lambda: conv(padding={}), TypeError, ["padding"]),
    "unknown pad_mode": (lambda: conv(padding=1, pad_mode="symmetric"), ValueError, ["pad_mode", "zeros", "edge"]),
    "pad_mode None": (lambda: conv(pad_mode=None), TypeError, ["pad_mode", "zeros"]),
    "pad_mode int": (lambda: conv(pad_mode=0), TypeError, ["pad_mode"]),
    "1-D image": (lambda: conv(image=np.arange(5)), ValueError, ["image", "2-D", "3-D"]),
    "4-D image": (lambda: conv(image=np.zeros((2, 5, 5, 3))), ValueError, ["image", "2-D", "3-D"]),
    "0-D image": (lambda: conv(image=np.float64(3)), ValueError, ["image", "2-D"]),
    "1-D kernel": (lambda: conv(kernel=[1, 2, 3]), ValueError, ["kernel", "2-D"]),
    "4-D kernel": (lambda: conv(image=COLOUR, kernel=np.ones((3, 3, 3, 1))), ValueError, ["kernel", "3-D"]),
    "kernel channels != image channels": (
        lambda: conv(image=COLOUR, kernel=np.ones((3, 3, 4))),
        ValueError,
        ["kernel", "4", "image", "3"],
    ),
    "3-D kernel with a grey image": (lambda: conv(kernel=np.ones((3, 3, 3))), ValueError, ["kernel", "image"]),
    "NaN in image": (lambda: conv(image=np.where(IMAGE == 3, np.nan, IMAGE)), ValueError, ["image", "finite"]),
    "inf in image": (lambda: conv(image=np.where(IMAGE == 3, np.inf, IMAGE)), ValueError, ["image", "finite"]),
    "NaN in kernel": (lambda: conv(kernel=[[np.nan, 1], [1, 1]]), ValueError, ["kernel", "finite"]),
    "-inf in kernel": (lambda: conv(kernel=[[-np.inf, 1], [1, 1]]), ValueError, ["kernel", "finite"]),
    "string image": (lambda: conv(image="image"), TypeError, ["image", "array"]),
    "bytes kernel": (lambda: conv(kernel=b"kk"), TypeError, ["kernel", "array"]),
    "None image": (lambda: conv(image=None), TypeError, ["image", "array"]),
    "None kernel": (lambda: vz.Convolution(IMAGE, None), TypeError, ["kernel", "array"]),
    "object image": (lambda: conv(image=np.array([[1, None], [2, 3]], dtype=object)), TypeError, ["image", "object"]),
    "array of strings": (lambda: conv(image=np.array([["a", "b"], ["c", "d"]])), TypeError, ["image", "integers"]),
    "kernel of strings": (lambda: conv(kernel=[["1", "2"], ["3", "4"]]), TypeError, ["kernel", "integers"]),
    "complex image": (lambda: conv(image=IMAGE + 1j), TypeError, ["image", "complex"]),
    "bool image": (lambda: conv(image=IMAGE > 3), TypeError, ["image", "bool"]),
    "bool kernel": (lambda: conv(kernel=np.ones((3, 3), bool)), TypeError, ["kernel", "bool"]),
    "datetime image": (lambda: conv(image=np.zeros((3, 3), "datetime64[s]")), TypeError, ["image", "datetime"]),
    "ragged list": (lambda: conv(image=[[1, 2], [3]], kernel=[[1]]), ValueError, ["image", "rectangular"]),
    "empty image": (lambda: conv(image=np.zeros((0, 5))), ValueError, ["image", "empty"]),
    "empty list": (lambda: conv(image=[]), ValueError, ["image"]),
    "empty kernel": (lambda: conv(kernel=np.zeros((3, 0))), ValueError, ["kernel", "empty"]),
    "image with no channels": (lambda: conv(image=np.zeros((5, 5, 0))), ValueError, ["image", "empty"]),
    "clip unknown name": (lambda: conv(clip="yes"), ValueError, ["clip", "auto", "(low, high)"]),
    "clip triple": (lambda: conv(clip=(0, 1, 2)), ValueError, ["clip", "(low, high)"]),
    "clip reversed": (lambda: conv(clip=(1, 0)), ValueError, ["clip", "low < high"]),
    "clip empty range": (lambda: conv(clip=(1, 1)), ValueError, ["clip", "low < high"]),
    "clip with NaN": (lambda: conv(clip=(np.nan, 1)), ValueError, ["clip", "finite"]),
    "clip of strings": (lambda: conv(clip=("0", "1")), TypeError, ["clip", "finite"]),
    "clip a single number": (lambda: conv(clip=255), ValueError, ["clip", "(low, high)"]),
    "pad_value NaN": (lambda: conv(pad_value=np.nan), ValueError, ["pad_value", "finite"]),
    "pad_value inf": (lambda: conv(pad_value=np.inf), ValueError, ["pad_value", "finite"]),
    "pad_value string": (lambda: conv(pad_value="0"), TypeError, ["pad_value", "number"]),
    "pad_value None": (lambda: conv(pad_value=None), TypeError, ["pad_value", "number"]),
    "pad_value bool": (lambda: conv(pad_value=True), TypeError, ["pad_value", "number"]),
    "flip_kernel string": (lambda: conv(flip_kernel="yes"), TypeError, ["flip_kernel", "True or False"]),
    "sums beyond int64": (
        lambda: conv(image=np.full((3, 3), 2**62), kernel=np.ones((2, 2), int)),
        ValueError,
        ["image", "kernel", "64-bit"],
    ),
    "unknown kernel name": (lambda: vz.kernel("blur"), ValueError, ["kernel name", "box_blur", "sobel_x"]),
    "kernel name None": (lambda: vz.kernel(None), ValueError, ["kernel name", "identity"]),
    "kernel size 0": (lambda: vz.kernel("box_blur", size=0), ValueError, ["size", "positive int"]),
    "kernel size float": (lambda: vz.kernel("box_blur", size=3.0), ValueError, ["size", "int"]),
    "kernel size bool": (lambda: vz.kernel("identity", size=True), ValueError, ["size", "int"]),
    "fixed kernel in another size": (lambda: vz.kernel("sobel_x", size=5), ValueError, ["sobel_x", "3×3", "size"]),
    "5×5 kernel asked for as 3×3": (
        lambda: vz.kernel("gaussian_blur_5x5", size=3),
        ValueError,
        ["gaussian_blur_5x5", "5×5", "size"],
    ),
    "output_shape stride 0": (lambda: vz.output_shape((5, 5), (3, 3), stride=0), ValueError, ["stride"]),
    "output_shape of ints": (lambda: vz.output_shape(5, 3), TypeError, ["input_shape"]),
    "output_shape zero-sized kernel": (lambda: vz.output_shape((5, 5), (0, 3)), ValueError, ["kernel_shape"]),
    "convolve stride 0": (lambda: vz.convolve(IMAGE, KERNEL, stride=0), ValueError, ["stride"]),
    "conv_steps unknown mode": (lambda: vz.conv_steps(IMAGE, KERNEL, pad_mode="x"), ValueError, ["pad_mode"]),
    "sobel_magnitude dilation 0": (lambda: vz.sobel_magnitude(IMAGE, dilation=0), ValueError, ["dilation"]),
    "replace an unknown parameter": (lambda: conv().replace(strides=2), TypeError, ["strides", "stride"]),
    "replace with stride 0": (lambda: conv().replace(stride=0), ValueError, ["stride"]),
    "step index float": (lambda: conv().step(1.0), TypeError, ["index", "int"]),
    "arithmetic of a colour step without channel": (
        lambda: arithmetic(conv(image=COLOUR).step(0)),
        ValueError,
        ["channel", "0…2"],
    ),
    "arithmetic channel out of range": (
        lambda: arithmetic(conv(image=COLOUR).step(0), channel=3),
        ValueError,
        ["channel", "0…2"],
    ),
    "arithmetic channel of a grey step": (lambda: arithmetic(conv().step(0), channel=0), ValueError, ["channel"]),
    "arithmetic max_terms 0": (lambda: arithmetic(conv().step(0), max_terms=0), ValueError, ["max_terms"]),
}


def test_table_is_large_enough():
    assert len(BAD) >= 25


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_named(name):
    call, error, words = BAD[name]
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error  # not a subclass such as IndexError or numpy's AxisError
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} missing from {message!r}"
    assert "\n" not in message  # one line, as the CLI prints it


def test_step_index_out_of_range_is_an_index_error():
    # a Convolution is a sequence of steps: out of range is IndexError by Python's rules, with the range named
    with pytest.raises(IndexError, match=r"-4…3"):
        vz.Convolution(np.zeros((3, 3)), np.ones((2, 2))).step(4)


def test_uint64_image_sums_exactly():
    # uint64 cannot mix with int64 sums; values that fit are summed exactly, not refused or wrapped
    image = np.full((3, 3), 2**40, np.uint64)
    np.testing.assert_array_equal(vz.convolve(image, np.ones((2, 2), int)), np.full((2, 2), 2**42))


JUNK = [
    0,
    -1,
    1,
    2,
    1.5,
    True,
    None,
    "",
    "same",
    "x",
    (),
    (1,),
    (0, 1),
    (1, 2, 3),
    ((1, 1), (1,)),
    [[-1, 0], [0, 0]],
    np.nan,
    np.inf,
    {},
    [],
    [[]],
    [[1, 2], [3]],
    np.zeros(0),
    np.zeros((2, 0)),
    np.zeros((1, 1)),
    np.ones((2, 2, 2, 2)),
    np.array([[1 + 1j]]),
    np.array([["a"]]),
    np.full((2, 2), np.nan),
    np.ones((4, 4, 3)),
    np.ones((2, 2, 5)),
    "auto",
    (0, 1),
    (1, 0),
    object(),
]
junk = st.sampled_from(JUNK)
PARAMETERS = ["stride", "padding", "pad_mode", "dilation", "clip", "pad_value", "flip_kernel"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(junk, st.sampled_from([np.ones((4, 5)), np.ones((6, 6, 3), np.uint8)])),
    st.one_of(junk, st.sampled_from([np.ones((2, 3)), np.ones((3, 3, 3))])),
    st.dictionaries(st.sampled_from(PARAMETERS), junk, max_size=3),
)
def test_junk_never_escapes_as_another_error(image, kernel, params):
    try:
        conv = vz.Convolution(image, kernel, **params)
    except (ValueError, TypeError) as error:
        assert type(error) in (ValueError, TypeError)  # numpy's AxisError is a ValueError *and* an IndexError
        assert str(error)
        return
    # whatever was accepted must work all the way through
    result = conv.result()
    steps = list(conv.steps())
    assert len(steps) == np.prod(result.shape[:2])  # (H', W'[, C]), or (W',) for a signal
    for step in steps[:3]:
        step.products  # noqa: B018 - computing it must not fail


@settings(max_examples=200, deadline=None)
@given(
    dtype=st.sampled_from([np.float16, np.float32, np.float64]),
    size=st.integers(1, 40),
    bad=st.lists(st.tuples(st.integers(0, 39), st.sampled_from([np.nan, np.inf, -np.inf])), max_size=3),
    huge=st.booleans(),
    strided=st.booleans(),
)
def test_non_finite_values_are_found_whatever_the_dtype_layout_and_size(dtype, size, bad, huge, strided):
    """Every NaN or infinity is refused and large finite values are not (their squares overflow float32)."""
    values = np.linspace(-1, 1, 2 * size).astype(dtype) * (np.finfo(dtype).max / 2 if huge else 1)
    for where, value in bad:
        values[where % len(values)] = value
    image = values.reshape(2, size)[:, ::2] if strided else values.reshape(2, size)
    if np.isfinite(image).all():
        assert vz.convolve(image, np.ones((1, 1), dtype)).shape == image.shape
    else:
        with pytest.raises(ValueError, match="image must hold only finite numbers"):
            vz.convolve(image, np.ones((1, 1), dtype))
