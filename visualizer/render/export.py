"""Write an operation's frames to disk: GIF, APNG, WebP, MP4, HTML player, PDF handout, contact sheet or PNGs.

:func:`save_animation` picks the format from the path's suffix and paints
the steps' scenes (all of them, or an even sample: :mod:`.budget`): pixels
through the one :class:`~visualizer.render.frame.FrameRenderer`, vectors (the
PDF handout) through :mod:`.vector`. Frames are drawn as the writer asks for
them and let go once written (GIF, WebP, MP4, HTML, PDF, PNG frames), so
memory does not grow with their number. Every writer goes through
:func:`~visualizer.files.atomic_write`, so an export that fails part-way
leaves no partial file and never damages what was already at the target.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from PIL import Image
from tqdm import tqdm

from ..files import atomic_write
from ..scenes import LAYOUTS, scene_builder
from ..scenes.fit import DEFAULT_MAX_SIZE, MIN_SIZE
from .apng_stream import PaletteChanged, write_apng
from .budget import MAX_FRAMES, check_max_frames, check_request, sample_steps, sampling_note
from .frame import FrameRenderer
from .gif_stream import write_gif
from .sheet import contact_sheet
from .strip import NoteStrip, strip_height
from .style import Theme, get_theme
from .webp_stream import write_webp

FORMATS = {
    ".gif": "a looping GIF (up to 256 colours)",
    ".mp4": 'an H.264 video (needs ffmpeg, or pip install "convviz[video]")',
    ".html": "a self-contained player page",
    ".png": "a contact sheet of all frames",
    ".pdf": "a print handout, one vector page per step",
    ".apng": "a looping animated PNG, every colour kept",
    ".webp": "a looping lossless animated WebP, every colour kept",
}
"""Suffix -> what :func:`save_animation` writes; a path without a suffix (or a folder) gets numbered PNGs."""

# GIF delays count hundredths of a second, and browsers slow delays under 2 of them down to 10.
MAX_FPS = 50

# The contact sheet mirrors the output grid (step (i, j) at row i, column j) up to this many columns.
_SHEET_MAX_COLUMNS = 8

# The lossless formats (APNG stores the part of each frame that changed, see apng_stream). WebP: method 1
# makes files 14 times smaller than Pillow's default 0 (373 kB against 5.2 MB for 49 frames of
# 1736×1074 px); higher methods gain nothing on frames like these.
_LOSSLESS = (".apng", ".webp")
_WEBP_METHOD = 1

_FRAME_NAME = re.compile(r"frame_\d+\.png")


def save_animation(
    op: Any,
    path: str | os.PathLike,
    *,
    fps: float = 2,
    hold: int = 2,
    progress: bool | None = None,
    theme: str | Theme = "default",
    numbers: bool = True,
    layout: str = "flat",
    shade: str | None = None,
    max_frames: int | None = MAX_FRAMES,
    max_size: tuple[int, int] | None = DEFAULT_MAX_SIZE,
) -> Path:
    """Draw the steps of ``op`` (every one, or ``max_frames`` of them) and write them to ``path``.

    The format follows the suffix. Frames are drawn and written one at a time,
    so memory does not grow with their number.

    Parameters
    ----------
    op : Convolution (or another operation with a scene builder)
        What to show, one frame per step.
    path : str or path-like
        ``.gif`` (looping, up to 256 colours), ``.apng`` or ``.webp``
        (looping, lossless: every colour kept), ``.mp4`` (H.264 through the
        system's ffmpeg, or imageio-ffmpeg's when none is on PATH), ``.html``
        (a self-contained player), ``.pdf`` (a handout: one vector page per
        step, text kept as text), ``.png`` (a contact sheet of all frames, for
        print), or a path without a suffix / an existing folder (numbered PNG
        frames ``frame_000.png`` …).
    fps : float
        Frames per second, 0 < fps ≤ 50.
    hold : int
        Extra frame times the last frame stays on screen before a GIF, APNG or
        WebP loops (and extra frames at the end of an MP4); ≥ 0.
    progress : bool or None
        Show a progress bar on stderr; None shows it only when stderr is a terminal.
    theme, numbers, layout, shade
        The picture's style: the colour theme, whether values are written in the
        cells, "flat" or "oblique" (conv_arithmetic's tilted planes), and None
        (flat colours) or "values" (cells tinted by their values).
    max_frames : int or None
        Draw at most this many frames (≥ 2), steps picked evenly with the first
        and last always in (:func:`~visualizer.render.budget.sample_steps`);
        None draws every step. A sampled frame says which step it shows and that
        frames were sampled: in a strip under it (GIF, APNG, WebP, MP4, PNG
        frames), in its caption (HTML) or its label (contact sheet).

    max_size : (int, int) or None
        The largest frame, width × height (default 1920×1080; None: no limit): cells shrink to fit,
        and a large input is drawn as pictures with a magnifier on the current window.

    Raises
    ------
    ValueError
        Before anything is drawn, when the export would still be huge: more
        than 100 000 frames, or a file estimated over 1 GB
        (:func:`~visualizer.render.budget.check_request`).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> with tempfile.TemporaryDirectory() as root:
    ...     with Image.open(save_animation(conv, Path(root) / "conv.gif", layout="oblique")) as gif:
    ...         gif.n_frames
    4
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    target = Path(path)
    kind = _kind(target)
    fps = _check_fps(fps)
    if isinstance(hold, bool) or not isinstance(hold, Integral) or hold < 0:
        raise ValueError(f"hold must be a whole number ≥ 0 (extra frame times at the end), got {hold!r}")
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None (only on a terminal), got {progress!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
    check_max_frames(max_frames)
    style = {"theme": theme, "numbers": numbers, "layout": layout, "shade": shade, "max_size": max_size}
    builder = scene_builder(op, **style)
    steps = sample_steps(len(builder), max_frames)
    # captions and labels name their step already; other frames carry a note when steps were skipped
    noted = len(steps) < len(builder) and kind not in (".html", ".png", ".pdf")
    strip = strip_height(_note_size(theme))
    limit = builder.max_size
    if noted and limit is not None and builder.size[1] + strip > limit[1]:  # the note fits inside max_size too
        style["max_size"] = (limit[0], max(MIN_SIZE[1], limit[1] - strip))
        builder = scene_builder(op, **style)
    check_request(len(steps), builder.size, kind)
    ffmpeg = _ffmpeg() if kind == ".mp4" else None
    _check_folder(target)
    renderer = FrameRenderer(op, **style)
    show = bool(sys.stderr and sys.stderr.isatty()) if progress is None else progress
    note = NoteStrip(renderer.palette, renderer.builder.background, _note_size(theme)) if noted else None
    draw = functools.partial(_frames, renderer, steps, note, show, target.name or str(target))
    frames = draw()  # the APNG writer may ask for them again (draw), when they change palette
    count = len(steps)
    with atomic_write(target, folder=kind == "folder") as temp:
        if kind == ".gif":
            write_gif(temp, frames, _durations(count, fps, int(hold)))
        elif kind in _LOSSLESS:
            _write_lossless(temp, kind, frames, count, fps, int(hold), draw)
        elif kind == ".mp4":
            _write_mp4(temp, frames, fps, int(hold), ffmpeg)
        elif kind == ".html":
            _write_html(temp, frames, renderer, steps, fps)
        elif kind == ".pdf":
            _write_handout(temp, renderer, steps, show, target.name)
        elif kind == ".png":
            _write_sheet(temp, frames, renderer, steps)
        else:
            _write_folder(temp, frames, count)
    if kind == "folder":
        _remove_stale_frames(target, count)
    return target


# -- checks -----------------------------------------------------------------------


def _kind(target: Path) -> str:
    if target.is_dir():
        return "folder"
    suffix = target.suffix.lower()
    if suffix in FORMATS:
        return suffix
    if not suffix:
        if target.exists():
            raise FileExistsError(f"{target} exists and is not a folder; numbered PNG frames need a folder")
        return "folder"
    allowed = ", ".join(FORMATS)
    raise ValueError(f"path must end in {allowed}, or name a folder for numbered PNG frames; got {str(target)!r}")


def _check_fps(fps: object) -> float:
    if isinstance(fps, bool) or not isinstance(fps, Real) or not 0 < fps <= MAX_FPS:
        raise ValueError(f"fps must be a number in (0, {MAX_FPS}] frames per second, got {fps!r}")
    return float(fps)


def _check_folder(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        error = NotADirectoryError if folder.exists() else FileNotFoundError
        raise error(f"cannot write {target}: {folder} is not an existing folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"cannot write {target}: the folder {folder} is not writable")


def _ffmpeg() -> str:
    """The ffmpeg program: the system's when it is on PATH, else the one imageio-ffmpeg's wheel carries."""
    program = shutil.which("ffmpeg")
    if program is not None:
        return program
    try:
        import imageio_ffmpeg  # the [video] extra: an ffmpeg binary inside a wheel

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):  # RuntimeError: installed without a binary for this platform
        raise FileNotFoundError(
            "MP4 export needs the program 'ffmpeg': apt-get install ffmpeg (or your system's package), "
            'or pip install "convviz[video]"; or save as .gif, .apng, .webp, .html, .pdf, .png or a folder'
        ) from None


# -- frames -----------------------------------------------------------------------


def _frames(
    renderer: FrameRenderer, steps: list[int], note: NoteStrip | None, show: bool, label: str
) -> Iterator[Image.Image]:
    """The frames of ``steps``, drawn one at a time as the writer asks; the bar counts them and times the rest."""
    with tqdm(total=len(steps), desc=label, unit="frame", disable=not show, leave=False, file=sys.stderr) as bar:
        for index in steps:
            frame = renderer.frame(index)
            yield frame if note is None else note.add(frame, _sampled(index, len(renderer), steps))
            bar.update()


def _note_size(theme: str | Theme) -> int:
    """The type of the note under sampled frames: the theme's text, never under its smallest readable."""
    theme = get_theme(theme)
    return max(theme.text_size, theme.min_text)


def _sampled(index: int, num_steps: int, steps: list[int]) -> str:
    return sampling_note(index, num_steps, len(steps))


# -- writers -----------------------------------------------------------------------


def _durations(count: int, fps: float, hold: int) -> list[float]:
    # Identical frames would be merged by Pillow anyway, so the hold is a longer last delay.
    delay = 1000 / fps
    return [delay] * (count - 1) + [delay * (1 + hold)]


def _write_lossless(
    temp: Path,
    kind: str,
    frames: Iterator[Image.Image],
    count: int,
    fps: float,
    hold: int,
    again: Callable[[], Iterator[Image.Image]],
) -> None:
    # Every colour is kept as drawn, with no conversion here: an APNG of palette frames keeps their one
    # palette (5 times faster and half the size of true colour), and WebP codes each frame in RGB(A). Both
    # are streamed: only encoded frames are kept.
    durations = [round(d) for d in _durations(count, fps, hold)]  # both formats count whole milliseconds
    if kind == ".webp":
        write_webp(temp, frames, durations, method=_WEBP_METHOD)
        return
    try:
        write_apng(temp, frames, durations)
    except PaletteChanged:  # frames on palettes of their own (an APNG has one): drawn again, in true colour
        write_apng(temp, (frame.convert("RGBA") for frame in again()), durations)


def _write_mp4(temp: Path, frames: Iterator[Image.Image], fps: float, hold: int, ffmpeg: str) -> None:
    first = next(frames)
    # yuv420p halves the colour resolution, so H.264 needs even sides: pad with the frame's own background.
    # Raw frames piped to the program keep their size (imageio's own writer would rescale them to
    # multiples of 16, its macro_block_size), and libx264 codes a partial macroblock without blurring.
    width, height = first.size[0] + first.size[0] % 2, first.size[1] + first.size[1] % 2
    background = first.convert("RGB").getpixel((first.size[0] - 1, first.size[1] - 1))
    command = [ffmpeg, "-y", "-loglevel", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt", "rgb24"]
    command += ["-s", f"{width}x{height}", "-framerate", f"{fps:g}", "-i", "-"]
    command += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    # bitexact and no metadata: no encoder version or date in the file, so the same call gives the same bytes
    command += ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", "-f", "mp4", str(temp)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with contextlib.suppress(BrokenPipeError):  # ffmpeg stopped early: its own message below says why
            raw = b""
            for frame in itertools.chain([first], frames):
                canvas = Image.new("RGB", (width, height), background)
                canvas.paste(frame.convert("RGB"))
                raw = canvas.tobytes()
                process.stdin.write(raw)
            for _ in range(hold):
                process.stdin.write(raw)
            process.stdin.close()
        message = process.stderr.read().decode(errors="replace").strip()
        if process.wait() != 0:
            raise OSError(f"ffmpeg could not write the MP4: {message.splitlines()[-1] if message else 'no message'}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stderr):
            with contextlib.suppress(BrokenPipeError):
                stream.close()


def _write_html(
    temp: Path, frames: Iterator[Image.Image], renderer: FrameRenderer, steps: list[int], fps: float
) -> None:
    from .cellmap import cell_map
    from .html import html_player  # the player page is only needed for .html

    builder = renderer.builder
    captions = [builder.caption(index) for index in steps]
    sampled = len(steps) < len(builder)
    if sampled:
        captions = [
            f"{_sampled(index, len(builder), steps)} — {line}" for index, line in zip(steps, captions, strict=True)
        ]
    # the cell map points at every step; a sampled page shows only some, so it plays without pointing
    cells = None if sampled else cell_map(renderer)
    text = html_player(list(frames), fps=fps, title=renderer.op.describe(), captions=captions, cells=cells)
    temp.write_text(text, encoding="utf-8")


def _write_handout(temp: Path, renderer: FrameRenderer, steps: list[int], show: bool, label: str) -> None:
    from .vector import write_pdf  # fpdf2 loads only for PDF

    builder = renderer.builder
    with tqdm(total=len(steps), desc=label, unit="page", disable=not show, leave=False, file=sys.stderr) as bar:
        scenes = _scenes(builder, steps, bar)  # built one at a time, as their pages are drawn
        write_pdf(temp, scenes, title=renderer.op.describe())


def _scenes(builder: Any, steps: list[int], bar: tqdm) -> Iterator[Any]:
    for index in steps:
        yield builder.scene(index)
        bar.update()


def _write_sheet(temp: Path, frames: Iterator[Image.Image], renderer: FrameRenderer, steps: list[int]) -> None:
    builder = renderer.builder
    cols = builder.sheet_columns()
    whole = cols <= _SHEET_MAX_COLUMNS and len(steps) == len(builder)  # then it mirrors the output grid
    columns = cols if whole else math.ceil(math.sqrt(len(steps)))
    labels = (builder.step_label(index) for index in steps)
    panels = [(label, frame.convert("RGB")) for label, frame in zip(labels, frames, strict=True)]
    contact_sheet(panels, columns=columns).save(temp, format="PNG")


def _frame_names(count: int) -> list[str]:
    digits = max(3, len(str(count - 1)))
    return [f"frame_{index:0{digits}d}.png" for index in range(count)]


def _write_folder(temp: Path, frames: Iterator[Image.Image], count: int) -> None:
    for name, frame in zip(_frame_names(count), frames, strict=True):
        frame.save(temp / name, format="PNG")


def _remove_stale_frames(folder: Path, count: int) -> None:
    # frames left by an earlier, longer export would play on after this one's last frame
    keep = set(_frame_names(count))
    for entry in folder.iterdir():
        if _FRAME_NAME.fullmatch(entry.name) and entry.name not in keep:
            entry.unlink()
