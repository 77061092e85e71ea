"""APNG and WebP keep every colour; MP4 through the system's ffmpeg or imageio-ffmpeg's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from needed import missing
from PIL import Image

from visualizer import Convolution, save_animation
from visualizer.cli import main
from visualizer.render import export
from visualizer.render.frame import FrameRenderer

LOSSLESS = [".apng", ".webp"]


def colour_photo_conv() -> Convolution:
    """A colour image with clamping: the frames show the combined output panel in real colours."""
    pixels = np.random.default_rng(3).integers(0, 256, (5, 5, 3)).astype(np.uint8)
    return Convolution(pixels, [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], padding=1, clip="auto")


def read_frames(path) -> tuple[list[np.ndarray], list[int], int | None]:
    """Every frame as an RGB array, each frame's duration in ms, and the loop count."""
    with Image.open(path) as picture:
        frames, durations = [], []
        for k in range(picture.n_frames):
            picture.seek(k)
            picture.load()  # WebP fills in a frame's duration when it decodes it
            frames.append(np.asarray(picture.convert("RGB")))
            durations.append(picture.info.get("duration"))  # none in a still (one-frame) file
        return frames, durations, picture.info.get("loop")


@pytest.mark.parametrize("suffix", LOSSLESS)
def test_lossless_formats_hold_every_frame_exactly_with_its_duration(tmp_path, suffix):
    conv = colour_photo_conv()
    path = save_animation(conv, tmp_path / f"photo{suffix}", fps=4, hold=3, progress=False)
    frames, durations, loop = read_frames(path)
    renderer = FrameRenderer(conv)
    assert len(frames) == conv.num_steps == 25
    assert durations == [250] * 24 + [250 * 4] and loop == 0
    for k, frame in enumerate(frames):
        np.testing.assert_array_equal(frame, np.asarray(renderer.frame(k).convert("RGB")), err_msg=f"frame {k}")


@pytest.mark.parametrize("suffix", LOSSLESS)
@pytest.mark.parametrize("kind", ["true colour", "a palette per frame"])
def test_lossless_formats_keep_colours_a_gif_cannot(tmp_path, monkeypatch, suffix, kind):
    # frames with thousands of colours, or each on its own palette, must come back pixel for pixel
    original = FrameRenderer.frame

    def busy(self, index):
        rgb = np.asarray(original(self, index).convert("RGB")).astype(np.int16)
        rows, cols = np.indices(rgb.shape[:2])
        rgb[..., 0] ^= ((rows * 7 + cols * 3 + index) % 64).astype(np.int16)
        picture = Image.fromarray(rgb.astype(np.uint8))
        return picture if kind == "true colour" else picture.quantize(colors=200 + index)

    monkeypatch.setattr(FrameRenderer, "frame", busy)
    conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    expected = [np.asarray(busy(FrameRenderer(conv), k).convert("RGB")) for k in range(conv.num_steps)]
    if kind == "true colour":
        assert len(np.unique(expected[0].reshape(-1, 3), axis=0)) > 256
    frames, _, _ = read_frames(save_animation(conv, tmp_path / f"busy{suffix}", progress=False))
    assert len(frames) == len(expected)
    for k, (frame, want) in enumerate(zip(frames, expected, strict=True)):
        np.testing.assert_array_equal(frame, want, err_msg=f"frame {k}")


@pytest.mark.parametrize("suffix", LOSSLESS)
def test_lossless_single_step_and_same_bytes_twice(tmp_path, suffix):
    conv = Convolution(np.arange(9).reshape(3, 3), np.ones((3, 3), int))  # one step
    path = save_animation(conv, tmp_path / f"one{suffix}", fps=2, hold=1, progress=False)
    frames, _, _ = read_frames(path)
    assert len(frames) == 1
    np.testing.assert_array_equal(frames[0], np.asarray(FrameRenderer(conv).frame(0).convert("RGB")))
    again = save_animation(conv, tmp_path / f"again{suffix}", fps=2, hold=1, progress=False)
    assert again.read_bytes() == path.read_bytes()


def test_formats_table_and_the_command_line_name_every_suffix(capsys):
    assert {".gif", ".apng", ".webp", ".mp4", ".html", ".png", ".pdf"} == set(export.FORMATS)
    with pytest.raises(SystemExit):
        main(["animate", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    for suffix in export.FORMATS:
        assert f"FILE{suffix}" in text
    assert 'pip install "convviz[video]"' in text


@pytest.mark.parametrize("suffix", LOSSLESS)
def test_cli_writes_lossless_animations(tmp_path, monkeypatch, suffix):
    monkeypatch.chdir(tmp_path)
    assert main(["animate", "--input", "4x5", "--stride", "2", "--fps", "5", "-o", f"out{suffix}", "--quiet"]) == 0
    frames, durations, _ = read_frames(tmp_path / f"out{suffix}")
    assert len(frames) == 2 and durations == [200, 600]  # the default hold: two extra frame times
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out{suffix}"]


# -- MP4: which ffmpeg ----------------------------------------------------------------------------


def ffprobe_or_skip() -> str:
    return shutil.which("ffprobe") or missing("ffprobe is not on PATH (apt-get install ffmpeg) to read the video back")


def ffmpeg_or_skip() -> str:
    return shutil.which("ffmpeg") or missing("ffmpeg is not on PATH (apt-get install ffmpeg)")


def probe(ffprobe: str, path) -> dict:
    command = [ffprobe, "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(path)]
    return json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)["streams"][0]


def test_system_ffmpeg_comes_first(monkeypatch):
    system = ffmpeg_or_skip()

    class Unused:
        def get_ffmpeg_exe(self):
            raise AssertionError("imageio-ffmpeg asked although ffmpeg is on PATH")

    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", Unused())
    assert export._ffmpeg() == system


def test_mp4_through_imageio_ffmpeg_when_none_is_on_path(tmp_path, monkeypatch):
    try:
        import imageio_ffmpeg
    except ImportError:
        missing("imageio-ffmpeg is not installed (pip install -e '.[video]')")
    ffprobe = ffprobe_or_skip()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert export._ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()
    # sides that are neither multiples of 16 nor even: padded to even, never rescaled
    original = FrameRenderer.frame
    monkeypatch.setattr(FrameRenderer, "frame", lambda self, k: original(self, k).crop((0, 0, 301, 203)))
    conv = Convolution(np.arange(25).reshape(5, 5), np.ones((3, 3), int), padding=1)
    path = save_animation(conv, tmp_path / "movie.mp4", fps=5, hold=2, progress=False)
    stream = probe(ffprobe, path)
    assert stream["codec_name"] == "h264" and stream["pix_fmt"] == "yuv420p"
    assert int(stream["nb_read_frames"]) == conv.num_steps + 2
    assert (stream["width"], stream["height"]) == (302, 204)
    assert stream["r_frame_rate"] == "5/1"


def test_mp4_through_the_system_ffmpeg_reads_back(tmp_path, monkeypatch):
    ffprobe = ffprobe_or_skip()
    ffmpeg_or_skip()
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # not importable: only the system's can serve
    conv = Convolution(np.arange(20).reshape(4, 5), np.ones((2, 2), int))
    path = save_animation(conv, tmp_path / "movie.mp4", fps=3, hold=0, progress=False)
    stream = probe(ffprobe, path)
    assert int(stream["nb_read_frames"]) == conv.num_steps
    width, height = FrameRenderer(conv).size
    assert (stream["width"], stream["height"]) == (width + width % 2, height + height % 2)


class Broken:
    def get_ffmpeg_exe(self):
        raise RuntimeError("No ffmpeg exe could be found.")


@pytest.mark.parametrize("imageio_ffmpeg", [None, Broken()], ids=["not installed", "no binary"])
def test_without_any_ffmpeg_the_error_names_both_ways_and_nothing_is_written(tmp_path, monkeypatch, imageio_ffmpeg):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", imageio_ffmpeg)
    with pytest.raises(FileNotFoundError) as error:
        save_animation(Convolution(np.ones((4, 4)), np.ones((3, 3))), tmp_path / "movie.mp4", progress=False)
    assert "apt-get install ffmpeg" in str(error.value) and 'pip install "convviz[video]"' in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_streamed_apng_reads_back_the_same_through_ffmpeg(tmp_path):
    """Another decoder than Pillow's: ffmpeg composes each frame from its changed part and finds every step."""
    conv = Convolution(np.arange(30).reshape(5, 6) % 10, np.ones((3, 3), int), padding=1)
    path = save_animation(conv, tmp_path / "steps.apng", fps=4, hold=0, progress=False)
    renderer = FrameRenderer(conv)
    width, height = renderer.size
    command = [ffmpeg_or_skip(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    assert len(frames) == conv.num_steps == 30
    for k, frame in enumerate(frames):
        np.testing.assert_array_equal(frame, np.asarray(renderer.frame(k).convert("RGB")), err_msg=f"frame {k}")
