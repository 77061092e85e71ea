"""The flat layout: input and output panels side by side, their row and column indices around them.

Colour images get one column per channel (its input above its output) and the
combined colour output on the right.
"""

from __future__ import annotations

from typing import Any

from .items import Item, Text


class Flat:
    """Lays out a convolution-like scene's panels flat on the frame."""

    def __init__(self, scene: Any):
        self.scene = scene

    def arrange(self) -> None:
        s = self.scene
        conv, t = s.conv, s.theme
        padded_rows, padded_cols = conv.padded.shape[:2]
        out_rows, out_cols = conv.output_shape
        cell, lw, band = s.cell, t.line_width, s.panel_band()
        title_height = round(t.title_size * 1.6) if s.numbers else 0
        in_w, in_h = band + padded_cols * cell + lw, band + padded_rows * cell + lw
        out_w, out_h = band + out_cols * cell + lw, band + out_rows * cell + lw
        column = max(in_w, out_w)
        # widths first: the header wraps to the frame's width, and its height places the panels
        if s.colour_image:
            right = t.margin + s.channels * (column + t.gap) - t.gap + (t.gap + out_w if s.rgb else 0)
        else:
            right = t.margin + in_w + t.gap + out_w
        width = max(right + t.margin, s.min_width())
        y = s.header_top(width)
        s.titles = []
        if not s.colour_image:
            top = y + title_height
            body = max(in_h, out_h)
            iy, ox, oy = top + (body - in_h) // 2, t.margin + in_w + t.gap, top + (body - out_h) // 2
            s.grid("input", t.margin + band, iy + band, padded_rows, padded_cols, padding=True)
            s.grid("output", ox + band, oy + band, out_rows, out_cols)
            s.titles += [
                (t.margin, iy - title_height, s.input_title_of(0), "input"),
                (ox, oy - title_height, s.output_title(0), "output"),
            ]
            bottom = top + body
        else:
            in_top = y + title_height
            out_top = in_top + in_h + t.gap // 2 + title_height
            for c in range(s.channels):
                x = t.margin + c * (column + t.gap)
                ix, ox = x + (column - in_w) // 2, x + (column - out_w) // 2
                s.grid(s.input_name(c), ix + band, in_top + band, padded_rows, padded_cols, padding=True)
                s.grid(s.output_name(c), ox + band, out_top + band, out_rows, out_cols)
                s.titles += [
                    (ix, y, s.input_title_of(c), s.input_name(c)),
                    (ox, out_top - title_height, s.output_title(c), s.output_name(c)),
                ]
            if s.rgb:
                cx = t.margin + s.channels * (column + t.gap)
                s.grid("combined", cx + band, out_top + band, out_rows, out_cols)
                s.titles.append((cx, out_top - title_height, s.output_title(s.channels), "combined"))
            bottom = out_top + out_h
        s.finish(width, bottom)

    def indices(self) -> list[Item]:
        """Zero-based row and column numbers beside each grid: the input's own (none on padding), the output's."""
        s = self.scene
        top, _, left, _ = s.conv.pads
        h, w = s.conv.image.shape[:2]
        muted, bg, face, gap = s.colours.muted, s.background, s.weight_font, s.theme.line_width + 3
        spans = [(s.grids[s.input_name(c)], top, left, h, w) for c in range(s.channels)]
        spans += [(s.grids[s.output_name(c)], 0, 0, *s.conv.output_shape) for c in range(s.channels)]
        items: list[Item] = []
        for grid, row0, col0, rows, cols in spans:
            for r in range(rows):
                xy = (grid.x - gap, grid.centre(row0 + r, 0)[1])
                items.append(Text(xy, str(r), face, muted, bg, "rm", tag=("index", grid.name, "row", r)))
            for col in range(cols):
                xy = (grid.centre(0, col0 + col)[0], grid.y - gap)
                items.append(Text(xy, str(col), face, muted, bg, "md", tag=("index", grid.name, "col", col)))
        return items
