"""An operation shown inline in a notebook: the player, one frame as PNG, and a line of text.

The operation's ``_repr_mimebundle_`` calls :func:`mimebundle`. Each front end
takes the richest part it can show: JupyterLab, Notebook 7 and a page made by
``jupyter nbconvert --to html`` take the player (its style, pictures and module
all inline: it loads nothing, so it plays offline); a viewer that removes
scripts still shows the first frame, which the player's box holds until the
player replaces it; a terminal prints the description.

Output has no kernel to tell how wide the cell is, so the frames fit a notebook's usual
output column (:func:`~visualizer.scenes.fit.notebook_size`) rather than a full-HD screen:
a 1920-pixel frame would be shown at half size in a cell, its numbers too small to read.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from ..scenes.fit import notebook_size
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
    renderer = FrameRenderer(op, max_size=notebook_size())
    alt = _alt(renderer)
    data = {"image/png": base64.b64encode(_png(renderer.frame(0))).decode("ascii"), "text/plain": op.describe()}
    if len(renderer) <= MAX_STEPS:
        data["text/html"] = player_html(renderer, fps=fps)
    return data, {"image/png": {"alt": alt}}


def player_html(renderer: FrameRenderer, *, fps: float = 2) -> str:
    """The offline player of every frame of ``renderer`` as an HTML fragment (style, pictures and module inline).

    Any page can hold it (a notebook's output, a documentation page): it loads nothing.

    >>> import numpy as np
    >>> from visualizer import Pooling
    >>> player_html(FrameRenderer(Pooling(np.eye(4), size=2), layout="oblique")).count('type="module"')
    1
    """
    count = len(renderer)
    frames = [renderer.frame(index) for index in range(count)]
    captions = [renderer.builder.caption(index) for index in range(count)]
    cells = cell_map(renderer)
    return player_fragment(frames, fps=fps, captions=captions, cells=cells, alt=_alt(renderer), still=True)


def _alt(renderer: FrameRenderer) -> str:
    return f"{type(renderer.op).__name__}, step 1 of {len(renderer)}: {renderer.op.describe()}"


def _png(frame) -> bytes:
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
