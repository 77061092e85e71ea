"""One picture per step, for any operation: its scene (:mod:`visualizer.scenes`) painted.

:class:`FrameRenderer` pairs an operation's scene builder with the raster
painter; :func:`render_frame` draws one step as a Pillow image and
:func:`save_frame` writes one step as PNG, SVG or PDF. Every other view (GIF,
MP4, HTML, contact sheet, the widget, the presenter) takes its pictures from
here, so a visual fix lands everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from PIL import Image

from ..files import atomic_write
from ..scenes import scene_builder
from ..scenes.fit import DEFAULT_MAX_SIZE
from ..scenes.items import Scene, apply
from .raster import RasterPainter
from .style import Theme, get_theme

FRAME_FORMATS = (".png", ".svg", ".pdf")


class FrameRenderer:
    """Draws the frames of one operation, one per step, on one fixed palette.

    Parameters
    ----------
    op : Convolution (or another operation with a scene builder)
        What to draw.
    theme : str or Theme
        "default" (conv_arithmetic's palette), "colorblind", "dark" or "classroom".
    numbers : bool
        Show values, weights, header and the arithmetic line; False gives the
        clean conv_arithmetic look with no text at all.
    layout : str
        "flat" (panels side by side) or "oblique" (conv_arithmetic's tilted planes).
    shade : None or "values"
        Flat colours (conv_arithmetic's), or cells tinted by their values: a photo looks like a photo,
        signed outputs show blue below zero and orange above.
    max_size : (int, int) or None
        The largest frame, width × height in pixels (default 1920×1080; None: no limit). Cells shrink
        to fit; when numbers would be too small to read, the input and output are drawn as pictures
        and a magnifier shows the current window (:mod:`visualizer.scenes.magnifier`).

    Attributes
    ----------
    size : (int, int)
        Width and height of every frame in pixels (both even).
    palette : list of (r, g, b)
        The fixed palette every frame uses (at most 256 colours).
    palette_image : PIL.Image.Image
        A 1×1 "P" image carrying that palette, for ``Image.quantize(palette=…)``.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> renderer = FrameRenderer(Convolution(np.arange(25).reshape(5, 5), np.ones((3, 3)), padding=1))
    >>> len(renderer), renderer.frame(0).mode, renderer.frame(0).size == renderer.size
    (25, 'P', True)
    """

    def __init__(
        self,
        op: Any,
        *,
        theme: str | Theme = "default",
        numbers: bool = True,
        layout: str = "flat",
        shade: str | None = None,
        max_size: tuple[int, int] | None = DEFAULT_MAX_SIZE,
    ):
        style = {"theme": theme, "numbers": numbers, "layout": layout, "shade": shade, "max_size": max_size}
        self.builder = scene_builder(op, **style)
        self.painter = RasterPainter(self.builder)
        self.op = self.conv = op
        self.theme, self.numbers, self.layout, self.shade = self.builder.theme, self.builder.numbers, layout, shade
        self.size = self.painter.size
        self.palette = self.painter.palette
        self.palette_image = self.painter.palette_image

    def __len__(self) -> int:
        return len(self.builder)

    def frame(self, step_index: int) -> Image.Image:
        """The frame of step ``step_index`` (negative counts from the end), mode "P"."""
        return self.painter.frame(step_index)

    def frame_rgb(self, step_index: int) -> Image.Image:
        """The same frame in mode "RGB" (for viewers that want true colour)."""
        return self.frame(step_index).convert("RGB")

    def scene(self, step_index: int) -> Scene:
        """What step ``step_index`` shows, as data."""
        return self.builder.scene(step_index)

    def cell_box(self, area: str, row: int, col: int, channel: int = 0) -> tuple[int, int, int, int]:
        """Inclusive pixel box ``(x0, y0, x1, y1)`` inside a cell as drawn (its fill, inside its lines).

        ``area`` is "input" (``row``, ``col`` in padded coordinates), "output" or,
        for colour images, "combined" (the colour output); ``channel`` picks the
        panel of a colour image. On a tilted plane (the oblique layout) the box
        is a small square near the cell's top-left corner, clear of its value
        (centre) and weight (bottom-right), where the cell's fill shows.

        >>> import numpy as np
        >>> from visualizer import Convolution
        >>> renderer = FrameRenderer(Convolution(np.zeros((4, 4)), np.ones((3, 3))))
        >>> x0, y0, x1, y1 = renderer.cell_box("input", 0, 0)
        >>> x1 - x0 + 1 == y1 - y0 + 1 > 20
        True
        """
        # a large input's pictures (visualizer.scenes.magnifier) have cells one block of pixels each
        grids = {**self.builder.grids, **getattr(self.builder, "picture_panels", {})}
        areas = sorted({name.split(":")[0] for name in grids})
        if area not in areas:
            raise ValueError(f"area must be one of {', '.join(areas)}; got {area!r}")
        panels = sorted((name for name in grids if name.split(":")[0] == area), key=_channel_of)
        if area == "combined":
            channel = 0
        if not 0 <= channel < len(panels):
            raise ValueError(f"channel must be in 0…{len(panels) - 1}; got {channel}")
        grid = grids[panels[channel]]
        if not (0 <= row < grid.rows and 0 <= col < grid.cols):
            raise ValueError(f"cell ({row}, {col}) lies outside the {area} grid of {grid.rows}×{grid.cols}")
        matrix = self.builder.planes[grid.plane]
        if grid.plane == 0:
            return grid.interior(row, col)
        x0, y0, x1, y1 = grid.interior(row, col)
        x, y = (round(v) for v in apply(matrix, (x0 + 0.2 * (x1 - x0), y0 + 0.2 * (y1 - y0))))
        return (x - 2, y - 2, x + 2, y + 2)


def _channel_of(name: str) -> int:
    return int(name.split(":")[1]) if ":" in name else 0


# render_frame keeps the renderers of live operations, so a slider calling it step after
# step pays for the still parts once; a renderer goes when its operation does.
_RENDERERS: WeakKeyDictionary[Any, dict[tuple, FrameRenderer]] = WeakKeyDictionary()


def render_frame(
    op: Any,
    step_index: int,
    *,
    theme: str | Theme = "default",
    numbers: bool = True,
    layout: str = "flat",
    shade: str | None = None,
    max_size: tuple[int, int] | None = DEFAULT_MAX_SIZE,
) -> Image.Image:
    """Draw step ``step_index`` of ``op`` as one picture (mode "P", see :class:`FrameRenderer`).

    The picture is at most ``max_size`` (width, height): 1920×1080 unless told (None: no limit).

    The renderer built for ``op`` and this style is kept while ``op``
    lives, so calling it for step after step draws only what changes.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> render_frame(conv, 3).mode
    'P'
    >>> render_frame(conv, 3, layout="oblique").size != render_frame(conv, 3).size
    True
    """
    options = {"theme": theme, "numbers": numbers, "layout": layout, "shade": shade, "max_size": max_size}
    size = tuple(max_size) if isinstance(max_size, tuple | list) else max_size
    key = (get_theme(theme), numbers if isinstance(numbers, bool | np.bool_) else repr(numbers), layout, shade, size)
    try:
        renderers = _RENDERERS.setdefault(op, {})
    except TypeError:  # not an object a weak reference can follow: the builder says what it wants
        return FrameRenderer(op, **options).frame(step_index)
    if key not in renderers:
        renderers[key] = FrameRenderer(op, **options)
    return renderers[key].frame(step_index)


def save_frame(op: Any, step_index: int, path: str | os.PathLike, **style: Any) -> Path:
    """Write step ``step_index`` of ``op`` to ``path``: ``.png`` (pixels), ``.svg`` or ``.pdf`` (vectors).

    In SVG and PDF the text stays text: selectable and searchable. ``style``
    takes ``theme``, ``numbers``, ``layout``, ``shade`` and ``max_size`` as :func:`render_frame` does.
    The file is written whole or not at all.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> with tempfile.TemporaryDirectory() as root:
    ...     path = save_frame(conv, 0, Path(root) / "step.svg")
    ...     "45" in path.read_text()
    True
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FRAME_FORMATS:
        raise ValueError(f"path must end in {', '.join(FRAME_FORMATS)}; got {str(target)!r}")
    builder = scene_builder(op, **{"max_size": DEFAULT_MAX_SIZE, **style})
    scene = builder.scene(step_index)
    with atomic_write(target) as temp:
        if suffix == ".png":
            RasterPainter(builder).frame(scene.index).save(temp, format="PNG")
        else:
            from .vector import write_pdf, write_svg

            (write_svg if suffix == ".svg" else write_pdf)(temp, [scene])
    return target
