"""Independent references for a convolutional layer, written without the project's code.

``layer_scipy`` builds each output channel the long way: for filter ``k``, every input
channel of its group correlated on its own by SciPy (``reference.correlate_scipy``,
which pads with SciPy's boundary modes), the planes summed, the bias added, the
activation applied. ``layer_torch`` is ``F.pad`` + ``F.conv2d`` with ``groups`` and
``bias`` + torch's activation, in float64.
"""

from __future__ import annotations

import numpy as np
from reference import PAD_MODE_NAMES, TORCH_MODES, correlate_scipy, pair, reference_pads
from scipy import special

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # never a required dependency
    torch = None
    F = None

# written from the textbook definitions, not from the project's table
ACTIVATIONS_REFERENCE = {
    None: lambda x: x,
    "relu": lambda x: np.where(x > 0, x, 0),
    "sigmoid": special.expit,
    "tanh": np.tanh,
}


def layer_scipy(
    image, weights, bias=None, stride=1, padding="valid", pad_mode="zeros", dilation=1, groups=1, activation=None
) -> np.ndarray:
    """``(H', W', C_out)`` in float64 (int64 for integer inputs without an activation)."""
    image, weights = np.asarray(image), np.asarray(weights)
    c_in, c_out = image.shape[2], weights.shape[3]
    per_in, per_out = c_in // groups, c_out // groups
    exact = image.dtype.kind in "iu" and weights.dtype.kind in "iu"
    filters = []
    for k in range(c_out):
        group = k // per_out
        planes = [
            correlate_scipy(
                image[..., group * per_in + c],
                weights[:, :, c, k],
                stride,
                padding,
                pad_mode,
                dilation,
                method="signal" if exact else "ndimage",
            )
            for c in range(per_in)
        ]
        total = np.sum(planes, axis=0)
        filters.append(total + (0 if bias is None else bias[k]))
    return ACTIVATIONS_REFERENCE[activation](np.stack(filters, axis=-1))


def layer_torch(
    image, weights, bias=None, stride=1, padding="valid", pad_mode="zeros", dilation=1, groups=1, activation=None
) -> np.ndarray:
    """The same by ``F.pad`` + ``F.conv2d`` (PyTorch's layout, converted here by hand), float64."""
    image, weights = np.asarray(image, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    top, bottom, left, right = reference_pads(image.shape, weights.shape, stride, padding, dilation)
    x = torch.from_numpy(np.ascontiguousarray(np.moveaxis(image, 2, 0)))[None]
    mode = TORCH_MODES[PAD_MODE_NAMES[pad_mode]]
    x = F.pad(x, (left, right, top, bottom), mode=mode)
    # (M, N, C_in/g, C_out) -> (C_out, C_in/g, M, N)
    w = torch.from_numpy(np.ascontiguousarray(np.transpose(weights, (3, 2, 0, 1))))
    b = None if bias is None else torch.from_numpy(np.asarray(bias, dtype=np.float64))
    out = F.conv2d(x, w, b, stride=pair(stride), dilation=pair(dilation), groups=groups)
    out = {None: lambda t: t, "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation](out)
    return np.moveaxis(out[0].numpy(), 0, -1)
