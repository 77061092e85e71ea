"""Inputs too large for numbered cells: the pictures themselves, and a magnifier on the current window.

When a scene's cells would be too small to read (:mod:`.fit`), the padded
input and the output are drawn as pictures, one square block per value, grey
or in colour; padding stays visible (a ring marks where the image ends inside
it). The kernel's footprint is outlined on the input picture and the current
output value on the output picture, which fills in as the steps go; a
magnifier (the products panel, :mod:`.products`: window ⊙ kernel = products,
Σ) shows the window large with its numbers, joined to the footprint by a line,
and the step's sum is written out under it. Flat: the pictures side by side,
the magnifier under them or on their right; oblique: conv_arithmetic's tilted
planes (output above input), the magnifier upright on the right. A long 1-D
signal is drawn as plots instead (:mod:`.plots`), upright in both layouts: a
tilted plane would slant a waveform's value axis and read as a picture again.

>>> import numpy as np
>>> from visualizer import Convolution
>>> from visualizer.scenes import scene_builder
>>> builder = scene_builder(Convolution(np.zeros((300, 300)), np.ones((3, 3))), max_size=(1920, 1080))
>>> builder.magnifier is not None, builder.size[0] <= 1920 and builder.size[1] <= 1080
(True, True)
>>> builder.scene(5).text_at("products", 0, "sum")
'Σ = 0'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..geometry import window_taps
from ..text import display_number
from .base import text_width
from .items import Box, Item, Line, Pixels, apply
from .magnifier_line import choose, route
from .oblique import extent, matrix, visible_part
from .pictures import Pictures, PixelPanel, Source
from .plots import PlotPanel, plot_moving, plot_still, sample_mark, value_span
from .shading import ACCENT, POSITIVE


class Magnifier:
    """Lays out and draws a scene whose cells became pictures of ``source`` (see the module's description).

    The scene gives the products panel (``products``, or None: the written-out
    arithmetic carries the numbers) and ``magnifier_moving(step)`` for it.
    """

    def __init__(self, scene: Any, source: Source):
        self.scene = scene
        self.source = source
        self.pictures = Pictures(scene, source)
        self.panels: dict[str, PixelPanel | PlotPanel] = {}
        self.plan = self._plans()[0]  # the flat pictures' rows
        # a signal (one row of values) reads as a line over a value axis, not a strip of grey
        self.plots = source.padded.ndim == 2 and source.padded.shape[0] == 1 and not scene.rgb

    # -- layout ------------------------------------------------------------------------

    def arrange(self) -> None:
        s = self.scene
        s.titles = []
        width = s.max_size[0]
        if self.plots:
            self._place_plots(s.header_top(width), width)
            return
        for _ in range(4):  # the header wraps to the frame's width, which depends on the pictures' size
            top = s.header_top(width)
            px, right = self._fit(top)
            placed = self._place(top, px, right)
            if placed >= width:
                break
            width = placed
        size = None
        while not self._fits() and px > 0.05 and s.size != size:  # rounding may overshoot by a pixel or two
            size, px = s.size, px * 0.97
            self._place(top, px, right)

    @property
    def px(self) -> float:
        """Pixels a value the pictures are drawn at (plots: as many as they need)."""
        return min((getattr(panel, "px", math.inf) for panel in self.panels.values()), default=math.inf)

    def _fits(self) -> bool:
        limit = self.scene.max_size
        return self.scene.size[0] <= limit[0] and self.scene.size[1] <= limit[1]

    def _sizes(self) -> tuple[int, int, int, int]:
        source = self.source
        (prows, pcols), (orows, ocols) = source.padded.shape[:2], source.output_shape
        return prows, pcols, orows, ocols

    def _tail(self) -> int:
        """Height under the pictures that is not the magnifier: the written-out sums."""
        s, t = self.scene, self.scene.theme
        lines = s.written_lines() if s.numbers else 0
        return t.margin + lines * s.line_height + (t.margin if lines else 0)

    def _fit(self, top: int) -> tuple[float, bool]:
        """The pixels per value that fill the frame best, and whether the magnifier goes right (else below)."""
        s, t = self.scene, self.scene.theme
        width, height = s.max_size
        prows, pcols, orows, ocols = self._sizes()
        n_in, n_out = len(self.pictures.inputs), len(self.pictures.outputs)
        products = s.products
        pw = products.width + t.gap if products else 0
        ph = products.height + t.margin if products else 0
        title = round(t.title_size * 1.6)
        if s.layout == "oblique":
            inside, outside = extent(pcols, prows), extent(ocols, orows)
            column, n = max(inside[2] - inside[0], outside[2] - outside[0]), max(n_in, n_out)
            across = (width - 2 * t.margin - (n - 1) * t.gap - pw) / (n * column)
            tall = outside[3] - outside[1] + inside[3] - inside[1]
            down = (height - top - 2 * title - self._tail() - t.margin) / tall
            return _whole(min(across, down)), True
        room = width - 2 * t.margin
        tall = height - top - self._tail()
        best = (-1.0, False)
        for plan in self._plans():
            under = self._flat_px(plan, room, tall - ph)
            beside = self._flat_px(plan, room - pw, tall)
            if products and products.height + title > tall:
                beside = 0
            for px, right in ((beside, True), (under, False)):
                if px > best[0]:
                    best, self.plan = (px, right), plan
        return _whole(best[0]), best[1]

    def _plans(self) -> list[list[list[tuple[str, Any]]]]:
        """Ways to set the flat pictures out, as rows: all in one row; or the inputs in rows of k, then the outputs
        in rows of k (many channels and filters: a layer's)."""
        inputs, outputs = self.pictures.inputs, self.pictures.outputs
        plans = [[[*inputs, *outputs]]]
        for k in range(1, max(len(inputs), len(outputs)) + 1):
            plans.append([part[at : at + k] for part in (inputs, outputs) for at in range(0, len(part), k)])
        return plans

    def _flat_px(self, plan: list, width: float, height: float) -> float:
        """The largest pixels a value at which the rows of ``plan`` fit ``width`` × ``height``."""
        t = self.scene.theme
        title = round(t.title_size * 1.6)
        across = min((width - (len(row) - 1) * t.gap) / sum(p.shape[1] for _, p in row) for row in plan)
        values_down = sum(max(p.shape[0] for _, p in row) for row in plan)
        down = (height - len(plan) * title - (len(plan) - 1) * t.margin) / values_down
        return min(across, down)

    def _place(self, top: int, px: float, right: bool) -> int:
        """Put the pictures and the magnifier at ``px`` pixels a value; the frame's width."""
        s, t = self.scene, self.scene.theme
        s.grids, s.planes, s.titles, self.panels = {}, s.planes[:1], [], {}
        prows, pcols, orows, ocols = self._sizes()
        title = round(t.title_size * 1.6)
        if s.layout == "oblique":
            inside, outside = extent(pcols * px, prows * px), extent(ocols * px, orows * px)
            column = max(inside[2] - inside[0], outside[2] - outside[0])
            outputs, inputs = self.pictures.outputs, self.pictures.inputs
            n = max(len(inputs), len(outputs))
            upper = top + title
            lower = upper + outside[3] - outside[1] + title
            # the output planes in a row above the input planes', each row centred on the widest
            rows = ((outputs, upper, (orows, ocols), outside), (inputs, lower, (prows, pcols), inside))
            for row, y, shape, box in rows:
                for k, (name, _) in enumerate(row):
                    centre = t.margin + (k + (n - len(row)) / 2) * (column + t.gap) + column / 2
                    x, plane_y = centre - (box[0] + box[2]) / 2, y - box[1]
                    self.panels[name] = PixelPanel(name, 0, 0, *shape, px, s.add_plane(matrix(x, plane_y)))
                    s.titles.append((x + box[0], y - title, self._title(name, column + t.gap / 2), name))
            x = round(t.margin + n * column + (n - 1) * t.gap + t.gap)
            bottom = round(lower + inside[3] - inside[1])
        else:
            y, right_edge = top, t.margin
            for row in self.plan:
                x = t.margin
                for name, positions in row:
                    rows, cols = positions.shape
                    self.panels[name] = PixelPanel(name, x, y + title, rows, cols, px)
                    # the longest title that ends before the next picture; a picture narrower than its
                    # shortest title makes room for it, so that titles never run into what follows
                    label = self._title(name, round(cols * px) + t.gap - 4)
                    s.titles.append((x, y, label, name))
                    x += max(round(cols * px), round(text_width(label, s.title_font)) - t.gap + 4) + t.gap
                right_edge = max(right_edge, x)
                y += title + round(max(p.shape[0] for _, p in row) * px) + t.margin
            x, bottom = right_edge, y - t.margin
        products = s.products
        if products and right:
            products.place(x, top)
            width = x + products.width + t.margin
            bottom = max(bottom, top + products.height)
        else:
            width = max(x - t.gap + t.margin, (products.width + 2 * t.margin) if products else 0)
        width = max(width, s.min_width())
        s.finish(width, bottom, place_products=not right)
        return s.size[0]

    def _place_plots(self, top: int, width: int) -> None:
        """The input's plot, the magnifier under it, the output's plot under that (each line down reads on to
        the next), the frame's width, as tall as the magnifier and the sums leave room for."""
        s, t = self.scene, self.scene.theme
        s.grids, s.planes, self.panels = {}, s.planes[:1], {}
        title = round(t.title_size * 1.6)
        (_, pcols, _, ocols), products = self._sizes(), s.products
        between = products.height + t.margin if products else 0
        tall = min(260, max(48, (s.max_size[1] - top - 2 * title - t.gap - between - self._tail() - t.margin) // 2))
        spans = value_span(self.source.padded), value_span(self.source.result)
        band = max(text_width(display_number(v), s.text_font) for span in spans for v in span) + t.margin
        x, y = t.margin + band, top + title
        names = [self.pictures.inputs[0][0], self.pictures.outputs[0][0]]
        for name, cols, span in zip(names, (pcols, ocols), spans, strict=True):
            self.panels[name] = PlotPanel(name, x, y, width - x - t.margin, tall, cols, *span)
            s.titles.append((t.margin, y - title, self._title(name), name))
            y += tall + t.gap
            if products and name == names[0]:
                products.place(t.margin, y - t.gap + t.margin)
                y += between - t.gap + t.margin
            y += title
        s.finish(max(width, s.min_width()), y - t.gap - title + t.margin // 2, place_products=False)

    def _title(self, name: str, room: float | None = None) -> str:
        """ "input 234×200, padded to 236×202", "output 232×198", with the channel's name for a channel's own;
        shorter ("input 234×200", then the channel's name) where it must fit ``room`` pixels."""
        source = self.source
        kind, _, channel = name.partition(":")
        label = self.scene.picture_label(kind, int(channel)) if channel else ""
        prefix = f"{label}: " if label else ""
        if self.plots:
            if kind != "input":
                return f"output, {source.output_shape[1]} samples"
            cols, pcols = source.image_shape[-1], source.padded.shape[1]
            return f"input, {cols} samples" + (f", {source.grown} to {pcols}" if pcols != cols else "")
        if kind != "input":
            titles = [prefix + "output {}×{}".format(*source.output_shape)]
        else:
            (rows, cols), (prows, pcols) = source.image_shape[:2], source.padded.shape[:2]
            padded = f", {source.grown} to {prows}×{pcols}" if (prows, pcols) != (rows, cols) else ""
            titles = [f"{prefix}input {rows}×{cols}{padded}", f"{prefix}input {rows}×{cols}"]
        titles.append(label or kind)
        face = self.scene.title_font
        return next((t for t in titles if room is None or text_width(t, face) <= room), titles[-1])

    # -- items -------------------------------------------------------------------------

    def still(self) -> list[Item]:
        """The input pictures, and a ring where the image ends inside its padding."""
        s = self.scene
        top, bottom, left, right = self.source.pads
        if self.plots:
            (name, panel), (_, out) = self.panels.items()
            return plot_still(s, panel, out, self.source.padded[0], self.source.result[0], (left, right))
        items: list[Item] = []
        for name, positions in self.pictures.inputs:
            panel = self.panels[name]
            box = panel.box(0, 0, panel.rows, panel.cols)
            items.append(Pixels(box, positions, self.pictures.input_table, panel.plane, ("pixels", name)))
            if any((top, bottom, left, right)) and panel.px >= 2:
                x0, y0, x1, y1 = panel.box(top, left, panel.rows - bottom, panel.cols - right)
                width = max(1, round(panel.px) // 3)
                ring = (x0 - width, y0 - width, x1 + width, y1 + width)
                edge = Box(ring, None, s.colours.padding_grid, width, plane=panel.plane, tag=("image-edge", name))
                items.append(edge)
        return items

    def moving(self, step: Any) -> list[Item]:
        """The footprint and the step's output outlined, the output so far, connectors and the magnifier."""
        s = self.scene
        footprint, target = s.picture_marks(step)
        values, hidden = s.outputs_so_far(step)
        items: list[Item] = []
        if self.plots:
            (name, panel), (out_name, out) = self.panels.items()
            taps = window_taps((0, footprint[1]), self.source.window, self.source.dilation)[1]
            result = (self.source.result if values is None else values)[0]
            # the line runs to the last value computed so far
            shown = int(np.flatnonzero(~hidden[0]).max(initial=-1) + 1) if isinstance(hidden, np.ndarray) else hidden
            items += plot_moving(s, panel, self.source.padded[0], taps, out, result[:shown])
            if target is not None:
                items.append(self._ring(out, *target, ("current", out_name, *target[:2])))
                items.append(sample_mark(out, target[1], result[target[1]], self.ring_width + 2))
        targets = []
        if not self.plots:
            positions = self.pictures.outputs
            if values is not None:
                positions = list(zip([n for n, _ in positions], self.pictures.positions_of(values), strict=True))
            count = len(positions)
            for (name, every), written, unknown in zip(
                positions, _each(target, count), _each(hidden, count), strict=True
            ):
                panel = self.panels[name]
                box = panel.box(0, 0, panel.rows, panel.cols)
                shown = self.pictures.shown(every, unknown)
                items.append(Pixels(box, shown, self.pictures.output_table, panel.plane, ("pixels", name)))
                if written is not None:
                    items.append(self._ring(panel, *written, ("current", name, *written[:2])))
                    targets.append((panel, written))
        footprints = []
        for (name, _), read in zip(self.pictures.inputs, _each(footprint, len(self.pictures.inputs)), strict=True):
            if read is not None:
                panel = self.panels[name]
                footprints.append((panel, *read))
                items.append(self._ring(panel, *read, ("footprint", name)))
        if s.layout == "oblique" and not self.plots:
            # each channel to its own output (a convolution's), or every window read to each value written
            if len(footprints) == len(targets):
                pairs = list(zip(footprints, targets, strict=True))
            else:
                pairs = [(read, written) for read in footprints for written in targets]
            items += self._connectors(pairs)
        if s.products is not None:
            items += self._magnifier_line(footprints)
            items += s.magnifier_moving(step)
        if s.numbers:
            items += s.arithmetic_lines(step)
        return items

    def _ring(self, panel: PixelPanel, r0: int, c0: int, r1: int, c1: int, tag: tuple) -> Box:
        """An outline just outside values ``r0…r1-1 × c0…c1-1``, clear of them."""
        width = self.ring_width
        x0, y0, x1, y1 = panel.box(r0, c0, r1, c1)
        return Box((x0 - width, y0 - width, x1 + width, y1 + width), None, ACCENT, width, plane=panel.plane, tag=tag)

    @property
    def ring_width(self) -> int:
        return max(2, self.scene.theme.line_width)

    def _connectors(self, pairs: list) -> list[Item]:
        """conv_arithmetic's lines from a footprint's corners to the output value's, cut behind the output, for
        each ((input panel, *footprint), (output panel, target)) of ``pairs``."""
        s = self.scene
        items: list[Item] = []
        for (source, *window), (panel, target) in pairs:
            name = panel.name
            low = [apply(s.planes[source.plane], p) for p in source.corners(*window)]
            high = [apply(s.planes[panel.plane], p) for p in panel.corners(*target)]
            cover = [apply(s.planes[panel.plane], p) for p in panel.corners(0, 0, panel.rows, panel.cols)]
            for k, (a, b) in enumerate(zip(low, high, strict=True)):
                part = visible_part(a, b, cover)
                if part is not None:
                    items.append(Line(part, s.colours.grid, 1, tag=("connector", name, k, source.name)))
        return items

    def _magnifier_line(self, footprints: list[tuple]) -> list[Item]:
        """A line from a footprint's outline to the magnifier's window (see :func:`.magnifier_line.choose`)."""
        s, t, w = self.scene, self.scene.theme, self.ring_width
        products, grid = s.products, s.products.window_grid(0)
        boxes = {name: p.box(0, 0, p.rows, p.cols) for name, p in self.panels.items()}
        bottom = max(box[3] for box in boxes.values()) + w
        # under the pictures when the panel is beside them, else halfway down to the panel under them
        lanes = (bottom + t.margin / 2, (bottom + products.y) / 2)
        rise, names = products.x - t.gap / 2, grid.x > products.x
        routes = []
        for panel, r0, c0, r1, c1 in footprints:
            x0, y0, x1, y1 = panel.box(r0, c0, r1, c1)
            ring = ((x0 - w, y0 - w), (x1 + w, y0 - w), (x1 + w, y1 + w), (x0 - w, y1 + w))
            corners = [apply(s.planes[panel.plane], p) for p in ring]
            # oblique planes keep conv_arithmetic's straight lines
            others = [box for name, box in boxes.items() if name != panel.name] if s.layout == "flat" else []
            points = route(corners, (grid.x, grid.y, *grid.size), others, lanes, rise, names, grid.cell)
            routes.append((points, others))
        return [Line(choose(routes), ACCENT, max(1, w // 2 + 1), tag=("magnifier-line",))]

    def moving_colours(self) -> tuple[set, set]:
        s, c = self.scene, self.scene.colours
        fills = {ACCENT, POSITIVE, c.grid, c.padding_grid, *map(tuple, self.pictures.output_table.tolist())}
        pairs = {(c.ink_on(s.background), s.background)}
        if s.products is not None:
            more_fills, more_pairs = s.products.moving_colours()
            fills |= more_fills
            pairs |= more_pairs
        return fills, pairs


def _each(value: Any, count: int) -> list:
    """``value`` for each of ``count`` pictures: a list as it is (one a picture), anything else repeated.

    >>> _each((0, 0, 1, 1), 2), _each([None, 3], 2)
    ([(0, 0, 1, 1), (0, 0, 1, 1)], [None, 3])
    """
    return value if isinstance(value, list) else [value] * count


def _whole(px: float) -> float:
    """Whole pixels per value from 3 up (even blocks); below, the fraction (blocks of ⌊px⌋ and ⌈px⌉ pixels).

    >>> _whole(4.7), _whole(2.99), _whole(-1.0)
    (4.0, 2.99, 0.05)
    """
    return float(math.floor(px)) if px >= 3 else max(px, 0.05)
