"""Independent reference implementations that the engine's tests hold it against.

Nothing here imports the project or NumPy's ``sliding_window_view``: padding
comes from SciPy's boundary modes (``ndimage.correlate`` directly, or
``ndimage.map_coordinates`` when the padding reaches further than a kernel
centre can), sums from ``scipy.ndimage`` / ``scipy.signal``, and a second,
separate reference from ``torch.nn.functional`` (``F.pad`` + ``conv2d``) when
PyTorch is importable. The "same" rule is written out from TensorFlow's
documentation, not from the project's code.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # never a required dependency
    torch = None
    F = None

# Every accepted pad_mode name (NumPy's as aliases) -> the canonical one.
PAD_MODE_NAMES = {
    "zeros": "zeros",
    "constant": "zeros",
    "replicate": "replicate",
    "edge": "replicate",
    "reflect": "reflect",
    "circular": "circular",
    "wrap": "circular",
}
# The table in notes/environment.md: names that give equal results.
NDIMAGE_MODES = {"zeros": "constant", "replicate": "nearest", "reflect": "mirror", "circular": "wrap"}
# map_coordinates' "constant"/"wrap" treat the edge differently; the grid- names are the plain ones.
MAP_COORDINATES_MODES = {"zeros": "grid-constant", "replicate": "nearest", "reflect": "mirror", "circular": "grid-wrap"}
TORCH_MODES = {"zeros": "constant", "replicate": "replicate", "reflect": "reflect", "circular": "circular"}


def pair(value) -> tuple[int, int]:
    """An int or a pair as a (rows, cols) pair."""
    return (value, value) if np.isscalar(value) else (value[0], value[1])


def tensorflow_same(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TensorFlow's documented "same" padding for one axis (tf.nn.convolution docs).

    out = ceil(size / stride); pad_total = max((out - 1) * stride + effective_kernel - size, 0)
    with effective_kernel = (kernel - 1) * dilation + 1; pad_before = pad_total // 2, the rest after.
    """
    out = int(np.ceil(size / stride))
    effective = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def reference_pads(input_shape, kernel_shape, stride=1, padding="valid", dilation=1) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) for every padding form the design names."""
    (h, w), (m, n) = input_shape[:2], kernel_shape[:2]
    (sr, sc), (dr, dc) = pair(stride), pair(dilation)
    if isinstance(padding, str):
        padding = padding.lower()
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            return tensorflow_same(h, m, sr, dr) + tensorflow_same(w, n, sc, dc)
        if padding == "full":
            return ((m - 1) * dr, (m - 1) * dr, (n - 1) * dc, (n - 1) * dc)
        raise ValueError(padding)
    if np.isscalar(padding):
        return (padding,) * 4
    rows, cols = padding
    if np.isscalar(rows):
        return (rows, rows, cols, cols)
    return (rows[0], rows[1], cols[0], cols[1])


def reference_output_shape(input_shape, kernel_shape, stride=1, padding="valid", dilation=1) -> tuple[int, int]:
    """Counts the window positions one by one (no formula): len(range(0, last_origin + 1, stride))."""
    top, bottom, left, right = reference_pads(input_shape, kernel_shape, stride, padding, dilation)
    (sr, sc), (dr, dc) = pair(stride), pair(dilation)
    rows = len(range(0, input_shape[0] + top + bottom - (kernel_shape[0] - 1) * dr, sr))
    cols = len(range(0, input_shape[1] + left + right - (kernel_shape[1] - 1) * dc, sc))
    return rows, cols


def dilate(kernel: np.ndarray, dilation) -> np.ndarray:
    """The kernel with ``dilation - 1`` zeros inserted between taps (first two axes)."""
    dr, dc = pair(dilation)
    m, n = kernel.shape[:2]
    out = np.zeros(((m - 1) * dr + 1, (n - 1) * dc + 1) + kernel.shape[2:], dtype=kernel.dtype)
    out[::dr, ::dc] = kernel
    return out


def pad_plane(plane: np.ndarray, pads, pad_mode: str = "zeros", pad_value: float = 0) -> np.ndarray:
    """A 2-D plane padded by SciPy's boundary modes, sampled with ``ndimage.map_coordinates``."""
    top, bottom, left, right = pads
    h, w = plane.shape
    rows, cols = np.meshgrid(np.arange(-top, h + bottom), np.arange(-left, w + right), indexing="ij")
    mode = MAP_COORDINATES_MODES[PAD_MODE_NAMES[pad_mode]]
    dtype = np.result_type(plane.dtype, np.float64) if pad_value % 1 else np.result_type(plane.dtype, np.int64)
    return ndimage.map_coordinates(
        plane.astype(np.float64), [rows, cols], order=0, mode=mode, cval=float(pad_value), prefilter=False
    ).astype(dtype)


def pad_image(image: np.ndarray, pads, pad_mode: str = "zeros", pad_value: float = 0) -> np.ndarray:
    """``pad_plane`` for every channel of a grey or colour image."""
    if image.ndim == 2:
        return pad_plane(image, pads, pad_mode, pad_value)
    return np.stack([pad_plane(image[..., c], pads, pad_mode, pad_value) for c in range(image.shape[2])], axis=-1)


def _plane_ndimage(plane, kernel, pads, pad_mode, pad_value):
    """Stride-1 correlation over the padded plane with ndimage's own boundary handling.

    ndimage gives one output per input pixel, with the window's top-left ``c``
    rows above it when the kernel is centred at ``c`` (``origin = c - len // 2``).
    That reaches every window the padding asks for when ``top <= c <= span - 1 - bottom``;
    otherwise (more padding than a kernel centre can reach) returns None.
    """
    top, bottom, left, right = pads
    (sm, sn), (h, w) = kernel.shape, plane.shape
    if top + bottom > sm - 1 or left + right > sn - 1:
        return None
    origin = (top - sm // 2, left - sn // 2)
    mode = NDIMAGE_MODES[PAD_MODE_NAMES[pad_mode]]
    full = ndimage.correlate(plane, kernel, mode=mode, cval=float(pad_value), origin=origin)
    # window with top-left at image row r sits at output row r + top; r runs -top … h + bottom - sm
    return full[: h + top + bottom - sm + 1, : w + left + right - sn + 1]


def _plane_signal(plane, kernel, pads, pad_mode, pad_value):
    """Stride-1 correlation: map_coordinates padding, then ``signal.correlate2d(..., "valid")``."""
    return signal.correlate2d(pad_plane(plane, pads, pad_mode, pad_value), kernel, mode="valid")


def correlate_scipy(
    image,
    kernel,
    stride=1,
    padding="valid",
    pad_mode="zeros",
    dilation=1,
    *,
    pad_value=0,
    flip_kernel=False,
    method="ndimage",
) -> np.ndarray:
    """The raw (unclipped) output by SciPy, in float64 (or int64 for integer inputs via "signal").

    ``method`` "ndimage" uses ``ndimage.correlate`` with the matching boundary
    mode where it can reach every window and falls back to "signal" otherwise;
    "signal" pads with ``map_coordinates`` and sums with ``signal.correlate2d``.
    Stride is applied by slicing the stride-1 output, dilation by a kernel with
    zeros inserted, a true convolution (``flip_kernel``) by flipping the kernel.
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    pads = reference_pads(image.shape, kernel.shape, stride, padding, dilation)
    exact = image.dtype.kind in "iu" and kernel.dtype.kind in "iu" and float(pad_value).is_integer()
    work = np.int64 if exact and method == "signal" else np.float64
    if flip_kernel:
        kernel = kernel[::-1, ::-1]
    taps = dilate(kernel.astype(work), dilation)
    sr, sc = pair(stride)

    def plane(values, weights):
        values = values.astype(work)
        out = _plane_ndimage(values, weights, pads, pad_mode, pad_value) if method == "ndimage" else None
        if out is None:
            out = _plane_signal(values, weights, pads, pad_mode, pad_value)
        return out[::sr, ::sc]

    if image.ndim == 2:
        return plane(image, taps)
    return np.stack(
        [plane(image[..., c], taps[..., c] if taps.ndim == 3 else taps) for c in range(image.shape[2])], axis=-1
    )


def convolve_scipy(image, kernel, padding="valid", pad_mode="zeros", *, pad_value=0) -> np.ndarray:
    """A true convolution (flipped kernel), stride 1: ``signal.convolve2d`` on the SciPy-padded input."""
    image, kernel = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    pads = reference_pads(image.shape, kernel.shape, 1, padding, 1)

    def plane(values, weights):
        return signal.convolve2d(pad_plane(values, pads, pad_mode, pad_value), weights, mode="valid")

    if image.ndim == 2:
        return plane(image, kernel)
    return np.stack(
        [plane(image[..., c], kernel[..., c] if kernel.ndim == 3 else kernel) for c in range(image.shape[2])], axis=-1
    )


def torch_supports(image_shape, pads, pad_mode) -> bool:
    """Whether ``F.pad`` accepts these pads: reflect needs pad < size, circular pad <= size."""
    top, bottom, left, right = pads
    h, w = image_shape[:2]
    mode = PAD_MODE_NAMES[pad_mode]
    if mode == "reflect":
        return max(top, bottom) < h and max(left, right) < w
    if mode == "circular":
        return max(top, bottom) <= h and max(left, right) <= w
    return True


def correlate_torch(
    image, kernel, stride=1, padding="valid", pad_mode="zeros", dilation=1, *, pad_value=0, flip_kernel=False
) -> np.ndarray:
    """The raw output by ``F.pad`` + ``F.conv2d`` in float64, channels as groups (one kernel each)."""
    if torch is None:
        raise RuntimeError("PyTorch is not installed")
    image, kernel = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    grey = image.ndim == 2
    planes = image[..., None] if grey else image
    channels = planes.shape[2]
    if flip_kernel:
        kernel = kernel[::-1, ::-1]
    stack = np.repeat(kernel[..., None], channels, axis=2) if kernel.ndim == 2 else kernel
    top, bottom, left, right = reference_pads(image.shape, kernel.shape, stride, padding, dilation)
    x = torch.from_numpy(np.ascontiguousarray(planes.transpose(2, 0, 1)))[None]
    mode = TORCH_MODES[PAD_MODE_NAMES[pad_mode]]
    x = F.pad(x, (left, right, top, bottom), mode=mode, **({"value": float(pad_value)} if mode == "constant" else {}))
    weight = torch.from_numpy(stack.transpose(2, 0, 1).copy())[:, None]
    out = F.conv2d(x, weight, stride=pair(stride), dilation=pair(dilation), groups=channels)[0].numpy()
    out = out.transpose(1, 2, 0)
    return out[..., 0] if grey else out


def window_at(padded: np.ndarray, origin, kernel_shape, dilation) -> np.ndarray:
    """The padded values under the kernel taps whose top-left tap is at ``origin``."""
    (r, c), (m, n), (dr, dc) = origin, kernel_shape[:2], pair(dilation)
    return padded[np.ix_(r + dr * np.arange(m), c + dc * np.arange(n))]


def clamp(raw: np.ndarray, clip, dtype) -> np.ndarray:
    """The lesson's clamping: None, "auto" (integer dtype's range, rounded, cast) or (low, high)."""
    if clip is None:
        return raw
    if isinstance(clip, str):
        if np.dtype(dtype).kind not in "iu":
            return raw
        info = np.iinfo(dtype)
        return np.round(np.minimum(np.maximum(raw, info.min), info.max)).astype(dtype)
    low, high = clip
    return np.minimum(np.maximum(raw, low), high)
