"""The scene of a :class:`~visualizer.transposed.TransposedConvolution` step in the scatter view.

One step per input element: the input with this step's element ringed, the
kernel as the caller gave it, and the output with the patch the element adds
``value × kernel`` into ringed too, each of the patch's cells showing what it
receives (a chip ``+v``) and its running sum; the sums of earlier steps stay.
The output is drawn inside a dashed border as wide as the padding: the parts
of a patch that land there are cut off (the padding crops the full output).
The arithmetic line says ``x × kernel added into out[r0:r1, c0:c1]`` and
writes the product out. Too large for cells, the input and the output become
pictures (:mod:`.panel_fit`): the current input value outlined, the output
building up with the patch outlined, and a magnifier: value × kernel = the
contributions → the outputs they update.

>>> import numpy as np
>>> from visualizer import TransposedConvolution
>>> op = TransposedConvolution([[1, 2], [3, 4]], [[1, 10]], view="scatter")
>>> scene = ScatterScene(op).scene(1)
>>> scene.text_at("arithmetic", 0), scene.text_at("value", "output", 0, 1)
('in[0, 1] = 2: 2 × kernel added into out[0:1, 1:3]', '12')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..operands import lift, shape_text
from ..text import channel_names, display_number
from ..transposed import TransposedConvolution
from .base import pack, text_width, widest
from .conv_layout import samples
from .items import Box, Item
from .links import Block, Links, within
from .magnified import lift_index
from .panels import Look, Panel, PanelScene, index_text
from .pictures import Source
from .products import ProductsPanel, every_product
from .transposed import axes_text, header_groups, pair_of
from .weights import KernelPanels

LINES = 3  # per channel: where the value goes, then the product written out on up to two lines


class ScatterScene(PanelScene):
    """Builds the scene of every step of a scatter-view :class:`TransposedConvolution` (see the module)."""

    def __init__(self, op: TransposedConvolution, **style: Any):
        if not isinstance(op, TransposedConvolution) or op.view != "scatter":
            raise TypeError(f"op must be a visualizer.TransposedConvolution with view='scatter', got {op!r}")
        super().__init__(op, **style)
        self.looks["cut"] = Look(None, hatch=self.colours.muted, dashed=True)
        self.image = lift(op.image)
        self.out_shape = (1, *op.output_shape) if self.signal else op.output_shape
        padding, extra = pair_of(op.padding, 0), pair_of(op.output_padding, 0)
        # the border of cut-off cells: P before the output, P − output_padding after it (when positive)
        self.border = (padding[0], max(0, padding[0] - extra[0]), padding[1], max(0, padding[1] - extra[1]))
        self.kernel = KernelPanels(self, lift(op.kernel), (("kernel", "kernel", False),))
        self.arithmetic_count = LINES * self.channels
        self._legend()
        cells = (self.image.shape[0] * self.image.shape[1] + self.out_shape[0] * self.out_shape[1]) * 2
        self.fit_and_draw(cells, self._source)

    def _lay_out(self) -> None:
        if not hasattr(self, "patches"):  # every step's patch, for cells only: pictures work a step at a time
            self._run()
        self.cell = self._cell_size()
        self.small_cell = self.kernel.cell_size()
        self._arrange()

    # -- the sums ----------------------------------------------------------------------------

    def _run(self) -> None:
        """Every step's patch (canvas cells, products, inside or cut) and the running sums it leaves."""
        op, (top, _, left, _) = self.op, self.border
        running = np.zeros(self.out_shape + self.image.shape[2:], op.dtype)
        self.patches: list[list[tuple[int, int, Any, bool]]] = []
        self.sums: list[dict[tuple[int, int], Any]] = []
        for step in op.steps():
            rows, cols = (range(0, 1), *step.taps) if self.signal else step.taps
            products = lift(step.contribution)
            patch, touched = [], {}
            for u, r in enumerate(rows):
                for v, c in enumerate(cols):
                    inside = 0 <= r < self.out_shape[0] and 0 <= c < self.out_shape[1]
                    if inside:
                        running[r, c] += products[u, v]
                        touched[r, c] = running[r, c].copy()
                    patch.append((r + top, c + left, products[u, v], inside))
            self.patches.append(patch)
            self.sums.append(touched)
        self.final = running

    def _cell_size(self) -> int:
        if not self.numbers:
            return self.theme.cell
        products = [p for patch in self.patches for _, _, p, _ in patch]
        values = np.unique(np.concatenate([self.image.ravel(), self.final.ravel()]))
        chips = widest(np.asarray(products), self.weight_font) + text_width("+", self.weight_font)
        return int(max(self.theme.cell, widest(values, self.value_font) + 10, chips + 12))

    # -- pictures ----------------------------------------------------------------------------

    def _source(self) -> Source:
        """What the pictures show: the input as it is (no window slides over it) and the output."""
        result = lift(self.op.result())
        return Source(self.image, self.image.shape, (0, 0, 0, 0), (1, 1), (1, 1), result, "")

    def _inside(self, step) -> tuple[range, range]:
        """The output rows and columns the step's patch adds into (dilation apart), none cut off."""
        taps = (range(0, 1), *step.taps) if self.signal else step.taps
        return tuple(range(0)[:0] if not kept else range(kept[0], kept[-1] + 1, span.step)
                     for span, size in zip(taps, self.out_shape, strict=True)
                     for kept in [[t for t in span if 0 <= t < size]])  # fmt: skip

    def picture_marks(self, step) -> tuple:
        """The input value the step scatters, and the part of the output its patch adds into (None: cut off)."""
        i, j = lift_index(step.in_index)
        rows, cols = self._inside(step)
        target = (rows[0], cols[0], rows[-1] + 1, cols[-1] + 1) if rows and cols else None
        return (i, j, i + 1, j + 1), target

    def outputs_so_far(self, step) -> tuple[np.ndarray, np.ndarray]:
        """The output's (clamped) sums once the step is in, and the values no step has added into yet."""
        if not hasattr(self, "_first"):
            self._first = first_touches(self.op, self.out_shape)
        return lift(self.op.clamp(self.op.partial_output(step.index + 1))), self._first > step.index

    def window_panel(self) -> ProductsPanel:
        """Value × kernel = the contributions → the outputs they update."""
        kernel = lift(self.op.kernel)
        kernels = [kernel[..., c] if kernel.ndim == 3 else kernel for c in range(self.channels)]
        values, result = samples(self.image), samples(lift(self.op.raw_result()))
        products = every_product(values, kernel)
        names = list(channel_names(self.channels)) if self.colour_image else [""]
        return ProductsPanel(self, kernels, None, values, products, result, names, scatter=True)

    def magnifier_moving(self, step) -> list[Item]:
        """The magnifier on ``step``: its value, its contributions and the outputs they now hold."""
        products = lift(step.contribution)
        sums = self._patch_sums(step)
        planes = range(self.channels)
        pick = (lambda a, c: a[..., c]) if self.colour_image else (lambda a, c: a)  # noqa: E731
        values = [np.reshape(np.ravel(step.value)[c if self.colour_image else 0], (1, 1)) for c in planes]
        return self.products.moving(values, [pick(products, c) for c in planes], [pick(sums, c) for c in planes], [])

    def _patch_sums(self, step) -> np.ndarray:
        """The output values at each of the patch's taps once the step is in (None where cut off)."""
        so_far, _ = self.outputs_so_far(step)
        taps = (range(0, 1), *step.taps) if self.signal else step.taps
        inside = np.asarray(lift(step.inside))
        sums = np.full(inside.shape + so_far.shape[2:], None, object)
        for u, v in zip(*np.nonzero(inside), strict=True):
            sums[u, v] = so_far[taps[0][u], taps[1][v]]
        return sums

    def arithmetic_lines(self, step) -> list[Item]:
        """Each channel's lines: where the value goes and the product written out."""
        return [item for c in range(self.channels) for item in self.text_lines(self._lines(step, c), c * LINES)]

    # -- layout ------------------------------------------------------------------------------

    def _legend(self) -> None:
        if any(self.border):
            p = axes_text(pair_of(self.op.padding, 0), self.signal)
            self.legend.append(("cut", f"cut off by padding {p}: not part of the output"))
        self.legend.append(("ring", "this step's input element and the patch it adds into"))

    def header_groups(self) -> list[tuple[list[str], str]]:
        return header_groups(self.op)

    def _arrange(self) -> None:
        top, bottom, left, right = self.border
        (h, w), (o_rows, o_cols) = self.image.shape[:2], self.out_shape
        canvas = (top + o_rows + bottom, left + o_cols + right)
        cut = frozenset(
            (r, c) for r, c in np.ndindex(*canvas) if not (top <= r < top + o_rows and left <= c < left + o_cols)
        )
        flat_rows, columns, side = [], [], []
        for channel in range(self.channels):
            prefix = f"{channel_names(self.channels)[channel]}: " if self.colour_image else ""
            suffix = f":{channel}" if self.colour_image else ""
            if self.numbers:
                titles = (
                    f"{prefix}input {shape_text(self.op.image.shape[:2])}",
                    f"{prefix}output {shape_text(self.op.output_shape)}",
                )
            else:
                titles = (prefix + "input", prefix + "output")
            labels = lambda n, at=0: tuple((at + k, str(k)) for k in range(n))  # noqa: E731
            source = Panel(
                "input" + suffix, h, w, titles[0], frozenset(), False, () if self.signal else labels(h), labels(w)
            )
            output = Panel("output" + suffix, *canvas, titles[1], cut, False,
                           () if self.signal else labels(o_rows, top), labels(o_cols, left))  # fmt: skip
            kernels = self.kernel.panels(channel)
            if self.signal:
                flat_rows += [[[source], *([k] for k in kernels)], [[output]]]
            else:
                flat_rows.append([[source], *([[k] for k in kernels]), [output]])
            columns.append((output, source))
            side += kernels
        self.lay_out(flat_rows, columns, side)

    def _names(self, area: str) -> list[str]:
        return [f"{area}:{c}" if self.colour_image else area for c in range(self.channels)]

    # -- items ------------------------------------------------------------------------------

    def _number(self, values: Any, channel: int) -> str:
        return display_number(values if np.ndim(values) == 0 else values[channel])

    def _build_still(self) -> list[Item]:
        items = self.frame_items()
        for channel, name in enumerate(self._names("input")):
            grid = self.grids[name]
            for r, c in np.ndindex(grid.rows, grid.cols):
                items += self.cell_items(grid, r, c, "input")
            items.append(grid)
            if self.numbers:
                face, ink, fill = self.value_style("input", False)
                for r, c in np.ndindex(grid.rows, grid.cols):
                    items.append(
                        self.value(grid, r, c, self._number(self.image[r, c], channel), face, ink, fill, False)
                    )
        for name in self._names("output"):
            items += self.still_outputs(self.grids[name])
        if self.numbers:
            items += self.kernel.items()
        return items

    def _reveal(self, k: int) -> list[Item]:
        top, _, left, _ = self.border
        flat, items = self.layout == "flat", []
        for channel, name in enumerate(self._names("output")):
            grid = self.grids[name]
            for (i, j), total in self.sums[k].items():
                items += self.output_cell(
                    grid, i + top, j + left, self._number(total, channel), self.colours.output, flat
                )
        return items

    def moving(self, index: int) -> tuple[Item, ...]:
        step = self.op.step(index)
        if self.magnifier is not None:
            return tuple(self.magnifier.moving(step))
        i, j = lift_index(step.in_index)
        patch, sums = self.patches[step.index], self.sums[step.index]
        top, _, left, _ = self.border
        rows, cols = [r for r, _, _, _ in patch], [c for _, c, _, _ in patch]
        c = self.colours
        items: list[Item] = []
        for channel, (low, high) in enumerate(zip(self._names("input"), self._names("output"), strict=True)):
            low, high = self.grids[low], self.grids[high]
            items += self.cell_items(low, i, j, "input", shaded=True)
            if self.numbers:
                face, ink, fill = self.value_style("input", True)
                items.append(self.value(low, i, j, self._number(self.image[i, j], channel), face, ink, fill, False))
            for r, col, product, inside in patch:
                if inside:
                    items.append(
                        Box(
                            high.interior(r, col), c.shaded_output, plane=high.plane, tag=("current", high.name, r, col)
                        )
                    )
                    text = self._number(sums[r - top, col - left], channel) if self.numbers else None
                    if text is not None:
                        face, ink = self.value_font, c.ink_on(c.shaded_output)
                        items.append(self.value(high, r, col, text, face, ink, c.shaded_output, True))
                else:
                    items += self.cell_items(high, r, col, "cut", shaded=True, tag=("cut", high.name, r, col))
                if self.numbers:
                    items += self.chip(high, r, col, plus(self._number(product, channel)))
            items.append(self.ring(low, i, j, i + 1, j + 1, ("ring", low.name, i, j)))
            box = (min(rows), min(cols), max(rows) + 1, max(cols) + 1)
            items.append(self.ring(high, *box, ("ring", high.name, *box)))
            if self.layout == "oblique":
                items += self.connectors(low, (i, j, i + 1, j + 1), high, box)
        if self.numbers:
            for channel in range(self.channels):
                items += self.text_lines(self._lines(step, channel), channel * LINES)
        return tuple(items)

    named_by = "reads"  # a step per input element: a click on an input cell jumps to its step

    def links(self, index: int) -> Links:
        """The input element the step reads and the cells of the output its patch adds into (none cut off)."""
        if self.magnifier is not None:
            return None  # pictures have no cells to point at
        step, (top, _, left, _) = self.op.step(index), self.border
        taps = (range(0, 1), *step.taps) if self.signal else step.taps
        rows, cols = (within(taps[axis], self.out_shape[axis], (top, left)[axis]) for axis in (0, 1))
        reads = tuple(Block.cell(name, *lift_index(step.in_index)) for name in self._names("input"))
        return Links(reads, tuple(Block(name, rows, cols) for name in self._names("output") if rows and cols))

    # -- words -------------------------------------------------------------------------------

    def _where(self, step) -> str:
        """``out[r0:r1, c0:c1]``: the output cells the patch adds into (dilated taps with a step)."""
        taps = (range(0, 1), *step.taps) if self.signal else step.taps
        parts = []
        for axis, span in enumerate(taps):
            kept = [t for t in span if 0 <= t < self.out_shape[axis]]
            if not kept:
                return ""
            parts.append(f"{kept[0]}:{kept[-1] + 1}" + (f":{span.step}" if span.step > 1 and len(kept) > 1 else ""))
        return "out[" + ", ".join(parts[1:] if self.signal else parts) + "]"

    def _head(self, step, channel: int) -> list[str]:
        """Where this step's value goes, in pieces a line may break between."""
        name = f"{channel_names(self.channels)[channel]} " if self.colour_image else ""
        x = self._number(step.value, channel)
        where = self._where(step)
        start = f"{name}in{index_text(step.in_index)} = {x}:"
        if not where:
            return [start, f"all of {x} × kernel is cut off by the padding"]
        inside = np.asarray(step.inside)
        cut = int(inside.size - inside.sum())
        note = [f"({cut} of {inside.size} cut off by the padding)"] if cut else []
        return [start, f"{x} × kernel", f"added into {where}", *note]

    def _product(self, step, channel: int) -> list[str]:
        """``x × [[…], […]] = [[…], […]]`` in pieces a line may break between (one per kernel row)."""
        kernel = lift(step.kernel)
        kernel = kernel[..., channel] if kernel.ndim == 3 else kernel
        products = lift(step.contribution)
        products = products[..., channel] if products.ndim == 3 else products

        def rows(matrix) -> list[str]:
            texts = ["[" + ", ".join(display_number(v) for v in row) + "]" for row in matrix]
            if self.signal:
                return texts
            texts = [f"{t}," for t in texts[:-1]] + [texts[-1]]
            return ["[" + texts[0], *texts[1:-1], texts[-1] + "]"] if len(texts) > 1 else ["[" + texts[0] + "]"]

        left, right = rows(kernel), rows(products)
        return [f"{self._number(step.value, channel)} × {left[0]}", *left[1:], f"= {right[0]}", *right[1:]]

    def _lines(self, step, channel: int) -> list[str]:
        """The head on its first line (or two), the product on what is left; "…" where it runs out."""
        width = self.size[0] - 2 * self.theme.margin
        lines = pack(self._head(step, channel), self.text_font, width)
        lines += pack(self._product(step, channel), self.text_font, width)
        if len(lines) > LINES:
            lines = [*lines[: LINES - 1], lines[LINES - 1] + " …"]
        return lines

    def caption(self, index: int) -> str:
        step = self.op.step(index)
        return "; ".join(" ".join(self._head(step, c) + self._product(step, c)) for c in range(self.channels))

    def step_label(self, index: int) -> str:
        step = self.op.step(index)
        return f"step {step.index + 1}: in{index_text(step.in_index)}"

    def sheet_columns(self) -> int:
        return self.image.shape[1]

    def moving_colours(self) -> tuple[set, set]:
        if self.magnifier is not None:
            return self.magnifier.moving_colours()
        c = self.colours
        fills = self.look_colours(("input", "cut")) | {c.shaded_output, c.grid, c.accent, c.chip}
        pairs = self.text_pairs() if self.numbers else set()
        if self.numbers:
            pairs.add(self.value_style("input", True)[1:])
        return fills, pairs


def plus(text: str) -> str:
    """A product as what a cell receives: ``+2``, ``−3``."""
    return text if text.startswith("−") else "+" + text


def first_touches(op: TransposedConvolution, shape: tuple[int, int]) -> np.ndarray:
    """For each output value (lifted to 2-D), the first step (row-major input index) whose patch adds into it;
    ``num_steps`` where none does.

    >>> first_touches(TransposedConvolution([[1, 2, 3]], [[1, 1]], stride=2), (1, 6)).tolist()
    [[0, 0, 1, 1, 2, 2]]
    """
    rows, cols = lift(op.image).shape[:2]
    first = np.full(shape, op.num_steps)
    order = np.arange(rows * cols).reshape(rows, cols)
    a, b = np.ogrid[:rows, :cols]
    # the operation's own (row, column) pairs: a signal's are lifted to one row as its steps are
    (s0, s1), (p0, p1), (d0, d1) = op._stride, op._padding, op._dilation
    kernel = lift(op.kernel)
    for u, v in np.ndindex(*kernel.shape[:2]):
        r = np.broadcast_to(a * s0 - p0 + u * d0, (rows, cols))
        c = np.broadcast_to(b * s1 - p1 + v * d1, (rows, cols))
        keep = (r >= 0) & (r < shape[0]) & (c >= 0) & (c < shape[1])
        np.minimum.at(first, (r[keep], c[keep]), order[keep])
    return first
