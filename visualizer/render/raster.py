"""The raster painter: scenes to Pillow images, on one fixed palette, drawing only what changes.

It follows matplotlib's ``FuncAnimation`` with blitting: a builder's still
items are painted once; the items each step reveals are cut out of one
picture that has them all; a frame copies the background with what earlier
steps revealed and paints the step's moving items on top.

Frames are painted directly as palette indices: every frame is a mode "P"
image whose palette is exactly :attr:`RasterPainter.palette` (at most 256
colours: the scene's colours, four shades between each text colour and the
fill it sits on so text stays anti-aliased, and pictures' pixels rounded to
what is left). Exporters need no quantisation. The painter knows items
(:mod:`visualizer.scenes.items`), never an operation.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from ..scenes.items import IDENTITY, Box, Grid, Item, Matrix, Pixels, Polygon, Text, apply
from .style import RGB, blend, font

# levels of the shades kept between a text colour and its background
TEXT_SHADES = (0.2, 0.4, 0.6, 0.8)
GLYPH_BYTES = 4 * 2**20  # drawn text kept for reuse: cell values come back, each step's sum does not

Bounds = tuple[int, int, int, int]


class RasterPainter:
    """Paints the frames of one scene builder (see the module's description).

    Attributes
    ----------
    size : (int, int)
        Width and height of every frame in pixels.
    palette : list of (r, g, b)
        The fixed palette every frame uses.
    palette_image : PIL.Image.Image
        A 1×1 "P" image carrying that palette, for ``Image.quantize(palette=…)``.
    """

    def __init__(self, builder: Any):
        self.builder = builder
        self.size = builder.size
        self.planes: tuple[Matrix, ...] = tuple(builder.planes)
        self._palette: dict[RGB, int] = {}
        self._ramps: dict[tuple[RGB, RGB], tuple[bytes, bytes]] = {}
        self._glyphs: dict[tuple, tuple[Image.Image, Image.Image, tuple[int, int]]] = {}
        self._glyph_bytes = 0
        self._frozen = False
        self._approximate: dict[RGB, RGB] = {}
        still = builder.still()
        reveals = [builder.revealed_at(k) for k in range(len(builder))] if builder.reveals() else []
        self._index(builder.background)
        fills, pairs = builder.moving_colours()
        self._register(chain(still, *reveals), fills, pairs)
        self._background = Image.new("L", self.size, self._index(builder.background))
        for item in still:
            self.paint(self._background, item)
        everything = self._background.copy()
        self._reveals: list[list[tuple[Image.Image, tuple[int, int]]]] = []
        for items in reveals:
            bounds = [self.paint(everything, item) for item in items]
            self._reveals.append(_crops(everything, bounds))
        self._frozen = True
        self.palette: list[RGB] = list(self._palette)
        self._flat_palette = [v for colour in self.palette for v in colour]
        self.palette_image = Image.new("P", (1, 1))
        self.palette_image.putpalette(self._flat_palette)
        self._progress = (-1, self._background.copy())

    def __len__(self) -> int:
        return len(self.builder)

    def frame(self, index: int) -> Image.Image:
        """The frame of step ``index`` (negative counts from the end), mode "P"."""
        index = self.builder.check_index(index)
        done, image = self._progress
        if index < done:  # stepping back: start again from the still background
            done, image = -1, self._background.copy()
        for k in range(done + 1, index + 1) if self._reveals else ():
            for crop, corner in self._reveals[k]:
                image.paste(crop, corner)
        self._progress = (index, image)
        frame = image.copy()
        for item in self.builder.moving(index):
            self.paint(frame, item)
        frame = frame.convert("P")  # "L" to "P" keeps the values: they are already palette indices
        frame.putpalette(self._flat_palette)
        return frame

    # -- colours ---------------------------------------------------------------------

    def _register(self, items, fills, pairs) -> None:
        """Give every colour the frames use a palette entry; pictures' pixels share what is left.

        Text is anti-aliased through four shades between its ink and the fill under it; when a scene has
        so many (ink, fill) pairs that they would not fit in 256 colours (cells shaded by value), fewer.
        """
        approximate, solid, pairs = [], set(fills), set(pairs)
        for item in items:
            if isinstance(item, Text):
                pairs.add((item.ink, item.on))
            elif isinstance(item, Box):
                if item.fill is not None:
                    (approximate.append(item.fill) if item.approximate else solid.add(item.fill))
                if item.outline is not None:
                    solid.add(item.outline)
            elif isinstance(item, Grid):
                solid |= {item.colour, item.dash_colour} if item.dashed else {item.colour}
            elif isinstance(item, Pixels):
                solid |= {tuple(int(v) for v in colour) for colour in item.colours}
            else:
                solid.add(item.fill if isinstance(item, Polygon) else item.colour)
        ends = solid | {colour for pair in pairs for colour in pair}
        room = 256 - len(ends) - len(self._palette) - (32 if approximate else 0)
        self._shades = next(
            (shades for shades in (TEXT_SHADES, (0.33, 0.67), (0.5,), ()) if len(shades) * len(pairs) <= room), ()
        )
        for colour in sorted(solid):
            self._index(colour)
        for ink, on in sorted(pairs):
            self._ramp(ink, on)
        if approximate:
            colours = np.array(sorted(set(approximate)), dtype=np.uint8)
            coarse = _palette_colours(colours, max(1, 256 - len(self._palette)))
            for exact, rounded in zip(colours, coarse, strict=True):
                self._approximate[tuple(int(v) for v in exact)] = self._index(tuple(int(v) for v in rounded))

    def _index(self, colour: RGB) -> int:
        """The palette index of ``colour``, added while the painter is being built."""
        colour = tuple(int(v) for v in colour)
        if colour not in self._palette:
            if self._frozen or len(self._palette) >= 256:
                raise RuntimeError(f"colour {colour} is not in the frame palette")
            self._palette[colour] = len(self._palette)
        return self._palette[colour]

    def _fill(self, box: Box) -> int:
        return self._approximate[box.fill] if box.approximate else self._index(box.fill)

    def _ramp(self, ink: RGB, fill: RGB) -> tuple[bytes, bytes]:
        """Byte tables from text coverage (0…255) to a palette index and to a paste mask."""
        if (ink, fill) not in self._ramps:
            levels = [self._index(fill)] + [self._index(blend(ink, fill, a)) for a in self._shades]
            levels.append(self._index(ink))
            steps = len(levels) - 1
            lut = bytes(levels[round(v * steps / 255)] for v in range(256))
            mask = bytes(255 if round(v * steps / 255) else 0 for v in range(256))
            self._ramps[ink, fill] = (lut, mask)
        return self._ramps[ink, fill]

    # -- painting --------------------------------------------------------------------

    def paint(self, image: Image.Image, item: Item) -> Bounds:
        """Paint ``item`` on ``image`` (palette indices); return the inclusive box it touched."""
        matrix = self.planes[item.plane]
        if isinstance(item, Text):
            return self._text(image, item, matrix)
        if isinstance(item, Pixels):
            return self._pixels(image, item, matrix)
        draw = ImageDraw.Draw(image)
        if isinstance(item, Grid):
            return self._grid(draw, item, matrix)
        if isinstance(item, Box):
            return self._box(draw, item, matrix)
        if isinstance(item, Polygon):
            points = [apply(matrix, p) for p in item.points]
            draw.polygon(points, fill=self._index(item.fill))
            return _bounds(points, 0)
        points = [apply(matrix, p) for p in item.points]
        draw.line(points, fill=self._index(item.colour), width=item.width)
        return _bounds(points, item.width)

    def _box(self, draw: ImageDraw.ImageDraw, item: Box, matrix: Matrix) -> Bounds:
        x0, y0, x1, y1 = item.box
        if matrix != IDENTITY:
            outer = _quad(matrix, (x0, y0, x1 + 1, y1 + 1))
            if item.outline is not None and item.fill is None:
                draw.polygon(outer, outline=self._index(item.outline), width=item.outline_width)
            elif item.outline is not None:
                draw.polygon(outer, fill=self._index(item.outline))
                w = item.outline_width
                inner = _quad(matrix, (x0 + w, y0 + w, x1 + 1 - w, y1 + 1 - w))
                if item.fill is not None:
                    draw.polygon(inner, fill=self._fill(item))
            elif item.fill is not None:
                draw.polygon(outer, fill=self._fill(item))
            return _bounds(outer, 0)
        if item.outline is not None:
            if item.fill is None:
                draw.rectangle(item.box, outline=self._index(item.outline), width=item.outline_width)
                return item.box
            draw.rectangle(item.box, fill=self._index(item.outline))
            w = item.outline_width
            draw.rectangle((x0 + w, y0 + w, x1 - w, y1 - w), fill=self._fill(item))
        elif item.radius:
            draw.rounded_rectangle(item.box, radius=item.radius, fill=self._fill(item))
        else:
            draw.rectangle(item.box, fill=self._fill(item))
        return item.box

    def _grid(self, draw: ImageDraw.ImageDraw, grid: Grid, matrix: Matrix) -> Bounds:
        """Cell borders: dashed around the ``dashed`` cells, solid around the rest (solid wins where they meet)."""
        solid, pad = self._index(grid.colour), self._index(grid.dash_colour) if grid.dashed else None
        width = grid.width or grid.line
        for want_dashed in (True, False) if grid.dashed else (False,):
            for r in range(grid.rows):
                for c in range(grid.cols):
                    if ((r, c) in grid.dashed) != want_dashed:
                        continue
                    x0, y0, x1, y1 = grid.region(r, c, r + 1, c + 1)
                    x1, y1 = x1 - 1, y1 - 1
                    edges = (
                        (x0, y0, x1, y0 + width - 1),
                        (x0, y1 - width + 1, x1, y1),
                        (x0, y0, x0 + width - 1, y1),
                        (x1 - width + 1, y0, x1, y1),
                    )
                    for edge in edges:
                        pieces = _dashes(edge, max(4, grid.cell // 8)) if want_dashed else [edge]
                        for piece in pieces:
                            if matrix == IDENTITY:
                                draw.rectangle(piece, fill=pad if want_dashed else solid)
                            else:
                                a, b, c2, d = piece
                                quad = _quad(matrix, (a, b, c2 + 1, d + 1))
                                draw.polygon(quad, fill=pad if want_dashed else solid)
        x0, y0, x1, y1 = grid.region(0, 0, grid.rows, grid.cols)
        return _bounds(_quad(matrix, (x0, y0, x1, y1)), 0)

    def _pixels(self, image: Image.Image, item: Pixels, matrix: Matrix) -> Bounds:
        """A picture's pixels as blocks of palette indices, with no smoothing (tilted by an affine warp)."""
        lut = np.array([self._index(colour) for colour in map(tuple, item.colours.tolist())], np.uint8)
        small = Image.fromarray(lut[item.index], "L")
        x0, y0, x1, y1 = item.box
        if x1 < x0 or y1 < y0:
            return (round(x0), round(y0), round(x0), round(y0))
        if matrix == IDENTITY:
            left, top = round(x0), round(y0)
            width, height = round(x1 + 1) - left, round(y1 + 1) - top
            image.paste(small.resize((width, height), Image.Resampling.NEAREST), (left, top))
            return (left, top, left + width - 1, top + height - 1)
        bx0, by0, bx1, by1 = _bounds(_quad(matrix, (x0, y0, x1 + 1, y1 + 1)), 0)
        sx, sy = item.scale
        a, b, c, d, e, f = matrix
        det = a * e - b * d
        # the frame pixel (X, Y) of the tile shows the picture's pixel at plane⁻¹(X + bx0, Y + by0), scaled
        data = (
            e / det / sx,
            -b / det / sx,
            (e * (bx0 - c) - b * (by0 - f)) / det / sx - x0 / sx,
            -d / det / sy,
            a / det / sy,
            (-d * (bx0 - c) + a * (by0 - f)) / det / sy - y0 / sy,
        )
        size = (bx1 - bx0 + 1, by1 - by0 + 1)
        tile = small.transform(size, Image.Transform.AFFINE, data, resample=Image.Resampling.NEAREST)
        mask = Image.new("L", small.size, 255).transform(size, Image.Transform.AFFINE, data, Image.Resampling.NEAREST)
        image.paste(tile, (bx0, by0), mask)
        return (bx0, by0, bx1, by1)

    def _text(self, image: Image.Image, item: Text, matrix: Matrix) -> Bounds:
        """Anti-aliased text (upright on any plane), blending only towards the colour it sits on."""
        xy = item.xy if matrix == IDENTITY else tuple(round(v) for v in apply(matrix, item.xy))
        face = font(item.font.size, item.font.variant)
        key = (item.text, face, item.ink, item.on, item.anchor, xy)
        if key not in self._glyphs:
            x, y = int(xy[0] // 1), int(xy[1] // 1)
            coverage, size, (dx, dy) = _coverage(item.text, face, item.anchor, xy[0] - x, xy[1] - y)
            lut, mask = self._ramp(item.ink, item.on)
            glyphs = (
                Image.frombytes("L", size, coverage.translate(lut)),
                Image.frombytes("L", size, coverage.translate(mask)),
                (x + dx, y + dy),
            )
            self._glyph_bytes += 2 * size[0] * size[1]
            if self._glyph_bytes > GLYPH_BYTES:  # a long animation's sums, each drawn once: keep memory flat
                self._glyphs.clear()
                self._glyph_bytes = 2 * size[0] * size[1]
            self._glyphs[key] = glyphs
        indices, mask, corner = self._glyphs[key]
        image.paste(indices, corner, mask)
        return (corner[0], corner[1], corner[0] + indices.width - 1, corner[1] + indices.height - 1)


_MEASURE = ImageDraw.Draw(Image.new("L", (1, 1)))  # text extents only; draws nothing


@lru_cache(maxsize=256)  # shared by renderers; each entry up to a line of text's pixels
def _coverage(text: str, fnt, anchor: str, fx: float, fy: float) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
    """Anti-aliased coverage of ``text`` drawn at sub-pixel offset ``(fx, fy)``: bytes, size, top-left offset."""
    x0, y0, x1, y1 = (int(v // 1) for v in _MEASURE.textbbox((fx, fy), text, font=fnt, anchor=anchor))
    size = (max(1, x1 - x0 + 1), max(1, y1 - y0 + 1))
    coverage = Image.new("L", size)
    ImageDraw.Draw(coverage).text((fx - x0, fy - y0), text, font=fnt, fill=255, anchor=anchor)
    return coverage.tobytes(), size, (x0, y0)


def _quad(matrix: Matrix, box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """The corners of a box (right/bottom exclusive) placed by ``matrix``, clockwise."""
    x0, y0, x1, y1 = box
    return [apply(matrix, p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def _bounds(points, width: int) -> Bounds:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = width // 2 + 1
    return (int(min(xs)) - pad, int(min(ys)) - pad, int(max(xs)) + pad, int(max(ys)) + pad)


def _dashes(box: Bounds, dash: int) -> list[Bounds]:
    """A thin axis-aligned box cut into dashes along its long side."""
    x0, y0, x1, y1 = box
    horizontal = x1 - x0 >= y1 - y0
    start, end = (x0, x1) if horizontal else (y0, y1)
    pieces = []
    for a in range(start, end + 1, 2 * dash):
        b = min(a + dash - 1, end)
        pieces.append((a, y0, b, y1) if horizontal else (x0, a, x1, b))
    return pieces


def _crops(image: Image.Image, bounds: list[Bounds]) -> list[tuple[Image.Image, tuple[int, int]]]:
    """The parts of ``image`` under ``bounds`` (clipped to the image), one crop per box not inside another."""
    kept: list[Bounds] = []
    for b in sorted(bounds, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        if not any(k[0] <= b[0] and k[1] <= b[1] and b[2] <= k[2] and b[3] <= k[3] for k in kept):
            kept.append(b)
    crops = []
    for x0, y0, x1, y1 in kept:
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(image.width - 1, x1), min(image.height - 1, y1)
        if x0 <= x1 and y0 <= y1:
            crops.append((image.crop((x0, y0, x1 + 1, y1 + 1)), (x0, y0)))
    return crops


def _palette_colours(colours: np.ndarray, budget: int) -> np.ndarray:
    """``colours`` rounded just enough (coarser levels per channel) to need at most ``budget`` palette entries.

    >>> _palette_colours(np.array([[0, 0, 0], [1, 1, 1], [255, 255, 255]], np.uint8), 2).tolist()
    [[0, 0, 0], [0, 0, 0], [254, 254, 254]]
    """
    step = 1
    while step < 256 and len(np.unique((coarse := colours // step * step).reshape(-1, 3), axis=0)) > budget:
        step *= 2
    return coarse
