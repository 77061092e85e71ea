"""ConvLayer's bad input: a ValueError or TypeError naming the parameter and what is allowed."""

from __future__ import annotations

import numpy as np
import pytest

import visualizer as vz

IMAGE = np.zeros((5, 5, 4))
WEIGHTS = np.ones((3, 3, 4, 6))


def layer(**params):
    return vz.ConvLayer(params.pop("image", IMAGE), params.pop("weights", WEIGHTS), **params)


# name -> (call, exception type, words the message must contain: the parameter, and what is allowed)
BAD = {
    "2-D image": (lambda: layer(image=np.zeros((5, 5))), ValueError, ["image", "3-D", "image[..., np.newaxis]"]),
    "4-D image (a batch)": (lambda: layer(image=np.zeros((1, 5, 5, 4))), ValueError, ["image", "3-D", "(1, 5, 5, 4)"]),
    "image None": (lambda: layer(image=None), TypeError, ["image", "3-D numeric array"]),
    "image of strings": (lambda: layer(image=np.full((5, 5, 4), "a")), TypeError, ["image", "integers or floats"]),
    "image of booleans": (lambda: layer(image=np.ones((5, 5, 4), bool)), TypeError, ["image", "integers or floats"]),
    "image with NaN": (lambda: layer(image=np.full((5, 5, 4), np.nan)), ValueError, ["image", "finite"]),
    "ragged image": (lambda: layer(image=[[[1], [2]], [[3]]]), ValueError, ["image", "rectangular"]),
    "empty image": (lambda: layer(image=np.zeros((0, 5, 4))), ValueError, ["image", "empty"]),
    "3-D weights": (lambda: layer(weights=np.ones((3, 3, 4))), ValueError, ["weights", "4-D", "HWIO"]),
    "2-D weights": (lambda: layer(weights=np.ones((3, 3))), ValueError, ["weights", "4-D", "filters"]),
    "weights with too few channels": (
        lambda: layer(weights=np.ones((3, 3, 3, 6))),
        ValueError,
        ["weights", "(rows, cols, 4, filters)", "4 channels"],
    ),
    "weights in PyTorch's layout": (
        lambda: layer(weights=np.ones((6, 4, 3, 3))),
        ValueError,
        ["weights", "PyTorch", "from_torch"],
    ),
    "weights for the wrong group size": (
        lambda: layer(weights=np.ones((3, 3, 4, 6)), groups=2),
        ValueError,
        ["weights", "(rows, cols, 2, filters)", "2 group(s)"],
    ),
    "weights with infinity": (lambda: layer(weights=np.full((3, 3, 4, 6), np.inf)), ValueError, ["weights", "finite"]),
    "groups not dividing the input channels": (lambda: layer(groups=3), ValueError, ["groups", "divide", "(4)"]),
    "groups not dividing the filters": (
        lambda: layer(weights=np.ones((3, 3, 1, 6)), groups=4),
        ValueError,
        ["groups", "divide", "filters (6)"],
    ),
    "groups 0": (lambda: layer(groups=0), ValueError, ["groups", ">= 1"]),
    "groups float": (lambda: layer(groups=2.0), TypeError, ["groups", "int"]),
    "groups bool": (lambda: layer(groups=True), TypeError, ["groups", "int"]),
    "bias of the wrong length": (lambda: layer(bias=np.zeros(5)), ValueError, ["bias", "one value per filter", "6"]),
    "bias 2-D": (lambda: layer(bias=np.zeros((6, 1))), ValueError, ["bias", "1-D", "(6,)"]),
    "bias a string": (lambda: layer(bias="zeros"), TypeError, ["bias", "numeric"]),
    "bias with NaN": (lambda: layer(bias=np.full(6, np.nan)), ValueError, ["bias", "finite"]),
    "unknown activation": (lambda: layer(activation="softmax"), ValueError, ["activation", "None", "'relu'"]),
    "activation a function": (lambda: layer(activation=np.tanh), TypeError, ["activation", "'relu'"]),
    "stride 0": (lambda: layer(stride=0), ValueError, ["stride", ">= 1"]),
    "dilation float": (lambda: layer(dilation=1.5), TypeError, ["dilation", "int"]),
    "unknown padding": (lambda: layer(padding="half"), ValueError, ["padding", "valid", "same"]),
    "unknown pad_mode": (lambda: layer(padding=1, pad_mode="mirror"), ValueError, ["pad_mode", "zeros"]),
    "kernel larger than the input": (
        lambda: layer(weights=np.ones((7, 3, 4, 6))),
        ValueError,
        ["kernel", "5 rows", "padding"],
    ),
    "sums beyond int64": (
        lambda: layer(image=np.full((5, 5, 4), 2**62, np.int64), weights=np.ones((3, 3, 4, 6), int)),
        ValueError,
        ["64-bit", "astype(float)"],
    ),
    "pad_value a string": (lambda: layer(padding=1, pad_value="0"), TypeError, ["pad_value", "finite number"]),
    "replace with an unknown name": (lambda: layer().replace(kernel=1), TypeError, ["replace()", "kernel", "weights"]),
    "step index past the end": (lambda: layer().step(6 * 9), IndexError, ["step index", "53"]),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_named(name):
    call, error, words = BAD[name]
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    for word in words:
        assert word in str(info.value), f"{word!r} missing from: {info.value}"


TORCH_BAD = {
    "a batch of two images": (
        lambda torch: vz.ConvLayer.from_torch(torch.nn.Conv2d(2, 3, 3), torch.zeros(2, 2, 5, 5)),
        ValueError,
        ["image", "one image", "image[i:i + 1]"],
    ),
    "an image in NumPy's layout": (
        lambda torch: vz.ConvLayer.from_torch(torch.zeros(3, 2, 3, 3), torch.zeros(5, 5)),
        ValueError,
        ["image", "(1, C, H, W) or (C, H, W)"],
    ),
    "a 3-D weight": (
        lambda torch: vz.ConvLayer.from_torch(torch.zeros(3, 3, 3), torch.zeros(3, 5, 5)),
        ValueError,
        ["weight", "4-D", "(out_channels, in_channels // groups, rows, cols)"],
    ),
    "settings beside a module": (
        lambda torch: vz.ConvLayer.from_torch(torch.nn.Conv2d(2, 3, 3), torch.zeros(2, 5, 5), stride=2),
        ValueError,
        ["stride", "the nn.Conv2d's own", "weight tensor"],
    ),
    "another module": (
        lambda torch: vz.ConvLayer.from_torch(torch.nn.Linear(2, 3), torch.zeros(2, 5, 5)),
        TypeError,
        ["nn.Conv2d", "Linear"],
    ),
    "a weight for other channels": (
        lambda torch: vz.ConvLayer.from_torch(torch.zeros(4, 3, 3, 3), torch.zeros(1, 2, 5, 5)),
        ValueError,
        ["weights", "2 channels"],
    ),
}


@pytest.mark.parametrize("name", TORCH_BAD)
def test_bad_torch_input_is_named(name):
    torch = pytest.importorskip("torch")
    call, error, words = TORCH_BAD[name]
    with pytest.raises(error) as info:
        call(torch)
    for word in words:
        assert word in str(info.value), f"{word!r} missing from: {info.value}"
