"""The scene of a :class:`~visualizer.pooling.Pooling` step.

The padded input: padding dashed with no fill (under max pooling it holds −∞
and never wins; under average pooling, zeros), and the cells a ``ceil_mode``
window reaches past the padding crossed out (never counted). The window's
footprint is shaded and the output fills in. Max pooling rings the tap that
won and writes ``max(…) = v``; average pooling writes the sum and what it is
divided by, ``(a + b + …) / n = v``, listing exactly the cells it counts
(the padding too with ``count_include_pad``) and crossing out the cells under
the window that it does not count.

>>> import numpy as np
>>> from visualizer import Pooling
>>> scene = PoolingScene(Pooling([[1, 5], [3, 2]], 2)).scene(0)
>>> scene.text_at("arithmetic", 0), [item.tag for item in scene.find("winner")]
('out[0, 0] = max(1, 5, 3, 2) = 5', [('winner', 'input', 0, 1)])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..geometry import window_taps
from ..operands import lift, pair_text, shape_text
from ..pooling import Pooling
from ..text import channel_names, display_number
from .base import elisions, widest
from .cell_kinds import CellKinds
from .conv_layout import samples
from .items import Item, Line
from .links import Links
from .magnified import lift_index
from .panels import Panel, PanelScene, index_text
from .pictures import Source
from .pool_window import WindowPanel
from .transposed import pair_of

ARITHMETIC_LINES = 2  # lines for each channel's max or average before its middle terms are elided


class PoolingScene(PanelScene):
    """Builds the scene of every step of one :class:`Pooling` (see the module's description)."""

    def __init__(self, op: Pooling, **style: Any):
        if not isinstance(op, Pooling):
            raise TypeError(f"op must be a visualizer.Pooling, got {type(op).__name__}")
        super().__init__(op, **style)
        self.max = op.mode == "max"
        self.padded = lift(op.padded)
        rows, cols = self.padded.shape[:2]
        self.kinds = self._kinds(rows, cols)
        self.result = lift(op.result())
        self.window, self.stride, self.dilation = (pair_of(v, 1) for v in (op.size, op.stride, op.dilation))
        self.arithmetic_count = ARITHMETIC_LINES * self.channels
        self._legend()
        cells = (self.padded.shape[0] * self.padded.shape[1] + self.result.size) * self.channels
        self.fit_and_draw(cells, None if self.signal else self._source)

    # -- set-up ----------------------------------------------------------------------------

    def _kinds(self, rows: int, cols: int) -> CellKinds:
        """Each padded cell's kind: a cell is past the padding, or padding, when its row or its column is."""
        op, names = self.op, ("input", "padding", "outside")
        rank = {name: code for code, name in enumerate(names)}
        if self.signal:
            along = np.array([rank[op.cell_kind(c)] for c in range(cols)], np.uint8)[None, :]
        else:
            top, left = op.pads[0], op.pads[2]  # a row and a column of the image itself
            down = np.array([rank[op.cell_kind(r, left)] for r in range(rows)], np.uint8)
            across = np.array([rank[op.cell_kind(top, c)] for c in range(cols)], np.uint8)
            along = np.maximum.outer(down, across)
        return CellKinds(names, along)

    def _source(self) -> Source:
        """What the pictures show: the padded input with padding drawn as the image's least value."""
        op = self.op
        padded = np.where(np.isfinite(self.padded), self.padded, np.min(op.image))
        return Source(padded, op.image.shape, op.pads, self.window, self.dilation, self.result)

    def window_panel(self) -> WindowPanel:
        names = list(channel_names(self.channels)) if self.colour_image else [""]
        texts = {"−∞" if self.max else "0", "×"} | {display_number(v) for v in samples(self.op.image)}

        def widest_of(values: np.ndarray) -> str:
            return max((display_number(v) for v in samples(values)), key=len)

        value = widest_of(self.result)
        if self.max:
            results = [f"max = {value}"]
        else:
            n = self.window[0] * self.window[1]  # the largest divisor; the sums are at most n times the values
            results = [f"Σ / {n} = {widest_of(self.result * n)} / {n} = {value}"]
        return WindowPanel(self, *self.window, texts, results, names)

    def magnifier_moving(self, step) -> list[Item]:
        taps = np.array(self.taps(step)).reshape(*self.window, 2)
        texts, results = [], []
        for channel in range(self.channels):
            cells = [[self._window_text(channel, r, c) for r, c in line] for line in taps]
            texts.append(cells)
            value = display_number(step.value if np.ndim(step.value) == 0 else step.value[channel])
            if self.max:
                results.append(f"max = {value}")
            else:
                total = display_number(step.sum if np.ndim(step.sum) == 0 else step.sum[channel])
                results.append(f"Σ / {step.divisor} = {total} / {step.divisor} = {value}")
        (r0, c0), (dr, dc) = step.origin, self.dilation
        winners = [((r - r0) // dr, (c - c0) // dc) for r, c in self.winners(step)] or [None] * self.channels
        return self.products.moving(texts, winners, results)

    def _window_text(self, channel: int, r: int, c: int) -> str:
        kind = self.kinds[r, c]
        if kind == "outside" or (kind == "padding" and not (self.max or self.counted(kind))):
            return "×"  # never counted: crossed out, as the legend says
        return self.input_text(channel, r, c)

    def arithmetic_lines(self, step) -> list[Item]:
        """Each channel's max or average written out."""
        return [
            item
            for channel in range(self.channels)
            for item in self.text_lines(self._lines(step, channel), channel * ARITHMETIC_LINES)
        ]

    def _lay_out(self) -> None:
        self.cell = self._cell_size()
        self._arrange()

    def _cell_size(self) -> int:
        if not self.numbers:
            return self.theme.cell
        values = np.unique(np.concatenate([np.ravel(self.op.image), self.result.ravel()]))
        return int(max(self.theme.cell, widest(values, self.value_font) + 10))

    def _legend(self) -> None:
        op = self.op
        if self.kinds.has("padding"):
            if self.max:
                self.legend.append(("padding", "padding: −∞, never the max"))
            else:
                counted = "counted" if op.count_include_pad else "not counted (crossed out under the window)"
                self.legend.append(("padding", f"padding: 0, {counted}"))
        if self.kinds.has("outside"):
            self.legend.append(("outside", "past the padding (ceil_mode): never counted"))
        if self.max:
            self.legend.append(("ring", "the largest value: the max"))

    def header_groups(self) -> list[tuple[list[str], str]]:
        op, s = self.op, self.signal
        given = [f"{op.mode} pooling", f"input {shape_text(op.image.shape)}", f"size {pair_text(self.window, s)}"]
        given += [f"stride {pair_text(self.stride, s)}", f"padding {pair_text(pair_of(op.padding, 0), s)}"]
        if self.dilation != (1, 1):
            given.append(f"dilation {pair_text(self.dilation, s)}")
        if op.ceil_mode:
            given.append("ceil_mode")
        if not self.max and any(pair_of(op.padding, 0)):
            given.append("count_include_pad" if op.count_include_pad else "padding not counted")
        return [(given, " · "), (list(op.formula()), "    ")]

    def _arrange(self) -> None:
        op = self.op
        top, left = op.pads[0], op.pads[2]
        inputs = self.kinds.mask("input")
        rows = tuple((int(r), str(r - top)) for r in np.flatnonzero(inputs.any(axis=1)))
        cols = tuple((int(c), str(c - left)) for c in np.flatnonzero(inputs.any(axis=0)))
        dashed = frozenset((int(r), int(c)) for r, c in zip(*np.nonzero(~inputs), strict=True))
        out_rows, out_cols = self.result.shape[:2]
        out_labels = tuple((k, str(k)) for k in range(out_rows)), tuple((k, str(k)) for k in range(out_cols))
        flat_rows, columns = [], []
        for channel in range(self.channels):
            prefix = f"{channel_names(self.channels)[channel]}: " if self.colour_image else ""
            suffix = f":{channel}" if self.colour_image else ""
            padded = self.padded.shape[:2]
            if not self.numbers:
                titles = (prefix + "input", prefix + "output")
            else:
                size = shape_text(op.image.shape[:2])
                titles = (
                    f"{prefix}input {size}"
                    + (f", padded to {shape_text(op.padded.shape[:2])}" if any(op.pads) else ""),
                    f"{prefix}output {shape_text(op.output_shape)}",
                )
            rows_shown = () if self.signal else rows
            source = Panel("input" + suffix, *padded, titles[0], dashed, False, rows_shown, cols)
            output = Panel("output" + suffix, out_rows, out_cols, titles[1], frozenset(), False,
                           () if self.signal else out_labels[0], out_labels[1])  # fmt: skip
            flat_rows += [[[source]], [[output]]] if self.signal else [[[source], [output]]]
            columns.append((output, source))
        self.lay_out(flat_rows, columns, [])

    # -- still and revealed parts ----------------------------------------------------------

    def _names(self, area: str) -> list[str]:
        return [f"{area}:{c}" if self.colour_image else area for c in range(self.channels)]

    def input_text(self, channel: int, r: int, c: int) -> str:
        kind = self.kinds[r, c]
        if kind == "padding":
            return "−∞" if self.max else "0"
        values = self.padded
        return display_number(values[r, c] if values.ndim == 2 else values[r, c, channel])

    def input_value(self, grid, channel: int, r: int, c: int, shaded: bool) -> list[Item]:
        kind = self.kinds[r, c]
        if not self.numbers or kind == "outside":
            return []
        face, ink, fill = self.value_style(kind, shaded)
        return [self.value(grid, r, c, self.input_text(channel, r, c), face, ink, fill, False)]

    def _build_still(self) -> list[Item]:
        items = self.frame_items()
        for channel, name in enumerate(self._names("input")):
            grid = self.grids[name]
            for r, c in np.ndindex(grid.rows, grid.cols):
                items += self.cell_items(grid, r, c, self.kinds[r, c])
            items.append(grid)
            for r, c in np.ndindex(grid.rows, grid.cols):
                items += self.input_value(grid, channel, r, c, False)
        for name in self._names("output"):
            items += self.still_outputs(self.grids[name])
        return items

    def output_text(self, channel: int, i: int, j: int) -> str:
        values = self.result
        return display_number(values[i, j] if values.ndim == 2 else values[i, j, channel])

    def _reveal(self, k: int) -> list[Item]:
        i, j = divmod(k, self.result.shape[1])
        flat = self.layout == "flat"
        return [
            item
            for channel, name in enumerate(self._names("output"))
            for item in self.output_cell(
                self.grids[name], i, j, self.output_text(channel, i, j), self.colours.output, flat
            )
        ]

    # -- moving parts ----------------------------------------------------------------------

    def taps(self, step) -> list[tuple[int, int]]:
        """The padded cells under the window, row by row."""
        (r0, c0), (m, n), (dr, dc) = lift_index(step.origin), self.window, self.dilation
        return [(r0 + u * dr, c0 + v * dc) for u in range(m) for v in range(n)]

    def links(self, index: int) -> Links | None:
        """The window on the padded input (with its dilation) and the output cell it gives (none on pictures)."""
        if self.magnifier is not None:
            return None
        step = self.op.step(index)
        rows, cols = window_taps(lift_index(step.origin), self.window, self.dilation)
        return Links.gather(self._names("input"), rows, cols, self._names("output"), *lift_index(step.out_index))

    def counted(self, kind: str) -> bool:
        """Whether the average counts a cell of ``kind`` under the window."""
        return kind == "input" or (kind == "padding" and self.op.count_include_pad)

    def moving(self, index: int) -> tuple[Item, ...]:
        step = self.op.step(index)
        if self.magnifier is not None:
            return tuple(self.magnifier.moving(step))
        i, j = divmod(step.index, self.result.shape[1])
        c = self.colours
        taps = self.taps(step)
        winners = self.winners(step)
        items: list[Item] = []
        for channel, (low, high) in enumerate(zip(self._names("input"), self._names("output"), strict=True)):
            low, high = self.grids[low], self.grids[high]
            for r, col in taps:
                kind = self.kinds[r, col]
                items += self.cell_items(low, r, col, kind, shaded=True)
                items += self.input_value(low, channel, r, col, True)
                if kind == "padding" and not (self.max or self.counted(kind)):
                    items += self.cross(low, r, col)
            if winners:
                r, col = winners[channel]
                items.append(self.ring(low, r, col, r + 1, col + 1, ("winner", low.name, r, col)))
            items += self.output_cell(high, i, j, self.output_text(channel, i, j), c.shaded_output, False, "current")
            if self.layout == "oblique":
                (r0, c0), (r1, c1) = taps[0], taps[-1]
                items += self.connectors(low, (r0, c0, r1 + 1, c1 + 1), high, (i, j, i + 1, j + 1))
        if self.numbers:
            items += self.arithmetic_lines(step)
        return tuple(items)

    def winners(self, step) -> list[tuple[int, int]]:
        """Max pooling: per channel, the padded cell of the tap that won; nothing for average pooling."""
        if not self.max:
            return []
        taps = step.argmax if self.colour_image else (step.argmax,)
        (r0, c0), (dr, dc) = lift_index(step.origin), self.dilation
        return [(r0 + u * dr, c0 + v * dc) for u, v in (lift_index(t) for t in taps)]

    def cross(self, grid, r: int, c: int) -> list[Item]:
        """A cell under the window that the average does not count, crossed out."""
        x0, y0, x1, y1 = grid.interior(r, c)
        width, ink = max(2, self.theme.line_width), self.colours.accent
        lines = (((x0, y0), (x1 + 1, y1 + 1)), ((x0, y1 + 1), (x1 + 1, y0)))
        return [Line(points, ink, width, grid.plane, ("uncounted", grid.name, r, c)) for points in lines]

    # -- words -----------------------------------------------------------------------------

    def terms(self, step, channel: int) -> list[str]:
        """The values the max compares (−∞ for padding) or the average adds, tap by tap."""
        taps = self.taps(step)
        if self.max:
            return [self.input_text(channel, r, c) for r, c in taps if self.kinds[r, c] != "outside"]
        return [self.input_text(channel, r, c) for r, c in taps if self.counted(self.kinds[r, c])]

    def sentence(self, step, channel: int, most: int | None = None) -> str:
        """The step's arithmetic in words, with at most ``most`` terms written (all when None)."""
        name = f"{channel_names(self.channels)[channel]} " if self.colour_image else ""
        label = f"{name}out{index_text(step.out_index)} = "
        terms = self.terms(step, channel)
        if most is not None and len(terms) > most:
            head = max(1, most // 2)
            terms = terms[:head] + ["…"] + terms[len(terms) - (most - head) :]
        value = display_number(step.value if np.ndim(step.value) == 0 else step.value[channel])
        if self.max:
            return f"{label}max({', '.join(terms)}) = {value}"
        total = display_number(step.sum if np.ndim(step.sum) == 0 else step.sum[channel])
        return f"{label}({' + '.join(terms)}) / {step.divisor} = {total} / {step.divisor} = {value}"

    def _lines(self, step, channel: int) -> list[str]:
        versions = (self.sentence(step, channel, most) for most in elisions(len(self.taps(step))))
        return self.wrapped(versions, self.size[0] - 2 * self.theme.margin, ARITHMETIC_LINES)

    def caption(self, index: int) -> str:
        step = self.op.step(index)
        most = 4 if self.colour_image else None
        return "; ".join(self.sentence(step, c, most) for c in range(self.channels))

    def moving_colours(self) -> tuple[set, set]:
        if self.magnifier is not None:
            return self.magnifier.moving_colours()
        c = self.colours
        fills = self.look_colours(("input", "padding", "outside")) | {c.shaded_output, c.grid, c.accent}
        pairs = self.text_pairs() if self.numbers else set()
        if self.numbers:
            pairs |= {(ink, fill) for _, ink, fill in (self.value_style(k, True) for k in ("input", "padding"))}
        return fills, pairs
