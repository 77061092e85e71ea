"""Contact sheets: labelled pictures in a grid, for the lesson's filter figure and for printed frames."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from ..images import to_uint8
from .style import font

_INK = (0, 43, 54)  # the house's grid colour #002B36, for labels
_PAPER = (255, 255, 255)


def sheet_layout(
    labels: Sequence[str], panel_size: tuple[int, int], *, columns: int = 3
) -> tuple[tuple[int, int], list[tuple[int, int, int, int]]]:
    """A contact sheet's ``(width, height)`` and each panel's ``(left, top, right, bottom)`` box, row-major.

    Cells are as wide as the panels, or as the widest label when that is wider,
    so labels never run into the next panel.

    >>> sheet_layout(["a", "b"], (100, 50), columns=2)
    ((236, 98), [(12, 12, 112, 62), (124, 12, 224, 62)])
    """
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a positive int, got {columns!r}")
    label_font = font(_LABEL_SIZE)
    columns, width, height = min(columns, len(labels)), *panel_size
    rows = -(-len(labels) // columns)
    step_x = max([width] + [math.ceil(label_font.getlength(label)) for label in labels]) + _GAP
    step_y = height + _LABEL_HEIGHT + _GAP
    boxes = []
    for index in range(len(labels)):
        left, top = _GAP + (index % columns) * step_x, _GAP + (index // columns) * step_y
        boxes.append((left, top, left + width, top + height))
    return (_GAP + columns * step_x, _GAP + rows * step_y), boxes


def contact_sheet(panels: Sequence[tuple[str, Any]], *, columns: int = 3) -> Image.Image:
    """Panels (label, image) in a grid on white, each label under its image.

    Cells are the size of the largest panel; a smaller panel sits in its
    cell's top-left corner with its label right under it.
    """
    if not panels:
        raise ValueError("panels must hold at least one (label, image) pair")
    pictures = [Image.fromarray(to_uint8(np.asarray(array))).convert("RGB") for _, array in panels]
    panel_size = (max(p.width for p in pictures), max(p.height for p in pictures))
    size, boxes = sheet_layout([label for label, _ in panels], panel_size, columns=columns)
    sheet = Image.new("RGB", size, _PAPER)
    draw = ImageDraw.Draw(sheet)
    label_font = font(_LABEL_SIZE)
    for (label, _), picture, (left, top, _, _) in zip(panels, pictures, boxes, strict=True):
        sheet.paste(picture, (left, top))
        draw.text((left, top + picture.height + 3), label, fill=_INK, font=label_font)
    return sheet


_GAP = 12
_LABEL_SIZE = 16
_LABEL_HEIGHT = _LABEL_SIZE + 8  # the label's strip under its panel
