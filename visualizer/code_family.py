"""The transposed convolution, pooling and the layer as runnable code in another library.

The same contract as :mod:`visualizer.code`: a snippet that embeds the data and ends with
``result = ...``, equal to the operation's ``result()``. NumPy and SciPy snippets treat a
1-D signal as a one-row image, as the operations do.

>>> import numpy as np, visualizer as vz
>>> up = vz.TransposedConvolution([[1, 2], [3, 4]], np.ones((2, 2), int), stride=2)
>>> namespace = {}
>>> exec(up.code("scipy"), namespace)
>>> bool((namespace["result"] == up.result()).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .code import check_size, dilated, every, library_name, literal, np_pad, tail
from .operands import lift

__all__ = ["head", "keywords", "pooling_code", "transposed_code"]


def transposed_code(self: Any, library: str) -> str:
    """This transposed convolution as a runnable snippet for ``library`` ("torch", "numpy", "scipy" or "keras").

    It embeds the data and ends with ``result = ...``, equal to :meth:`result`.

    >>> import visualizer as vz
    >>> "F.conv_transpose1d" in vz.TransposedConvolution([1, 2, 3], [1, 1], stride=2).code("torch")
    True
    """
    library = library_name(library)
    check_size(self.image)
    return {"numpy": _up_numpy, "scipy": _up_scipy, "torch": _up_torch, "keras": _up_keras}[library](self)


def pooling_code(op: Any, library: str) -> str:
    """A snippet computing a :class:`~visualizer.Pooling`'s ``result()`` with ``library``."""
    library = library_name(library)
    check_size(op.image)
    return {"numpy": _pool_numpy, "scipy": _pool_scipy, "torch": _pool_torch, "keras": _pool_keras}[library](op)


def head(op: Any, *imports: str, kernel: str | None = "kernel") -> list[str]:
    lines = ["import numpy as np", *imports, "", literal("image", op.image)]
    return lines + ([literal(kernel, getattr(op, kernel))] if kernel else [])


def _lifted(op: Any, lines: list[str], dtype: str, kernel: bool = True) -> None:
    """``x`` (and ``k``): the operands as 2-D planes in the sums' dtype; a signal as a one-row image."""
    row = "[None]" if op.signal else ""
    lines.append(f"x = image.astype({dtype}){row}" + ("  # a signal as a one-row image" if row else ""))
    if kernel:
        lines.append(f"k = kernel.astype({dtype}){row}")


def _channels(op: Any, name: str) -> str:
    """``name`` reshaped for a channel axis: SciPy's valid/full modes keep a size-1 axis's length."""
    return f"{name}[:, :, None]" if op.image.ndim == 3 and op.kernel.ndim == 2 else name


def _torch_weight(op: Any, dtype: str) -> str:
    """PyTorch's ``(C, 1, M, N)`` weight for one kernel a channel (groups = C), or ``(1, 1, M, N)``."""
    weight = f"torch.from_numpy(kernel.astype({dtype}).copy())"
    if op.kernel.ndim == 3:
        return f"w = {weight}.permute(2, 0, 1)[:, None]  # (C, 1, M, N): channel i's own kernel"
    if op.image.ndim == 3:
        return f"w = {weight}[None, None].repeat(x.shape[1], 1, 1, 1)  # the kernel for every channel"
    return f"w = {weight}[None, None]"


def keywords(op: Any, names: dict[str, tuple], defaults: tuple = (1, 0)) -> str:
    """``, stride=(2, 2), padding=1``: the ones that differ from PyTorch's defaults; ints for a signal."""
    out = []
    for name, (pair, default) in names.items():
        if pair != (default, default):
            out.append(f", {name}={pair[1] if op.signal else pair!r}")
    return "".join(out)


def _back(op: Any, source: str) -> str:
    return f"{source}[0].permute(1, 2, 0).numpy()" if op.image.ndim == 3 else f"{source}[0, 0].numpy()"


def _crop(op: Any, lines: list[str]) -> None:
    """PyTorch's ``padding`` crops P rows and columns from each side of the full output."""
    (pr, pc), unlift = op._padding, "[0]" if op.signal else ""
    lines.append("# padding P crops P rows and columns from every side of the full output")
    lines.append(f"out = full[{pr} : full.shape[0] - {pr}, {pc} : full.shape[1] - {pc}]{unlift}")


# -- the transposed convolution ----------------------------------------------------


def _up_numpy(op: Any) -> str:
    lines, dtype = head(op), f"np.{op.dtype.name}"
    _lifted(op, lines, dtype)
    (sr, sc), (dr, dc), (opr, opc) = op._stride, op._dilation, op._output_padding
    lines += [
        "(H, W), (M, N) = x.shape[:2], k.shape[:2]",
        "# the whole output before the padding crops it, output_padding's rows and columns included",
        f"full = np.zeros(((H - 1) * {sr} + {dr} * (M - 1) + 1 + {opr}, (W - 1) * {sc} + {dc} * (N - 1) + 1 + {opc})"
        " + x.shape[2:], x.dtype)",
        "for u in range(M):",
        "    for v in range(N):",
        f"        # every input value times tap (u, v) lands {sr}, {sc} apart, from ({dr}·u, {dc}·v) on",
        f"        full[{dr} * u : {dr} * u + (H - 1) * {sr} + 1 : {sr}, "
        f"{dc} * v : {dc} * v + (W - 1) * {sc} + 1 : {sc}] += k[u, v] * x",
    ]
    _crop(op, lines)
    return tail(lines, "out", op.dtype, op, op.result().dtype)


def _up_scipy(op: Any) -> str:
    lines, dtype = head(op, "from scipy import signal"), f"np.{op.dtype.name}"
    _lifted(op, lines, dtype)
    (sr, sc), (opr, opc) = op._stride, op._output_padding
    lines += [
        f"# stretch: {sr - 1} and {sc - 1} zeros between the input's rows and columns",
        f"z = np.zeros(((x.shape[0] - 1) * {sr} + 1, (x.shape[1] - 1) * {sc} + 1) + x.shape[2:], x.dtype)",
        f"z[::{sr}, ::{sc}] = x",
        *dilated("kd", "k", op._dilation, False, "k.dtype"),
        "# a transposed convolution is the full (true) convolution of the stretched input with the kernel",
    ]
    if op.kernel.ndim == 3:
        lines.append(
            'full = np.stack([signal.convolve(z[..., i], kd[..., i], mode="full", method="direct") '
            "for i in range(z.shape[2])], axis=-1)"
        )
    else:
        lines.append(f'full = signal.convolve(z, {_channels(op, "kd")}, mode="full", method="direct")')
    if opr or opc:
        widths = ((0, opr), (0, opc)) + (((0, 0),) if op.image.ndim == 3 else ())
        lines.append(f"full = np.pad(full, {widths!r})  # output_padding: zero rows/columns at the bottom/right")
    _crop(op, lines)
    return tail(lines, "out", op.dtype, op, op.result().dtype)


def _up_torch(op: Any) -> str:
    lines, dtype = head(op, "import torch", "import torch.nn.functional as F"), f"np.{op.dtype.name}"
    layout = ".permute(2, 0, 1)[None]" if op.image.ndim == 3 else "[None, None]"
    lines += [f"x = torch.from_numpy(image.astype({dtype})){layout}", _torch_weight(op, dtype)]
    given = keywords(
        op,
        {
            "stride": (op._stride, 1),
            "padding": (op._padding, 0),
            "output_padding": (op._output_padding, 0),
            "dilation": (op._dilation, 1),
        },
    )
    groups = ", groups=x.shape[1]" if op.image.ndim == 3 else ""
    if groups:
        lines.append("# groups = channels: each channel on its own; the weight is (in, out // groups, M, N)")
    call = "F.conv_transpose1d" if op.signal else "F.conv_transpose2d"
    lines.append(f"out = {call}(x, w{given}{groups})")
    return tail(lines, _back(op, "out"), op.dtype, op, op.result().dtype)


def _up_keras(op: Any) -> str:
    lines = head(op, "import keras")
    work = np.dtype(np.float32) if op.dtype == np.float32 else np.dtype(np.float64)
    _lifted(op, lines, f"np.{work.name}")
    colour = op.image.ndim == 3
    if colour:  # Keras has no grouped transposed convolution: a diagonal kernel keeps the channels apart
        stack = "k" if op.kernel.ndim == 3 else "np.repeat(k[:, :, None], x.shape[2], axis=2)"
        lines.append(
            f"k = {stack}[:, :, :, None] * np.eye(x.shape[2], dtype=k.dtype)  # (M, N, C, C), zero across channels"
        )
    else:
        lines.append("k = k[:, :, None, None]")
    (opr, opc) = op._output_padding
    lines += [
        "# valid and output_padding 0: the whole output; PyTorch's padding and output_padding follow",
        f"y = keras.ops.conv_transpose(x[None]{'' if colour else '[..., None]'}, k, strides={op._stride!r}, "
        f'padding="valid", output_padding=0, dilation_rate={op._dilation!r})',
        f"full = keras.ops.convert_to_numpy(y)[0{'' if colour else ', ..., 0'}]",
    ]
    if opr or opc:
        widths = ((0, opr), (0, opc)) + (((0, 0),) if colour else ())
        lines.append(f"full = np.pad(full, {widths!r})  # output_padding: zero rows/columns at the bottom/right")
    _crop(op, lines)
    return tail(lines, "out", work, op, op.result().dtype)


# -- pooling -------------------------------------------------------------------------


def _pool_fill(op: Any, work: np.dtype) -> str:
    if op.mode == "avg":
        return "0"
    return "-np.inf" if work.kind == "f" else f"np.iinfo(np.{work.name}).min"


def _pool_padded(op: Any, lines: list[str], work: np.dtype) -> None:
    """``x``: the padded input, its bottom/right grown by ceil_mode's overhang."""
    row = "[None]" if op.signal else ""
    fill = _pool_fill(op, work)
    what = "−∞ (it never wins)" if op.mode == "max" else "zeros"
    lines.append(f"# padding {op._padding} holds {what}; pads (top, bottom, left, right) = {op.pads}")
    if op.pads[1] > op.pads[0] or op.pads[3] > op.pads[2]:
        lines.append("# ceil_mode: the last window reaches past the padding, so the bottom/right grow")
    padded = np_pad(f"image.astype(np.{work.name}){row}", op.pads, False, op.image.ndim == 3, "zeros", fill)
    lines.append(f"x = {padded}")


def _divisor(op: Any, lines: list[str]) -> str:
    """Lines making ``divisor``: PyTorch's count of each window's cells, to the end of the padding."""
    (kr, kc), (sr, sc), (pr, pc) = op._size, op._stride, op._padding
    rows, cols = op._shape
    h, w = lift(op.image).shape[:2]
    inside = "" if op.count_include_pad else " and inside the image (count_include_pad=False)"
    lines.append(f"# PyTorch divides by the cells up to the end of the padding{inside}")
    for axis, (n, k, s, p, size) in {"r": (rows, kr, sr, pr, h), "c": (cols, kc, sc, pc, w)}.items():
        lines.append(f"start_{axis} = np.arange({n}) * {s} - {p}")
        lines.append(f"end_{axis} = np.minimum(start_{axis} + {k}, {size} + {p})")
        if op.count_include_pad:
            lines.append(f"count_{axis} = end_{axis} - start_{axis}")
        else:
            lines.append(f"count_{axis} = np.minimum(end_{axis}, {size}) - np.maximum(start_{axis}, 0)")
    channel = "[..., None]" if op.image.ndim == 3 else ""
    lines.append(f"divisor = np.outer(count_r, count_c){channel}")
    return "divisor"


def _pool_numpy(op: Any) -> str:
    lines = head(op, "from numpy.lib.stride_tricks import sliding_window_view", kernel=None)
    _pool_padded(op, lines, op.dtype)
    (kr, kc), (sr, sc), (dr, dc), (rows, cols) = op._size, op._stride, op._dilation, op._shape
    span = f"({dr * (kr - 1) + 1}, {dc * (kc - 1) + 1})"
    taps = "" if (dr, dc) == (1, 1) else f"[..., ::{dr}, ::{dc}]"
    lines.append(f"windows = sliding_window_view(x, {span}, axis=(0, 1)){every(sr, sc)}{taps}[:{rows}, :{cols}]")
    unlift = "[0]" if op.signal else ""
    if op.mode == "max":
        lines.append(f"out = windows.max(axis=(-2, -1)){unlift}")
    else:
        divisor = _divisor(op, lines)
        lines.append(f"out = (windows.sum(axis=(-2, -1)) / {divisor}.astype(np.{op.dtype.name})){unlift}")
    return tail(lines, "out", op.dtype, op, op.result().dtype)


def _pool_scipy(op: Any) -> str:
    lines = head(op, "from scipy import ndimage", kernel=None)
    work = np.dtype(np.float32) if op.dtype == np.float16 else op.dtype  # ndimage has no float16
    _pool_padded(op, lines, work)
    (kr, kc), (sr, sc), (dr, dc), (rows, cols) = op._size, op._stride, op._dilation, op._shape
    span_r, span_c = dr * (kr - 1) + 1, dc * (kc - 1) + 1
    channel = ", 1" if op.image.ndim == 3 else ""
    if (dr, dc) == (1, 1):
        lines.append(f"footprint = np.ones(({span_r}, {span_c}{channel}), bool)")
    else:
        lines += [f"footprint = np.zeros(({span_r}, {span_c}{channel}), bool)", f"footprint[::{dr}, ::{dc}] = True"]
    if op.mode == "max":
        lines.append("filtered = ndimage.maximum_filter(x, footprint=footprint)")
    else:
        lines.append("filtered = ndimage.correlate(x, footprint.astype(x.dtype))  # window sums")
    lines.append(
        "# ndimage centres the window: the one starting at (a, b) is reported at (a + span // 2, b + span // 2)"
    )
    picked = f"filtered[{span_r // 2}::{sr}, {span_c // 2}::{sc}][:{rows}, :{cols}]"
    unlift = "[0]" if op.signal else ""
    if op.mode == "max":
        lines.append(f"out = {picked}{unlift}")
    else:
        divisor = _divisor(op, lines)
        lines.append(f"out = ({picked} / {divisor}.astype(np.{op.dtype.name})){unlift}")
    return tail(lines, "out", work, op, op.result().dtype)


def _pool_torch(op: Any) -> str:
    lines = head(op, "import torch", "import torch.nn.functional as F", kernel=None)
    layout = ".permute(2, 0, 1)[None]" if op.image.ndim == 3 else "[None, None]"
    work = op.dtype
    if op.signal and work.kind in "iu":
        lines.append("# PyTorch's max_pool1d takes floats only: integers pool in float64 and come back")
        work = np.dtype(np.float64)
    elif work.kind == "u" and work.itemsize > 1:
        lines.append(f"# PyTorch pools no {work.name}: the values pool exactly in int64 and come back")
        work = np.dtype(np.int64)
    lines.append(f"x = torch.from_numpy(image.astype(np.{work.name})){layout}")
    names = {"stride": (op._stride, None), "padding": (op._padding, 0)}
    if op.mode == "max":
        names["dilation"] = (op._dilation, 1)
    given = keywords(op, names)
    given += ", ceil_mode=True" if op.ceil_mode else ""
    given += ", count_include_pad=False" if op.mode == "avg" and not op.count_include_pad else ""
    call = f"F.{op.mode}_pool{1 if op.signal else 2}d"
    size = op._size[1] if op.signal else op._size
    lines.append(f"out = {call}(x, {size!r}{given})")
    return tail(lines, _back(op, "out"), work, op, op.result().dtype)


def _pool_keras(op: Any) -> str:
    if op._dilation != (1, 1):
        raise ValueError(
            f"Keras's pooling has no dilation (this pooling's is {op.dilation}): use code('torch'), "
            "code('numpy') or code('scipy')"
        )
    lines = head(op, "import keras", kernel=None)
    work = np.dtype(np.float32) if op.dtype == np.float32 else np.dtype(np.float64)
    _pool_padded(op, lines, work)
    shape = "[None]" if op.image.ndim == 3 else "[None, ..., None]"
    call = "keras.ops.max_pool" if op.mode == "max" else "keras.ops.average_pool"
    lines.append("# the padding is in x: Keras pools it validly, channels last")
    lines.append(f'y = {call}(x{shape}, pool_size={op._size!r}, strides={op._stride!r}, padding="valid")')
    pooled = f"keras.ops.convert_to_numpy(y)[0{'' if op.image.ndim == 3 else ', ..., 0'}]"
    unlift = "[0]" if op.signal else ""
    if op.mode == "max":
        return tail([*lines, f"out = {pooled}{unlift}"], "out", work, op, op.result().dtype)
    divisor = _divisor(op, lines)
    kr, kc = op._size
    lines.append(f"# Keras divided every window by {kr * kc}; PyTorch's divisor counts as above")
    lines.append(f"out = ({pooled} * {kr * kc} / {divisor}.astype(np.{work.name})){unlift}")
    return tail(lines, "out", work, op, op.result().dtype)
