"""Padding, and the padded answer without a padded copy of the input.

The output splits into an interior, whose windows lie wholly inside the input, and a
frame of border rows and columns, whose windows reach into the padding. The interior is
summed straight from the caller's array (a view, nothing copied); each side of the frame
from a thin strip of the padded input, built on its own. The sums are those of the whole
padded array, bit for bit: every output element adds the same products in the same order.
"""

from __future__ import annotations

import numpy as np

from ._shift_add import correlate
from ._validation import PAD_MODES
from .geometry import Pads, Pair


def padded_dtype(image: np.dtype, mode: str, fill: float, sums: np.dtype) -> np.dtype:
    """The dtype of the padded input: the image's own (uint8 stays uint8 on screen) unless the
    fill value does not fit it or the sums cannot take it as it is (uint64 values summed in int64).
    """
    keep = np.can_cast(image, sums) and (mode != "zeros" or np.can_cast(np.min_scalar_type(fill), image))
    return image if keep else sums


def pad(image: np.ndarray, pads: Pads, mode: str, fill: float, sums: np.dtype) -> np.ndarray:
    """The whole padded input: what the steps show and the windows slide over.

    >>> pad(np.array([[1, 2]]), (1, 0, 0, 1), "replicate", 0, np.dtype(np.int64))
    array([[1, 2, 2],
           [1, 2, 2]])
    """
    top, bottom, left, right = pads
    return padded_block(
        image, pads, mode, fill, sums, (0, image.shape[0] + top + bottom), (0, image.shape[1] + left + right)
    )


def padded_block(
    image: np.ndarray, pads: Pads, mode: str, fill: float, sums: np.dtype, rows: Pair, cols: Pair
) -> np.ndarray:
    """Rows ``rows[0]:rows[1]`` and columns ``cols[0]:cols[1]`` of the padded input, alone.

    >>> image = np.arange(6).reshape(2, 3)
    >>> padded_block(image, (2, 2, 2, 2), "circular", 0, image.dtype, (0, 2), (4, 7))
    array([[2, 0, 1],
           [5, 3, 4]])
    """
    top, bottom, left, right = pads
    (h, w), dtype = image.shape[:2], padded_dtype(image.dtype, mode, fill, sums)
    row_of = _source_index(h, top, bottom, mode, *rows)
    col_of = _source_index(w, left, right, mode, *cols)
    block = image[np.ix_(row_of, col_of)].astype(dtype, copy=False)
    if mode == "zeros":
        block[row_of < 0] = fill
        block[:, col_of < 0] = fill
    return block


def _source_index(size: int, before: int, after: int, mode: str, start: int, stop: int) -> np.ndarray:
    """For padded positions ``start … stop-1`` along one axis: the input position each copies,
    or -1 where the fill value goes. The pad modes only move values, so padding the
    positions themselves tells where every value comes from.
    """
    if mode == "zeros":
        index = np.arange(start - before, stop - before)
        index[(index < 0) | (index >= size)] = -1
        return index
    return np.pad(np.arange(size), (before, after), mode=PAD_MODES[mode])[start:stop]


def correlate_padded(
    image: np.ndarray,
    kernel: np.ndarray,
    pads: Pads,
    mode: str,
    fill: float,
    stride: Pair,
    dilation: Pair,
    out_shape: Pair,
) -> np.ndarray:
    """The cross-correlation of the padded ``image`` with ``kernel``, in the kernel's dtype.

    >>> correlate_padded(np.ones((3, 3)), np.ones((3, 3)), (1, 1, 1, 1), "zeros", 0, (1, 1), (1, 1), (3, 3))
    array([[4., 6., 4.],
           [6., 9., 6.],
           [4., 6., 4.]])
    """
    sums, (rows, cols) = kernel.dtype, out_shape
    out = np.empty(out_shape + image.shape[2:], sums)
    top, _, left, _ = pads
    (sr, sc), (dr, dc), (m, n) = stride, dilation, kernel.shape[:2]
    span_r, span_c = dr * (m - 1) + 1, dc * (n - 1) + 1
    i0, i1 = _interior(image.shape[0], top, sr, span_r, rows)
    j0, j1 = _interior(image.shape[1], left, sc, span_c, cols)

    def from_padding(a: int, b: int, c: int, d: int) -> None:
        """Output rows a:b, columns c:d, from a strip of the padded input."""
        if a < b and c < d:
            block = padded_block(
                image, pads, mode, fill, sums, (a * sr, (b - 1) * sr + span_r), (c * sc, (d - 1) * sc + span_c)
            )
            correlate(block, kernel, stride, dilation, out[a:b, c:d])

    from_padding(0, i0, 0, cols)
    from_padding(i1, rows, 0, cols)
    from_padding(i0, i1, 0, j0)
    from_padding(i0, i1, j1, cols)
    if i0 < i1 and j0 < j1:
        r, c = i0 * sr - top, j0 * sc - left
        inner = image[r : r + (i1 - i0 - 1) * sr + span_r, c : c + (j1 - j0 - 1) * sc + span_c]
        if not np.can_cast(inner.dtype, sums):  # uint64 pixels in int64 sums (checked to fit), float64 in float32
            inner = inner.astype(sums)
        correlate(inner, kernel, stride, dilation, out[i0:i1, j0:j1])
    return out


def _interior(size: int, before: int, stride: int, span: int, count: int) -> Pair:
    """The output positions ``lo … hi-1`` along one axis whose windows lie wholly inside the input.

    Window ``i`` covers padded positions ``i*stride … i*stride + span - 1``, input positions less
    ``before``. With no such window, ``lo == hi`` and the two sides of the frame meet there.

    >>> _interior(5, 1, 1, 3, 5)
    (1, 4)
    >>> _interior(1, 1, 1, 3, 1)
    (1, 1)
    """
    lo = min(count, -(-before // stride))
    hi = (size - 1 + before - (span - 1)) // stride + 1
    return lo, max(lo, min(hi, count))
