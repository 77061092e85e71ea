"""How a layer's cells are sized and set out in one theme: a mixin of :class:`~visualizer.scenes.layer.LayerScene`.

Fitting a frame (:mod:`.panel_fit`) lays the cells out in the style's theme and
in smaller ones; everything here follows the theme in use: the cells, the
kernels' cells, the titles, the header's wrapping and the products panel.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..layer_text import group_phrase, header_parts, kind_sentence, shape_lines
from .base import pack, text_width, widest
from .conv_layout import samples
from .items import Font, Grid
from .layer_layout import layout
from .layer_products import every_partial_sum, products_panel
from .products import every_product


class LayerSizes:
    """Sizes, grids and the header of a scene with ``layer``, ``post`` and a theme."""

    def use_theme(self, theme) -> None:
        super().use_theme(theme)
        self.title_height = round(theme.title_size * 1.6) if self.numbers else 0
        self.products_panel = None  # made for the theme, by the cells' layout or the magnifier

    def _lay_out(self, panel: bool = True) -> None:
        """Numbered cells in the current theme: their sizes, then every panel's place; without the products
        ``panel``, each channel's sum is written out on a line (shorter frames)."""
        t, layer = self.theme, self.layer
        self.pad_font = Font(t.value_size, "oblique" if layer.pad_mode != "zeros" else "regular")
        self.cell = self.fit_cell(np.concatenate([layer.padded.ravel(), self.post.ravel()]), layer.weights)
        self.kernel_cell = int(max(t.weight_size * 2.4, widest(layer.weights, self.weight_font) + 8))
        self.products_panel = products_panel(self) if panel else None
        self.slot_grids: list[Grid] = []
        self.kernel_grids: list[Grid] = []
        self.panels: list[Grid] = []
        self.map_grids: list[Grid] = []
        self.channel_grids: list[Grid] = []
        self.slot_title_xy, self.kernel_title_xy, self.partial_xy, self.panel_title_xy = [], [], [], []
        self.map_label_xy, self.channel_label_xy = [], []
        self.arranged = layout(self)
        self.arranged.arrange()

    @cached_property
    def panel_samples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The values, products and partial sums the products panel is sized for (samples of large layers')."""
        values = samples(self.layer.padded)
        return values, samples(every_product(values, self.layer.weights)), samples(every_partial_sum(self.layer))

    # -- sizes and grids -----------------------------------------------------------------

    def small_grid(self, name: str, x: float, y: float, rows: int, cols: int) -> Grid:
        grid = Grid(name, x, y, rows, cols, self.small_cell, 1, self.colours.empty_grid, tag=("grid", name))
        self.grids[name] = grid
        return grid

    def kernel_grid(self, name: str, x: float, y: float) -> Grid:
        rows, cols = self.layer.kernel_shape
        lw = self.theme.line_width
        # lines in the background's colour part the weights' dark cells as chips are parted
        grid = Grid(name, x, y, rows, cols, self.kernel_cell, lw, self.background, tag=("grid", name))
        self.grids[name] = grid
        return grid

    def panel_title(self, k: int) -> str:
        return f"filter {k}{group_phrase(self.layer, k)}"

    def panel_title_width(self) -> int:
        """The widest title an output map can have, so neighbouring titles never overlap."""
        if not self.numbers:
            return 0
        return round(max(text_width(self.panel_title(k), self.title_font) for k in range(self.layer.out_channels)))

    def header_top(self, width: int) -> int:
        t, face, wrap = self.theme, self.text_font, width - 2 * self.theme.margin
        kind = kind_sentence(self.layer)
        self.header = []
        if self.numbers:
            self.header = pack(header_parts(self.layer), face, wrap, " · ", "") + ([kind] if kind else [])
            self.header += pack(shape_lines(self.layer), face, wrap, "    ", "")
        return t.margin + len(self.header) * self.line_height + (t.margin // 2 if self.header else 0)
