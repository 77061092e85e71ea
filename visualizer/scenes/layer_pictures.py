"""A layer too large for numbered cells: its channels and feature maps as pictures, and a magnifier on the step.

A mixin of :class:`~visualizer.scenes.layer.LayerScene` for the magnifier
(:mod:`.magnifier`), which lays out and draws the pictures as it does a
convolution's: each input channel a grey picture (a filter multiplies each
channel by its own slice, so each channel is its own picture, and a grouped
layer's footprint shows which channels the filter reads), each filter's output
map a picture filling in as its steps go, the current value outlined on the
current filter's map only. The magnifier (:class:`LayerWindow`) is the layer's
products panel (window ⊙ kernel slice = products, Σ, per channel of the
filter's group) with the sum plus the bias, the activation and its chart, as
the numbered frame shows them.

>>> import numpy as np
>>> from visualizer import ConvLayer
>>> from visualizer.scenes import scene_builder
>>> layer = ConvLayer(np.zeros((200, 200, 3)), np.ones((3, 3, 3, 2)), activation="relu")
>>> builder = scene_builder(layer, max_size=(1920, 1080))
>>> sorted(builder.picture_panels), builder.size[0] <= 1920 and builder.size[1] <= 1080
(['input:0', 'input:1', 'input:2', 'output:0', 'output:1'], True)
>>> scene = builder.scene(40_000)
>>> scene.text_at("total",), scene.text_at("activation",)
('sum = 0 + 0 + 0 = 0', 'relu: 0 → 0')
"""

from __future__ import annotations

from typing import Any

from ..geometry import window_taps
from .base import text_width
from .items import Item
from .layer_parts import ActivationChart
from .layer_products import products_panel
from .pictures import Source


class LayerPictures:
    """What a layer's scene tells the magnifier (see the module's description)."""

    def input_name(self, channel: int) -> str:
        return f"input:{channel}"

    def output_name(self, channel: int) -> str:
        return f"output:{channel}"

    def picture_label(self, kind: str, channel: int) -> str:
        return self.names[channel] if kind == "input" else f"filter {channel}"

    def picture_marks(self, step: Any) -> tuple[list, list]:
        """The footprint on each channel the step's filter reads; its value on that filter's map only."""
        layer, (i, j, k) = self.layer, step.out_index
        rows, cols = window_taps(step.origin, layer.kernel_shape, layer.dilation)
        box = (rows[0], cols[0], rows[-1] + 1, cols[-1] + 1)
        read = step.input_channels
        footprints = [box if channel in read else None for channel in range(layer.in_channels)]
        return footprints, [(i, j, i + 1, j + 1) if f == k else None for f in range(layer.out_channels)]

    def outputs_so_far(self, step: Any) -> tuple[None, list[int]]:
        """Filters before the step's are done, later ones not begun; the step's own is done up to its value."""
        (i, j, k), (rows, cols) = step.out_index, self.layer.output_shape
        return None, [rows * cols if f < k else i * cols + j + 1 if f == k else 0 for f in range(len(self.post[0, 0]))]

    def picture_source(self) -> Source:
        """What the pictures show: the padded input, a filter's footprint, every filter's output map."""
        layer = self.layer
        return Source(layer.padded, layer.image.shape, layer.pads, layer.kernel_shape, layer.dilation, self.post)

    def window_panel(self) -> LayerWindow | None:
        """The magnifier (None when the filter sums too many channels for a panel: the lines say it all)."""
        self.products_panel = products_panel(self)
        return LayerWindow(self) if self.products_panel is not None else None

    def magnifier_moving(self, step: Any) -> list[Item]:
        return self.products.moving(step)

    def written_lines(self) -> int:
        """Lines written under the pictures: the sums, when no magnifier shows them."""
        return self.sum_lines if self.products is None else 0

    def arithmetic_lines(self, step: Any) -> list[Item]:
        return self._sums(step) if self.products is None else []

    def finish(self, width: int, bottom: int, *, place_products: bool = True) -> None:
        """Place the magnifier under the pictures (unless placed beside them), then the lines; set the size."""
        t = self.theme
        if self.products is not None and place_products:
            width = max(width, self.products.width + 2 * t.margin)
            self.products.place(t.margin, bottom + t.margin)
            bottom += t.margin + self.products.height
        lines = self.written_lines()
        if lines:  # otherwise the magnifier has placed its own
            self.sum_xy, self.sum_width = (t.margin, bottom + t.margin), width - 2 * t.margin
        height = bottom + t.margin + lines * self.line_height + (t.margin if lines else 0)
        self.size = (width + width % 2, height + height % 2)

    def picture_still(self) -> list[Item]:
        """The header, the pictures' titles, the pictures of the input and the magnifier's still parts."""
        t = self.theme
        items: list[Item] = [
            self.label((t.margin, t.margin + k * self.line_height), line, self.text_font, ("header", k))
            for k, line in enumerate(self.header)
        ]
        if self.numbers:
            items += [self.label((x, y), title, self.title_font, ("title", name)) for x, y, title, name in self.titles]
        items += self.magnifier.still()
        return items + (self.products.still() if self.products is not None else [])


class LayerWindow:
    """The layer's magnifier: the products panel; under it the sum plus bias and the activation, and the chart.

    It has what the magnifier asks of a products panel: ``width``, ``height``,
    :meth:`place`, :meth:`window_grid`, :meth:`still`, :meth:`moving_colours`.
    """

    def __init__(self, scene: Any):
        self.s = s = scene
        t = s.theme
        self.panel = s.products_panel.panel
        total = max(s.longest_labels[1], key=len)
        # the partial sums, the bias and the total, each about as wide as the widest total
        widest = f"sum + bias = {' − '.join([total] * (s.per_group + 1))} = {total}"
        self.lines_w = round(text_width(widest, s.text_font))
        self.lines_h = s.sum_lines * s.line_height
        self.chart_w, self.chart_h = round(t.text_size * 9), round(t.text_size * 5.5)
        under = self.lines_h
        beside = 0
        if s.layer.activation is not None:
            beside = 2 * t.gap + self.chart_w
            under = max(under, s.title_height + self.chart_h + s.line_height)
        self.width = max(self.panel.width, self.lines_w + beside)
        self.height = self.panel.height + under
        self.x = self.y = 0

    def place(self, x: int, y: int) -> None:
        s = self.s
        self.x, self.y = x, y
        self.panel.place(x, y)
        lines_y = y + self.panel.height
        s.sum_xy, s.sum_width, s.chart = (x, lines_y), self.lines_w, None
        if s.layer.activation is not None:
            x0, y0 = x + self.width - self.chart_w, lines_y + s.title_height
            c, span = s.colours, (float(s.pre.min()), float(s.pre.max()))
            box = (x0, y0, x0 + self.chart_w, y0 + self.chart_h)
            s.chart = ActivationChart(s.layer.activation, span, box, s.weight_font, (c.grid, c.muted, c.chip))

    def window_grid(self, row: int) -> Any:
        return self.panel.window_grid(row)

    def still(self) -> list[Item]:
        s, items = self.s, self.panel.still()
        if s.chart is not None:
            x0, y0, _, _ = s.chart.box
            items.append(s.label((x0, y0 - s.title_height), s.layer.activation, s.title_font, ("title", "chart")))
            items += s.chart.still(s.background, s.colours.ink_on(s.background))
        return items

    def moving(self, step: Any) -> list[Item]:
        """The step's windows, kernel slices, products and partial sums; the sum plus bias; the activation."""
        s = self.s
        items = s.products_panel.moving(step) + s._sums(step)
        if s.chart is not None:
            items += s.chart.marker(float(step.pre_activation), float(step.value))
        return items

    def moving_colours(self) -> tuple[set, set]:
        c = self.s.colours
        fills, pairs = self.panel.moving_colours()
        return fills | {c.grid, c.muted, c.chip}, pairs | {(c.ink_on(self.s.background), self.s.background)}
