"""Checks and small arithmetic that the family of operations shares.

The transposed convolution and pooling take the same kinds of input as a
convolution (a grey or colour image, or a 1-D signal; ints or (rows, cols)
pairs; a ``clip`` range), and refuse bad input the same way: a ValueError or
TypeError that names the parameter and what is allowed, before NumPy sees it.
Signals are lifted to one-row images here, so the operations compute in 2-D only.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import geometry
from .geometry import Pair

ClipSpec = None | str | tuple

_RANKS = {1: "1-D (width,)", 2: "2-D (rows, cols)", 3: "3-D (rows, cols, channels)"}


def as_operand(value: Any, name: str, ranks: tuple[int, ...] = (1, 2, 3)) -> np.ndarray:
    """``value`` as a finite, non-empty numeric array of one of ``ranks`` dimensions.

    >>> as_operand([1, 2, 3], "image").shape
    (3,)
    >>> as_operand([[1, 2], [3, 4]], "kernel", ranks=(1,))
    Traceback (most recent call last):
    ...
    ValueError: kernel must be 1-D (width,), got shape (2, 2)
    """
    allowed = " or ".join(_RANKS[r] for r in ranks)
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, {allowed}; got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a rectangular numeric array: {error}") from None
    if array.dtype == bool or array.dtype.kind not in "uif":
        raise TypeError(
            f"{name} must hold integers or floats, got dtype {array.dtype}"
            + (" (use .astype(np.uint8) for a binary image)" if array.dtype == bool else "")
        )
    if array.ndim not in ranks:
        raise ValueError(f"{name} must be {allowed}, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.dtype.kind == "f" and not (np.isfinite(array.min()) and np.isfinite(array.max())):
        # two reductions find a NaN or an infinity without a boolean copy of a photo
        raise ValueError(f"{name} must hold only finite numbers, found NaN or infinity")
    return array


def check_kernel(image: np.ndarray, kernel: np.ndarray) -> None:
    """Refuse a kernel that does not fit the image's rank or channels.

    A 1-D signal takes a 1-D kernel; an image takes an (M, N) kernel, or an
    (M, N, C) stack with one kernel per channel of an (H, W, C) image.
    """
    if (image.ndim == 1) != (kernel.ndim == 1):
        raise ValueError(
            f"kernel of shape {kernel.shape} does not fit image of shape {image.shape}: a 1-D signal (W,) "
            "takes a 1-D kernel (N,), an image takes an (M, N) kernel or an (M, N, C) stack"
        )
    if kernel.ndim == 3 and image.ndim == 2:
        raise ValueError(
            f"kernel of shape {kernel.shape} is a per-channel stack, but image is grey {image.shape}; "
            "use an (M, N) kernel or an (H, W, C) image"
        )
    if kernel.ndim == 3 and kernel.shape[2] != image.shape[2]:
        raise ValueError(
            f"kernel has {kernel.shape[2]} channels but image has {image.shape[2]}: "
            "an (M, N, C) kernel stack needs one kernel per image channel"
        )


def lift(array: np.ndarray) -> np.ndarray:
    """A 1-D signal as a one-row image (a view); images as they are."""
    return array[np.newaxis] if array.ndim == 1 else array


def axis_pair(value: Any, name: str, signal: bool, minimum: int, neutral: int) -> Pair:
    """``value`` as a (rows, cols) pair; for a 1-D signal an int, with ``neutral`` for the row axis.

    >>> axis_pair(2, "stride", signal=False, minimum=1, neutral=1)
    (2, 2)
    >>> axis_pair(2, "stride", signal=True, minimum=1, neutral=1)
    (1, 2)
    """
    if not signal:
        return geometry.as_pair(value, name, minimum)
    if isinstance(value, (tuple, list)):
        raise ValueError(f"{name} must be an int for a 1-D signal (W,), got {value!r}")
    return (neutral, geometry.as_pair(value, name, minimum)[1])


def public(pair: Pair, signal: bool) -> int | Pair:
    """How a parameter reads back: an int for a 1-D signal, else the (rows, cols) pair."""
    return pair[1] if signal else pair


def boolean(value: Any, name: str) -> bool:
    """``value`` if it is True or False, else a TypeError naming ``name``."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of the ``allowed`` names (any case), else an error listing them."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    if value.lower() not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value.lower()


def clip_range(clip: ClipSpec, dtype: np.dtype) -> tuple[Any, Any] | None:
    """The (low, high) range ``clip`` asks for, or None for raw sums.

    "auto" clips integer images to their dtype's range and leaves floats alone.

    >>> clip_range("auto", np.dtype(np.uint8)), clip_range((0, 1), np.dtype(float))
    ((0, 255), (0, 1))
    """
    if clip is None:
        return None
    if isinstance(clip, str):
        if clip != "auto":
            raise ValueError(f"clip must be None, 'auto' or a (low, high) pair; got {clip!r}")
        return (int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)) if dtype.kind in "ui" else None
    if not isinstance(clip, (tuple, list)) or len(clip) != 2:
        raise ValueError(f"clip must be None, 'auto' or a (low, high) pair; got {clip!r}")
    for v in clip:
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"clip must be None, 'auto' or a (low, high) pair of finite numbers; got {clip!r}")
        if not np.isfinite(v):
            raise ValueError(f"clip must be None, 'auto' or a (low, high) pair of finite numbers; got {clip!r}")
    low, high = clip
    if not low < high:
        raise ValueError(f"clip must be a (low, high) pair with low < high; got {clip!r}")
    return (low, high)


def clamp(sums: np.ndarray, clip: ClipSpec, limits: tuple[Any, Any] | None, dtype: np.dtype) -> np.ndarray:
    """``sums`` clamped to ``limits``; under "auto" rounded and cast back to the image's ``dtype``.

    >>> clamp(np.array([4.9999999, 300.0, -2.0]), "auto", (0, 255), np.dtype(np.uint8))
    array([  5, 255,   0], dtype=uint8)
    """
    if limits is None:
        return sums
    clipped = np.clip(sums, *limits)
    if clip != "auto":
        return clipped
    # a blur of a flat image of 5s sums to 4.999999999999999, which must come back as 5, not 4
    return (np.rint(clipped) if clipped.dtype.kind == "f" else clipped).astype(dtype)


def work_dtype(image: np.ndarray, kernel: np.ndarray, taps: int) -> np.dtype:
    """The dtype sums of ``taps`` products are computed in.

    A float image keeps its precision (a float64 kernel must not silently turn a
    float32 photo into float64); integers sum exactly in int64, unless the kernel
    is float (then float64) or the sums could leave int64's range (then an error).

    >>> work_dtype(np.zeros(3, np.float32), np.ones(2), 2), work_dtype(np.zeros(3, np.uint8), np.ones(2, int), 2)
    (dtype('float32'), dtype('int64'))
    """
    if image.dtype.kind == "f":
        return np.dtype(np.float32) if image.dtype.itemsize <= 4 else image.dtype
    if kernel.dtype.kind == "f":
        return np.dtype(np.float64)
    weight = taps * max(abs(int(kernel.min())), abs(int(kernel.max())))
    largest = max(abs(int(image.min())), abs(int(image.max())))
    if largest * weight > np.iinfo(np.int64).max:
        raise ValueError(
            "image and kernel values are too large to sum exactly in 64-bit integers; "
            "pass the image as floats (image.astype(float)) or use smaller values"
        )
    return np.dtype(np.int64)


def step_index(index: Any, count: int) -> int:
    """``index`` (negative counts from the end) as a position in 0…count−1."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        raise TypeError(f"index must be an int, got {index!r}")
    if not -count <= index < count:
        raise IndexError(f"step index must be in -{count}…{count - 1}, got {index}")
    return int(index) % count


def cell_index(index: tuple, shape: tuple[int, ...]) -> tuple[int, ...]:
    """``index`` as a cell of a grid of ``shape``: one int per axis, inside the grid (no wrap-around).

    >>> cell_index((1, 2), (3, 3))
    (1, 2)
    >>> cell_index((-1, 0), (3, 3))
    Traceback (most recent call last):
    ...
    IndexError: cell (-1, 0) is outside the grid of shape (3, 3)
    """
    if len(index) != len(shape) or any(isinstance(i, bool) or not isinstance(i, numbers.Integral) for i in index):
        raise TypeError(f"a cell is {len(shape)} int(s), one per axis of a grid of shape {shape}; got {index!r}")
    if not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
        raise IndexError(f"cell {index} is outside the grid of shape {shape}")
    return tuple(int(i) for i in index)


def unknown_changes(changes: dict, params: dict) -> None:
    """Refuse ``replace()`` keywords the operation does not have."""
    unknown = set(changes) - set(params)
    if unknown:
        raise TypeError(f"replace() got unknown parameters {sorted(unknown)}; allowed: {sorted(params)}")


def read_only(array: np.ndarray) -> np.ndarray:
    """``array``, no longer writeable: steps hand out views the caller must not change."""
    array.flags.writeable = False
    return array


def shape_text(shape: tuple[int, ...]) -> str:
    """``(5, 4)`` as ``"5×4"``."""
    return "×".join(map(str, shape))


def pair_text(pair: Pair, signal: bool = False) -> str:
    """A parameter as a person writes it: ``2`` for ``(2, 2)`` or a signal, ``1×2`` otherwise."""
    return str(pair[1]) if signal or pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"
