"""One frame per Step: the picture every output (GIF, widget, classroom window) shows.

:class:`FrameRenderer` follows matplotlib's ``FuncAnimation`` with blitting:
everything that never changes (grids, input values, padding, header, empty
output grid) is drawn once in ``__init__``; each frame copies that background
and draws only what moves — the shaded kernel footprint with its weights, the
outputs computed so far, the current output cell and the arithmetic line.

Frames come out in mode "P", all on the same fixed palette
(:attr:`FrameRenderer.palette`), built from the theme's colours plus a few
shades between each text colour and the fill it sits on so anti-aliased text
stays smooth. A GIF writer can therefore save them as they are, with no
per-frame quantisation::

    frames = [renderer.frame(i) for i in range(len(renderer))]
    frames[0].save("conv.gif", save_all=True, append_images=frames[1:], loop=0, duration=500)

Width and height are even, as H.264 in yuv420p requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ..convolution import Convolution
from ..geometry import window_taps
from ..text import arithmetic, format_number
from .style import RGB, Theme, blend, contrast, font, get_theme, rgb

CHANNEL_NAMES = {1: ("grey",), 3: ("red", "green", "blue"), 4: ("red", "green", "blue", "alpha")}

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
        self._pairs: set[tuple[RGB, RGB]] = set()  # (text colour, fill) pairs that need smooth shades
        self._value_font = font(t.value_size, "bold")
        self._pad_font = font(t.value_size, "oblique" if conv.pad_mode != "zeros" else "regular")
        self._weight_font = font(t.weight_size)
        self._text_font = font(t.text_size)
        self._title_font = font(t.title_size)
        self._layout()
        self._background = Image.new("RGB", self.size, self._bg)
        self._draw_still(ImageDraw.Draw(self._background))
        self._filled = self._background.copy()
        self._draw_outputs(ImageDraw.Draw(self._filled))
        self._prepare_steps()
        self.palette = self._build_palette()
        self.palette_image = Image.new("P", (1, 1))
        self.palette_image.putpalette([v for colour in self.palette for v in colour])

    # -- public --------------------------------------------------------------

    def __len__(self) -> int:
        return self.conv.num_steps

    def frame(self, step_index: int) -> Image.Image:
        """The frame of step ``step_index`` (negative counts from the end), mode "P"."""
        step = self.conv.step(step_index)
        image = self._background.copy()
        draw = ImageDraw.Draw(image)
        i, j = step.out_index
        for grids in self._outputs:
            for grid in grids:
                if i:
                    box = grid.region(0, 0, i, grid.cols)
                    image.paste(self._filled.crop(box), box[:2])
                box = grid.region(i, 0, i + 1, j + 1)
                image.paste(self._filled.crop(box), box[:2])
        for c, grid in enumerate(self._inputs):
            self._draw_footprint(draw, grid, c, step.origin)
            self._draw_current_output(draw, c, i, j)
        if self.numbers:
            self._draw_arithmetic(draw, step)
        return image.quantize(palette=self.palette_image, dither=Image.Dither.NONE)

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
        grids = {"input": self._inputs, "output": [g[0] for g in self._outputs]}
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
        padded_rows, padded_cols = conv.padded.shape[:2]
        out_rows, out_cols = conv.output_shape
        self._cell = cell = self._cell_size()
        lw = t.line_width
        line_height = round(t.text_size * 1.45)
        title_height = round(t.title_size * 1.6) if self.numbers else 0
        self._header = self._header_lines() if self.numbers else []
        y = t.margin + len(self._header) * line_height + (t.margin // 2 if self._header else 0)
        in_w, in_h = padded_cols * cell + lw, padded_rows * cell + lw
        out_w, out_h = out_cols * cell + lw, out_rows * cell + lw
        self._inputs: list[_Grid] = []
        self._outputs: list[list[_Grid]] = []
        self._titles: list[tuple[float, float, str]] = []
        self._combined: _Grid | None = None
        if not self._colour_image:
            top = y + title_height
            body = max(in_h, out_h)
            self._inputs.append(_Grid(t.margin, top + (body - in_h) // 2, padded_rows, padded_cols, cell, lw))
            ox = t.margin + in_w + t.gap
            self._outputs.append([_Grid(ox, top + (body - out_h) // 2, out_rows, out_cols, cell, lw)])
            right = ox + out_w
            bottom = top + body
            self._titles += [(t.margin, y, self._input_title()), (ox, y, f"output {out_rows}×{out_cols}")]
        else:
            in_top = y + title_height
            out_top = in_top + in_h + t.gap // 2 + title_height
            column = max(in_w, out_w)
            for c in range(self._channels):
                x = t.margin + c * (column + t.gap)
                self._inputs.append(_Grid(x + (column - in_w) // 2, in_top, padded_rows, padded_cols, cell, lw))
                self._outputs.append([_Grid(x + (column - out_w) // 2, out_top, out_rows, out_cols, cell, lw)])
                name = self._channel_name(c)
                self._titles += [(x, y, f"{name}: input and kernel"), (x, out_top - title_height, f"{name}: output")]
            cx = t.margin + self._channels * (column + t.gap)
            self._combined = _Grid(cx, out_top, out_rows, out_cols, cell, lw)
            self._outputs.append([self._combined])
            self._titles.append((cx, out_top - title_height, "combined output"))
            right = cx + out_w
            bottom = out_top + out_h
        self._arithmetic_y = bottom + t.margin
        lines = _ARITHMETIC_LINES * self._channels if self.numbers else 0
        self._line_height = line_height
        width = max(right + t.margin, self._min_width())
        height = self._arithmetic_y + lines * line_height + (t.margin if lines else 0)
        self.size = (width + width % 2, height + height % 2)

    def _cell_size(self) -> int:
        """The theme's cell, widened so the longest value and weight still fit."""
        t = self.theme
        if not self.numbers:
            return t.cell
        values = np.unique(np.concatenate([self.conv.padded.ravel(), np.ravel(self.conv.result())]))
        widest = max(self._value_font.getlength(format_number(v)) for v in values[:: max(1, len(values) // 200)])
        weights = np.unique(self.conv.kernel)
        widest_weight = max(self._weight_font.getlength(format_number(w)) for w in weights)
        return int(max(t.cell, widest + 10, widest_weight + 12))

    def _min_width(self) -> int:
        if not self.numbers:
            return 0
        # room for a typical sum of a 3×3 kernel on two lines
        return round(self.theme.text_size * 32)

    def _channel_name(self, c: int) -> str:
        names = CHANNEL_NAMES.get(self._channels)
        return names[c] if names else f"channel {c}"

    def _input_title(self) -> str:
        rows, cols = self.conv.image.shape[:2]
        prows, pcols = self.conv.padded.shape[:2]
        title = f"input {rows}×{cols}"
        return title + (f", padded to {prows}×{pcols}" if (prows, pcols) != (rows, cols) else "")

    def _header_lines(self) -> list[str]:
        conv = self.conv
        shape = "×".join(map(str, conv.image.shape))
        kernel = "×".join(map(str, conv.kernel.shape))
        pads = conv.pads
        amount = str(pads[0]) if len(set(pads)) == 1 else "top {} bottom {} left {} right {}".format(*pads)
        name = f"{conv.padding} " if isinstance(conv.padding, str) else ""
        padding = f"padding {name}{amount}" + (f" ({conv.pad_mode})" if any(pads) else "")
        parts = [
            f"input {shape}",
            f"kernel {kernel}",
            f"stride {_pair(conv.stride)}",
            padding,
            f"dilation {_pair(conv.dilation)}",
        ]
        if conv.clip_range is not None:
            low, high = conv.clip_range
            parts.append(f"clip {format_number(low)}…{format_number(high)}")
        return [" · ".join(parts), "     ".join(conv.formula())]

    # -- still parts ---------------------------------------------------------

    def _text(self, draw: ImageDraw.ImageDraw, xy, text: str, fnt, ink: RGB, fill: RGB, anchor: str = "la") -> None:
        self._pairs.add((ink, fill))
        draw.text(xy, text, font=fnt, fill=ink, anchor=anchor)

    def _ink_on(self, fill: RGB) -> RGB:
        """The theme's light or dark text colour, whichever reads better on ``fill``."""
        light, dark = rgb(self.theme.paper_ink), self._colour["ink"]
        if self.theme.background != "#FFFFFF" and dark == self._bg:
            dark, light = light, dark  # dark themes: "ink" is the background colour
        return light if contrast(light, fill) >= 3 or contrast(light, fill) > contrast(dark, fill) else dark

    def _draw_still(self, draw: ImageDraw.ImageDraw) -> None:
        t = self.theme
        text_ink = self._ink_on(self._bg)
        for k, line in enumerate(self._header):
            self._text(draw, (t.margin, t.margin + k * self._line_height), line, self._text_font, text_ink, self._bg)
        for x, y, title in self._titles if self.numbers else ():
            self._text(draw, (x, y), title, self._title_font, text_ink, self._bg)
        for c, grid in enumerate(self._inputs):
            self._draw_input(draw, grid, c)
        for grids in self._outputs:
            for grid in grids:
                self._grid_lines(draw, grid, lambda r, c: False, self._colour["empty_grid"], max(1, t.line_width // 2))
        if self._colour_image and not self.numbers:
            # with no titles, a coloured bar under each panel says which channel it is
            for c, grid in enumerate(self._inputs):
                colour = rgb(t.channels[c % len(t.channels)])
                y = grid.y + grid.height + 4
                draw.rectangle((grid.x, y, grid.x + grid.width - 1, y + 5), fill=colour)

    def _draw_input(self, draw: ImageDraw.ImageDraw, grid: _Grid, channel: int) -> None:
        conv, t = self.conv, self.theme
        values = conv.padded if conv.padded.ndim == 2 else conv.padded[..., channel]
        for r in range(grid.rows):
            for c in range(grid.cols):
                if not conv.is_padding(r, c):
                    draw.rectangle(grid.interior(r, c), fill=self._colour["input"])
                if self.numbers:
                    self._draw_value(draw, grid, r, c, values[r, c], shaded=False)
        self._grid_lines(draw, grid, lambda r, c: conv.is_padding(r, c), self._colour["grid"], t.line_width)

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

    def _draw_value(self, draw, grid: _Grid, r: int, c: int, value, shaded: bool) -> None:
        fnt, ink, fill = self._value_style(r, c, shaded)
        self._text(draw, self._value_xy(grid, r, c), format_number(value), fnt, ink, fill, anchor="mm")

    def _grid_lines(self, draw: ImageDraw.ImageDraw, grid: _Grid, dashed, colour: RGB, width: int) -> None:
        """Cell borders: dashed around padding cells, solid around the rest (solid wins where they meet)."""
        pad_colour = self._colour["padding_grid"]
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
                            _dashed_rectangle(draw, edge, pad_colour, dash=max(4, grid.cell // 8))
                        else:
                            draw.rectangle(edge, fill=colour)

    def _draw_outputs(self, draw: ImageDraw.ImageDraw) -> None:
        """Every output cell filled in, on a copy of the background; frames paste from it."""
        t = self.theme
        result = self.conv.result()
        self._output_values = [result] if result.ndim == 2 else [result[..., c] for c in range(self._channels)]
        colours = _display_colours(result) if self._colour_image else None
        for k, grids in enumerate(self._outputs):
            for grid in grids:
                for r in range(grid.rows):
                    for c in range(grid.cols):
                        if grid is self._combined:
                            draw.rectangle(grid.interior(r, c), fill=tuple(colours[r, c]))
                            continue
                        draw.rectangle(grid.interior(r, c), fill=self._colour["output"])
                        if self.numbers:
                            self._output_value(draw, grid, r, c, self._output_values[k][r, c], self._colour["output"])
                self._grid_lines(draw, grid, lambda r, c: False, self._colour["grid"], t.line_width)
        self._combined_colours = colours

    def _output_value(self, draw, grid: _Grid, r: int, c: int, value, fill: RGB) -> None:
        self._text(draw, grid.centre(r, c), format_number(value), self._value_font, self._ink_on(fill), fill, "mm")

    # -- moving parts --------------------------------------------------------

    def _prepare_steps(self) -> None:
        """Weights as text with their chip sizes, and every text/fill pair a frame can draw."""
        conv = self.conv
        kernel = conv.kernel if conv.flip_kernel is False else conv.kernel[::-1, ::-1]
        self._weights = []
        for c in range(self._channels):
            k = kernel[..., c] if kernel.ndim == 3 else kernel
            self._weights.append([[format_number(w) for w in row] for row in k])
        if not self.numbers:
            return
        chip_ink = self._colour["chip_ink"]
        self._pairs.add((chip_ink, self._colour["chip"]))
        for shaded in (False, True):
            for r, c in ((0, 0), (self.conv.pads[0], self.conv.pads[2])):
                if r < conv.padded.shape[0] and c < conv.padded.shape[1]:
                    _, ink, fill = self._value_style(r, c, shaded)
                    self._pairs.add((ink, fill))
        for fill in (self._shaded["output"], self._colour["output"]):
            self._pairs.add((self._ink_on(fill), fill))

    def _draw_footprint(self, draw: ImageDraw.ImageDraw, grid: _Grid, channel: int, origin) -> None:
        conv, t = self.conv, self.theme
        rows, cols = window_taps(origin, conv.kernel.shape, conv.dilation)
        values = conv.padded if conv.padded.ndim == 2 else conv.padded[..., channel]
        weights = self._weights[channel]
        for u, r in enumerate(rows):
            for v, c in enumerate(cols):
                fill = self._shaded["padding" if conv.is_padding(r, c) else "input"]
                box = grid.interior(r, c)
                draw.rectangle(box, fill=fill)
                if not self.numbers:
                    continue
                self._draw_value(draw, grid, r, c, values[r, c], shaded=True)
                text = weights[u][v]
                length = self._weight_font.getlength(text)
                x1, y1 = box[2] - 1, box[3] - 1
                x0, y0 = x1 - length - 4, y1 - t.weight_size - 2
                draw.rounded_rectangle((x0, y0, x1, y1), radius=3, fill=self._colour["chip"])
                draw.text((x1 - 2, y1 - 1), text, font=self._weight_font, fill=self._colour["chip_ink"], anchor="rd")

    def _draw_current_output(self, draw: ImageDraw.ImageDraw, channel: int, i: int, j: int) -> None:
        grids = self._outputs[channel]
        grid = grids[0]
        fill = self._shaded["output"]
        draw.rectangle(grid.interior(i, j), fill=fill)
        if self.numbers:
            self._output_value(draw, grid, i, j, self._output_values[channel][i, j], fill)
        if self._combined is not None and channel == self._channels - 1:
            box = self._combined.interior(i, j)
            # the combined cell keeps its colour; a frame around it marks it as current
            draw.rectangle(box, outline=self._colour["grid"], width=max(2, self.theme.line_width))

    def _draw_arithmetic(self, draw: ImageDraw.ImageDraw, step) -> None:
        t = self.theme
        ink = self._ink_on(self._bg)
        width = self.size[0] - 2 * t.margin
        y = self._arithmetic_y
        i, j = step.out_index
        for c in range(self._channels):
            label = f"out[{i}, {j}] = " if not self._colour_image else f"{self._channel_name(c)} out[{i}, {j}] = "
            lines = self._wrapped_sum(step, c if self._colour_image else None, label, width)
            for line in lines:
                draw.text((t.margin, y), line, font=self._text_font, fill=ink)
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

    # -- palette -------------------------------------------------------------

    def _build_palette(self) -> list[RGB]:
        colours = [self._bg, *self._colour.values(), *self._shaded.values()]
        colours += [rgb(c) for c in self.theme.channels]
        for ink, fill in sorted(self._pairs):
            colours += [ink, fill] + [blend(ink, fill, a) for a in _TEXT_SHADES]
        palette = list(dict.fromkeys(colours))
        if self._combined_colours is not None:
            # frames are mapped to the nearest palette colour, so a large colour output
            # only needs a coarse sample of its colours
            extra = self._combined_colours.reshape(-1, 3).astype(int)
            step = 1
            while len(unique := np.unique(extra // step * step, axis=0)) > 256 - len(palette):
                step *= 2
            palette += [tuple(int(v) for v in c) for c in unique if tuple(c) not in palette]
        return palette[:256]


def _pair(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"


def _pack(chunks: list[str], fnt, width: int) -> list[str]:
    """Greedy line filling; a continued line starts with its operator, as in handwriting."""
    lines = [chunks[0]]
    for chunk in chunks[1:]:
        candidate = f"{lines[-1]} {chunk}"
        if fnt.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append("    " + chunk)
    return lines


def _dashed_rectangle(draw: ImageDraw.ImageDraw, box, colour: RGB, dash: int) -> None:
    """Fill a thin axis-aligned box as dashes along its long side."""
    x0, y0, x1, y1 = box
    horizontal = x1 - x0 >= y1 - y0
    start, end = (x0, x1) if horizontal else (y0, y1)
    for a in range(start, end + 1, 2 * dash):
        b = min(a + dash - 1, end)
        draw.rectangle((a, y0, b, y1) if horizontal else (x0, a, x1, b), fill=colour)


def _display_colours(result: np.ndarray) -> np.ndarray:
    """An output image as uint8 colours: integers as they are, 0…1 floats scaled, others stretched."""
    values = np.asarray(result, dtype=float)
    if result.dtype.kind in "ui" and values.min() >= 0 and values.max() <= 255:
        scaled = values
    elif values.min() >= 0 and values.max() <= 1:
        scaled = values * 255
    else:
        low, high = values.min(), values.max()
        scaled = (values - low) * (255 / (high - low)) if high > low else np.zeros_like(values)
    colours = np.rint(scaled).astype(np.uint8)
    return colours[..., :3] if colours.shape[2] >= 3 else np.repeat(colours[..., :1], 3, axis=2)


def render_frame(conv: Convolution, step_index: int, *, theme: str | Theme = "default", numbers: bool = True):
    """Draw step ``step_index`` of ``conv`` as one picture (mode "P", see :class:`FrameRenderer`).

    Rendering many steps of the same convolution is faster with one
    :class:`FrameRenderer`, which draws the still parts only once.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> render_frame(conv, 3).mode
    'P'
    """
    return FrameRenderer(conv, theme=theme, numbers=numbers).frame(step_index)
