"""A pooling's magnifier: the window's values large, the winner ringed (max), and what the window gives.

When a pooling's input is drawn as pictures (:mod:`.magnifier`), this panel
shows the current window as numbered cells, one row per channel: padding as
−∞ (max) or 0 (average), cells never counted crossed out (×), the tap that won ringed,
and ``max = v`` or ``Σ / n = s / n = v`` beside it. It knows texts, not
operations: the pooling's scene says what each cell reads.

>>> import numpy as np
>>> from visualizer import Pooling
>>> from visualizer.scenes import scene_builder
>>> builder = scene_builder(Pooling(np.arange(90_000).reshape(300, 300) % 251, 3), max_size=(1920, 1080))
>>> builder.scene(0).text_at("products", 0, "sum")  # 602 % 251, the last tap
'max = 100'
"""

from __future__ import annotations

from typing import Any

from .base import text_width
from .items import Box, Font, Grid, Item, Text


class WindowPanel:
    """One row per channel: the window's ``rows`` × ``cols`` cells and the result beside them.

    ``texts`` are every text a cell may show and ``results`` every result line,
    so the cells and the panel fit the widest; ``names`` name each row ("red", …,
    or "" for a grey image).
    """

    def __init__(self, builder: Any, rows: int, cols: int, texts: set[str], results: list[str], names: list[str]):
        self.b, self.rows, self.cols, self.names = builder, rows, cols, names
        t = builder.theme
        self.face = Font(t.value_size, "bold")
        self.label_face = builder.title_font
        self.cell = int(max(round(t.cell * 0.8), max(text_width(s, self.face) for s in texts) + 12))
        self.grid_w = cols * self.cell + t.line_width
        self.grid_h = rows * self.cell + t.line_width
        self.gap = round(t.value_size * 1.6) + 8
        self.title_h = round(t.title_size * 1.6)
        self.label_w = round(max(text_width(n, self.label_face) for n in names)) + 12 if any(names) else 0
        result_w = max(text_width(line, self.face) for line in results)
        self.width = round(self.label_w + self.grid_w + self.gap + result_w) + 8
        self.row_h = self.title_h + self.grid_h + t.margin // 2
        self.height = len(names) * self.row_h
        self.x = self.y = 0

    def place(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def window_grid(self, row: int) -> Grid:
        """The grid of row ``row``'s window (where the line from the footprint ends)."""
        t, c = self.b.theme, self.b.colours
        x, y = self.x + self.label_w, self.y + row * self.row_h + self.title_h
        tag = ("products", row, "grid", 0)
        return Grid(f"products:{row}:0", x, y, self.rows, self.cols, self.cell, t.line_width, c.grid, tag=tag)

    def still(self) -> list[Item]:
        """The grids, their titles and the rows' names."""
        b = self.b
        items: list[Item] = []
        for row, name in enumerate(self.names):
            grid, top = self.window_grid(row), self.y + row * self.row_h
            if name:
                xy = (self.x, grid.y + self.grid_h / 2)
                items.append(b.label(xy, name, self.label_face, ("products", row, "name"), anchor="lm"))
            items.append(b.label((grid.x, top), "window", self.label_face, ("products", row, "title", 0)))
            items.append(grid)
        return items

    def moving(self, texts: list[list[list[str]]], winners: list[tuple[int, int] | None], results: list[str]):
        """One step: each row's cell texts (row by row), the winning cell (or None) and the result line."""
        c = self.b.colours
        fill, ink = c.shaded_input, c.ink_on(c.shaded_input)
        items: list[Item] = []
        for row, (cells, winner, result) in enumerate(zip(texts, winners, results, strict=True)):
            grid = self.window_grid(row)
            for u, line in enumerate(cells):
                for v, text in enumerate(line):
                    items.append(Box(grid.interior(u, v), fill, tag=("products", row, "fill", "window", u, v)))
                    tag = ("products", row, "window", u, v)
                    items.append(Text(grid.centre(u, v), text, self.face, ink, fill, "mm", 0, tag))
            if winner is not None:
                x0, y0, x1, y1 = grid.region(*winner, winner[0] + 1, winner[1] + 1)
                width = max(3, self.b.theme.line_width + 1)
                items.append(Box((x0, y0, x1 - 1, y1 - 1), None, c.accent, width, tag=("products", row, "winner")))
            xy = (grid.x + self.grid_w + self.gap / 2, grid.y + self.grid_h / 2)
            items.append(self.b.label(xy, result, self.face, ("products", row, "sum"), anchor="lm"))
        return items

    def moving_colours(self) -> tuple[set, set]:
        c = self.b.colours
        fills = {c.shaded_input, c.accent}
        pairs = {(c.ink_on(c.shaded_input), c.shaded_input), (c.ink_on(c.background), c.background)}
        return fills, pairs
