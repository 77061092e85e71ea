"""The gallery: the declared list, `convviz gallery DIR`, and the committed animations/ folder."""

from __future__ import annotations

import shlex
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence
from reference_layer import layer_scipy

from visualizer import ConvLayer, TransposedConvolution
from visualizer.cli import main
from visualizer.gallery import GALLERY, Animation

ANIMATIONS = Path(__file__).resolve().parent.parent / "animations"

# Output sizes as conv_arithmetic's README and the lesson state them (not computed by our code); the
# transposed ones run conv_arithmetic's direct convolution (i, k, s, p) backwards: its output size in,
# its input size i out.
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
    "lesson_photo_sharpen": (234, 200),  # same padding keeps the photo's 234×200
    "lesson_colour_3x3x3": (3, 3),
    "no_padding_no_strides_transposed": (4, 4),  # 2×2 in
    "arbitrary_padding_no_strides_transposed": (5, 5),  # 6×6 in
    "same_padding_no_strides_transposed": (5, 5),  # 5×5 in
    "full_padding_no_strides_transposed": (5, 5),  # 7×7 in
    "no_padding_strides_transposed": (5, 5),  # 2×2 in
    "padding_strides_transposed": (5, 5),  # 3×3 in
    "padding_strides_odd_transposed": (6, 6),  # 3×3 in
    "padding_strides_transposed_scatter": (5, 5),
    "max_pooling": (3, 3),  # 5×5 input, window 3, stride 1
    "average_pooling": (3, 3),
    "signal_transposed_stride_2": (10,),  # (5 − 1)·2 − 2·1 + (3 − 1) + 1 + 1
    "layer_rgb_two_filters": (5, 5, 2),  # 5×5 padded by 1, 3×3 filters: 5×5, one map per filter
    "layer_depthwise": (3, 3, 3),  # 5×5 valid, 3×3: 3×3, one map per channel
    "layer_pointwise": (4, 4, 2),  # 1×1 keeps 4×4
}
TRANSPOSED_INPUT = {  # conv_arithmetic's README: the transposed convolution's input (blue) size
    "no_padding_no_strides": 2,
    "arbitrary_padding_no_strides": 6,
    "same_padding_no_strides": 5,
    "full_padding_no_strides": 7,
    "no_padding_strides": 2,
    "padding_strides": 3,
    "padding_strides_odd": 3,
}
# a frame per output element, but per input element in the scatter view
# and the lesson's photo samples 120 of its 46 800 steps
FRAMES = {"padding_strides_transposed_scatter": 9, "lesson_photo_sharpen": 120}


def output_of(op) -> tuple[int, ...]:
    """The output's shape, with a layer's filters as its last axis."""
    return (*op.output_shape, op.out_channels) if isinstance(op, ConvLayer) else op.output_shape


def expected_output(entry: Animation) -> tuple[int, ...]:
    return EXPECTED_OUTPUT[entry.name.removesuffix("_numbers")]


def expected_frames(entry: Animation) -> int:
    return FRAMES.get(entry.name) or int(np.prod(expected_output(entry)))


def test_the_list_holds_conv_arithmetic_in_both_styles_and_the_lesson():
    names = [entry.name for entry in GALLERY]
    assert len(names) == len(set(names))
    for name in list(EXPECTED_OUTPUT)[:8] + [f"{n}_transposed" for n in TRANSPOSED_INPUT]:
        plain, numbered = (next(e for e in GALLERY if e.name == n) for n in (name, f"{name}_numbers"))
        assert (plain.numbers, numbered.numbers) == (False, True)
        assert (plain.layout, numbered.layout) == ("oblique", "flat")
    assert {name.removesuffix("_numbers") for name in names} == set(EXPECTED_OUTPUT)
    assert [output_of(e.operation()) for e in GALLERY] == [expected_output(e) for e in GALLERY]
    steps = [e.operation().num_steps for e in GALLERY]
    assert [min(n, e.max_frames or n) for n, e in zip(steps, GALLERY, strict=True)] == [
        expected_frames(e) for e in GALLERY
    ]


def test_the_transposed_entries_are_conv_arithmetics():
    for name, size in TRANSPOSED_INPUT.items():
        for entry in (e for e in GALLERY if e.name.startswith(f"{name}_transposed")):
            op = entry.operation()
            assert isinstance(op, TransposedConvolution) and op.image.shape == (size, size), entry.name
            assert op.transpose_of()["output_shape"] == (size, size)
    scatter = next(e for e in GALLERY if e.name == "padding_strides_transposed_scatter").operation()
    assert scatter.view == "scatter"
    pools = {e.name: e.operation() for e in GALLERY if e.op.endswith("pool")}
    assert {name: (p.mode, p.size, p.stride) for name, p in pools.items()} == {
        "max_pooling": ("max", (3, 3), (1, 1)),
        "average_pooling": ("avg", (3, 3), (1, 1)),
    }
    assert any(e.operation().image.ndim == 1 for e in GALLERY)


def test_the_layer_entries_are_the_layers_they_describe():
    layers = {e.name: e.operation() for e in GALLERY if e.op == "layer"}
    described = {name: (op.in_channels, op.out_channels, op.groups, op.kernel_shape) for name, op in layers.items()}
    assert described == {
        "layer_rgb_two_filters": (3, 2, 1, (3, 3)),
        "layer_depthwise": (3, 3, 3, (3, 3)),
        "layer_pointwise": (3, 2, 1, (1, 1)),
    }
    rgb = layers["layer_rgb_two_filters"]
    assert rgb.bias is not None and rgb.activation == "relu" and np.all(np.abs(rgb.bias) <= 4)
    assert layers["layer_depthwise"].kind == "depthwise"
    for op in layers.values():
        assert np.all(np.abs(op.weights) <= 2)
        expected = layer_scipy(
            op.image, op.weights, op.bias, padding=op.padding, groups=op.groups, activation=op.activation
        )
        np.testing.assert_allclose(op.result(), expected)


def test_an_entry_names_a_known_operation():
    with pytest.raises(ValueError, match="op must be one of conv, transposed, maxpool, avgpool"):
        Animation("x", (4, 4), 3, op="pool")


def test_lesson_examples_have_their_special_parts():
    by_name = {entry.name: entry.operation() for entry in GALLERY}
    assert by_name["lesson_replicate_padding"].pad_mode == "replicate"
    clamped = by_name["lesson_clamping_uint8"]
    assert clamped.image.dtype.name == "uint8" and all(step.is_clipped for step in clamped.steps())
    colour = by_name["lesson_colour_3x3x3"]
    assert colour.image.shape[2] == 3 and colour.kernel.shape == (3, 3, 3)


def check_folder(folder: Path) -> None:
    """Every entry's GIF is there with one frame per output element, and the README table lists it."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "| file | operation | input | kernel | padding | stride | dilation | output |" in readme
    for entry in GALLERY:
        shape, frames = "×".join(map(str, expected_output(entry))), expected_frames(entry)
        with Image.open(folder / f"{entry.name}.gif") as gif:
            # the hold at the end is a longer last delay, not extra frames
            assert gif.n_frames == frames, entry.name
        line = next(line for line in readme.splitlines() if line.startswith(f"| [{entry.name}.gif]"))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[5:8] == [str(entry.stride), str(entry.dilation), f"{shape} ({frames} frames)"]


def test_convviz_gallery_renders_every_entry(tmp_path, capsys, monkeypatch):
    """The README's and the help's example, run as it is written (test_examples.py leaves it to this test)."""
    from test_examples import EXAMPLES, WHOLE_GALLERY

    assert WHOLE_GALLERY in EXAMPLES
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(WHOLE_GALLERY)[1:]) == 0
    folder = tmp_path / "animations"
    assert f"wrote {len(GALLERY)} animations" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{e.name}.gif" for e in GALLERY] + ["README.md"])
    check_folder(folder)
    # the committed gallery is what the command draws today, frame by frame
    stale = [e.name for e in GALLERY if not same_frames(folder / f"{e.name}.gif", ANIMATIONS / f"{e.name}.gif")]
    assert not stale, f"animations/ is out of date ({', '.join(stale)}): run `convviz gallery animations/`"
    assert (folder / "README.md").read_text(encoding="utf-8") == (ANIMATIONS / "README.md").read_text(encoding="utf-8")


def same_frames(drawn: Path, committed: Path) -> bool:
    """The same file, or (when the bytes differ) the same frames as RGB pixels, each of the same size."""
    if not committed.is_file():
        return False
    if drawn.read_bytes() == committed.read_bytes():
        return True
    with Image.open(drawn) as a, Image.open(committed) as b:
        pairs = zip(ImageSequence.Iterator(a), ImageSequence.Iterator(b), strict=False)
        same = all(x.size == y.size and x.convert("RGB").tobytes() == y.convert("RGB").tobytes() for x, y in pairs)
        return same and a.n_frames == b.n_frames


def test_committed_animations_match_the_list_and_stay_small():
    if not (ANIMATIONS / "README.md").is_file():
        pytest.fail("animations/ is missing: run `convviz gallery animations/`")
    check_folder(ANIMATIONS)
    # 45 animations since the family and the lesson's photo joined (22 before, in under 2 MB):
    # still under 150 kB each on average
    gifs = [p for p in ANIMATIONS.iterdir() if p.suffix == ".gif"]
    assert sum(p.stat().st_size for p in gifs) < 150_000 * len(gifs) and sum(p.stat().st_size for p in gifs) < 7_000_000


def test_only_draws_the_named_entries_and_lists_them_all(tmp_path, capsys):
    assert main(["gallery", str(tmp_path), "--only", "lesson_valid_4x4,max_pooling"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "lesson_valid_4x4.gif", "max_pooling.gif"]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert all(f"| [{e.name}.gif]" in readme for e in GALLERY)
    assert main(["gallery", str(tmp_path), "--only", "nope"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_lesson_photo_is_drawn_as_pictures_with_a_magnifier():
    from visualizer.scenes import scene_builder
    from visualizer.scenes.fit import DEFAULT_MAX_SIZE

    entry = next(e for e in GALLERY if e.name == "lesson_photo_sharpen")
    op = entry.operation()
    assert op.image.shape == (234, 200) and op.image.dtype == np.uint8
    assert scene_builder(op, max_size=DEFAULT_MAX_SIZE).magnifier is not None
    with Image.open(ANIMATIONS / "lesson_photo_sharpen.gif") as gif:
        assert gif.n_frames == 120 and gif.width <= 1920 and gif.height <= 1080


def test_gallery_into_a_file_is_one_line_and_status_2(tmp_path, capsys):
    (tmp_path / "taken").write_text("x")
    assert main(["gallery", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("convviz: error:") and err.count("\n") == 1
