"""What one step of a transposed convolution shows, in each of its two views.

A :class:`DirectStep` is one output element: a window of the stretched input
under the rotated kernel, like a convolution's step. A :class:`ScatterStep` is
one input element: its value times the kernel, added into a patch of the
output. Both are cheap to make; arrays are read from the operation on demand.
Indices follow the input's rank: ``(i, j)`` for images, ``(j,)`` for signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .geometry import Pair

if TYPE_CHECKING:
    from .transposed import TransposedConvolution


def _plain(value):
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else value


class DirectStep:
    """One output element: the rotated kernel over a window of the stretched input.

    Attributes
    ----------
    index : int
        Position in row-major order of the output.
    out_index : tuple of int
        The output element this step computes.
    origin : tuple of int
        The window's top-left tap in ``stretched`` coordinates (equal to
        ``out_index``: over the stretched input the kernel moves with stride 1).
    value, clipped_value : number or ndarray
        The sum (one per channel for colour), before and after ``clip``.

    ``window``, ``kernel`` (rotated by 180°) and ``products`` are arrays of the
    kernel's shape, made on demand.
    """

    __slots__ = ("index", "out_index", "origin", "value", "clipped_value", "_op", "_at")

    def __init__(self, op: TransposedConvolution, index: int, at: Pair, value, clipped_value):
        self.index = index
        self.out_index = at[1:] if op.signal else at
        self.origin = self.out_index
        self.value = value
        self.clipped_value = clipped_value
        self._op = op
        self._at = at

    @property
    def window(self) -> np.ndarray:
        """The stretched input's values under the kernel taps (zeros and padding included)."""
        window = self._op._window(self._at)
        return window[0] if self._op.signal else window

    @property
    def kernel(self) -> np.ndarray:
        """The kernel rotated by 180°, as the direct view applies it."""
        return self._op.rotated_kernel

    @property
    def products(self) -> np.ndarray:
        """``window * kernel``, element-wise; shape of ``window``."""
        window, kernel = self.window, self.kernel
        return window * (kernel[..., np.newaxis] if window.ndim > kernel.ndim else kernel)

    @property
    def is_clipped(self) -> bool:
        """True when the raw sum lies outside the ``clip`` range (in any channel)."""
        limits = self._op.clip_range
        return limits is not None and bool(np.any((self.value < limits[0]) | (self.value > limits[1])))

    def __repr__(self) -> str:
        return (
            f"DirectStep(index={self.index}, out_index={self.out_index}, origin={self.origin}, "
            f"value={_plain(self.value)!r}, clipped_value={_plain(self.clipped_value)!r})"
        )


class ScatterStep:
    """One input element: ``value × kernel`` added into its patch of the output.

    Attributes
    ----------
    index : int
        Position in row-major order of the input.
    in_index : tuple of int
        The input element this step scatters.
    value : number or ndarray
        That element's value (one per channel for colour), in the sums' dtype.
    origin : tuple of int
        The patch's top-left tap in full-output coordinates, before ``padding``
        crops the output: ``in_index × stride``.
    taps : tuple of range
        Per axis, the output coordinates the kernel's taps land on (``origin −
        padding`` onward, ``dilation`` apart); some may lie outside the output.
    inside : ndarray of bool
        Kernel-shaped: which taps land inside the output (the rest are cropped).

    ``kernel``, ``contribution`` and ``partial_output`` are made on demand.
    """

    __slots__ = ("index", "in_index", "value", "origin", "taps", "_op")

    def __init__(self, op: TransposedConvolution, index: int, at: Pair, value):
        self.index = index
        self.value = value
        self._op = op
        m, n = op._weights.shape[:2]
        origin = (at[0] * op._stride[0], at[1] * op._stride[1])
        taps = tuple(
            range(
                origin[a] - op._padding[a], origin[a] - op._padding[a] + op._dilation[a] * (k - 1) + 1, op._dilation[a]
            )
            for a, k in enumerate((m, n))
        )
        keep = slice(1, None) if op.signal else slice(None)
        self.in_index, self.origin, self.taps = at[keep], origin[keep], taps[keep]

    @property
    def inside(self) -> np.ndarray:
        """Which kernel taps land inside the output (kernel-shaped booleans)."""
        shape = self._op.output_shape
        per_axis = [(np.array(t) >= 0) & (np.array(t) < size) for t, size in zip(self.taps, shape, strict=True)]
        return per_axis[0] if len(per_axis) == 1 else np.outer(*per_axis)

    @property
    def kernel(self) -> np.ndarray:
        """The kernel as given (not rotated), in the sums' dtype."""
        weights = self._op._weights
        return weights[0] if self._op.signal else weights

    @property
    def contribution(self) -> np.ndarray:
        """``value × kernel``: what this step adds to the output at ``taps`` (kernel-shaped, per channel)."""
        kernel = self.kernel
        value = np.asarray(self.value)
        return (kernel[..., np.newaxis] if value.ndim and kernel.ndim == 2 else kernel) * value

    @property
    def partial_output(self) -> np.ndarray:
        """The output's raw sums once this step's contribution is in (a fresh array)."""
        return self._op.partial_output(self.index + 1)

    def __repr__(self) -> str:
        return (
            f"ScatterStep(index={self.index}, in_index={self.in_index}, origin={self.origin}, "
            f"value={_plain(self.value)!r})"
        )
