"""Named kernels, as in the lesson.

``KERNELS`` maps a name to a read-only array; :func:`kernel` builds the ones
that come in several sizes, and :func:`named_kernel` lets every operation take
a name wherever it takes weights. Pure NumPy: the engine imports this module,
so it imports no operation (the Sobel magnitude, which needs one, lives in
:mod:`visualizer.sobel`).
"""

from __future__ import annotations

import numbers
from math import comb
from types import MappingProxyType
from typing import Any

import numpy as np

from .names import did_you_mean


def _fixed(rows: list[list[float]], scale: float = 1) -> np.ndarray:
    array = np.array(rows) / scale if scale != 1 else np.array(rows)
    array.flags.writeable = False
    return array


def _box(size: int) -> np.ndarray:
    return np.full((size, size), 1 / size**2)


def _gaussian(size: int) -> np.ndarray:
    # binomial weights are the integer approximation of a Gaussian: 1 2 1, 1 4 6 4 1, …
    row = np.array([comb(size - 1, k) for k in range(size)], dtype=float)
    return np.outer(row, row) / row.sum() ** 2


def _identity(size: int) -> np.ndarray:
    # the one tap sits over the output pixel as "same" padding places the window: an even size
    # pads its extra row and column after (TensorFlow's and PyTorch's rule), so the centre is the
    # upper-left of the middle four, (size - 1) // 2, and the image comes back unshifted
    array = np.zeros((size, size), dtype=int)
    array[(size - 1) // 2, (size - 1) // 2] = 1
    return array


KERNELS = MappingProxyType(
    {
        "identity": _fixed(_identity(3).tolist()),
        "box_blur": _fixed(_box(3).tolist()),
        "gaussian_blur": _fixed([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 16),
        "gaussian_blur_5x5": _fixed(_gaussian(5).tolist()),
        "sharpen": _fixed([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        "emboss": _fixed([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
        "outline": _fixed([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
        "sobel_x": _fixed([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        "sobel_y": _fixed([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
        "laplacian": _fixed([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
        # The lesson's "really odd kernel": every weight positive and large, so an
        # 8-bit image sums far past 255 and clamps to white.
        "odd": _fixed([[2, 3, 2], [3, 5, 3], [2, 3, 2]]),
    }
)
"""Named kernels (read-only arrays). ``odd`` saturates 8-bit images, as in the lesson."""

_SIZED = {"identity": _identity, "box_blur": _box, "gaussian_blur": _gaussian}


def kernel(name: str, size: int | None = None) -> np.ndarray:
    """A named kernel as a fresh array; identity, box and Gaussian blur come in any size.

    Parameters
    ----------
    name : str
        A key of :data:`KERNELS`.
    size : int, optional
        Side length for "identity", "box_blur" and "gaussian_blur" (3 when
        not given); the others exist only in their own size, 3×3 (5×5 for
        "gaussian_blur_5x5"), which ``size`` may repeat.

    Examples
    --------
    >>> kernel("gaussian_blur", size=5)[0] * 256
    array([1., 4., 6., 4., 1.])
    >>> kernel("sobel_x")
    array([[-1,  0,  1],
           [-2,  0,  2],
           [-1,  0,  1]])
    """
    if not isinstance(name, str) or name not in KERNELS:
        raise ValueError(f"kernel name must be one of {', '.join(KERNELS)}; got {name!r}{did_you_mean(name, KERNELS)}")
    if size is not None and (isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1):
        raise ValueError(f"size must be a positive int, got {size!r}")
    if name in _SIZED:
        return _SIZED[name](3 if size is None else int(size))
    fixed = KERNELS[name]
    if size not in (None, fixed.shape[0]):
        raise ValueError(f"kernel {name!r} exists only as {fixed.shape[0]}×{fixed.shape[1]}; got size={size}")
    return fixed.copy()


def kernel_name(weights: Any) -> str | None:
    """The name of the preset in :data:`KERNELS` equal to ``weights``, or None.

    >>> kernel_name([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), kernel_name(np.ones((2, 2)))
    ('sharpen', None)
    """
    weights = np.asarray(weights)
    return next((name for name, k in KERNELS.items() if k.shape == weights.shape and np.array_equal(k, weights)), None)


SOBEL_MAGNITUDE = "sobel"
"""Not a kernel but two: the name :func:`~visualizer.filters.filter_image` gives the Sobel edge magnitude."""


def named_kernel(value: Any, name: str = "kernel") -> Any:
    """``value`` as it is, or the weights of the kernel it names.

    Every operation passes its kernel argument through this, so a name of
    :data:`KERNELS` works wherever weights do; anything else is left for the
    operation's own checks.

    Examples
    --------
    >>> named_kernel("sobel_x")[0]
    array([-1,  0,  1])
    >>> named_kernel([[1, 2]])
    [[1, 2]]
    >>> named_kernel("sobelx")
    Traceback (most recent call last):
    ...
    ValueError: kernel must be an array or one of identity, box_blur, gaussian_blur, gaussian_blur_5x5, \
sharpen, emboss, outline, sobel_x, sobel_y, laplacian, odd; got 'sobelx'; did you mean 'sobel_x'?
    """
    if not isinstance(value, str):
        return value
    if value in KERNELS:
        return KERNELS[value]
    if value == SOBEL_MAGNITUDE:
        raise ValueError(
            f"{name} 'sobel' is the edge magnitude of two kernels, not one kernel; use 'sobel_x' or 'sobel_y', "
            "or sobel_magnitude(image) and filter_image(image, 'sobel') for the magnitude"
        )
    raise ValueError(
        f"{name} must be an array or one of {', '.join(KERNELS)}; got {value!r}{did_you_mean(value, KERNELS)}"
    )
