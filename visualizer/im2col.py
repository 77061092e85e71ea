"""A layer's sums all at once: every window as a row of a matrix, times the filters.

This is im2col, the way CNN libraries compute a convolution on a CPU: the windows
are copied into a matrix of ``M·N·C`` columns and one matrix product with the
filters gives every output channel. Here the copy is made a band of output rows
at a time, so that the matrix stays in cache and never costs ``M·N`` times the
input's memory.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .geometry import Pair

# Bytes of one band of the window matrix: small enough to stay in cache.
_BAND_BYTES = 1 << 20


def window_view(padded: np.ndarray, kernel_shape: Pair, stride: Pair, dilation: Pair, out_shape: Pair) -> np.ndarray:
    """View of every window of an ``(H, W, C)`` array: ``(rows, cols, M, N, C)``, only the dilated taps.

    >>> import numpy as np
    >>> window_view(np.arange(12).reshape(3, 4, 1), (2, 2), (1, 2), (1, 1), (2, 2))[1, 1, ..., 0]
    array([[ 6,  7],
           [10, 11]])
    """
    (m, n), (dr, dc), (sr, sc), (rows, cols) = kernel_shape, dilation, stride, out_shape
    win = sliding_window_view(padded, (dr * (m - 1) + 1, dc * (n - 1) + 1), axis=(0, 1))
    win = win[: (rows - 1) * sr + 1 : sr, : (cols - 1) * sc + 1 : sc, :, ::dr, ::dc]
    return np.moveaxis(win, 2, -1)


def grouped_sums(windows: np.ndarray, weights: np.ndarray, groups: int, dtype: np.dtype) -> np.ndarray:
    """``out[i, j, k] = Σ windows[i, j, u, v, group(k)] · weights[u, v, :, k]``, in ``dtype``.

    ``windows`` is ``(rows, cols, M, N, C_in)``, ``weights`` ``(M, N, C_in // groups, C_out)``;
    filter ``k`` belongs to group ``k // (C_out // groups)``. The band's windows go into a
    buffer made once (a fresh array per band is twice as slow), ordered (M, N, C) so that
    each window's channels are already contiguous in the padded input; then one batched
    matrix product over the groups.

    >>> import numpy as np
    >>> windows = np.ones((1, 1, 1, 1, 4))
    >>> grouped_sums(windows, np.arange(4.0).reshape(1, 1, 2, 2), 2, np.dtype(float))[0, 0]
    array([2., 4.])
    """
    rows, cols, m, n, c_in = windows.shape
    c_out = weights.shape[3]
    per_in, per_out = c_in // groups, c_out // groups
    taps = m * n * per_in
    windows = windows.reshape(rows, cols, m, n, groups, per_in)
    # (group, taps, filters of the group): filter g·per_out + f is group g's f-th
    weights = weights.astype(dtype).reshape(m, n, per_in, groups, per_out)
    weights = weights.transpose(3, 0, 1, 2, 4).reshape(groups, taps, per_out)
    out = np.empty((rows, cols, c_out), dtype)
    band = max(1, min(rows, _BAND_BYTES // (cols * m * n * c_in * dtype.itemsize)))
    buffer = np.empty((groups, band, cols, m, n, per_in), dtype)
    for a in range(0, rows, band):
        b = min(a + band, rows)
        columns = buffer[:, : b - a]
        columns[...] = np.moveaxis(windows[a:b], 4, 0)
        sums = out[a:b].reshape((b - a) * cols, groups, per_out).transpose(1, 0, 2)
        np.matmul(columns.reshape(groups, -1, taps), weights, out=sums)
    return out
