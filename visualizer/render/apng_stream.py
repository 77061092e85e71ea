"""Animated PNG written as frames arrive, so memory does not grow with the number of frames.

Pillow's APNG writer keeps every frame until the last has come (it reads them
twice). This writes the same kind of file one frame at a time: each frame is
cropped to what changed since the one before (disposal "none", blend "source",
as ``save_animation`` asks of Pillow), a frame equal to the one before lengthens
its delay instead, and the frame count, known only at the end, is written into
the ``acTL`` chunk last. Each frame's pixels are coded by Pillow's own PNG
writer; only the chunks around them are assembled here.
"""

from __future__ import annotations

import io
import itertools
import struct
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_NONE, _SOURCE = 0, 0  # fcTL's dispose_op and blend_op


def write_apng(path: Path, frames: Iterator[Image.Image], durations: Sequence[int], *, loop: int = 0) -> None:
    """Write ``frames`` as an animated PNG at ``path``, one delay in whole milliseconds per frame.

    Frames share the first frame's mode and size, and its palette in mode "P"
    (:class:`PaletteChanged` when one does not: the caller draws them again in true colour).

    Examples
    --------
    >>> import tempfile
    >>> frames = (Image.new("RGB", (8, 8), colour) for colour in ("red", "blue", "blue", "red"))
    >>> with tempfile.TemporaryDirectory() as root:
    ...     write_apng(Path(root) / "a.apng", frames, [100, 100, 100, 300])
    ...     with Image.open(Path(root) / "a.apng") as apng:
    ...         apng.n_frames, [apng.seek(k) or apng.info["duration"] for k in range(3)]
    (3, [100.0, 200.0, 300.0])
    """
    first = next(frames)
    header = [(kind, data) for kind, data in _chunks(first) if kind in (b"IHDR", b"PLTE", b"tRNS")]
    with open(path, "wb") as fp:
        fp.write(_SIGNATURE)
        for kind, data in header:
            _write_chunk(fp, kind, data)
        frame_count = fp.tell()  # acTL comes back here at the end, with the number of frames
        _write_chunk(fp, b"acTL", struct.pack(">II", 0, loop))
        writer = _Writer(fp)
        shown, pending = np.asarray(first), [first, (0, 0), durations[0]]
        for frame, duration in zip(frames, itertools.islice(durations, 1, None), strict=True):
            pixels = np.asarray(_like(first, frame))
            box = _changed(shown, pixels)
            if box is None:  # the same picture again: the one before stays on screen longer
                pending[2] += duration
                continue
            writer.frame(*pending)
            left, top, right, bottom = box
            pending, shown = [frame.crop(box), (left, top), duration], pixels
        writer.frame(*pending)
        _write_chunk(fp, b"IEND", b"")
        fp.seek(frame_count)
        _write_chunk(fp, b"acTL", struct.pack(">II", writer.frames, loop))


class _Writer:
    """Writes each frame's fcTL and its pixels (IDAT for the first, numbered fdAT after)."""

    def __init__(self, fp: BinaryIO):
        self.fp, self.sequence, self.frames = fp, 0, 0

    def frame(self, image: Image.Image, offset: tuple[int, int], duration: float) -> None:
        numerator, denominator = _delay(duration)
        control = struct.pack(">IIIII", self.sequence, *image.size, *offset)
        _write_chunk(self.fp, b"fcTL", control + struct.pack(">HHBB", numerator, denominator, _NONE, _SOURCE))
        self.sequence += 1
        for kind, data in _chunks(image):
            if kind != b"IDAT":
                continue
            if self.frames == 0:  # the first frame is the PNG's own picture, for viewers that do not animate
                _write_chunk(self.fp, b"IDAT", data)
            else:
                _write_chunk(self.fp, b"fdAT", struct.pack(">I", self.sequence) + data)
                self.sequence += 1
        self.frames += 1


def _delay(milliseconds: float) -> tuple[int, int]:
    """fcTL's delay as a fraction of a second, each part in 16 bits (coarser beyond 65.5 s)."""
    numerator, denominator = round(milliseconds), 1000
    while numerator > 0xFFFF and denominator > 1:
        numerator, denominator = round(numerator / 10), denominator // 10
    return min(numerator, 0xFFFF), denominator


class PaletteChanged(ValueError):
    """A frame's mode, size or palette is not the first frame's (an APNG has one of each)."""


def _like(first: Image.Image, frame: Image.Image) -> Image.Image:
    if frame.mode != first.mode or frame.size != first.size or frame.getpalette() != first.getpalette():
        raise PaletteChanged(
            f"the frames of one APNG share the first frame's mode, size and palette ({first.mode}, {first.size})"
        )
    return frame


def _changed(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) around every pixel that differs, None when none does."""
    differs = before != after
    if differs.ndim == 3:
        differs = differs.any(axis=2)
    rows, cols = np.flatnonzero(differs.any(axis=1)), np.flatnonzero(differs.any(axis=0))
    if rows.size == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _chunks(image: Image.Image) -> Iterator[tuple[bytes, bytes]]:
    """The chunks of ``image`` written as a PNG by Pillow (its type and data, each)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    png = buffer.getvalue()
    at = len(_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        yield png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        at += 12 + length


def _write_chunk(fp: BinaryIO, kind: bytes, data: bytes) -> None:
    fp.write(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)))
