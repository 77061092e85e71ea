"""Fonts, colours and themes shared by every Pillow drawing in the project.

The default theme is conv_arithmetic's palette (input cells blue, output cells
cyan, the kernel footprint shaded with #073642 at 40 %, thick #002B36 grid
lines on white); the others are a colour-blind-safe one (Okabe–Ito colours),
a dark one and a large-type one for a classroom projector.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from PIL import ImageFont

from ..names import did_you_mean
from ..resources import matplotlib_data

RGB = tuple[int, int, int]

FONT_VARIANTS = {"regular": "DejaVuSans.ttf", "oblique": "DejaVuSans-Oblique.ttf", "bold": "DejaVuSans-Bold.ttf"}


@lru_cache(maxsize=64)
def font(size: int, variant: str = "regular") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at ``size`` pixels, from matplotlib's data; Pillow's own font if that is missing.

    ``variant`` is "regular", "oblique" (used for padding values) or "bold".

    Examples
    --------
    >>> font(14).size
    14
    """
    if variant not in FONT_VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(FONT_VARIANTS)}; got {variant!r}")
    folder = matplotlib_data("fonts", "ttf")
    if folder is not None and (folder / FONT_VARIANTS[variant]).is_file():
        return ImageFont.truetype(str(folder / FONT_VARIANTS[variant]), size)
    return ImageFont.load_default(size)


def rgb(colour: str) -> RGB:
    """``"#268BD2"`` as ``(38, 139, 210)``.

    >>> rgb("#268BD2")
    (38, 139, 210)
    """
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour must look like #RRGGBB, got {colour!r}")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def blend(top: RGB, bottom: RGB, alpha: float) -> RGB:
    """``top`` laid over ``bottom`` with opacity ``alpha``.

    >>> blend((7, 54, 66), (255, 255, 255), 0.4)
    (156, 175, 179)
    """
    return tuple(round(alpha * t + (1 - alpha) * b) for t, b in zip(top, bottom, strict=True))  # type: ignore[return-value]


def luminance(colour: RGB) -> float:
    """Relative luminance (WCAG), 0 for black to 1 for white.

    >>> round(luminance((255, 255, 255)), 3), luminance((0, 0, 0))
    (1.0, 0.0)
    """

    def channel(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio between two colours, 1 … 21.

    >>> round(contrast((255, 255, 255), (0, 0, 0)))
    21
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class Theme:
    """Colours and sizes of a frame.

    Colours are ``#RRGGBB`` strings; sizes are pixels; ``channels`` marks the
    red, green, blue and alpha panels of a colour image. Text colour on a cell is
    chosen per fill between ``ink`` and ``paper_ink`` by contrast, so every theme
    keeps values readable on every fill.
    """

    name: str
    background: str = "#FFFFFF"
    input: str = "#268BD2"
    output: str = "#2AA198"
    shade: str = "#073642"
    shade_alpha: float = 0.4
    grid: str = "#002B36"
    padding_grid: str = "#586E75"
    empty_grid: str = "#93A1A1"
    ink: str = "#002B36"
    paper_ink: str = "#FFFFFF"
    muted: str = "#93A1A1"
    chip: str = "#002B36"
    chip_ink: str = "#FDF6E3"
    accent: str = "#CB4B16"  # rings a chosen cell: the max that won, the patch a value is added into
    channels: tuple[str, ...] = ("#DC322F", "#859900", "#268BD2", "#93A1A1")
    cell: int = 44
    value_size: int = 15
    weight_size: int = 11
    text_size: int = 15
    title_size: int = 14
    line_width: int = 2
    margin: int = 16
    gap: int = 40
    # the smallest a window may show the values' type, in screen pixels (the classroom's reads at 10 m)
    min_text: int = 11


THEMES: Mapping[str, Theme] = MappingProxyType(
    {
        "default": Theme("default"),
        # Okabe & Ito's colour-blind-safe set: blue input, orange output, black shading
        "colorblind": Theme(
            "colorblind",
            input="#0072B2",
            output="#E69F00",
            shade="#000000",
            grid="#000000",
            padding_grid="#555555",
            empty_grid="#999999",
            ink="#000000",
            muted="#999999",
            chip="#000000",
            chip_ink="#F0E442",
            accent="#D55E00",
            channels=("#D55E00", "#009E73", "#56B4E9", "#999999"),
        ),
        "dark": Theme(
            "dark",
            background="#002B36",
            input="#268BD2",
            output="#2AA198",
            shade="#FDF6E3",
            shade_alpha=0.35,
            grid="#93A1A1",
            padding_grid="#839496",
            empty_grid="#586E75",
            ink="#002B36",
            paper_ink="#FDF6E3",
            muted="#657B83",
            chip="#FDF6E3",
            chip_ink="#002B36",
            accent="#CB4B16",
            channels=("#DC322F", "#859900", "#6C71C4", "#93A1A1"),
        ),
        # large type and thick lines, for a projector at the back of a room
        "classroom": Theme(
            "classroom",
            cell=64,
            value_size=24,
            weight_size=18,
            text_size=22,
            title_size=20,
            line_width=4,
            margin=24,
            gap=56,
            min_text=18,
        ),
    }
)
"""The named themes: "default" (conv_arithmetic), "colorblind", "dark", "classroom"."""


def get_theme(theme: str | Theme) -> Theme:
    """The :class:`Theme` called ``theme`` (a Theme passes through unchanged).

    Examples
    --------
    >>> get_theme("classroom").cell
    64
    >>> get_theme("neon")
    Traceback (most recent call last):
    ...
    ValueError: theme must be one of default, colorblind, dark, classroom; got 'neon'
    """
    if isinstance(theme, Theme):
        return theme
    if not isinstance(theme, str) or theme not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}; got {theme!r}{did_you_mean(theme, THEMES)}")
    return THEMES[theme]
