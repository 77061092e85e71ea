"""The scene of a :class:`~visualizer.transposed.TransposedConvolution` step in the direct view.

conv_arithmetic's picture: the input stretched with ``S − 1`` zeros between
its cells (pale and hatched: they are not input), padded by ``D(M − 1) − P``
(dashed, as a convolution's padding), the kernel rotated by 180° sliding over
it with stride 1, each tap's rotated weight in a chip, and the output filling
in. The caller's kernel and its rotated copy are shown once beside the
planes, each weight lettered so the rotation can be followed; the header names
the direct convolution this one is the transpose of and the output-size
formula with its numbers. :func:`transposed_scene` picks this builder or the
scatter view's (:mod:`.scatter`).

>>> import numpy as np
>>> from visualizer import TransposedConvolution
>>> scene = transposed_scene(TransposedConvolution([[1, 2], [3, 4]], [[1, 2], [3, 4]])).scene(0)
>>> scene.text_at("chip", "input", 1, 1), scene.text_at("value", "output", 0, 0)  # rotated: the last weight first
('1', '1')
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ..geometry import window_taps
from ..operands import lift, pair_text, shape_text
from ..text import arithmetic, channel_names, display_number
from ..transposed import TransposedConvolution
from .base import SceneBuilder, elisions
from .cell_kinds import CellKinds
from .conv_layout import products_on_step, samples
from .items import Item, Polygon, Text
from .links import Links
from .panels import Panel, PanelScene, index_text
from .pictures import Source
from .products import ProductsPanel, every_product, step_arrays
from .weights import KernelPanels, weight_texts

ARITHMETIC_LINES = 2  # lines for each channel's sum before its middle terms are elided


def pair_of(value: Any, neutral: int) -> tuple[int, int]:
    """A public parameter as a (rows, cols) pair: a signal's int acts on the columns."""
    return tuple(value) if isinstance(value, tuple) else (neutral, value)


def axes_text(pair: tuple[int, int], signal: bool) -> str:
    """A number per axis as words: ``2``, or ``rows 0, cols 2`` when they differ.

    >>> axes_text((1, 1), False), axes_text((0, -2), False), axes_text((0, 2), True)
    ('1', 'rows 0, cols −2', '2')
    """
    rows, cols = (str(v).replace("-", "−") for v in pair)
    return cols if signal or rows == cols else f"rows {rows}, cols {cols}"


def header_groups(op: TransposedConvolution) -> list[tuple[list[str], str]]:
    """The header of either view: the parameters, the convolution this is the transpose of, the shape formula."""
    s = op.signal
    twin = op.transpose_of()
    given = [f"transposed convolution ({op.view} view)", f"input {shape_text(op.image.shape)}"]
    given += [f"kernel {shape_text(op.kernel.shape)}", f"stride {pair_text(pair_of(op.stride, 1), s)}"]
    given.append(f"padding {pair_text(pair_of(op.padding, 0), s)}")
    if any(pair_of(op.output_padding, 0)):
        given.append(f"output_padding {pair_text(pair_of(op.output_padding, 0), s)}")
    dilation = pair_of(op.dilation, 1)
    if dilation != (1, 1):
        given.append(f"dilation {pair_text(dilation, s)}")
    if op.clip_range is not None:
        given.append("clip {}…{}".format(*(display_number(v) for v in op.clip_range)))
    inverse = [
        "the transpose of the convolution",
        f"{shape_text(twin['input_shape'])} → {shape_text(twin['output_shape'])}",
        f"with kernel {shape_text(twin['kernel_shape'])},",
        f"stride {pair_text(pair_of(twin['stride'], 1), s)},",
        f"padding {pair_text(pair_of(twin['padding'], 0), s)}" + ("," if dilation != (1, 1) else ""),
    ]
    if dilation != (1, 1):
        inverse.append(f"dilation {pair_text(dilation, s)}")
    formula = ["o = (i − 1)·S − 2P + D(M − 1) + output_padding + 1"]
    return [(given, " · "), (inverse, " "), (formula, ""), (list(op.formula()), "    ")]


def transposed_scene(op: TransposedConvolution, **style: Any) -> SceneBuilder:
    """The scene builder of ``op``'s view: :class:`DirectScene` or :class:`~.scatter.ScatterScene`."""
    if not isinstance(op, TransposedConvolution):
        raise TypeError(f"op must be a visualizer.TransposedConvolution, got {type(op).__name__}")
    if op.view == "scatter":
        from .scatter import ScatterScene

        return ScatterScene(op, **style)
    return DirectScene(op, **style)


class DirectScene(PanelScene):
    """Builds the scene of every step of a direct-view :class:`TransposedConvolution` (see the module)."""

    def __init__(self, op: TransposedConvolution, **style: Any):
        if not isinstance(op, TransposedConvolution) or op.view != "direct":
            raise TypeError(f"op must be a visualizer.TransposedConvolution with view='direct', got {op!r}")
        super().__init__(op, **style)
        self.stretched = lift(op.stretched)
        inputs, padding = lift(op.input_mask), lift(op.padding_mask)
        codes = inputs.astype(np.uint8)
        codes[padding & ~inputs] = 2
        self.kinds = CellKinds(("zero", "input", "padding"), codes)
        # one computation serves the outputs, the clamped marks and the panel's sums, as the convolution's scene does
        self.raw = raw = lift(op.raw_result())
        self.result = op.clamp(raw)
        self.clipped = (
            np.zeros(raw.shape, bool) if op.clip_range is None else (raw < op.clip_range[0]) | (raw > op.clip_range[1])
        )
        self.kernel = KernelPanels(
            self, lift(op.kernel), (("kernel", "kernel", False), ("rotated", "rotated 180°", True))
        )
        self.chips = weight_texts(lift(op.rotated_kernel))  # what each tap of a step multiplies by
        self.stride = pair_of(op.stride, 1)
        self._legend()
        cells = self.stretched.shape[0] * self.stretched.shape[1] * self.channels + self.result.size
        self.fit_and_draw(cells, self._source)

    # -- set-up ----------------------------------------------------------------------------

    def _lay_out(self) -> None:
        op = self.op
        self.cell = self.fit_cell(np.concatenate([self.stretched.ravel(), self.result.ravel()]), op.kernel)
        self.small_cell = self.kernel.cell_size()
        if self.numbers and not self.signal:
            self.products = self.window_panel()
        self._arrange()

    def _source(self) -> Source:
        """What the pictures show: the stretched, padded input, the rotated kernel's footprint, the output."""
        op = self.op
        grown = [
            word for word, happened in (("stretched", max(self.stride) > 1), ("padded", max(op.pads) > 0)) if happened
        ]
        pads = tuple(max(0, p) for p in op.pads)  # a cropped border leaves no ring to draw
        dilation = (1, op.dilation) if self.signal else pair_of(op.dilation, 1)  # a signal is one row
        return Source(
            self.stretched, lift(op.image).shape, pads, self.kernel.shape, dilation, self.result, " and ".join(grown)
        )

    magnifier_moving = products_on_step

    def arithmetic_lines(self, step) -> list[Item]:
        """Each channel's sum written out."""
        lines = (self.text_lines(self._sum_lines(step, c), c * ARITHMETIC_LINES) for c in range(self.channels))
        return [item for channel_lines in lines for item in channel_lines]

    @cached_property
    def _panel_samples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # the values, products and sums that size the panel: the same at every size the scene tries
        values = samples(self.stretched)
        sums = np.concatenate([samples(self.raw), samples(self.result)])
        return values, every_product(values, lift(self.op.rotated_kernel)), sums

    def window_panel(self) -> ProductsPanel:
        """The step's window ⊙ the rotated kernel = the products, Σ: as the convolution shows it."""
        rotated = lift(self.op.rotated_kernel)  # a signal's as a row
        kernels = [rotated[..., c] if rotated.ndim == 3 else rotated for c in range(self.channels)]
        names = list(channel_names(self.channels)) if self.colour_image else [""]
        return ProductsPanel(self, kernels, None, *self._panel_samples, names, "kernel, rotated 180°")

    def _legend(self) -> None:
        op, kinds = self.op, self.kinds
        spread = axes_text((self.stride[0] - 1, self.stride[1] - 1), self.signal)
        lead = (op.pads[0], op.pads[2])
        self.legend = [("input", "input")]
        if kinds.has("zero"):
            self.legend.append(("zero", f"inserted zero: S − 1 = {spread} between inputs"))
        if kinds.has("padding"):
            text = f"padding: D(M − 1) − P = {axes_text(lead, self.signal)}"
            extra = pair_of(op.output_padding, 0)
            if any(extra):
                text += f", and output_padding {axes_text(extra, self.signal)} more at the "
                text += "right" if self.signal else "bottom and right"
            self.legend.append(("padding", text))
        if min(lead[1:] if self.signal else lead) < 0:
            self.legend.append(("note", f"D(M − 1) − P = {axes_text(lead, self.signal)}: a negative border is cropped"))
        if self.numbers and self.clipped.any():
            low, high = (display_number(v) for v in op.clip_range)
            self.legend.append(("clamped", f"an output clamped to {low}…{high}"))

    def header_groups(self) -> list[tuple[list[str], str]]:
        return header_groups(self.op)

    def _titles(self, channel: int) -> tuple[str, str]:
        prefix = f"{channel_names(self.channels)[channel]}: " if self.colour_image else ""
        pads = self.op.pads[2:] if self.signal else self.op.pads
        done = [word for word, happened in (
            ("stretched", max(self.stride) > 1), ("padded", max(pads) > 0), ("cropped", min(pads) < 0)
        ) if happened]  # fmt: skip
        if not self.numbers:
            return prefix + ", ".join(["input", *done]), prefix + "output"
        rows, cols = self.stretched.shape[:2]
        size = f"{cols}" if self.signal else f"{rows}×{cols}"
        how = f", {' and '.join(done)} to {size}" if done else ""
        return (
            f"{prefix}input {shape_text(self.op.image.shape[:2])}{how}",
            f"{prefix}output {shape_text(self.op.output_shape)}",
        )

    def _arrange(self) -> None:
        op = self.op
        inputs = self.kinds.mask("input")
        (top, _, left, _), (sr, sc) = op.pads, self.stride
        rows = tuple((int(r), str((r - top) // sr)) for r in np.flatnonzero(inputs.any(axis=1)))
        cols = tuple((int(c), str((c - left) // sc)) for c in np.flatnonzero(inputs.any(axis=0)))
        out_rows, out_cols = self.result.shape[:2]
        dashed = frozenset(zip(*np.nonzero(self.kinds.mask("padding")), strict=True))
        dashed = frozenset((int(r), int(c)) for r, c in dashed)
        flat_rows, columns, side = [], [], []
        for channel in range(self.channels):
            input_title, output_title = self._titles(channel)
            suffix = f":{channel}" if self.colour_image else ""
            stretched = Panel(
                "input" + suffix, *self.kinds.shape, input_title, dashed, False, () if self.signal else rows, cols
            )
            labels = tuple((k, str(k)) for k in range(out_rows)), tuple((k, str(k)) for k in range(out_cols))
            output = Panel(
                "output" + suffix,
                out_rows,
                out_cols,
                output_title,
                row_labels=() if self.signal else labels[0],
                col_labels=labels[1],
            )
            kernels = self.kernel.panels(channel)
            if self.signal:
                flat_rows += [[[stretched]], [[output]]] + ([[[k] for k in kernels]] if kernels else [])
            else:
                flat_rows.append([[stretched], [output]] + ([kernels] if kernels else []))
            columns.append((output, stretched))
            side += kernels
        self.lay_out(flat_rows, columns, side)

    # -- still and revealed parts ----------------------------------------------------------

    def input_grids(self):
        return [self.grids[f"input:{c}" if self.colour_image else "input"] for c in range(self.channels)]

    def output_grids(self):
        return [self.grids[f"output:{c}" if self.colour_image else "output"] for c in range(self.channels)]

    def input_value(self, grid, channel: int, r: int, c: int, shaded: bool) -> Text:
        values = self.stretched
        value = values[r, c] if values.ndim == 2 else values[r, c, channel]
        face, ink, fill = self.value_style(self.kinds[r, c], shaded)
        return self.value(grid, r, c, display_number(value), face, ink, fill, True)

    def _build_still(self) -> list[Item]:
        items = self.frame_items()
        for channel, grid in enumerate(self.input_grids()):
            for r, c in np.ndindex(grid.rows, grid.cols):
                items.extend(self.cell_items(grid, r, c, self.kinds[r, c]))
            items.append(grid)
            if self.numbers:
                items.extend(self.input_value(grid, channel, r, c, False) for r, c in np.ndindex(grid.rows, grid.cols))
        for grid in self.output_grids():
            items.extend(self.still_outputs(grid))
        if self.numbers:
            items.extend(self.kernel.items())
        if self.products is not None:
            items.extend(self.products.still())
        return items

    def output_text(self, channel: int, i: int, j: int) -> str:
        values = self.result
        return display_number(values[i, j] if values.ndim == 2 else values[i, j, channel])

    def _marks(self, grid, channel: int, i: int, j: int) -> list[Item]:
        clipped = self.clipped[i, j] if self.clipped.ndim == 2 else self.clipped[i, j, channel]
        if not (self.numbers and clipped):
            return []
        _, y0, x1, _ = grid.interior(i, j)
        size = max(6, grid.cell // 5)
        return [
            Polygon(
                ((x1 - size, y0), (x1, y0), (x1, y0 + size)),
                self.colours.chip,
                grid.plane,
                ("clipped", grid.name, i, j),
            )
        ]

    def _reveal(self, k: int) -> list[Item]:
        i, j = divmod(k, self.result.shape[1])
        items: list[Item] = []
        for channel, grid in enumerate(self.output_grids()):
            flat = self.layout == "flat"
            items += self.output_cell(grid, i, j, self.output_text(channel, i, j), self.colours.output, flat)
            items += self._marks(grid, channel, i, j)
        return items

    # -- moving parts ----------------------------------------------------------------------

    def moving(self, index: int) -> tuple[Item, ...]:
        step = self.op.step(index)
        if self.magnifier is not None:
            return tuple(self.magnifier.moving(step))
        i, j = divmod(step.index, self.result.shape[1])
        (dr, dc), (m, n) = pair_of(self.op.dilation, 1), self.kernel.shape
        c = self.colours
        items: list[Item] = []
        for channel, (low, high) in enumerate(zip(self.input_grids(), self.output_grids(), strict=True)):
            weights = self.chips[channel if self.kernel.stack else 0]
            for u, v in np.ndindex(m, n):
                r, col = i + u * dr, j + v * dc
                items += self.cell_items(low, r, col, self.kinds[r, col], shaded=True)
                if self.numbers:
                    items.append(self.input_value(low, channel, r, col, True))
                    items += self.chip(low, r, col, weights[u][v])
            items += self.output_cell(high, i, j, self.output_text(channel, i, j), c.shaded_output, False, "current")
            items += self._marks(high, channel, i, j)
            if self.layout == "oblique":
                items += self.connectors(
                    low, (i, j, i + dr * (m - 1) + 1, j + dc * (n - 1) + 1), high, (i, j, i + 1, j + 1)
                )
        if self.numbers:
            items += self.arithmetic_lines(step)
        if self.products is not None:
            items += self.products.moving(*step_arrays(step))
        return tuple(items)

    arithmetic_count = property(lambda self: ARITHMETIC_LINES * self.channels)

    def links(self, index: int) -> Links | None:
        """The window on the stretched, padded input (stride 1 over it) and the output cell it gives (none on
        pictures)."""
        if self.magnifier is not None:
            return None
        i, j = divmod(self.op.step(index).index, self.result.shape[1])
        rows, cols = window_taps((i, j), self.kernel.shape, pair_of(self.op.dilation, 1))
        grids = [grid.name for grid in self.input_grids()], [grid.name for grid in self.output_grids()]
        return Links.gather(grids[0], rows, cols, grids[1], i, j)

    def _label(self, step, channel: int | None) -> str:
        name = f"{channel_names(self.channels)[channel]} " if channel is not None else ""
        return f"{name}out{index_text(step.out_index)} = "

    def _sum_lines(self, step, channel: int) -> list[str]:
        which = channel if self.colour_image else None
        label = self._label(step, which)
        versions = (label + arithmetic(step, channel=which, max_terms=most) for most in elisions(self.kernel.taps))
        return self.wrapped(versions, self.size[0] - 2 * self.theme.margin, ARITHMETIC_LINES)

    def caption(self, index: int) -> str:
        step = self.op.step(index)
        if not self.colour_image:
            return self._label(step, None) + arithmetic(step)
        return "; ".join(self._label(step, c) + arithmetic(step, channel=c, max_terms=4) for c in range(self.channels))

    def moving_colours(self) -> tuple[set, set]:
        if self.magnifier is not None:
            return self.magnifier.moving_colours()
        c = self.colours
        fills = self.look_colours(("input", "zero", "padding")) | {c.shaded_output, c.chip, c.grid}
        pairs = self.text_pairs() if self.numbers else set()
        if self.numbers:
            pairs |= {(ink, fill) for _, ink, fill in (self.value_style(k, True) for k in ("input", "zero", "padding"))}
        if self.products is not None:
            more_fills, more_pairs = self.products.moving_colours()
            fills, pairs = fills | more_fills, pairs | more_pairs
        return fills, pairs
