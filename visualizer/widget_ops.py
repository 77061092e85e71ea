"""The Stepper's "Operation" tab: the same input through each operation of the family.

:class:`OperationControls` holds an operation selector and each operation's own
parameters; :meth:`OperationControls.build` turns the Stepper's convolution into the
operation chosen. A control the chosen operation has no use for is greyed out.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from .activations import ACTIVATIONS
from .convolution import Convolution
from .layer import ConvLayer
from .presenter_ops import operation
from .transposed import VIEWS

OPERATIONS = {
    "convolution": "conv",
    "transposed convolution": "transposed",
    "max pooling": "maxpool",
    "average pooling": "avgpool",
    "layer": "layer",
}
NO_ACTIVATION = "none"


class OperationControls:
    """The operation selector and the parameters of the transposed convolution, pooling and the layer.

    Examples
    --------
    >>> import numpy as np
    >>> controls = OperationControls()
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((2, 2), int), stride=2)
    >>> controls.operation.value = "max pooling"
    >>> controls.build(conv).result().tolist(), controls.view.disabled, controls.ceil_mode.disabled
    ([[5, 7], [13, 15]], True, False)
    """

    def __init__(self) -> None:
        self.operation = widgets.Dropdown(options=list(OPERATIONS), value="convolution", description="operation")
        self.output_padding = widgets.IntSlider(value=0, min=0, max=3, description="output padding")
        self.view = widgets.ToggleButtons(options=list(VIEWS), value="direct", description="view")
        self.ceil_mode = widgets.Checkbox(value=False, description="ceil mode")
        self.count_include_pad = widgets.Checkbox(value=True, description="count padding")
        self.filters = widgets.IntSlider(value=2, min=1, max=4, description="filters")
        self.groups = widgets.IntSlider(value=1, min=1, max=3, description="groups")
        self.bias = widgets.Checkbox(value=False, description="bias")
        self.activation = widgets.Dropdown(
            options=[NO_ACTIVATION, *ACTIVATIONS], value=NO_ACTIVATION, description="activation"
        )
        self.controls = {
            "output_padding": (self.output_padding, {"transposed"}),
            "view": (self.view, {"transposed"}),
            "ceil_mode": (self.ceil_mode, {"maxpool", "avgpool"}),
            "count_include_pad": (self.count_include_pad, {"avgpool"}),
            "filters": (self.filters, {"layer"}),
            "groups": (self.groups, {"layer"}),
            "bias": (self.bias, {"layer"}),
            "activation": (self.activation, {"layer"}),
        }
        self.box = widgets.VBox([self.operation] + [control for control, _ in self.controls.values()])
        self._grey()

    @property
    def op(self) -> str:
        """The chosen operation's short name: conv, transposed, maxpool, avgpool or layer."""
        return OPERATIONS[self.operation.value]

    def observe(self, handler: Any) -> None:
        """Call ``handler`` whenever any of these controls changes."""
        for control in (self.operation, *(c for c, _ in self.controls.values())):
            control.observe(handler, "value")

    def build(self, conv: Convolution) -> Any:
        """``conv``'s input, kernel, stride and dilation as the chosen operation (ValueError if it cannot work)."""
        self._grey()
        op = self.op
        params = {name: control.value for name, (control, ops) in self.controls.items() if op in ops}
        if op != "layer":
            return operation(conv, op, **params)
        # a layer needs channels; its filters are random weights −2…2 the size of the kernel, drawn the same each time
        image = conv.image if conv.image.ndim == 3 else conv.image[..., np.newaxis]
        rng = np.random.default_rng(0)
        filters, groups = params["filters"], params["groups"]
        if image.shape[2] % groups:
            raise ValueError(f"groups must divide the input's {image.shape[2]} channels; got {groups}")
        size = conv.kernel.shape[:2]
        weights = rng.integers(-2, 3, (*size, image.shape[2] // groups, filters))
        bias = rng.integers(-4, 5, filters) if params["bias"] else None
        activation = None if params["activation"] == NO_ACTIVATION else params["activation"]
        return ConvLayer(
            image, weights, bias, conv.stride, conv.padding, conv.pad_mode, conv.dilation, groups, activation
        )

    def _grey(self) -> None:
        for control, ops in self.controls.values():
            control.disabled = self.op not in ops
