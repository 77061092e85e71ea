"""The gallery: the declared list, `convviz gallery DIR`, and the committed animations/ folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from visualizer.cli import main
from visualizer.gallery import GALLERY, Animation

ANIMATIONS = Path(__file__).resolve().parent.parent / "animations"

# Output sizes as conv_arithmetic's README and the lesson state them (not computed by our code).
EXPECTED_OUTPUT = {
    "no_padding_no_strides": (2, 2),
    "arbitrary_padding_no_strides": (6, 6),
    "same_padding_no_strides": (5, 5),
    "full_padding_no_strides": (7, 7),
    "no_padding_strides": (2, 2),
    "padding_strides": (3, 3),
    "padding_strides_odd": (3, 3),
    "dilation": (3, 3),
    "lesson_valid_4x4": (2, 2),
    "lesson_stride_2_4x5": (1, 2),
    "lesson_same_5x5": (5, 5),
    "lesson_replicate_padding": (5, 5),
    "lesson_clamping_uint8": (2, 3),
    "lesson_colour_3x3x3": (3, 3),
}


def expected_output(entry: Animation) -> tuple[int, int]:
    return EXPECTED_OUTPUT[entry.name.removesuffix("_numbers")]


def test_the_list_holds_conv_arithmetic_in_both_styles_and_the_lesson():
    names = [entry.name for entry in GALLERY]
    assert len(names) == len(set(names))
    for name in list(EXPECTED_OUTPUT)[:8]:
        plain, numbered = (next(e for e in GALLERY if e.name == n) for n in (name, f"{name}_numbers"))
        assert (plain.numbers, numbered.numbers) == (False, True)
    assert {name.removesuffix("_numbers") for name in names} == set(EXPECTED_OUTPUT)
    assert [e.convolution().output_shape for e in GALLERY] == [expected_output(e) for e in GALLERY]


def test_lesson_examples_have_their_special_parts():
    by_name = {entry.name: entry.convolution() for entry in GALLERY}
    assert by_name["lesson_replicate_padding"].pad_mode == "replicate"
    clamped = by_name["lesson_clamping_uint8"]
    assert clamped.image.dtype.name == "uint8" and all(step.is_clipped for step in clamped.steps())
    colour = by_name["lesson_colour_3x3x3"]
    assert colour.image.shape[2] == 3 and colour.kernel.shape == (3, 3, 3)


def check_folder(folder: Path) -> None:
    """Every entry's GIF is there with one frame per output element, and the README table lists it."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "| file | input | kernel | padding | stride | dilation | output |" in readme
    for entry in GALLERY:
        rows, cols = expected_output(entry)
        with Image.open(folder / f"{entry.name}.gif") as gif:
            # the hold at the end is a longer last delay, not extra frames
            assert gif.n_frames == rows * cols, entry.name
        line = next(line for line in readme.splitlines() if line.startswith(f"| [{entry.name}.gif]"))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[4:7] == [str(entry.stride), str(entry.dilation), f"{rows}×{cols} ({rows * cols} frames)"]


def test_convviz_gallery_renders_every_entry(tmp_path, capsys):
    folder = tmp_path / "new" / "animations"
    assert main(["gallery", str(folder)]) == 0
    assert f"wrote {len(GALLERY)} animations" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{e.name}.gif" for e in GALLERY] + ["README.md"])
    check_folder(folder)


def test_committed_animations_match_the_list_and_stay_small():
    if not (ANIMATIONS / "README.md").is_file():
        pytest.fail("animations/ is missing: run `convviz gallery animations/`")
    check_folder(ANIMATIONS)
    assert sum(p.stat().st_size for p in ANIMATIONS.iterdir()) < 5_000_000


def test_gallery_into_a_file_is_one_line_and_status_2(tmp_path, capsys):
    (tmp_path / "taken").write_text("x")
    assert main(["gallery", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("convviz: error:") and err.count("\n") == 1
