"""Independent references for the transposed convolution and pooling, written from their definitions.

Nothing here imports the project. The transposed convolution is scattered
pixel by pixel, tap by tap, into a full canvas that is then cropped (not the
project's tap-by-tap slices into the cropped output), and its direct view is
rebuilt cell by cell from conv_arithmetic's description. Pooling loops over
every window and every tap and counts the cells it divides by one at a time.
PyTorch (``conv_transpose1d/2d``, ``max_pool1d/2d``, ``avg_pool1d/2d``) is a
second reference when it is importable.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # never a required dependency
    torch = None
    F = None


def pair(value) -> tuple[int, int]:
    """An int or a pair as a (rows, cols) pair."""
    return (value, value) if np.isscalar(value) else (value[0], value[1])


def _image_3d(image):
    """(H, W, C) view of a signal (1, W, 1), grey (H, W, 1) or colour image, and how to undo it."""
    image = np.asarray(image)
    if image.ndim == 1:
        return image[None, :, None], lambda out: out[0, :, 0]
    if image.ndim == 2:
        return image[..., None], lambda out: out[..., 0]
    return image, lambda out: out


def _kernel_3d(kernel, channels):
    kernel = np.asarray(kernel)
    if kernel.ndim == 1:
        kernel = kernel[None]
    if kernel.ndim == 2:
        kernel = np.repeat(kernel[..., None], channels, axis=2)
    return kernel


def _params(image, stride, padding, output_padding, dilation):
    """A signal's int parameters act on the columns; the rows then have stride 1, no padding."""
    if np.asarray(image).ndim == 1:
        return (1, stride), (0, padding), (0, output_padding), (1, dilation)
    return pair(stride), pair(padding), pair(output_padding), pair(dilation)


def _exact(*arrays):
    return np.int64 if all(np.asarray(a).dtype.kind in "iu" for a in arrays) else np.float64


# -- transposed convolution ----------------------------------------------------


def conv_transpose_loops(image, kernel, stride=1, padding=0, output_padding=0, dilation=1, count=None):
    """Scatter ``x[i, j] · kernel`` for the first ``count`` input pixels (all by default) into a full canvas.

    The canvas has room for every patch plus ``output_padding`` rows and columns
    at the bottom/right; the output is the canvas with ``padding`` cut from every side.
    """
    x, undo = _image_3d(image)
    k = _kernel_3d(kernel, x.shape[2])
    (sr, sc), (pr, pc), (opr, opc), (dr, dc) = _params(image, stride, padding, output_padding, dilation)
    h, w, channels = x.shape
    m, n = k.shape[:2]
    canvas = np.zeros(((h - 1) * sr + dr * (m - 1) + 1 + opr, (w - 1) * sc + dc * (n - 1) + 1 + opc, channels))
    canvas = canvas.astype(_exact(image, kernel))
    done = 0
    for i in range(h):
        for j in range(w):
            if count is not None and done == count:
                break
            for u in range(m):
                for v in range(n):
                    canvas[i * sr + u * dr, j * sc + v * dc] += x[i, j] * k[u, v]
            done += 1
    return undo(canvas[pr : canvas.shape[0] - pr, pc : canvas.shape[1] - pc])


def stretched_cells(image, kernel_shape, stride=1, padding=0, output_padding=0, dilation=1):
    """conv_arithmetic's stretched input, cell by cell, and each cell's kind ("input", "zero", "padding").

    ``S − 1`` zeros between input cells; ``D(M − 1) − P`` cells of padding on
    each side (a crop when negative) and ``output_padding`` more at the bottom/right.
    """
    x, undo = _image_3d(image)
    (sr, sc), (pr, pc), (opr, opc), (dr, dc) = _params(image, stride, padding, output_padding, dilation)
    m, n = (1, kernel_shape[0]) if len(kernel_shape) == 1 else kernel_shape[:2]
    h, w = x.shape[:2]
    lead = (dr * (m - 1) - pr, dc * (n - 1) - pc)
    rows = (h - 1) * sr + 1 + 2 * lead[0] + opr
    cols = (w - 1) * sc + 1 + 2 * lead[1] + opc
    values = np.zeros((rows, cols, x.shape[2]), x.dtype)
    kinds = np.empty((rows, cols), object)
    for r in range(rows):
        for c in range(cols):
            t, s = r - lead[0], c - lead[1]
            if not (0 <= t <= (h - 1) * sr and 0 <= s <= (w - 1) * sc):
                kinds[r, c] = "padding"
            elif t % sr or s % sc:
                kinds[r, c] = "zero"
            else:
                kinds[r, c] = "input"
                values[r, c] = x[t // sr, s // sc]
    return undo(values), (kinds[0] if np.asarray(image).ndim == 1 else kinds)


def conv_transpose_torch(image, kernel, stride=1, padding=0, output_padding=0, dilation=1) -> np.ndarray:
    """PyTorch's ``conv_transpose2d`` (``conv_transpose1d`` for a signal) in float64, channels as groups."""
    if torch is None:
        raise RuntimeError("PyTorch is not installed")
    image, kernel = np.asarray(image, np.float64), np.asarray(kernel, np.float64)
    if image.ndim == 1:
        out = F.conv_transpose1d(
            torch.from_numpy(image)[None, None],
            torch.from_numpy(kernel.copy())[None, None],
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            dilation=dilation,
        )
        return out[0, 0].numpy()
    x, undo = _image_3d(image)
    k = _kernel_3d(kernel, x.shape[2])
    out = F.conv_transpose2d(
        torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None],
        torch.from_numpy(np.ascontiguousarray(k.transpose(2, 0, 1)))[:, None],
        stride=pair(stride),
        padding=pair(padding),
        output_padding=pair(output_padding),
        dilation=pair(dilation),
        groups=x.shape[2],
    )
    return undo(out[0].numpy().transpose(1, 2, 0))


def conv_transpose_scipy(image, kernel, stride=1, padding=0, output_padding=0) -> np.ndarray:
    """SciPy's full convolution of a grey input spread out by the stride (zeros between its cells), grown by
    the output padding at the bottom and right, then cropped by the padding on every side (dilation 1)."""
    (sr, sc), (pr, pc), (orow, ocol) = pair(stride), pair(padding), pair(output_padding)
    image = np.asarray(image, np.float64)
    spread = np.zeros(((image.shape[0] - 1) * sr + 1, (image.shape[1] - 1) * sc + 1))
    spread[::sr, ::sc] = image
    full = np.pad(signal.convolve2d(spread, kernel), ((0, orow), (0, ocol)))
    return full[pr : full.shape[0] - pr, pc : full.shape[1] - pc]


# -- pooling -------------------------------------------------------------------


def pool_windows(image, size, stride, padding=0, mode="max", ceil_mode=False) -> np.ndarray:
    """Pool a grey input with NumPy's sliding windows over it padded with NaN, which no window counts
    (square windows, dilation 1, padding never counted in an average).

    The number of windows is PyTorch's formula: ⌊ or ⌈(n + 2P − K) / S⌉ + 1, less one in ceil mode
    when the last window would start in the right padding.
    """

    def count(length):
        out = (
            -(-(length + 2 * padding - size) // stride) if ceil_mode else (length + 2 * padding - size) // stride
        ) + 1
        return out - (ceil_mode and (out - 1) * stride >= length + padding)

    x = np.asarray(image, np.float64)
    rows, cols = count(x.shape[0]), count(x.shape[1])
    around = (padding, padding + stride)  # room on the right for a ceil-mode window
    padded = np.pad(x, (around, around), constant_values=np.nan)
    windows = sliding_window_view(padded, (size, size))[::stride, ::stride][:rows, :cols]
    return (np.nanmax if mode == "max" else np.nanmean)(windows, axis=(2, 3))


def pool_loops(image, size=2, stride=None, padding=0, mode="max", dilation=1, ceil_mode=False, count_include_pad=True):
    """Pool by visiting every window and every tap; returns (output, per-window divisors, per-window taps).

    Windows start at ``o·S − P`` (input coordinates). Without ``ceil_mode`` a
    window must end inside the padding; with it, a window may run past the
    padding (those cells are never counted) as long as it starts before the
    right padding does, and the count rounds up. A tap in the padding holds
    −∞ (max) or 0 (avg); the average divides by the cells in input ∪ padding
    (``count_include_pad``) or in the input alone.
    """
    x, undo = _image_3d(image)
    signal = np.asarray(image).ndim == 1
    stride = size if stride is None else stride
    if signal:
        (kr, kc), (sr, sc), (pr, pc), (dr, dc) = (1, size), (1, stride), (0, padding), (1, dilation)
    else:
        (kr, kc), (sr, sc), (pr, pc), (dr, dc) = pair(size), pair(stride), pair(padding), pair(dilation)
    h, w, channels = x.shape

    def starts(length, k, s, p, d):
        span = d * (k - 1) + 1
        if not ceil_mode:
            return [o * s - p for o in range(length + 2 * p) if o * s + span <= length + 2 * p]
        last = math.ceil((length + 2 * p - span) / s)
        return [o * s - p for o in range(last + 1) if o * s - p < length]

    rows, cols = starts(h, kr, sr, pr, dr), starts(w, kc, sc, pc, dc)
    out = np.zeros((len(rows), len(cols), channels))
    divisors = np.zeros((len(rows), len(cols)), int)
    for a, r0 in enumerate(rows):
        for b, c0 in enumerate(cols):
            best, total, counted = np.full(channels, -np.inf), np.zeros(channels), 0
            for u in range(kr):
                for v in range(kc):
                    r, c = r0 + u * dr, c0 + v * dc
                    real = 0 <= r < h and 0 <= c < w
                    in_pad = -pr <= r < h + pr and -pc <= c < w + pc
                    if real:
                        best = np.maximum(best, x[r, c])
                        total += x[r, c]
                    if real or (in_pad and count_include_pad):
                        counted += 1
            divisors[a, b] = counted
            out[a, b] = best if mode == "max" else total / counted
    return undo(out), (divisors[0] if signal else divisors)


def pool_torch(
    image, size=2, stride=None, padding=0, mode="max", dilation=1, ceil_mode=False, count_include_pad=True
) -> tuple[np.ndarray, np.ndarray | None]:
    """PyTorch's pooling in float64: (output, flat input indices of the max, or None for avg)."""
    if torch is None:
        raise RuntimeError("PyTorch is not installed")
    x, undo = _image_3d(np.asarray(image, np.float64))
    signal = np.asarray(image).ndim == 1
    tensor = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))
    if signal:
        tensor = tensor[0]  # (1, W): one channel, pooled along W
    common = dict(kernel_size=size, stride=size if stride is None else stride, padding=padding, ceil_mode=ceil_mode)
    if mode == "max":
        pooling = F.max_pool1d if signal else F.max_pool2d
        out, where = pooling(tensor[None], dilation=dilation, return_indices=True, **common)
        out, where = out[0].numpy(), where[0].numpy()
    else:
        pooling = F.avg_pool1d if signal else F.avg_pool2d
        out, where = pooling(tensor[None], count_include_pad=count_include_pad, **common)[0].numpy(), None
    if signal:
        return out[0], None if where is None else where[0]
    return undo(out.transpose(1, 2, 0)), None if where is None else undo(where.transpose(1, 2, 0))
