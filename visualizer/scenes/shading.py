"""Cell fills: conv_arithmetic's flat colours, or shaded by value so a photo looks like a photo.

With ``shade="values"`` each input cell is tinted by its value — a grey ramp
for intensities, a ramp to the channel's colour for each channel of a colour
image — and each output by a diverging ramp around zero when results are
signed (Sobel, emboss: blue below zero, orange above), a grey ramp when not.
Ramps are quantised to a few levels, so palette frames keep one fixed palette.

>>> import numpy as np
>>> from visualizer.render.style import get_theme
>>> from visualizer.scenes.base import Colours
>>> fills = Fills(Colours(get_theme("default")), "values", np.array([[0, 255]], np.uint8), np.array([[-5, 5]]), 1)
>>> fills.input(0, 0, False), fills.input(0, 255, False)
((0, 0, 0), (255, 255, 255))
>>> fills.output(0, -5, False), fills.output(0, 0, False), fills.output(0, 5, False)
((33, 102, 172), (255, 255, 255), (230, 97, 1))
"""

from __future__ import annotations

import numpy as np

from ..render.style import RGB, blend, rgb

SHADES = (None, "values")
INPUT_LEVELS = 8
SIGNED_LEVELS = 4  # on each side of zero
NEGATIVE, POSITIVE = rgb("#2166AC"), rgb("#E66101")  # blue and orange: apart for colour-blind eyes too
BLACK, WHITE = (0, 0, 0), (255, 255, 255)
ACCENT = (211, 54, 130)  # a ring on cells shaded by value or on a picture: solarized magenta, clear of both ramps


def value_range(values: np.ndarray) -> tuple[float, float]:
    """The range a ramp spans: 0…255 for 8-bit-like values, 0…1 for unit floats, else the values' own."""
    low, high = float(np.min(values)), float(np.max(values))
    if low >= 0 and high <= 1 and values.dtype.kind == "f":
        return 0.0, 1.0
    if low >= 0 and high <= 255 and (values.dtype.kind in "iu" or high > 1):
        return 0.0, 255.0
    return low, high if high > low else low + 1


class Fills:
    """The fill of every input and output cell, plain or under the footprint's 40 % shade.

    Parameters
    ----------
    colours : Colours
        The theme's colours.
    shade : None or "values"
        Flat colours, or shaded by value.
    inputs, outputs : ndarray
        The padded input and the (clamped) output, to set the ramps' ranges.
    channels : int
        How many channels (ramps to the channel colours when 3 or 4, grey otherwise).
    """

    def __init__(self, colours, shade: str | None, inputs: np.ndarray, outputs: np.ndarray, channels: int):
        if shade not in SHADES:
            raise ValueError(f"shade must be None or 'values'; got {shade!r}")
        self.colours, self.shade = colours, shade
        self._shade, self._alpha = colours.shade, colours.shade_alpha
        self.in_low, self.in_high = value_range(inputs)
        self.signed = float(np.min(outputs)) < 0 < float(np.max(outputs))
        if self.signed:
            self.out_low, self.out_high = 0.0, float(np.max(np.abs(outputs)))
        else:
            self.out_low, self.out_high = value_range(outputs)
        self.tints = colours.channels if channels in (3, 4) else (WHITE,) * channels

    def _level(self, value: float, low: float, high: float, levels: int) -> float:
        share = (float(value) - low) / (high - low) if high > low else 0.0
        return round(min(max(share, 0.0), 1.0) * (levels - 1)) / (levels - 1)

    def _shaded(self, fill: RGB, shaded: bool) -> RGB:
        return blend(self._shade, fill, self._alpha) if shaded else fill

    def input(self, channel: int, value, shaded: bool) -> RGB:
        """An input cell's fill (not padding)."""
        if self.shade is None:
            return self.colours.shaded_input if shaded else self.colours.input
        level = self._level(value, self.in_low, self.in_high, INPUT_LEVELS)
        return self._shaded(blend(self.tints[channel], BLACK, level), shaded)

    def output(self, channel: int, value, shaded: bool) -> RGB:
        """An output cell's fill."""
        if self.shade is None:
            return self.colours.shaded_output if shaded else self.colours.output
        if self.signed:
            level = self._level(abs(float(value)), 0.0, self.out_high, SIGNED_LEVELS + 1)
            fill = blend(NEGATIVE if float(value) < 0 else POSITIVE, WHITE, level)
        else:
            fill = blend(WHITE, BLACK, self._level(value, self.out_low, self.out_high, INPUT_LEVELS))
        return self._shaded(fill, shaded)

    def all_inputs(self, channels: int) -> set[RGB]:
        """Every input fill a frame can show, plain and shaded (for palettes)."""
        levels = np.linspace(self.in_low, self.in_high, INPUT_LEVELS)
        return {self.input(c, v, s) for c in range(channels) for v in levels for s in (False, True)}

    def all_outputs(self, channels: int) -> set[RGB]:
        if self.signed:
            levels = np.linspace(-self.out_high, self.out_high, 2 * SIGNED_LEVELS + 1)
        else:
            levels = np.linspace(self.out_low, self.out_high, INPUT_LEVELS)
        return {self.output(c, v, s) for c in range(channels) for v in levels for s in (False, True)}


def display_colours(result: np.ndarray) -> np.ndarray:
    """A red-green-blue(-alpha) output as uint8 colours: 0…1 floats scaled up, 0…255 as it is, others stretched."""
    values = np.asarray(result[..., :3], dtype=float)
    low, high = values.min(), values.max()
    if result.dtype.kind == "f" and low >= 0 and high <= 1:
        values = values * 255
    elif low < 0 or high > 255:
        values = (values - low) * (255 / (high - low)) if high > low else np.zeros_like(values)
    return np.rint(values).astype(np.uint8)
