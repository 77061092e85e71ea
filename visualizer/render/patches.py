"""Frames as one still picture and, per step, only the rectangles that changed.

A player that paints onto a canvas needs the first frame whole and then, for
each step, the pixels that differ from the step before. The changed pixels are
cut into a few tight rectangles (a recursive cut along blank rows and columns,
so a moving window, a new output cell and a caption stay separate), and all
rectangles go into a few shared sprite sheets: one PNG header and one palette
for many patches, and the compressor sees them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]  # x0, y0, x1, y1, right/bottom exclusive

# blank rows or columns between two changes before they become two rectangles: a rectangle
# costs a few bytes of JSON, a stripe of unchanged pixels costs more once compressed
_GAP = 16
# sprite sheets stay well inside every browser's limits for one image
_SHEET_HEIGHT = 4096


@dataclass(frozen=True)
class Patch:
    """Paint ``sheet``'s box ``(sx, sy, w, h)`` at ``(dx, dy)`` on the frame."""

    sheet: int
    sx: int
    sy: int
    w: int
    h: int
    dx: int
    dy: int


def changed_boxes(before: np.ndarray, after: np.ndarray, gap: int = _GAP) -> list[Box]:
    """Tight boxes around the pixels where ``after`` differs from ``before``.

    >>> a = np.zeros((20, 30), np.uint8)
    >>> b = a.copy(); b[2:4, 3:5] = 1; b[15, 25] = 1
    >>> changed_boxes(a, b)
    [(3, 2, 5, 4), (25, 15, 26, 16)]
    """
    mask = before != after
    if mask.ndim == 3:
        mask = mask.any(axis=2)
    return _cut(mask, 0, 0, gap, axis=0)


def _runs(flags: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True in ``flags``, joined across fewer than ``gap`` False values."""
    where = np.flatnonzero(flags)
    if where.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(where) > gap)
    starts = np.concatenate(([where[0]], where[breaks + 1]))
    ends = np.concatenate((where[breaks], [where[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _cut(mask: np.ndarray, x: int, y: int, gap: int, axis: int, trimmed: bool = False) -> list[Box]:
    """Split ``mask`` (at ``x``, ``y``) along ``axis`` at blank gaps, then each part along the other axis.

    ``trimmed``: the mask is already cut tight along the other axis, so one run here makes a box.
    """
    runs = _runs(mask.any(axis=1 - axis), gap)
    if len(runs) == 1 and trimmed:
        (start, end), other = runs[0], mask.shape[1 - axis]
        return [(x, y + start, x + other, y + end)] if axis == 0 else [(x + start, y, x + end, y + other)]
    boxes: list[Box] = []
    for start, end in runs:
        part = mask[start:end] if axis == 0 else mask[:, start:end]
        boxes += _cut(part, x, y + start, gap, 1, True) if axis == 0 else _cut(part, x + start, y, gap, 0, True)
    return boxes


def encode_patches(frames: Sequence[Image.Image]) -> tuple[list[Image.Image], list[list[Patch]]]:
    """Sprite sheets and, per frame, the patches that turn the frame before it into it.

    Frame 0's patch list paints the whole first frame; later lists paint only what changed.
    Sheets keep the frames' mode, so paletted frames give paletted, small sheets.

    >>> frames = [Image.new("P", (8, 8), 0), Image.new("P", (8, 8), 0)]
    >>> frames[1].putpixel((2, 3), 1)
    >>> sheets, patches = encode_patches(frames)
    >>> [len(p) for p in patches], patches[1][0].dx, patches[1][0].dy, patches[1][0].w
    ([1, 1], 2, 3, 1)
    """
    arrays = [np.asarray(frame) for frame in frames]
    width, height = frames[0].size
    boxes = [[(0, 0, width, height)]]
    boxes += [changed_boxes(a, b) for a, b in zip(arrays, arrays[1:], strict=False)]
    # shelf packing, tallest first, into sheets as wide as a frame
    order = sorted(((b[3] - b[1], i, k) for i, step in enumerate(boxes) for k, b in enumerate(step)), reverse=True)
    places: dict[tuple[int, int], tuple[int, int, int]] = {}
    sheet, x, y, shelf, heights = 0, 0, 0, 0, [0]
    for h, i, k in order:
        w = boxes[i][k][2] - boxes[i][k][0]
        if x + w > width:
            x, y, shelf = 0, y + shelf, 0
        if y + h > max(_SHEET_HEIGHT, height) and y > 0:
            sheet, x, y, shelf = sheet + 1, 0, 0, 0
            heights.append(0)
        places[i, k] = (sheet, x, y)
        x, shelf = x + w, max(shelf, h)
        heights[sheet] = max(heights[sheet], y + h)
    sheets = [Image.new(frames[0].mode, (width, h)) for h in heights]
    if frames[0].mode == "P":
        for image in sheets:
            image.putpalette(frames[0].getpalette())
    patches: list[list[Patch]] = []
    for i, step in enumerate(boxes):
        patches.append([])
        for k, (x0, y0, x1, y1) in enumerate(step):
            s, sx, sy = places[i, k]
            sheets[s].paste(frames[i].crop((x0, y0, x1, y1)), (sx, sy))
            patches[-1].append(Patch(s, sx, sy, x1 - x0, y1 - y0, x0, y0))
    return sheets, patches
