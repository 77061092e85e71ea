"""The line from a picture's footprint to the magnifier's window, routed round the other pictures.

A straight line when nothing is in its way; when it would cross another
picture (the output between the input and the magnifier), it drops below the
pictures, runs along under them and rises to the window.

>>> window = (300, 0, 90, 90)  # x, y, width, height
>>> route(((10, 10), (20, 10), (20, 20), (10, 20)), window, [], (120, 110), rise=285, names=False, cell=30)
((20, 20), (300, 45.0))
>>> route(((10, 10), (20, 10), (20, 20), (10, 20)), window, [(100, 0, 200, 100)], (120, 110), rise=285,
...       names=False, cell=30)
((20, 20), (20, 120), (285, 120), (285, 45.0), (300, 45.0))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from .items import Point
from .oblique import visible_part

Bounds = tuple[float, float, float, float]  # a picture's or a grid's box


def route(
    corners: Sequence[Point],
    window: Bounds,
    obstacles: Sequence[Bounds],
    lanes: tuple[float, float],
    rise: float,
    names: bool,
    cell: float,
) -> tuple[Point, ...]:
    """The line's points, from the footprint's nearest corner to the window.

    Parameters
    ----------
    corners : the footprint's outline, clockwise from top-left.
    window : the window grid as (x, y, width, height).
    obstacles : the other pictures' boxes (x0, y0, x1, y1) the line must not cross.
    lanes : the heights of a free strip under the pictures, for a window beside them and for one under them.
    rise : where the line rises to a window beside the pictures (in the gap before the products panel).
    names : the panel's rows have names left of the window (a line meets the window under them).
    cell : the panel's cell, so that the line meets the window's bottom row when names are in the way.
    """
    x, y, width, height = window
    beside = x > max(p[0] for p in corners)
    if beside:
        target = (x, y + height - cell / 2 if names and height > 1.5 * cell else y + height / 2)
    else:
        target = (x + width / 2, y)
    start = min(corners, key=lambda p: math.dist(p, target))
    if not crosses((start, target), obstacles):
        return (start, target)
    low = min(corners[2:], key=lambda p: math.dist(p, target))  # the bottom corner nearer the window
    if beside:
        path = (low, (low[0], lanes[0]), (rise, lanes[0]), (rise, target[1]), target)
    else:
        path = (low, (low[0], lanes[1]), (target[0], lanes[1]), target)
    return (start, target) if crosses(path, obstacles) else path


def choose(routes: Sequence[tuple[tuple[Point, ...], Sequence[Bounds]]]) -> tuple[Point, ...]:
    """Of each channel's route and the pictures in its way, the first straight one that crosses none (a layer's
    red line would cross the green and blue inputs, the blue one crosses nothing), else the first that crosses
    none, else the first channel's.

    >>> clear, blocked = ((0, 0), (9, 0)), ((0, 0), (9, 9))
    >>> choose([(blocked, [(4, 4, 5, 5)]), (clear, [(4, 4, 5, 5)])]) == clear
    True
    """
    clear = [points for points, boxes in routes if not crosses(points, boxes)]
    return next((points for points in clear if len(points) == 2), clear[0] if clear else routes[0][0])


def crosses(points: Sequence[Point], boxes: Sequence[Bounds]) -> bool:
    """True when the polyline through ``points`` enters any of ``boxes`` (inclusive pixel corners).

    >>> crosses(((0, 5), (20, 5)), [(8, 0, 9, 9)]), crosses(((0, 5), (20, 5)), [(8, 6, 9, 9)])
    (True, False)
    """
    for start, end in pairwise(points):
        whole = ((float(start[0]), float(start[1])), (float(end[0]), float(end[1])))
        for left, top, right, bottom in boxes:
            square = [(left, top), (right + 1, top), (right + 1, bottom + 1), (left, bottom + 1)]
            if visible_part(start, end, square) != whole:
                return True
    return False
