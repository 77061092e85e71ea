"""The scene of a :class:`~visualizer.layer.ConvLayer` step: a CNN layer as CNN Explainer draws it, every number shown.

A step shows the header (parameters; depthwise, pointwise or grouped when the
layer is; the output-size formula with the numbers), every input channel the
current filter reads with its footprint shaded and the filter's weights in
chips, that channel's slice of the filter beside it and its partial sum below
it, each channel's window ⊙ kernel slice = products, Σ its partial sum (the
products panel, :mod:`.layer_products`), the partial sums added with the bias,
what the activation does to that sum (``relu: −7 → 0``, and the point on the
activation's curve), and the output feature maps filling in, one per filter,
the current one ringed.

Channels a filter does not read (grouped and depthwise layers) stay on the
frame unshaded and say so; titles of the output maps say which channels feed
them. Many channels or filters give a compact form: only the current group's
input channels in full, every channel as a small map; the current filter's
output in full, every filter's as a small map.

>>> import numpy as np
>>> from visualizer import ConvLayer
>>> layer = ConvLayer(np.arange(18).reshape(3, 3, 2), np.ones((2, 2, 2, 2), int), bias=[0, -100], activation="relu")
>>> scene = LayerScene(layer).scene(5)
>>> scene.text_at("partial", 1), scene.text_at("total",), scene.text_at("activation",)
('partial sum = 28', 'sum + bias = 24 + 28 − 100 = −48', 'relu: −48 → 0')
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property, partial
from typing import Any

import numpy as np

from ..geometry import window_taps
from ..layer import ConvLayer
from ..layer_text import (
    input_names,
    layer_caption,
)
from ..text import display_number
from .base import SceneBuilder, thin
from .convolution import ConvolutionScene
from .items import Box, Grid, Item, Text
from .layer_links import LayerLinks
from .layer_parts import ActivationChart, indices, ring, shade, small_map
from .layer_pictures import LayerPictures
from .layer_sizes import LayerSizes
from .layer_sums import SumBlock
from .panel_fit import Fitting
from .shading import Fills

MAX_FULL_INPUTS = 4  # more input channels than this, in groups: only the current group's drawn in full
MAX_FULL_OUTPUTS = 8  # more filters than this: the current filter's output in full, every filter's as a small map


class LayerScene(LayerSizes, SumBlock, LayerLinks, LayerPictures, Fitting, ConvolutionScene):
    """Builds the scene of every step of one :class:`ConvLayer` (see the module's description).

    It draws cells as a convolution's scene does (values, padding, weight
    chips), since a layer's geometry is a convolution's. ``grids`` holds
    "input:s" (the s-th input channel drawn in full), "kernel:s" (its slice of
    the current filter), "output:k" (filter k's map) or, compact, "output" (the
    current filter's) and "map:k", and "channel:c" (small maps of the input).
    """

    products = None  # the magnifier, once the cells became pictures (:mod:`.layer_pictures`)

    def __init__(self, layer: ConvLayer, **style: Any):
        if not isinstance(layer, ConvLayer):
            raise TypeError(f"layer must be a visualizer.ConvLayer, got {type(layer).__name__}")
        SceneBuilder.__init__(self, layer, **style)
        # the cell drawing borrowed from ConvolutionScene reads padded, is_padding and pad_mode, as a layer has
        self.layer = self.conv = layer
        c_in, c_out = layer.in_channels, layer.out_channels
        self.per_group = c_in // layer.groups
        self.split = layer.groups > 1 and c_in > MAX_FULL_INPUTS
        self.slots = self.per_group if self.split else c_in
        self.every_slot_read = self.split or layer.groups == 1
        self.compact = c_out > MAX_FULL_OUTPUTS
        self.names = input_names(c_in)
        self.channels, self.rgb = c_in, False  # as pictures: a grey picture a channel
        self.pre, self.post = layer.pre_activation(), layer.result()
        self.weight_text = np.array([display_number(w) for w in layer.weights.ravel()]).reshape(layer.weights.shape)
        self.fills = Fills(self.colours, self.shade, layer.padded, self.post, c_in)
        self.small_cell = int(np.clip(120 // max(*layer.padded.shape[:2], *layer.output_shape), 4, 12))
        (prows, pcols), (orows, ocols) = layer.padded.shape[:2], layer.output_shape
        cells = prows * pcols * self.slots + orows * ocols * (1 if self.compact else c_out)
        self.legend: list = []
        # cells with the products panel in smaller and smaller type, then without it, then pictures
        self.fit([self._lay_out, partial(self._lay_out, panel=False)], cells, self.picture_source)
        if self.magnifier is not None:
            self._still = self.picture_still()
            return
        c = self.colours
        self.chart = None
        if self.chart_box is not None:
            span = (float(self.pre.min()), float(self.pre.max()))
            self.chart = ActivationChart(
                layer.activation, span, self.chart_box, self.weight_font, (c.grid, c.muted, c.chip)
            )
        self._build_still()
        self._group_panels: dict[int, list[Item]] = {}
        self._revealed = [self._reveal(index) for index in range(layer.num_steps)]

    # -- what never changes --------------------------------------------------------------

    def _build_still(self) -> None:
        t, c, out, layer = self.theme, self.colours, self._still, self.layer
        for k, line in enumerate(self.header):
            out.append(self.label((t.margin, t.margin + k * self.line_height), line, self.text_font, ("header", k)))
        if self.numbers:
            out.extend(self._titles())
        if not self.split:
            for slot in range(self.slots):
                out.extend(self._input_panel(slot, slot))
        for grid in self.kernel_grids:
            out.extend(self._kernel_cells(grid) if self.every_slot_read else ())
            out.append(grid)
        for grid in self.panels:
            if grid.plane:  # a tilted map is coloured whole from the start, as conv_arithmetic's output plane
                cells = np.ndindex(grid.rows, grid.cols)
                out.extend(Box(grid.interior(i, j), self._plane_fill(grid, i, j), plane=grid.plane) for i, j in cells)
                out.append(grid)
            else:
                out.append(thin(replace(grid, colour=c.empty_grid), grid.plane))
                if self.numbers:
                    out.extend(indices(grid, (0, 0), layer.output_shape, self.weight_font, c.muted, self.background))
        out.extend(thin(grid, grid.plane) for grid in self.map_grids)
        low, high = float(layer.image.min()), float(layer.image.max())
        for channel, grid in enumerate(self.channel_grids):
            out.extend(small_map(grid, layer.padded[..., channel], low, high, c.input, self.background))
            out.append(grid)
        if self.chart is not None:
            out.extend(self.chart.still(self.background, c.ink_on(self.background)))
        if self.products_panel is not None:
            out.extend(self.products_panel.still())

    def _titles(self) -> list[Item]:
        face, layer = self.title_font, self.layer
        items: list[Item] = []
        if not self.split:
            for slot, xy in enumerate(self.slot_title_xy):
                items.append(self.label(xy, self.names[slot], face, ("title", f"input:{slot}")))
        if self.every_slot_read:  # otherwise only the channels the current filter reads have a kernel to name
            items.extend(self._kernel_title(slot) for slot in range(len(self.kernel_title_xy)))
        if not self.compact:
            for k, xy in enumerate(self.panel_title_xy):
                items.append(self.label(xy, self.panel_title(k), face, ("title", f"output:{k}")))
        else:
            items.append(self.label(self.maps_title_xy, "every filter's output", face, ("title", "maps")))
        if self.split:
            items.append(self.label(self.thumbs_title_xy, "every input channel", face, ("title", "channels")))
        for kind, places in (("map", self.map_label_xy), ("channel", self.channel_label_xy)):
            for index, xy in enumerate(places):
                items.append(self.label(xy, str(index), self.weight_font, ("label", f"{kind}:{index}"), "ma"))
        if self.chart is not None:
            x0, y0, _, _ = self.chart.box
            items.append(self.label((x0, y0 - self.title_height), layer.activation, face, ("title", "chart")))
        return items

    def _kernel_title(self, slot: int) -> Text:
        return self.label(self.kernel_title_xy[slot], "kernel", self.title_font, ("title", f"kernel:{slot}"))

    def _input_panel(self, slot: int, channel: int) -> list[Item]:
        """Input channel ``channel`` drawn in full in place ``slot``: cells, lines, values, indices."""
        grid, c, layer = self.slot_grids[slot], self.colours, self.layer
        items: list[Item] = [
            Box(
                grid.interior(r, col),
                self.fills.input(channel, layer.padded[r, col, channel], False),
                plane=grid.plane,
                tag=("cell", grid.name, r, col),
            )
            for r, col in np.ndindex(grid.rows, grid.cols)
            if not layer.is_padding(r, col)
        ]
        items.append(grid)
        if self.numbers:
            items.extend(self.input_value(grid, channel, r, col, False) for r, col in np.ndindex(grid.rows, grid.cols))
            if not grid.plane:
                top, _, left, _ = layer.pads
                items.extend(
                    indices(grid, (top, left), layer.image.shape[:2], self.weight_font, c.muted, self.background)
                )
        return items

    # -- what a step adds for good -------------------------------------------------------

    def _reveal(self, index: int) -> list[Item]:
        i, j, k = self.layer.step(index).out_index
        c = self.colours
        if self.compact:
            grid = self.map_grids[k]
            low, high = float(self.post.min()), float(self.post.max())
            fill = shade(self.post[i, j, k], low, high, c.output, self.background)
            return [Box(grid.interior(i, j), fill, approximate=True, tag=("cell", grid.name, i, j))]
        return self._output_cell(self.panels[k], i, j, self.post[i, j, k], shaded=False)

    def _output_cell(self, grid: Grid, i: int, j: int, value: Any, shaded: bool) -> list[Item]:
        """Output cell ``(i, j)`` of ``grid`` filled for ``value`` with its number; the current one ``shaded``."""
        c, items = self.colours, []
        fill = self.fills.output(0, value, shaded)
        tag = ("current" if shaded else "cell", grid.name, i, j)
        if not grid.plane:
            x0, y0, x1, y1 = grid.region(i, j, i + 1, j + 1)
            items.append(Box((x0, y0, x1 - 1, y1 - 1), fill, c.grid, grid.line, tag=tag))
        elif fill != self._plane_fill(grid, i, j):  # a tilted map is coloured already: only a change is drawn
            items.append(Box(grid.interior(i, j), fill, plane=grid.plane, tag=tag))
        if self.numbers:
            text, ink = display_number(value), c.ink_on(fill)
            tag = ("value", grid.name, i, j)
            items.append(Text(grid.centre(i, j), text, self.value_font, ink, fill, "mm", grid.plane, tag))
        return items

    def _plane_fill(self, grid: Grid, i: int, j: int) -> Any:
        """How a tilted map's cell is coloured from the start: by its value, or plain for the current filter's map."""
        if grid.name == "output":  # compact: the map shows one filter after another
            return self.colours.output
        return self.fills.output(0, self.post[i, j, int(grid.name.split(":")[1])], False)

    # -- what only this step shows -------------------------------------------------------

    def moving(self, index: int) -> tuple[Item, ...]:
        layer, c = self.layer, self.colours
        step = layer.step(index)
        if self.magnifier is not None:
            return tuple(self.magnifier.moving(step))
        i, j, k = step.out_index
        group = step.input_channels
        items: list[Item] = []
        if self.split:
            items.extend(self._group_panel(group.start // self.per_group))
            channel_rings = ((self.channel_grids[ch], ("ring", f"channel:{ch}")) for ch in group)
            items.extend(ring(grid, c.chip, 2, tag, pad=3) for grid, tag in channel_rings)
        read = range(self.slots) if self.split else group
        for position, slot in enumerate(read):
            items.extend(self._footprint(slot, group[position], position, k, step.origin))
            if self.numbers:
                items.extend(self._kernel_weights(slot, position, k))
                if not self.every_slot_read:
                    items.append(self._kernel_title(slot))
                text = f"partial sum = {display_number(step.partial_sums[position])}"
                items.append(self.label(self.partial_xy[slot], text, self.text_font, ("partial", slot)))
        if len(read) < self.slots:  # a group: the channels this filter reads are ringed, the others say so
            width = self.theme.line_width + 1
            items.extend(ring(self.slot_grids[slot], c.chip, width, ("ring", f"input:{slot}")) for slot in read)
            if self.numbers:
                for slot in set(range(self.slots)) - set(read):
                    text, face, tag = f"not read by filter {k}", self.text_font, ("partial", slot)
                    items.append(Text(self.partial_xy[slot], text, face, c.muted, self.background, tag=tag))
        items.extend(self._outputs(i, j, k))
        if self.products_panel is not None:
            items.extend(self.products_panel.moving(step))
        if self.numbers:
            items.extend(self._sums(step))
        if self.chart is not None:
            items.extend(self.chart.marker(float(step.pre_activation), float(step.value)))
        if self.layout == "oblique":
            items.extend(self.arranged.connectors(step, read))
        return tuple(items)

    def _group_panel(self, group: int) -> list[Item]:
        """The input channels of one group, drawn in full in the slots, with their titles (made once per group)."""
        if group not in self._group_panels:
            items: list[Item] = []
            for slot in range(self.slots):
                channel = group * self.per_group + slot
                items.extend(self._input_panel(slot, channel))
                if self.numbers:
                    items.append(
                        self.label(
                            self.slot_title_xy[slot], self.names[channel], self.title_font, ("title", f"input:{slot}")
                        )
                    )
            self._group_panels[group] = items
        return self._group_panels[group]

    def _footprint(self, slot: int, channel: int, position: int, k: int, origin: tuple[int, int]) -> list[Item]:
        """The taps of filter ``k`` on one input channel, shaded, each value with its weight in a chip."""
        grid, c, layer = self.slot_grids[slot], self.colours, self.layer
        rows, cols = window_taps(origin, layer.kernel_shape, layer.dilation)
        items: list[Item] = []
        for u, r in enumerate(rows):
            for v, col in enumerate(cols):
                padding = layer.is_padding(r, col)
                fill = c.shaded_padding if padding else self.fills.input(channel, layer.padded[r, col, channel], True)
                items.append(Box(grid.interior(r, col), fill, plane=grid.plane, tag=("footprint", grid.name, r, col)))
                if self.numbers:
                    items.append(self.input_value(grid, channel, r, col, shaded=True))
                    items.extend(self.chip(grid, r, col, self.weight_text[u, v, position, k]))
        return items

    def _kernel_cells(self, grid: Grid) -> list[Item]:
        return [
            Box(grid.interior(u, v), self.colours.chip, tag=("kernel-cell", grid.name, u, v))
            for u, v in np.ndindex(grid.rows, grid.cols)
        ]

    def _kernel_weights(self, slot: int, position: int, k: int) -> list[Item]:
        """Filter ``k``'s weights for the channel in ``slot`` (its cells too, when only some filters read it)."""
        grid, c = self.kernel_grids[slot], self.colours
        items: list[Item] = [] if self.every_slot_read else self._kernel_cells(grid)
        for u, v in np.ndindex(grid.rows, grid.cols):
            text, tag = self.weight_text[u, v, position, k], ("weight", grid.name, u, v)
            items.append(Text(grid.centre(u, v), text, self.weight_font, c.chip_ink, c.chip, "mm", tag=tag))
        return items

    def _outputs(self, i: int, j: int, k: int) -> list[Item]:
        c, items = self.colours, []
        width = self.theme.line_width + 1
        if not self.compact:
            grid = self.panels[k]
            if self.layer.out_channels > 1:
                items.append(ring(grid, c.chip, width, ("ring", grid.name)))
            return items + self._output_cell(grid, i, j, self.post[i, j, k], shaded=True)
        grid = self.panels[0]
        if self.numbers:
            items.append(self.label(self.panel_title_xy[0], self.panel_title(k), self.title_font, ("title", "output")))
        cols = self.layer.output_shape[1]
        for done in range(i * cols + j):  # this filter's outputs so far: a compact frame keeps them for one filter only
            a, b = divmod(done, cols)
            items.extend(self._output_cell(grid, a, b, self.post[a, b, k], shaded=False))
        items.extend(self._output_cell(grid, i, j, self.post[i, j, k], shaded=True))
        items.append(ring(self.map_grids[k], c.chip, 2, ("ring", f"map:{k}"), pad=3))
        return items

    # -- the protocol's words ------------------------------------------------------------

    def caption(self, index: int) -> str:
        return layer_caption(self.layer, self.layer.step(index))

    def step_label(self, index: int) -> str:
        i, j, k = self.layer.step(index).out_index
        return f"step {index % self.layer.num_steps + 1}: out[{i}, {j}, {k}]"

    def sheet_columns(self) -> int:
        return self.layer.output_shape[1]

    def moving_colours(self) -> tuple[set, set]:
        return self.magnifier.moving_colours() if self.magnifier is not None else self._moving_colours

    @cached_property
    def _moving_colours(self) -> tuple[set, set]:
        c, bg = self.colours, self.background
        fills = {c.shaded_input, c.shaded_padding, c.shaded_output, c.output, c.input, c.chip, c.grid, c.muted, bg}
        fills.add(c.padding_grid)  # a group drawn in full only while its filters run: its dashed padding
        cells = self.fills.all_inputs(self.layer.in_channels) | self.fills.all_outputs(1)
        fills |= cells
        pairs: set = set()
        if self.numbers:
            pairs = {(c.chip_ink, c.chip), (c.ink_on(bg), bg), (c.muted, bg)}
            pairs |= {(c.ink_on(fill), fill) for fill in cells | {c.shaded_output, c.output}}
            for r, col in np.ndindex(self.layer.padded.shape[:2]):  # padding's own styles
                for shaded in (True, False):
                    _, ink, fill = self.value_style(0, r, col, shaded)
                    pairs.add((ink, fill))
        if self.products_panel is not None:
            pairs |= self.products_panel.panel.moving_colours()[1]
        return fills, pairs
