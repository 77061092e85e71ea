"""Bad input to the transposed convolution and pooling: a ValueError or TypeError naming the parameter."""

from __future__ import annotations

import numpy as np
import pytest

import visualizer as vz

IMAGE = np.arange(4).reshape(2, 2)
KERNEL = np.ones((3, 3))
COLOUR = np.zeros((2, 2, 3))
SIGNAL = np.arange(6)


def up(**params):
    return vz.TransposedConvolution(params.pop("image", IMAGE), params.pop("kernel", KERNEL), **params)


def pooled(**params):
    return vz.Pooling(params.pop("image", np.arange(16).reshape(4, 4)), **params)


# name -> (call, exception type, words the message must contain: the parameter, and what is allowed)
BAD = {
    "output_padding as large as stride": (
        lambda: up(stride=2, output_padding=2),
        ValueError,
        ["output_padding", "smaller than stride or dilation", "stride (2, 2)"],
    ),
    "output_padding with stride 1": (lambda: up(output_padding=(0, 1)), ValueError, ["output_padding", "smaller"]),
    "output_padding negative": (lambda: up(output_padding=-1), ValueError, ["output_padding", ">= 0"]),
    "output_padding float": (lambda: up(stride=2, output_padding=0.5), TypeError, ["output_padding", "int"]),
    "padding leaves no output": (lambda: up(padding=3), ValueError, ["padding", "no output rows", "at most 1"]),
    "negative padding": (lambda: up(padding=-1), ValueError, ["padding", ">= 0"]),
    "padding by name": (lambda: up(padding="same"), TypeError, ["padding", "int", "(rows, cols)"]),
    "padding per side": (lambda: up(padding=((0, 1), (1, 0))), TypeError, ["padding", "int"]),
    "unknown view": (lambda: up(view="gather"), ValueError, ["view", "'direct'", "'scatter'"]),
    "view None": (lambda: up(view=None), TypeError, ["view", "'direct'"]),
    "stride float": (lambda: up(stride=1.5), TypeError, ["stride", "int"]),
    "stride 0": (lambda: up(stride=0), ValueError, ["stride", ">= 1"]),
    "stride triple": (lambda: up(stride=(1, 2, 3)), ValueError, ["stride", "(rows, cols) pair"]),
    "dilation 0": (lambda: up(dilation=0), ValueError, ["dilation", ">= 1"]),
    "dilation bool": (lambda: up(dilation=True), TypeError, ["dilation", "int"]),
    "1-D kernel for an image": (lambda: up(kernel=[1, 2]), ValueError, ["kernel", "(2,)", "1-D signal", "image"]),
    "2-D kernel for a signal": (lambda: up(image=SIGNAL), ValueError, ["kernel", "(3, 3)", "1-D kernel"]),
    "3-D kernel for a grey image": (lambda: up(kernel=np.ones((3, 3, 3))), ValueError, ["kernel", "per-channel"]),
    "kernel channels != image channels": (
        lambda: up(image=COLOUR, kernel=np.ones((3, 3, 2))),
        ValueError,
        ["kernel has 2 channels", "image has 3"],
    ),
    "4-D kernel": (lambda: up(image=COLOUR, kernel=np.ones((2, 2, 3, 1))), ValueError, ["kernel", "3-D"]),
    "4-D image": (lambda: up(image=np.zeros((1, 2, 2, 3))), ValueError, ["image", "1-D", "2-D", "3-D"]),
    "a pair for a signal": (
        lambda: up(image=SIGNAL, kernel=[1, 1], stride=(1, 2)),
        ValueError,
        ["stride", "int", "1-D signal"],
    ),
    "unknown clip": (lambda: up(clip="yes"), ValueError, ["clip", "'auto'", "(low, high)"]),
    "clip reversed": (lambda: up(clip=(1, 0)), ValueError, ["clip", "low < high"]),
    "NaN in the kernel": (lambda: up(kernel=[[np.nan, 1], [1, 1]]), ValueError, ["kernel", "finite"]),
    "string image": (lambda: up(image="photo.png"), TypeError, ["image", "numeric array"]),
    "bool image": (lambda: up(image=IMAGE > 1), TypeError, ["image", "bool"]),
    "empty kernel": (lambda: up(kernel=np.zeros((0, 3))), ValueError, ["kernel", "empty"]),
    "sums beyond int64": (
        lambda: up(image=np.full((2, 2), 2**62), kernel=np.ones((2, 2), int)),
        ValueError,
        ["64-bit"],
    ),
    "transposed replace an unknown parameter": (
        lambda: up().replace(strides=2),
        TypeError,
        ["strides", "output_padding"],
    ),
    "transposed step index float": (lambda: up().step(1.0), TypeError, ["index", "int"]),
    "partial output past the input": (
        lambda: up(view="scatter").partial_output(5),
        ValueError,
        ["count", "0…4"],
    ),
    "cell_kind with one index for an image": (lambda: up().cell_kind(1), TypeError, ["cell", "2 int", "(6, 6)"]),
    "cell_kind of a float cell": (lambda: pooled().cell_kind(0.0, 1), TypeError, ["cell", "int"]),
    "partial output of a float count": (
        lambda: up(view="scatter").partial_output(1.0),
        TypeError,
        ["count", "int"],
    ),
    "conv_transpose stride 0": (lambda: vz.conv_transpose(IMAGE, KERNEL, stride=0), ValueError, ["stride"]),
    "pooling padding over half the window": (
        lambda: pooled(size=3, padding=2),
        ValueError,
        ["padding", "at most half the window", "size (3, 3)"],
    ),
    "pooling padding over half in one axis": (
        lambda: pooled(size=(2, 4), padding=(2, 1)),
        ValueError,
        ["padding", "half"],
    ),
    "unknown pooling mode": (lambda: pooled(mode="min"), ValueError, ["mode", "'max'", "'avg'"]),
    "pooling mode None": (lambda: pooled(mode=None), TypeError, ["mode", "'max'"]),
    "dilation with avg pooling": (
        lambda: pooled(mode="avg", dilation=2),
        ValueError,
        ["dilation", "max pooling only", "mode='avg'"],
    ),
    "pooling window larger than the input": (
        lambda: pooled(size=5),
        ValueError,
        ["pooling window spans 5", "4 rows", "padding"],
    ),
    "dilated pooling window larger than the input": (
        lambda: pooled(size=2, dilation=4),
        ValueError,
        ["spans 5", "dilation 4"],
    ),
    "pooling size 0": (lambda: pooled(size=0), ValueError, ["size", ">= 1"]),
    "pooling size float": (lambda: pooled(size=2.0), TypeError, ["size", "int"]),
    "pooling stride 0": (lambda: pooled(stride=0), ValueError, ["stride", ">= 1"]),
    "pooling negative padding": (lambda: pooled(padding=-1), ValueError, ["padding", ">= 0"]),
    "ceil_mode not a bool": (lambda: pooled(ceil_mode="yes"), TypeError, ["ceil_mode", "True or False"]),
    "count_include_pad None": (lambda: pooled(count_include_pad=None), TypeError, ["count_include_pad", "True"]),
    "pooling a pair for a signal": (lambda: pooled(image=SIGNAL, size=(1, 2)), ValueError, ["size", "1-D signal"]),
    "pooling a 4-D image": (lambda: pooled(image=np.zeros((2, 2, 2, 2))), ValueError, ["image", "3-D"]),
    "pooling an empty image": (lambda: pooled(image=np.zeros((0, 4))), ValueError, ["image", "empty"]),
    "pooling infinity": (lambda: pooled(image=[[np.inf, 1], [1, 1]]), ValueError, ["image", "finite"]),
    "pooling replace an unknown parameter": (
        lambda: pooled().replace(kernel_size=3),
        TypeError,
        ["kernel_size", "size"],
    ),
    "pool stride float": (lambda: vz.pool(IMAGE, 2, stride=1.5), TypeError, ["stride", "int"]),
}


def test_table_is_large_enough():
    assert len(BAD) >= 20


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


@pytest.mark.parametrize("cell", [(-1, 0), (0, 6), (6, 6)])
def test_cells_outside_the_grid_are_index_errors(cell):
    # no wrap-around: (-1, 0) is not the last row
    for op in (up(), pooled(padding=1)):
        with pytest.raises(IndexError, match="outside the grid of shape"):
            op.cell_kind(*cell)


@pytest.mark.parametrize("make", [up, lambda: up(view="scatter"), pooled], ids=["direct", "scatter", "pooling"])
def test_step_index_out_of_range_is_an_index_error(make):
    op = make()
    count = op.num_steps
    with pytest.raises(IndexError, match=f"-{count}…{count - 1}"):
        op.step(count)
