"""conv_arithmetic's oblique look: the input plane below, the output plane above, seen at an angle.

Each plane keeps its flat items; an affine matrix tilts it onto the frame
(columns run up and to the right, rows down and to the right, as in
conv_arithmetic's figures). Lines join the footprint's corners to the current
output cell's corners; where they pass behind the (opaque) output plane they
are cut, so they end at its edge as in conv_arithmetic's GIFs. The output plane
is complete from the first frame, the current cell darkened.
"""

from __future__ import annotations

from typing import Any

from ..geometry import window_taps
from .items import Box, Item, Line, Matrix, Point, apply

# where one pixel along a plane's columns (U) and rows (V) lands on the frame
U = (0.825, -0.36)
V = (0.51, 0.49)
NUMBERS_ZOOM = 1.25  # tilted cells are narrower: numbers need larger cells


def matrix(x: float, y: float) -> Matrix:
    """The tilt, with the plane's origin (its top-left corner) at ``(x, y)`` of the frame."""
    return (U[0], V[0], x, U[1], V[1], y)


def extent(width: float, height: float) -> tuple[float, float, float, float]:
    """The frame box ``(x0, y0, x1, y1)`` a ``width`` × ``height`` plane covers, relative to its origin.

    >>> [round(v) for v in extent(100, 100)]
    [0, -36, 134, 49]
    """
    xs = (0, U[0] * width, V[0] * height, U[0] * width + V[0] * height)
    ys = (0, U[1] * width, V[1] * height, U[1] * width + V[1] * height)
    return (min(xs), min(ys), max(xs), max(ys))


def visible_part(start: Point, end: Point, polygon: list[Point]) -> tuple[Point, Point] | None:
    """The part of segment start→end before it enters the convex ``polygon`` (None when it starts inside).

    >>> square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    >>> visible_part((5, 20), (5, 5), square)
    ((5.0, 20.0), (5.0, 10.0))
    """
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    enter, leave = 0.0, 1.0
    n = len(polygon)
    # orientation of the polygon, so "inside" is the same side of every edge
    area = sum(polygon[k][0] * polygon[(k + 1) % n][1] - polygon[(k + 1) % n][0] * polygon[k][1] for k in range(n))
    sign = 1 if area > 0 else -1
    for k in range(n):
        (ax, ay), (bx, by) = polygon[k], polygon[(k + 1) % n]
        # inside when sign * cross(edge, point - a) >= 0
        ex, ey = bx - ax, by - ay
        at_start = sign * (ex * (y0 - ay) - ey * (x0 - ax))
        rate = sign * (ex * dy - ey * dx)
        if rate == 0:
            if at_start < 0:
                return (float(x0), float(y0)), (float(x1), float(y1))  # parallel and outside: never enters
            continue
        t = -at_start / rate
        if rate > 0:
            enter = max(enter, t)
        else:
            leave = min(leave, t)
    if enter > leave or enter >= 1:
        return (float(x0), float(y0)), (float(x1), float(y1))
    if enter <= 0:
        return None
    return (float(x0), float(y0)), (float(x0 + enter * dx), float(y0 + enter * dy))


class Oblique:
    """Lays out a convolution-like scene's planes tilted, and draws what is special to that look."""

    def __init__(self, scene: Any):
        self.scene = scene

    def arrange(self) -> None:
        s = self.scene
        t, conv = s.theme, s.op
        if s.numbers:
            s.cell = round(s.cell * NUMBERS_ZOOM)
        cell, lw = s.cell, t.line_width
        prows, pcols = conv.padded.shape[:2]
        orows, ocols = conv.output_shape
        inside = extent(pcols * cell + lw, prows * cell + lw)
        outside = extent(ocols * cell + lw, orows * cell + lw)
        title_height = round(t.title_size * 1.6) if s.numbers else 0
        column = max(inside[2] - inside[0], outside[2] - outside[0])
        columns = s.channels + (1 if s.rgb else 0)
        width = round(t.margin * 2 + columns * column + (columns - 1) * t.gap)
        width = max(width, s.min_width())
        top = s.header_top(width) + title_height
        out_height = outside[3] - outside[1]
        gap = title_height + cell * 0.4
        s.titles = []
        for c in range(columns):
            centre = t.margin + c * (column + t.gap) + column / 2
            ox, oy = centre - (outside[0] + outside[2]) / 2, top - outside[1]
            name = s.output_name(c) if c < s.channels else "combined"
            s.grid(name, 0, 0, orows, ocols, plane=s.add_plane(matrix(ox, oy)))
            words = s.output_title(c)
            s.titles.append((ox + outside[0], top - title_height, words, name))
            if c < s.channels:
                iy = top + out_height + gap - inside[1]
                ix = centre - (inside[0] + inside[2]) / 2
                name = s.input_name(c)
                s.grid(name, 0, 0, prows, pcols, padding=True, plane=s.add_plane(matrix(ix, iy)))
                s.titles.append((ix + inside[0], iy + inside[1] - title_height, s.input_title_of(c), name))
        bottom = top + out_height + gap + inside[3] - inside[1]
        s.finish(width, round(bottom))

    def still_outputs(self) -> list[Item]:
        """Every output plane complete in the output colour (the combined one in its colours), lines on top."""
        s = self.scene
        items: list[Item] = []
        for channel, grid in enumerate(s.output_grids()):
            for i in range(grid.rows):
                for j in range(grid.cols):
                    combined = grid.name == "combined"
                    fill = s.combined_colour(i, j) if combined else s.output_fill(channel, i, j, False)
                    items.append(Box(grid.interior(i, j), fill, approximate=combined, plane=grid.plane))
            items.append(grid)
        return items

    def reveal(self, out_index: tuple[int, int]) -> list[Item]:
        """The values a step writes into the (already coloured) output planes."""
        s = self.scene
        i, j = out_index
        return [
            item
            for channel in range(s.channels)
            for item in s.output_marks(channel, i, j, s.output_fill(channel, i, j, False))
        ]

    def connectors(self, step: Any) -> list[Item]:
        """Lines from the footprint's corners to the current output cell's corners, cut behind the output plane."""
        s = self.scene
        conv = s.op
        rows, cols = window_taps(step.origin, conv.kernel.shape, conv.dilation)
        i, j = step.out_index
        width = max(1, s.theme.line_width // 2)
        items: list[Item] = []
        for channel in range(s.channels):
            source, target = s.grids[s.input_name(channel)], s.grids[s.output_name(channel)]
            low = source.corners(rows[0], cols[0], rows[-1] + 1, cols[-1] + 1)
            high = target.corners(i, j, i + 1, j + 1)
            plane = target.corners(0, 0, target.rows, target.cols)
            to_frame = s.planes[source.plane], s.planes[target.plane]
            cover = [apply(to_frame[1], p) for p in plane]
            for k, (a, b) in enumerate(zip(low, high, strict=True)):
                part = visible_part(apply(to_frame[0], a), apply(to_frame[1], b), cover)
                if part is not None:
                    items.append(Line(part, s.colours.grid, width, tag=("connector", channel, k)))
        return items
