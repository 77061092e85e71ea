"""Where a panel scene's panels go: flat rows of panels, or conv_arithmetic's tilted planes.

:func:`flat` puts rows of *slots* side by side (a slot is a stack of panels,
such as a kernel above its rotated copy), each panel under its title and
inside the band for its indices. :func:`oblique` tilts each column's two
planes (the output above, the input below, as conv_arithmetic draws them)
and keeps the small panels upright on the right. Both end with the scene's
``finish`` (legend, arithmetic lines, frame size).
"""

from __future__ import annotations

from typing import Any

from .base import text_width
from .oblique import extent, matrix


def flat(scene: Any, rows: list[list[list[Any]]]) -> None:
    """Lay ``rows`` of slots of panels flat on the frame, top to bottom, slots left to right."""
    t = scene.theme
    half = t.gap // 2

    def size(panel) -> tuple[int, int]:
        band, cell = scene.band(panel), scene.cell_of(panel)
        width = max(band + panel.cols * cell + t.line_width, round(text_width(panel.title, scene.title_font)))
        return width, scene.title_height + band + panel.rows * cell + t.line_width

    measured = []
    for row in rows:
        slots = []
        for slot in row:
            sizes = [size(panel) for panel in slot]
            height = sum(h for _, h in sizes) + half * (len(slot) - 1)
            slots.append((max(w for w, _ in sizes), height, sizes))
        measured.append(slots)
    if len({len(slots) for slots in measured}) == 1:  # rows of alike slots (one per channel) line up in columns
        columns = [max(slots[k][0] for slots in measured) for k in range(len(measured[0]))]
        measured = [[(w, h, sizes) for w, (_, h, sizes) in zip(columns, slots, strict=True)] for slots in measured]
    width = max(2 * t.margin + sum(w for w, _, _ in slots) + t.gap * (len(slots) - 1) for slots in measured)
    width = max(width, scene.min_width())
    y = scene.header_top(width)
    for row, slots in zip(rows, measured, strict=True):
        height = max(h for _, h, _ in slots)
        x = t.margin
        for slot, (slot_width, slot_height, sizes) in zip(row, slots, strict=True):
            top = y + (height - slot_height) // 2
            for panel, (_, panel_height) in zip(slot, sizes, strict=True):
                band = scene.band(panel)
                scene.place(panel, x + band, top + scene.title_height + band)
                scene.titles.append((x, top, panel.title, panel.name))
                top += panel_height + half
            x += slot_width + t.gap
        y += height + half
    scene.finish(width, y - half)


def oblique(scene: Any, columns: list[tuple[Any, Any]], side: list[Any]) -> None:
    """Tilt each column's (upper, lower) planes, columns left to right; ``side`` panels upright on the right."""
    t = scene.theme
    lw, cell, title = t.line_width, scene.cell, scene.title_height

    def reach(panel) -> tuple[float, float, float, float]:
        return extent(panel.cols * cell + lw, panel.rows * cell + lw)

    spans = [(reach(upper), reach(lower) if lower is not None else None) for upper, lower in columns]
    column = max(max(e[2] - e[0] for e in pair if e is not None) for pair in spans)
    side_width = max(
        (max(p.cols * scene.cell_of(p) + lw, text_width(p.title, scene.title_font)) for p in side), default=0
    )
    width = 2 * t.margin + len(columns) * column + (len(columns) - 1) * t.gap + (t.gap + side_width if side else 0)
    width = max(round(width), scene.min_width())
    top = scene.header_top(width) + title
    upper_height = max(up[3] - up[1] for up, _ in spans)
    lower_top = top + upper_height + title + cell * 0.4
    bottom = top + upper_height
    for k, ((upper, lower), (up, low)) in enumerate(zip(columns, spans, strict=True)):
        centre = t.margin + k * (column + t.gap) + column / 2
        ox, oy = centre - (up[0] + up[2]) / 2, top - up[1]
        scene.place(upper, 0, 0, scene.add_plane(matrix(ox, oy)))
        scene.titles.append((ox + up[0], top - title, upper.title, upper.name))
        if lower is not None:
            ix, iy = centre - (low[0] + low[2]) / 2, lower_top - low[1]
            scene.place(lower, 0, 0, scene.add_plane(matrix(ix, iy)))
            scene.titles.append((ix + low[0], lower_top - title, lower.title, lower.name))
            bottom = max(bottom, lower_top + low[3] - low[1])
    x, y = t.margin + len(columns) * (column + t.gap), top - title
    for panel in side:
        scene.place(panel, x, y + title)
        scene.titles.append((x, y, panel.title, panel.name))
        y += title + panel.rows * scene.cell_of(panel) + lw + t.gap // 2
    scene.finish(round(width), max(bottom, y - t.gap // 2))
