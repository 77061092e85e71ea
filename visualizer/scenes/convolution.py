"""The scene of a :class:`~visualizer.convolution.Convolution` step.

A step shows the header (parameters and the output-size formula with the
numbers), the padded input — padding as a dashed grid with no fill, its values
slanted in the input's colour when they copy the input (replicate, reflect,
circular) and faint when they are a constant — the kernel footprint shaded on
the taps it samples with each weight in a chip, the outputs filled in up to the
current step (a corner mark where clamping changed a value), and the step's
sum written out. Colour images get one panel per channel with its own kernel,
per-channel outputs and the combined colour output.

>>> import numpy as np
>>> from visualizer import Convolution
>>> scene = ConvolutionScene(Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))).scene(3)
>>> scene.text_at("value", "output", 1, 1)
'90'
>>> scene.text_at("chip", "input", 1, 1)
'1'
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..convolution import Convolution
from ..geometry import window_taps
from ..text import arithmetic, caption, channel_names, display_number, parameters, sum_label
from .base import SceneBuilder, elisions, pack, thin
from .conv_layout import lay_out, products_on_step, read_outputs
from .flat import Flat
from .items import Box, Font, Grid, Item, Polygon, Text
from .links import Links
from .magnified import Magnified
from .magnifier import Magnifier
from .products import step_arrays
from .shading import ACCENT, Fills, display_colours

ARITHMETIC_LINES = 2  # lines reserved for each channel's sum before its middle terms are elided


class ConvolutionScene(Magnified, SceneBuilder):
    """Builds the scene of every step of one :class:`Convolution` (see the module's description).

    ``grids`` holds "input" and "output" (grey), or "input:c" and "output:c" per
    channel and "combined" (colour).
    """

    magnifier: Magnifier | None = None  # set when the cells became pictures
    magnifier_moving = products_on_step

    def __init__(self, conv: Convolution, **style: Any):
        if not isinstance(conv, Convolution):
            raise TypeError(f"conv must be a visualizer.Convolution, got {type(conv).__name__}")
        super().__init__(conv, **style)
        self.conv = conv
        self.channels = conv.channels or 1
        self.colour_image = conv.channels is not None
        # red, green, blue (and alpha) combine into a picture; other channel counts do not
        self.rgb = self.channels in (3, 4)
        read_outputs(self)
        self.fills = Fills(self.colours, self.shade, conv.padded, self.result, self.channels)
        kernel = conv.kernel[::-1, ::-1] if conv.flip_kernel else conv.kernel
        self.planes_of_kernel = [kernel[..., c] if kernel.ndim == 3 else kernel for c in range(self.channels)]
        self.weights = [[[display_number(w) for w in row] for row in k] for k in self.planes_of_kernel]
        lay_out(self)
        if self.magnifier is None:
            self._build_still()
            self._revealed = [self._reveal(step.out_index) for step in conv.steps()]
        else:
            self._still = [*self._header_items(), *self.magnifier.still()]

    # -- layout --------------------------------------------------------------------------

    def panel_band(self) -> int:
        """The band above and left of each grid for its zero-based row and column indices."""
        return round(self.theme.weight_size * 1.8) if self.numbers else 0

    def min_width(self) -> int:
        # room for the parameters on one line, a 3×3 kernel's sum on two, and the products panel
        if not self.numbers:
            return 0
        products = self.products.width + 2 * self.theme.margin if self.products is not None else 0
        return max(round(self.theme.text_size * 40), products)

    def header_top(self, width: int) -> int:
        """Wrap the header to ``width`` px; the y where the panels may start."""
        t = self.theme
        face, wrap = self.text_font, width - 2 * t.margin
        parts, formula = parameters(self.conv), list(self.conv.formula())
        self.header = pack(parts, face, wrap, " · ", "") + pack(formula, face, wrap, "    ", "") if self.numbers else []
        return t.margin + len(self.header) * self.line_height + (t.margin // 2 if self.header else 0)

    def grid(self, name: str, x: int, y: int, rows: int, cols: int, *, padding: bool = False, plane: int = 0) -> Grid:
        lw, c = self.theme.line_width, self.colours
        dashed = frozenset()
        if padding:
            dashed = frozenset((r, col) for r, col in np.ndindex(rows, cols) if self.conv.is_padding(r, col))
        grid = Grid(
            name, x, y, rows, cols, self.cell, lw, c.grid, dashed, c.padding_grid, plane=plane, tag=("grid", name)
        )
        self.grids[name] = grid
        return grid

    def finish(self, width: int, bottom: int, *, place_products: bool = True) -> None:
        """Place the legend, the products panel (unless placed beside pictures) and the sums under ``bottom``."""
        t = self.theme
        if self.products is not None and place_products and self.magnifier is not None:
            # under pictures, the magnifier comes first: the line from the footprint to it crosses no text
            self.products.place(t.margin, bottom + t.margin)
            bottom += t.margin + self.products.height
            place_products = False
        # pictures mark no clamped output (the magnifier's sum says "→ 255"): no legend for them
        marked = self.numbers and self.any_clipped and self.magnifier is None
        self.legend_y = bottom + t.margin // 2 if marked else None
        if self.legend_y is not None:
            bottom += t.margin // 2 + self.line_height
        if self.products is not None and place_products:
            self.products.place(t.margin, bottom + t.margin)
            bottom += t.margin + self.products.height
        self.arithmetic_y = bottom + t.margin
        lines = self.arithmetic_rows() * self.channels if self.numbers else 0
        height = self.arithmetic_y + lines * self.line_height + (t.margin if lines else 0)
        self.size = (width + width % 2, height + height % 2)

    def arithmetic_rows(self) -> int:
        """Lines per channel for the written-out sum: one when the products panel shows the terms already."""
        return 1 if self.products is not None else ARITHMETIC_LINES

    def input_title_of(self, channel: int) -> str:
        """What an input panel is called: its size and padding (grey), or its channel (colour)."""
        if self.colour_image:
            return f"{channel_names(self.channels)[channel]}: input and its kernel"
        rows, cols = self.conv.image.shape[:2]
        prows, pcols = self.conv.padded.shape[:2]
        title = f"input {rows}×{cols}"
        return title + (f", padded to {prows}×{pcols}" if (prows, pcols) != (rows, cols) else "")

    def output_title(self, channel: int) -> str:
        """What an output panel is called; ``channel == channels`` is the combined colour output."""
        if not self.colour_image:
            return "output {}×{}".format(*self.conv.output_shape)
        if channel == self.channels:
            return "combined output"
        return f"{channel_names(self.channels)[channel]}: output"

    # -- still parts -----------------------------------------------------------------------

    def _header_items(self) -> list[Item]:
        """The header, the panels' titles, the products panel's still parts and the clamping legend."""
        t, c = self.theme, self.colours
        out: list[Item] = []
        for k, line in enumerate(self.header):
            out.append(self.label((t.margin, t.margin + k * self.line_height), line, self.text_font, ("header", k)))
        if self.numbers:
            for x, y, title, name in self.titles:
                out.append(self.label((x, y), title, self.title_font, ("title", name)))
            out.extend(self.products.still() if self.products is not None else ())
        if self.legend_y is not None:
            size = max(6, self.cell // 5)
            y = self.legend_y + (self.line_height - t.text_size) // 2
            out.append(Polygon(((t.margin, y), (t.margin + size, y), (t.margin + size, y + size)), c.chip))
            low, high = (display_number(v) for v in self.conv.clip_range)
            legend = f"marks an output clamped to {low}…{high}"
            out.append(self.label((t.margin + size + 8, self.legend_y), legend, self.text_font, ("legend",)))
        return out

    def _build_still(self) -> None:
        c = self.colours
        out = self._still = self._header_items()
        for channel in range(self.channels):
            grid = self.grids[self.input_name(channel)]
            for r, col in np.ndindex(grid.rows, grid.cols):
                if not self.conv.is_padding(r, col):
                    fill = self.fills.input(channel, self.padded_value(channel, r, col), False)
                    out.append(Box(grid.interior(r, col), fill, plane=grid.plane, tag=("cell", grid.name, r, col)))
            # lines before values: upright numbers on a tilted plane may reach over a line, never under it
            out.append(grid)
            if self.numbers:
                out.extend(
                    self.input_value(grid, channel, r, col, False) for r, col in np.ndindex(grid.rows, grid.cols)
                )
        if self.numbers and not self.oblique:
            out.extend(Flat(self).indices())
        if self.oblique:
            out.extend(self.oblique.still_outputs())
        else:
            for grid in self.output_grids():
                empty = Grid(grid.name, grid.x, grid.y, grid.rows, grid.cols, grid.cell, grid.line, c.empty_grid)
                out.append(thin(empty, grid.plane))
        if self.rgb and not self.oblique:
            # a bar in the channel's colour under each input panel says which channel it is
            for channel in range(self.channels):
                grid = self.grids[self.input_name(channel)]
                y = int(grid.y) + grid.size[1] + 4
                x0, x1 = int(grid.x), int(grid.x) + grid.size[0] - 1
                out.append(Box((x0, y, x1, y + 5), c.channels[channel], tag=("channel-bar", channel)))

    def output_grids(self) -> list[Grid]:
        names = [self.output_name(c) for c in range(self.channels)] + (["combined"] if self.rgb else [])
        return [self.grids[name] for name in names]

    def padded_value(self, channel: int, r: int, c: int):
        padded = self.conv.padded
        return padded[r, c] if padded.ndim == 2 else padded[r, c, channel]

    def value_style(self, channel: int, r: int, c: int, shaded: bool) -> tuple[Font, Any, Any]:
        """Font, text colour and fill of input cell (r, c), plain or under the footprint."""
        colours = self.colours
        if not self.conv.is_padding(r, c):
            fill = self.fills.input(channel, self.padded_value(channel, r, c), shaded)
            return self.value_font, colours.ink_on(fill), fill
        fill = colours.shaded_padding if shaded else colours.background
        if shaded:
            return self.pad_font, colours.ink_on(fill), fill
        # zeros are faint (they only fill the border); copied values look like the input, slanted
        ink = colours.muted if self.conv.pad_mode == "zeros" else colours.input
        return self.pad_font, ink, fill

    def input_value(self, grid: Grid, channel: int, r: int, c: int, shaded: bool) -> Text:
        value = self.padded_value(channel, r, c)
        face, ink, fill = self.value_style(channel, r, c, shaded)
        cx, cy = grid.centre(r, c)
        xy = (cx, cy - self.theme.weight_size * 0.3)  # room for the weight below
        return Text(xy, display_number(value), face, ink, fill, "mm", grid.plane, ("value", grid.name, r, c))

    # -- revealed and moving parts ---------------------------------------------------------

    def _reveal(self, out_index: tuple[int, int]) -> list[Item]:
        """The output cells a step fills in (one per channel, and the combined colour)."""
        if self.oblique:
            return self.oblique.reveal(out_index)
        i, j = out_index
        items: list[Item] = []
        c = self.colours
        for channel in range(self.channels):
            grid = self.grids[self.output_name(channel)]
            x0, y0, x1, y1 = grid.region(i, j, i + 1, j + 1)
            fill = self.output_fill(channel, i, j, False)
            items.append(Box((x0, y0, x1 - 1, y1 - 1), fill, c.grid, grid.line, tag=("cell", grid.name, i, j)))
            items.extend(self.output_marks(channel, i, j, fill))
        if self.rgb:
            grid = self.grids["combined"]
            x0, y0, x1, y1 = grid.region(i, j, i + 1, j + 1)
            fill = self.combined_colour(i, j)
            tag = ("cell", "combined", i, j)
            items.append(Box((x0, y0, x1 - 1, y1 - 1), fill, c.grid, grid.line, approximate=True, tag=tag))
        return items

    def output_fill(self, channel: int, i: int, j: int, shaded: bool):
        return self.fills.output(channel, self.output_values[channel][i, j], shaded)

    def combined_colour(self, i: int, j: int) -> tuple[int, int, int]:
        if not hasattr(self, "_combined"):
            self._combined = display_colours(self.result)
        return tuple(int(v) for v in self._combined[i, j])

    def output_marks(self, channel: int, i: int, j: int, fill) -> list[Item]:
        """An output cell's value and, where clamping changed it, a corner mark."""
        grid = self.grids[self.output_name(channel)]
        items: list[Item] = []
        if self.numbers:
            text = display_number(self.output_values[channel][i, j])
            ink = self.colours.ink_on(fill)
            items.append(
                Text(grid.centre(i, j), text, self.value_font, ink, fill, "mm", grid.plane, ("value", grid.name, i, j))
            )
            if self.clipped[channel][i, j]:
                _, y0, x1, _ = grid.interior(i, j)
                size = max(6, grid.cell // 5)
                corner = ((x1 - size, y0), (x1, y0), (x1, y0 + size))
                items.append(Polygon(corner, self.colours.chip, grid.plane, ("clipped", grid.name, i, j)))
        return items

    def moving(self, index: int) -> tuple[Item, ...]:
        step = self.conv.step(index)
        if self.magnifier is not None:
            return tuple(self.magnifier.moving(step))
        i, j = step.out_index
        c = self.colours
        items: list[Item] = []
        for channel in range(self.channels):
            items.extend(self.footprint(channel, step.origin))
            grid = self.grids[self.output_name(channel)]
            fill = self.output_fill(channel, i, j, True)
            items.append(Box(grid.interior(i, j), fill, plane=grid.plane, tag=("current", grid.name, i, j)))
            items.extend(self.output_marks(channel, i, j, fill))
        if self.rgb:
            # the combined cell keeps its colour; a ring that reads on that colour marks it as current
            ring = c.ink_on(self.combined_colour(i, j))
            grid = self.grids["combined"]
            width = max(2, self.theme.line_width)
            items.append(
                Box(grid.interior(i, j), None, ring, width, plane=grid.plane, tag=("current", "combined", i, j))
            )
        if self.oblique:
            items.extend(self.oblique.connectors(step))
        if self.numbers:
            items.extend(self.products.moving(*step_arrays(step)))
            items.extend(self.arithmetic_lines(step))
        return tuple(items)

    def links(self, index: int) -> Links | None:
        """The window the step reads on every channel; its output cell on every output grid (no cells: None)."""
        if self.magnifier is not None:
            return None  # an input drawn as pictures has no cells to point at
        step, channels = self.conv.step(index), range(self.channels)
        rows, cols = window_taps(step.origin, self.conv.kernel.shape, self.conv.dilation)
        outputs = [self.output_name(c) for c in channels] + (["combined"] if self.rgb else [])
        return Links.gather(map(self.input_name, channels), rows, cols, outputs, *step.out_index)

    def footprint(self, channel: int, origin: tuple[int, int]) -> list[Item]:
        """The taps the kernel samples, shaded, each with its value and its weight in a chip."""
        conv, c = self.conv, self.colours
        grid = self.grids[self.input_name(channel)]
        rows, cols = window_taps(origin, conv.kernel.shape, conv.dilation)
        weights = self.weights[channel]
        items: list[Item] = []
        for u, r in enumerate(rows):
            for v, col in enumerate(cols):
                box = grid.interior(r, col)
                padding = conv.is_padding(r, col)
                fill = (
                    c.shaded_padding if padding else self.fills.input(channel, self.padded_value(channel, r, col), True)
                )
                items.append(Box(box, fill, plane=grid.plane, tag=("footprint", grid.name, r, col)))
                if self.shade:  # a 40 % shade vanishes on a black pixel: a ring marks the tap on any value
                    ring = Box(box, None, ACCENT, max(2, self.theme.line_width), plane=grid.plane, tag=("ring",))
                    items.append(ring)
                if not self.numbers:
                    continue
                items.append(self.input_value(grid, channel, r, col, shaded=True))
                items.extend(self.chip(grid, r, col, weights[u][v]))
        return items

    def arithmetic_lines(self, step) -> list[Item]:
        t = self.theme
        width = self.size[0] - 2 * t.margin
        y = self.arithmetic_y
        items: list[Item] = []
        for c in range(self.channels):
            channel = c if self.colour_image else None
            terms = step.kernel.shape[0] * step.kernel.shape[1]
            written = (sum_label(step, channel) + arithmetic(step, channel, elide) for elide in elisions(terms))
            for k, line in enumerate(self.wrapped(written, width, self.arithmetic_rows())):
                items.append(
                    self.label((t.margin, y + k * self.line_height), line, self.text_font, ("arithmetic", c, k))
                )
            y += self.arithmetic_rows() * self.line_height
        return items

    def caption(self, index: int) -> str:
        return caption(self.conv.step(index))

    def step_label(self, index: int) -> str:
        step = self.conv.step(index)
        return f"step {step.index + 1}: out[{step.out_index[0]}, {step.out_index[1]}]"

    def sheet_columns(self) -> int:
        return self.conv.output_shape[1]

    def moving_colours(self) -> tuple[set, set]:
        if self.magnifier is not None:
            return self.magnifier.moving_colours()
        c = self.colours
        fills = {c.shaded_input, c.shaded_padding, c.shaded_output, c.chip, c.grid, ACCENT}
        fills |= self.fills.all_inputs(self.channels) | self.fills.all_outputs(self.channels)
        if self.rgb:
            fills |= {c.ink_on(self.combined_colour(i, j)) for i, j in np.ndindex(*self.conv.output_shape)}
        pairs = set()
        if self.numbers:
            pairs = {(c.chip_ink, c.chip), (c.ink_on(self.background), self.background)}
            pairs |= {(c.ink_on(c.shaded_output), c.shaded_output)}
            for channel, (r, col) in itertools.product(range(self.channels), np.ndindex(self.conv.padded.shape[:2])):
                _, ink, fill = self.value_style(channel, r, col, shaded=True)
                pairs.add((ink, fill))
            outputs = self.fills.all_outputs(self.channels)
            pairs |= {(c.ink_on(fill), fill) for fill in outputs}
            more_fills, more_pairs = self.products.moving_colours()
            fills |= more_fills
            pairs |= more_pairs
        return fills, pairs
