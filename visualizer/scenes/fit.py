"""Frames that fit: a target size, the themes a scene may shrink to, and when cells become pixels.

A frame is at most ``max_size`` (width, height) pixels, 1920×1080 unless told
otherwise (in a notebook, as wide as the view: :func:`notebook_size`). A scene
first shrinks its cells and type; when even the theme's
smallest readable type (``Theme.min_text``) does not fit, it draws the input
and output as pictures, one block per value, and a magnifier shows the
current window large (:mod:`.magnifier`).

>>> check_max_size((800, 600))
(800, 600)
>>> notebook_size(1200), notebook_size(500)
((1200, 720), (720, 720))
>>> from visualizer.render.style import get_theme
>>> [t.value_size for t in shrunk_themes(get_theme("default"), True)][-1]
11
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from numbers import Integral

from ..render.style import Theme

__all__ = ["DEFAULT_MAX_SIZE", "NOTEBOOK_WIDTH", "check_max_size", "fits", "hopeless", "notebook_size", "shrunk_themes"]

DEFAULT_MAX_SIZE = (1920, 1080)
"""The largest frame, width × height, when none is asked for: a full-HD screen or slide."""
# A smaller frame cannot hold every operation's magnifier and its arithmetic: at 640 px a colour max
# pooling's three window panels no longer fit side by side. 720 px still fits a notebook's narrow cells.
MIN_SIZE = (720, 540)
NOTEBOOK_WIDTH = 960
"""A notebook view's width for frames before the view has measured it (or where it cannot: inline output).

A notebook's output column is about this wide on a laptop (JupyterLab with its side bar closed,
Notebook 7's centred column); a wider view grows the frames when it says so.
"""
# The player's controls under the frame (about 110 px) and the browser's and notebook's bars (about
# 250 px) leave this much of a 1080-line screen to the frame, so frame and controls are seen together.
NOTEBOOK_HEIGHT = 720
PLAIN_CELL = 6  # without numbers, cells may shrink to this many pixels before they become pixels
SHRINK_STEPS = 6


def check_max_size(max_size: object) -> tuple[int, int] | None:
    """``max_size`` as a (width, height) pair of whole numbers of at least 720 × 540, or None (no limit).

    >>> check_max_size((100, 100))
    Traceback (most recent call last):
    ...
    ValueError: max_size must be None or a (width, height) pair of whole numbers, at least (720, 540); got (100, 100)
    """
    if max_size is None:
        return None
    ok = isinstance(max_size, tuple | list) and len(max_size) == 2
    ok = ok and all(isinstance(v, Integral) and not isinstance(v, bool) for v in max_size)
    if not ok or max_size[0] < MIN_SIZE[0] or max_size[1] < MIN_SIZE[1]:
        raise ValueError(
            f"max_size must be None or a (width, height) pair of whole numbers, at least {MIN_SIZE}; got {max_size!r}"
        )
    return (int(max_size[0]), int(max_size[1]))


def notebook_size(width: int | None = None) -> tuple[int, int]:
    """The ``max_size`` for frames in a notebook view ``width`` pixels wide (None: not measured yet).

    A view narrower than the smallest frame (``MIN_SIZE``) gets the smallest frame, which the browser
    scales down a little, rather than pictures in place of numbers.

    >>> notebook_size(), notebook_size(1500)
    ((960, 720), (1500, 720))
    """
    return (max(MIN_SIZE[0], width or NOTEBOOK_WIDTH), NOTEBOOK_HEIGHT)


def fits(size: tuple[int, int], max_size: tuple[int, int] | None) -> bool:
    """True when a frame of ``size`` is within ``max_size`` (always, when there is no limit)."""
    return max_size is None or (size[0] <= max_size[0] and size[1] <= max_size[1])


def smallest_scale(theme: Theme, numbers: bool) -> float:
    """How far a theme may shrink: until its values reach ``min_text`` (with numbers), or cells ``PLAIN_CELL`` px."""
    if numbers:
        return min(1.0, theme.min_text / theme.value_size)
    return min(1.0, PLAIN_CELL / theme.cell)


def shrink(theme: Theme, scale: float) -> Theme:
    """``theme`` with cells, lines, gaps and type ``scale`` times as large (type never under ``min_text``)."""

    def text(size: int) -> int:
        return min(size, max(theme.min_text, round(size * scale)))

    return replace(
        theme,
        cell=max(PLAIN_CELL, round(theme.cell * scale)),
        value_size=text(theme.value_size),
        weight_size=text(theme.weight_size),
        text_size=text(theme.text_size),
        title_size=text(theme.title_size),
        line_width=max(1, round(theme.line_width * scale)),
        margin=max(8, round(theme.margin * scale)),
        gap=max(16, round(theme.gap * scale)),
    )


def shrunk_themes(theme: Theme, numbers: bool) -> Iterator[Theme]:
    """``theme`` itself, then smaller and smaller versions of it down to the smallest readable one."""
    low = smallest_scale(theme, numbers)
    yield theme
    for k in range(1, SHRINK_STEPS + 1):
        yield shrink(theme, 1 - (1 - low) * k / SHRINK_STEPS)


def hopeless(theme: Theme, numbers: bool, cells: int, max_size: tuple[int, int] | None) -> bool:
    """True when ``cells`` cells at the smallest readable size cannot fit ``max_size`` at all (no need to try).

    >>> from visualizer.render.style import get_theme
    >>> hopeless(get_theme("default"), True, 1_000_000, (1920, 1080)), hopeless(get_theme("default"), True, 25, None)
    (True, False)
    """
    if max_size is None:
        return False
    cell = theme.cell * smallest_scale(theme, numbers)
    return cells * cell * cell > max_size[0] * max_size[1]
