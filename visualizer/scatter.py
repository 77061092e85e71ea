"""The fast path of a transposed convolution: PyTorch's ``conv_transpose2d`` by scatter-add per kernel tap.

Every input element adds ``value × kernel`` into its patch of the output. Done
pixel by pixel that is H·W small additions; done tap by tap it is M·N
additions of the whole input, scaled by one weight, into a strided slice of
the output, which NumPy runs at memory speed.
"""

from __future__ import annotations

import numpy as np

from .geometry import Pair


def scatter_add(
    image: np.ndarray, weights: np.ndarray, stride: Pair, padding: Pair, dilation: Pair, out_shape: Pair
) -> np.ndarray:
    """``conv_transpose2d``: for each kernel tap, add ``weight × input`` into a strided slice of the output.

    ``image`` is ``(H, W[, C])``, ``weights`` ``(M, N[, C])`` in the sums' dtype.
    M·N slice additions, each over the whole input, instead of one patch per
    pixel; taps that land in the cropped border are cut off before adding.

    >>> scatter_add(np.array([[1, 2]]), np.array([[1, 10]]), (1, 2), (0, 0), (1, 1), (1, 4))
    array([[ 1, 10,  2, 20]])
    """
    # channel planes first: each plane is contiguous and a tap's weight is one number per plane
    planes = np.ascontiguousarray(np.moveaxis(image, 2, 0) if image.ndim == 3 else image[np.newaxis], weights.dtype)
    taps = weights.reshape(weights.shape[:2] + (-1, 1, 1))
    out = np.zeros((planes.shape[0],) + tuple(out_shape), weights.dtype)
    scratch = np.empty_like(planes)
    for u in range(weights.shape[0]):
        rows = _tap_slices(u * dilation[0], planes.shape[1], stride[0], padding[0], out_shape[0])
        for v in range(weights.shape[1] if rows else 0):
            cols = _tap_slices(v * dilation[1], planes.shape[2], stride[1], padding[1], out_shape[1])
            if cols:
                source = planes[:, rows[0], cols[0]]
                product = scratch[:, : source.shape[1], : source.shape[2]]
                np.multiply(source, taps[u, v], out=product)
                out[:, rows[1], cols[1]] += product
    return np.ascontiguousarray(np.moveaxis(out, 0, 2)) if image.ndim == 3 else out[0]


def _tap_slices(offset: int, size: int, stride: int, padding: int, out_size: int) -> tuple[slice, slice] | None:
    """Input and output slices along one axis for the tap ``offset`` (= u·D) past a patch's top.

    Input ``i`` lands on full-output position ``offset + i·stride``, which is
    output position ``offset + i·stride − padding`` when that lies in 0…out_size−1.
    """
    first = max(0, -((offset - padding) // stride))
    last = min(size - 1, (padding + out_size - 1 - offset) // stride)
    if last < first:
        return None
    start = offset + first * stride - padding
    return slice(first, last + 1), slice(start, start + (last - first) * stride + 1, stride)
