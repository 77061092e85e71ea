"""Named kernels, as in the lesson, and the Sobel edge magnitude.

``KERNELS`` maps a name to a read-only array; :func:`kernel` builds the ones
that come in several sizes.
"""

from __future__ import annotations

import numbers
from math import comb
from types import MappingProxyType
from typing import Any

import numpy as np

from .convolution import Convolution


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
        raise ValueError(f"kernel name must be one of {', '.join(KERNELS)}; got {name!r}")
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


def sobel_magnitude(image: Any, **params: Any) -> np.ndarray:
    """Edge strength ``hypot(Gx, Gy)`` from the Sobel x and y kernels.

    ``params`` are :class:`~visualizer.Convolution`'s (``padding``,
    ``pad_mode``, ``clip``…); clamping applies to the magnitude, and with
    ``clip="auto"`` an 8-bit image gives an 8-bit result.

    Examples
    --------
    >>> import numpy as np
    >>> step = np.array([[0, 0, 10, 10]] * 3)
    >>> sobel_magnitude(step)
    array([[40., 40.]])
    """
    clip = params.pop("clip", None)
    gx = Convolution(image, KERNELS["sobel_x"], **params)
    gy = gx.replace(kernel=KERNELS["sobel_y"])
    return gx.replace(clip=clip).clamp(np.hypot(gx.raw_result(), gy.raw_result()))
