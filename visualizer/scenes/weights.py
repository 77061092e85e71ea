"""The kernel shown beside the planes: its weights as the caller gave them, and (direct view) rotated by 180°.

Each weight sits in a chip-coloured cell, as the chips in the footprint do,
with a small letter naming its place in the caller's kernel (a, b, c, … row by
row), so a rotated copy reads as the same letters in reverse order.

>>> letter_of(0, 9), letter_of(8, 9), letter_of(3, 30)
('a', 'i', '')
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from ..render.style import font
from ..text import channel_names, display_number
from .base import widest
from .items import Item, Text
from .panels import Panel

LETTER_AT = (3, 1)  # a tap's letter, from the cell's top-left corner inside its lines


def letter_of(tap: int, taps: int) -> str:
    """The letter naming a kernel's tap (a, b, c, … in row-major order); none past 26 taps."""
    return string.ascii_lowercase[tap] if taps <= 26 else ""


def weight_texts(kernel: np.ndarray) -> list[list[list[str]]]:
    """Per channel (one for a 2-D kernel), the weights as a frame writes them."""
    planes = [kernel[..., c] for c in range(kernel.shape[2])] if kernel.ndim == 3 else [kernel]
    return [[[display_number(w) for w in row] for row in plane] for plane in planes]


class KernelPanels:
    """Small panels of the caller's ``kernel`` (2-D, or a per-channel 3-D stack): ``views`` are
    ``(name, title, rotated)`` triples, e.g. the kernel and its copy rotated by 180°."""

    def __init__(self, scene: Any, kernel: np.ndarray, views: tuple[tuple[str, str, bool], ...]):
        self.scene = scene
        self.stack = kernel.ndim == 3
        self.shape = kernel.shape[:2]
        self.taps = self.shape[0] * self.shape[1]
        self.views = views
        self.kernel = kernel
        self.weights = weight_texts(kernel)

    def cell_size(self) -> int:
        """The side of a panel's cell: the widest weight, centred, clear of its tap's letter in the corner.

        The number clears the letter sideways or below it, whichever takes the smaller cell.
        """
        s = self.scene
        number_w = widest(self.kernel, s.value_font)
        side = max(round(s.theme.cell * 0.8), round(number_w) + 14)
        letters = "".join(letter_of(tap, self.taps) for tap in range(self.taps))
        if not letters:
            return side
        letter_face = font(s.weight_font.size, s.weight_font.variant)
        letter_right, letter_bottom = np.max([letter_face.getbbox(letter)[2:] for letter in letters], axis=0)
        _, number_top, _, number_bottom = font(s.value_font.size, s.value_font.variant).getbbox("0123456789−")
        sideways = number_w + 2 * (LETTER_AT[0] + letter_right + 2)
        below = number_bottom - number_top + 2 * (LETTER_AT[1] + letter_bottom + 2)
        return max(side, int(np.ceil(min(sideways, below))))

    def panels(self, channel: int) -> list[Panel]:
        """The panels shown with ``channel``: all with the first channel for a shared kernel; none without numbers."""
        if not self.scene.numbers or (channel and not self.stack):
            return []
        suffix = f":{channel}" if self.stack else ""
        prefix = f"{channel_names(self.scene.channels)[channel]}: " if self.stack else ""
        return [Panel(name + suffix, *self.shape, prefix + title, small=True) for name, title, _ in self.views]

    def items(self) -> list[Item]:
        """Every kernel panel's cells, weights, letters and lines."""
        s, c = self.scene, self.scene.colours
        rows, cols = self.shape
        items: list[Item] = []
        for name, _, rotated in self.views:
            for channel in range(len(self.weights)):
                grid = s.grids.get(name + (f":{channel}" if self.stack else ""))
                if grid is None:
                    continue
                for r, col in np.ndindex(rows, cols):
                    u, v = (rows - 1 - r, cols - 1 - col) if rotated else (r, col)
                    items += s.cell_items(grid, r, col, "kernel")
                    items.append(
                        s.value(grid, r, col, self.weights[channel][u][v], s.value_font, c.chip_ink, c.chip, False)
                    )
                    letter = letter_of(u * cols + v, rows * cols)
                    if letter:
                        x0, y0, _, _ = grid.interior(r, col)
                        xy, tag = (x0 + LETTER_AT[0], y0 + LETTER_AT[1]), ("letter", grid.name, r, col)
                        items.append(Text(xy, letter, s.weight_font, c.muted, c.chip, "la", grid.plane, tag))
                items.append(grid)
        return items
