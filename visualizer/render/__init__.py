"""Drawing: themes and fonts (:mod:`.style`) and the one frame renderer (:mod:`.frame`).

Every picture of a step — GIF, MP4, HTML player, contact sheet, Jupyter
stepper, classroom window — comes from :class:`FrameRenderer`, so a visual fix
lands everywhere.
"""

from .frame import FrameRenderer, render_frame
from .style import THEMES, Theme, font, get_theme

__all__ = ["FrameRenderer", "render_frame", "THEMES", "Theme", "font", "get_theme"]
