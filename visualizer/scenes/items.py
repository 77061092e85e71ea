"""What a picture is made of, as plain data: grids of cells, boxes, text, lines, on flat or tilted planes.

A scene builder (one per operation) describes each step with these items and
draws nothing; a painter (raster or vector) turns them into pixels or vectors
and knows nothing about any operation. Coordinates are pixels of the frame at
scale 1, measured on the item's *plane*: plane 0 is the frame itself; other
planes are placed on the frame by an affine matrix ``(a, b, c, d, e, f)``
(``x' = a·x + b·y + c``, ``y' = d·x + e·y + f``), which is how the oblique
layout tilts the input and output planes as conv_arithmetic does.

Every item may carry a ``tag``: a tuple naming what it shows, such as
``("value", "input", 2, 3)`` or ``("chip", "input", 0, 1)``, so tests and the
browser player can find a cell's number without reading pixels.

>>> grid = Grid("input", 10, 20, rows=2, cols=3, cell=40, line=2, colour=(0, 0, 0))
>>> grid.interior(1, 2)
(92, 62, 129, 99)
>>> apply((1, 0, 5, 0, 1, -5), (10, 10))
(15.0, 5.0)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

RGB = tuple[int, int, int]
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
Tag = tuple

IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def apply(matrix: Matrix, point: Point) -> Point:
    """Where ``point`` of a plane lands on the frame."""
    a, b, c, d, e, f = matrix
    x, y = point
    return (float(a * x + b * y + c), float(d * x + e * y + f))


def is_upright(matrix: Matrix) -> bool:
    """True when the plane is only moved and scaled (boxes stay boxes)."""
    return matrix[1] == 0 and matrix[3] == 0 and matrix[0] > 0 and matrix[4] > 0


@dataclass(frozen=True)
class Font:
    """A text face: ``size`` in pixels, ``variant`` "regular", "bold" or "oblique"."""

    size: int
    variant: str = "regular"


@dataclass(frozen=True)
class Grid:
    """Square cells whose lines are ``line`` px wide, centred on the cell boundaries.

    Painted as lines only: solid in ``colour``, dashed in ``dash_colour``
    around the cells listed in ``dashed`` (padding); where they meet, solid wins.
    """

    name: str
    x: float
    y: float
    rows: int
    cols: int
    cell: int
    line: int
    colour: RGB
    dashed: frozenset[tuple[int, int]] = frozenset()
    dash_colour: RGB = (0, 0, 0)
    width: int | None = None  # line width when it differs from the grid's spacing line
    plane: int = 0
    tag: Tag = ()

    def region(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int, int, int]:
        """Pixels of cells ``r0…r1-1 × c0…c1-1`` with their border lines (a crop box, right/bottom exclusive)."""
        s, x, y = self.cell, int(self.x), int(self.y)
        return (x + c0 * s, y + r0 * s, x + c1 * s + self.line, y + r1 * s + self.line)

    def interior(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Inclusive box of the cell's fill, inside its lines."""
        x0, y0, x1, y1 = self.region(row, col, row + 1, col + 1)
        return (x0 + self.line, y0 + self.line, x1 - self.line - 1, y1 - self.line - 1)

    def centre(self, row: int, col: int) -> Point:
        x0, y0, x1, y1 = self.interior(row, col)
        return ((x0 + x1 + 1) / 2, (y0 + y1 + 1) / 2)

    def corners(self, r0: int, c0: int, r1: int, c1: int) -> tuple[Point, Point, Point, Point]:
        """The outer corners of cells ``r0…r1-1 × c0…c1-1``, on the grid lines' centres, clockwise from top-left."""
        half = self.line / 2
        x0, y0 = self.x + c0 * self.cell + half, self.y + r0 * self.cell + half
        x1, y1 = self.x + c1 * self.cell + half, self.y + r1 * self.cell + half
        return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))

    @property
    def size(self) -> tuple[int, int]:
        return (self.cols * self.cell + self.line, self.rows * self.cell + self.line)


@dataclass(frozen=True)
class Box:
    """A filled rectangle (inclusive pixel corners), optionally rounded, optionally with an ``outline`` ring.

    With ``outline``, the ring is ``outline_width`` px inside the box and
    ``fill`` fills the rest. An ``approximate`` fill (a picture's pixel) may be
    rounded by a painter whose colours are few (a GIF's 256).
    """

    box: tuple[int, int, int, int]
    fill: RGB | None
    outline: RGB | None = None
    outline_width: int = 0
    radius: int = 0
    approximate: bool = False
    plane: int = 0
    tag: Tag = ()


@dataclass(frozen=True)
class Text:
    """One line of text at ``xy`` with Pillow's ``anchor`` (e.g. "la" left-ascender, "mm" middle).

    ``on`` is the colour the text sits on, so a palette painter can anti-alias
    towards it.
    """

    xy: Point
    text: str
    font: Font
    ink: RGB
    on: RGB
    anchor: str = "la"
    plane: int = 0
    tag: Tag = ()


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: RGB
    plane: int = 0
    tag: Tag = ()


@dataclass(frozen=True)
class Line:
    """A straight line (or polyline) ``width`` px wide."""

    points: tuple[Point, ...]
    colour: RGB
    width: int = 1
    plane: int = 0
    tag: Tag = ()


@dataclass(frozen=True, eq=False)
class Pixels:
    """A picture drawn as square pixels filling ``box`` (inclusive corners, like :class:`Box`).

    ``index`` is an (h, w) array of positions in ``colours`` (a (K, 3) uint8
    table of every colour the picture may use); each of its cells becomes one
    block of ``box``'s width / w by height / h frame pixels, with no smoothing.
    Compared by identity: it carries arrays.

    >>> Pixels((0, 0, 7, 3), np.zeros((1, 2), np.uint8), np.array([[0, 0, 0]], np.uint8)).scale
    (4.0, 4.0)
    """

    box: tuple[float, float, float, float]
    index: np.ndarray
    colours: np.ndarray
    plane: int = 0
    tag: Tag = ()

    @property
    def scale(self) -> tuple[float, float]:
        """Frame pixels per picture pixel, across and down."""
        x0, y0, x1, y1 = self.box
        return ((x1 + 1 - x0) / self.index.shape[1], (y1 + 1 - y0) / self.index.shape[0])

    def rgb(self) -> np.ndarray:
        """The picture as an (h, w, 3) uint8 array."""
        return self.colours[self.index]


Item = Grid | Box | Text | Polygon | Line | Pixels


@dataclass(frozen=True)
class Scene:
    """Everything one step shows: what stays (``still``), what earlier steps revealed, and what moves.

    Painters draw ``still``, then ``revealed``, then ``moving``, in order.
    ``grids`` names every grid (the cell map: where each cell is drawn).
    """

    index: int
    size: tuple[int, int]
    background: RGB
    planes: tuple[Matrix, ...]
    still: tuple[Item, ...]
    revealed: tuple[Item, ...]
    moving: tuple[Item, ...]
    grids: Mapping[str, Grid] = field(default_factory=dict)

    def items(self) -> Iterator[Item]:
        yield from self.still
        yield from self.revealed
        yield from self.moving

    @cached_property
    def _texts_by_tag(self) -> dict[tuple, list[Text]]:
        # every prefix of every text's tag → those texts in drawing order: a frame's cells are read back one
        # by one, and a scan of every item for each would grow with the square of the cells
        index: dict[tuple, list[Text]] = {}
        for item in self.items():
            if isinstance(item, Text):
                for end in range(len(item.tag) + 1):
                    index.setdefault(item.tag[:end], []).append(item)
        return index

    def texts(self, *tag: object) -> list[Text]:
        """The text items whose tag starts with ``tag`` (all text when no tag is given)."""
        return list(self._texts_by_tag.get(tag, ()))

    def find(self, *tag: object) -> list[Item]:
        """Every item whose tag starts with ``tag``."""
        return [item for item in self.items() if item.tag[: len(tag)] == tag]

    def text_at(self, *tag: object) -> str:
        """The text of the one text item tagged exactly ``tag`` (the last drawn wins, as on the picture)."""
        found = [item.text for item in self._texts_by_tag.get(tag, ()) if item.tag == tag]
        if not found:
            raise KeyError(f"no text tagged {tag!r}")
        return found[-1]

    def place(self, plane: int, point: Point) -> Point:
        """Where ``point`` of ``plane`` lands on the frame."""
        return apply(self.planes[plane], point)
