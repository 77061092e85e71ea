"""Max and average pooling, step by step, with PyTorch's ``max_pool2d`` / ``avg_pool2d`` rules.

A window of ``size`` taps (``dilation`` apart, max pooling only) moves by
``stride`` (``size`` unless given) over the input padded by ``padding`` on
each side (at most half the window). Under max pooling the padding holds −∞
and never wins; under average pooling it holds zeros, counted in the divisor
unless ``count_include_pad=False``. With ``ceil_mode`` the output rounds up,
but a last window that would start in the right padding is dropped, and the
part of a window past the padding is not counted at all. Every channel of a
colour image is pooled on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from . import geometry, operands
from .code_family import pooling_code
from .display import InlineDisplay
from .geometry import Pair
from .operands import lift, pair_text, public, read_only, shape_text
from .pooling_steps import PoolStep

MODES = ("max", "avg")


class Pooling(InlineDisplay):
    """2-D (or 1-D) max or average pooling, one step per output element.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` grey or ``(H, W, C)`` colour image, or a ``(W,)`` signal.
    size : int or (int, int)
        The window, each ≥ 1 (an int for a signal).
    stride : None, int or (int, int)
        How far the window moves; None means ``size``.
    padding : int or (int, int)
        Added on each side; at most half the window (``size // 2``), as PyTorch requires.
    mode : "max" or "avg"
    dilation : int or (int, int)
        Spacing between the window's taps; max pooling only (PyTorch's ``avg_pool2d`` has none).
    ceil_mode : bool
        Round the output size up instead of down.
    count_include_pad : bool
        Average pooling: count the padding in the divisor.

    Attributes
    ----------
    output_shape : tuple of int
        ``(rows, cols)``, or ``(width,)`` for a signal; steps and indices follow the input's rank.
    padded : ndarray
        What the window slides over; ``pads`` gives its ``(top, bottom, left, right)``
        border, the bottom and right including a ``ceil_mode`` overhang past the
        padding (see :meth:`cell_kind`).
    image : ndarray
        A read-only snapshot of the input.
    dtype : numpy.dtype
        The output's dtype: the image's for max, float32 or float64 for avg.

    Examples
    --------
    >>> import numpy as np
    >>> pooled = Pooling(np.arange(16).reshape(4, 4), size=2)
    >>> pooled.result()
    array([[ 5,  7],
           [13, 15]])
    >>> step = pooled.step(1)
    >>> step.origin, step.window.tolist(), step.argmax
    ((0, 2), [[2, 3], [6, 7]], (1, 1))
    >>> Pooling([1, 2, 3, 4, 5], 2, mode="avg", ceil_mode=True).result()
    array([1.5, 3.5, 5. ])
    """

    def __init__(
        self,
        image: Any,
        size: int | Pair = 2,
        stride: int | Pair | None = None,
        padding: int | Pair = 0,
        mode: str = "max",
        dilation: int | Pair = 1,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ):
        image = operands.as_operand(image, "image")
        self.signal = signal = image.ndim == 1
        self.mode = operands.choice(mode, "mode", MODES)
        self._size = operands.axis_pair(size, "size", signal, 1, 1)
        self._stride_asked = stride
        self._stride = self._size if stride is None else operands.axis_pair(stride, "stride", signal, 1, 1)
        self._padding = operands.axis_pair(padding, "padding", signal, 0, 0)
        self._dilation = operands.axis_pair(dilation, "dilation", signal, 1, 1)
        self.ceil_mode = operands.boolean(ceil_mode, "ceil_mode")
        self.count_include_pad = operands.boolean(count_include_pad, "count_include_pad")
        if self.mode == "avg" and self._dilation != (1, 1):
            raise ValueError(
                f"dilation is for max pooling only (PyTorch's avg_pool2d has none); got dilation "
                f"{public(self._dilation, signal)} with mode='avg'"
            )
        if any(p > k // 2 for p, k in zip(self._padding, self._size, strict=True)):
            raise ValueError(
                f"padding must be at most half the window size (PyTorch's rule); got padding "
                f"{public(self._padding, signal)} with size {public(self._size, signal)}"
            )
        x = lift(image)
        self._shape = tuple(self._axis_size(x.shape[a], a) for a in (0, 1))
        # rows and columns past the bottom/right padding that a ceil_mode window reaches
        extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (h + 2 * p)) for o, s, d, k, h, p in self._axes(x)]
        (pr, pc) = self._padding
        self.pads = (pr, pr + extra[0], pc, pc + extra[1])
        self.dtype = image.dtype if self.mode == "max" else _mean_dtype(image.dtype)
        fill = 0 if self.mode == "avg" else _never_wins(image.dtype)
        widths = [self.pads[:2], self.pads[2:]] + [(0, 0)] * (x.ndim - 2)
        # the padded array is the one copy kept; `image` is a view into it, so later changes
        # to the caller's array do not reach this snapshot
        padded = np.pad(x, widths, constant_values=fill) if any(self.pads) else x.copy()
        self._padded = read_only(padded)
        self.image = self._unlift(self._padded[pr : pr + x.shape[0], pc : pc + x.shape[1]])
        self._cache: tuple[np.ndarray, np.ndarray | None] | None = None

    # -- description -------------------------------------------------------

    @property
    def size(self) -> int | Pair:
        return public(self._size, self.signal)

    @property
    def stride(self) -> int | Pair:
        return public(self._stride, self.signal)

    @property
    def padding(self) -> int | Pair:
        return public(self._padding, self.signal)

    @property
    def dilation(self) -> int | Pair:
        return public(self._dilation, self.signal)

    @property
    def padded(self) -> np.ndarray:
        """The input the window slides over: padding (and a ceil_mode overhang) filled with −∞ or 0."""
        return self._unlift(self._padded)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """``(rows, cols)`` of the output, or ``(width,)`` for a signal."""
        return self._shape[1:] if self.signal else self._shape

    @property
    def channels(self) -> int | None:
        """Number of colour channels, or None for a grey image or a signal."""
        return self.image.shape[2] if self.image.ndim == 3 else None

    @property
    def num_steps(self) -> int:
        """One step per output element."""
        return self._shape[0] * self._shape[1]

    def __len__(self) -> int:
        return self.num_steps

    def replace(self, **changes: Any) -> Pooling:
        """A new Pooling with some parameters changed (a stride left to default follows ``size``).

        >>> import numpy as np
        >>> Pooling(np.zeros((6, 6)), 2).replace(size=3).output_shape
        (2, 2)
        """
        params = dict(
            image=self.image,
            size=self.size,
            stride=self._stride_asked,
            padding=self.padding,
            mode=self.mode,
            dilation=self.dilation,
            ceil_mode=self.ceil_mode,
            count_include_pad=self.count_include_pad,
        )
        operands.unknown_changes(changes, params)
        return Pooling(**{**params, **changes})

    def formula(self) -> tuple[str, ...]:
        """The output-size formula per axis (one for a signal), with the numbers substituted.

        >>> import numpy as np
        >>> Pooling(np.zeros((5, 4)), 2, ceil_mode=True).formula()
        ('rows = ⌈(5 + 0 − 2) / 2⌉ + 1 = 3', 'cols = ⌈(4 + 0 − 2) / 2⌉ + 1 = 2')
        >>> Pooling(np.zeros(5), 2, padding=1, ceil_mode=True).formula()
        ('length = ⌈(5 + 2 − 2) / 2⌉ + 1 − 1 = 3 (a last window starting in the right padding is dropped)',)
        """
        x = lift(self.image)
        names = ("rows", "length" if self.signal else "cols")
        lines = []
        for a, (o, s, d, k, h, p) in enumerate(self._axes(x)):
            if not self.ceil_mode:
                lines.append(geometry.formula(h, k, s, 2 * p, d, names[a]))
                continue
            span = f"{k}" if d == 1 else f"{d}·({k}−1) − 1"
            text = f"{names[a]} = ⌈({h} + {2 * p} − {span}) / {s}⌉ + 1"
            dropped = o != -(-(h + 2 * p - d * (k - 1) - 1) // s) + 1
            lines.append(
                f"{text} − 1 = {o} (a last window starting in the right padding is dropped)"
                if dropped
                else f"{text} = {o}"
            )
        return tuple(lines[1:] if self.signal else lines)

    def describe(self) -> str:
        """One line naming every parameter.

        >>> import numpy as np
        >>> Pooling(np.zeros((5, 5)), 3, stride=2, padding=1, mode="avg").describe()
        'avg pooling: input 5×5, size 3, stride 2, padding 1, count_include_pad → output 3×3'
        """
        s = self.signal
        extras = [f"dilation {pair_text(self._dilation, s)}"] if self._dilation != (1, 1) else []
        extras += ["ceil_mode"] if self.ceil_mode else []
        if self.mode == "avg" and any(self._padding):
            extras.append("count_include_pad" if self.count_include_pad else "padding not counted")
        return (
            f"{self.mode} pooling: input {shape_text(self.image.shape)}, size {pair_text(self._size, s)}, "
            f"stride {pair_text(self._stride, s)}, padding {pair_text(self._padding, s)}"
            + "".join(f", {e}" for e in extras)
            + f" → output {shape_text(self.output_shape)}"
        )

    def code(self, library: str) -> str:
        """This pooling as a runnable snippet for ``library`` ("torch", "numpy", "scipy" or "keras").

        It embeds the data and ends with ``result = ...``, equal to :meth:`result`.

        >>> print(Pooling([[1, 5], [3, 2]], 2).code("torch").splitlines()[-2])
        out = F.max_pool2d(x, (2, 2), stride=(2, 2))
        """
        return pooling_code(self, library)

    def __repr__(self) -> str:
        return f"<Pooling {self.describe()}>"

    def cell_kind(self, *index: int) -> str:
        """What a cell of ``padded`` is: "input", "padding", or "outside" (past the padding; never counted).

        Give ``(row, col)``, or ``(col,)`` for a signal.

        >>> import numpy as np
        >>> pooled = Pooling(np.zeros((3, 3)), 2, ceil_mode=True)
        >>> pooled.cell_kind(0, 0), pooled.cell_kind(3, 0)
        ('input', 'outside')
        """
        at = operands.cell_index(index, self.padded.shape[: 1 if self.signal else 2])
        at = (0, *at) if self.signal else at
        h = lift(self.image).shape[:2]
        kinds = []
        for a in (0, 1):
            t, p = at[a] - self._padding[a], self._padding[a]
            kinds.append("input" if 0 <= t < h[a] else "padding" if -p <= t < h[a] + p else "outside")
        return "outside" if "outside" in kinds else "padding" if "padding" in kinds else "input"

    # -- arithmetic --------------------------------------------------------

    def steps(self) -> Iterator[PoolStep]:
        """Yield one :class:`PoolStep` per output element, in row-major order."""
        for index in range(self.num_steps):
            yield self._step(index)

    def step(self, index: int) -> PoolStep:
        """The step at ``index`` (negative counts from the end), without iterating."""
        return self._step(operands.step_index(index, self.num_steps))

    def result(self) -> np.ndarray:
        """The whole output at once; a fresh array (the image's dtype for max, floats for avg)."""
        if self._cache:
            return self._unlift(self._cache[0]).copy()
        return self._unlift(self._compute()[0])

    def _step(self, index: int) -> PoolStep:
        if self._cache is None:
            self._cache = tuple(None if a is None else read_only(a) for a in self._compute())
        at = divmod(index, self._shape[1])
        values, sums = self._cache
        return PoolStep(self, index, at, values[at], None if sums is None else sums[at])

    def _compute(self) -> tuple[np.ndarray, np.ndarray | None]:
        """Output values, and for avg the window sums, lifted to 2-D."""
        if self.mode == "max":
            return _separable(self._padded, np.maximum, self._size, self._stride, self._dilation, self._shape), None
        sums = _separable(self._padded, np.add, self._size, self._stride, (1, 1), self._shape, self.dtype)
        divisor = np.outer(*(self._counts(a) for a in (0, 1))).astype(self.dtype)
        return sums / (divisor[..., np.newaxis] if sums.ndim == 3 else divisor), sums

    def _counts(self, a: int) -> np.ndarray:
        """Average pooling's divisor along axis ``a``, PyTorch's way, for every window."""
        h, k, p = lift(self.image).shape[a], self._size[a], self._padding[a]
        start = np.arange(self._shape[a]) * self._stride[a] - p
        end = np.minimum(start + k, h + p)  # past the padding nothing is counted, even with the pad
        if self.count_include_pad:
            return end - start
        return np.minimum(end, h) - np.maximum(start, 0)

    def divisor(self, *out_index: int) -> int:
        """How many cells the average at ``out_index`` divides by (average pooling)."""
        at = (0, *out_index) if self.signal else out_index
        return int(self._counts(0)[at[0]] * self._counts(1)[at[1]])

    # -- geometry ------------------------------------------------------------

    def _axes(self, x: np.ndarray):
        return zip(self._shape, self._stride, self._dilation, self._size, x.shape[:2], self._padding, strict=True)

    def _axis_size(self, h: int, a: int) -> int:
        k, s, p, d = self._size[a], self._stride[a], self._padding[a], self._dilation[a]
        span = d * (k - 1) + 1
        # PyTorch's pooling_output_shape: floor division even of a negative numerator
        size = (h + 2 * p - span + (s - 1 if self.ceil_mode else 0)) // s + 1
        if self.ceil_mode and (size - 1) * s >= h + p:
            size -= 1
        if size < 1:
            name = "length" if self.signal else ("rows", "cols")[a]
            raise ValueError(
                f"pooling window spans {span} (size {k}, dilation {d}) but the padded input has only "
                f"{h + 2 * p} {name}: use a smaller size or dilation, or more padding"
            )
        return size

    def _unlift(self, array: np.ndarray) -> np.ndarray:
        return array[0] if self.signal else array


# -- the fast path -------------------------------------------------------------


def _separable(
    padded: np.ndarray, ufunc: np.ufunc, size: Pair, stride: Pair, dilation: Pair, out: Pair, dtype=None
) -> np.ndarray:
    """Reduce every window with ``ufunc`` (maximum or add): first down the rows, then along the columns.

    A rectangular window's max (or sum) is the max over its columns of the max
    over its rows, so ``size[0] + size[1]`` strided slice operations do the
    work of ``size[0]·size[1]`` per window, and no window is copied. Returns a
    fresh array (in ``dtype``, if given).

    >>> _separable(np.arange(6).reshape(2, 3), np.add, (2, 2), (1, 1), (1, 1), (1, 2))
    array([[ 8, 12]])
    """
    acc = padded
    for axis in (0, 1):
        parts = []
        for u in range(size[axis]):
            first = u * dilation[axis]
            taps = [slice(None), slice(None)]
            taps[axis] = slice(first, first + (out[axis] - 1) * stride[axis] + 1, stride[axis])
            parts.append(acc[tuple(taps)])
        # the first reduction makes the fresh array (in the sums' dtype) that the rest reduce into
        reduced = ufunc(parts[0], parts[1], dtype=dtype) if len(parts) > 1 else parts[0].astype(dtype or acc.dtype)
        for part in parts[2:]:
            ufunc(reduced, part, out=reduced)
        acc, dtype = reduced, None
    return acc


def _never_wins(dtype: np.dtype) -> float | int:
    """What padding holds under max pooling: −∞, or the least value an integer image can hold."""
    return -np.inf if dtype.kind == "f" else int(np.iinfo(dtype).min)


def _mean_dtype(dtype: np.dtype) -> np.dtype:
    # float32 photos stay float32; integers and float64 average in float64
    return np.dtype(np.float32) if dtype.kind == "f" and dtype.itemsize <= 4 else np.dtype(np.float64)


def pool(image: Any, size: int | Pair = 2, **params: Any) -> np.ndarray:
    """The whole output at once: ``Pooling(image, size, **params).result()``.

    >>> pool([[1, 5], [3, 2]], 2)
    array([[5]])
    """
    return Pooling(image, size, **params).result()
