"""`--values photo`: the lesson's photo at its own size by default, a crop or a resize with --input.

The lesson's photo is checked against the sample file read and resized here
with Pillow directly; a crop must be found inside it; a larger size must be
the whole photo resized, not a crop of it.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from visualizer.arguments import input_values
from visualizer.cli import main
from visualizer.images import SAMPLE_WIDTH, sample_path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def lesson_photo() -> np.ndarray:
    """The sample file at 200 px wide, grey, read without the package's own loader."""
    with Image.open(sample_path()) as picture:
        height = round(picture.height * SAMPLE_WIDTH / picture.width)
        return np.asarray(picture.convert("L").resize((SAMPLE_WIDTH, height), Image.Resampling.LANCZOS))


def rng():
    return np.random.default_rng(0)


def test_photo_alone_is_the_lesson_photo():
    if sample_path() is None:
        pytest.skip("the sample photo is missing: the drawn one stands in")
    values = input_values("photo", None, rng())
    expected = lesson_photo()
    assert values.shape == expected.shape and values.shape[1] == 200
    assert np.abs(values.astype(int) - expected).mean() < 2  # the same picture, up to rounding


def test_a_smaller_size_is_a_crop_of_it():
    lesson = input_values("photo", None, rng())
    crop = input_values("photo", "8x12", rng())
    windows = np.lib.stride_tricks.sliding_window_view(lesson, crop.shape)
    assert (windows == crop).all(axis=(2, 3)).any()


def test_a_larger_size_is_the_photo_resized_to_cover_it():
    big = input_values("photo", "300x500", rng())
    assert big.shape == (300, 500) and big.dtype == np.uint8
    lesson = input_values("photo", None, rng()).astype(float)
    # resized to 500 px wide (it covers 300 rows then) and cut about the centre: a middle band of the lesson
    scale = 500 / lesson.shape[1]
    top = round((lesson.shape[0] * scale - 300) / 2 / scale)
    band = lesson[top : top + round(300 / scale)]
    small = np.asarray(Image.fromarray(big).resize((band.shape[1], band.shape[0]), Image.Resampling.BOX), float)
    assert np.abs(small - band).mean() < 12


def test_colour_sizes_keep_their_channels():
    assert input_values("photo", "10x10x3", rng()).shape == (10, 10, 3)
    assert input_values("photo", "250x300x3", rng()).shape == (250, 300, 3)


def test_animate_the_lesson_photo_in_frames_that_fit(tmp_path):
    args = ["animate", "--values", "photo", "--kernel", "sharpen", "--clip", "auto", "--max-frames", "4", "-o", "p.gif"]
    assert main([*args, "--quiet"]) == 0
    with Image.open(tmp_path / "p.gif") as gif:
        assert gif.n_frames == 4 and gif.width <= 1920 and gif.height <= 1080


def test_the_help_says_what_photo_sizes_do(capsys):
    with pytest.raises(SystemExit):
        main(["animate", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "the lesson's photo" in help_text and "resized to cover" in help_text
