"""Where a convolution's cells are on a player's canvas, and which are outlined, for the browser tests.

Which outputs an input cell feeds is solved here from the geometry (i·stride + u·dilation = r),
not read from the project's cell map; where a cell is drawn comes from the frame renderer, and
whether it is outlined from the canvas's own pixels (the outline colour on all four edges).
"""

from __future__ import annotations

OUTLINE = (211, 54, 130)  # player.js's outline colour (#d33682)


def fed_by(conv, r: int, c: int) -> set[tuple[int, int]]:
    """Outputs of ``conv`` whose window reads padded input cell (r, c)."""
    (m, n), (sr, sc), (dr, dc) = conv.kernel.shape[:2], conv.stride, conv.dilation
    rows = {(r - u * dr) // sr for u in range(m) if r >= u * dr and (r - u * dr) % sr == 0}
    cols = {(c - v * dc) // sc for v in range(n) if c >= v * dc and (c - v * dc) % sc == 0}
    return {(i, j) for i in rows for j in cols if i < conv.output_shape[0] and j < conv.output_shape[1]}


def window(conv, i: int, j: int) -> set[tuple[int, int]]:
    """The padded input cells output (i, j) reads."""
    (m, n), (sr, sc), (dr, dc) = conv.kernel.shape[:2], conv.stride, conv.dilation
    return {(i * sr + u * dr, j * sc + v * dc) for u in range(m) for v in range(n)}


def cell_box(renderer, grid: str, r: int, c: int) -> tuple[int, int, int, int]:
    """The renderer's box inside a cell of ``grid``, named as the frame names it ("input", "output:2")."""
    area, _, channel = grid.partition(":")
    return renderer.cell_box(area, r, c, int(channel or 0))


def screen_point(page, canvas: str, renderer, grid: str, r: int, c: int) -> tuple[float, float]:
    """Where the centre of a cell of ``grid`` is on screen (the canvas is scaled to fit its box)."""
    box = page.locator(canvas).bounding_box()
    width, height = renderer.size
    scale = min(box["width"] / width, box["height"] / height)
    x0, y0, x1, y1 = cell_box(renderer, grid, r, c)
    left, top = box["x"] + (box["width"] - width * scale) / 2, box["y"] + (box["height"] - height * scale) / 2
    return left + (x0 + x1 + 1) / 2 * scale, top + (y0 + y1 + 1) / 2 * scale


def outlined(page, canvas: str, renderer, grid: str) -> set[tuple[int, int]]:
    """Cells of ``grid`` whose four edges carry the outline colour on the canvas ``canvas`` (a selector)."""
    shape = renderer.builder.grids[grid]
    points = []
    for r in range(shape.rows):
        for c in range(shape.cols):
            x0, y0, x1, y1 = cell_box(renderer, grid, r, c)
            # 2 px inside the cell's lines: covered by its own outline, not by a neighbour's
            left, top, right, bottom = (
                x0 - shape.line + 2,
                y0 - shape.line + 2,
                x1 + shape.line - 2,
                y1 + shape.line - 2,
            )
            middle_x, middle_y = (x0 + x1) // 2, (y0 + y1) // 2
            points.append([[left, middle_y], [right, middle_y], [middle_x, top], [middle_x, bottom]])
    colours = page.evaluate(
        """([selector, points]) => {
          const context = document.querySelector(selector).getContext('2d');
          const pixel = ([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
          return points.map((edges) => edges.map(pixel));
        }""",
        [canvas, points],
    )
    cells = [(r, c) for r in range(shape.rows) for c in range(shape.cols)]
    return {cell for cell, edges in zip(cells, colours, strict=True) if all(tuple(e) == OUTLINE for e in edges)}
