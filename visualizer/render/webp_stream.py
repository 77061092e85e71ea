"""Lossless animated WebP written as frames arrive: each is encoded and let go before the next is drawn.

Pillow's ``save_all`` for WebP first makes a list of every frame; this feeds
libwebp's animation encoder (through Pillow's own binding) one frame at a time
with the options ``save_animation`` uses, so only the encoded frames stay in
memory. For the same frames it writes the same bytes as ``save_all`` (the
tests compare them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

from PIL import Image, WebPImagePlugin

# libwebp's keyframe spacing for lossless frames, as Pillow (and gif2webp) choose it
_KMIN, _KMAX = 9, 17


def write_webp(path: Path, frames: Iterator[Image.Image], durations: Sequence[int], *, method: int = 1) -> None:
    """Write ``frames`` as a looping lossless WebP at ``path``, one delay in whole milliseconds per frame.

    Examples
    --------
    >>> import tempfile
    >>> frames = (Image.new("RGB", (8, 8), colour) for colour in ("red", "blue", "red"))
    >>> with tempfile.TemporaryDirectory() as root:
    ...     write_webp(Path(root) / "a.webp", frames, [100, 100, 300])
    ...     with Image.open(Path(root) / "a.webp") as webp:
    ...         webp.n_frames
    3
    """
    first = next(frames)
    second = next(frames, None)
    if second is None:  # one frame: Pillow writes a still WebP
        first.save(path, format="WEBP", lossless=True, method=method, duration=durations[0], loop=0)
        return
    webp = WebPImagePlugin._webp
    encoder = webp.WebPAnimEncoder(first.size, 0, 0, False, _KMIN, _KMAX, False, False)
    timestamp = 0
    for count, frame in enumerate(itertools.chain([first, second], frames)):
        encoder.add(WebPImagePlugin._convert_frame(frame).getim(), round(timestamp), True, 80, 100, method)
        timestamp += durations[count]
    encoder.add(None, round(timestamp), True, 80, 100, 0)  # flushes the last frame
    data = encoder.assemble("", "", "")
    if data is None:
        raise OSError("cannot write file as WebP (encoder returned None)")
    Path(path).write_bytes(data)
