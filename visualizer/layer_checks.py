"""Checks of a convolutional layer's inputs, and the dtype its sums are computed in.

Bad input stops here with a ValueError or TypeError that names the parameter and
what is allowed, before any arithmetic.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def numeric_array(value: Any, name: str, ndim: int, layout: str) -> np.ndarray:
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a {ndim}-D numeric array {layout}, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a rectangular numeric array: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integers or floats, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D {layout}; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} must hold only finite numbers, found NaN or infinity")
    return array


def check_groups(groups: Any, c_in: int, weights: np.ndarray) -> int:
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral):
        raise TypeError(f"groups must be a positive int, got {groups!r}")
    if groups < 1:
        raise ValueError(f"groups must be >= 1, got {groups}")
    c_out = weights.shape[3]
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"groups must divide the input channels ({c_in}) and the filters ({c_out}); got groups={groups}"
        )
    if weights.shape[2] != c_in // groups:
        hint = ""
        if weights.shape[1] == c_in // groups:
            hint = "; this looks like PyTorch's (filters, in_channels, rows, cols): use ConvLayer.from_torch"
        raise ValueError(
            f"weights must have shape (rows, cols, {c_in // groups}, filters): the image has {c_in} channels in "
            f"{groups} group(s), so each filter reads {c_in // groups}; got shape {weights.shape}{hint}"
        )
    return int(groups)


def work_dtype(
    image: np.ndarray, weights: np.ndarray, bias: np.ndarray | None, pad_value: Any
) -> tuple[np.dtype, np.dtype]:
    """The dtype of the sums, and the dtype the matrix products are computed in.

    Floats as the image says (float32 or float64); exact int64 when every value is an
    integer and every sum fits. Integer sums that stay below 2**53 are exact in float64 too,
    where NumPy's matrix product runs on BLAS, several times faster than its int64 loop.

    >>> work_dtype(np.zeros((2, 2, 1), np.uint8), np.ones((1, 1, 1, 1), int), None, 0)
    (dtype('int64'), dtype('float64'))
    """
    if image.dtype.kind == "f":
        dtype = np.dtype(np.float32) if image.dtype.itemsize <= 4 else image.dtype
        return dtype, dtype
    # a bad pad_value is the Convolution's to report; here it only has to be read when it is a number
    fill = pad_value if isinstance(pad_value, numbers.Real) and np.isfinite(pad_value) else 0
    if weights.dtype.kind == "f" or (bias is not None and bias.dtype.kind == "f") or fill % 1:
        return np.dtype(np.float64), np.dtype(np.float64)
    # the largest sum, or partial sum, any filter can reach, in floats: exact enough to compare with 2**63
    largest = max(abs(int(image.min())), abs(int(image.max())), abs(int(fill)))
    weight = np.abs(weights.astype(np.float64)).sum(axis=(0, 1, 2)).max()
    reach = largest * weight + (0 if bias is None else np.abs(bias.astype(np.float64)).max())
    if reach >= 2.0**63:
        raise ValueError(
            "image, weights and bias are too large to sum exactly in 64-bit integers; "
            "pass the image as floats (image.astype(float)) or use smaller values"
        )
    return np.dtype(np.int64), np.dtype(np.float64 if reach < 2.0**52 else np.int64)
