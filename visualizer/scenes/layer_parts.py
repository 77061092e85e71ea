"""Pieces of a layer's scene that a convolution's has not: panel rings, small maps, indices, the activation chart.

>>> from visualizer.scenes.items import Font
>>> chart = ActivationChart("relu", (-7.0, 5.0), (0, 0, 120, 80), Font(11), ((0, 0, 0), (9, 9, 9), (255, 255, 255)))
>>> chart.place(-7, 0), chart.place(5, 5)
((8.0, 72.0), (112.0, 8.0))
"""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ..render.style import RGB, blend
from ..text import display_number
from .items import Box, Font, Grid, Item, Line, Point, Text

CHART_SAMPLES = 48  # points along a smooth activation's curve


def ring(grid: Grid, colour: RGB, width: int, tag: tuple, pad: int = 4) -> Box:
    """A ring ``pad`` px around every cell of ``grid``, on its plane: the panel in use."""
    x0, y0, x1, y1 = grid.region(0, 0, grid.rows, grid.cols)
    return Box((x0 - pad, y0 - pad, x1 - 1 + pad, y1 - 1 + pad), None, colour, width, plane=grid.plane, tag=tag)


def shade(value: float, low: float, high: float, colour: RGB, background: RGB) -> RGB:
    """A small map's cell: ``colour`` faint for the lowest value, full for the highest.

    >>> shade(10, 0, 10, (0, 0, 0), (255, 255, 255)), shade(0, 0, 10, (0, 0, 0), (255, 255, 255))
    ((0, 0, 0), (217, 217, 217))
    """
    level = 0.5 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
    return blend(colour, background, 0.15 + 0.85 * level)


def small_map(grid: Grid, values: np.ndarray, low: float, high: float, colour: RGB, background: RGB) -> list[Item]:
    """Every cell of ``grid`` filled with its value's shade (a picture of the channel; rounded to the palette)."""
    return [
        Box(grid.interior(r, c), shade(values[r, c], low, high, colour, background), approximate=True, plane=grid.plane)
        for r, c in np.ndindex(grid.rows, grid.cols)
    ]


def indices(grid: Grid, first: tuple[int, int], count: tuple[int, int], face: Font, ink: RGB, on: RGB) -> list[Text]:
    """Zero-based row numbers left of ``grid`` and column numbers above it, from cell ``first`` on."""
    (row0, col0), (rows, cols), gap = first, count, grid.line + 3
    items = [
        Text(
            (grid.x - gap, grid.centre(row0 + r, 0)[1]), str(r), face, ink, on, "rm", tag=("index", grid.name, "row", r)
        )
        for r in range(rows)
    ]
    items += [
        Text(
            (grid.centre(0, col0 + c)[0], grid.y - gap), str(c), face, ink, on, "md", tag=("index", grid.name, "col", c)
        )
        for c in range(cols)
    ]
    return items


def visible_parts(start: Point, end: Point, covers: list[list[Point]]) -> list[tuple[Point, Point]]:
    """The pieces of segment start→end that no convex polygon of ``covers`` hides (Cyrus–Beck, per polygon).

    >>> square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    >>> visible_parts((-10, 5), (20, 5), [square])
    [((-10.0, 5.0), (0.0, 5.0)), ((10.0, 5.0), (20.0, 5.0))]
    """
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    hidden = []
    for polygon in covers:
        n = len(polygon)
        area = sum(polygon[k][0] * polygon[(k + 1) % n][1] - polygon[(k + 1) % n][0] * polygon[k][1] for k in range(n))
        sign = 1 if area > 0 else -1
        enter, leave = 0.0, 1.0
        for k in range(n):
            (ax, ay), (bx, by) = polygon[k], polygon[(k + 1) % n]
            at_start = sign * ((bx - ax) * (y0 - ay) - (by - ay) * (x0 - ax))
            rate = sign * ((bx - ax) * dy - (by - ay) * dx)
            if rate == 0:
                if at_start < 0:
                    enter, leave = 1.0, 0.0  # parallel to this edge and outside it: never inside
                continue
            t = -at_start / rate
            enter, leave = (max(enter, t), leave) if rate > 0 else (enter, min(leave, t))
        if enter < leave:
            hidden.append((enter, leave))
    parts, t = [], 0.0
    for a, b in sorted(hidden) + [(1.0, 1.0)]:
        if a > t:
            parts.append(((float(x0 + t * dx), float(y0 + t * dy)), (float(x0 + a * dx), float(y0 + a * dy))))
        t = max(t, b)
    return parts


class ActivationChart:
    """The activation's curve over the layer's sums, and where this step's sum lands on it.

    ``colours`` is (curve, axes, marker); ``box`` the chart's area ``(x0, y0, x1, y1)``.
    """

    def __init__(
        self, name: str, span: tuple[float, float], box: tuple[int, int, int, int], face: Font, colours: tuple
    ):
        self.function = ACTIVATIONS[name]
        self.name, self.box, self.face = name, box, face
        self.curve, self.axes, self.marker_colour = colours
        low, high = min(span[0], 0.0), max(span[1], 0.0)
        if high == low:
            low, high = low - 1, high + 1
        self.x_range = (low, high)
        xs = np.union1d(np.linspace(low, high, CHART_SAMPLES), [0.0])
        self.points = (xs, self.function(xs))
        ys = self.points[1]
        self.y_range = (min(float(ys.min()), 0.0), max(float(ys.max()), 0.0))
        if self.y_range[0] == self.y_range[1]:
            self.y_range = (self.y_range[0] - 1, self.y_range[1] + 1)

    def place(self, x: float, y: float) -> tuple[float, float]:
        """Where the point ``(x, y)`` of the function's graph lies on the frame."""
        x0, y0, x1, y1 = self.box
        inset = 8  # the marker stays inside the box at either end
        (lx, hx), (ly, hy) = self.x_range, self.y_range
        px = x0 + inset + (x - lx) / (hx - lx) * (x1 - x0 - 2 * inset)
        py = y1 - inset - (y - ly) / (hy - ly) * (y1 - y0 - 2 * inset)
        return (float(round(px, 2)), float(round(py, 2)))

    def still(self, background: RGB, ink: RGB) -> list[Item]:
        """The axes through zero, the curve, and the ends of the x axis labelled."""
        (lx, hx), (ly, hy) = self.x_range, self.y_range
        items: list[Item] = [
            Line((self.place(lx, 0), self.place(hx, 0)), self.axes, 1, tag=("chart", "x-axis")),
            Line((self.place(0, ly), self.place(0, hy)), self.axes, 1, tag=("chart", "y-axis")),
            Line(
                tuple(self.place(x, y) for x, y in zip(*self.points, strict=True)),
                self.curve,
                2,
                tag=("chart", "curve"),
            ),
        ]
        _, _, _, y1 = self.box
        for x, anchor in ((lx, "la"), (hx, "ra")):
            xy = (self.place(x, 0)[0], y1 + 2)
            items.append(Text(xy, display_number(x), self.face, ink, background, anchor, tag=("chart", "x", anchor)))
        return items

    def marker(self, pre: float, value: float) -> list[Item]:
        """This step's sum on the x axis, a guide up (or down) to the curve, and a dot where the output is."""
        foot, dot = self.place(pre, 0), self.place(pre, value)
        x, y = (round(v) for v in dot)
        return [
            Line((foot, dot), self.axes, 1, tag=("chart", "guide")),
            Box((x - 4, y - 4, x + 4, y + 4), self.marker_colour, radius=4, tag=("chart", "marker")),
        ]
