"""GIF frames written as they arrive, so memory does not grow with the number of frames.

Pillow's ``save_all`` keeps every frame until the last has come (it merges an
identical frame into the previous one's delay, then writes them all). This is
the same walk over the frames, written with Pillow's own GIF helpers, holding
only the frame before: a frame is written as soon as the next one differs from
it. For the same frames it writes the same bytes as ``save_all`` (the tests
compare them), with the options ``save_animation`` uses (``optimize=True``,
one delay per frame, no disposal, no transparency of the frames' own).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from PIL import GifImagePlugin, Image, ImageChops


def write_gif(path: Path, frames: Iterator[Image.Image], durations: Sequence[float], *, loop: int = 0) -> None:
    """Write ``frames`` (mode "P") as a looping GIF at ``path``, one delay in milliseconds per frame.

    Examples
    --------
    >>> import tempfile
    >>> frames = [Image.new("P", (8, 8), c) for c in (0, 1, 1, 2)]
    >>> for frame in frames:
    ...     frame.putpalette([255, 255, 255, 0, 43, 54, 38, 139, 210])
    >>> with tempfile.TemporaryDirectory() as root:
    ...     write_gif(Path(root) / "a.gif", iter(frames), [100, 100, 100, 300])
    ...     with Image.open(Path(root) / "a.gif") as gif:
    ...         gif.n_frames
    3
    """
    gif = GifImagePlugin  # looked up at each call, so a test can stand in for one of its helpers
    first = next(frames)
    # Pillow's options for the whole file; its frame writer sets and deletes each image's own encoderinfo
    options = {"duration": list(durations), "loop": loop, "optimize": True}
    pending: _Frame | None = None  # the last frame that differed from the one before it
    previous = None
    written = 0
    with open(path, "wb") as fp:
        for count, frame in enumerate(itertools.chain([first], frames)):
            frame = gif._normalize_mode(frame)
            if count == 0:
                for key, value in frame.info.items():
                    if key != "transparency" and isinstance(key, str):
                        options.setdefault(key, value)
            info = options.copy()
            frame = gif._normalize_palette(frame, None, info)
            info["duration"] = durations[count]
            bbox, diff = None, None
            if pending is not None:
                delta, bbox = gif._getbbox(previous, frame)
                if not bbox:  # the same picture again: the one before stays on screen longer
                    if info["duration"]:
                        pending.encoderinfo["duration"] = pending.encoderinfo.get("duration", 0) + info["duration"]
                    continue
                diff = _unchanged_transparent(frame, delta, info)
                _write(fp, pending)
                written += 1
            previous = frame
            pending = _Frame(diff or frame, bbox, info)
        if written == 0:  # one picture in all: Pillow writes a still GIF with the summed delay
            first.encoderinfo = {**options, "duration": pending.encoderinfo["duration"]}
            first.encoderconfig = ()
            gif._write_single_frame(first, fp, None)
        else:
            _write(fp, pending)
        fp.write(b";")


class _Frame(NamedTuple):
    im: Image.Image
    bbox: tuple[int, int, int, int] | None  # None: the first frame, written whole after the file's header
    encoderinfo: dict[str, Any]


def _unchanged_transparent(frame: Image.Image, delta: Image.Image, info: dict) -> Image.Image | None:
    # as Pillow's optimize does: pixels equal to the previous frame's become a spare index, made transparent
    if "transparency" not in info:
        try:
            info["transparency"] = frame.palette._new_color_index(frame)
        except ValueError:  # no spare index: the changed box is written whole
            return None
    if delta.mode == "RGBA":  # frames whose palettes differ are compared in colour: unchanged where all bands are 0
        r, g, b, a = delta.split()
        delta = ImageChops.lighter(ImageChops.lighter(r, g), ImageChops.lighter(b, a))
    unchanged = delta.point([255, *(0,) * 255], "1")
    diff = frame.copy()
    diff.paste(info["transparency"], mask=unchanged)
    return diff


def _write(fp, data: _Frame) -> None:
    gif = GifImagePlugin
    frame = data.im
    if not data.bbox:
        for part in gif._get_global_header(frame, data.encoderinfo):
            fp.write(part)
        offset = (0, 0)
    else:
        data.encoderinfo["include_color_table"] = True
        if data.bbox != (0, 0, *frame.size):
            frame = frame.crop(data.bbox)
        offset = data.bbox[:2]
    gif._write_frame_data(fp, frame, offset, data.encoderinfo)
