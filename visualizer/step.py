"""One step of an operation: one window position, what the kernel covers, the products and their sum.

Steps are light: the values come from the operation's vectorised sums, and the window,
kernel and products are views or small arrays made when something reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .convolution import Convolution


class Step:
    """One window position: what the kernel covers, the products and their sum.

    Attributes
    ----------
    index : int
        Position in row-major order, 0, 1, 2, …
    out_index : tuple of int
        ``(i, j)`` of the output element this step computes (``(j,)`` for a signal).
    origin : tuple of int
        ``(row, col)`` of the window's top-left tap in padded coordinates
        (``(col,)`` for a signal: where its first tap sits in the padded signal).
    value : number or ndarray
        The products summed (one sum per channel for colour images).
    clipped_value : number or ndarray
        ``value`` after clamping; equal to ``value`` when nothing was clipped.

    ``window``, ``kernel`` and ``products`` are arrays of the kernel's shape
    (``(M, N, C)`` for colour images, ``(N,)`` for a signal), made on demand.
    """

    __slots__ = ("index", "out_index", "origin", "value", "clipped_value", "_conv")

    def __init__(self, conv: Convolution, index: int, out_index: tuple, origin: tuple, value, clipped_value):
        self.index = index
        self.out_index = out_index
        self.origin = origin
        self.value = value
        self.clipped_value = clipped_value
        self._conv = conv

    @property
    def window(self) -> np.ndarray:
        """The padded input values under the kernel taps (only the dilated taps)."""
        return self._conv._windows[self.out_index]

    @property
    def kernel(self) -> np.ndarray:
        """The kernel as it is applied (flipped already for a true convolution)."""
        return self._conv._applied_kernel

    @property
    def products(self) -> np.ndarray:
        """``window * kernel``, element-wise; shape of ``window`` (an (M, N) kernel meets every channel)."""
        window, kernel = self.window, self.kernel
        # an (M, N) kernel must line up with the window's rows and columns, not its channel axis
        return window * (kernel[..., np.newaxis] if window.ndim > kernel.ndim else kernel)

    @property
    def is_clipped(self) -> bool:
        """True when the raw sum lies outside the ``clip`` range (in any channel).

        Rounding to the image's integers under ``clip="auto"`` (12.3 → 12) is not clamping.
        """
        if self._conv.clip_range is None:
            return False
        low, high = self._conv.clip_range
        return bool(np.any((self.value < low) | (self.value > high)))

    def __repr__(self) -> str:
        return (
            f"Step(index={self.index}, out_index={self.out_index}, origin={self.origin}, "
            f"value={_plain(self.value)!r}, clipped_value={_plain(self.clipped_value)!r})"
        )


def _plain(value):
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else value
