"""One frame per Step: the picture every output (GIF, widget, classroom window) shows.

:class:`FrameRenderer` follows matplotlib's ``FuncAnimation`` with blitting:
everything that never changes (grids, input values, padding, header, empty
output grid) is drawn once in ``__init__``; each frame copies that background
and draws only what moves — the shaded kernel footprint with its weights, the
outputs computed so far, the current output cell and the arithmetic line.

Frames are drawn directly as palette indices: every frame of one renderer is
a mode "P" image whose palette is exactly :attr:`FrameRenderer.palette` (at
most 256 colours: the theme's colours, four shades between each text colour
and the fill it sits on so that text stays anti-aliased, and the colours of a
colour image's combined output). Exporters therefore need no quantisation::

    frames = [renderer.frame(i) for i in range(len(renderer))]
    frames[0].save("conv.gif", save_all=True, append_images=frames[1:], loop=0, duration=500)

Anything else that must join the same GIF (a title card, say) maps onto that
palette with ``image.convert("RGB").quantize(palette=renderer.palette_image,
dither=Image.Dither.NONE)``. Width and height are even, as H.264 in yuv420p
requires. :meth:`FrameRenderer.cell_box` tells where a cell is drawn, so tests
can sample pixel colours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from weakref import WeakKeyDictionary

import numpy as np
from PIL import Image, ImageDraw

from ..convolution import Convolution
from ..geometry import window_taps
from ..text import arithmetic, channel_names, display_number, sum_label
from .style import RGB, Theme, blend, contrast, font, get_theme, luminance, rgb

# levels of the shades kept between a text colour and its background
_TEXT_SHADES = (0.2, 0.4, 0.6, 0.8)
_ARITHMETIC_LINES = 2  # lines reserved for each channel's sum before its middle terms are elided


@dataclass(frozen=True)
class _Grid:
    """A grid of square cells whose lines are ``line`` px wide, centred on the cell boundaries."""

    x: int
    y: int
    rows: int
    cols: int
    cell: int
    line: int

    @property
    def width(self) -> int:
        return self.cols * self.cell + self.line

    @property
    def height(self) -> int:
        return self.rows * self.cell + self.line

    def region(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int, int, int]:
        """Pixels of cells ``r0…r1-1 × c0…c1-1`` with their border lines (a crop box)."""
        s = self.cell
        return (self.x + c0 * s, self.y + r0 * s, self.x + c1 * s + self.line, self.y + r1 * s + self.line)

    def interior(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Inclusive box of the cell's fill, inside its lines."""
        x0, y0, x1, y1 = self.region(row, col, row + 1, col + 1)
        return (x0 + self.line, y0 + self.line, x1 - self.line - 1, y1 - self.line - 1)

    def centre(self, row: int, col: int) -> tuple[float, float]:
        x0, y0, x1, y1 = self.interior(row, col)
        return ((x0 + x1 + 1) / 2, (y0 + y1 + 1) / 2)


class FrameRenderer:
    """Draws the frames of one convolution, one per step.

    A frame shows the header (parameters and the output-size formula with the
    numbers), the padded input — padding as a dashed grid with no fill, its
    values slanted in the input's colour when they copy the input (replicate,
    reflect, circular) and faint when they are a constant, until the kernel
    covers them — the kernel footprint shaded on the taps it samples with each
    weight in a chip, the output filled in up to the current step (a corner
    mark where clamping changed a value), and the step's sum written out.
    Colour images get one panel per channel with its own kernel, per-channel
    outputs and the combined colour output.

    Parameters
    ----------
    conv : Convolution
        What to draw.
    theme : str or Theme
        "default" (conv_arithmetic's palette), "colorblind", "dark" or "classroom".
    numbers : bool
        Show values, weights, header and the arithmetic line; False gives the
        clean conv_arithmetic look with no text at all.

    Attributes
    ----------
    size : (int, int)
        Width and height of every frame in pixels (both even).
    palette : list of (r, g, b)
        The fixed palette every frame uses (at most 256 colours).
    palette_image : PIL.Image.Image
        A 1×1 "P" image carrying that palette, for ``Image.quantize(palette=…)``.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> renderer = FrameRenderer(Convolution(np.arange(25).reshape(5, 5), np.ones((3, 3)), padding=1))
    >>> len(renderer), renderer.frame(0).mode, renderer.frame(0).size == renderer.size
    (25, 'P', True)
    """

    def __init__(self, conv: Convolution, *, theme: str | Theme = "default", numbers: bool = True):
        if not isinstance(conv, Convolution):
            raise TypeError(f"conv must be a visualizer.Convolution, got {type(conv).__name__}")
        if not isinstance(numbers, bool | np.bool_):
            raise TypeError(f"numbers must be True or False, got {numbers!r}")
        self.conv = conv
        self.theme = get_theme(theme)
        self.numbers = bool(numbers)
        t = self.theme
        self._bg = rgb(t.background)
        self._colour = {
            "input": rgb(t.input),
            "output": rgb(t.output),
            "grid": rgb(t.grid),
            "padding_grid": rgb(t.padding_grid),
            "empty_grid": rgb(t.empty_grid),
            "ink": rgb(t.ink),
            "paper_ink": rgb(t.paper_ink),
            "muted": rgb(t.muted),
            "chip": rgb(t.chip),
            "chip_ink": rgb(t.chip_ink),
        }
        shade = rgb(t.shade)
        # the 40 % shading is precomputed per fill, so a frame only paints flat colours
        self._shaded = {
            "input": blend(shade, self._colour["input"], t.shade_alpha),
            "padding": blend(shade, self._bg, t.shade_alpha),
            "output": blend(shade, self._colour["output"], t.shade_alpha),
        }
        # Frames are drawn as palette indices in an "L" image: fills are exact, and text is
        # anti-aliased through a few shades between its colour and the fill it sits on.
        self._palette: dict[RGB, int] = {}
        self._ramps: dict[tuple[RGB, RGB], tuple[bytes, bytes]] = {}
        self._glyphs: dict[tuple, tuple[Image.Image, Image.Image, tuple[int, int]]] = {}
        self._frozen = False
        for colour in (self._bg, *self._colour.values(), *self._shaded.values()):
            self._index(colour)
        self._value_font = font(t.value_size, "bold")
        self._pad_font = font(t.value_size, "oblique" if conv.pad_mode != "zeros" else "regular")
        self._weight_font = font(t.weight_size)
        self._text_font = font(t.text_size)
        self._title_font = font(t.title_size)
        self._read_outputs()
        self._layout()
        self._prepare_steps()
        self._background = Image.new("L", self.size, self._index(self._bg))
        self._draw_still(self._background)
        self._filled = self._background.copy()
        self._draw_outputs(self._filled)
        self._frozen = True
        self.palette: list[RGB] = list(self._palette)
        self._flat_palette = [v for colour in self.palette for v in colour]
        self.palette_image = Image.new("P", (1, 1))
        self.palette_image.putpalette(self._flat_palette)

    # -- public --------------------------------------------------------------

    def __len__(self) -> int:
        return self.conv.num_steps

    def frame(self, step_index: int) -> Image.Image:
        """The frame of step ``step_index`` (negative counts from the end), mode "P"."""
        step = self.conv.step(step_index)
        image = self._background.copy()
        i, j = step.out_index
        for grid in self._outputs:
            if i:
                box = grid.region(0, 0, i, grid.cols)
                image.paste(self._filled.crop(box), box[:2])
            box = grid.region(i, 0, i + 1, j + 1)
            image.paste(self._filled.crop(box), box[:2])
        draw = ImageDraw.Draw(image)
        for c, grid in enumerate(self._inputs):
            self._draw_footprint(image, draw, grid, c, step.origin)
            self._draw_current_output(image, draw, c, i, j)
        if self.numbers:
            self._draw_arithmetic(image, step)
        frame = image.convert("P")  # "L" to "P" keeps the values: they are already palette indices
        frame.putpalette(self._flat_palette)
        return frame

    def frame_rgb(self, step_index: int) -> Image.Image:
        """The same frame in mode "RGB" (for viewers that want true colour)."""
        return self.frame(step_index).convert("RGB")

    def cell_box(self, area: str, row: int, col: int, channel: int = 0) -> tuple[int, int, int, int]:
        """Inclusive pixel box ``(x0, y0, x1, y1)`` of a cell's fill, inside its grid lines.

        ``area`` is "input" (``row``, ``col`` in padded coordinates), "output" or,
        for colour images, "combined" (the colour output); ``channel`` picks the
        panel of a colour image.

        >>> import numpy as np
        >>> from visualizer import Convolution
        >>> renderer = FrameRenderer(Convolution(np.zeros((4, 4)), np.ones((3, 3))))
        >>> x0, y0, x1, y1 = renderer.cell_box("input", 0, 0)
        >>> x1 - x0 + 1 == y1 - y0 + 1 > 20
        True
        """
        grids = {"input": self._inputs, "output": self._outputs[: self._channels]}
        if self._combined is not None:
            grids["combined"] = [self._combined]
        if area not in grids:
            raise ValueError(f"area must be one of {', '.join(grids)}; got {area!r}")
        panels = grids[area]
        if area == "combined":
            channel = 0
        if not 0 <= channel < len(panels):
            raise ValueError(f"channel must be in 0…{len(panels) - 1}; got {channel}")
        grid = panels[channel]
        if not (0 <= row < grid.rows and 0 <= col < grid.cols):
            raise ValueError(f"cell ({row}, {col}) lies outside the {area} grid of {grid.rows}×{grid.cols}")
        return grid.interior(row, col)

    # -- layout --------------------------------------------------------------

    def _layout(self) -> None:
        conv, t = self.conv, self.theme
        self._channels = conv.channels or 1
        self._colour_image = conv.channels is not None
        # red, green, blue (and alpha) combine into a picture; other channel counts do not
        self._rgb = self._channels in (3, 4)
        padded_rows, padded_cols = conv.padded.shape[:2]
        out_rows, out_cols = conv.output_shape
        self._cell = cell = self._cell_size()
        lw = t.line_width
        self._line_height = line_height = round(t.text_size * 1.45)
        title_height = round(t.title_size * 1.6) if self.numbers else 0
        # with numbers, a band above and left of each grid holds its zero-based row and column indices
        band = round(t.weight_size * 1.8) if self.numbers else 0
        in_w, in_h = band + padded_cols * cell + lw, band + padded_rows * cell + lw
        out_w, out_h = band + out_cols * cell + lw, band + out_rows * cell + lw
        column = max(in_w, out_w)
        # widths first: the header wraps to the frame's width, and its height places the panels
        if self._colour_image:
            right = t.margin + self._channels * (column + t.gap) - t.gap + (t.gap + out_w if self._rgb else 0)
        else:
            right = t.margin + in_w + t.gap + out_w
        width = max(right + t.margin, self._min_width())
        self._header = self._header_lines(width - 2 * t.margin) if self.numbers else []
        y = t.margin + len(self._header) * line_height + (t.margin // 2 if self._header else 0)
        self._inputs: list[_Grid] = []
        self._outputs: list[_Grid] = []  # one per channel, then the combined colour output
        self._titles: list[tuple[float, float, str]] = []
        self._combined: _Grid | None = None

        def panel(x: int, y: int, rows: int, cols: int) -> _Grid:
            return _Grid(x + band, y + band, rows, cols, cell, lw)

        if not self._colour_image:
            top = y + title_height
            body = max(in_h, out_h)
            iy, ox, oy = top + (body - in_h) // 2, t.margin + in_w + t.gap, top + (body - out_h) // 2
            self._inputs.append(panel(t.margin, iy, padded_rows, padded_cols))
            self._outputs.append(panel(ox, oy, out_rows, out_cols))
            self._titles += [
                (t.margin, iy - title_height, self._input_title()),
                (ox, oy - title_height, f"output {out_rows}×{out_cols}"),
            ]
            bottom = top + body
        else:
            in_top = y + title_height
            out_top = in_top + in_h + t.gap // 2 + title_height
            for c in range(self._channels):
                x = t.margin + c * (column + t.gap)
                ix, ox = x + (column - in_w) // 2, x + (column - out_w) // 2
                self._inputs.append(panel(ix, in_top, padded_rows, padded_cols))
                self._outputs.append(panel(ox, out_top, out_rows, out_cols))
                name = channel_names(self._channels)[c]
                self._titles += [
                    (ix, y, f"{name}: input and its kernel"),
                    (ox, out_top - title_height, f"{name}: output"),
                ]
            if self._rgb:
                cx = t.margin + self._channels * (column + t.gap)
                self._combined = panel(cx, out_top, out_rows, out_cols)
                self._outputs.append(self._combined)
                self._titles.append((cx, out_top - title_height, "combined output"))
            bottom = out_top + out_h
        self._legend_y = bottom + t.margin // 2 if self.numbers and self._any_clipped else None
        if self._legend_y is not None:
            bottom += t.margin // 2 + line_height
        self._arithmetic_y = bottom + t.margin
        lines = _ARITHMETIC_LINES * self._channels if self.numbers else 0
        height = self._arithmetic_y + lines * line_height + (t.margin if lines else 0)
        self.size = (width + width % 2, height + height % 2)

    def _read_outputs(self) -> None:
        """Output values per channel, and where clamping (not mere rounding) changed them."""
        conv = self.conv
        # one computation serves the cell sizes, the outputs and the combined colours
        raw = conv.raw_result()
        self._result = result = conv.clamp(raw)
        if conv.clip_range is None:
            clipped = np.zeros(result.shape, bool)
        else:
            clipped = (raw < conv.clip_range[0]) | (raw > conv.clip_range[1])
        channels = range(conv.channels or 1)
        self._output_values = [result] if result.ndim == 2 else [result[..., c] for c in channels]
        self._clipped = [clipped] if result.ndim == 2 else [clipped[..., c] for c in channels]
        self._any_clipped = bool(clipped.any())

    def _cell_size(self) -> int:
        """The theme's cell, widened so the longest value and weight still fit."""
        t = self.theme
        if not self.numbers:
            return t.cell
        values = np.unique(np.concatenate([self.conv.padded.ravel(), np.ravel(self._result)]))
        return int(
            max(
                t.cell,
                _widest(values, self._value_font) + 10,
                _widest(np.unique(self.conv.kernel), self._weight_font) + 12,
            )
        )

    def _min_width(self) -> int:
        if not self.numbers:
            return 0
        # room for the parameters on one line and a 3×3 kernel's sum on two
        return round(self.theme.text_size * 40)

    def _input_title(self) -> str:
        rows, cols = self.conv.image.shape[:2]
        prows, pcols = self.conv.padded.shape[:2]
        title = f"input {rows}×{cols}"
        return title + (f", padded to {prows}×{pcols}" if (prows, pcols) != (rows, cols) else "")

    def _header_lines(self, width: int) -> list[str]:
        """The parameters, then the output-size formula with the numbers, wrapped to ``width`` px."""
        conv = self.conv
        shape = "×".join(map(str, conv.image.shape))
        # name the type only where it matters, e.g. 8-bit pixels that clamp at 255
        dtype = "" if conv.image.dtype in (np.int64, np.float64) else f" {conv.image.dtype}"
        kernel = "×".join(map(str, conv.kernel.shape))
        pads = conv.pads
        amount = str(pads[0]) if len(set(pads)) == 1 else "top {} bottom {} left {} right {}".format(*pads)
        name = f"{conv.padding} " if isinstance(conv.padding, str) else ""
        mode = (
            f"value {display_number(conv.pad_value)}" if conv.pad_mode == "zeros" and conv.pad_value else conv.pad_mode
        )
        padding = f"padding {name}({amount}, {mode})" if any(pads) else f"padding {name or '0'}".strip()
        parts = [
            f"input {shape}{dtype}",
            f"kernel {kernel}" + (" flipped (true convolution)" if conv.flip_kernel else ""),
            f"stride {_pair(conv.stride)}",
            padding,
            f"dilation {_pair(conv.dilation)}",
        ]
        if conv.clip_range is not None:
            low, high = conv.clip_range
            parts.append(f"clip {display_number(low)}…{display_number(high)}")
        return _pack(parts, self._text_font, width, " · ", "") + _pack(
            list(conv.formula()), self._text_font, width, "    ", ""
        )

    # -- still parts ---------------------------------------------------------

    def _index(self, colour: RGB) -> int:
        """The palette index of ``colour``, added while the renderer is being built."""
        colour = tuple(int(v) for v in colour)
        if colour not in self._palette:
            if self._frozen or len(self._palette) >= 256:
                raise RuntimeError(f"colour {colour} is not in the frame palette")
            self._palette[colour] = len(self._palette)
        return self._palette[colour]

    def _ramp(self, ink: RGB, fill: RGB) -> tuple[bytes, bytes]:
        """Byte tables from text coverage (0…255) to a palette index and to a paste mask."""
        if (ink, fill) not in self._ramps:
            levels = [self._index(fill)] + [self._index(blend(ink, fill, a)) for a in _TEXT_SHADES]
            levels.append(self._index(ink))
            steps = len(levels) - 1
            lut = bytes(levels[round(v * steps / 255)] for v in range(256))
            mask = bytes(255 if round(v * steps / 255) else 0 for v in range(256))
            self._ramps[ink, fill] = (lut, mask)
        return self._ramps[ink, fill]

    def _text(self, image: Image.Image, xy, text: str, fnt, ink: RGB, fill: RGB, anchor: str = "la") -> None:
        """Anti-aliased text on ``image`` (palette indices), blending only towards ``fill``."""
        key = (text, fnt, ink, fill, anchor, xy)
        if key not in self._glyphs:
            x, y = int(xy[0] // 1), int(xy[1] // 1)
            coverage, size, (dx, dy) = _coverage(text, fnt, anchor, xy[0] - x, xy[1] - y)
            lut, mask = self._ramp(ink, fill)
            self._glyphs[key] = (
                Image.frombytes("L", size, coverage.translate(lut)),
                Image.frombytes("L", size, coverage.translate(mask)),
                (x + dx, y + dy),
            )
        indices, mask, corner = self._glyphs[key]
        image.paste(indices, corner, mask)

    def _ink_on(self, fill: RGB) -> RGB:
        """The theme's light or dark text colour, whichever reads better on ``fill``."""
        return _readable_ink(fill, self._colour["paper_ink"], self._colour["ink"])

    def _rectangle(self, draw: ImageDraw.ImageDraw, box, colour: RGB) -> None:
        draw.rectangle(box, fill=self._index(colour))

    def _draw_still(self, image: Image.Image) -> None:
        t = self.theme
        draw = ImageDraw.Draw(image)
        text_ink = self._ink_on(self._bg)
        for k, line in enumerate(self._header):
            self._text(image, (t.margin, t.margin + k * self._line_height), line, self._text_font, text_ink, self._bg)
        for x, y, title in self._titles if self.numbers else ():
            self._text(image, (x, y), title, self._title_font, text_ink, self._bg)
        for c, grid in enumerate(self._inputs):
            self._draw_input(image, draw, grid, c)
        if self.numbers:
            self._draw_indices(image)
        if self._legend_y is not None:
            size, y = max(6, self._cell // 5), self._legend_y + (self._line_height - t.text_size) // 2
            draw.polygon(
                [(t.margin, y), (t.margin + size, y), (t.margin + size, y + size)],
                fill=self._index(self._colour["chip"]),
            )
            low, high = (display_number(v) for v in self.conv.clip_range)
            legend = f"marks an output clamped to {low}…{high}"
            self._text(image, (t.margin + size + 8, self._legend_y), legend, self._text_font, text_ink, self._bg)
        for grid in self._outputs:
            self._grid_lines(draw, grid, lambda r, c: False, self._colour["empty_grid"], max(1, t.line_width // 2))
        if self._rgb:
            # a bar in the channel's colour under each input panel says which channel it is
            for c, grid in enumerate(self._inputs):
                y = grid.y + grid.height + 4
                self._rectangle(draw, (grid.x, y, grid.x + grid.width - 1, y + 5), rgb(t.channels[c]))

    def _draw_indices(self, image: Image.Image) -> None:
        """Zero-based row and column numbers beside each grid: the input's own (none on padding), the output's."""
        top, _, left, _ = self.conv.pads
        h, w = self.conv.image.shape[:2]
        muted, fnt, gap = self._colour["muted"], self._weight_font, self.theme.line_width + 3
        spans = [(grid, top, left, h, w) for grid in self._inputs]
        spans += [(grid, 0, 0, grid.rows, grid.cols) for grid in self._outputs[: self._channels]]
        for grid, row0, col0, rows, cols in spans:
            for r in range(rows):
                xy = (grid.x - gap, grid.centre(row0 + r, 0)[1])
                self._text(image, xy, str(r), fnt, muted, self._bg, "rm")
            for c in range(cols):
                xy = (grid.centre(0, col0 + c)[0], grid.y - gap)
                self._text(image, xy, str(c), fnt, muted, self._bg, "md")

    def _draw_input(self, image: Image.Image, draw: ImageDraw.ImageDraw, grid: _Grid, channel: int) -> None:
        conv, t = self.conv, self.theme
        values = conv.padded if conv.padded.ndim == 2 else conv.padded[..., channel]
        for r in range(grid.rows):
            for c in range(grid.cols):
                if not conv.is_padding(r, c):
                    self._rectangle(draw, grid.interior(r, c), self._colour["input"])
                if self.numbers:
                    self._draw_value(image, grid, r, c, values[r, c], shaded=False)
        self._grid_lines(draw, grid, conv.is_padding, self._colour["grid"], t.line_width)

    def _value_style(self, r: int, c: int, shaded: bool):
        """Font, text colour and fill of input cell (r, c), plain or under the footprint."""
        padding = self.conv.is_padding(r, c)
        if not padding:
            fill = self._shaded["input"] if shaded else self._colour["input"]
            return self._value_font, self._ink_on(fill), fill
        fill = self._shaded["padding"] if shaded else self._bg
        if shaded:
            return self._pad_font, self._ink_on(fill), fill
        # zeros are faint (they only fill the border); copied values look like the input, slanted
        ink = self._colour["muted"] if self.conv.pad_mode == "zeros" else self._colour["input"]
        return self._pad_font, ink, fill

    def _value_xy(self, grid: _Grid, r: int, c: int) -> tuple[float, float]:
        cx, cy = grid.centre(r, c)
        return cx, cy - self.theme.weight_size * 0.3  # room for the weight below

    def _draw_value(self, image: Image.Image, grid: _Grid, r: int, c: int, value, shaded: bool) -> None:
        fnt, ink, fill = self._value_style(r, c, shaded)
        self._text(image, self._value_xy(grid, r, c), display_number(value), fnt, ink, fill, anchor="mm")

    def _grid_lines(self, draw: ImageDraw.ImageDraw, grid: _Grid, dashed, colour: RGB, width: int) -> None:
        """Cell borders: dashed around padding cells, solid around the rest (solid wins where they meet)."""
        solid, pad = self._index(colour), self._index(self._colour["padding_grid"])
        for want_dashed in (True, False):
            for r in range(grid.rows):
                for c in range(grid.cols):
                    if bool(dashed(r, c)) != want_dashed:
                        continue
                    x0, y0, x1, y1 = grid.region(r, c, r + 1, c + 1)
                    x1, y1 = x1 - 1, y1 - 1
                    edges = (
                        (x0, y0, x1, y0 + width - 1),
                        (x0, y1 - width + 1, x1, y1),
                        (x0, y0, x0 + width - 1, y1),
                        (x1 - width + 1, y0, x1, y1),
                    )
                    for edge in edges:
                        if want_dashed:
                            _dashed_rectangle(draw, edge, pad, dash=max(4, grid.cell // 8))
                        else:
                            draw.rectangle(edge, fill=solid)

    def _draw_outputs(self, image: Image.Image) -> None:
        """Every output cell filled in, on a copy of the background; frames paste from it."""
        t = self.theme
        draw = ImageDraw.Draw(image)
        colours = None
        for k, grid in enumerate(self._outputs):
            if grid is self._combined:
                # last, so the colour picture gets whatever palette entries the rest leaves
                colours = _palette_colours(_display_colours(self._result), 256 - len(self._palette))
            for r in range(grid.rows):
                for c in range(grid.cols):
                    if grid is self._combined:
                        self._rectangle(draw, grid.interior(r, c), tuple(int(v) for v in colours[r, c]))
                        continue
                    self._rectangle(draw, grid.interior(r, c), self._colour["output"])
                    if self.numbers:
                        self._output_value(image, grid, r, c, self._output_values[k][r, c], self._colour["output"])
                    self._clip_marker(draw, k, r, c)
            self._grid_lines(draw, grid, lambda r, c: False, self._colour["grid"], t.line_width)
        self._combined_colours = colours

    def _clip_marker(self, draw: ImageDraw.ImageDraw, channel: int, r: int, c: int) -> None:
        """A corner triangle on an output cell whose value clamping changed."""
        if self.numbers and self._clipped[channel][r, c]:
            grid = self._outputs[channel]
            _, y0, x1, _ = grid.interior(r, c)
            size = max(6, grid.cell // 5)
            draw.polygon([(x1 - size, y0), (x1, y0), (x1, y0 + size)], fill=self._index(self._colour["chip"]))

    def _output_value(self, image: Image.Image, grid: _Grid, r: int, c: int, value, fill: RGB) -> None:
        self._text(image, grid.centre(r, c), display_number(value), self._value_font, self._ink_on(fill), fill, "mm")

    # -- moving parts --------------------------------------------------------

    def _prepare_steps(self) -> None:
        """Weights as text, and every colour a frame can draw, so the palette is complete."""
        conv = self.conv
        kernel = conv.kernel[::-1, ::-1] if conv.flip_kernel else conv.kernel
        self._weights = []
        for c in range(self._channels):
            k = kernel[..., c] if kernel.ndim == 3 else kernel
            self._weights.append([[display_number(w) for w in row] for row in k])
        if not self.numbers:
            return
        self._ramp(self._colour["chip_ink"], self._colour["chip"])
        self._ramp(self._ink_on(self._bg), self._bg)
        for r, c in np.ndindex(conv.padded.shape[:2]):
            _, ink, fill = self._value_style(r, c, shaded=True)
            self._ramp(ink, fill)
        self._ramp(self._ink_on(self._shaded["output"]), self._shaded["output"])

    def _draw_footprint(self, image: Image.Image, draw: ImageDraw.ImageDraw, grid: _Grid, channel: int, origin) -> None:
        conv, t = self.conv, self.theme
        rows, cols = window_taps(origin, conv.kernel.shape, conv.dilation)
        values = conv.padded if conv.padded.ndim == 2 else conv.padded[..., channel]
        weights = self._weights[channel]
        for u, r in enumerate(rows):
            for v, c in enumerate(cols):
                box = grid.interior(r, c)
                self._rectangle(draw, box, self._shaded["padding" if conv.is_padding(r, c) else "input"])
                if not self.numbers:
                    continue
                self._draw_value(image, grid, r, c, values[r, c], shaded=True)
                text = weights[u][v]
                x1, y1 = box[2] - 1, box[3] - 1
                chip = (x1 - round(_length(text, self._weight_font)) - 5, y1 - t.weight_size - 3, x1, y1)
                draw.rounded_rectangle(chip, radius=3, fill=self._index(self._colour["chip"]))
                self._text(
                    image,
                    (x1 - 2, y1 - 1),
                    text,
                    self._weight_font,
                    self._colour["chip_ink"],
                    self._colour["chip"],
                    "rd",
                )

    def _draw_current_output(self, image: Image.Image, draw: ImageDraw.ImageDraw, channel: int, i: int, j: int) -> None:
        grid = self._outputs[channel]
        fill = self._shaded["output"]
        self._rectangle(draw, grid.interior(i, j), fill)
        if self.numbers:
            self._output_value(image, grid, i, j, self._output_values[channel][i, j], fill)
        self._clip_marker(draw, channel, i, j)
        if self._combined is not None and channel == self._channels - 1:
            # the combined cell keeps its colour; a ring that reads on that colour marks it as current
            ring = self._ink_on(tuple(int(v) for v in self._combined_colours[i, j]))
            draw.rectangle(
                self._combined.interior(i, j), outline=self._index(ring), width=max(2, self.theme.line_width)
            )

    def _draw_arithmetic(self, image: Image.Image, step) -> None:
        t = self.theme
        ink = self._ink_on(self._bg)
        width = self.size[0] - 2 * t.margin
        y = self._arithmetic_y
        for c in range(self._channels):
            channel = c if self._colour_image else None
            lines = self._wrapped_sum(step, channel, sum_label(step, channel), width)
            for line in lines:
                # each sum is drawn once per frame: no point caching its glyphs
                coverage, size, (dx, dy) = _coverage.__wrapped__(line, self._text_font, "la", 0, 0)
                lut, mask = self._ramp(ink, self._bg)
                corner = (t.margin + dx, y + dy)
                image.paste(
                    Image.frombytes("L", size, coverage.translate(lut)),
                    corner,
                    Image.frombytes("L", size, coverage.translate(mask)),
                )
                y += self._line_height
            y += (_ARITHMETIC_LINES - len(lines)) * self._line_height

    def _wrapped_sum(self, step, channel: int | None, label: str, width: int) -> list[str]:
        """The step's sum in at most two lines of ``width`` px, eliding middle terms when it must."""
        terms = step.kernel.shape[0] * step.kernel.shape[1]
        for max_terms in (None, *range(terms - 1, 1, -1)):
            chunks = re.split(r" (?=[+−=→] )", label + arithmetic(step, channel=channel, max_terms=max_terms))
            lines = _pack(chunks, self._text_font, width)
            if len(lines) <= _ARITHMETIC_LINES:
                return lines
        return lines[:_ARITHMETIC_LINES]


_MEASURE = ImageDraw.Draw(Image.new("L", (1, 1)))  # text extents only; draws nothing


@lru_cache(maxsize=4096)
def _coverage(text: str, fnt, anchor: str, fx: float, fy: float) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
    """Anti-aliased coverage of ``text`` drawn at sub-pixel offset ``(fx, fy)``: bytes, size, top-left offset.

    Shared by all renderers: cell values repeat across frames and renderers.
    """
    x0, y0, x1, y1 = (int(v // 1) for v in _MEASURE.textbbox((fx, fy), text, font=fnt, anchor=anchor))
    size = (max(1, x1 - x0 + 1), max(1, y1 - y0 + 1))
    coverage = Image.new("L", size)
    ImageDraw.Draw(coverage).text((fx - x0, fy - y0), text, font=fnt, fill=255, anchor=anchor)
    return coverage.tobytes(), size, (x0, y0)


def _pair(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"


def _widest(values: np.ndarray, fnt) -> float:
    """Width in pixels of the widest label among ``values`` (only the longest labels are measured)."""
    labels = {display_number(v) for v in values}
    longest = max(map(len, labels))
    return max(_length(label, fnt) for label in labels if len(label) >= longest - 1)


@lru_cache(maxsize=4096)
def _length(text: str, fnt) -> float:
    return fnt.getlength(text)


@lru_cache(maxsize=256)
def _readable_ink(fill: RGB, a: RGB, b: RGB) -> RGB:
    """``a`` or ``b``, whichever reads better on ``fill``; the lighter one when it reads well enough."""
    light, dark = (a, b) if luminance(a) >= luminance(b) else (b, a)
    # white on conv_arithmetic's blue and cyan reads well (contrast ≥ 3 for bold digits)
    return light if contrast(light, fill) >= 3 or contrast(light, fill) > contrast(dark, fill) else dark


def _pack(chunks: list[str], fnt, width: int, separator: str = " ", indent: str = "    ") -> list[str]:
    """Greedy line filling: ``chunks`` joined by ``separator``, continued lines indented."""
    lines, used = [chunks[0]], _length(chunks[0], fnt)
    gap = _length(separator, fnt)
    for chunk in chunks[1:]:
        if used + gap + _length(chunk, fnt) <= width:
            lines[-1] += separator + chunk
            used += gap + _length(chunk, fnt)
        else:
            lines.append(indent + chunk)
            used = _length(indent + chunk, fnt)
    return lines


def _dashed_rectangle(draw: ImageDraw.ImageDraw, box, colour: int, dash: int) -> None:
    """Fill a thin axis-aligned box as dashes along its long side."""
    x0, y0, x1, y1 = box
    horizontal = x1 - x0 >= y1 - y0
    start, end = (x0, x1) if horizontal else (y0, y1)
    for a in range(start, end + 1, 2 * dash):
        b = min(a + dash - 1, end)
        draw.rectangle((a, y0, b, y1) if horizontal else (x0, a, x1, b), fill=colour)


def _display_colours(result: np.ndarray) -> np.ndarray:
    """A red-green-blue(-alpha) output as uint8 colours: 0…1 floats scaled up, 0…255 as it is, others stretched."""
    values = np.asarray(result[..., :3], dtype=float)
    low, high = values.min(), values.max()
    if result.dtype.kind == "f" and low >= 0 and high <= 1:
        values = values * 255
    elif low < 0 or high > 255:
        values = (values - low) * (255 / (high - low)) if high > low else np.zeros_like(values)
    return np.rint(values).astype(np.uint8)


def _palette_colours(colours: np.ndarray, budget: int) -> np.ndarray:
    """``colours`` rounded just enough (coarser levels per channel) to need at most ``budget`` palette entries."""
    step = 1
    while len(np.unique((coarse := colours // step * step).reshape(-1, 3), axis=0)) > budget:
        step *= 2
    return coarse


# render_frame keeps the renderers of live convolutions, so a slider calling it step after
# step pays for the still parts once; a renderer goes when its Convolution does.
_RENDERERS: WeakKeyDictionary[Convolution, dict[tuple, FrameRenderer]] = WeakKeyDictionary()


def render_frame(
    conv: Convolution, step_index: int, *, theme: str | Theme = "default", numbers: bool = True
) -> Image.Image:
    """Draw step ``step_index`` of ``conv`` as one picture (mode "P", see :class:`FrameRenderer`).

    The renderer built for ``conv`` and this style is kept while ``conv``
    lives, so calling it for step after step draws only what changes.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> render_frame(conv, 3).mode
    'P'
    """
    if not isinstance(conv, Convolution):
        raise TypeError(f"conv must be a visualizer.Convolution, got {type(conv).__name__}")
    style = (get_theme(theme), numbers if isinstance(numbers, bool | np.bool_) else repr(numbers))
    renderers = _RENDERERS.setdefault(conv, {})
    if style not in renderers:
        renderers[style] = FrameRenderer(conv, theme=theme, numbers=numbers)
    return renderers[style].frame(step_index)
