"""The Stepper's controls for any operation of the family: the convolution they describe, the tab they open on.

The Stepper's tabs describe a :class:`~visualizer.Convolution` and, in the "Operation" tab
(:mod:`visualizer.widget_ops`), what the same input becomes as another operation. Given a
transposed convolution, pooling or a layer, :func:`as_convolution` finds the convolution
behind it (its input, kernel or window, and geometry) and :func:`choose_operation` sets the
tab to it.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import numpy as np

from .convolution import Convolution
from .layer import ConvLayer
from .pooling import Pooling
from .presenter_ops import split
from .transposed import TransposedConvolution
from .widget_ops import NO_ACTIVATION, OperationControls


def as_convolution(op: Any) -> Convolution:
    """The convolution whose controls describe ``op``: its input, kernel (or window) and geometry.

    >>> import numpy as np
    >>> from visualizer import Pooling
    >>> as_convolution(Pooling(np.zeros((4, 4)), 2)).kernel.shape
    (2, 2)
    """
    if isinstance(op, Convolution):
        return op
    if isinstance(op, TransposedConvolution):
        return Convolution(op.image, op.kernel, stride=op.stride, dilation=op.dilation)
    if isinstance(op, Pooling):
        return Convolution(op.image, np.ones(op.size, int), stride=op.stride, dilation=op.dilation)
    if isinstance(op, ConvLayer):
        kernel = np.ones(op.weights.shape[:2], int)
        return Convolution(op.image, kernel, op.stride, op.padding, op.pad_mode, op.dilation)
    raise TypeError(
        f"op must be a visualizer Convolution, TransposedConvolution, Pooling or ConvLayer, got {type(op).__name__}"
    )


def choose_operation(controls: OperationControls, op: Any) -> None:
    """Set the "Operation" tab to ``op``'s kind and its own parameters (before anyone observes it)."""
    if isinstance(op, TransposedConvolution):
        controls.operation.value = "transposed convolution"
        controls.output_padding.value, controls.view.value = op.output_padding[0], op.view
    elif isinstance(op, Pooling):
        controls.operation.value = "max pooling" if op.mode == "max" else "average pooling"
        controls.ceil_mode.value, controls.count_include_pad.value = op.ceil_mode, op.count_include_pad
    elif isinstance(op, ConvLayer):
        controls.operation.value = "layer"
        controls.filters.value, controls.groups.value = op.weights.shape[3], op.groups
        controls.bias.value = op.bias is not None
        controls.activation.value = op.activation or NO_ACTIVATION
    # greys out what the operation has no use for; a slider may have clamped one of op's values
    # into a combination that cannot work (op itself is drawn as given)
    with suppress(ValueError):
        controls.build(as_convolution(op))
    if isinstance(op, ConvLayer):
        controls.hold_layer(op.weights, op.bias)  # not the random filters the tab draws at first
    elif not isinstance(op, Convolution):
        # its own padding has no control (the Convolution tab's is the convolution's): held through rebuilds
        _, name, params = split(op)
        controls.hold(name, **params)
