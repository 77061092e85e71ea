"""What one step of a pooling shows: a window, and how it became one number.

A max step names the tap that won; an average step gives the sum and what it
was divided by. Indices follow the input's rank: ``(i, j)`` for images, ``(j,)``
for signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .geometry import Pair
from .operands import lift

if TYPE_CHECKING:
    from .pooling import Pooling


class PoolStep:
    """One window position of a pooling.

    Attributes
    ----------
    index : int
        Position in row-major order of the output.
    out_index : tuple of int
        The output element this step computes (``(j,)`` for a signal).
    origin : tuple of int
        The window's top-left tap in ``padded`` coordinates.
    value : number or ndarray
        The maximum or the average (one per channel for colour).
    sum, divisor : number, or None for max pooling
        The average's window sum (per channel) and what it is divided by.

    ``window`` (the padded values under the taps) and ``argmax`` (max pooling:
    the winning tap, first in row-major order on a tie) are made on demand.
    """

    __slots__ = ("index", "out_index", "origin", "value", "sum", "divisor", "_op", "_at")

    def __init__(self, op: Pooling, index: int, at: Pair, value, window_sum):
        self.index = index
        self.value = value
        self.sum = window_sum
        self.divisor = None if window_sum is None else op.divisor(*(at[1:] if op.signal else at))
        origin = (at[0] * op._stride[0], at[1] * op._stride[1])
        self.out_index, self.origin = (at[1:], origin[1:]) if op.signal else (at, origin)
        self._op = op
        self._at = at

    @property
    def window(self) -> np.ndarray:
        """The padded input under the window's taps: ``size``-shaped (per channel for colour)."""
        op, (r, c) = self._op, (self._at[0] * self._op._stride[0], self._at[1] * self._op._stride[1])
        (kr, kc), (dr, dc) = op._size, op._dilation
        window = op._padded[r : r + dr * (kr - 1) + 1 : dr, c : c + dc * (kc - 1) + 1 : dc]
        return window[0] if op.signal else window

    @property
    def argmax(self) -> tuple | None:
        """Max pooling: the winning tap in the window, ``(row, col)`` (``(k,)`` for a signal).

        For colour, a tuple of one tap per channel. None for average pooling.
        """
        if self._op.mode != "max":
            return None
        window = lift(self.window) if self._op.signal else self.window
        rows, cols = window.shape[:2]
        flat = window.reshape(rows * cols, -1).argmax(axis=0)  # NumPy, like PyTorch, keeps the first on a tie
        taps = [divmod(int(f), cols) for f in flat]
        taps = [t[1:] for t in taps] if self._op.signal else taps
        return tuple(taps) if window.ndim == 3 else taps[0]

    def __repr__(self) -> str:
        value = self.value.tolist() if isinstance(self.value, np.ndarray | np.generic) else self.value
        return f"PoolStep(index={self.index}, out_index={self.out_index}, origin={self.origin}, value={value!r})"
