"""A convolutional layer as runnable code in another library; see :mod:`visualizer.code`.

>>> import numpy as np, visualizer as vz
>>> layer = vz.ConvLayer(np.arange(18).reshape(3, 3, 2), np.ones((2, 2, 1, 4), int), groups=2)
>>> namespace = {}
>>> exec(layer.code("numpy"), namespace)
>>> bool((namespace["result"] == layer.result()).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .code import (
    check_size,
    dilated,
    every,
    keras_padding,
    library_name,
    literal,
    np_pad,
    pad_comment,
    tail,
    torch_input,
)
from .code_family import head, keywords

_ACTIVATIONS = {
    "numpy": {
        "relu": "np.maximum(out, 0)",
        "sigmoid": "np.exp(-np.logaddexp(0, -out))  # 1 / (1 + exp(-out)) without overflow",
        "tanh": "np.tanh(out)",
    },
    "torch": {"relu": "torch.relu(out)", "sigmoid": "torch.sigmoid(out)", "tanh": "torch.tanh(out)"},
}


def layer_code(op: Any, library: str) -> str:
    """A snippet computing a :class:`~visualizer.ConvLayer`'s ``result()`` with ``library``."""
    library = library_name(library)
    check_size(op.image)
    return {"numpy": _layer_numpy, "scipy": _layer_scipy, "torch": _layer_torch, "keras": _layer_keras}[library](op)


def _layer_head(op: Any, *imports: str) -> list[str]:
    lines = head(op, *imports, kernel="weights")
    if op.bias is not None:
        lines.append(literal("bias", op.bias))
    return lines


def _activate(op: Any, lines: list[str], library: str) -> None:
    if op.activation is not None:
        lines.append(f"out = {_ACTIVATIONS[library][op.activation]}")


def _layer_numpy(op: Any) -> str:
    lines = _layer_head(op, "from numpy.lib.stride_tricks import sliding_window_view")
    dtype, g = f"np.{op.dtype.name}", op.groups
    (m, n), (sr, sc), (dr, dc) = op.kernel_shape, op.stride, op.dilation
    rows, cols = op.output_shape
    taps = "" if (dr, dc) == (1, 1) else f"[..., ::{dr}, ::{dc}]"
    lines += [
        pad_comment(op.padding, op.pads, op.pad_mode),
        f"x = {np_pad(f'image.astype({dtype})', op.pads, False, True, op.pad_mode, op.pad_value)}",
        f"# every window (rows, cols, C_in, M, N): stride {op.stride}, dilation {op.dilation}",
        f"windows = sliding_window_view(x, ({dr * (m - 1) + 1}, {dc * (n - 1) + 1}), axis=(0, 1)){every(sr, sc)}{taps}",
    ]
    if g == 1:
        lines.append(f'out = np.einsum("ijcmn,mncf->ijf", windows, weights.astype({dtype}))')
    else:
        lines += [
            f"# groups={g}: filter f reads only its group's {op.in_channels // g} input channel(s)",
            f"windows = windows.reshape({rows}, {cols}, {g}, {op.in_channels // g}, {m}, {n})",
            f"w = weights.astype({dtype}).reshape({m}, {n}, {op.in_channels // g}, {g}, {op.out_channels // g})",
            f'out = np.einsum("ijgcmn,mncgf->ijgf", windows, w).reshape({rows}, {cols}, {op.out_channels})',
        ]
    if op.bias is not None:
        lines.append(f"out = out + bias.astype({dtype})")
    _activate(op, lines, "numpy")
    return tail(lines, "out", op.result().dtype, op, op.result().dtype)


def _layer_scipy(op: Any) -> str:
    lines = _layer_head(op, "from scipy import signal")
    dtype = f"np.{op.dtype.name}"
    (sr, sc), per_in, per_out = op.stride, op.in_channels // op.groups, op.out_channels // op.groups
    lines += [
        pad_comment(op.padding, op.pads, op.pad_mode),
        f"x = {np_pad(f'image.astype({dtype})', op.pads, False, True, op.pad_mode, op.pad_value)}",
        *dilated("kd", f"weights.astype({dtype})", op.dilation, False, dtype),
        f"out = np.zeros({(*op.output_shape, op.out_channels)!r}, {dtype})",
        f"for f in range({op.out_channels}):",
    ]
    channel = "c"
    if op.groups > 1:
        lines.append(f"    first = f // {per_out} * {per_in}  # the first input channel of filter f's group")
        channel = "first + c"
    lines += [
        f"    for c in range({per_in}):  # a partial sum per input channel",
        f'        out[..., f] += signal.correlate(x[..., {channel}], kd[:, :, c, f], mode="valid", method="direct")'
        f"{every(sr, sc)}",
    ]
    if op.bias is not None:
        lines.append("out += bias")
    _activate(op, lines, "numpy")
    return tail(lines, "out", op.result().dtype, op, op.result().dtype)


def _layer_torch(op: Any) -> str:
    lines = _layer_head(op, "import torch", "import torch.nn.functional as F")
    dtype = f"np.{op.dtype.name}"
    lines.append(pad_comment(op.padding, op.pads, op.pad_mode))
    native = torch_input(lines, op._geometry, f"image.astype({dtype})", True, False)
    top, _, left, _ = op.pads
    lines.append(f"w = torch.from_numpy(weights.astype({dtype}).transpose(3, 2, 0, 1).copy())  # HWIO → OIHW")
    bias = "None"
    if op.bias is not None:
        lines.append(f"b = torch.from_numpy(bias.astype({dtype}))")
        bias = "b"
    names = {"stride": (op.stride, 1), "padding": ((top, left) if native else (0, 0), 0), "dilation": (op.dilation, 1)}
    groups = f", groups={op.groups}" if op.groups > 1 else ""
    lines.append(f"out = F.conv2d(x, w, {bias}{keywords(op._geometry, names)}{groups})")
    if op.activation in ("sigmoid", "tanh") and op.dtype.kind == "i":
        lines.append("out = out.double()  # integer sums, a float activation")
    _activate(op, lines, "torch")
    return tail(lines, "out[0].permute(1, 2, 0).numpy()", op.result().dtype, op, op.result().dtype)


def _layer_keras(op: Any) -> str:
    lines = _layer_head(op, "import keras")
    work = np.dtype(np.float32) if op.dtype == np.float32 else np.dtype(np.float64)
    both = max(op.stride) > 1 and max(op.dilation) > 1
    padding = keras_padding(op, both)
    native = padding is not None
    source = f"image.astype(np.{work.name})"
    lines.append(pad_comment(op.padding, op.pads, op.pad_mode))
    if not native:
        source = np_pad(source, op.pads, False, True, op.pad_mode, op.pad_value)
    lines.append(f"x = {source}[None]  # channels last: (1, H, W, C)")
    if both:
        lines.append("# Keras refuses stride > 1 with dilation > 1: stride 1, then every stride-th output")
    activation = f'"{op.activation}"' if op.activation else "None"
    with_bias = f", bias.astype(np.{work.name})" if op.bias is not None else ""
    lines += [
        f"layer = keras.layers.Conv2D({op.out_channels}, {op.kernel_shape!r}, "
        f"strides={(1, 1) if both else op.stride!r}, "
        f'padding="{padding or "valid"}", dilation_rate={op.dilation!r}, groups={op.groups}, '
        f'activation={activation}, use_bias={op.bias is not None}, dtype="{work.name}")',
        "layer.build(x.shape)",
        f"layer.set_weights([weights.astype(np.{work.name}){with_bias}])  # HWIO, Keras's own layout",
        "y = keras.ops.convert_to_numpy(layer(x))[0]",
    ]
    if both:
        lines.append(f"y = y[::{op.stride[0]}, ::{op.stride[1]}]")
    return tail(lines, "y", work, op, op.result().dtype)
