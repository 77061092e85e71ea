"""An operation shown inline in a notebook: the player, one frame as PNG, and a line of text.

The operation's ``_repr_mimebundle_`` calls :func:`mimebundle`. Each front end
takes the richest part it can show: JupyterLab, Notebook 7 and a page made by
``jupyter nbconvert --to html`` take the player (its style, pictures and module
all inline: it loads nothing, so it plays offline); a viewer that removes
scripts still shows the first frame, which the player's box holds until the
player replaces it; a terminal prints the description.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from .cellmap import cell_map
from .frame import FrameRenderer
from .html import player_fragment

# Above this many steps the page would carry too many pictures for a notebook: the first frame only
MAX_STEPS = 400


def mimebundle(op: Any, *, fps: float = 2) -> tuple[dict[str, str], dict[str, dict]]:
    """The MIME bundle and its metadata for ``op``: text/html (the player), image/png and text/plain.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> data, metadata = mimebundle(Convolution(np.eye(4), np.ones((3, 3))))
    >>> sorted(data), metadata["image/png"]["alt"].startswith("Convolution, step 1 of 4")
    (['image/png', 'text/html', 'text/plain'], True)
    """
    description = op.describe()
    if getattr(op, "signal", False):  # a 1-D signal has no scene to draw yet
        return {"text/plain": description}, {}
    renderer = FrameRenderer(op)
    count = len(renderer)
    alt = f"{type(op).__name__}, step 1 of {count}: {description}"
    first = _png(renderer.frame(0))
    data = {"image/png": base64.b64encode(first).decode("ascii"), "text/plain": description}
    if count <= MAX_STEPS:
        builder = renderer.builder
        frames = [renderer.frame(index) for index in range(count)]
        captions = [builder.caption(index) for index in range(count)]
        data["text/html"] = player_fragment(
            frames, fps=fps, captions=captions, cells=cell_map(renderer), alt=alt, still=True
        )
    return data, {"image/png": {"alt": alt}}


def _png(frame) -> bytes:
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
