"""What the Stepper sent the browser, painted back into pictures the way player.js paints them.

The sheets are cut out of the one binary buffer by their sizes, opened as PNGs, and each
step's patches are drawn onto one canvas in order, as the player does on its canvas.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def sent_frames(widget) -> list[np.ndarray]:
    """Every frame the widget sent, as RGB arrays."""
    return decode(widget._player, widget._sheets)


def decode(data: dict, buffer: bytes) -> list[np.ndarray]:
    """Every frame of one payload (the player's data and its buffer of PNG sheets), as RGB arrays."""
    sheets, offset = [], 0
    for size in data["sheet_sizes"]:
        sheets.append(np.asarray(Image.open(io.BytesIO(buffer[offset : offset + size])).convert("RGB")))
        offset += size
    assert offset == len(buffer), "the buffer holds exactly the sheets"
    canvas = np.zeros((data["height"], data["width"], 3), np.uint8)
    frames = []
    for patches in data["patches"]:
        for s, sx, sy, w, h, dx, dy in patches:
            canvas[dy : dy + h, dx : dx + w] = sheets[s][sy : sy + h, sx : sx + w]
        frames.append(canvas.copy())
    return frames


def shown_frame(widget) -> np.ndarray:
    """The frame of the step the widget shows now."""
    return sent_frames(widget)[widget.step]
