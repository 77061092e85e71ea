"""Drawing: themes and fonts (:mod:`.style`), the raster and vector painters, frames and exporters.

Every picture of a step — GIF, MP4, HTML player, contact sheet, SVG, PDF,
Jupyter stepper, classroom window — is a scene (:mod:`visualizer.scenes`)
painted here, so a visual fix lands everywhere. The frame renderer loads on
first use, so that scenes can read the themes without it.
"""

from importlib import import_module
from typing import Any

from .style import THEMES, Theme, font, get_theme

__all__ = ["FrameRenderer", "render_frame", "save_frame", "THEMES", "Theme", "font", "get_theme"]


def __getattr__(name: str) -> Any:
    if name in ("FrameRenderer", "render_frame", "save_frame"):
        return getattr(import_module(".frame", __name__), name)
    raise AttributeError(f"module 'visualizer.render' has no attribute {name!r}")
