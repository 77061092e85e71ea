"""The Sobel edge magnitude: two named kernels, one result (``filter_image(photo, "sobel")``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .convolution import Convolution
from .kernels import KERNELS


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
