"""conv_arithmetic's picture of a transposed convolution: the stretched input.

The input's cells are spread ``stride`` apart with zeros inserted between
them, and a border of padding is added; the direct view's kernel then slides
over this with stride 1. Along each axis a position is one of three kinds,
and a cell's kind follows from its row's and its column's.
"""

from __future__ import annotations

import numpy as np

from .geometry import Pair

KINDS = ("input", "zero", "padding")


def axis_kinds(size: int, stride: int, lead: int, length: int) -> np.ndarray:
    """Kinds of ``length`` positions along one axis, for ``size`` input cells placed from ``lead`` on.

    A negative ``lead`` crops: the first input cells fall before position 0.

    >>> axis_kinds(2, 2, 1, 5).tolist()
    ['padding', 'input', 'zero', 'input', 'padding']
    >>> axis_kinds(3, 2, -1, 3).tolist()
    ['zero', 'input', 'zero']
    """
    t = np.arange(length) - lead
    inside = (t >= 0) & (t <= (size - 1) * stride)
    return np.where(inside & (t % stride == 0), "input", np.where(inside, "zero", "padding"))


def cell_kind(row_kind: str, col_kind: str) -> str:
    """A cell is padding if its row or column is, an input cell if both are, else an inserted zero.

    >>> cell_kind("input", "input"), cell_kind("input", "zero"), cell_kind("zero", "padding")
    ('input', 'zero', 'padding')
    """
    if "padding" in (row_kind, col_kind):
        return "padding"
    return "input" if row_kind == col_kind == "input" else "zero"


def stretch(image: np.ndarray, kinds: tuple[np.ndarray, np.ndarray], stride: Pair, lead: Pair) -> np.ndarray:
    """``image`` (H, W[, C]) on the input positions of a grid of ``kinds``, zeros everywhere else.

    >>> stretch(np.array([[1, 2]]), (axis_kinds(1, 1, 0, 1), axis_kinds(2, 2, 0, 3)), (1, 2), (0, 0))
    array([[1, 0, 2]])
    """
    places = []
    for a in (0, 1):
        at = np.flatnonzero(kinds[a] == "input")
        first = (at[0] - lead[a]) // stride[a] if at.size else 0
        places.append((at, np.arange(first, first + at.size)))
    (rows_at, rows_from), (cols_at, cols_from) = places
    stretched = np.zeros((len(kinds[0]), len(kinds[1])) + image.shape[2:], image.dtype)
    stretched[np.ix_(rows_at, cols_at)] = image[np.ix_(rows_from, cols_from)]
    return stretched
