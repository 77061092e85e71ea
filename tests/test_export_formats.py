"""MP4 through the system's ffmpeg or imageio-ffmpeg's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from visualizer import Convolution, save_animation
from visualizer.render import export
from visualizer.render.frame import FrameRenderer

# -- MP4: which ffmpeg ----------------------------------------------------------------------------


def ffprobe_or_skip() -> str:
    program = shutil.which("ffprobe")
    if program is None:
        pytest.skip("ffprobe is not on PATH (apt-get install ffmpeg) to read the video back")
    return program


def probe(ffprobe: str, path) -> dict:
    command = [ffprobe, "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(path)]
    return json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)["streams"][0]


def test_system_ffmpeg_comes_first(monkeypatch):
    system = shutil.which("ffmpeg")
    if system is None:
        pytest.skip("no ffmpeg on PATH")

    class Unused:
        def get_ffmpeg_exe(self):
            raise AssertionError("imageio-ffmpeg asked although ffmpeg is on PATH")

    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", Unused())
    assert export._ffmpeg() == system


def test_mp4_through_imageio_ffmpeg_when_none_is_on_path(tmp_path, monkeypatch):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
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
    if shutil.which("ffmpeg") is None:
        pytest.skip("no ffmpeg on PATH")
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
