"""One step of a convolutional layer: one output element, and the arithmetic that makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .geometry import Pair

if TYPE_CHECKING:  # for the annotations only: the layer makes its steps
    from .layer import ConvLayer


class LayerStep:
    """One output element ``(i, j, k)``: filter ``k`` over the window at ``origin``.

    Attributes
    ----------
    index : int
        Position in the step order: filter by filter, then row-major.
    out_index : tuple of int
        ``(i, j, k)``: output row, column and channel (the filter).
    origin : tuple of int
        ``(row, col)`` of the window's top-left tap in padded coordinates.
    input_channels : range
        The input channels filter ``k`` reads (its group's).
    bias : number
        Filter ``k``'s bias (0 without a bias).
    pre_activation : number
        The partial sums summed, plus the bias.
    value : number
        ``pre_activation`` after the activation.

    ``window``, ``kernel``, ``products`` (all ``(M, N, C_in // groups)``) and
    ``partial_sums`` (one per input channel of the group) are made on demand.
    """

    __slots__ = ("index", "out_index", "origin", "input_channels", "bias", "pre_activation", "value", "_layer")

    def __init__(
        self,
        layer: ConvLayer,
        index: int,
        out_index: tuple[int, int, int],
        origin: Pair,
        input_channels: range,
        bias: Any,
        pre_activation: Any,
        value: Any,
    ):
        self.index = index
        self.out_index = out_index
        self.origin = origin
        self.input_channels = input_channels
        self.bias = bias
        self.pre_activation = pre_activation
        self.value = value
        self._layer = layer

    @property
    def window(self) -> np.ndarray:
        """The padded input under the kernel taps, only this filter's input channels."""
        i, j, _ = self.out_index
        group = self.input_channels
        return self._layer._windows[i, j, :, :, group.start : group.stop]

    @property
    def kernel(self) -> np.ndarray:
        """Filter ``k``'s weights, ``(M, N, C_in // groups)``."""
        return self._layer.weights[..., self.out_index[2]]

    @property
    def products(self) -> np.ndarray:
        """``window * kernel``, element-wise, in the layer's dtype."""
        return self.window.astype(self._layer.dtype) * self.kernel.astype(self._layer.dtype)

    @property
    def partial_sums(self) -> np.ndarray:
        """One sum of products per input channel of the group."""
        return self.products.sum(axis=(0, 1))

    def __repr__(self) -> str:
        return (
            f"LayerStep(index={self.index}, out_index={self.out_index}, origin={self.origin}, "
            f"pre_activation={self.pre_activation.item()!r}, value={self.value.item()!r})"
        )
