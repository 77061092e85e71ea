"""The scene of a kernel being learned (:class:`~visualizer.learning_animation.KernelLearning`).

A frame shows the kernel after ``t`` updates as a grid of numbers, each cell
coloured by its weight (blue below zero, red above), beside the target kernel;
the loss curve, drawn faintly in full and darkly up to ``t``; and, below, the
example image, what the current kernel makes of it and the target output, as
small maps in the same colours. One layout serves "flat" and "oblique" (a
learning curve has no planes to tilt).

>>> import numpy as np
>>> from visualizer.learn import KernelHistory
>>> from visualizer.learning_animation import KernelLearning
>>> history = KernelHistory(np.array([[[0.5, -1]], [[1, -1]]]), np.array([2.0, 0.0]), 0.5)
>>> scene = LearningScene(KernelLearning(history, [[1, 2, 3]], [[-1, -1]])).scene(0)
>>> scene.text_at("weight", "kernel", 0, 0), scene.text_at("loss")
('0.5', 'loss 2')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..learning_animation import KernelLearning
from ..render.style import RGB, blend
from ..text import display_number
from .base import SceneBuilder, widest
from .items import Box, Grid, Item, Line, Text

LEVELS = 7  # shades on either side of zero
DECIMALS = 3  # a learned weight's places: enough to watch it settle, never 2e−07 for nothing
MAX_CURVE_POINTS = 400


class LearningScene(SceneBuilder):
    """Builds the frames of one :class:`KernelLearning` (see the module's description)."""

    def __init__(self, learning: KernelLearning, **style: Any):
        if not isinstance(learning, KernelLearning):
            raise TypeError(f"learning must be a KernelLearning, got {type(learning).__name__}")
        super().__init__(learning, **style)
        self.learning, t, c = learning, self.theme, self.colours
        history = learning.history
        outputs = [step.output for step in learning.steps()]
        kernels = [history.kernels] + ([learning.target_kernel] if learning.target_kernel is not None else [])
        self.kernel_scale = max(float(np.abs(k).max()) for k in kernels) or 1.0
        self.output_scale = max(float(np.abs(learning.target).max()), *(float(np.abs(o).max()) for o in outputs))
        self.output_scale = self.output_scale or 1.0
        negative, positive = c.input, c.channels[0]
        self.ramp = [blend(negative, self.background, a / LEVELS) for a in range(LEVELS, 0, -1)]
        self.ramp += [self.background] + [blend(positive, self.background, a / LEVELS) for a in range(1, LEVELS + 1)]
        shown = np.concatenate([history.kernels[learning.iterations].ravel(), *map(np.ravel, kernels[1:])])
        shown = np.unique(np.round(shown, DECIMALS))
        self.cell = int(max(t.cell, widest(shown, self.value_font) + 12)) if self.numbers else t.cell
        rows, cols = learning.image.shape
        self.small = int(np.clip(220 // max(rows, cols), 6, 16))
        self._arrange()
        self._build_still()

    def colour(self, value: float, scale: float) -> RGB:
        """The shade of ``value``: blue below zero, red above, in ``LEVELS`` steps up to ``scale``."""
        return self.ramp[LEVELS + int(np.clip(np.rint(value / scale * LEVELS), -LEVELS, LEVELS))]

    # -- layout -----------------------------------------------------------------------------

    def _arrange(self) -> None:
        t, learning = self.theme, self.learning
        title_h = round(t.title_size * 1.6) if self.numbers else 0
        m, n = learning.history.kernels.shape[1:]
        lw = t.line_width
        top = t.margin + (2 * self.line_height + t.margin // 2 if self.numbers else 0)
        x = t.margin
        self.titles: list[tuple[tuple[float, float], str, str]] = []
        kernel = self._grid("kernel", x, top + title_h, m, n, self.cell, lw)
        x += kernel.size[0] + t.gap
        if learning.target_kernel is not None:
            self.titles.append(((x, top), "target kernel", "target"))
            x += self._grid("target", x, top + title_h, m, n, self.cell, lw).size[0] + t.gap
        self.kernel_title_xy = (t.margin, top)
        chart_h = max(kernel.size[1], round(t.text_size * 8))
        chart_w = round(t.text_size * 22)
        label_w = round(t.text_size * 4)  # the loss's labels, left of the chart's axis
        self.chart = (x + label_w, top + title_h, x + label_w + chart_w, top + title_h + chart_h)
        self.titles.append(((x, top), "loss (mean squared error, log scale)", "chart"))
        width = self.chart[2] + t.margin
        y = self.chart[3] + t.margin + self.line_height
        rows, cols = learning.image.shape
        out_rows, out_cols = learning.target.shape
        x = t.margin
        for name, title, shape in (
            ("image", "example image", (rows, cols)),
            ("output", "this kernel's output", (out_rows, out_cols)),
            ("target-output", "target output", (out_rows, out_cols)),
        ):
            self.titles.append(((x, y), title, name))
            # cells parted by thin lines of the background, so a map reads as a picture
            grid = self._grid(name, x, y + title_h, *shape, self.small, 1, self.background)
            x += max(grid.size[0], round(t.title_size * 12)) + t.gap
        width = max(width, x - t.gap + t.margin)
        height = y + title_h + max(self.grids[n].size[1] for n in ("image", "output")) + t.margin
        self.size = (width + width % 2, height + height % 2)

    def _grid(self, name: str, x: float, y: float, rows: int, cols: int, cell: int, line: int, colour=None) -> Grid:
        grid = Grid(name, x, y, rows, cols, cell, line, colour or self.colours.grid, tag=("grid", name))
        self.grids[name] = grid
        return grid

    # -- still parts ------------------------------------------------------------------------

    def _build_still(self) -> None:
        t, c, out, learning = self.theme, self.colours, self._still, self.learning
        if self.numbers:
            header = learning.describe().replace("-", "−")  # a true minus in the exponents, as elsewhere on frames
            out.append(self.label((t.margin, t.margin), header, self.text_font, ("header", 0)))
            out.extend(self.label(xy, text, self.title_font, ("title", name)) for xy, text, name in self.titles)
        if learning.target_kernel is not None:
            out.extend(self._weights("target", learning.target_kernel))
        image_scale = float(np.abs(learning.image).max()) or 1.0
        out.extend(self._map("image", learning.image, image_scale))
        out.extend(self._map("target-output", learning.target, self.output_scale))
        x0, y0, x1, y1 = self.chart
        out.append(Line(((x0, y0), (x0, y1), (x1, y1)), c.muted, 1, tag=("chart", "axes")))
        out.append(Line(self._curve(learning.updates), c.muted, 1, tag=("curve", "whole")))
        if self.numbers:
            losses = self._losses()
            face, ink, bg = self.weight_font, c.ink_on(self.background), self.background
            out.append(Text((x0 - 4, y0), _loss_text(losses.max()), face, ink, bg, "ra", tag=("chart", "high")))
            out.append(Text((x0 - 4, y1), _loss_text(losses.min()), face, ink, bg, "rd", tag=("chart", "low")))
            out.append(Text((x0, y1 + 3), "0", face, ink, bg, "ma", tag=("chart", "first")))
            out.append(Text((x1, y1 + 3), f"{learning.updates} updates", face, ink, bg, "ra", tag=("chart", "last")))

    def _weights(self, name: str, kernel: np.ndarray) -> list[Item]:
        """A kernel's cells coloured by weight, each with its weight rounded to ``DECIMALS`` places."""
        grid, c = self.grids[name], self.colours
        # rounded first: 2e-07 reads 0, and 0.9999 and 1.0001 get one colour, as they print alike
        kernel = np.round(kernel, DECIMALS) + 0.0
        items: list[Item] = []
        for u, v in np.ndindex(grid.rows, grid.cols):
            fill = self.colour(kernel[u, v], self.kernel_scale)
            items.append(Box(grid.interior(u, v), fill, tag=("cell", name, u, v)))
            if self.numbers:
                text = display_number(kernel[u, v])
                items.append(
                    Text(
                        grid.centre(u, v), text, self.value_font, c.ink_on(fill), fill, "mm", tag=("weight", name, u, v)
                    )
                )
        return [*items, grid]

    def _map(self, name: str, values: np.ndarray, scale: float) -> list[Item]:
        grid = self.grids[name]
        cells = [
            Box(grid.interior(i, j), self.colour(values[i, j], scale), tag=("cell", name, i, j))
            for i, j in np.ndindex(grid.rows, grid.cols)
        ]
        return [*cells, grid]

    def _losses(self) -> np.ndarray:
        losses = self.learning.history.losses
        floor = max(float(losses[losses > 0].min()) if (losses > 0).any() else 1.0, float(losses.max()) * 1e-15)
        return np.maximum(losses, floor)

    def _curve(self, last: int) -> tuple[tuple[float, float], ...]:
        """The loss curve from update 0 to ``last`` on the chart (log scale), at most ``MAX_CURVE_POINTS`` points."""
        logs = np.log10(self._losses())
        low, high = float(logs.min()), float(logs.max())
        x0, y0, x1, y1 = self.chart
        updates = max(self.learning.updates, 1)
        picked = np.unique(np.linspace(0, last, min(last + 1, MAX_CURVE_POINTS)).round().astype(int))
        span = (high - low) or 1.0
        return tuple(
            (x0 + (x1 - x0) * t / updates, y1 - (y1 - y0) * (logs[t] - low) / span)
            for t in ([0, 0] if last == 0 else picked)
        )

    # -- moving parts -------------------------------------------------------------------------

    def moving(self, index: int) -> tuple[Item, ...]:
        step = self.learning.step(index)
        c, t = self.colours, self.theme
        items: list[Item] = []
        if self.numbers:
            status = self.caption(index)
            items.append(self.label((t.margin, t.margin + self.line_height), status, self.text_font, ("status",)))
            title = f"kernel after {step.iteration} updates"
            items.append(self.label(self.kernel_title_xy, title, self.title_font, ("title", "kernel")))
        items.extend(self._weights("kernel", step.kernel))
        items.extend(self._map("output", step.output, self.output_scale))
        curve = self._curve(step.iteration)
        items.append(Line(curve, c.grid, 2, tag=("curve", "so far")))
        x, y = (round(v) for v in curve[-1])
        items.append(Box((x - 4, y - 4, x + 4, y + 4), c.chip, radius=4, tag=("curve", "marker")))
        if self.numbers:
            x0, y0, x1, _ = self.chart
            items.append(self.label((x1, y0), f"loss {_loss_text(step.loss)}", self.text_font, ("loss",), "ra"))
        return tuple(items)

    def moving_colours(self) -> tuple[set, set]:
        c, bg = self.colours, self.background
        fills = {*self.ramp, c.grid, c.chip, c.muted}
        pairs = {(c.ink_on(fill), fill) for fill in self.ramp} | {(c.ink_on(bg), bg)} if self.numbers else set()
        return fills, pairs

    # -- the protocol's words --------------------------------------------------------------------

    def caption(self, index: int) -> str:
        step = self.learning.step(index)
        return f"after {step.iteration} of {self.learning.updates} updates: loss {_loss_text(step.loss)}"

    def step_label(self, index: int) -> str:
        return f"update {self.learning.step(index).iteration}"

    def sheet_columns(self) -> int:
        return min(self.learning.num_steps, 5)


def _loss_text(loss: float) -> str:
    """A loss in three significant figures, with a true minus in its exponent: ``1.2e−05``."""
    return f"{float(loss):.3g}".replace("-", "−")
