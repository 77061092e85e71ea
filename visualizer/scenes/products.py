"""The lesson's picture of one step: window ⊙ kernel = products, Σ the sum (→ the clamped value).

A row of three small matrices per channel, under the panels: the values under
the footprint, the kernel as a matrix (as the sums use it: flipped for a true
convolution, with the caller's kernel beside it), and their element-wise
products, then the sum. The kernel and the grids stay still; the window, the
products and the sum change with the step. When a row's kernel changes too (a
layer's filters, one after another), the panel is given every kernel the row
shows and draws the one in use with :meth:`ProductsPanel.weights`. Any operation
that multiplies a window by a kernel can show it; the panel knows arrays, not operations.
Scattered (a transposed convolution's scatter view), the row reads the other way
round: one input value × kernel = the contributions → the output values they
update, a grid in place of the sum. A one-row kernel too wide for the frame
(a signal's) stacks the row: window over kernel over products, tap under tap.

>>> import numpy as np
>>> from visualizer import Convolution
>>> from visualizer.scenes import scene_builder
>>> scene = scene_builder(Convolution([[1, 2], [3, 4]], [[1, 0], [0, 2]])).scene(0)
>>> [t.text for t in scene.texts("products", 0, "cell")], scene.text_at("products", 0, "sum")
(['1', '0', '0', '8'], 'Σ = 9')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text import display_number
from .base import text_width, widest
from .items import Box, Font, Grid, Item, Text

SYMBOL_GAP = 1.6  # space for ⊙ and = between the matrices, in value-font sizes


class ProductsPanel:
    """One row per channel: window ⊙ kernel = products, Σ = sum.

    Parameters
    ----------
    builder
        The scene builder (for its theme, colours and fonts).
    kernels : list of (M, N) arrays, or of (M, N, F) stacks
        The kernel of each row as the sums use it; or every kernel a row shows in turn, stacked on a last
        axis, when it changes from step to step: the still part then leaves the weights and the rows' names
        out, and :meth:`weights` draws the ones in use.
    given : list of (M, N) arrays, optional
        The caller's kernels when the sums use them flipped (a true convolution): shown beside, once.
    values, products, sums : arrays
        Every value a window, a product and a sum can take, so the cells and the sum fit the widest.
    names : list of str
        A name per row ("red", …), or "" for a grey image; with stacked kernels, every name a row may take
        (the widest makes room).
    kernel_title : str, optional
        What the kernel matrix is called ("kernel", or "kernel, flipped" when ``given`` is there).
    scatter : bool
        One value × kernel = contributions → updated outputs (``sums`` are then every output value).
    """

    def __init__(self, builder: Any, kernels: list[np.ndarray], given: list[np.ndarray] | None, values, products,
                 sums, names: list[str], kernel_title: str | None = None, scatter: bool = False):  # fmt: skip
        self.b = builder
        self.scatter = scatter
        self.kernels, self.given, self.names = kernels, given, names
        self.kernel_title = kernel_title or ("kernel, flipped" if given is not None else "kernel")
        t = builder.theme
        self.face = Font(t.value_size, "bold")
        self.label_face = builder.title_font
        shown = [values, products, *kernels, *([sums] if scatter else [])]
        samples = np.concatenate([np.ravel(v) for v in shown])
        # room either side of the widest number grows with the type (12 px at the default 15 px)
        self.cell = int(max(round(t.cell * 0.8), widest(np.unique(samples), self.face) + round(t.value_size * 0.8)))
        self.rows, self.cols = kernels[0].shape[:2]
        self.steady = kernels[0].ndim == 2
        self.grid_w = self.cols * self.cell + t.line_width
        self.grid_h = self.rows * self.cell + t.line_width
        self.first = (1, 1) if scatter else (self.rows, self.cols)  # the window's shape, or the one value's
        self.first_w = self.first[1] * self.cell + t.line_width
        self.gap = round(t.value_size * SYMBOL_GAP) + 8
        self.title_h = round(t.title_size * 1.6)
        widest_sum = widest(np.unique(np.ravel(sums)), self.face)
        self.sum_w = round(text_width("Σ =  → ", self.face) + 2 * widest_sum) + 8
        self.label_w = round(max(text_width(n, self.label_face) for n in names)) + 12 if any(names) else 0
        if scatter:
            self.titles = ("value", self.kernel_title, "contributions", "outputs now")
            spans = [self.first_w, self.grid_w, self.grid_w, self.grid_w]
        else:
            self.titles = ("window", self.kernel_title, "products", *(("your kernel",) if given is not None else ()))
            spans = [self.grid_w, self.grid_w, self.grid_w + self.gap + self.sum_w, self.grid_w][: len(self.titles)]
        # a title wider than its grid widens its slot, so that "kernel, rotated 180°" does not run into "products"
        titles_w = [round(text_width(title, self.label_face)) + 8 for title in self.titles]
        spans = [max(span, title_w) for span, title_w in zip(spans, titles_w, strict=True)]
        self.slot_x = [sum(spans[:slot]) + slot * self.gap for slot in range(len(spans))]
        self.width = self.label_w + self.slot_x[-1] + spans[-1]
        self.row_h = self.title_h + self.grid_h + t.margin // 2
        limit = builder.max_size[0] - 2 * t.margin if builder.max_size is not None else None
        self.stacked = self.rows == 1 and limit is not None and self.width > limit and given is None and not scatter
        if self.stacked:
            self.width = self.label_w + self.gap + self.grid_w + self.gap + self.sum_w
            self.row_h = 3 * (self.title_h + self.grid_h) + t.margin // 2
        self.height = len(kernels) * self.row_h
        self.x = self.y = 0

    def place(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def window_grid(self, row: int) -> Grid:
        """The grid of row ``row``'s window (where a line from the footprint may end)."""
        return self._grid(row, 0)

    def _grid(self, row: int, slot: int) -> Grid:
        t, c = self.b.theme, self.b.colours
        x = self.x + self.label_w + self.slot_x[slot]
        rows, cols = self.first if slot == 0 else (self.rows, self.cols)
        y = self.y + row * self.row_h + self.title_h + (self.rows - rows) * self.cell // 2
        if self.stacked:  # the symbols go left of the grids, each grid under the one before
            x, y = self.x + self.label_w + self.gap, y + slot * (self.title_h + self.grid_h)
        tag = ("products", row, "grid", slot)
        return Grid(f"products:{row}:{slot}", x, y, rows, cols, self.cell, t.line_width, c.grid, tag=tag)

    def still(self) -> list[Item]:
        """The grids and their cells' fills, the symbols, the titles; the names and kernels unless they change.

        A cell's fill never changes (only its number does), so a step paints numbers alone.
        """
        b, c = self.b, self.b.colours
        items: list[Item] = []
        symbols = ("×", "=", "→") if self.scatter else ("⊙", "=")
        titles = self.titles[: len(symbols) + 1]
        fills = ((c.shaded_input, "window"), (c.chip, "kernel"), (c.output, "cell"), (c.shaded_output, "output"))
        for row in range(len(self.kernels)):
            top = self.y + row * self.row_h
            grids = [self._grid(row, slot) for slot in range(len(titles))]
            for grid, (fill, kind) in zip(grids, fills[: len(grids)], strict=True):
                items += self._fills(grid, fill, ("products", row, "fill", kind))
            for slot, grid in enumerate(grids):
                xy = (grid.x, grid.y - self.title_h if self.stacked else top)
                items.append(b.label(xy, titles[slot], self.label_face, ("products", row, "title", slot)))
            for slot, symbol in enumerate(symbols):
                if self.stacked:
                    xy = (grids[slot + 1].x - self.gap / 2, grids[slot + 1].y + self.grid_h / 2)
                else:  # halfway between the grids either side
                    xy = ((grids[slot].x + grids[slot].size[0] + grids[slot + 1].x) / 2, grids[1].y + self.grid_h / 2)
                items.append(b.label(xy, symbol, self.face, ("products", row, "symbol", slot), anchor="mm"))
            if self.given is not None:
                extra = self._grid(row, 3)
                items.append(b.label((extra.x, top), self.titles[3], self.label_face, ("products", row, "title", 3)))
                items += self._fills(extra, c.chip, ("products", row, "fill", "given"))
                items += self._numbers(extra, self.given[row], c.chip_ink, c.chip, ("products", row, "given"))
                items.append(extra)
            items += grids
        return items + (self.weights(None, self.names) if self.steady else [])

    def weights(self, index: int | None, names: list[str]) -> list[Item]:
        """Each row's name and kernel weights: the steady ones (``index`` None) or weights ``index`` of each stack."""
        c, items = self.b.colours, []
        for row, kernel in enumerate(self.kernels):
            if names[row]:
                xy = (self.x, self.y + row * self.row_h + self.title_h + self.grid_h / 2)
                items.append(self.b.label(xy, names[row], self.label_face, ("products", row, "name"), anchor="lm"))
            kernel = kernel if index is None else kernel[..., index]
            items += self._numbers(self._grid(row, 1), kernel, c.chip_ink, c.chip, ("products", row, "kernel"))
        return items

    def _fills(self, grid: Grid, fill, tag: tuple) -> list[Item]:
        return [Box(grid.interior(r, col), fill, tag=(*tag, r, col)) for r, col in np.ndindex(grid.rows, grid.cols)]

    def _numbers(self, grid: Grid, values: np.ndarray, ink, fill, tag: tuple) -> list[Item]:
        """Each value's number in its cell; a None (an output cut off by the padding) leaves the cell empty."""
        face = self.face
        return [
            Text(grid.centre(r, col), display_number(value), face, ink, fill, "mm", 0, (*tag, r, col))
            for (r, col), value in np.ndenumerate(np.asarray(values, dtype=object))
            if value is not None
        ]

    def moving(self, windows: list[np.ndarray], products: list[np.ndarray], sums: list, clipped: list) -> list[Item]:
        """One step's window values, products and sum (→ clamped value), per row; scattered, the value, the
        contributions and the outputs they update (``sums``, kernel-shaped, None where cut off; ``clipped`` unused)."""
        c = self.b.colours
        window_ink, product_ink = c.ink_on(c.shaded_input), c.ink_on(c.output)
        items: list[Item] = []
        for row in range(len(self.kernels)):
            window_grid, _, product_grid = (self._grid(row, slot) for slot in range(3))
            items += self._numbers(window_grid, windows[row], window_ink, c.shaded_input, ("products", row, "window"))
            items += self._numbers(product_grid, products[row], product_ink, c.output, ("products", row, "cell"))
            if self.scatter:
                ink, fill = c.ink_on(c.shaded_output), c.shaded_output
                items += self._numbers(self._grid(row, 3), sums[row], ink, fill, ("products", row, "output"))
                continue
            text = f"Σ = {display_number(sums[row])}"
            if display_number(sums[row]) != display_number(clipped[row]):
                text += f" → {display_number(clipped[row])}"
            xy = (product_grid.x + self.grid_w + self.gap / 2, product_grid.y + self.grid_h / 2)
            items.append(self.b.label(xy, text, self.face, ("products", row, "sum"), anchor="lm"))
        return items

    def moving_colours(self) -> tuple[set, set]:
        c = self.b.colours
        pairs = {(c.ink_on(c.shaded_input), c.shaded_input), (c.ink_on(c.output), c.output)}
        pairs |= {(c.ink_on(c.shaded_output), c.shaded_output)}
        pairs |= {(c.ink_on(c.background), c.background), (c.chip_ink, c.chip)}
        return set(), pairs


def every_product(values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Every product of a value and a weight, in floats so that 8-bit pixels times 8-bit weights do not wrap around.

    >>> every_product(np.array([200], np.uint8), np.array([2], np.uint8))
    array([[400.]])
    """
    return np.multiply.outer(np.unique(values).astype(np.float64), np.unique(kernel).astype(np.float64))


def step_arrays(step: Any) -> tuple[list, list, list, list]:
    """A step's windows, products, sums and clamped sums, one of each per channel (a colour step's last axis);
    a signal's window as a row."""
    if step.window.ndim <= 2:  # a signal's window is one row
        return [np.atleast_2d(step.window)], [np.atleast_2d(step.products)], [step.value], [step.clipped_value]
    channels = range(step.window.shape[2])
    return (
        [step.window[..., c] for c in channels],
        [step.products[..., c] for c in channels],
        [step.value[c] for c in channels],
        [step.clipped_value[c] for c in channels],
    )
