"""The products panel of a layer's frame: per input channel the filter reads, window ⊙ kernel slice = products, Σ.

Each row is one input channel of the current filter's group: the values under
the footprint, the filter's slice for that channel, their element-wise products
and their sum, the channel's partial sum. The rows' Σ column leads into the
layer's "sum + bias" line beneath them, as a column of numbers added by hand. The
kernel slices change with the filter and the rows' names with the group; both are
made once per filter. A filter that sums more channels than
:data:`MAX_PANEL_ROWS` gets no panel: its channels' products stay written out one
line each, as a wall of matrices would not be read.

>>> import numpy as np
>>> from visualizer import ConvLayer
>>> from visualizer.scenes import scene_builder
>>> layer = ConvLayer(np.arange(8).reshape(2, 2, 2), np.ones((2, 2, 2, 1), int))
>>> scene = scene_builder(layer).scene(0)
>>> [t.text for t in scene.texts("products", 1, "cell")], scene.text_at("products", 1, "sum")
(['1', '3', '5', '7'], 'Σ = 16')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..im2col import window_view
from .items import Item
from .products import ProductsPanel

MAX_PANEL_ROWS = 4  # more channels summed than this: the products written out instead, one line per channel


def every_partial_sum(layer: Any) -> np.ndarray:
    """Every partial sum a step of ``layer`` shows, ``(rows, cols, C_in // groups, C_out)`` (to size the Σ column).

    >>> from visualizer import ConvLayer
    >>> sums = every_partial_sum(ConvLayer(np.arange(18).reshape(3, 3, 2), np.ones((2, 2, 1, 2), int), groups=2))
    >>> sums.shape, sums[0, 0].tolist()
    ((2, 2, 1, 2), [[16, 20]])
    """
    # in the steps' dtype: 8-bit pixels times 8-bit weights overflow
    padded, weights = layer.padded.astype(layer.dtype), layer.weights.astype(layer.dtype)
    windows = window_view(padded, layer.kernel_shape, layer.stride, layer.dilation, layer.output_shape)
    sums = [
        np.einsum("ijuvc,uvc->ijc", windows[..., layer.input_channels(k)], weights[..., k])
        for k in range(layer.out_channels)
    ]
    return np.stack(sums, axis=-1)


def products_panel(scene: Any) -> LayerProducts | None:
    """The scene's products panel; None in the plain look or for a filter summing too many channels."""
    if not scene.numbers or scene.layer.in_channels // scene.layer.groups > MAX_PANEL_ROWS:
        return None
    return LayerProducts(scene)


class LayerProducts:
    """The products panel of a :class:`~visualizer.scenes.layer.LayerScene` (see the module's description)."""

    def __init__(self, scene: Any):
        layer = scene.layer
        self.names = scene.names
        weights = layer.weights
        kernels = [weights[:, :, p, :] for p in range(weights.shape[2])]  # each row's slice of every filter
        values, products, sums = scene.panel_samples  # enough of them to size the cells: large layers have many
        self.panel = ProductsPanel(scene, kernels, None, values, products, sums, list(self.names))
        self._weights: dict[int, list[Item]] = {}

    def still(self) -> list[Item]:
        return self.panel.still()

    def moving(self, step: Any) -> list[Item]:
        """The step's filter slices and channel names (made once per filter), windows, products and partial sums."""
        k = step.out_index[2]
        if k not in self._weights:
            names = [self.names[channel] for channel in step.input_channels]
            self._weights[k] = self.panel.weights(k, names)
        window, products, sums = step.window, step.products, list(step.partial_sums)
        channels = range(window.shape[2])
        rows = [window[..., p] for p in channels], [products[..., p] for p in channels]
        return self._weights[k] + self.panel.moving(*rows, sums, sums)
