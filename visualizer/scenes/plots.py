"""A long 1-D signal drawn as a signal: its samples as a line over a value axis, not a one-pixel strip.

When a signal's samples are too many for numbered cells, the magnifier
(:mod:`.magnifier`) draws the padded input and the output as plots: a
:class:`PlotPanel` spans the frame's width, one sample every ``px`` pixels
(a fraction of a pixel for long signals), and :func:`trace` gives the line
through the samples, or each pixel column's least and greatest sample when
there are more samples than columns, so 20,000 samples cost as little as 2,000.
A window's span is outlined like a footprint on a picture (:meth:`PlotPanel.box`
has the same meaning: the columns of samples ``c0…c1-1``).

>>> panel = PlotPanel("input", 10, 20, 100, 50, 4, -1.0, 1.0)
>>> panel.box(0, 1, 1, 3)
(35, 20, 84, 69)
>>> trace(panel, np.array([-1.0, 0.0, 1.0, 0.0]))
((22.5, 70.0), (47.5, 45.0), (72.5, 20.0), (97.5, 45.0))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text import display_number
from .items import Box, Item, Line, Point
from .shading import ACCENT, POSITIVE

ROOM = 0.08  # of the values' range, above and below the line, so its peaks do not touch the frame


@dataclass(frozen=True)
class PlotPanel:
    """Where a plot of ``cols`` samples lies: a ``width`` × ``height`` box at ``(x, y)``, values ``low…high``
    from its bottom to its top."""

    name: str
    x: float
    y: float
    width: float
    height: float
    cols: int
    low: float
    high: float
    plane: int = 0
    rows = 1

    @property
    def px(self) -> float:
        """Pixels per sample (less than one for a long signal)."""
        return self.width / self.cols

    def box(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int, int, int]:
        """Inclusive pixel box of samples ``c0…c1-1`` over the plot's height (at least a pixel wide)."""
        x0 = round(self.x + c0 * self.px)
        return (x0, round(self.y), max(x0, round(self.x + c1 * self.px) - 1), round(self.y + self.height) - 1)

    def corners(self, r0: int, c0: int, r1: int, c1: int) -> tuple[Point, Point, Point, Point]:
        x0, y0, x1, y1 = self.box(r0, c0, r1, c1)
        return ((x0, y0), (x1 + 1, y0), (x1 + 1, y1 + 1), (x0, y1 + 1))

    def x_of(self, k: np.ndarray | int) -> np.ndarray:
        """The x of sample ``k``'s centre."""
        return self.x + (np.asarray(k) + 0.5) * self.px

    def y_of(self, values: np.ndarray | float) -> np.ndarray:
        """The y of ``values`` (``high`` at the top)."""
        share = (np.asarray(values, float) - self.low) / (self.high - self.low)
        return self.y + self.height * (1 - share)


def value_span(values: np.ndarray) -> tuple[float, float]:
    """The range a plot shows for ``values``: theirs with a little room, or ±1 round a constant.

    >>> value_span(np.array([0.0, 10.0])), value_span(np.array([3.0, 3.0]))
    ((-0.8, 10.8), (2.0, 4.0))
    """
    low, high = float(np.min(values)), float(np.max(values))
    if high == low:
        return low - 1, high + 1
    room = (high - low) * ROOM
    return low - room, high + room


def trace(panel: PlotPanel, values: np.ndarray, start: int = 0, step: int = 1) -> tuple[Point, ...]:
    """The line through ``values`` (samples ``start``, ``start + step``, …): a point a sample, or, with more
    samples than pixel columns, each column's greatest and least sample (the line's envelope)."""
    values = np.asarray(values, float)
    if len(values) == 0:
        return ()
    k = start + step * np.arange(len(values))
    if panel.px >= 1:
        return tuple(zip(panel.x_of(k).tolist(), panel.y_of(values).tolist(), strict=True))
    columns = np.floor(k * panel.px).astype(int)
    edges = np.flatnonzero(np.diff(columns)) + 1
    firsts = np.concatenate([[0], edges])
    tops, bottoms = np.maximum.reduceat(values, firsts), np.minimum.reduceat(values, firsts)
    xs = panel.x + columns[firsts] + 0.5
    ys = np.empty(2 * len(firsts))
    ys[0::2], ys[1::2] = panel.y_of(tops), panel.y_of(bottoms)
    return tuple(zip(np.repeat(xs, 2).tolist(), ys.tolist(), strict=True))


def plot_still(scene: Any, panel: PlotPanel, out: PlotPanel, padded: np.ndarray, result: np.ndarray,
               pads: tuple[int, int]) -> list[Item]:  # fmt: skip
    """Both plots' frames, zero lines and least and greatest values; the input's line and where its ``pads``
    (left, right) begin."""
    c = scene.colours
    items: list[Item] = []
    for plot, values in ((panel, padded), (out, result)):
        x0, y0, x1, y1 = plot.box(0, 0, 1, plot.cols)
        items.append(Box((x0 - 1, y0, x1 + 1, y1), None, c.grid, 1, tag=("plot", plot.name)))
        if plot.low < 0 < plot.high:
            zero = float(plot.y_of(0))
            items.append(Line(((x0, zero), (x1, zero)), c.empty_grid, 1, tag=("zero", plot.name)))
        for end, value in (("high", float(np.max(values))), ("low", float(np.min(values)))):
            xy = (x0 - scene.theme.margin // 2, float(plot.y_of(value)))
            items.append(scene.label(xy, display_number(value), scene.text_font, ("axis", plot.name, end), anchor="rm"))
    left, right = pads
    for edge in (left, panel.cols - right) if left or right else ():
        x = panel.box(0, edge, 1, edge + 1)[0]
        edge_line = ((x, panel.y), (x, panel.y + panel.height))
        items.append(Line(edge_line, c.padding_grid, 1, tag=("image-edge", panel.name)))
    items.append(Line(trace(panel, padded), c.ink_on(scene.background), 1, tag=("trace", panel.name)))
    return items


def plot_moving(scene: Any, panel: PlotPanel, padded: np.ndarray, taps: range, out: PlotPanel,
                so_far: np.ndarray) -> list[Item]:  # fmt: skip
    """The window's samples (``taps``) on the input in the accent, and the output's line ``so_far``."""
    window = padded[taps.start : taps.stop : taps.step]
    items: list[Item] = [Line(trace(panel, window, taps.start, taps.step), ACCENT, 2, tag=("window", panel.name))]
    if len(so_far) > 1:
        items.append(Line(trace(out, so_far), POSITIVE, 2, tag=("trace", out.name)))
    return items


def sample_mark(out: PlotPanel, j: int, value: float, size: int) -> Box:
    """A dot on output sample ``j``, the step's value."""
    x, y = round(float(out.x_of(j))), round(float(out.y_of(value)))
    return Box((x - size, y - size, x + size, y + size), ACCENT, tag=("sample", out.name, j))
