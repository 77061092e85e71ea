"""An operation as runnable code in another library: ``op.code("torch")`` and friends.

Each generator writes a short Python snippet (a str) that embeds the operation's data as
``np.array([...])`` literals and ends with ``result = ...``, equal to ``op.result()`` in
shape and value. Padding is always made explicit where the library's own rule differs
from the operation's (TensorFlow's "same" puts the odd pad at the bottom/right, PyTorch's
``padding=`` is symmetric, SciPy has no stride), so a snippet never depends on a library
guessing the same pads. This module only writes text: it imports no library it writes for.
The convolution's generators are here; :mod:`visualizer.code_family` has the others'.

>>> import numpy as np, visualizer as vz
>>> snippet = vz.Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int), stride=2).code("numpy")
>>> namespace = {}
>>> exec(snippet, namespace)
>>> namespace["result"]
array([[45]])
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

LIBRARIES = ("torch", "numpy", "scipy", "keras")
# larger inputs make unreadable snippets: they belong in a .npy file
MAX_VALUES = 64 * 64 * 4
_NUMPY_PAD = {"zeros": "constant", "replicate": "edge", "reflect": "reflect", "circular": "wrap"}
_TORCH_PAD = {"zeros": "constant", "replicate": "replicate", "reflect": "reflect", "circular": "circular"}


def library_name(library: Any) -> str:
    """``library`` checked against :data:`LIBRARIES` (any case), with a suggestion for a near miss.

    >>> library_name("Torch")
    'torch'
    >>> library_name("pytorch")
    Traceback (most recent call last):
    ...
    ValueError: library must be one of 'torch', 'numpy', 'scipy', 'keras'; got 'pytorch' (did you mean 'torch'?)
    """
    allowed = ", ".join(map(repr, LIBRARIES))
    if not isinstance(library, str):
        raise TypeError(f"library must be one of {allowed}; got {library!r}")
    name = library.lower()
    if name not in LIBRARIES:
        near = difflib.get_close_matches(name, LIBRARIES, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"library must be one of {allowed}; got {library!r}{hint}")
    return name


def check_size(image: np.ndarray) -> None:
    """Refuse an input too large to embed as a literal."""
    if image.size > MAX_VALUES:
        raise ValueError(
            f"code() writes the input into the snippet as a literal, and this one has {image.size} values "
            f"(shape {image.shape}), more than {MAX_VALUES} (64×64×4): save it with np.save('image.npy', "
            "op.image) and replace the literal with image = np.load('image.npy')"
        )


def literal(name: str, array: np.ndarray) -> str:
    """``name = np.array([...], dtype=...)``, one row a line, exact (floats round-trip).

    >>> print(literal("k", np.array([[1, 2], [3, 4]], np.uint8)))
    k = np.array([
        [1, 2],
        [3, 4],
    ], dtype=np.uint8)
    """
    values = array.tolist()
    body = repr(values) if array.ndim == 1 else "[\n" + "".join(f"    {row!r},\n" for row in values) + "]"
    return f"{name} = np.array({body}, dtype=np.{array.dtype.name})"


def np_pad(source: str, pads: tuple, signal: bool, channels: bool, mode: str, value: float | str = 0) -> str:
    """``np.pad(...)`` of ``source`` by ``pads`` (top, bottom, left, right), or ``source`` when there are none.

    >>> np_pad("x", (0, 1, 0, 1), False, False, "replicate")
    'np.pad(x, ((0, 1), (0, 1)), mode="edge")'
    """
    top, bottom, left, right = pads
    if not any(pads):
        return source
    widths = [(left, right)] if signal else [(top, bottom), (left, right)]
    widths += [(0, 0)] if channels else []
    width_text = repr(widths[0]) if len(widths) == 1 else repr(tuple(widths))
    fill = value if isinstance(value, str) else repr(value)  # a str is written as it is: "-np.inf"
    extra = f", constant_values={fill}" if mode == "zeros" and value != 0 else ""
    return f'np.pad({source}, {width_text}, mode="{_NUMPY_PAD[mode]}"{extra})'


def tail(lines: list[str], source: str, computed: np.dtype, op: Any, target: np.dtype) -> str:
    """The last lines: ``clip`` as the operation applies it, the dtype ``result()`` has, ``result = ...``."""
    limits = getattr(op, "clip_range", None)
    if limits is not None:
        low, high = limits
        lines.append(f"out = np.clip({source}, {low!r}, {high!r})  # clip={op.clip!r}")
        source = "out"
        computed = np.clip(np.zeros(1, computed), low, high).dtype  # an int array clipped to 0.5 is floats
    if target.kind in "iu" and computed.kind == "f":
        source = f"np.rint({source})"  # sums of integers computed in floats: back to the exact integers
    if target != computed:
        source = f"{source}.astype(np.{target.name})"
    lines.append(f"result = {source}")
    return "\n".join(lines) + "\n"


def dilated(name: str, kernel: str, dilation: tuple, signal: bool, dtype: str) -> list[str]:
    """Lines that spread ``kernel``'s taps ``dilation`` apart with zeros between: what SciPy needs for dilation."""
    if dilation == (1, 1):
        return [f"{name} = {kernel}"]
    dr, dc = dilation
    if signal:
        return [f"{name} = np.zeros({dc} * (len({kernel}) - 1) + 1, {dtype})", f"{name}[::{dc}] = {kernel}"]
    return [
        f"# dilation {dilation}: the taps {dr} rows and {dc} columns apart, zeros between",
        f"{name} = np.zeros(({dr} * ({kernel}.shape[0] - 1) + 1, {dc} * ({kernel}.shape[1] - 1) + 1)"
        f" + {kernel}.shape[2:], {dtype})",
        f"{name}[::{dr}, ::{dc}] = {kernel}",
    ]


def every(*steps: int) -> str:
    """A slice taking every ``step``-th element along the leading axes, or "" when every step is 1.

    >>> every(2, 1), every(1, 1)
    ('[::2, ::1]', '')
    """
    return "" if set(steps) == {1} else "[" + ", ".join(f"::{s}" for s in steps) + "]"


def pad_comment(padding: Any, pads: tuple, mode: str) -> str:
    """What the padding is, side by side; an uneven one is padded before a valid convolution."""
    top, bottom, left, right = pads
    text = f"# padding {padding!r}: (top, bottom, left, right) = {pads}, {mode}"
    return text + (": uneven, so pad first, then a valid convolution" if top != bottom or left != right else "")


def keras_padding(op: Any, stride_by_slicing: bool) -> str | None:
    """Keras's own padding name when it pads as ``op`` does, else None (then the snippet pads).

    "same" only with zeros, and not when the stride is taken by slicing a stride-1 output
    afterwards (Keras refuses stride > 1 with dilation > 1): "same" at stride 1 pads differently.
    """
    name = op.padding.lower() if isinstance(op.padding, str) else None
    if name == "same" and (op.pad_mode != "zeros" or op.pad_value != 0 or stride_by_slicing):
        return None
    return name if name in ("valid", "same") else None


def torch_pad_ok(mode: str, pads: tuple, shape: tuple) -> bool:
    """Whether PyTorch's F.pad can pad as NumPy does: its reflect padding needs pads smaller than the input."""
    top, bottom, left, right = pads
    rows, cols = shape[:2]
    if mode == "reflect":
        return max(top, bottom) < rows and max(left, right) < cols
    if mode == "circular":
        return max(top, bottom) <= rows and max(left, right) <= cols
    return True


def torch_input(lines: list[str], op: Any, source: str, colour: bool, signal: bool) -> bool:
    """Append lines making ``x``, the input as PyTorch's ``(1, C, H, W)`` (``(1, 1, W)``), padded as ``op`` says.

    Returns True when no padding was written because the convolution's own ``padding=`` (symmetric
    zeros) does it. Uneven pads (TensorFlow's "same"), other pad modes or fill values go through
    ``F.pad``; pads larger than ``F.pad`` allows (reflect: less than the input) through ``np.pad``.
    """
    top, bottom, left, right = op.pads
    native = op.pad_mode == "zeros" and op.pad_value == 0 and top == bottom and left == right
    by_numpy = not native and not torch_pad_ok(op.pad_mode, op.pads, (1, *op.image.shape) if signal else op.image.shape)
    if by_numpy:
        lines.append("# PyTorch's F.pad cannot pad this much (reflect: less than the input): NumPy pads")
        source = np_pad(source, op.pads, signal, colour, op.pad_mode, op.pad_value)
    layout = ".permute(2, 0, 1)[None]" if colour else "[None, None]"
    lines.append(f"x = torch.from_numpy({source}){layout}  # " + ("(1, 1, W)" if signal else "(1, C, H, W)"))
    if not native and not by_numpy:
        value = f", value={op.pad_value!r}" if op.pad_mode == "zeros" and op.pad_value else ""
        pads = (left, right) if signal else (left, right, top, bottom)
        order = "left, right" if signal else "left, right, top, bottom"
        lines.append(f'x = F.pad(x, {pads}, mode="{_TORCH_PAD[op.pad_mode]}"{value})  # ({order})')
    return native


# -- the convolution -------------------------------------------------------------


def convolution_code(op: Any, library: Any) -> str:
    """A snippet computing a :class:`~visualizer.Convolution`'s ``result()`` with ``library``."""
    library = library_name(library)
    check_size(op.image)
    return {"numpy": _conv_numpy, "scipy": _conv_scipy, "torch": _conv_torch, "keras": _conv_keras}[library](op)


class _Conv:
    """What every convolution generator reads from the operation."""

    def __init__(self, op: Any):
        self.op = op
        self.signal = op.signal
        self.colour = op.image.ndim == 3
        self.stack = op.kernel.ndim == 3  # one kernel per channel
        plane = op._plane
        self.stride, self.dilation, self.pads = plane.stride, plane.dilation, op.pads
        self.work = np.dtype(op.dtype)
        self.target = op.result().dtype
        self.dtype = f"np.{self.work.name}"
        self.kernel_flip = ("kernel[::-1]" if self.signal else "kernel[::-1, ::-1]") if op.flip_kernel else ""

    def head(self, *imports: str) -> list[str]:
        lines = ["import numpy as np", *imports, "", literal("image", self.op.image), literal("kernel", self.op.kernel)]
        if self.kernel_flip:
            lines.append(f"kernel = {self.kernel_flip}  # flip_kernel: a true convolution turns the kernel 180°")
        return lines

    def padded(self, source: str) -> str:
        op = self.op
        return np_pad(source, self.pads, self.signal, self.colour, op.pad_mode, op.pad_value)

    def pad_comment(self) -> str:
        return pad_comment(self.op.padding, self.pads, self.op.pad_mode)


def _conv_numpy(op: Any) -> str:
    c = _Conv(op)
    lines = c.head("from numpy.lib.stride_tricks import sliding_window_view")
    lines += [c.pad_comment(), f"x = {c.padded(f'image.astype({c.dtype})')}"]
    (sr, sc), (dr, dc) = c.stride, c.dilation
    if c.signal:
        span = dc * (op.kernel.shape[0] - 1) + 1
        lines.append(f"windows = sliding_window_view(x, {span}){every(sc, dc)}  # stride {sc}, dilation {dc}")
        formula = "in,n->i"
    else:
        span = (dr * (op.kernel.shape[0] - 1) + 1, dc * (op.kernel.shape[1] - 1) + 1)
        taps = "" if c.dilation == (1, 1) else f"[..., ::{dr}, ::{dc}]"
        lines.append(
            f"# every window (rows, cols{', C' if c.colour else ''}, M, N): stride {c.stride}, dilation {c.dilation}"
        )
        lines.append(f"windows = sliding_window_view(x, {span}, axis=(0, 1)){every(sr, sc)}{taps}")
        formula = "ijcmn,mnc->ijc" if c.stack else "ijcmn,mn->ijc" if c.colour else "ijmn,mn->ij"
    lines.append(f'out = np.einsum("{formula}", windows, kernel.astype({c.dtype}))')
    return tail(lines, "out", c.work, op, c.target)


def _conv_scipy(op: Any) -> str:
    c = _Conv(op)
    lines = c.head("from scipy import signal")
    flip = op.flip_kernel
    if flip:  # SciPy's convolve turns the kernel itself: give it the kernel as it was
        lines[-1] = "# flip_kernel: a true convolution, which is what signal.convolve computes"
    lines += [c.pad_comment(), f"x = {c.padded(f'image.astype({c.dtype})')}"]
    lines += dilated("k", f"kernel.astype({c.dtype})", c.dilation, c.signal, c.dtype)
    call = "signal.convolve" if flip else "signal.correlate"
    step = every(c.stride[1]) if c.signal else every(*c.stride)
    if c.stack:
        lines.append("# one kernel per channel")
        lines.append(
            f'out = np.stack([{call}(x[..., i], k[..., i], mode="valid", method="direct"){step} '
            "for i in range(x.shape[2])], axis=-1)"
        )
    else:
        k = "k[:, :, np.newaxis]" if c.colour else "k"
        if step:
            lines.append(f"# valid: the padding is already in x; SciPy has no stride, so {step} keeps every stride-th")
        lines.append(f'out = {call}(x, {k}, mode="valid", method="direct"){step}')
    return tail(lines, "out", c.work, op, c.target)


def _conv_torch(op: Any) -> str:
    c = _Conv(op)
    lines = c.head("import torch", "import torch.nn.functional as F")
    lines.append(c.pad_comment())
    native = torch_input(lines, op, f"image.astype({c.dtype})", c.colour, c.signal)
    top, bottom, left, right = c.pads
    weight = f"torch.from_numpy(kernel.astype({c.dtype}).copy())"
    if c.stack:
        lines.append(f"w = {weight}.permute(2, 0, 1)[:, None]  # (C, 1, M, N): channel i's own kernel")
    elif c.colour:
        lines.append(f"w = {weight}[None, None].repeat(x.shape[1], 1, 1, 1)  # the kernel for every channel")
    else:
        lines.append(f"w = {weight}[None, None]")
    pairs = (lambda p: repr(p[1])) if c.signal else repr
    args = [f"stride={pairs(c.stride)}"] if c.stride != (1, 1) else []
    args += [f"padding={left if c.signal else (top, left)!r}"] if native and any(c.pads) else []
    args += [f"dilation={pairs(c.dilation)}"] if c.dilation != (1, 1) else []
    args += ["groups=x.shape[1]"] if c.colour else []
    conv = "F.conv1d" if c.signal else "F.conv2d"
    if c.colour:
        lines.append("# groups = channels: depthwise, each channel filtered on its own")
    lines.append(f"out = {conv}(x, w{''.join(', ' + a for a in args)})")
    back = "out[0].permute(1, 2, 0)" if c.colour else "out[0, 0]"
    return tail(lines, f"{back}.numpy()", c.work, op, c.target)


def _conv_keras(op: Any) -> str:
    c = _Conv(op)
    lines = c.head("import keras")
    work = np.dtype(np.float32) if c.work == np.float32 else np.dtype(np.float64)
    both = max(c.stride) > 1 and max(c.dilation) > 1
    padding = keras_padding(op, both)
    native = padding is not None
    padding = padding or "valid"
    lines.append(c.pad_comment())
    source = f"image.astype(np.{work.name})"
    if native:
        if padding == "same":
            lines.append("# Keras's 'same' is this rule: the odd pad row/column goes at the bottom/right")
    else:
        source = c.padded(source)
    shape = "[None, :, None]" if c.signal else "[None]" if c.colour else "[None, :, :, None]"
    lines.append(f"x = {source}{shape}  # channels last: (1, H, W, C)" + (" (1, W, 1)" if c.signal else ""))
    kernel = f"kernel.astype(np.{work.name})"
    if c.stack:
        lines.append(f"k = {kernel}[:, :, :, None]  # (M, N, C, 1): channel i's own kernel")
    elif c.colour:
        lines.append(f"k = np.repeat({kernel}[:, :, None, None], x.shape[-1], axis=2)  # (M, N, C, 1)")
    else:
        lines.append(f"k = {kernel}{'[:, None, None]' if c.signal else '[:, :, None, None]'}")
    strides = (1, 1) if both else c.stride
    pick = (lambda p: p[1]) if c.signal else (lambda p: p)
    call = "keras.ops.depthwise_conv" if c.colour else "keras.ops.conv"
    if both:
        lines.append("# Keras refuses stride > 1 with dilation > 1: stride 1, then every stride-th output")
    lines.append(
        f'y = {call}(x, k, strides={pick(strides)!r}, padding="{padding}", dilation_rate={pick(c.dilation)!r})'
    )
    if both:
        lines.append(f"y = y[:, ::{c.stride[1]}]" if c.signal else f"y = y[:, ::{c.stride[0]}, ::{c.stride[1]}]")
    back = "[0, :, 0]" if c.signal else "[0]" if c.colour else "[0, :, :, 0]"
    return tail(lines, f"keras.ops.convert_to_numpy(y){back}", work, op, c.target)
