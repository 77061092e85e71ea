"""The fast arithmetic: cross-correlate an array over every position where the kernel fits.

Shift-add in bands of output rows that stay in cache, shared between threads when the
work is large; an einsum over a window view when the taps are spaced out (dilation);
colour planes one by one when that is faster. Padding is not done here: the caller
passes an array the kernel fits in (``_borders`` assembles the padded answer).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from .geometry import Pair

# Output rows per band in the shift-add loop: a band of about 256 KB stays in cache.
_BAND_BYTES = 1 << 18
# Cores for the shift-add's threads, and the multiply-adds each thread must have to be worth
# starting. Measured on a shared 2-core machine: a second thread computes a 7×7 kernel over a
# megapixel 1.5× faster back to back, but when the other core has been idle a while (as between
# calls in real use) waking it costs about what it saves; single-threaded, a megapixel with a 7×7
# kernel takes 11 ms, so only work beyond that is shared.
_CORES = min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
_WORK_PER_THREAD = 1 << 25
# Numbers from one input row's start to the next up to which a per-channel stack is summed in runs.
_SHORT_ROW = 64


def correlate(source: np.ndarray, kernel: np.ndarray, stride: Pair, dilation: Pair, out: np.ndarray) -> None:
    """Write into ``out`` the cross-correlation of ``source`` with ``kernel`` (no padding).

    ``out[i, j]`` sums ``kernel[u, v] * source[i*sr + u*dr, j*sc + v*dc]`` over the taps, in
    row-major tap order, in ``out``'s dtype (the kernel's); ``out`` may be a view into a larger
    array. Colour (``(H, W, C)``) takes an ``(M, N)`` kernel for every channel or an
    ``(M, N, C)`` stack.

    >>> out = np.empty((2, 2))
    >>> correlate(np.arange(9.0).reshape(3, 3), np.ones((2, 2)), (1, 1), (1, 1), out)
    >>> out
    array([[ 8., 12.],
           [20., 24.]])
    """
    if source.ndim == 3 and (dilation != (1, 1) or stride[1] > 1 or source.dtype != kernel.dtype):
        # slices that step over columns would step over the interleaved channels too, a few
        # numbers at a time, and NumPy multiplies two dtypes (uint8 pixels, float weights)
        # through small buffers: contiguous channel planes in the weights' dtype are far faster
        for c in range(source.shape[2]):
            plane = np.ascontiguousarray(source[..., c], dtype=kernel.dtype)
            correlate(plane, kernel if kernel.ndim == 2 else kernel[..., c], stride, dilation, out[..., c])
        return
    if dilation != (1, 1):
        _correlate_dilated(source, kernel, stride, dilation, out)
        return
    rows, (m, n) = out.shape[0], kernel.shape[:2]
    band = min(rows, max(1, _BAND_BYTES * rows // max(out.nbytes, 1)))
    workers = min(_CORES, -(-rows // band), max(1, out.size * m * n // _WORK_PER_THREAD))
    # With stride 1, the numbers a band of output rows reads from the shifted input follow one
    # another in memory: each tap is one run of numbers, which NumPy goes through 2-3x faster than
    # a 2-D slice (it steps through those row by row). The runs are summed in scratch as wide as a
    # source row's stride; the columns past the output's width mix two rows' ends and are dropped
    # when a band is copied out (with floats near their dtype's limit, their sums can overflow where
    # the output's do not, and NumPy then warns).
    line = _row_stride(source) if stride == (1, 1) else None
    if kernel.ndim == 2:
        weights = kernel
    elif line and line <= _SHORT_ROW and line % kernel.shape[2] == 0:
        # a per-channel stack in runs needs its weights as runs too, one per tap as long as a band's
        # numbers (the channels repeat along a run when a row's stride is whole pixels): worth it
        # for short rows, such as a strip of the border a few pixels wide, where a slice's rows of a
        # few numbers would each cost NumPy a loop of their own
        weights = np.tile(kernel, (1, 1, -(-((band - 1) * line + out[0].size) // kernel.shape[2])))
    else:
        # a stack's taps, repeated along a row: with the channels interleaved, a row of the input
        # is one run of numbers and the weights must be one run too (a (C,) weight would make
        # NumPy loop over three numbers at a time)
        line, weights = None, np.repeat(kernel[:, :, np.newaxis], out.shape[1], axis=2)
    scratch = (2, band, line) if line else (1,) + out[:band].shape
    # the threads take bands from one queue, so a thread the OS leaves waiting holds up no one
    # (a range iterator hands out each start once under the GIL); scratch is made here, in the calling
    # thread, whose heap reuses the memory freed by the last call: first touches are slow here
    queue = iter(range(0, rows, band))
    work = [(source, weights, stride, out, band, queue, np.empty(scratch, out.dtype)) for _ in range(workers)]
    # NumPy's ufuncs release the GIL, so other threads run bands on other cores meanwhile
    with ThreadPoolExecutor(workers - 1) if workers > 1 else nullcontext() as pool:
        helpers = [pool.submit(_shift_add, *args) for args in work[1:]]
        _shift_add(*work[0])
        for helper in helpers:
            helper.result()  # waits, and raises what the thread raised


def _row_stride(source: np.ndarray) -> int | None:
    """Numbers from one row's start to the next when every row is one run of numbers, else None.

    A crop of a C-ordered array qualifies: its rows are runs, spaced the parent's width apart.
    """
    item = source.itemsize
    pixel = item * (source.shape[2] if source.ndim == 3 else 1)
    inner_runs = source.strides[-1] == item and (source.ndim == 2 or source.strides[1] == pixel)
    if not inner_runs or source.strides[0] % item or source.strides[0] < pixel * source.shape[1]:
        return None
    return source.strides[0] // item


def _shift_add(
    source: np.ndarray,
    weights: np.ndarray,
    stride: Pair,
    out: np.ndarray,
    band: int,
    starts: Iterator,
    scratch: np.ndarray,
) -> None:
    """Add ``weights[u, v] * (input shifted by u, v)`` into each band of output rows, tap by tap.

    ``scratch`` holds a band's products; given a second layer, it holds a band's sums too, a
    source row's stride wide per output row, and the input is read in runs of whole rows (see
    ``correlate``).
    """
    (sr, sc), (m, n), (rows, cols) = stride, weights.shape[:2], out.shape[:2]
    taps = [(u, v) for u in range(m) for v in range(n)]
    runs = len(scratch) == 2
    if runs:
        line, depth = scratch.shape[2], source[0, 0].size  # numbers per row's stride, per pixel
        width = cols * depth
        # every number from the first row's start to the last row's end, gaps between rows included
        numbers = as_strided(
            source, shape=((source.shape[0] - 1) * line + source[0].size,), strides=(source.itemsize,), writeable=False
        )
    for a in starts:
        b = min(a + band, rows)
        if runs:
            size = (b - a - 1) * line + width
            acc, t = scratch[0].reshape(-1)[:size], scratch[1].reshape(-1)[:size]
        else:
            acc, t = out[a:b], scratch[0, : b - a]
        for i, (u, v) in enumerate(taps):
            weight = weights[u, v]
            if runs:
                start = (a + u) * line + v * depth
                shifted = numbers[start : start + size]
                weight = weight[:size] if weight.ndim else weight  # a stack's weights, channel by channel
            else:
                r0 = u + a * sr
                shifted = source[r0 : r0 + (b - a - 1) * sr + 1 : sr, v : v + (cols - 1) * sc + 1 : sc]
            # the first tap initialises the sums: no zero-fill pass
            if i == 0:
                np.multiply(shifted, weight, out=acc)
            else:
                np.multiply(shifted, weight, out=t)
                acc += t
        if runs:
            out[a:b] = scratch[0, : b - a, :width].reshape(out[a:b].shape)


def _correlate_dilated(plane: np.ndarray, kernel: np.ndarray, stride: Pair, dilation: Pair, out: np.ndarray) -> None:
    # sparse taps make the shift-add's slices cache-unfriendly; the einsum over a
    # window view is faster here and copies nothing
    (sr, sc), (dr, dc), (rows, cols) = stride, dilation, out.shape
    m, n = kernel.shape
    win = sliding_window_view(plane, (dr * (m - 1) + 1, dc * (n - 1) + 1))
    win = win[: (rows - 1) * sr + 1 : sr, : (cols - 1) * sc + 1 : sc, ::dr, ::dc]
    np.einsum("ijkl,kl->ij", win, kernel, out=out)
