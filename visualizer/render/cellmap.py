"""Where every cell is drawn and which cells each step joins: the player's map for pointing at cells.

For each grid a step touches: its name, whether it shows the input or the output,
and how to find a cell's box (origin, cell size, line width and the plane's
affine matrix, exactly as :meth:`~visualizer.scenes.items.Grid.region` computes
it); for a grid whose cells show different things from step to step, what each
step shows there (``pages``). For each step, what the scene's ``links`` say: the
blocks of cells it reads and the blocks it writes, each
``[grid, row, col, rows, cols, row_step, col_step]`` (a window with its
dilation is one block). ``named_by`` says which side names a step: 1 (its
written cell, a click there jumps to it) or 0 (its read cell: the scatter view).

Nothing here knows an operation: the scene builder says what relates
(:mod:`visualizer.scenes.links`), the grids say where it is drawn.
"""

from __future__ import annotations

from typing import Any

from ..scenes.links import Block


def grid_kind(name: str) -> str:
    """ "input" for the input's panels, "output" for the output's (and a colour image's combined output).

    >>> grid_kind("input:2"), grid_kind("combined")
    ('input', 'output')
    """
    return "input" if name.split(":")[0] in ("input", "channel") else "output"


def cell_map(renderer: Any) -> dict | None:
    """The cell map of a :class:`~visualizer.render.frame.FrameRenderer`, as JSON-ready data.

    None for a scene that says nothing of its cells (a learning run): the player then plays
    without pointing at cells.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> from visualizer.render.frame import FrameRenderer
    >>> cells = cell_map(FrameRenderer(Convolution(np.zeros((4, 4)), np.ones((3, 3)), stride=1)))
    >>> [g["name"] for g in cells["grids"]], cells["links"][3], cells["named_by"]
    (['input', 'output'], [[[0, 1, 1, 3, 3, 1, 1]], [[1, 1, 1, 1, 1, 1, 1]]], 1)
    """
    builder = renderer.builder
    links = [builder.links(index) for index in range(len(builder))]
    if not links or any(link is None for link in links):
        return None
    used = {block.grid for link in links for side in link for block in side}
    names = [name for name in builder.grids if name in used]
    number = {name: k for k, name in enumerate(names)}
    pages = [builder.pages(index) for index in range(len(builder))]
    grids = []
    for name in names:
        grid = builder.grids[name]
        entry = {
            "name": name,
            "kind": grid_kind(name),
            "x": int(grid.x),
            "y": int(grid.y),
            "rows": grid.rows,
            "cols": grid.cols,
            "cell": grid.cell,
            "line": grid.line,
            "matrix": list(builder.planes[grid.plane]),
        }
        if any(name in shown for shown in pages):
            entry["pages"] = [shown.get(name) for shown in pages]
        grids.append(entry)

    def block(b: Block) -> list[int]:
        return [number[b.grid], b.rows.start, b.cols.start, len(b.rows), len(b.cols), b.rows.step, b.cols.step]

    return {
        "grids": grids,
        "links": [[[block(b) for b in side] for side in link] for link in links],
        "named_by": 1 if builder.named_by == "writes" else 0,
    }
