"""The presenter's ``o`` key: the same input through each operation of the family.

The presenter keeps one :class:`~visualizer.Convolution` (its keys change it) and
shows it, or what the same input, kernel, stride and dilation make of it as a
transposed convolution, max pooling (the kernel's size as the window) or average
pooling. :data:`KEY_OPS` says which keys mean something for which operation.
"""

from __future__ import annotations

from typing import Any

from .convolution import Convolution
from .pooling import Pooling
from .transposed import TransposedConvolution

CYCLE = ("conv", "transposed", "maxpool", "avgpool")
NAMES = {
    "conv": "convolution",
    "transposed": "transposed convolution",
    "maxpool": "max pooling",
    "avgpool": "average pooling",
}
# a parameter key, what it changes, and the operations it changes something in
KEY_OPS = {
    "p": ("padding", {"conv"}),
    "m": ("pad mode", {"conv"}),
    "k": ("kernel", {"conv", "transposed"}),
    "d": ("dilation", {"conv", "transposed", "maxpool"}),
}


def operation(conv: Convolution, op: str, **params: Any) -> Any:
    """``conv``'s input, kernel (or its size), stride and dilation as the operation ``op``.

    ``params`` go to the operation as well (``output_padding``, ``view``, ``ceil_mode``, …).

    >>> import numpy as np
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((2, 2), int), stride=2)
    >>> operation(conv, "maxpool").result().tolist()
    [[5, 7], [13, 15]]
    >>> operation(conv, "transposed").output_shape  # (4 − 1)·2 + (2 − 1) + 1
    (8, 8)
    """
    if op == "conv":
        return conv
    if op == "transposed":
        return TransposedConvolution(conv.image, conv.kernel, stride=conv.stride, dilation=conv.dilation, **params)
    if op not in CYCLE:
        raise ValueError(f"op must be one of {', '.join(CYCLE)}; got {op!r}")
    mode = op.removesuffix("pool")
    dilation = conv.dilation if mode == "max" else 1  # PyTorch's average pooling has no dilation
    return Pooling(conv.image, conv.kernel.shape[:2], stride=conv.stride, mode=mode, dilation=dilation, **params)


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
