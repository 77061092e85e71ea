"""The vector painter: scenes to SVG and PDF, with text kept as text (selectable and searchable).

One walk over a scene's items (:func:`paint`) drives a small canvas; an SVG
canvas writes elements, a PDF canvas (fpdf2, with DejaVu Sans embedded so
``−``, ``×`` and ``⌊⌋`` print) draws one page per scene. Coordinates are the
raster frame's pixels, so a cell sits at the same place in the PNG, the SVG
and the PDF (PDF points equal pixels). Text on a tilted plane stays upright at
its placed anchor, as in the raster painter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Protocol

from ..scenes.items import IDENTITY, Box, Grid, Line, Matrix, Pixels, Polygon, Scene, Text, apply
from .style import FONT_VARIANTS, RGB, font

Point = tuple[float, float]
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)


class Canvas(Protocol):
    def polygon(self, points: Sequence[Point], fill: RGB) -> None: ...
    def rounded(self, box: tuple[float, float, float, float], radius: float, fill: RGB) -> None: ...
    def line(self, points: Sequence[Point], colour: RGB, width: float) -> None: ...
    def text(self, x: float, baseline: float, text: str, size: int, variant: str, colour: RGB, align: str) -> None: ...
    def picture(self, pixels: Pixels, matrix: Matrix) -> None: ...


def paint(scene: Scene, canvas: Canvas) -> None:
    """Draw every item of ``scene`` (still, revealed, moving, in that order) on ``canvas``."""
    w, h = scene.size
    canvas.polygon(((0, 0), (w, 0), (w, h), (0, h)), scene.background)
    for item in scene.items():
        matrix = scene.planes[item.plane]
        if isinstance(item, Text):
            _text(canvas, item, matrix)
        elif isinstance(item, Grid):
            _grid(canvas, item, matrix)
        elif isinstance(item, Box):
            _box(canvas, item, matrix)
        elif isinstance(item, Polygon):
            canvas.polygon([apply(matrix, p) for p in item.points], item.fill)
        elif isinstance(item, Line):
            canvas.line([apply(matrix, p) for p in item.points], item.colour, item.width)
        elif isinstance(item, Pixels):
            canvas.picture(item, matrix)


def _quad(matrix: Matrix, x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [apply(matrix, p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def _box(canvas: Canvas, item: Box, matrix: Matrix) -> None:
    # raster boxes are inclusive pixels: the vector box runs to the far edge of the last one
    x0, y0, x1, y1 = item.box
    x1, y1 = x1 + 1, y1 + 1
    if item.radius and matrix == IDENTITY:
        canvas.rounded((x0, y0, x1, y1), item.radius, item.fill)
        return
    w = item.outline_width
    if item.outline is not None:
        if item.fill is None:  # a ring: four strips
            for strip in ((x0, y0, x1, y0 + w), (x0, y1 - w, x1, y1), (x0, y0, x0 + w, y1), (x1 - w, y0, x1, y1)):
                canvas.polygon(_quad(matrix, *strip), item.outline)
            return
        canvas.polygon(_quad(matrix, x0, y0, x1, y1), item.outline)
        x0, y0, x1, y1 = x0 + w, y0 + w, x1 - w, y1 - w
    if item.fill is not None:
        canvas.polygon(_quad(matrix, x0, y0, x1, y1), item.fill)


def _grid(canvas: Canvas, grid: Grid, matrix: Matrix) -> None:
    """Solid lines around ordinary cells, dashes around the grid's dashed ones (solid drawn last, on top)."""
    width = grid.width or grid.line
    dash = max(4, grid.cell // 8)
    for want_dashed in (True, False) if grid.dashed else (False,):
        colour = grid.dash_colour if want_dashed else grid.colour
        for r in range(grid.rows):
            for c in range(grid.cols):
                if ((r, c) in grid.dashed) != want_dashed:
                    continue
                x0, y0, x1, y1 = grid.region(r, c, r + 1, c + 1)
                edges = ((x0, y0, x1, y0 + width), (x0, y1 - width, x1, y1), (x0, y0, x0 + width, y1))
                edges += ((x1 - width, y0, x1, y1),)
                for edge in edges:
                    for piece in _dashes(edge, dash) if want_dashed else (edge,):
                        canvas.polygon(_quad(matrix, *piece), colour)


def _dashes(box: tuple[float, float, float, float], dash: int) -> list[tuple[float, float, float, float]]:
    x0, y0, x1, y1 = box
    horizontal = x1 - x0 >= y1 - y0
    start, end = (x0, x1) if horizontal else (y0, y1)
    pieces, a = [], start
    while a < end:
        b = min(a + dash, end)
        pieces.append((a, y0, b, y1) if horizontal else (x0, a, x1, b))
        a += 2 * dash
    return pieces


def _text(canvas: Canvas, item: Text, matrix: Matrix) -> None:
    x, y = item.xy if matrix == IDENTITY else apply(matrix, item.xy)
    ascent, descent = font(item.font.size, item.font.variant).getmetrics()
    # Pillow's anchors: a(scender), m(iddle), d(escender), s (baseline); l, m, r horizontally
    vertical = item.anchor[1]
    baseline = {"a": y + ascent, "m": y + (ascent - descent) / 2, "d": y - descent}.get(vertical, y)
    align = {"l": "start", "m": "middle", "r": "end"}[item.anchor[0]]
    canvas.text(x, baseline, item.text, item.font.size, item.font.variant, item.ink, align)


# -- SVG ---------------------------------------------------------------------------


def _png(pixels: Pixels) -> bytes:
    """The picture at one pixel per pixel, as PNG bytes (viewers scale it up without smoothing)."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.fromarray(pixels.rgb(), "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _hex(colour: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


class SvgCanvas:
    """Collects SVG elements; :meth:`document` wraps them in one ``<svg>``."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def polygon(self, points: Sequence[Point], fill: RGB) -> None:
        self.parts.append(f'<polygon points="{_points(points)}" fill="{_hex(fill)}"/>')

    def rounded(self, box: tuple[float, float, float, float], radius: float, fill: RGB) -> None:
        x0, y0, x1, y1 = box
        self.parts.append(
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{radius}" fill="{_hex(fill)}"/>'
        )

    def line(self, points: Sequence[Point], colour: RGB, width: float) -> None:
        self.parts.append(
            f'<polyline points="{_points(points)}" fill="none" stroke="{_hex(colour)}" stroke-width="{width}"/>'
        )

    def text(self, x: float, baseline: float, text: str, size: int, variant: str, colour: RGB, align: str) -> None:
        style = {"bold": ' font-weight="bold"', "oblique": ' font-style="oblique"'}.get(variant, "")
        self.parts.append(
            f'<text x="{x:.2f}" y="{baseline:.2f}" font-size="{size}"{style} text-anchor="{align}" '
            f'fill="{_hex(colour)}">{escape(text)}</text>'
        )

    def picture(self, pixels: Pixels, matrix: Matrix) -> None:
        import base64

        x0, y0, x1, y1 = pixels.box
        a, b, c, d, e, f = matrix
        data = base64.b64encode(_png(pixels)).decode("ascii")
        self.parts.append(
            f'<image x="{x0}" y="{y0}" width="{x1 + 1 - x0}" height="{y1 + 1 - y0}" preserveAspectRatio="none" '
            f'transform="matrix({a} {d} {b} {e} {c} {f})" style="image-rendering:pixelated" '
            f'href="data:image/png;base64,{data}"/>'
        )

    def document(self, size: tuple[int, int], title: str) -> str:
        w, h = size
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            'font-family="DejaVu Sans, Verdana, sans-serif" xml:space="preserve" style="white-space:pre">'
        )
        return "\n".join([head, f"<title>{escape(title)}</title>", *self.parts, "</svg>", ""])


def svg_text(scene: Scene, title: str = "") -> str:
    """The SVG document of one scene.

    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> from visualizer.scenes import scene_builder
    >>> svg = svg_text(scene_builder(Convolution(np.eye(3), np.ones((2, 2)))).scene(0))
    >>> svg.startswith("<svg"), "out[0, 0] = 1×1 + 1×0 + 1×0 + 1×1 = 2" in svg
    (True, True)
    """
    canvas = SvgCanvas()
    paint(scene, canvas)
    return canvas.document(scene.size, title or f"step {scene.index + 1}")


def write_svg(path: Path, scenes: Sequence[Scene]) -> None:
    """Write the first of ``scenes`` as an SVG file (SVG has one page)."""
    Path(path).write_text(svg_text(scenes[0]), encoding="utf-8")


# -- PDF ---------------------------------------------------------------------------


class PdfCanvas:
    """Draws on the current page of an fpdf2 document whose unit is the pixel (1 px = 1 pt)."""

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self._face: tuple | None = None

    def polygon(self, points: Sequence[Point], fill: RGB) -> None:
        self.pdf.set_fill_color(*fill)
        self.pdf.polygon(list(points), style="F")

    def rounded(self, box: tuple[float, float, float, float], radius: float, fill: RGB) -> None:
        x0, y0, x1, y1 = box
        self.pdf.set_fill_color(*fill)
        self.pdf.rect(x0, y0, x1 - x0, y1 - y0, style="F", round_corners=True, corner_radius=radius)

    def line(self, points: Sequence[Point], colour: RGB, width: float) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.set_line_width(width)
        self.pdf.polyline(list(points))

    def text(self, x: float, baseline: float, text: str, size: int, variant: str, colour: RGB, align: str) -> None:
        style = {"bold": "B", "oblique": "I"}.get(variant, "")
        if self._face != (style, size):
            self.pdf.set_font("dejavu", style, size)  # a page measured in points, one per pixel
            self._face = (style, size)
        self.pdf.set_text_color(*colour)
        width = self.pdf.get_string_width(text)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[align]
        self.pdf.text(left, baseline, text)

    def picture(self, pixels: Pixels, matrix: Matrix) -> None:
        from io import BytesIO

        from fpdf.drawing_primitives import Transform

        x0, y0, x1, y1 = pixels.box
        a, b, c, d, e, f = matrix
        with self.pdf.transform(Transform(a, d, b, e, c, f)):
            self.pdf.image(BytesIO(_png(pixels)), x0, y0, x1 + 1 - x0, y1 + 1 - y0)


def write_pdf(path: Path, scenes: Iterable[Scene], title: str = "") -> None:
    """Write ``scenes`` as a PDF, one page per scene (a handout when they are an animation's steps).

    ``scenes`` may be a generator: each scene is drawn on its page and let go before the next is asked for.
    """
    from fpdf import FPDF  # only PDF needs it

    from ..resources import matplotlib_data

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(_FIXED_DATE)  # the same scenes give the same bytes
    pdf.set_title(title or "convolution, step by step")
    folder = matplotlib_data("fonts", "ttf")
    if folder is None:
        raise FileNotFoundError("PDF export needs the DejaVu Sans fonts that come with matplotlib")
    # embedding a face costs a third of a second: only those the scenes use, each before its first page
    added: set[str] = set()
    for scene in scenes:
        used = {item.font.variant for item in scene.items() if isinstance(item, Text)} - added
        for variant, style in (("regular", ""), ("bold", "B"), ("oblique", "I")):
            if variant in used:
                pdf.add_font("dejavu", style, str(folder / FONT_VARIANTS[variant]))
        added |= used
        pdf.add_page(format=scene.size)
        paint(scene, PdfCanvas(pdf))
    pdf.output(str(path))
