"""The input and output of an operation as pictures: one block of pixels a value, grey or in colour.

:class:`Source` says what an operation of the convolution's family shows as
pictures (its padded input, the window that slides over it, its output);
:class:`Pictures` turns it into colour tables and positions in them, and
:class:`PixelPanel` says where a picture lies on its plane. The magnifier
(:mod:`.magnifier`) lays them out and draws them.

>>> import numpy as np
>>> source = Source(np.array([[0.0, 255.0]]), (1, 2), (0, 0, 0, 0), (1, 1), (1, 1), np.array([[0.0, 255.0]]))
>>> source.output_shape, [v.tolist() for v in source.output_values(1)]
((1, 2), [[[0.0, 255.0]]])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from ..render.style import RGB, blend
from .items import Point
from .shading import NEGATIVE, POSITIVE, WHITE, display_colours, value_range


@dataclass(frozen=True)
class Source:
    """What the pictures show: the ``padded`` input (finite values), the image's shape, the ``pads`` (top,
    bottom, left, right), the sliding window's shape and dilation, the ``result`` (2-D, or one plane a
    channel on the last axis), and how the input grew (``grown``: "padded", "stretched and padded", …)."""

    padded: np.ndarray
    image_shape: tuple[int, ...]
    pads: tuple[int, int, int, int]
    window: tuple[int, int]
    dilation: tuple[int, int]
    result: np.ndarray
    grown: str = "padded"  # how the input became ``padded``, for the input's title

    @property
    def output_shape(self) -> tuple[int, int]:
        return (int(self.result.shape[0]), int(self.result.shape[1]))

    def output_values(self, channels: int) -> list[np.ndarray]:
        """The result, one 2-D array a channel."""
        return [self.result] if self.result.ndim == 2 else [self.result[..., k] for k in range(channels)]


GREY_LEVELS = 64
SIGNED_LEVELS = 32  # on each side of zero
PICTURE_COLOURS = 96  # a colour picture's share of a frame's 256 palette entries
SAMPLE_PIXELS = 65_536  # enough pixels to choose a picture's colours from


@dataclass(frozen=True)
class PixelPanel:
    """Where a picture of ``rows`` × ``cols`` values lies on its plane: top-left ``(x, y)``, ``px`` pixels a value.

    >>> PixelPanel("input", 10, 20, 5, 5, 4.0).box(1, 2, 2, 3)
    (18, 24, 21, 27)
    """

    name: str
    x: float
    y: float
    rows: int
    cols: int
    px: float
    plane: int = 0

    def box(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int, int, int]:
        """Inclusive pixel box of values ``r0…r1-1 × c0…c1-1``."""
        x, y, px = self.x, self.y, self.px
        return (round(x + c0 * px), round(y + r0 * px), round(x + c1 * px) - 1, round(y + r1 * px) - 1)

    def interior(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Inclusive pixel box of one value (as :meth:`Grid.interior` gives a cell's)."""
        return self.box(row, col, row + 1, col + 1)

    def corners(self, r0: int, c0: int, r1: int, c1: int) -> tuple[Point, Point, Point, Point]:
        """The outer corners of values ``r0…r1-1 × c0…c1-1``, clockwise from top-left."""
        x0, y0, x1, y1 = self.box(r0, c0, r1, c1)
        return ((x0, y0), (x1 + 1, y0), (x1 + 1, y1 + 1), (x0, y1 + 1))

    @property
    def extent(self) -> tuple[float, float]:
        return (self.cols * self.px, self.rows * self.px)


def grey_table(levels: int = GREY_LEVELS) -> np.ndarray:
    """A ramp of ``levels`` greys from black to white, as a (levels, 3) uint8 table."""
    ramp = np.rint(np.linspace(0, 255, levels)).astype(np.uint8)
    return np.repeat(ramp[:, None], 3, axis=1)


def grey_index(values: np.ndarray, low: float, high: float, levels: int = GREY_LEVELS) -> np.ndarray:
    """Positions in :func:`grey_table` of ``values`` spread over ``low…high`` (clipped to it).

    >>> grey_index(np.array([0, 128, 255]), 0, 255, 3).tolist()
    [0, 1, 2]
    """
    share = (np.asarray(values, float) - low) / (high - low) if high > low else np.zeros(np.shape(values))
    return np.rint(np.clip(share, 0, 1) * (levels - 1)).astype(np.uint16)


def picture_range(values: np.ndarray) -> tuple[float, float]:
    """The values a grey picture spans black to white: 0…255 for an 8-bit image (uint8, or values reaching past
    127 within 0…255), 0…1 for unit floats, else the values' own range (0…8 from black to white, not near-black).

    >>> picture_range(np.array([0, 8])), picture_range(np.array([3, 200])), picture_range(np.array([0.2, 0.5]))
    ((0.0, 8.0), (0.0, 255.0), (0.0, 1.0))
    """
    low, high = value_range(values)
    if (low, high) == (0.0, 255.0) and values.dtype != np.uint8 and float(np.max(values)) <= 127:
        return float(np.min(values)), max(float(np.max(values)), float(np.min(values)) + 1)
    return low, high


def signed_table(levels: int = SIGNED_LEVELS) -> np.ndarray:
    """Blue through white to orange, ``2·levels + 1`` colours (the shading's diverging ramp)."""
    colours = [blend(NEGATIVE if k < 0 else POSITIVE, WHITE, abs(k) / levels) for k in range(-levels, levels + 1)]
    return np.array(colours, np.uint8)


def signed_index(values: np.ndarray, reach: float, levels: int = SIGNED_LEVELS) -> np.ndarray:
    """Positions in :func:`signed_table` of ``values`` (−reach → 0, 0 → the middle, reach → the end).

    >>> signed_index(np.array([-4, 0, 4]), 4, 2).tolist()
    [0, 2, 4]
    """
    share = np.clip(np.asarray(values, float) / reach, -1, 1) if reach > 0 else np.zeros(np.shape(values))
    return (np.rint(share * levels) + levels).astype(np.uint16)


def shared_colours(
    pictures: list[np.ndarray], count: int = PICTURE_COLOURS
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """One table of at most ``count`` colours for several (h, w, 3) uint8 pictures, each as positions in it, and
    the table's colour nearest to every 5-bit colour (for :func:`lookup` of other pictures).

    The table is a median cut of at most 65 536 of the pixels; every pixel then takes the table's
    colour nearest to it (looked up by its colour at 5 bits a channel, so large pictures cost little).

    >>> table, (a,), _ = shared_colours([np.array([[[255, 0, 0], [0, 0, 255]]], np.uint8)])
    >>> table[a].tolist()
    [[[255, 0, 0], [0, 0, 255]]]
    """
    strip = np.concatenate([p.reshape(-1, 3) for p in pictures])
    sample = strip[:: max(1, len(strip) // SAMPLE_PIXELS)]
    quantised = Image.fromarray(sample[None], "RGB").quantize(count, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    used = int(np.asarray(quantised).max()) + 1
    table = np.array(quantised.getpalette()[: 3 * used], np.uint8).reshape(used, 3)
    # the table's colour nearest to each 5-bit colour box's centre: the squared distance is a sum over the
    # channels and the centres a grid, so three (32, colours) tables of one channel's squares, added across,
    # take the place of a 32 768 × colours × 3 array of differences
    levels = np.arange(4, 256, 8)
    red, green, blue = ((levels[:, None] - table[None, :, k].astype(np.int32)) ** 2 for k in range(3))
    distances = red[:, None, None] + green[None, :, None] + blue[None, None, :]
    nearest = np.argmin(distances.reshape(-1, len(table)), axis=1).astype(np.uint16)
    return table, [lookup(nearest, picture) for picture in pictures], nearest


def lookup(nearest: np.ndarray, picture: np.ndarray) -> np.ndarray:
    """Positions of an (h, w, 3) uint8 picture's pixels in a table, by ``nearest`` (from :func:`shared_colours`)."""
    bits = picture.astype(np.uint16) >> 3
    return nearest[(bits[..., 0] << 10) | (bits[..., 1] << 5) | bits[..., 2]]


class Pictures:
    """The input and output of ``source`` as pictures, for ``scene``: colour tables and positions in them.

    ``inputs`` and ``outputs`` pair a panel name with its positions; each
    output table ends with the colour of a value not computed yet.
    """

    def __init__(self, scene: Any, source: Source):
        c, padded = scene.colours, source.padded
        self.rgb = scene.rgb
        # a picture a channel of the input, and one a channel of the output (a layer's: one a filter)
        planes_in, self.channels = (1 if a.ndim == 2 else a.shape[2] for a in (padded, source.result))
        self.empty: RGB = blend(c.empty_grid, c.background, 0.35)
        names = [scene.output_name(k) for k in range(self.channels)]
        if scene.rgb:
            colours = [display_colours(padded), display_colours(source.result)]
            table, (inputs, _), self._nearest = shared_colours(colours)
            self.input_table, self.output_table = table, np.vstack([table, [self.empty]]).astype(np.uint8)
            self.inputs = [("input", inputs)]
            names = ["combined"]
        else:
            low, high = picture_range(padded)
            self.input_table = grey_table()
            planes_of = [padded] if padded.ndim == 2 else [padded[..., k] for k in range(planes_in)]
            self.inputs = [(scene.input_name(k), grey_index(planes_of[k], low, high)) for k in range(planes_in)]
            result = source.result
            self._reach = float(np.max(np.abs(result))) if float(np.min(result)) < 0 < float(np.max(result)) else None
            self._range = picture_range(result)
            table = grey_table() if self._reach is None else signed_table()
            self.output_table = np.vstack([table, [self.empty]]).astype(np.uint8)
        self.outputs = list(zip(names, self.positions_of(source.result), strict=True))

    def positions_of(self, result: np.ndarray) -> list[np.ndarray]:
        """Positions in the output table of ``result`` (the whole output, or one computed so far), per picture."""
        if self.rgb:
            return [lookup(self._nearest, display_colours(result))]
        values = [result] if result.ndim == 2 else [result[..., k] for k in range(self.channels)]
        if self._reach is not None:
            return [signed_index(v, self._reach) for v in values]
        return [grey_index(v, *self._range) for v in values]

    def shown(self, positions: np.ndarray, hidden: int | np.ndarray) -> np.ndarray:
        """``positions`` with the values not computed yet (from the ``hidden``-th on, row-major, or where the
        mask ``hidden`` is true) in the empty colour."""
        shown = positions.copy()
        if isinstance(hidden, np.ndarray):
            shown[hidden] = len(self.output_table) - 1
        else:
            shown.reshape(-1)[hidden:] = len(self.output_table) - 1
        return shown
