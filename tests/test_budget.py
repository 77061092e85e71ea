"""The frame budget: which steps a long export shows, how it says so, what it refuses, and flat memory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageSequence

from visualizer import Convolution
from visualizer.cli import main
from visualizer.render import export
from visualizer.render.budget import FRAME_LIMIT, check_request, sample_steps
from visualizer.render.export import save_animation
from visualizer.render.frame import FrameRenderer
from visualizer.render.gif_stream import write_gif
from visualizer.render.style import Theme

ROOT = Path(__file__).resolve().parents[1]


def conv_of(rows: int, cols: int | None = None) -> Convolution:
    cols = rows if cols is None else cols
    return Convolution(np.arange(rows * cols).reshape(rows, cols) % 10, np.ones((3, 3), int), padding=1)


SMALL = Theme("small", cell=4, margin=2, gap=4, line_width=1)  # small frames, quick to draw


# -- which steps -------------------------------------------------------------------


@given(st.integers(1, 5000), st.integers(2, 400))
def test_sampled_steps_count_keep_both_ends_and_order_and_sit_where_even_spacing_puts_them(num_steps, max_frames):
    steps = sample_steps(num_steps, max_frames)
    assert len(steps) == min(num_steps, max_frames)
    assert steps[0] == 0 and steps[-1] == num_steps - 1
    assert all(a < b for a, b in zip(steps[:-1], steps[1:], strict=True))
    if len(steps) < num_steps:
        # each pick within half a step of its ideal, exact position k·(n−1)/(m−1)
        spacing = Fraction(num_steps - 1, len(steps) - 1)
        assert all(abs(step - k * spacing) <= Fraction(1, 2) for k, step in enumerate(steps))


@given(st.integers(1, 3000), st.integers(0, 10))
def test_none_or_a_budget_as_large_as_the_steps_gives_every_step(num_steps, spare):
    assert sample_steps(num_steps, None) == list(range(num_steps))
    assert sample_steps(num_steps, max(num_steps, 2) + spare) == list(range(num_steps))


@pytest.mark.parametrize("bad", [0, 1, -3, 2.5, True, "300"])
def test_a_budget_that_cannot_hold_first_and_last_is_refused(bad):
    with pytest.raises(ValueError, match="max_frames must be a whole number ≥ 2"):
        sample_steps(10, bad)


# -- sampled exports ---------------------------------------------------------------


def test_a_sampled_gif_shows_the_picked_steps_in_order_each_with_its_note(tmp_path):
    conv = conv_of(8)  # 64 steps
    renderer = FrameRenderer(conv)
    path = save_animation(conv, tmp_path / "a.gif", max_frames=5, progress=False)
    steps = sample_steps(64, 5)
    assert steps == [0, 16, 32, 47, 63]
    with Image.open(path) as gif:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]
    assert len(frames) == 5
    width, height = renderer.size
    for frame, step in zip(frames, steps, strict=True):
        assert frame.width == width and frame.height > height  # a strip under the frame
        assert np.array_equal(np.asarray(frame.crop((0, 0, width, height))), np.asarray(renderer.frame_rgb(step)))
        strip = np.asarray(frame.crop((0, height, width, frame.height)))
        assert len(np.unique(strip.reshape(-1, 3), axis=0)) == 2  # background and ink: the note, in the palette
    # the notes differ from frame to frame (each names its own step)
    strips = {frame.crop((0, height, width, frame.height)).tobytes() for frame in frames}
    assert len(strips) == 5


def test_an_unsampled_gif_is_the_same_bytes_as_pillows_own_writer(tmp_path):
    conv = conv_of(5)
    path = save_animation(conv, tmp_path / "a.gif", fps=4, hold=2, progress=False)
    renderer = FrameRenderer(conv)
    frames = [renderer.frame(k) for k in range(len(renderer))]
    durations = [250.0] * (len(frames) - 1) + [750.0]
    reference = tmp_path / "pillow.gif"
    frames[0].save(reference, save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=True)
    assert path.read_bytes() == reference.read_bytes()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=8), st.integers(0, 2**32 - 1))
def test_streamed_gif_is_pillows_bytes_for_any_frames_repeats_included(tmp_path_factory, pictures, seed):
    # frames drawn from four random pictures on one palette: repeats merge their delays, changes store boxes
    rng = np.random.default_rng(seed)
    palette = rng.integers(0, 256, 3 * 6).tolist()
    choices = [Image.fromarray(rng.integers(0, 6, (9, 12), dtype=np.uint8), "P") for _ in range(4)]
    for picture in choices:
        picture.putpalette(palette)
    durations = rng.integers(20, 500, len(pictures)).astype(float).tolist()
    root = tmp_path_factory.mktemp("gif")
    write_gif(root / "streamed.gif", (choices[k].copy() for k in pictures), durations)
    frames = [choices[k].copy() for k in pictures]
    frames[0].save(
        root / "pillow.gif", save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=True
    )
    assert (root / "streamed.gif").read_bytes() == (root / "pillow.gif").read_bytes()


@pytest.mark.parametrize("side", [4, 3])  # 16 steps, and a single step (Pillow's still WebP)
def test_a_streamed_webp_is_the_same_bytes_as_pillows_own_writer(tmp_path, side):
    conv = Convolution(np.arange(side * side).reshape(side, side), np.ones((3, 3), int), padding=side - 3)
    path = save_animation(conv, tmp_path / "a.webp", fps=4, hold=1, progress=False)
    renderer = FrameRenderer(conv)
    frames = [renderer.frame(k) for k in range(len(renderer))]
    durations = [250] * (len(frames) - 1) + [500]
    reference = tmp_path / "pillow.webp"
    options = {"lossless": True, "method": 1, "loop": 0, "duration": durations}
    frames[0].save(reference, format="WEBP", save_all=True, append_images=frames[1:], **options)
    assert path.read_bytes() == reference.read_bytes()


def test_a_one_step_gif_is_pillows_still_gif(tmp_path):
    conv = Convolution(np.arange(9).reshape(3, 3), np.ones((3, 3), int))
    path = save_animation(conv, tmp_path / "one.gif", progress=False)
    frame = FrameRenderer(conv).frame(0)
    frame.save(tmp_path / "pillow.gif", save_all=True, duration=[1500.0], loop=0, optimize=True)
    assert path.read_bytes() == (tmp_path / "pillow.gif").read_bytes()


def test_sampled_html_captions_and_sheet_labels_name_their_steps(tmp_path):
    conv = conv_of(6)  # 36 steps
    page = save_animation(conv, tmp_path / "a.html", max_frames=3, progress=False).read_text()
    for step in (1, 19, 36):
        assert f"step {step} of 36 · frames sampled: about every 18th step" in page
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert len(data["patches"]) == len(data["captions"]) == 3  # three frames, one per sampled step
    assert data["cells"] is None  # the cell map points at every step: not on a sampled page


def test_max_frames_none_draws_every_step(tmp_path):
    conv = conv_of(18)  # 324 steps, more than the default budget
    style = {"numbers": False, "theme": SMALL, "progress": False}
    with Image.open(save_animation(conv, tmp_path / "all.gif", max_frames=None, **style)) as gif:
        assert gif.n_frames == 324 and gif.size == FrameRenderer(conv, numbers=False, theme=SMALL).size
    with Image.open(save_animation(conv, tmp_path / "some.gif", **style)) as gif:
        assert gif.n_frames == 300


# -- refusals ----------------------------------------------------------------------


def test_more_frames_than_the_limit_are_refused():
    check_request(FRAME_LIMIT, (10, 10), ".gif")
    with pytest.raises(ValueError, match="100 001 frames is more than 100 000; pass max_frames"):
        check_request(FRAME_LIMIT + 1, (10, 10), ".gif")


def test_a_huge_export_is_refused_before_anything_is_drawn(tmp_path, monkeypatch):
    def no_drawing(*args, **kwargs):
        raise AssertionError("a frame renderer was built for a refused export")

    width, height = FrameRenderer(conv_of(24)).size
    monkeypatch.setattr(export, "FrameRenderer", no_drawing)
    # 576 frames held as one contact sheet of 3 bytes a pixel
    gigabytes = 576 * width * height * 3 / 1e9
    expected = rf"576 frames of {width}×{height} px would make about {gigabytes:.1f} GB .* max_frames .* crop"
    with pytest.raises(ValueError, match=expected):
        save_animation(conv_of(24), tmp_path / "sheet.png", max_frames=None, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_lossless_animations_are_streamed_and_have_no_bound_of_their_own():
    # 2 304 frames of 1920×1080 would hold 4.8 GB, were they held: APNG and WebP write each as it comes
    for kind in (".apng", ".webp"):
        check_request(2304, (1920, 1080), kind)


def test_the_command_line_refuses_a_huge_export_in_one_line_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "sheet.png"
    status = main(["animate", "--input", "24x24", "--padding", "1", "--max-frames", "all", "-o", str(target)])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("convviz: error: 576 frames of") and "--max-frames" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["1", "0", "ten", "-5", "2.5"])
def test_the_command_line_refuses_a_bad_frame_budget(tmp_path, capsys, bad):
    assert main(["animate", "--max-frames", bad, "-o", str(tmp_path / "a.gif")]) == 2
    err = capsys.readouterr().err
    assert err == f"convviz: error: --max-frames must be a whole number ≥ 2 or all; got {bad!r}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_samples_and_says_so(tmp_path, capsys):
    target = tmp_path / "a.gif"
    assert main(["animate", "--input", "12x12", "--max-frames", "7", "--quiet", "-o", str(target)]) == 0
    assert "7 frames sampled from 100 steps" in capsys.readouterr().out
    with Image.open(target) as gif:
        assert gif.n_frames == 7


# -- memory ------------------------------------------------------------------------

# A child process exports a 40×50 input (2 000 steps) in small frames and reports its peak resident memory.
_CHILD = textwrap.dedent(
    """
    import sys
    from tests.test_budget import SMALL, conv_of
    from visualizer.render.export import save_animation

    frames, path = int(sys.argv[1]), sys.argv[2]
    save_animation(conv_of(40, 50), path, max_frames=frames, numbers=False, theme=SMALL, progress=False)
    print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")))
    """
)


def _peak_kib(frames: int, path: Path) -> int:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", _CHILD, str(frames), str(path)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory read from /proc")
@pytest.mark.parametrize("kind", [".gif", ".apng"])
def test_memory_does_not_grow_with_the_number_of_frames(tmp_path, kind):
    few = _peak_kib(500, tmp_path / f"few{kind}")
    many = _peak_kib(2000, tmp_path / f"many{kind}")
    with Image.open(tmp_path / f"many{kind}") as animation:
        assert animation.n_frames == 2000
        held = 1500 * animation.width * animation.height // 1024  # 1 500 more frames kept, at a byte a pixel
    # streamed, the peak stays within 16 MiB however many frames there are
    assert many - few < 16 * 1024 < held
