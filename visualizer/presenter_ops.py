"""The presenter's ``o`` key: the same input through each operation of the family.

The presenter keeps one :class:`~visualizer.Convolution` (its keys change it) and
shows it, or what the same input, kernel, stride and dilation make of it as a
transposed convolution, max pooling (the kernel's size as the window), average
pooling or a layer of filters the kernel's size. :func:`operation` builds each of
them from the convolution, and :func:`split` takes any of them apart again into a
convolution and the operation's own parameters, so that the presenter (and the
Stepper's Operation tab) take every operation of the family. :data:`KEY_OPS` says
which keys mean something for which operation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .convolution import Convolution
from .layer import ConvLayer
from .pooling import Pooling
from .transposed import TransposedConvolution

CYCLE = ("conv", "transposed", "maxpool", "avgpool", "layer")
NAMES = {
    "conv": "convolution",
    "transposed": "transposed convolution",
    "maxpool": "max pooling",
    "avgpool": "average pooling",
    "layer": "layer",
}
# a parameter key, what it changes, and the operations it changes something in
KEY_OPS = {
    "p": ("padding", {"conv", "layer"}),
    "m": ("pad mode", {"conv", "layer"}),
    "k": ("kernel", {"conv", "transposed"}),
    "d": ("dilation", {"conv", "transposed", "maxpool", "layer"}),
}


def operation(conv: Convolution, op: str, **params: Any) -> Any:
    """``conv``'s input, kernel (or its size), stride and dilation as the operation ``op``.

    ``params`` go to the operation as well (``output_padding``, ``view``, ``ceil_mode``, …);
    for ``"layer"`` they are those of :func:`layer`.

    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((2, 2), int), stride=2)
    >>> operation(conv, "maxpool").result().tolist()
    [[5, 7], [13, 15]]
    >>> operation(conv, "transposed").output_shape  # (4 − 1)·2 + (2 − 1) + 1
    (8, 8)
    >>> shown = operation(conv, "layer")  # two random filters the kernel's size, a bias and ReLU
    >>> shown.weights.shape, shown.bias.shape, shown.activation, shown.output_shape
    ((2, 2, 1, 2), (2,), 'relu', (2, 2))
    """
    if op == "conv":
        return conv
    if op == "transposed":
        return TransposedConvolution(conv.image, conv.kernel, stride=conv.stride, dilation=conv.dilation, **params)
    if op == "layer":
        return layer(conv, **params)
    if op not in CYCLE:
        raise ValueError(f"op must be one of {', '.join(CYCLE)}; got {op!r}")
    mode = op.removesuffix("pool")
    dilation = conv.dilation if mode == "max" else 1  # PyTorch's average pooling has no dilation
    return Pooling(conv.image, conv.kernel.shape[:2], stride=conv.stride, mode=mode, dilation=dilation, **params)


def layer(
    conv: Convolution,
    *,
    filters: int = 2,
    groups: int = 1,
    bias: Any = True,
    activation: str | None = "relu",
    weights: Any = None,
) -> ConvLayer:
    """``conv``'s input and geometry as a layer: by default two filters with a bias and ReLU.

    ``weights`` None draws ``filters`` filters of the kernel's size with random weights −2…2,
    the same each time; ``bias`` True draws one −4…4 per filter after them, False or None
    leaves it out, and an array is taken as it is (so are ``weights``). A grey input is
    one channel.

    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> shown = layer(conv)
    >>> shown.weights.shape, shown.bias.shape, shown.activation
    ((3, 3, 1, 2), (2,), 'relu')
    >>> layer(conv, weights=np.ones((3, 3, 1, 1), int), bias=[-50], activation=None).result()[..., 0].tolist()
    [[-5, 4], [31, 40]]
    """
    image = conv.image if conv.image.ndim == 3 else conv.image[..., np.newaxis]
    rng = np.random.default_rng(0)
    drawn = rng.integers(-2, 3, (*conv.kernel.shape[:2], max(image.shape[2] // max(groups, 1), 1), filters))
    drawn_bias = rng.integers(-4, 5, filters)
    weights = drawn if weights is None else weights
    bias = drawn_bias if bias is True else None if bias is False else bias
    return ConvLayer(
        image,
        weights,
        bias,
        conv.stride,
        conv.padding,
        conv.pad_mode,
        conv.dilation,
        groups,
        activation,
        pad_value=conv.pad_value,
    )


def split(op: Any) -> tuple[Convolution, str, dict[str, Any]]:
    """Any operation of the family as a convolution, the operation's short name and its own parameters.

    ``operation(*split(op)[:2], **split(op)[2])`` gives ``op`` back. The convolution keeps the
    input, the kernel (a pooling window's size as ones; a layer's first filter), the stride and
    the dilation; padding too for pooling and layers.

    >>> pool = Pooling(np.arange(16).reshape(4, 4), 2, padding=1, ceil_mode=True)
    >>> conv, name, params = split(pool)
    >>> conv.kernel.tolist(), name, params
    ([[1, 1], [1, 1]], 'maxpool', {'padding': (1, 1), 'ceil_mode': True, 'count_include_pad': True})
    >>> operation(conv, name, **params).result().tolist() == pool.result().tolist()
    True
    """
    if isinstance(op, Convolution):
        return op, "conv", {}
    if isinstance(op, TransposedConvolution):
        params = {"padding": op.padding, "output_padding": op.output_padding, "view": op.view, "clip": op.clip}
        return _fitting(op.image, op.kernel, stride=op.stride, dilation=op.dilation), "transposed", params
    if isinstance(op, Pooling):
        window = np.ones(op.size, int)
        conv = Convolution(op.image, window, stride=op.stride, padding=op.padding, dilation=op.dilation)
        params = {"padding": op.padding, "ceil_mode": op.ceil_mode, "count_include_pad": op.count_include_pad}
        return conv, op.mode + "pool", params
    if isinstance(op, ConvLayer):
        image, weights = op.image, op.weights
        # the convolution of the first filter's stack: its per-channel sums are the layer's partial sums
        image, kernel = (image[..., 0], weights[:, :, 0, 0]) if image.shape[2] == 1 else (image, weights[..., 0])
        if kernel.ndim == 3 and kernel.shape[2] != image.shape[2]:
            kernel = kernel[..., 0]  # a grouped filter reads only some channels: its first slice
        conv = Convolution(image, kernel, op.stride, op.padding, op.pad_mode, op.dilation, pad_value=op.pad_value)
        bias = False if op.bias is None else op.bias
        return conv, "layer", {"weights": op.weights, "bias": bias, "groups": op.groups, "activation": op.activation}
    kinds = "Convolution, TransposedConvolution, Pooling or ConvLayer"
    raise TypeError(f"op must be a visualizer {kinds}, got {type(op).__name__}")


def _fitting(image: np.ndarray, kernel: np.ndarray, **geometry: Any) -> Convolution:
    """A convolution of ``image`` by ``kernel``, padded only if the kernel is larger than the input."""
    try:
        return Convolution(image, kernel, **geometry)
    except ValueError:
        return Convolution(image, kernel, padding="full", **geometry)


def refusal(key: str, op: str) -> str | None:
    """What to say when ``key`` changes nothing in ``op``; None when it does.

    >>> refusal("p", "maxpool")
    'p (padding) changes nothing in max pooling here; press o to come back to the convolution'
    >>> refusal("p", "conv") is None
    True
    """
    if key not in KEY_OPS or op in KEY_OPS[key][1]:
        return None
    return f"{key} ({KEY_OPS[key][0]}) changes nothing in {NAMES[op]} here; press o to come back to the convolution"
