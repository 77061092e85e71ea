"""`convviz animate`: defaults, formats, style options, and one-line errors with status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image

from visualizer.cli import main


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_bare_animate_writes_a_useful_gif_and_says_where(tmp_path, capsys):
    assert main(["animate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote convolution.gif") and "input 5×5, kernel 3×3" in out
    with Image.open(tmp_path / "convolution.gif") as gif:
        assert gif.n_frames == 9 and gif.info["duration"] == 500


def test_style_options_reach_the_file(tmp_path):
    args = ["--input", "4x5", "--stride", "2", "--theme", "dark", "--no-numbers", "--fps", "4", "-o", "a.gif"]
    assert main(["animate", *args, "--quiet"]) == 0
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 2 and gif.info["duration"] == 250
        dark = gif.convert("RGB").getpixel((1, 1))
    assert dark == (0, 43, 54)  # the dark theme's background, #002B36


@pytest.mark.parametrize("output, check", [("sheet.png", "is_file"), ("frames", "is_dir"), ("p.html", "is_file")])
def test_other_formats(tmp_path, output, check):
    assert main(["animate", "--padding", "same", "--pad-mode", "replicate", "-o", output]) == 0
    assert getattr(tmp_path / output, check)()


@pytest.mark.parametrize("command", ["animate", "gallery"])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert ("--theme" in text and "--fps" in text and "--output" in text) if command == "animate" else "folder" in text


def test_python_dash_m_runs_animate(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "animate", "--input", "3x4", "-o", "m.gif"], capture_output=True, text=True
    )
    assert done.returncode == 0 and (tmp_path / "m.gif").is_file() and done.stderr == ""


BAD = [
    (["--fps", "abc"], "--fps"),
    (["--fps", "0"], "fps must be a number in (0, 50]"),
    (["--fps", "100"], "fps must be a number in (0, 50]"),
    (["--theme", "neon"], "--theme"),
    (["-o", "out.bmp"], ".gif, .mp4, .html, .png"),
    (["-o", "missing/out.gif"], "missing is not an existing folder"),
    (["-o", "taken.txt/out.gif"], "taken.txt is not an existing folder"),
    (["--input", "0x3"], "--input"),
    (["--input", "five"], "--input"),
    (["--input", "3x3", "--kernel", "5x5"], "kernel"),
    (["--stride", "0"], "stride"),
    (["--padding", "sideways"], "--padding"),
    (["--values", "nowhere.npy"], "nowhere.npy"),
    (["--input", "4x4", "--values", "1,2;3,4"], "--input"),
    (["--clip", "high"], "--clip"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_arguments_say_one_line_and_exit_2(tmp_path, capsys, args, message):
    (tmp_path / "taken.txt").write_text("x")
    assert main(["animate", *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("convviz: error:") and captured.err.count("\n") == 1, captured.err
    assert message in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.txt"]


def test_mp4_without_ffmpeg_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # nor the [video] extra's binary
    assert main(["animate", "-o", "movie.mp4"]) == 2
    err = capsys.readouterr().err
    assert "'ffmpeg'" in err and 'pip install "convviz[video]"' in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
