"""The frame renderer: shading, filling and padding sit where the Steps say; themes; errors.

Expected positions come from each Step's origin, the stride and the dilation, and
expected colours from the palette in DESIGN.md — never from the renderer's own
drawing. The renderer only tells where a cell is (``cell_box``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import ImageFont
from scipy import ndimage

import visualizer as vz
from visualizer.render import THEMES, FrameRenderer, font, get_theme, render_frame, style

WHITE = (255, 255, 255)
BLUE = (0x26, 0x8B, 0xD2)
CYAN = (0x2A, 0xA1, 0x98)
SHADE = (0x07, 0x36, 0x42)


def shaded(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """#073642 at 40 % over ``colour``, rounded (DESIGN.md's footprint shading)."""
    return tuple(round(0.4 * s + 0.6 * c) for s, c in zip(SHADE, colour, strict=True))


def sample(image, renderer: FrameRenderer, area: str, row: int, col: int, channel: int = 0):
    """Colour near the top-left corner of a cell's fill: clear of the value (centre) and weight (bottom-right).

    The commonest colour of a 5×5 patch there, so a thin line over the cell (the oblique look's connectors)
    cannot stand for the fill.
    """
    x0, y0, _, _ = renderer.cell_box(area, row, col, channel)
    patch = [image.getpixel((x, y)) for x in range(x0, x0 + 5) for y in range(y0, y0 + 5)]
    return max(set(patch), key=patch.count)


def colours_in(image, renderer: FrameRenderer, area: str, row: int, col: int) -> set[tuple[int, ...]]:
    """Every colour inside a cell's fill."""
    x0, y0, x1, y1 = renderer.cell_box(area, row, col)
    return {tuple(int(v) for v in p) for p in np.asarray(image.crop((x0, y0, x1 + 1, y1 + 1))).reshape(-1, 3)}


def taps(step: vz.Step, conv: vz.Convolution) -> set[tuple[int, int]]:
    (m, n), (dr, dc) = conv.kernel.shape[:2], conv.dilation
    r0, c0 = step.origin
    return {(r0 + u * dr, c0 + v * dc) for u in range(m) for v in range(n)}


RNG = np.random.default_rng(4)
GREY = RNG.integers(0, 10, (5, 5))
CASES = {
    "valid": vz.Convolution(RNG.integers(0, 10, (4, 4)), RNG.integers(0, 3, (3, 3))),
    "full padding": vz.Convolution(GREY, np.ones((3, 3), int), padding=2),
    "same replicate": vz.Convolution(GREY, np.ones((3, 3), int), padding="same", pad_mode="replicate"),
    "stride 2": vz.Convolution(RNG.integers(0, 10, (4, 5)), np.ones((3, 3), int), stride=2),
    "dilation 2": vz.Convolution(RNG.integers(0, 10, (7, 7)), np.ones((3, 3), int), dilation=2),
    "uneven": vz.Convolution(RNG.integers(0, 10, (6, 5)), np.ones((2, 3)), stride=(2, 1), padding=((0, 1), (2, 0))),
}


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize("name", list(CASES))
def test_footprint_sits_on_the_steps_taps(name: str, numbers: bool, layout: str) -> None:
    conv = CASES[name]
    renderer = FrameRenderer(conv, numbers=numbers, layout=layout)
    rows, cols = conv.padded.shape
    for k in sorted({0, 1, conv.num_steps // 2, conv.num_steps - 1}):
        step = conv.step(k)
        image = renderer.frame(k).convert("RGB")
        under = taps(step, conv)
        for r in range(rows):
            for c in range(cols):
                base = WHITE if conv.is_padding(r, c) else BLUE
                expected = shaded(base) if (r, c) in under else base
                assert sample(image, renderer, "input", r, c) == expected, (name, k, r, c)


@settings(max_examples=30, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 7), st.integers(1, 7)),
    kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    pads=st.tuples(*[st.integers(0, 2)] * 4),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    numbers=st.booleans(),
    layout=st.sampled_from(["flat", "oblique"]),
    data=st.data(),
)
def test_footprint_follows_any_step(shape, kernel, stride, dilation, pads, pad_mode, numbers, layout, data) -> None:
    top, bottom, left, right = pads
    rows, cols = shape[0] + top + bottom, shape[1] + left + right
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel, strict=True)]
    assume(spans[0] <= rows and spans[1] <= cols)  # the window must fit the padded input
    image = np.arange(shape[0] * shape[1]).reshape(shape) % 10
    conv = vz.Convolution(
        image,
        np.ones(kernel, int),
        stride=stride,
        padding=((top, bottom), (left, right)),
        pad_mode=pad_mode,
        dilation=dilation,
    )
    k = data.draw(st.integers(0, conv.num_steps - 1))
    renderer = FrameRenderer(conv, numbers=numbers, layout=layout)
    frame = renderer.frame(k).convert("RGB")
    under = taps(conv.step(k), conv)
    assert len(under) == kernel[0] * kernel[1]
    for r, c in np.ndindex(rows, cols):
        base = WHITE if conv.is_padding(r, c) else BLUE
        assert sample(frame, renderer, "input", r, c) == (shaded(base) if (r, c) in under else base)


@pytest.mark.parametrize("name", ["full padding", "stride 2", "uneven"])
def test_outputs_fill_in_up_to_the_current_step(name: str) -> None:
    conv = CASES[name]
    renderer = FrameRenderer(conv)
    out_rows, out_cols = conv.output_shape
    for k in range(conv.num_steps):
        image = renderer.frame(k).convert("RGB")
        for index in range(conv.num_steps):
            i, j = divmod(index, out_cols)
            expected = CYAN if index < k else shaded(CYAN) if index == k else WHITE
            assert sample(image, renderer, "output", i, j) == expected, (k, i, j)


def test_padding_is_a_dashed_border_with_no_fill() -> None:
    conv = CASES["full padding"]
    renderer = FrameRenderer(conv)
    image = renderer.frame(conv.num_steps - 1).convert("RGB")

    def top_border(r: int, c: int) -> set:
        x0, y0, x1, _ = renderer.cell_box("input", r, c)
        return {image.getpixel((x, y0 - 1)) for x in range(x0, x1 + 1)}

    # a padding cell far from the window: white fill, a top border of dashes and gaps
    assert sample(image, renderer, "input", 0, 0) == WHITE
    assert WHITE in top_border(0, 0) and len(top_border(0, 0)) >= 2
    # a real input cell: a solid border of one colour (thick grid #002B36)
    assert top_border(3, 3) == {(0x00, 0x2B, 0x36)}


def test_replicate_padding_shows_the_copied_values_and_zeros_faintly() -> None:
    # padded cells drawn with text hold more than the fill colour; zeros are drawn fainter than copies
    def ink_in_padding_cell(conv: vz.Convolution) -> set:
        renderer = FrameRenderer(conv)
        image = renderer.frame(conv.num_steps - 1).convert("RGB")
        return colours_in(image, renderer, "input", 0, 0) - {WHITE}

    copied = ink_in_padding_cell(CASES["same replicate"])
    zeros = ink_in_padding_cell(CASES["full padding"])
    assert copied and zeros
    darkest = min(copied, key=sum)
    assert sum(darkest) < min(sum(colour) for colour in zeros)


def test_numbers_false_draws_no_text() -> None:
    conv = CASES["full padding"]
    plain = FrameRenderer(conv, numbers=False)
    with_numbers = FrameRenderer(conv)
    k = 10
    plain_image, numbered_image = plain.frame(k).convert("RGB"), with_numbers.frame(k).convert("RGB")
    # only flat fills and lines (no anti-aliased text): about ten colours, and every cell's fill is uniform
    assert len(plain_image.getcolors(4096)) <= 10 < len(numbered_image.getcolors(4096))
    for area, renderer, image, uniform in (
        ("input", plain, plain_image, True),
        ("input", with_numbers, numbered_image, False),
    ):
        assert (len(colours_in(image, renderer, area, 3, 3)) == 1) is uniform


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("numbers", [True, False])
def test_every_theme_renders_on_one_fixed_palette(theme: str, numbers: bool) -> None:
    conv = CASES["same replicate"]
    renderer = FrameRenderer(conv, theme=theme, numbers=numbers)
    frames = [renderer.frame(k) for k in (0, 7, conv.num_steps - 1)]
    palette = frames[0].getpalette()
    assert len(renderer.palette) <= 256
    for image in frames:
        assert image.mode == "P" and image.size == renderer.size
        assert image.getpalette() == palette  # a GIF writer needs no per-frame quantisation
    assert renderer.size[0] % 2 == 0 and renderer.size[1] % 2 == 0
    # the footprint changes the picture from step to step
    assert frames[0].tobytes() != frames[1].tobytes()


def test_classroom_theme_draws_larger_cells() -> None:
    conv = CASES["valid"]
    small, large = (
        FrameRenderer(conv).cell_box("input", 0, 0),
        FrameRenderer(conv, theme="classroom").cell_box("input", 0, 0),
    )
    assert large[2] - large[0] > small[2] - small[0]


def test_colour_image_gets_one_panel_per_channel_and_the_combined_output() -> None:
    image = RNG.integers(0, 256, (4, 4, 3)).astype(np.uint8)
    # integer weights: every sum is whole, so only clamping (not rounding) changes it
    stack = np.stack([vz.KERNELS["emboss"], vz.KERNELS["sharpen"], vz.KERNELS["sobel_x"]], axis=-1)
    conv = vz.Convolution(image, stack, padding="same", clip="auto")
    renderer = FrameRenderer(conv)
    k = 5
    step = conv.step(k)
    frame = renderer.frame(k).convert("RGB")
    boxes = {renderer.cell_box("input", 0, 0, channel) for channel in range(3)}
    assert len(boxes) == 3
    with pytest.raises(ValueError, match="channel"):
        renderer.cell_box("input", 0, 0, 3)
    for channel in range(3):
        for r, c in np.ndindex(conv.padded.shape[:2]):
            base = WHITE if conv.is_padding(r, c) else BLUE
            expected = shaded(base) if (r, c) in taps(step, conv) else base
            assert sample(frame, renderer, "input", r, c, channel) == expected
    # the combined output shows the output colours, computed here with SciPy
    reference = np.stack(
        [ndimage.correlate(image[..., ch].astype(float), stack[..., ch], mode="constant") for ch in range(3)], axis=-1
    )
    reference = np.clip(reference, 0, 255).astype(np.uint8)
    for index in range(k):
        i, j = divmod(index, conv.output_shape[1])
        assert sample(frame, renderer, "combined", i, j) == tuple(reference[i, j])


def test_same_call_gives_the_same_pixels() -> None:
    conv = CASES["dilation 2"]
    first, second = render_frame(conv, 4), FrameRenderer(conv).frame(4)
    assert first.tobytes() == second.tobytes() and first.getpalette() == second.getpalette()
    assert vz.render_frame(conv, 4).tobytes() == first.tobytes()


def test_bad_theme_step_and_area_raise_clear_errors() -> None:
    conv = CASES["valid"]
    with pytest.raises(ValueError, match="theme must be one of default, colorblind, dark, classroom"):
        FrameRenderer(conv, theme="neon")
    with pytest.raises(ValueError, match="theme must be one of"):
        get_theme(None)
    renderer = FrameRenderer(conv)
    with pytest.raises(IndexError, match="step index must be in -4…3"):
        renderer.frame(4)
    with pytest.raises(TypeError, match="index must be an int"):
        renderer.frame(1.0)
    with pytest.raises(TypeError, match="numbers must be True or False"):
        FrameRenderer(conv, numbers="yes")
    with pytest.raises(TypeError, match="op must be a visualizer operation"):
        FrameRenderer(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="area must be one of input, output"):
        renderer.cell_box("kernel", 0, 0)
    with pytest.raises(ValueError, match="outside the output grid"):
        renderer.cell_box("output", 2, 0)
    assert len(renderer) == conv.num_steps
    assert renderer.frame(-1).tobytes() == renderer.frame(3).tobytes()


def test_font_is_dejavu_with_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "DejaVu" in font(14).getname()[0]
    with pytest.raises(ValueError, match="variant must be one of"):
        font(14, "italic")
    monkeypatch.setattr(style, "matplotlib_data", lambda *parts: None)
    font.cache_clear()
    try:
        fallback = font(13)
        assert isinstance(fallback, ImageFont.FreeTypeFont | ImageFont.ImageFont)
        assert not isinstance(fallback, ImageFont.FreeTypeFont) or "DejaVu" not in fallback.getname()[0]
    finally:
        font.cache_clear()


def test_clamped_outputs_carry_a_corner_mark() -> None:
    image = np.zeros((5, 5), np.uint8)
    image[:, 3:] = 200  # bright on the right: those sums pass 255, the dark left ones do not
    conv = vz.Convolution(image, vz.KERNELS["odd"], clip="auto")
    clamped = ndimage.correlate(image.astype(float), vz.KERNELS["odd"], mode="constant")[1:-1, 1:-1] > 255
    assert clamped.any() and not clamped.all()
    for numbers in (True, False):
        renderer = FrameRenderer(conv, numbers=numbers)
        frame = renderer.frame(conv.num_steps - 1).convert("RGB")
        for i, j in np.ndindex(conv.output_shape):
            _, y0, x1, _ = renderer.cell_box("output", i, j)
            marked = frame.getpixel((x1 - 1, y0 + 1)) == (0x00, 0x2B, 0x36)
            assert marked == (numbers and clamped[i, j]), (numbers, i, j)


def test_render_frame_keeps_one_renderer_per_convolution_and_style() -> None:
    conv = CASES["same replicate"]
    default, dark = render_frame(conv, 3), render_frame(conv, 3, theme="dark")
    assert default.tobytes() != dark.tobytes()
    assert render_frame(conv, 3).tobytes() == default.tobytes()
    assert render_frame(conv.replace(stride=2), 3).size != default.size


def test_rows_are_numbered_only_where_the_input_has_them() -> None:
    conv = CASES["full padding"]  # 2 rows of padding above the 5×5 input
    renderer = FrameRenderer(conv)
    image = np.asarray(renderer.frame(0).convert("RGB"))

    def left_margin_has_ink(row: int) -> bool:
        x0, y0, _, y1 = renderer.cell_box("input", row, 0)
        band = image[y0 : y1 + 1, max(0, x0 - 20) : x0 - 4]
        return bool((band != WHITE).any())

    top = conv.pads[0]
    numbered = [left_margin_has_ink(r) for r in range(conv.padded.shape[0])]
    assert numbered == [top <= r < top + conv.image.shape[0] for r in range(conv.padded.shape[0])]
