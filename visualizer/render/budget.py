"""How many frames an export draws, which steps they show, and which requests are too big to start.

A long operation (a 130×200 photo has 26 000 steps) cannot become one frame
per step: :func:`sample_steps` picks at most ``max_frames`` steps, evenly,
first and last always included; :func:`sampling_note` is the line a sampled
frame carries so that it never passes for the whole story; and
:func:`check_request` refuses, before anything is drawn, an export that would
still be huge.
"""

from __future__ import annotations

from numbers import Integral

MAX_FRAMES = 300
"""Frames an export draws at most unless told otherwise (``max_frames=None`` draws every step)."""

FRAME_LIMIT = 100_000
"""More frames than this are refused, whatever the format."""

SIZE_LIMIT = 1_000_000_000
"""Estimated file sizes above this (bytes) are refused."""

# Bytes a pixel of one frame took in exports of frames of flat colours (144 steps of a 12×12 input with its
# numbers), doubled for safety. Formats that store what changed between frames (GIF, APNG, WebP, MP4) cost
# little per frame; the player's PNGs, numbered PNGs and the handout's pages hold each frame whole. A
# contact sheet is one picture held whole in memory before it is written: 3 bytes a pixel.
BYTES_PER_PIXEL = {
    ".gif": 0.01,
    ".apng": 0.025,
    ".webp": 0.005,
    ".mp4": 0.008,
    ".html": 0.06,
    ".pdf": 0.05,
    "folder": 0.05,
    ".png": 3.0,
}


def sample_steps(num_steps: int, max_frames: int | None) -> list[int]:
    """At most ``max_frames`` step indices out of ``num_steps``, evenly spaced, first and last included, in order.

    ``None`` (or a budget of at least ``num_steps``) keeps every step.

    Examples
    --------
    >>> sample_steps(10, 4)
    [0, 3, 6, 9]
    >>> sample_steps(5, None)
    [0, 1, 2, 3, 4]
    >>> sample_steps(26_000, 300)[:3], len(sample_steps(26_000, 300))
    ([0, 87, 174], 300)
    """
    if isinstance(num_steps, bool) or not isinstance(num_steps, Integral) or num_steps < 1:
        raise ValueError(f"num_steps must be a whole number ≥ 1, got {num_steps!r}")
    check_max_frames(max_frames)
    if max_frames is None or max_frames >= num_steps:
        return list(range(num_steps))
    # spacing (num_steps - 1) / (max_frames - 1) ≥ 1, so rounding keeps the picks distinct and increasing
    last, gaps = num_steps - 1, max_frames - 1
    return [(k * last + gaps // 2) // gaps for k in range(max_frames)]


def check_max_frames(max_frames: object) -> None:
    """Refuse a frame budget that is not None or a whole number ≥ 2 (first and last step both shown)."""
    if max_frames is None:
        return
    if isinstance(max_frames, bool) or not isinstance(max_frames, Integral) or max_frames < 2:
        raise ValueError(
            f"max_frames must be a whole number ≥ 2 (the first and last steps are always shown) "
            f"or None for every step; got {max_frames!r}"
        )


def sampling_note(step: int, num_steps: int, count: int) -> str:
    """The line under a sampled frame: which step it shows (counted from 1) and how the frames were picked.

    >>> sampling_note(1199, 26_000, 300)
    'step 1 200 of 26 000 · frames sampled: about every 87th step'
    >>> sampling_note(4, 9, 3)
    'step 5 of 9 · frames sampled: every 4th step'
    """
    spacing = (num_steps - 1) / (count - 1)
    about = "" if spacing.is_integer() else "about "
    which = f"step {_grouped(step + 1)} of {_grouped(num_steps)}"
    return f"{which} · frames sampled: {about}every {_ordinal(round(spacing))} step"


def check_request(num_frames: int, frame_size: tuple[int, int], kind: str) -> None:
    """Refuse an export of ``num_frames`` frames of ``frame_size`` pixels as ``kind`` that would be huge.

    ``kind`` is a suffix of :data:`BYTES_PER_PIXEL` (or "folder"). The message
    says why, and what to do: fewer frames, or a smaller part of the input.

    >>> check_request(300, (4388, 2234), ".gif")
    >>> check_request(300, (4388, 2234), ".png")
    Traceback (most recent call last):
    ...
    ValueError: 300 frames of 4388×2234 px would make about 8.8 GB (more than 1 GB); pass a smaller ...
    >>> check_request(200_000, (100, 100), ".gif")
    Traceback (most recent call last):
    ...
    ValueError: 200 000 frames is more than 100 000; pass max_frames (--max-frames) to draw fewer, or crop the input
    """
    if num_frames > FRAME_LIMIT:
        raise ValueError(
            f"{_grouped(num_frames)} frames is more than {_grouped(FRAME_LIMIT)}; "
            "pass max_frames (--max-frames) to draw fewer, or crop the input"
        )
    width, height = frame_size
    estimate = num_frames * width * height * BYTES_PER_PIXEL[kind]
    if estimate > SIZE_LIMIT:
        raise ValueError(
            f"{_grouped(num_frames)} frames of {width}×{height} px would make about {estimate / 1e9:.1f} GB "
            f"(more than {SIZE_LIMIT / 1e9:g} GB); pass a smaller max_frames (--max-frames) or crop the input"
        )


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
