"""Argument checks and dtype choices for the convolution: bad input never reaches NumPy.

Every function here raises a ValueError or TypeError that names the parameter and
what is allowed, and returns the value in the one form the engine works with.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .geometry import PADDING_NAMES, PaddingSpec
from .names import did_you_mean

# PyTorch's names first; NumPy's names are accepted as aliases.
PAD_MODES = {"zeros": "constant", "replicate": "edge", "reflect": "reflect", "circular": "wrap"}
PAD_MODE_ALIASES = {"constant": "zeros", "edge": "replicate", "wrap": "circular"}


def as_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a non-empty 1-D, 2-D or 3-D array of finite integers or floats.

    >>> as_array([[1, 2], [3, 4]], "image").shape
    (2, 2)
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a 2-D or 3-D numeric array (1-D for a signal), got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a rectangular numeric array: {error}") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(
            f"{name} must hold integers or floats, got dtype {array.dtype}"
            + (" (use .astype(np.uint8) for a binary image)" if array.dtype == bool else "")
        )
    if array.ndim not in (1, 2, 3):
        raise ValueError(
            f"{name} must be 2-D (rows, cols), 3-D (rows, cols, channels) or 1-D (a signal), got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.dtype.kind == "f" and not _all_finite(array):
        raise ValueError(f"{name} must hold only finite numbers, found NaN or infinity")
    return array


def _all_finite(array: np.ndarray) -> bool:
    """No NaN or infinity in ``array``, found without allocating a mask as large (isfinite would).

    >>> _all_finite(np.array([1.0, 3e38], np.float32)), _all_finite(np.array([1.0, np.nan]))
    (True, False)
    """
    if array.dtype in (np.float32, np.float64) and array.flags.c_contiguous:
        # one BLAS pass: a NaN or an infinity makes x·x NaN or infinite
        flat = array.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(np.dot(flat, flat)):
                return True
    # min and max carry any NaN or infinity (two passes); x·x also overflows for large finite values
    return bool(np.isfinite(array.min()) and np.isfinite(array.max()))


def check_shapes(image: np.ndarray, kernel: np.ndarray) -> None:
    """Refuse a signal with an image's kernel (or the reverse), and a kernel stack that does not
    match the image's channels."""
    if (image.ndim == 1) != (kernel.ndim == 1):
        raise ValueError(
            f"image of shape {image.shape} and kernel of shape {kernel.shape} do not go together: a 1-D signal "
            "(W,) takes a 1-D kernel (N,); a 2-D or 3-D image takes a 2-D (M, N) or 3-D (M, N, C) kernel"
        )
    if kernel.ndim == 3:
        if image.ndim == 2:
            raise ValueError(
                f"kernel of shape {kernel.shape} is a per-channel stack, but image is grey {image.shape}; "
                "use an (M, N) kernel or an (H, W, C) image"
            )
        if kernel.shape[2] != image.shape[2]:
            raise ValueError(
                f"kernel has {kernel.shape[2]} channels but image has {image.shape[2]}: "
                "an (M, N, C) kernel stack needs one kernel per image channel"
            )


def pad_mode(value: Any) -> str:
    """The canonical (PyTorch) name of a pad mode given by either library's name.

    >>> pad_mode("edge")
    'replicate'
    """
    if not isinstance(value, str):
        raise TypeError(f"pad_mode must be a string, one of {', '.join(PAD_MODES)}; got {value!r}")
    name = PAD_MODE_ALIASES.get(value.lower(), value.lower())
    if name not in PAD_MODES:
        allowed = ", ".join(list(PAD_MODES) + [f"{k} (= {v})" for k, v in PAD_MODE_ALIASES.items()])
        hint = did_you_mean(value, [*PAD_MODES, *PAD_MODE_ALIASES])
        raise ValueError(f"pad_mode must be one of {allowed}; got {value!r}{hint}")
    return name


def finite_number(value: Any, name: str) -> float:
    """``value`` itself, once it is known to be a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def work_dtype(image: np.ndarray, kernel: np.ndarray, pad_value: float) -> np.dtype:
    """The dtype the sums are computed in.

    A float image keeps its precision (a float64 kernel must not silently turn a
    float32 photo into float64); integers sum exactly in int64; an integer image
    with a float kernel or a fractional pad value needs float64.

    >>> work_dtype(np.zeros((2, 2), np.uint8), np.ones((2, 2), int), 0)
    dtype('int64')
    """
    if image.dtype.kind == "f":
        return np.dtype(np.float32) if image.dtype.itemsize <= 4 else image.dtype
    if kernel.dtype.kind == "f" or pad_value % 1:
        return np.dtype(np.float64)
    # no sum may leave int64's range, or the answer would silently wrap around; the
    # dtype's range settles it for 8- to 32-bit images without reading the pixels
    weight, limit = sum(abs(int(k)) for k in kernel.ravel()), np.iinfo(np.int64).max
    info = np.iinfo(image.dtype)
    largest = max(-int(info.min), int(info.max), abs(int(pad_value)))
    if largest * weight > limit:  # int64/uint64 images, or huge weights: read the actual values
        largest = max(abs(int(image.min())), abs(int(image.max())), abs(int(pad_value)))
    if largest * weight > limit:
        raise ValueError(
            "image and kernel values are too large to sum exactly in 64-bit integers; "
            "pass the image as floats (image.astype(float)) or use smaller values"
        )
    return np.dtype(np.int64)


def signal_padding(padding: Any) -> PaddingSpec:
    """A signal's padding as the padding of a one-row image: only its columns are padded.

    A signal takes "valid", "same", "full", an int (both ends) or a ``(left, right)`` pair.

    >>> signal_padding(2), signal_padding((0, 3)), signal_padding("same")
    (((0, 0), (2, 2)), ((0, 0), (0, 3)), 'same')
    """
    if isinstance(padding, str):
        return padding
    ends = padding if isinstance(padding, (tuple, list)) and len(padding) == 2 else (padding, padding)
    for end in ends:
        if isinstance(end, bool) or not isinstance(end, numbers.Integral):
            raise TypeError(
                f"padding of a 1-D signal must be one of {', '.join(PADDING_NAMES)}, an int or a (left, right) "
                f"pair of ints; got {padding!r}"
            )
        if end < 0:
            raise ValueError(f"padding must be >= 0 at each end, got {padding!r}")
    return ((0, 0), (int(ends[0]), int(ends[1])))


def float_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as float32 or float64, the two dtypes the sums may be asked in."""
    try:
        chosen = np.dtype(dtype)
    except TypeError:
        chosen = None
    if chosen is None or chosen.kind != "f" or chosen.itemsize < 4:
        raise TypeError(f"dtype must be None, float32 or float64; got {dtype!r}")
    return chosen
