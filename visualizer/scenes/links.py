"""Which drawn cells a step joins: the cells it reads and the cells it writes, grid by grid.

Each scene builder says, for step ``k``, ``links(k)``: blocks of cells (a
window with its dilation is one block: every row of a range with every column
of a range) on the grids it reads and on the grids it writes. The player's cell
map (:mod:`visualizer.render.cellmap`) turns them into data, so pointing at a
cell in the browser outlines what it comes from or feeds, for any operation,
without the map knowing any operation.

>>> Links.gather(["input"], range(0, 5, 2), range(1, 3), ["output"], 0, 1).reads
(Block(grid='input', rows=range(0, 5, 2), cols=range(1, 3)),)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Block(NamedTuple):
    """Cells of grid ``grid``: every row of ``rows`` with every column of ``cols``."""

    grid: str
    rows: range
    cols: range

    @classmethod
    def cell(cls, grid: str, row: int, col: int) -> Block:
        """One cell as a block.

        >>> Block.cell("output", 1, 2).rows
        range(1, 2)
        """
        return cls(grid, range(row, row + 1), range(col, col + 1))


class Links(NamedTuple):
    """What one step reads and what it writes, as blocks of cells."""

    reads: tuple[Block, ...]
    writes: tuple[Block, ...]

    @classmethod
    def gather(cls, inputs: Iterable[str], rows: range, cols: range, outputs: Iterable[str], i: int, j: int) -> Links:
        """A step reading one window (the same on every input grid) into cell ``(i, j)`` of every output grid."""
        return cls(tuple(Block(name, rows, cols) for name in inputs), tuple(Block.cell(name, i, j) for name in outputs))


def within(span: range, size: int, offset: int = 0) -> range:
    """The part of ``span`` in ``0 … size − 1``, moved by ``offset`` (same step; may be empty).

    >>> within(range(-2, 7, 2), 5, offset=1)
    range(1, 6, 2)
    """
    kept = [t for t in span if 0 <= t < size]
    if not kept:
        return range(0)
    return range(kept[0] + offset, kept[-1] + offset + 1, span.step)
