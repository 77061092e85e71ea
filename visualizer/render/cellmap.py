"""Where every cell is drawn and which cells each step joins: the player's map for pointing at cells.

For each grid of a frame: its name, whether it shows the input or the output,
and how to find a cell's box (origin, cell size, line width and the plane's
affine matrix, exactly as :meth:`~visualizer.scenes.items.Grid.region` computes
it). For each step: the input cells its kernel taps (the window's top-left
cell plus one offset per tap, from :func:`visualizer.geometry.window_taps`)
and its output cell.
"""

from __future__ import annotations

from typing import Any

from ..convolution import Convolution
from ..geometry import window_taps


def grid_kind(name: str) -> str:
    """ "input" for the input's panels, "output" for the output's (and a colour image's combined output).

    >>> grid_kind("input:2"), grid_kind("combined")
    ('input', 'output')
    """
    return "input" if name.split(":")[0] == "input" else "output"


def cell_map(renderer: Any) -> dict | None:
    """The cell map of a :class:`~visualizer.render.frame.FrameRenderer`, as JSON-ready data.

    None for an operation other than :class:`~visualizer.Convolution` (a layer's filters and a
    learning run have no map yet): the player then plays without pointing at cells.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> from visualizer.render.frame import FrameRenderer
    >>> cells = cell_map(FrameRenderer(Convolution(np.zeros((4, 4)), np.ones((3, 3)), stride=1)))
    >>> [g["name"] for g in cells["grids"]], len(cells["taps"]), cells["steps"][3]
    (['input', 'output'], 9, [1, 1, 1, 1])
    >>> from visualizer import ConvLayer
    >>> cell_map(FrameRenderer(ConvLayer(np.zeros((4, 4, 1)), np.ones((3, 3, 1, 2))))) is None
    True
    """
    builder, op = renderer.builder, renderer.op
    if not isinstance(op, Convolution):
        return None
    grids = [
        {
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
        for name, grid in builder.grids.items()
    ]
    rows, cols = window_taps((0, 0), op.kernel.shape, op.dilation)
    steps = []
    for index in range(op.num_steps):
        step = op.step(index)
        steps.append([*map(int, step.origin[:2]), *map(int, step.out_index[:2])])
    return {"grids": grids, "taps": [[r, c] for r in rows for c in cols], "steps": steps}
