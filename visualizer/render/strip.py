"""A line of text in a strip under a paletted frame, drawn in the frame's own palette.

Sampled exports (see :mod:`.budget`) put under each frame which step it shows
and that frames were sampled. The strip takes the frame's background and its
darkest-against-the-background colour as ink, by palette index, so the frame
keeps its one fixed palette and GIF writes it without quantising.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from .style import RGB, font

_PAD = 6


class NoteStrip:
    """Adds a strip with one line of text under frames that share ``palette``.

    Parameters
    ----------
    palette : list of (r, g, b)
        The frames' palette (:attr:`FrameRenderer.palette`).
    background : (r, g, b)
        The frames' background colour; it must be in ``palette``.
    size : int
        Type size in pixels.

    Examples
    --------
    >>> frame = Image.new("P", (120, 40), 0)
    >>> frame.putpalette([255, 255, 255, 0, 43, 54])
    >>> noted = NoteStrip([(255, 255, 255), (0, 43, 54)], (255, 255, 255), 12).add(frame, "step 1 of 9")
    >>> noted.mode, noted.size[1] > 40, noted.getpalette()[:6] == frame.getpalette()[:6]
    ('P', True, True)
    >>> sorted(colour for _, colour in noted.getcolors())
    [0, 1]
    """

    def __init__(self, palette: list[RGB], background: RGB, size: int):
        self.background = palette.index(tuple(background))
        # the colour farthest from the background in brightness reads best on it
        self.ink = max(range(len(palette)), key=lambda i: abs(_luma(palette[i]) - _luma(palette[self.background])))
        self.font = font(size)
        self.height = strip_height(size)

    def add(self, frame: Image.Image, text: str) -> Image.Image:
        """A copy of ``frame`` (mode "P") with ``text`` in a strip under it."""
        noted = Image.new("P", (frame.width, frame.height + self.height), self.background)
        noted.putpalette(frame.getpalette())
        noted.paste(frame, (0, 0))
        ImageDraw.Draw(noted).text((_PAD, frame.height + _PAD), text, fill=self.ink, font=self.font)
        return noted


def strip_height(size: int) -> int:
    """How many pixels a strip of ``size``-pixel type adds under a frame (even, as frames' sides are).

    >>> strip_height(15) % 2
    0
    """
    ascent, descent = font(size).getmetrics()
    height = ascent + descent + 2 * _PAD
    return height + height % 2  # frames keep even sides (H.264's yuv420p)


def _luma(colour: RGB) -> float:
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b
