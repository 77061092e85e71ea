"""What the scenes of the convolution's family share: panels of cells, their looks, and the words around them.

A builder for a transposed convolution or a pooling describes its picture as
:class:`Panel` s (the input, the output, small kernel panels);
:class:`PanelScene` lays them out (:mod:`.arrange`: flat or oblique), writes
the header, the titles, the row and column indices, a legend of the cells'
looks and the arithmetic lines, and draws cells by *kind*: an input value, an
inserted zero (pale, hatched), padding (dashed, no fill), a cell past the
padding (crossed out), an output, a kernel weight; each plain or shaded under
the current step.

>>> import numpy as np
>>> from visualizer import Pooling
>>> from visualizer.scenes import scene_builder
>>> scene = scene_builder(Pooling(np.arange(9).reshape(3, 3), 2, stride=1)).scene(0)
>>> [t.text for t in scene.texts("title")]
['input 3×3', 'output 2×2']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..render.style import RGB, blend, rgb
from . import arrange
from .base import SceneBuilder, pack, text_width, thin
from .items import Box, Font, Grid, Item, Line, Polygon, Text, apply
from .oblique import NUMBERS_ZOOM, visible_part
from .panel_fit import Fitting


def index_text(index: tuple[int, ...]) -> str:
    """``(1, 2)`` as ``[1, 2]``, ``(3,)`` as ``[3]``.

    >>> index_text((1, 2)), index_text((3,))
    ('[1, 2]', '[3]')
    """
    return "[" + ", ".join(map(str, index)) + "]"


@dataclass(frozen=True)
class Panel:
    """One grid to lay out: its name (the grid's), size, title, dashed cells and index labels.

    ``small`` panels (kernels) have smaller cells and stay upright in the
    oblique layout. ``row_labels`` and ``col_labels`` pair a grid row (column)
    with the index written beside it in the flat layout.
    """

    name: str
    rows: int
    cols: int
    title: str
    dashed: frozenset[tuple[int, int]] = frozenset()
    small: bool = False
    row_labels: tuple[tuple[int, str], ...] = ()
    col_labels: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Look:
    """How a kind of cell is drawn: its fill (None: background), hatching, a cross, a dashed border."""

    fill: RGB | None
    hatch: RGB | None = None
    cross: RGB | None = None
    dashed: bool = False


class PanelScene(Fitting, SceneBuilder):
    """A scene made of panels (see the module's description); subclasses say what the panels and steps show.

    Subclasses set ``self.cell`` (and ``self.small_cell``), call :meth:`lay_out`
    with their panels, then build their still items starting with
    :meth:`frame_items`; they give ``header_groups()``, ``arithmetic_count``
    (lines) and ``legend`` (pairs of kind and text).
    """

    arithmetic_count = 0
    products = None  # a ProductsPanel for operations that multiply a window by a kernel

    def __init__(self, op: Any, **style: Any):
        super().__init__(op, **style)
        c, t = self.colours, self.theme
        self.signal = bool(getattr(op, "signal", False))
        self.channels = op.channels or 1
        self.colour_image = op.channels is not None
        self.rgb = self.channels in (3, 4)  # as pictures, red, green and blue combine into one
        self.legend: list[tuple[str, str]] = []
        self.panels: dict[str, Panel] = {}
        self.titles: list[tuple[float, float, str, str]] = []
        self.header: list[str] = []
        zero = blend(c.input, c.background, 0.22)
        outside = blend(c.muted, c.background, 0.25)
        self.looks = {
            "input": Look(c.input),
            "zero": Look(zero, hatch=blend(c.input, c.background, 0.6)),
            "padding": Look(None, dashed=True),
            "cut": Look(None, dashed=True),
            "outside": Look(outside, cross=c.muted, dashed=True),
            "output": Look(c.output),
            "kernel": Look(c.chip),
        }
        self._shade = (rgb(t.shade), t.shade_alpha)

    def use_theme(self, theme) -> None:
        super().use_theme(theme)
        self.title_height = round(theme.title_size * 1.6)
        self.plain_font = Font(theme.value_size)  # zeros and padding: regular, where input values are bold

    # -- colours -------------------------------------------------------------------------

    def shaded(self, colour: RGB) -> RGB:
        """``colour`` under the footprint's shading (the theme's shade at its opacity)."""
        shade, alpha = self._shade
        return blend(shade, colour, alpha)

    def fill_of(self, kind: str, shaded: bool = False) -> RGB:
        """The fill a cell of ``kind`` shows (the background where it has none)."""
        fill = self.looks[kind].fill or self.colours.background
        return self.shaded(fill) if shaded else fill

    def look_colours(self, kinds: tuple[str, ...]) -> set[RGB]:
        """Every fill, hatch and cross colour of ``kinds``, plain and shaded (for a palette)."""
        found: set[RGB] = set()
        for kind in kinds:
            look = self.looks[kind]
            for colour in (look.fill or self.colours.background, look.hatch, look.cross):
                if colour is not None:
                    found |= {colour, self.shaded(colour)}
        return found

    # -- layout --------------------------------------------------------------------------

    def cell_of(self, panel: Panel) -> int:
        return self.small_cell if panel.small else self.cell

    def band(self, panel: Panel) -> int:
        """Room above and left of a grid for its indices (flat layout, numbers on, labelled panels only)."""
        labelled = panel.row_labels or panel.col_labels
        return round(self.theme.weight_size * 1.8) if self.numbers and labelled and self.layout == "flat" else 0

    def min_width(self) -> int:
        # room for the parameters and the shape formula of both axes on one line each
        return round(self.theme.text_size * 48) if self.numbers else 0

    def lay_out(self, rows: list, columns: list, side: list[Panel]) -> None:
        """Place the panels: flat ``rows`` of slots, or oblique ``columns`` of (upper, lower) planes and ``side``."""
        if self.layout == "flat":
            arrange.flat(self, rows)
        else:
            if self.numbers:
                self.cell = round(self.cell * NUMBERS_ZOOM)
            arrange.oblique(self, columns, side)

    def place(self, panel: Panel, x: float, y: float, plane: int = 0) -> Grid:
        """Make the grid of ``panel`` with its top-left corner at ``(x, y)`` of ``plane``."""
        c = self.colours
        grid = Grid(
            panel.name, x, y, panel.rows, panel.cols, self.cell_of(panel), self.theme.line_width, c.grid,
            panel.dashed, c.padding_grid, plane=plane, tag=("grid", panel.name),
        )  # fmt: skip
        self.grids[panel.name] = grid
        self.panels[panel.name] = panel
        return grid

    def header_top(self, width: int) -> int:
        """Wrap the header to ``width`` px; the y where the panels may start."""
        t = self.theme
        wrap = width - 2 * t.margin
        if self.numbers:
            self.header = [
                line for chunks, sep in self.header_groups() for line in pack(chunks, self.text_font, wrap, sep, "")
            ]
        return t.margin + len(self.header) * self.line_height + (t.margin // 2 if self.header else 0)

    def header_groups(self) -> list[tuple[list[str], str]]:
        """The header as groups of phrases, each group packed into lines with its separator."""
        raise NotImplementedError

    def finish(self, width: int, bottom: float, *, place_products: bool = True) -> None:
        """Place the legend, the products panel (unless placed beside pictures) and the arithmetic lines under
        ``bottom``; set the frame size."""
        t = self.theme
        y = round(bottom) + t.margin // 2
        if self.products is not None and place_products and self.magnifier is not None:
            # under pictures, the magnifier comes first: the line from the footprint to it crosses no text
            width = max(width, self.products.width + 2 * t.margin)
            self.products.place(t.margin, y + t.margin // 2)
            y += t.margin // 2 + self.products.height
            place_products = False
        swatch = self.line_height - 4
        self.legend_at: list[tuple[int, int, str, str]] = []
        x = t.margin
        for kind, text in self.legend:
            need = (0 if kind == "note" else swatch + 8) + round(text_width(text, self.text_font))
            if x > t.margin and x + need > width - t.margin:
                x, y = t.margin, y + self.line_height
            self.legend_at.append((x, y, kind, text))
            x += need + t.margin * 2
        if self.legend:
            y += self.line_height
        if self.products is not None and place_products:  # window ⊙ kernel = products, under the panels
            width = max(width, self.products.width + 2 * t.margin)
            self.products.place(t.margin, y + t.margin // 2)
            y += t.margin // 2 + self.products.height
        self.arithmetic_y = y + t.margin // 2
        lines = self.arithmetic_count if self.numbers else 0
        height = self.arithmetic_y + lines * self.line_height + (t.margin if lines else 0)
        self.size = (width + width % 2, height + height % 2)

    # -- still items ---------------------------------------------------------------------

    def frame_items(self) -> list[Item]:
        """The header, titles, indices (flat) and legend: what every frame shows around the cells."""
        t = self.theme
        items: list[Item] = []
        for k, line in enumerate(self.header):
            items.append(self.label((t.margin, t.margin + k * self.line_height), line, self.text_font, ("header", k)))
        for x, y, title, name in self.titles:
            items.append(self.label((x, y), title, self.title_font, ("title", name)))
        if self.numbers and self.layout == "flat":
            items.extend(self._indices())
        for x, y, kind, text in self.legend_at:
            if kind != "note":  # a note is words only
                items.extend(self._swatch(x, y, kind))
                x += self.line_height + 4
            items.append(self.label((x, y), text, self.text_font, ("legend", kind)))
        return items

    def _indices(self) -> list[Item]:
        muted, bg, face, gap = self.colours.muted, self.background, self.weight_font, self.theme.line_width + 3
        items: list[Item] = []
        for name, panel in self.panels.items():
            grid = self.grids[name]
            for r, text in panel.row_labels:
                xy = (grid.x - gap, grid.centre(r, 0)[1])
                items.append(Text(xy, text, face, muted, bg, "rm", tag=("index", name, "row", int(text))))
            for col, text in panel.col_labels:
                xy = (grid.centre(0, col)[0], grid.y - gap)
                items.append(Text(xy, text, face, muted, bg, "md", tag=("index", name, "col", int(text))))
        return items

    def _swatch(self, x: int, y: int, kind: str) -> list[Item]:
        """A one-cell picture of ``kind`` for the legend, the height of a line of text."""
        size = self.line_height - 4
        if kind == "ring":
            box = (x + 2, y + 2, x + size + 1, y + size + 1)
            inner = Box(box, self.fill_of("input", True), tag=("swatch", kind))
            return [inner, Box(box, None, self.colours.accent, self.ring_width(), tag=("swatch", kind))]
        if kind == "clamped":
            corner = ((x + 2, y + 2), (x + 2 + size // 2, y + 2), (x + 2 + size // 2, y + 2 + size // 2))
            return [Polygon(corner, self.colours.chip, tag=("swatch", kind))]
        look = self.looks[kind]
        dashed = frozenset({(0, 0)}) if look.dashed else frozenset()
        c = self.colours
        grid = Grid(
            f"legend:{kind}", x, y, 1, 1, size, max(1, self.theme.line_width // 2), c.grid, dashed, c.padding_grid
        )
        return [*self.cell_items(grid, 0, 0, kind, tag=("swatch", kind)), grid]

    # -- cells -------------------------------------------------------------------------

    def cell_items(self, grid: Grid, r: int, c: int, kind: str, shaded: bool = False, tag: tuple = ()) -> list[Item]:
        """The fill of cell (r, c) as ``kind`` draws it, with its hatching or cross (no value, no lines)."""
        look = self.looks[kind]
        if look.fill is None and not shaded:
            return []
        tag = tag or ("footprint" if shaded else "cell", grid.name, r, c)
        items: list[Item] = [Box(grid.interior(r, c), self.fill_of(kind, shaded), plane=grid.plane, tag=tag)]
        x0, y0, x1, y1 = grid.interior(r, c)
        x1, y1 = x1 + 1, y1 + 1
        width = max(1, self.theme.line_width // 2)
        if look.hatch is not None:
            colour = self.shaded(look.hatch) if shaded else look.hatch
            size, lines = x1 - x0, 3
            for k in range(1, 2 * lines):
                # the diagonal x + y = const, cut to the cell; the top-left corner stays clear
                d = x0 + y0 + size * k / lines
                start = (max(x0, d - y1), min(y1, d - x0))
                end = (min(x1, d - y0), max(y0, d - x1))
                items.append(Line((start, end), colour, width, grid.plane, ("hatch", grid.name, r, c)))
        if look.cross is not None:
            colour = self.shaded(look.cross) if shaded else look.cross
            for points in (((x0, y0), (x1, y1)), ((x0, y1), (x1, y0))):
                items.append(Line(points, colour, width, grid.plane, ("cross", grid.name, r, c)))
        return items

    def value_style(self, kind: str, shaded: bool) -> tuple[Font, RGB, RGB]:
        """Font, ink and fill of a cell's number: bold for input, plain and faint for zeros and padding."""
        fill = self.fill_of(kind, shaded)
        if kind == "input":
            return self.value_font, self.colours.ink_on(fill), fill
        return self.plain_font, (self.colours.ink_on(fill) if shaded else self.colours.muted), fill

    def value(self, grid: Grid, r: int, c: int, text: str, face: Font, ink: RGB, fill: RGB, raised: bool) -> Text:
        """A cell's number, centred (raised when a chip may sit below it)."""
        cx, cy = grid.centre(r, c)
        xy = (cx, cy - self.theme.weight_size * 0.3) if raised else (cx, cy)
        return Text(xy, text, face, ink, fill, "mm", grid.plane, ("value", grid.name, r, c))

    def ring_width(self) -> int:
        return max(3, self.theme.line_width + 1)

    def ring(self, grid: Grid, r0: int, c0: int, r1: int, c1: int, tag: tuple) -> Box:
        """An accent ring round cells ``r0…r1-1 × c0…c1-1``, on their lines."""
        x0, y0, x1, y1 = grid.region(r0, c0, r1, c1)
        return Box((x0, y0, x1 - 1, y1 - 1), None, self.colours.accent, self.ring_width(), plane=grid.plane, tag=tag)

    def output_cell(
        self, grid: Grid, i: int, j: int, text: str | None, fill: RGB, framed: bool, kind: str = "cell"
    ) -> list[Item]:
        """An output cell filled (``framed``: with its own lines, for a grid drawn thin) and its value.

        The fill is opaque, so a later value of the same cell (a running sum) hides the earlier one.
        """
        tag = (kind, grid.name, i, j)
        if framed:
            x0, y0, x1, y1 = grid.region(i, j, i + 1, j + 1)
            items: list[Item] = [
                Box((x0, y0, x1 - 1, y1 - 1), fill, self.colours.grid, grid.line, plane=grid.plane, tag=tag)
            ]
        else:
            items = [Box(grid.interior(i, j), fill, plane=grid.plane, tag=tag)]
        if text is not None and self.numbers:
            ink = self.colours.ink_on(fill)
            items.append(
                Text(grid.centre(i, j), text, self.value_font, ink, fill, "mm", grid.plane, ("value", grid.name, i, j))
            )
        return items

    def still_outputs(self, grid: Grid) -> list[Item]:
        """An output grid before any value: thin and empty (flat), or complete in the output colour (oblique)."""
        if self.layout == "flat":
            empty = Grid(grid.name, grid.x, grid.y, grid.rows, grid.cols, grid.cell, grid.line, self.colours.empty_grid,
                         grid.dashed, grid.dash_colour)  # fmt: skip
            return [thin(empty, grid.plane)]
        fill = self.colours.output
        items: list[Item] = [
            Box(grid.interior(i, j), fill, plane=grid.plane, tag=("cell", grid.name, i, j))
            for i in range(grid.rows)
            for j in range(grid.cols)
            if (i, j) not in grid.dashed
        ]
        return [*items, grid]

    def connectors(
        self, low: Grid, box: tuple[int, int, int, int], high: Grid, target: tuple[int, int, int, int]
    ) -> list[Item]:
        """Lines from the corners of cells ``box`` (r0, c0, r1, c1) of the lower plane to ``target``'s on the upper,
        cut where they pass behind the (opaque) upper plane."""
        a = low.corners(*box)
        b = high.corners(*target)
        cover = [apply(self.planes[high.plane], p) for p in high.corners(0, 0, high.rows, high.cols)]
        width = max(1, self.theme.line_width // 2)
        items: list[Item] = []
        for k, (p, q) in enumerate(zip(a, b, strict=True)):
            part = visible_part(apply(self.planes[low.plane], p), apply(self.planes[high.plane], q), cover)
            if part is not None:
                items.append(Line(part, self.colours.grid, width, tag=("connector", low.name, k)))
        return items

    def step_label(self, index: int) -> str:
        step = self.op.step(index)
        return f"step {step.index + 1}: out{index_text(step.out_index)}"

    def sheet_columns(self) -> int:
        return self.result.shape[1]

    def text_lines(self, lines: list[str], first: int) -> list[Item]:
        """Arithmetic ``lines`` from line ``first`` of the arithmetic area on."""
        t = self.theme
        return [
            self.label(
                (t.margin, self.arithmetic_y + (first + k) * self.line_height),
                line,
                self.text_font,
                ("arithmetic", first + k),
            )
            for k, line in enumerate(lines)
        ]

    def text_pairs(self) -> set[tuple[RGB, RGB]]:
        """The text colours on the background, the chips and the shaded output (for a palette)."""
        c = self.colours
        return {
            (c.ink_on(self.background), self.background),
            (c.chip_ink, c.chip),
            (c.ink_on(c.shaded_output), c.shaded_output),
        }
