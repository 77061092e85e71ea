"""What every scene builder shares: the style it draws in, text measuring, and the step protocol.

A builder reads one operation and its steps and says, as items
(:mod:`.items`), what each step shows. It separates what never changes
(``still``), what a step reveals and later steps keep (``revealed_at``), and
what only one step shows (``moving``), so painters can draw the still parts
once and each frame's changes on top, as matplotlib's blitting does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

from ..render.style import RGB, Theme, blend, contrast, font, get_theme, luminance, rgb
from ..text import display_number
from .fit import check_max_size
from .items import IDENTITY, Box, Font, Grid, Item, Matrix, Scene, Text, apply
from .links import Links
from .shading import SHADES

LAYOUTS = ("flat", "oblique")


class Colours:
    """A theme's colours as RGB triples, with the shaded fills and the readable ink for any fill."""

    def __init__(self, theme: Theme):
        t = theme
        self.background = rgb(t.background)
        names = ("input", "output", "grid", "padding_grid", "empty_grid", "ink", "paper_ink", "muted", "chip")
        for name in (*names, "accent"):
            setattr(self, name, rgb(getattr(t, name)))
        self.chip_ink = rgb(t.chip_ink)
        self.channels = tuple(rgb(c) for c in t.channels)
        self.shade, self.shade_alpha = rgb(t.shade), t.shade_alpha
        shade = self.shade
        # the 40 % shading is precomputed per fill, so a painter only paints flat colours
        self.shaded_input = blend(shade, self.input, t.shade_alpha)
        self.shaded_padding = blend(shade, self.background, t.shade_alpha)
        self.shaded_output = blend(shade, self.output, t.shade_alpha)

    def ink_on(self, fill: RGB) -> RGB:
        """The theme's light or dark text colour, whichever reads better on ``fill``."""
        return readable_ink(fill, self.paper_ink, self.ink)


@lru_cache(maxsize=256)
def readable_ink(fill: RGB, a: RGB, b: RGB) -> RGB:
    """``a`` or ``b``, whichever reads better on ``fill``; the lighter one when it reads well enough.

    >>> readable_ink((38, 139, 210), (255, 255, 255), (0, 43, 54))
    (255, 255, 255)
    """
    light, dark = (a, b) if luminance(a) >= luminance(b) else (b, a)
    # white on conv_arithmetic's blue and cyan reads well (contrast ≥ 3 for bold digits)
    return light if contrast(light, fill) >= 3 or contrast(light, fill) > contrast(dark, fill) else dark


@lru_cache(maxsize=4096)
def text_width(text: str, face: Font) -> float:
    """Width in pixels of ``text`` in ``face``.

    >>> text_width("12", Font(15)) > text_width("1", Font(15))
    True
    """
    return font(face.size, face.variant).getlength(text)


def widest(values: np.ndarray, face: Font) -> float:
    """Width in pixels of the widest label among ``values`` (only the longest labels are measured)."""
    labels = {display_number(v) for v in np.ravel(values)}
    longest = max(map(len, labels))
    return max(text_width(label, face) for label in labels if len(label) >= longest - 1)


def pack(chunks: list[str], face: Font, width: float, separator: str = " ", indent: str = "    ") -> list[str]:
    """Greedy line filling: ``chunks`` joined by ``separator``, continued lines indented.

    >>> pack(["one", "two", "three"], Font(15), 10_000)
    ['one two three']
    """
    lines, used = [chunks[0]], text_width(chunks[0], face)
    gap = text_width(separator, face)
    for chunk in chunks[1:]:
        if used + gap + text_width(chunk, face) <= width:
            lines[-1] += separator + chunk
            used += gap + text_width(chunk, face)
        else:
            lines.append(indent + chunk)
            used = text_width(indent + chunk, face)
    return lines


def pair_text(p: tuple[int, int]) -> str:
    """``2`` for (2, 2), ``1×2`` otherwise."""
    return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"


class SceneBuilder:
    """The protocol painters read; subclasses fill in the items for one kind of operation.

    Parameters
    ----------
    op
        The operation to show (it provides ``num_steps`` and ``step(i)``).
    theme : str or Theme
        "default", "colorblind", "dark" or "classroom".
    numbers : bool
        Values, weights, header and arithmetic line; False gives conv_arithmetic's plain look.
    layout : str
        "flat" (panels side by side) or "oblique" (conv_arithmetic's tilted planes, output above input).
    shade : None or "values"
        Cells in flat colours, or tinted by their values (see :mod:`.shading`).
    max_size : (int, int) or None
        The largest frame, width × height; None (the default here; pictures and files default to
        :data:`~.fit.DEFAULT_MAX_SIZE`): as large as the cells need. Builders that can fit shrink
        their cells, then draw pictures with a magnifier (:mod:`.fit`).
    """

    def __init__(
        self,
        op: Any,
        *,
        theme: str | Theme = "default",
        numbers: bool = True,
        layout: str = "flat",
        shade: str | None = None,
        max_size: tuple[int, int] | None = None,
    ):
        if not isinstance(numbers, bool | np.bool_):
            raise TypeError(f"numbers must be True or False, got {numbers!r}")
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
        self.op = op
        self.theme = get_theme(theme)
        self.numbers = bool(numbers)
        if shade not in SHADES:
            raise ValueError(f"shade must be None or 'values'; got {shade!r}")
        self.layout = layout
        self.shade = shade
        self.max_size = check_max_size(max_size)
        self.colours = Colours(self.theme)
        self.use_theme(self.theme)
        self.size: tuple[int, int] = (0, 0)
        self.planes: list[Matrix] = [IDENTITY]
        self.grids: dict = {}
        self._still: list[Item] = []
        self._revealed: list[list[Item]] = []

    def __len__(self) -> int:
        return self.op.num_steps

    def use_theme(self, theme: Theme) -> None:
        """Take the sizes and fonts of ``theme`` (a shrunk copy of the style's theme, when frames must fit)."""
        self.theme = t = theme
        self.value_font = Font(t.value_size, "bold")
        self.weight_font = Font(t.weight_size)
        self.text_font = Font(t.text_size)
        self.title_font = Font(t.title_size)
        self.line_height = round(t.text_size * 1.45)

    @property
    def background(self) -> RGB:
        return self.colours.background

    def still(self) -> tuple[Item, ...]:
        """Items every frame shows, in painting order."""
        return tuple(self._still)

    def revealed_at(self, index: int) -> tuple[Item, ...]:
        """Items step ``index`` reveals and every later frame keeps (an output filled in)."""
        return tuple(self._revealed[index]) if self._revealed else ()

    def reveals(self) -> bool:
        """False when no step reveals anything (painters then skip asking, step by step)."""
        return True

    def moving(self, index: int) -> tuple[Item, ...]:
        """Items only step ``index`` shows, painted last."""
        raise NotImplementedError

    def moving_colours(self) -> tuple[set[RGB], set[tuple[RGB, RGB]]]:
        """Every fill and every (ink, background) text pair a moving item may use, so palettes are complete."""
        raise NotImplementedError

    # which side of a step names it: its written cell ("writes": a click on an output cell jumps to its
    # step) or, for a step per input element (the scatter view), its read cell ("reads")
    named_by = "writes"

    def links(self, index: int) -> Links | None:
        """The cells step ``index`` reads and writes (:mod:`.links`); None: this scene has no cell map."""
        return None

    def pages(self, index: int) -> dict[str, int]:
        """Grids whose cells show different things from step to step: grid name → what step ``index`` shows there.

        A cell of such a grid is joined only to the steps that show the same thing in it.
        """
        return {}

    def caption(self, index: int) -> str:
        """The step in one line of text (the HTML player's caption)."""
        raise NotImplementedError

    def step_label(self, index: int) -> str:
        """A short name of the step for a contact sheet: "step 5: out[1, 1]" (humans count from 1)."""
        raise NotImplementedError

    def sheet_columns(self) -> int:
        """How many columns a contact sheet of every step has (the output's, so it mirrors the output)."""
        raise NotImplementedError

    def check_index(self, index: int) -> int:
        """``index`` as a step number 0…n-1 (negative counts from the end); the operation checks it."""
        return self.op.step(index).index

    def scene(self, index: int) -> Scene:
        """Everything step ``index`` shows (negative counts from the end)."""
        index = self.check_index(index)
        revealed = tuple(item for k in range(index + 1) for item in self.revealed_at(k)) if self.reveals() else ()
        return Scene(
            index=index,
            size=self.size,
            background=self.background,
            planes=tuple(self.planes),
            still=self.still(),
            revealed=revealed,
            moving=self.moving(index),
            grids=dict(self.grids),
        )

    # -- helpers for subclasses --------------------------------------------------------

    def label(self, xy, text: str, face: Font, tag: tuple = (), anchor: str = "la", plane: int = 0) -> Text:
        """Text on the background, in the ink that reads on it."""
        bg = self.colours.background
        return Text(xy, text, face, self.colours.ink_on(bg), bg, anchor, plane, tag)

    def fit_cell(self, values, weights) -> int:
        """The theme's cell, widened so the longest of ``values`` and of the ``weights`` (in chips) still fit."""
        if not self.numbers:
            return self.theme.cell
        value_width = widest(np.unique(values), self.value_font) + 10
        return int(max(self.theme.cell, value_width, widest(np.unique(weights), self.weight_font) + 12))

    def wrapped(self, versions, width: float, rows: int) -> list[str]:
        """The first of ``versions`` of a sum (each shorter than the last) that fits ``rows`` lines of ``width`` px.

        Lines break before ``+ − = →``; the last version is cut to ``rows`` lines if even it does not fit.
        """
        for text in versions:
            lines = pack(re.split(r" (?=[+−=→] )", text), self.text_font, width)
            if len(lines) <= rows:
                return lines
        return lines[:rows]

    def chip(self, grid: Grid, r: int, col: int, text: str) -> list[Item]:
        """A weight in a small dark chip in the cell's bottom-right corner (upright on a tilted plane)."""
        t, c = self.theme, self.colours
        _, _, x1, y1 = grid.interior(r, col)
        x1, y1 = x1 - 1, y1 - 1
        box = (x1 - round(text_width(text, self.weight_font)) - 5, y1 - t.weight_size - 3, x1, y1)
        plane = grid.plane
        if plane:  # the chip stays upright, centred where the tilted corner lands
            w, h = box[2] - box[0], box[3] - box[1]
            cx, cy = apply(self.planes[plane], ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2))
            box = (round(cx - w / 2), round(cy - h / 2), round(cx - w / 2) + w, round(cy - h / 2) + h)
            x1, y1, plane = box[2] - 2, box[3] - 0, 0
        else:
            x1, y1 = x1 - 2, y1 - 1
        return [
            Box(box, c.chip, radius=3, plane=plane, tag=("chip-box", grid.name, r, col)),
            Text((x1, y1), text, self.weight_font, c.chip_ink, c.chip, "rd", plane, ("chip", grid.name, r, col)),
        ]

    def add_plane(self, matrix: Matrix) -> int:
        self.planes.append(matrix)
        return len(self.planes) - 1


def elisions(terms: int):
    """How many terms a written-out sum keeps, longest first: all of them, then fewer and fewer (at least 2)."""
    return (None, *range(terms - 1, 1, -1))


def thin(grid: Grid, plane: int) -> Grid:
    """An empty output grid: thin lines in its own colour (dashed where it is), where outputs will appear."""
    return Grid(
        grid.name, grid.x, grid.y, grid.rows, grid.cols, grid.cell, grid.line, grid.colour, grid.dashed,
        grid.dash_colour, width=max(1, grid.line // 2), plane=plane, tag=("empty-grid", grid.name),
    )  # fmt: skip
