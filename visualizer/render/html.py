"""A self-contained HTML player: the animation as offline slides for a projector, or inline output.

The page carries the first frame and each step's changed rectangles inside
itself as PNG data URIs, the player (``player/player.js`` and ``player.css``)
and its own controls and keys, so it needs no network, no CDN and no icon font.
Given a cell map (:mod:`.cellmap`), pointing at a cell outlines what it reads
or feeds, and a click on an output cell jumps to its step.

======================  =====================================
space                   play / pause
→ / ←                   one step forward / back
Home / End              first / last step
+ / −                   faster / slower
f                       full screen (the browser's Fullscreen API)
h                       this list of keys, over the frame
======================  =====================================
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import uuid
from collections.abc import Sequence
from functools import cache
from importlib import resources

from PIL import Image

from .patches import encode_patches

# Frames per second that + and − step through, from whatever speed the page starts at (the presenter's
# too); the player, painting only what changes on a canvas, goes on to 30.
SPEEDS = (0.25, 0.5, 1, 2, 3, 4, 6, 8, 12, 24)
PLAYER_SPEEDS = (*SPEEDS, 30)

KEYS = (
    ("space", "play / pause"),
    ("→  ←", "one step forward / back"),
    ("Home  End", "first / last step"),
    ("+  −", "faster / slower"),
    ("f", "full screen"),
    ("h", "show / hide these keys"),
)
# the player's own keys: the slides' (which the presenter shares) and a row of outputs at a time
PLAYER_KEYS = (*KEYS[:3], ("PgUp  PgDn", "one output row back / forward"), *KEYS[3:])

# "http" must not appear anywhere in the page, not even by chance inside base64 data or a
# caption: the match's last letter is written as an escape that the browser reads back.
_URL_SCHEME = re.compile(r"(htt)([pP])", re.IGNORECASE)


def html_player(
    frames: Sequence[Image.Image],
    *,
    fps: float = 2,
    title: str = "convolution",
    captions: Sequence[str] | None = None,
    cells: dict | None = None,
) -> str:
    """One HTML page that plays ``frames`` with its own controls, offline.

    Parameters
    ----------
    frames : sequence of PIL images
        One image per step, all the same size (mode "P" frames stay paletted: smaller files).
    fps : float
        Starting speed in frames per second (> 0); + and − change it in the page.
    title : str
        Page title and heading.
    captions : sequence of str, optional
        One line per frame shown under it (the step's arithmetic); empty when omitted.
    cells : dict, optional
        The frames' cell map (:func:`visualizer.render.cellmap.cell_map`): pointing at cells then works.

    Returns
    -------
    str
        The page; it holds no ``http`` at all and loads nothing from outside itself.

    Examples
    --------
    >>> from PIL import Image
    >>> page = html_player([Image.new("RGB", (4, 4), c) for c in "red blue".split()], fps=2,
    ...                    title="a <b>", captions=["1 + 1 = 2", "2 × 2 = 4"])
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.lower(), "a &lt;b&gt;" in page
    (True, False, True)
    """
    fields = {
        "TITLE": _text(title),
        "PLAYER": player_fragment(
            frames, fps=fps, captions=captions, cells=cells, alt=title, page=True, heading=title, still=True
        ),
    }
    # one pass, so text put in (a title, a caption) is never read again as a placeholder
    return re.sub(r"__([A-Z]+)__", lambda m: fields[m[1]], _PAGE)


def player_fragment(
    frames: Sequence[Image.Image],
    *,
    fps: float = 2,
    captions: Sequence[str] | None = None,
    cells: dict | None = None,
    alt: str = "",
    page: bool = False,
    heading: str | None = None,
    still: bool = False,
) -> str:
    """The player as an HTML fragment (its style, data and module inline), for a page or a notebook's output.

    Arguments as :func:`html_player`; ``alt`` describes the picture to a screen reader, ``page``
    makes the player take the whole window and its keys (else it answers keys while it has the focus);
    ``still`` puts the first frame in the player's box as an ``<img>``, shown where scripts do not run.

    >>> from PIL import Image
    >>> fragment = player_fragment([Image.new("P", (4, 4))], alt="a picture")
    >>> fragment.startswith("<style>"), 'type="module"' in fragment, "http" in fragment
    (True, True, False)
    """
    sheets, data = player_payload(frames, fps=fps, captions=captions, cells=cells, alt=alt)
    data = {"sheets": [_data_uri(sheet) for sheet in sheets], **data}
    ident = "player" if page else f"cv-player-{uuid.uuid4().hex[:12]}"
    title = f"<h1>{_text(heading)}</h1>" if heading is not None else ""
    if still:  # named as the player names each step to a screen reader
        title += f'<img class="cv-still" alt="step 1 of {len(frames)}" src="{_text(_data_uri(frames[0]))}">'
    return (
        f"<style>{_asset('player.css')}</style>\n"
        f'<div id="{ident}" aria-label="{_text(alt)}" role="group">{title}</div>\n'
        f'<script id="{ident}-data" type="application/json">{_json(data)}</script>\n'
        f'<script type="module">\n{_asset("player.js")}\n'
        f'mount(document.getElementById("{ident}"), JSON.parse(document.getElementById("{ident}-data").textContent),'
        f" {{page: {'true' if page else 'false'}}});\n</script>"
    )


def player_payload(
    frames: Sequence[Image.Image],
    *,
    fps: float = 2,
    captions: Sequence[str] | None = None,
    cells: dict | None = None,
    alt: str = "",
    row: int | None = None,
) -> tuple[list[Image.Image], dict]:
    """What the player is given: the sprite sheets, and everything else as JSON-ready data.

    The data holds each step's patches (``[sheet, sx, sy, w, h, dx, dy]``), the size, captions,
    speeds, keys, starting speed, cell map and ``alt``; the caller adds ``sheets`` as it sends
    them (data URIs in a page, bytes to the widget). ``row``: the steps in one output row, for
    PageUp and PageDown (without it, they stay a focused slider's own keys).

    >>> from PIL import Image
    >>> sheets, data = player_payload([Image.new("P", (4, 2)), Image.new("P", (4, 2), 1)], row=2)
    >>> len(sheets), data["patches"], data["width"], data["row"]
    (1, [[[0, 0, 2, 4, 2, 0, 0]], [[0, 0, 0, 4, 2, 0, 0]]], 4, 2)
    """
    if len(frames) == 0:
        raise ValueError("frames must hold at least one image")
    if not fps > 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}")
    captions = [""] * len(frames) if captions is None else [str(c) for c in captions]
    if len(captions) != len(frames):
        raise ValueError(f"captions must give one line per frame: {len(frames)} frames, {len(captions)} captions")
    sizes = {frame.size for frame in frames}
    if len(sizes) != 1:
        raise ValueError(f"frames must all have one size, got {sorted(sizes)}")
    (width, height) = sizes.pop()
    sheets, patches = encode_patches(frames)
    data = {
        "patches": [[[p.sheet, p.sx, p.sy, p.w, p.h, p.dx, p.dy] for p in step] for step in patches],
        "width": width,
        "height": height,
        "captions": captions,
        "speeds": PLAYER_SPEEDS,
        "keys": PLAYER_KEYS if row else KEYS,
        "fps": float(fps),
        "cells": cells,
        "alt": alt,
        "row": row,
    }
    return sheets, data


@cache
def _asset(name: str) -> str:
    text = resources.files(__package__).joinpath("player", name).read_text(encoding="utf-8")
    if "http" in text.lower() or "</script" in text.lower():
        raise ValueError(f"{name} must not hold a web address or close its <script>")
    return text


def _data_uri(frame: Image.Image) -> str:
    buffer = io.BytesIO()
    # zlib's default level: within 10 % of the smallest file, ten times faster than optimize=True
    frame.save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _text(text: str) -> str:
    """Text for HTML element content and attributes."""
    return _URL_SCHEME.sub(lambda m: m[1] + f"&#{ord(m[2])};", html.escape(text))


def _json(value: object) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no "http"."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _URL_SCHEME.sub(lambda m: m[1] + f"\\u{ord(m[2]):04x}", text)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>html, body { margin: 0; background: #fff; }</style>
</head>
<body>
__PLAYER__
</body>
</html>
"""
