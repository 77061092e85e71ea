"""Where a layer's panels go: flat (panels in rows) or oblique (AnimatedAI's stacks of tilted channels).

Both layouts read the same order, top to bottom: the header; the input channels
the current filter reads, each with its kernel slice beside it and its partial
sum below it; small maps of every input channel when only a group is shown; the
sums (each channel's window ⊙ kernel = products and Σ in the products panel, or
written out; then plus the bias) and the activation's chart; then the
output feature maps, one per filter, or the current filter's in full and every
filter as a small map. The oblique layout tilts the input channels and the
output maps as conv_arithmetic's planes, one above the other like a stack taken
apart, the outputs' stack to the right of the inputs'.
"""

from __future__ import annotations

import math
from typing import Any

from ..geometry import window_taps
from .items import Grid, Item, Line, apply
from .layer_parts import visible_parts
from .oblique import NUMBERS_ZOOM, extent, matrix

PER_ROW = 4  # full panels side by side before a new row starts
MAPS_PER_ROW = 8  # small maps side by side
SMALL_GAP = 8


def _even(width: float, height: float) -> tuple[int, int]:
    width, height = math.ceil(width), math.ceil(height)
    return (width + width % 2, height + height % 2)


class _Layout:
    """What both layouts share: the small maps, the sum block and the chart."""

    def __init__(self, scene: Any):
        self.s = scene
        s = scene
        self.t = s.theme
        self.label_h = s.line_height if s.numbers else 0
        rows, cols = s.layer.output_shape
        self.map_size = (cols * s.small_cell + 1, rows * s.small_cell + 1)
        prows, pcols = s.layer.padded.shape[:2]
        self.thumb_size = (pcols * s.small_cell + 1, prows * s.small_cell + 1)

    def strip_width(self, count: int, size: tuple[int, int]) -> int:
        per_row = min(count, MAPS_PER_ROW)
        return per_row * (size[0] + SMALL_GAP) - SMALL_GAP

    def strip(self, kind: str, count: int, size: tuple[int, int], x: int, y: int) -> int:
        """Small grids ``kind:0`` … in rows from ``(x, y)``, each labelled with its number below; the y after.

        The scene gets them as ``<kind>_grids`` and where their labels go as ``<kind>_label_xy``.
        """
        s, per_row = self.s, min(count, MAPS_PER_ROW)
        rows_in, cols_in = (size[1] - 1) // s.small_cell, (size[0] - 1) // s.small_cell
        grids, labels = [], []
        pitch = size[1] + self.small_label_h() + SMALL_GAP // 2
        for index in range(count):
            row, col = divmod(index, per_row)
            gx, gy = x + col * (size[0] + SMALL_GAP), y + row * pitch
            grids.append(s.small_grid(f"{kind}:{index}", gx, gy, rows_in, cols_in))
            labels.append((gx + size[0] / 2, gy + size[1] + 2))
        setattr(s, kind + "_grids", grids)
        setattr(s, kind + "_label_xy", labels)
        return y + math.ceil(count / per_row) * pitch

    def small_label_h(self) -> int:
        return round(self.t.weight_size * 1.5) if self.s.numbers else 0

    def sums(self, width: int, y: int) -> int:
        """Place the sum block from ``y``: the products panel and the lines under it at the left, the chart
        at the right; the y after it."""
        s, t = self.s, self.t
        if not s.numbers:
            s.sum_xy, s.sum_width, s.chart_box = (t.margin, y), 0, None
            return y
        y += t.margin // 2
        chart_w, chart_h = round(t.text_size * 9), round(t.text_size * 5.5)
        lines_y = y
        if s.products_panel is not None:
            s.products_panel.panel.place(t.margin, y)
            lines_y += s.products_panel.panel.height
        height = lines_y - y + s.sum_lines * s.line_height
        s.chart_box = None
        right = width - t.margin
        if s.layer.activation is not None:
            x0 = min(right - chart_w, round(t.margin + s.natural_sum_width() + 2 * t.gap))
            s.chart_box = (x0, y + s.title_height, x0 + chart_w, y + s.title_height + chart_h)
            right = x0 - t.gap
            height = max(height, s.title_height + chart_h + s.line_height)
        s.sum_xy, s.sum_width = (t.margin, lines_y), right - t.margin
        return y + height + t.margin // 2

    def finish(self, width: int, bottom: int) -> None:
        self.s.size = _even(width, bottom + self.t.margin)

    def thumbs(self, y: int) -> int:
        s = self.s
        if not s.split:
            return y
        s.thumbs_title_xy = (self.t.margin, y)
        return self.strip("channel", s.layer.in_channels, self.thumb_size, self.t.margin, y + s.title_height)


class FlatLayer(_Layout):
    """Panels in rows: input channels with their kernels, the sums, the output maps."""

    def arrange(self) -> None:
        s, t = self.s, self.t
        layer, cell, lw, band = s.layer, s.cell, t.line_width, s.panel_band()
        (prows, pcols), (orows, ocols) = layer.padded.shape[:2], layer.output_shape
        in_w, in_h = band + pcols * cell + lw, band + prows * cell + lw
        kern_w = t.gap // 2 + layer.kernel_shape[1] * s.kernel_cell + lw if s.numbers else 0
        slot_w, per_row = in_w + kern_w, min(s.slots, PER_ROW)
        out_w, out_h = band + ocols * cell + lw, band + orows * cell + lw
        out_w = max(out_w, s.panel_title_width() + SMALL_GAP)
        panels = 1 if s.compact else layer.out_channels
        per_row_out = min(panels, PER_ROW)
        outputs_w = per_row_out * (out_w + t.gap) - t.gap
        if s.compact:
            outputs_w += t.gap + self.strip_width(layer.out_channels, self.map_size)
        thumbs_w = self.strip_width(layer.in_channels, self.thumb_size) if s.split else 0
        inputs_w = per_row * (slot_w + t.gap) - t.gap
        width = max(2 * t.margin + max(inputs_w, outputs_w, thumbs_w), s.min_width())
        y = s.header_top(width)
        slot_h = s.title_height + in_h + self.label_h + t.gap // 2
        for slot in range(s.slots):
            row, col = divmod(slot, per_row)
            x, top = t.margin + col * (slot_w + t.gap), y + row * slot_h
            s.slot_title_xy.append((x, top))
            s.slot_grids.append(
                s.grid(f"input:{slot}", x + band, top + s.title_height + band, prows, pcols, padding=True)
            )
            if s.numbers:
                kx = x + in_w + t.gap // 2
                s.kernel_title_xy.append((kx, top))
                s.kernel_grids.append(s.kernel_grid(f"kernel:{slot}", kx, top + s.title_height + band))
            s.partial_xy.append((x + band, top + s.title_height + in_h + 4))
        y += math.ceil(s.slots / per_row) * slot_h
        y = self.thumbs(y)
        y = self.sums(width, y)
        panel_h = s.title_height + out_h + t.gap // 2
        for p in range(panels):
            row, col = divmod(p, per_row_out)
            x, top = t.margin + col * (out_w + t.gap), y + row * panel_h
            s.panel_title_xy.append((x, top))
            name = "output" if s.compact else f"output:{p}"
            s.panels.append(s.grid(name, x + band, top + s.title_height + band, orows, ocols))
        bottom = y + math.ceil(panels / per_row_out) * panel_h
        if s.compact:
            x = t.margin + out_w + t.gap
            s.maps_title_xy = (x, y)
            bottom = max(bottom, self.strip("map", layer.out_channels, self.map_size, x, y + s.title_height))
        self.finish(width, bottom)


class ObliqueLayer(_Layout):
    """The input channels tilted and stacked, each with its kernel at its left; the output maps' stack at the right."""

    def arrange(self) -> None:
        s, t = self.s, self.t
        if s.numbers:
            s.cell = round(s.cell * NUMBERS_ZOOM)
        layer, cell, lw = s.layer, s.cell, t.line_width
        (prows, pcols), (orows, ocols) = layer.padded.shape[:2], layer.output_shape
        inside = extent(pcols * cell + lw, prows * cell + lw)
        outside = extent(ocols * cell + lw, orows * cell + lw)
        in_w, in_h = inside[2] - inside[0], inside[3] - inside[1]
        out_w, out_h = outside[2] - outside[0], outside[3] - outside[1]
        pitch = max(out_w, s.panel_title_width() + SMALL_GAP)
        kernel_rows, kernel_cols = layer.kernel_shape
        kern_w = kernel_cols * s.kernel_cell + lw + t.gap // 2 if s.numbers else 0
        slot_h = s.title_height + in_h + self.label_h + t.gap // 2
        panels = 1 if s.compact else layer.out_channels
        panel_h = s.title_height + out_h + t.gap // 2
        # a grouped layer's maps stand in rows beside the channels their filters read: what feeds what, at a glance
        by_group = layer.groups > 1 and not (s.split or s.compact) and panel_h <= s.per_group * slot_h
        if by_group:
            columns, per_column = layer.out_channels // layer.groups, layer.groups
        else:
            per_column = max(s.slots, 2)
            columns = math.ceil(panels / per_column)
            per_column = math.ceil(panels / columns)
        x_out = t.margin + kern_w + in_w + 2 * t.gap
        maps_h = maps_w = 0
        if s.compact:
            maps_w = self.strip_width(layer.out_channels, self.map_size)
            rows = math.ceil(layer.out_channels / MAPS_PER_ROW)
            maps_h = s.title_height + rows * (self.map_size[1] + self.small_label_h() + SMALL_GAP // 2)
        outputs_w = max(columns * (pitch + t.gap) - t.gap, maps_w)
        thumbs_w = self.strip_width(layer.in_channels, self.thumb_size) if s.split else 0
        width = max(x_out + outputs_w + t.margin, 2 * t.margin + thumbs_w, s.min_width())
        y = s.header_top(width)
        inputs_h = s.slots * slot_h
        outputs_h = inputs_h if by_group else per_column * panel_h + maps_h
        body = max(inputs_h, outputs_h)
        in_top, out_top = y + (body - inputs_h) / 2, y + (body - outputs_h) / 2
        for slot in range(s.slots):
            top = in_top + slot * slot_h
            left = t.margin + kern_w
            plane = s.add_plane(matrix(left - inside[0], top + s.title_height - inside[1]))
            s.slot_title_xy.append((left, top))
            s.slot_grids.append(s.grid(f"input:{slot}", 0, 0, prows, pcols, padding=True, plane=plane))
            if s.numbers:
                kernel_h = kernel_rows * s.kernel_cell + lw
                ky = round(top + s.title_height + (in_h - kernel_h) / 2)
                s.kernel_title_xy.append((t.margin, ky - s.title_height))
                s.kernel_grids.append(s.kernel_grid(f"kernel:{slot}", t.margin, ky))
            s.partial_xy.append((left, top + s.title_height + in_h + 2))
        for p in range(panels):
            if by_group:
                group, column = divmod(p, columns)
                band = s.per_group * slot_h
                top = in_top + group * band + (band - panel_h) / 2
            else:
                column, row = divmod(p, per_column)
                top = out_top + row * panel_h
            x = x_out + column * (pitch + t.gap)
            plane = s.add_plane(matrix(x - outside[0], top + s.title_height - outside[1]))
            s.panel_title_xy.append((x, top))
            s.panels.append(s.grid("output" if s.compact else f"output:{p}", 0, 0, orows, ocols, plane=plane))
        if s.compact:
            maps_top = round(out_top + per_column * panel_h)
            s.maps_title_xy = (x_out, maps_top)
            self.strip("map", layer.out_channels, self.map_size, x_out, maps_top + s.title_height)
        y = self.thumbs(round(y + body))
        self.finish(width, self.sums(width, y))

    def connectors(self, step: Any, read: range) -> list[Item]:
        """Lines from each read channel's footprint corners towards the output cell's corners: what feeds what.

        As in conv_arithmetic, the planes are opaque: a line shows over the plane it starts from and goes
        behind the other input channels and the output maps, so it ends where it meets the output's edge.
        """
        s, (i, j, k) = self.s, step.out_index
        target = s.panels[0 if s.compact else k]
        rows, cols = window_taps(step.origin, s.layer.kernel_shape, s.layer.dilation)
        high = [apply(s.planes[target.plane], p) for p in target.corners(i, j, i + 1, j + 1)]
        width = max(1, s.theme.line_width // 2)
        items: list[Item] = []
        for slot in read:
            source = s.slot_grids[slot]
            covers = [self._outline(grid) for grid in s.slot_grids + s.panels if grid is not source]
            low = source.corners(rows[0], cols[0], rows[-1] + 1, cols[-1] + 1)
            for corner, (a, b) in enumerate(zip(low, high, strict=True)):
                for part in visible_parts(apply(s.planes[source.plane], a), b, covers):
                    items.append(Line(part, s.colours.grid, width, tag=("connector", slot, corner)))
        return items

    def _outline(self, grid: Grid) -> list:
        return [apply(self.s.planes[grid.plane], p) for p in grid.corners(0, 0, grid.rows, grid.cols)]


def layout(scene: Any) -> _Layout:
    """The layout the scene's style asks for."""
    return ObliqueLayer(scene) if scene.layout == "oblique" else FlatLayer(scene)
