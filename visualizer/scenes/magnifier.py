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
planes (output above input), the magnifier upright on the right.

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
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from ..geometry import window_taps
from ..render.style import RGB, blend
from ..text import channel_names
from .items import Box, Item, Line, Pixels, Point, apply
from .oblique import extent, matrix, visible_part
from .products import step_arrays
from .shading import ACCENT, NEGATIVE, POSITIVE, WHITE, display_colours, value_range

GREY_LEVELS = 64
SIGNED_LEVELS = 32  # on each side of zero
PICTURE_COLOURS = 96  # a colour picture's share of a frame's 256 palette entries
SAMPLE_PIXELS = 65_536  # enough pixels to choose a picture's colours from


@dataclass(frozen=True)
class PixelPanel:
    """Where a picture of ``rows`` × ``cols`` values lies on its plane: top-left ``(x, y)``, ``px`` pixels a value.

    >>> PixelPanel("input", 10, 20, 5, 5, 4.0).box(1, 2, 2, 3)
    (18, 24, 21, 27)
    """

    name: str
    x: float
    y: float
    rows: int
    cols: int
    px: float
    plane: int = 0

    def box(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int, int, int]:
        """Inclusive pixel box of values ``r0…r1-1 × c0…c1-1``."""
        x, y, px = self.x, self.y, self.px
        return (round(x + c0 * px), round(y + r0 * px), round(x + c1 * px) - 1, round(y + r1 * px) - 1)

    def interior(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Inclusive pixel box of one value (as :meth:`Grid.interior` gives a cell's)."""
        return self.box(row, col, row + 1, col + 1)

    def corners(self, r0: int, c0: int, r1: int, c1: int) -> tuple[Point, Point, Point, Point]:
        """The outer corners of values ``r0…r1-1 × c0…c1-1``, clockwise from top-left."""
        x0, y0, x1, y1 = self.box(r0, c0, r1, c1)
        return ((x0, y0), (x1 + 1, y0), (x1 + 1, y1 + 1), (x0, y1 + 1))

    @property
    def extent(self) -> tuple[float, float]:
        return (self.cols * self.px, self.rows * self.px)


def grey_table(levels: int = GREY_LEVELS) -> np.ndarray:
    """A ramp of ``levels`` greys from black to white, as a (levels, 3) uint8 table."""
    ramp = np.rint(np.linspace(0, 255, levels)).astype(np.uint8)
    return np.repeat(ramp[:, None], 3, axis=1)


def grey_index(values: np.ndarray, low: float, high: float, levels: int = GREY_LEVELS) -> np.ndarray:
    """Positions in :func:`grey_table` of ``values`` spread over ``low…high`` (clipped to it).

    >>> grey_index(np.array([0, 128, 255]), 0, 255, 3).tolist()
    [0, 1, 2]
    """
    share = (np.asarray(values, float) - low) / (high - low) if high > low else np.zeros(np.shape(values))
    return np.rint(np.clip(share, 0, 1) * (levels - 1)).astype(np.uint16)


def signed_table(levels: int = SIGNED_LEVELS) -> np.ndarray:
    """Blue through white to orange, ``2·levels + 1`` colours (the shading's diverging ramp)."""
    colours = [blend(NEGATIVE if k < 0 else POSITIVE, WHITE, abs(k) / levels) for k in range(-levels, levels + 1)]
    return np.array(colours, np.uint8)


def signed_index(values: np.ndarray, reach: float, levels: int = SIGNED_LEVELS) -> np.ndarray:
    """Positions in :func:`signed_table` of ``values`` (−reach → 0, 0 → the middle, reach → the end).

    >>> signed_index(np.array([-4, 0, 4]), 4, 2).tolist()
    [0, 2, 4]
    """
    share = np.clip(np.asarray(values, float) / reach, -1, 1) if reach > 0 else np.zeros(np.shape(values))
    return (np.rint(share * levels) + levels).astype(np.uint16)


def shared_colours(pictures: list[np.ndarray], count: int = PICTURE_COLOURS) -> tuple[np.ndarray, list[np.ndarray]]:
    """One table of at most ``count`` colours for several (h, w, 3) uint8 pictures, and each as positions in it.

    The table is a median cut of at most 65 536 of the pixels; every pixel then takes the table's
    colour nearest to it (looked up by its colour at 5 bits a channel, so large pictures cost little).

    >>> table, (a,) = shared_colours([np.array([[[255, 0, 0], [0, 0, 255]]], np.uint8)])
    >>> table[a].tolist()
    [[[255, 0, 0], [0, 0, 255]]]
    """
    strip = np.concatenate([p.reshape(-1, 3) for p in pictures])
    sample = strip[:: max(1, len(strip) // SAMPLE_PIXELS)]
    quantised = Image.fromarray(sample[None], "RGB").quantize(count, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    used = int(np.asarray(quantised).max()) + 1
    table = np.array(quantised.getpalette()[: 3 * used], np.uint8).reshape(used, 3)
    # each 5-bit colour box's centre, and the table's colour nearest to it
    levels = np.arange(4, 256, 8)
    centres = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 1, 3)
    nearest = np.argmin(((centres - table[None].astype(np.int32)) ** 2).sum(axis=2), axis=1).astype(np.uint16)
    indices = []
    for picture in pictures:
        bits = picture.astype(np.uint16) >> 3
        indices.append(nearest[(bits[..., 0] << 10) | (bits[..., 1] << 5) | bits[..., 2]])
    return table, indices


class Pictures:
    """The input and output of a convolution scene as pictures: colour tables and positions in them.

    ``inputs`` and ``outputs`` pair a panel name with its positions; each
    output table ends with the colour of a value not computed yet.
    """

    def __init__(self, scene: Any):
        conv, c = scene.conv, scene.colours
        self.empty: RGB = blend(c.empty_grid, c.background, 0.35)
        if scene.rgb:
            table, (inputs, outputs) = shared_colours([display_colours(conv.padded), display_colours(scene.result)])
            self.input_table, self.output_table = table, np.vstack([table, [self.empty]]).astype(np.uint8)
            self.inputs = [("input", inputs)]
            self.outputs = [("combined", outputs)]
            return
        low, high = value_range(conv.padded)
        self.input_table = grey_table()
        planes = range(scene.channels)
        padded = [conv.padded] if conv.padded.ndim == 2 else [conv.padded[..., k] for k in planes]
        self.inputs = [(scene.input_name(k), grey_index(padded[k], low, high)) for k in planes]
        result = scene.result
        if float(np.min(result)) < 0 < float(np.max(result)):
            table = signed_table()
            outputs = [signed_index(v, float(np.max(np.abs(result)))) for v in scene.output_values]
        else:
            low, high = value_range(result)
            table, outputs = grey_table(), [grey_index(v, low, high) for v in scene.output_values]
        self.output_table = np.vstack([table, [self.empty]]).astype(np.uint8)
        self.outputs = [(scene.output_name(k), outputs[k]) for k in planes]

    def output_until(self, positions: np.ndarray, done: int) -> np.ndarray:
        """``positions`` with every value after the first ``done + 1`` (row-major) not computed yet."""
        shown = positions.copy()
        shown.reshape(-1)[done + 1 :] = len(self.output_table) - 1
        return shown


class Magnifier:
    """Lays out and draws a convolution scene whose cells became pictures (see the module's description)."""

    def __init__(self, scene: Any):
        self.scene = scene
        self.pictures = Pictures(scene)
        self.panels: dict[str, PixelPanel] = {}

    # -- layout ------------------------------------------------------------------------

    def arrange(self) -> None:
        s = self.scene
        s.titles = []
        width = s.max_size[0]
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

    def _fits(self) -> bool:
        limit = self.scene.max_size
        return self.scene.size[0] <= limit[0] and self.scene.size[1] <= limit[1]

    def _sizes(self) -> tuple[int, int, int, int]:
        conv = self.scene.conv
        (prows, pcols), (orows, ocols) = conv.padded.shape[:2], conv.output_shape
        return prows, pcols, orows, ocols

    def _tail(self) -> int:
        """Height under the pictures that is not the magnifier: the written-out sums."""
        s, t = self.scene, self.scene.theme
        lines = s.arithmetic_rows() * s.channels if s.numbers else 0
        return t.margin + lines * s.line_height + (t.margin if lines else 0)

    def _fit(self, top: int) -> tuple[float, bool]:
        """The pixels per value that fill the frame best, and whether the magnifier goes right (else below)."""
        s, t = self.scene, self.scene.theme
        width, height = s.max_size
        prows, pcols, orows, ocols = self._sizes()
        n = len(self.pictures.inputs)
        products = s.products
        pw = products.width + t.gap if products else 0
        ph = products.height + t.margin if products else 0
        title = round(t.title_size * 1.6)
        if s.layout == "oblique":
            inside, outside = extent(pcols, prows), extent(ocols, orows)
            column = max(inside[2] - inside[0], outside[2] - outside[0])
            across = (width - 2 * t.margin - (n - 1) * t.gap - pw) / (n * column)
            tall = outside[3] - outside[1] + inside[3] - inside[1]
            down = (height - top - 2 * title - self._tail() - t.margin) / tall
            return _whole(min(across, down)), True
        cols, rows = n * (pcols + ocols), max(prows, orows)
        room = width - 2 * t.margin - (2 * n - 1) * t.gap
        under = min(room / cols, (height - top - title - ph - self._tail()) / rows)
        beside = min((room - pw) / cols, (height - top - title - self._tail()) / rows)
        if products and products.height + title > height - top - self._tail():
            beside = 0
        return (_whole(beside), True) if beside > under else (_whole(under), False)

    def _place(self, top: int, px: float, right: bool) -> int:
        """Put the pictures and the magnifier at ``px`` pixels a value; the frame's width."""
        s, t = self.scene, self.scene.theme
        s.grids, s.planes, s.titles, self.panels = {}, s.planes[:1], [], {}
        prows, pcols, orows, ocols = self._sizes()
        title = round(t.title_size * 1.6)
        names = [*self.pictures.inputs, *self.pictures.outputs]
        if s.layout == "oblique":
            inside, outside = extent(pcols * px, prows * px), extent(ocols * px, orows * px)
            column = max(inside[2] - inside[0], outside[2] - outside[0])
            n = len(self.pictures.inputs)
            upper = top + title
            lower = upper + outside[3] - outside[1] + title
            for k in range(n):
                centre = t.margin + k * (column + t.gap) + column / 2
                ox, oy = centre - (outside[0] + outside[2]) / 2, upper - outside[1]
                ix, iy = centre - (inside[0] + inside[2]) / 2, lower - inside[1]
                out_name, in_name = self.pictures.outputs[k][0], self.pictures.inputs[k][0]
                self.panels[out_name] = PixelPanel(out_name, 0, 0, orows, ocols, px, s.add_plane(matrix(ox, oy)))
                self.panels[in_name] = PixelPanel(in_name, 0, 0, prows, pcols, px, s.add_plane(matrix(ix, iy)))
                s.titles.append((ox + outside[0], upper - title, self._title(out_name), out_name))
                s.titles.append((ix + inside[0], lower - title, self._title(in_name), in_name))
            x = round(t.margin + n * column + (n - 1) * t.gap + t.gap)
            bottom = round(lower + inside[3] - inside[1])
        else:
            x = t.margin
            for name, positions in names:
                rows, cols = positions.shape
                self.panels[name] = PixelPanel(name, x, top + title, rows, cols, px)
                s.titles.append((x, top, self._title(name), name))
                x += round(cols * px) + t.gap
            bottom = top + title + round(max(prows, orows) * px)
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

    def _title(self, name: str) -> str:
        """ "input 234×200, padded to 236×202", "output 232×198", with the channel's name for a channel's own."""
        conv = self.scene.conv
        kind, _, channel = name.partition(":")
        prefix = f"{channel_names(self.scene.channels)[int(channel)]}: " if channel else ""
        if kind != "input":
            return prefix + "output {}×{}".format(*conv.output_shape)
        (rows, cols), (prows, pcols) = conv.image.shape[:2], conv.padded.shape[:2]
        padded = f", padded to {prows}×{pcols}" if (prows, pcols) != (rows, cols) else ""
        return f"{prefix}input {rows}×{cols}{padded}"

    # -- items -------------------------------------------------------------------------

    def still(self) -> list[Item]:
        """The input pictures, and a ring where the image ends inside its padding."""
        s = self.scene
        top, bottom, left, right = s.conv.pads
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
        """The footprint and the current output outlined, the output so far, connectors and the magnifier."""
        s = self.scene
        conv = s.conv
        rows, cols = window_taps(step.origin, conv.kernel.shape, conv.dilation)
        i, j = step.out_index
        done = i * conv.output_shape[1] + j
        items: list[Item] = []
        for name, positions in self.pictures.outputs:
            panel = self.panels[name]
            shown = self.pictures.output_until(positions, done)
            box = panel.box(0, 0, panel.rows, panel.cols)
            items.append(Pixels(box, shown, self.pictures.output_table, panel.plane, ("pixels", name)))
            items.append(self._ring(panel, i, j, i + 1, j + 1, ("current", name, i, j)))
        footprints = []
        for name, _ in self.pictures.inputs:
            panel = self.panels[name]
            footprints.append((panel, rows[0], cols[0], rows[-1] + 1, cols[-1] + 1))
            items.append(self._ring(panel, rows[0], cols[0], rows[-1] + 1, cols[-1] + 1, ("footprint", name)))
        if s.layout == "oblique":
            items += self._connectors(footprints, i, j)
        if s.products is not None:
            items += self._magnifier_line(*footprints[0])
            items += s.products.moving(*step_arrays(step))
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

    def _connectors(self, footprints: list, i: int, j: int) -> list[Item]:
        """conv_arithmetic's lines from the footprint's corners to the output value's, cut behind the output."""
        s = self.scene
        items: list[Item] = []
        for (source, *window), (name, _) in zip(footprints, self.pictures.outputs, strict=True):
            target = self.panels[name]
            low = [apply(s.planes[source.plane], p) for p in source.corners(*window)]
            high = [apply(s.planes[target.plane], p) for p in target.corners(i, j, i + 1, j + 1)]
            cover = [apply(s.planes[target.plane], p) for p in target.corners(0, 0, target.rows, target.cols)]
            for k, (a, b) in enumerate(zip(low, high, strict=True)):
                part = visible_part(a, b, cover)
                if part is not None:
                    items.append(Line(part, s.colours.grid, 1, tag=("connector", name, k)))
        return items

    def _magnifier_line(self, panel: PixelPanel, r0: int, c0: int, r1: int, c1: int) -> list[Item]:
        """A line from the footprint's outline to the magnifier's window."""
        s = self.scene
        grid = s.products.window_grid(0)
        x0, y0, x1, y1 = panel.box(r0, c0, r1, c1)
        width = self.ring_width
        ring = ((x0 - width, y0 - width), (x1 + width, y0 - width), (x1 + width, y1 + width), (x0 - width, y1 + width))
        corners = [apply(s.planes[panel.plane], p) for p in ring]
        beside = grid.x > max(p[0] for p in corners)
        target = (grid.x, grid.y + grid.size[1] / 2) if beside else (grid.x + grid.size[0] / 2, grid.y)
        start = min(corners, key=lambda p: math.dist(p, target))
        return [Line((start, target), ACCENT, max(1, width // 2 + 1), tag=("magnifier-line",))]

    def moving_colours(self) -> tuple[set, set]:
        s, c = self.scene, self.scene.colours
        fills = {ACCENT, c.grid, c.padding_grid, *map(tuple, self.pictures.output_table.tolist())}
        pairs = {(c.ink_on(s.background), s.background)}
        if s.products is not None:
            more_fills, more_pairs = s.products.moving_colours()
            fills |= more_fills
            pairs |= more_pairs
        return fills, pairs


def _whole(px: float) -> float:
    """Whole pixels per value from 3 up (even blocks); below, the fraction (blocks of ⌊px⌋ and ⌈px⌉ pixels).

    >>> _whole(4.7), _whole(2.99), _whole(-1.0)
    (4.0, 2.99, 0.05)
    """
    return float(math.floor(px)) if px >= 3 else max(px, 0.05)
