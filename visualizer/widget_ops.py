"""The Stepper's "Operation" tab: the same input through each operation of the family.

:class:`OperationControls` holds an operation selector and each operation's own
parameters; :meth:`OperationControls.build` turns the Stepper's convolution into the
operation chosen. A control the chosen operation has no use for is greyed out. An operation
given to the Stepper keeps its own parameters through every rebuild (:meth:`OperationControls.hold`:
a padding has no control here), and a layer its weights and bias (:meth:`OperationControls.hold_layer`).

For the layer, a filter (and, when it reads several channels, an input channel) is
chosen and its weights ``weights[:, :, channel, filter]`` are shown in a grid of number
boxes that edit them; the bias values are typed as ``1,-2``. Edits are kept while the
filters keep their size and channels; a new filter starts with random weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np

from .activations import ACTIVATIONS
from .convolution import Convolution
from .presenter_ops import layer, operation
from .text import channel_names
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
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((2, 2), int), stride=2)
    >>> controls = OperationControls()
    >>> controls.operation.value = "max pooling"
    >>> controls.build(conv).result().tolist(), controls.view.disabled, controls.ceil_mode.disabled
    ([[5, 7], [13, 15]], True, False)

    The layer's first filter, edited in its grid:

    >>> controls.operation.value = "layer"
    >>> shown = controls.build(conv)
    >>> [box.value for box in controls.weights] == shown.weights[:, :, 0, 0].ravel().tolist()
    True
    >>> for box in controls.weights:
    ...     box.value = 1
    >>> controls.build(conv).weights[:, :, 0, 0].tolist()
    [[1, 1], [1, 1]]
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
        # each operation's own parameters that no control shows as they are (a padding, an output
        # padding pair), held through rebuilds until the learner moves the control of one
        self._held: dict[str, dict[str, Any]] = {}
        for name, (control, _) in self.controls.items():
            control.observe(lambda change, name=name: self._release(name), "value")
        self._build_filter_editor()
        self.box = widgets.VBox(
            [self.operation, *(control for control, _ in self.controls.values()), self.bias_values]
            + [widgets.HBox([self.filter, self.channel]), self._grid]
        )
        self._grey()

    def _build_filter_editor(self) -> None:
        self.filter = widgets.Dropdown(options=[("filter 0", 0)], value=0, description="filter")
        self.channel = widgets.Dropdown(options=[("channel 0", 0)], value=0, description="channel")
        self.bias_values = widgets.Text(description="bias values", placeholder="1,-2", continuous_update=False)
        self._grid = widgets.GridBox()
        self.weights: list[widgets.FloatText] = []  # the boxes of the grid, row by row
        self._weights: np.ndarray | None = None  # the layer's weights, with the learner's edits
        self._bias: np.ndarray | None = None  # its bias values, kept while the bias is switched off
        self._bias_error: str | None = None  # what is wrong with the bias values typed
        self._input_channels = 1
        self._handlers: list[Callable[[Any], None]] = []
        self._syncing = False  # True while the code (not the learner) sets the editor's boxes
        self.filter.observe(lambda change: self._show_filter(), "value")
        self.channel.observe(lambda change: self._show_filter(), "value")
        self.bias_values.observe(self._edit_bias, "value")

    @property
    def op(self) -> str:
        """The chosen operation's short name: conv, transposed, maxpool, avgpool or layer."""
        return OPERATIONS[self.operation.value]

    def observe(self, handler: Any) -> None:
        """Call ``handler`` whenever any of these controls changes (a weight or bias typed in included)."""
        for control in (self.operation, *(c for c, _ in self.controls.values())):
            control.observe(handler, "value")
        self._handlers.append(handler)

    def hold(self, op: str, **params: Any) -> None:
        """Hold the operation ``op``'s own ``params`` (a given pooling's padding, say) through every rebuild.

        A parameter with a control here stays held until the learner moves that control.

        >>> controls = OperationControls()
        >>> controls.operation.value = "max pooling"
        >>> controls.hold("maxpool", padding=1)
        >>> controls.build(Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))).padding
        (1, 1)
        """
        self._held[op] = params

    def hold_layer(self, weights: Any, bias: Any = None) -> None:
        """Hold a layer's ``weights`` (and ``bias``, if given) in the filter editor; rebuilds keep what fits.

        >>> controls = OperationControls()
        >>> controls.operation.value = "layer"
        >>> controls.hold_layer(np.full((2, 2, 1, 1), 3), bias=[5])
        >>> controls.filters.value, controls.bias.value = 1, True
        >>> shown = controls.build(Convolution(np.ones((3, 3), int), np.ones((2, 2), int)))
        >>> shown.weights[..., 0].tolist(), shown.bias.tolist()
        ([[[3], [3]], [[3], [3]]], [5])
        """
        self._weights = np.asarray(weights)
        if bias is not None:
            self._bias = np.asarray(bias)
        if self._bias is not None:  # before the first build the editor waits for it
            self._sync()

    def build(self, conv: Convolution) -> Any:
        """``conv``'s input, kernel, stride and dilation as the chosen operation (ValueError if it cannot work)."""
        self._grey()
        op = self.op
        params = {name: control.value for name, (control, ops) in self.controls.items() if op in ops}
        if op != "layer":
            return operation(conv, op, **{**params, **self._held.get(op, {})})
        activation = None if params["activation"] == NO_ACTIVATION else params["activation"]
        # random weights −2…2 the kernel's size and a bias −4…4, the same each time; the edits made so far kept
        fresh = layer(conv, filters=params["filters"], groups=params["groups"], bias=True, activation=activation)
        if self._bias_error is not None:  # typed for another number of filters, perhaps: read again
            self._read_bias(self.bias_values.value, params["filters"])
        if params["bias"] and self._bias_error:
            raise ValueError(self._bias_error)
        weights, bias = _kept(self._weights, fresh.weights), _kept(self._bias, fresh.bias)
        shown = layer(
            conv, groups=params["groups"], bias=params["bias"] and bias, activation=activation, weights=weights
        )
        self._weights, self._bias, self._input_channels = weights, bias, shown.image.shape[2]
        self._sync()
        return shown

    # -- the filter editor ---------------------------------------------------------

    def _sync(self) -> None:
        """Bring the selectors, the grid and the bias values up to date with the layer's weights."""
        assert self._weights is not None and self._bias is not None
        with self._quietly():
            _choices(self.filter, [(f"filter {k}", k) for k in range(self._weights.shape[3])])
            if self._bias_error is None:
                self.bias_values.value = ",".join(_number(b) for b in self._bias)
        self._show_filter()

    def _show_filter(self) -> None:
        """The chosen filter's slice for the chosen channel, in the grid (its boxes made anew for a new size)."""
        if self._weights is None:
            return
        rows, cols, per_group, filters = self._weights.shape
        k = self.filter.value
        group = k // (filters // (self._input_channels // per_group))
        names = channel_names(self._input_channels)[group * per_group : (group + 1) * per_group]
        with self._quietly():
            _choices(self.channel, [(name, c) for c, name in enumerate(names)])
            self.channel.disabled = self.op != "layer" or per_group == 1
            if len(self.weights) != rows * cols or self._grid.layout.grid_template_columns != f"repeat({cols}, 68px)":
                self.weights = [widgets.FloatText(layout=widgets.Layout(width="64px")) for _ in range(rows * cols)]
                for box in self.weights:
                    box.observe(self._edit_weight, "value")
                self._grid.children = self.weights
                self._grid.layout.grid_template_columns = f"repeat({cols}, 68px)"
            for box, weight in zip(self.weights, self._weights[:, :, self.channel.value, k].ravel(), strict=True):
                box.value = float(weight)
                box.disabled = self.op != "layer"

    def _edit_weight(self, change: Any) -> None:
        if self._syncing or self._weights is None:
            return
        values = np.array([box.value for box in self.weights]).reshape(self._weights.shape[:2])
        weights = self._weights
        if not np.array_equal(values, np.round(values)):  # whole numbers keep integer weights exact
            weights = weights.astype(float)
        weights = weights.copy()
        weights[:, :, self.channel.value, self.filter.value] = values
        self._weights = weights
        self._changed(change)

    def _edit_bias(self, change: Any) -> None:
        if self._syncing:
            return
        self._read_bias(change.new, self.filters.value)
        self._changed(change)

    def _read_bias(self, text: str, filters: int) -> None:
        """Take the bias values typed, or say what is wrong with them (:meth:`build` raises it)."""
        try:
            bias = np.array([float(part) for part in text.replace(" ", "").split(",")])
        except ValueError:
            self._bias_error = f"bias values are numbers separated by commas, such as 1,-2; got {text!r}"
            return
        if len(bias) != filters or not np.all(np.isfinite(bias)):
            self._bias_error = f"bias values must be {filters} finite numbers, one per filter; got {text!r}"
            return
        self._bias, self._bias_error = bias.astype(int) if np.all(bias == np.round(bias)) else bias, None

    def _release(self, name: str) -> None:
        """The learner moved the control of ``name``: its value, no longer the one held, is used."""
        for held in self._held.values():
            held.pop(name, None)

    def _changed(self, change: Any) -> None:
        for handler in self._handlers:
            handler(change)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _grey(self) -> None:
        for control, ops in self.controls.values():
            control.disabled = self.op not in ops
        layer_chosen = self.op == "layer"
        self.filter.disabled = not layer_chosen
        self.channel.disabled = not layer_chosen or len(self.channel.options) == 1
        self.bias_values.disabled = not (layer_chosen and self.bias.value)
        for box in self.weights:
            box.disabled = not layer_chosen


def _kept(edited: np.ndarray | None, fresh: np.ndarray) -> np.ndarray:
    """``fresh`` with the filters (or bias values) of ``edited`` that still fit: the same size and channels.

    >>> _kept(np.array([7, 8]), np.array([1, 2, 3])).tolist()
    [7, 8, 3]
    >>> float(_kept(np.ones((2, 2, 1, 1)), np.zeros((3, 3, 1, 2))).sum())  # a new size: all fresh
    0.0
    """
    if edited is None or edited.shape[:-1] != fresh.shape[:-1]:
        return fresh
    kept = fresh.astype(np.result_type(edited, fresh))
    n = min(edited.shape[-1], fresh.shape[-1])
    kept[..., :n] = edited[..., :n]
    return kept


def _choices(dropdown: widgets.Dropdown, options: list[tuple[str, int]]) -> None:
    """Give ``dropdown`` new options, keeping its value where it is still one of them."""
    if list(dropdown.options) != options:
        value = dropdown.value
        dropdown.options = options
        dropdown.value = value if value in [v for _, v in options] else options[0][1]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{float(value):g}"
