"""Frames that fit: any input within ``max_size``, cells shrinking, then pictures with a magnifier.

Where the footprint must be comes from each Step's origin and the kernel's size;
what the pictures must show comes from the input's values through a grey ramp
written here; the magnifier's numbers are read back from the scene and from the
frame's pixels (each cell's ink compared with the expected number drawn alone).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import visualizer as vz
from visualizer.images import sample_photo
from visualizer.render import FrameRenderer, font, render_frame, save_frame
from visualizer.scenes import scene_builder
from visualizer.scenes.fit import DEFAULT_MAX_SIZE
from visualizer.text import display_number

MAGENTA = (211, 54, 130)  # the footprint's ring


def cheap(rows: int, cols: int, channels: int | None = None) -> np.ndarray:
    """A large input made without drawing random numbers: a ramp folded into 0…255."""
    shape = (rows, cols) if channels is None else (rows, cols, channels)
    return (np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape) * 37 % 256).astype(np.uint8)


SIZES = [(3, 3), (9, 9), (17, 17), (40, 40), (130, 200), (1000, 1000)]


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("channels", [None, 3])
@pytest.mark.parametrize("size", SIZES, ids=[f"{r}x{c}" for r, c in SIZES])
def test_every_frame_fits_the_default_target(size, channels, layout):
    image = cheap(*size, channels)
    kernel = np.ones((3, 3)) if channels is None else np.ones((3, 3, 3))
    conv = vz.Convolution(image, kernel, padding="same")
    renderer = FrameRenderer(conv, layout=layout)
    width, height = renderer.size
    assert width <= DEFAULT_MAX_SIZE[0] and height <= DEFAULT_MAX_SIZE[1], renderer.size
    for index in (0, conv.num_steps // 2, conv.num_steps - 1):
        assert renderer.frame(index).size == renderer.size


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("max_size", [(720, 540), (800, 600), (1280, 720), (3840, 2160)])
def test_a_chosen_target_is_kept(max_size, layout):
    for size in [(5, 5), (24, 24), (200, 300)]:
        conv = vz.Convolution(cheap(*size), vz.KERNELS["sharpen"], clip="auto")
        frame = render_frame(conv, conv.num_steps - 1, layout=layout, max_size=max_size)
        assert frame.size[0] <= max_size[0] and frame.size[1] <= max_size[1], (size, frame.size)


def test_small_inputs_keep_the_theme_and_no_limit_keeps_every_cell():
    small = vz.Convolution(cheap(4, 4), np.ones((3, 3)))
    assert scene_builder(small, max_size=(1920, 1080)).cell == scene_builder(small, max_size=None).cell
    big = vz.Convolution(cheap(30, 30), np.ones((3, 3)))
    assert scene_builder(big, max_size=None).magnifier is None  # as large as the cells need
    assert scene_builder(big, max_size=(1920, 1080)).magnifier is not None


def test_cells_shrink_before_they_become_pictures_and_stay_readable():
    conv = vz.Convolution(cheap(16, 16) % 10, np.ones((3, 3), int), padding=1)
    natural = scene_builder(conv, max_size=None)
    fitted = scene_builder(conv, max_size=(1600, 1080))
    assert fitted.magnifier is None
    assert fitted.cell < natural.cell and fitted.size[0] <= 1600 and fitted.size[1] <= 1080
    assert fitted.theme.value_size >= fitted.theme.min_text
    scene = fitted.scene(40)
    for r, c in np.ndindex(*conv.padded.shape):
        assert scene.text_at("value", "input", r, c) == display_number(conv.padded[r, c])


BAD_TARGETS = [(100, 100), (719, 540), (720, 539), (1920,), "1920x1080", (1920.0, 1080), (True, 1080)]


@pytest.mark.parametrize("bad", BAD_TARGETS)
def test_a_bad_target_is_refused(bad):
    with pytest.raises(ValueError, match="max_size"):
        render_frame(vz.Convolution(np.eye(3), np.ones((2, 2))), 0, max_size=bad)


# -- a large input: the pictures, the footprint and the magnifier ------------------------------

PHOTO = sample_photo(grey=True)[:130]  # the lesson photo's 130×200 part
LARGE = vz.Convolution(PHOTO, vz.KERNELS["sharpen"], clip="auto", padding=1)


def ramp_grey(value: float) -> int:
    """The grey a 0…255 value is drawn in: 64 levels, black to white."""
    level = round(value / 255 * 63)
    return round(level * 255 / 63)


def panel_of(builder, name: str):
    return builder.magnifier.panels[name]


def centre(panel, r: int, c: int) -> tuple[int, int]:
    return (int(panel.x + (c + 0.5) * panel.px), int(panel.y + (r + 0.5) * panel.px))


@pytest.mark.parametrize("index", [0, 1, 777, 12_345, LARGE.num_steps - 1])
def test_the_footprint_on_the_photo_is_where_the_step_is(index):
    renderer = FrameRenderer(LARGE)
    builder = renderer.builder
    step = LARGE.step(index)
    panel = panel_of(builder, "input")
    (ring,) = builder.scene(index).find("footprint", "input")
    width = ring.outline_width
    # from the Step: the window's first tap and its 3×3 extent, on a grid of panel.px pixels a value
    r0, c0 = step.origin
    x0, y0 = round(panel.x + c0 * panel.px) - width, round(panel.y + r0 * panel.px) - width
    x1, y1 = round(panel.x + (c0 + 3) * panel.px) - 1 + width, round(panel.y + (r0 + 3) * panel.px) - 1 + width
    assert ring.box == (x0, y0, x1, y1)
    frame = renderer.frame_rgb(index)
    for x, y in [(x0, y0), (x1, y0), (x0, y1), (x1, y1), ((x0 + x1) // 2, y0), (x0, (y0 + y1) // 2)]:
        assert frame.getpixel((x, y)) == MAGENTA, (x, y)
    # inside the ring the photo itself: each tap's value in its grey
    for u in range(3):
        for v in range(3):
            r, c = r0 + u, c0 + v
            grey = ramp_grey(LARGE.padded[r, c])
            assert frame.getpixel(centre(panel, r, c)) == (grey, grey, grey), (r, c)


def test_the_output_picture_fills_in_up_to_the_step():
    renderer = FrameRenderer(LARGE)
    panel = panel_of(renderer.builder, "output")
    index = 5_000
    frame = renderer.frame_rgb(index)
    i, j = LARGE.step(index).out_index
    result = LARGE.result()
    done = frame.getpixel(centre(panel, i - 1, j + 3))  # clear of the current value's ring
    assert done == (ramp_grey(result[i - 1, j + 3]),) * 3
    empty = frame.getpixel(centre(panel, i + 1, j))
    assert empty == frame.getpixel(centre(panel, panel.rows - 1, panel.cols - 1))
    assert empty not in {(ramp_grey(v),) * 3 for v in (0, 255)}


def ink_mask(image: Image.Image, ink: tuple[int, int, int], fill: tuple[int, int, int]) -> np.ndarray:
    """Pixels nearer the ink than the fill."""
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    return ((pixels - ink) ** 2).sum(axis=2) < ((pixels - fill) ** 2).sum(axis=2)


def drawn_alone(text: str, size: tuple[int, int], centre_xy, face) -> np.ndarray:
    image = Image.new("L", size, 0)
    ImageDraw.Draw(image).text(centre_xy, text, font=face, fill=255, anchor="mm")
    return np.asarray(image) > 127


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    return (a & b).sum() / max(1, (a | b).sum())


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 9_999, LARGE.num_steps - 1])
def test_the_magnifier_shows_the_steps_window(index, layout):
    renderer = FrameRenderer(LARGE, layout=layout)
    builder = renderer.builder
    scene = builder.scene(index)
    step = LARGE.step(index)
    # read back from the scene
    for (u, v), value in np.ndenumerate(step.window):
        assert scene.text_at("products", 0, "window", u, v) == display_number(value)
        assert scene.text_at("products", 0, "cell", u, v) == display_number(step.products[u, v])
    assert scene.text_at("products", 0, "sum").startswith(f"Σ = {display_number(step.value)}")
    # and by pixel: each window cell's ink is the expected number's shape, not another number's
    grid = builder.products.window_grid(0)
    colours = builder.colours
    fill = colours.shaded_input
    ink = colours.ink_on(fill)
    frame = renderer.frame_rgb(index)
    face = font(builder.value_font.size, "bold")
    for (u, v), value in np.ndenumerate(step.window):
        x0, y0, x1, y1 = grid.interior(u, v)
        crop = frame.crop((x0, y0, x1 + 1, y1 + 1))
        seen = ink_mask(crop, ink, fill)
        cx, cy = grid.centre(u, v)
        expected = drawn_alone(display_number(value), crop.size, (cx - x0, cy - y0), face)
        other = drawn_alone(display_number(int(value) + 111), crop.size, (cx - x0, cy - y0), face)
        assert overlap(seen, expected) > 0.8, (u, v, overlap(seen, expected))
        assert overlap(seen, other) < 0.6


def test_the_magnifier_is_joined_to_the_footprint():
    builder = scene_builder(LARGE, max_size=DEFAULT_MAX_SIZE)
    scene = builder.scene(321)
    (line,) = scene.find("magnifier-line")
    (ring,) = scene.find("footprint", "input")
    x0, y0, x1, y1 = ring.box
    start, end = line.points[0], line.points[-1]
    assert start in {(x0, y0), (x1, y0), (x1, y1), (x0, y1)}
    grid = builder.products.window_grid(0)
    assert grid.x <= end[0] <= grid.x + grid.size[0] and grid.y <= end[1] <= grid.y + grid.size[1]


def test_colour_photo_is_drawn_in_colour_and_padding_shows():
    photo = sample_photo()[:60, :80]
    conv = vz.Convolution(photo, vz.KERNELS["box_blur"], padding=2, clip="auto")
    small = FrameRenderer(conv, max_size=(1280, 720))
    assert small.size[0] <= 1280 and small.size[1] <= 720
    assert small.builder.scene(0).texts("arithmetic"), "on a small target the sums carry the numbers"
    renderer = FrameRenderer(conv, max_size=(1000, 1000))
    builder = renderer.builder
    assert builder.magnifier is not None and renderer.size[0] <= 1000 and renderer.size[1] <= 1000
    panel = panel_of(builder, "input")
    frame = np.asarray(renderer.frame_rgb(conv.num_steps - 1)).astype(int)
    # the pixels are near the photo's own colours (a frame has at most 256 colours)
    for r, c in [(10, 10), (30, 40), (50, 20)]:
        x, y = centre(panel, r + 2, c + 2)
        assert np.abs(frame[y, x] - photo[r, c]).max() < 40, (r, c)
    assert builder.scene(0).find("image-edge", "input"), "the image's edge inside its padding is marked"
    assert {t.text for t in builder.scene(0).texts("products", 2, "name")} == {"blue"}


def test_vector_frames_carry_the_pictures(tmp_path):
    svg = save_frame(LARGE, 100, tmp_path / "step.svg").read_text()
    assert svg.count("<image") == 2 and "data:image/png;base64," in svg
    pdf = save_frame(LARGE, 100, tmp_path / "step.pdf", layout="oblique")
    assert pdf.stat().st_size > 10_000


def test_a_huge_input_is_quick_to_prepare():
    # 1000×1000 at every step count: nothing is built per cell or per step before the first frame
    conv = vz.Convolution(cheap(1000, 1000), np.ones((3, 3)), padding="same")
    builder = scene_builder(conv, max_size=DEFAULT_MAX_SIZE)
    assert not builder.reveals() and len(builder.still()) < 50


FAMILY = {
    "max pooling 16×16": lambda: vz.Pooling(cheap(16, 16) % 10, 3, stride=1, padding=1),
    "average pooling 20×20": lambda: vz.Pooling(cheap(20, 20) % 10, 3, stride=1, mode="avg"),
    "transposed 8×8 stride 2": lambda: vz.TransposedConvolution(cheap(8, 8) % 10, np.ones((3, 3)), stride=2),
    "scatter 9×9 stride 2": lambda: vz.TransposedConvolution(cheap(9, 9) % 10, np.ones((3, 3)), 2, view="scatter"),
}


@pytest.mark.parametrize("name", FAMILY)
def test_the_familys_cells_shrink_to_fit_with_readable_numbers(name):
    op = FAMILY[name]()
    natural = scene_builder(op, max_size=None)
    fitted = scene_builder(op, max_size=(1600, 1080))
    assert natural.size[0] > 1600 or natural.size[1] > 1080, "the case needs shrinking"
    assert fitted.size[0] <= 1600 and fitted.size[1] <= 1080
    assert fitted.theme.value_size >= fitted.theme.min_text
    # every input value still written where it was
    for k in (0, op.num_steps - 1):
        assert {t.tag for t in natural.scene(k).texts("value")} == {t.tag for t in fitted.scene(k).texts("value")}


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_pdf_pictures_sit_where_the_png_draws_them(tmp_path, layout):
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    renderer = FrameRenderer(LARGE, layout=layout)
    pdf = save_frame(LARGE, 4000, tmp_path / "step.pdf", layout=layout)
    # one PDF point is one frame pixel: 72 dpi renders the page at the frame's size
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"), dtype=int)
    png = np.asarray(renderer.frame_rgb(4000), dtype=int)
    panel = panel_of(renderer.builder, "input")
    matrix = renderer.builder.planes[panel.plane]
    for r, c in [(20, 30), (64, 100), (110, 170)]:
        cx, cy = panel.x + (c + 0.5) * panel.px, panel.y + (r + 0.5) * panel.px
        x, y = (
            round(v) for v in (matrix[0] * cx + matrix[1] * cy + matrix[2], matrix[3] * cx + matrix[4] * cy + matrix[5])
        )
        grey = LARGE.padded[r, c]
        assert abs(page[y, x] - grey).max() < 24 and abs(png[y, x] - grey).max() < 8, (r, c, page[y, x], png[y, x])


# -- the family as pictures: pooling and the direct transposed convolution ---------------------

FAMILY_PICTURES = {
    "max pooling": lambda image: vz.Pooling(image, 3, stride=2, padding=1),
    "average pooling": lambda image: vz.Pooling(image, 2, mode="avg"),
    "transposed stride 2": lambda image: vz.TransposedConvolution(image, np.ones((3, 3)), stride=2),
}


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{r}x{c}" for r, c in SIZES])
@pytest.mark.parametrize("name", FAMILY_PICTURES)
def test_the_familys_frames_fit_the_default_target(name, size, layout):
    op = FAMILY_PICTURES[name](cheap(*size))
    renderer = FrameRenderer(op, layout=layout)
    width, height = renderer.size
    assert width <= DEFAULT_MAX_SIZE[0] and height <= DEFAULT_MAX_SIZE[1], renderer.size
    if size[0] <= 3 or size[0] >= 130:  # numbered cells while they fit, pictures when they cannot
        assert (renderer.builder.magnifier is not None) == (size[0] >= 130)
    for index in (0, op.num_steps - 1):
        assert renderer.frame(index).size == renderer.size


POOLED = vz.Pooling(cheap(200, 200), 3, stride=2, padding=1)


def ring_box(panel, r0: int, c0: int, rows: int, cols: int, width: int) -> tuple[int, int, int, int]:
    """The outline just outside values r0… × c0…, on a grid of panel.px pixels a value."""
    x0, y0 = round(panel.x + c0 * panel.px) - width, round(panel.y + r0 * panel.px) - width
    x1 = round(panel.x + (c0 + cols) * panel.px) - 1 + width
    y1 = round(panel.y + (r0 + rows) * panel.px) - 1 + width
    return (x0, y0, x1, y1)


@pytest.mark.parametrize("index", [0, 57, 5_050, POOLED.num_steps - 1])
def test_the_pooling_footprint_is_at_the_steps_origin(index):
    renderer = FrameRenderer(POOLED)
    builder, step = renderer.builder, POOLED.step(index)
    panel = panel_of(builder, "input")
    (ring,) = builder.scene(index).find("footprint", "input")
    assert ring.box == ring_box(panel, *step.origin, 3, 3, ring.outline_width)
    frame = renderer.frame_rgb(index)
    x0, y0, x1, y1 = ring.box
    for xy in [(x0, y0), (x1, y1), ((x0 + x1) // 2, y0), (x0, (y0 + y1) // 2)]:
        assert frame.getpixel(xy) == MAGENTA, xy
    # the photo inside: the image's own values, shifted by the padding of 1 (padding: the least value, 0)
    image = np.pad(POOLED.image, 1)
    for u, v in np.ndindex(3, 3):
        r, c = step.origin[0] + u, step.origin[1] + v
        grey = ramp_grey(image[r, c])
        assert frame.getpixel(centre(panel, r, c)) == (grey, grey, grey), (r, c)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_the_pooling_magnifier_shows_the_steps_window(mode, layout):
    op = vz.Pooling(cheap(200, 200), 3, stride=2, padding=1, mode=mode)
    builder = scene_builder(op, layout=layout, max_size=DEFAULT_MAX_SIZE)
    image = np.pad(op.image.astype(float), 1, constant_values=np.nan)  # nan: padding
    for index in (0, 4_321, op.num_steps - 1):
        scene, step = builder.scene(index), op.step(index)
        (r0, c0) = step.origin
        window = image[r0 : r0 + 3, c0 : c0 + 3]
        for (u, v), value in np.ndenumerate(window):
            padding = "−∞" if mode == "max" else "0"
            expected = padding if np.isnan(value) else display_number(value)
            assert scene.text_at("products", 0, "window", u, v) == expected, (index, u, v)
        inside = window[~np.isnan(window)]
        if mode == "max":
            assert scene.text_at("products", 0, "sum") == f"max = {display_number(inside.max())}"
            (winner,) = scene.find("products", 0, "winner")
            u, v = np.unravel_index(np.nanargmax(window), window.shape)
            assert winner.box[0] < builder.products.window_grid(0).centre(u, v)[0] < winner.box[2]
        else:  # padding counted: 9 taps
            total = display_number(inside.sum())
            assert scene.text_at("products", 0, "sum") == f"Σ / 9 = {total} / 9 = {display_number(inside.sum() / 9)}"
        assert len(scene.find("magnifier-line")) == 1


TRANSPOSED = vz.TransposedConvolution(cheap(100, 100), vz.KERNELS["sharpen"], stride=2)


def stretched_reference(image: np.ndarray, stride: int, border: int) -> np.ndarray:
    """``stride − 1`` zeros between the values, ``border`` zeros round them."""
    rows, cols = ((n - 1) * stride + 1 + 2 * border for n in image.shape)
    out = np.zeros((rows, cols))
    out[border : rows - border : stride, border : cols - border : stride] = image
    return out


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 12_345, TRANSPOSED.num_steps - 1])
def test_the_transposed_footprint_and_magnifier_follow_the_steps_window(index, layout):
    renderer = FrameRenderer(TRANSPOSED, layout=layout)
    builder, step = renderer.builder, TRANSPOSED.step(index)
    assert builder.magnifier is not None
    stretched = stretched_reference(TRANSPOSED.image, 2, 2)  # D(M − 1) − P = 2
    i, j = divmod(index, TRANSPOSED.output_shape[1])  # stride 1 over the stretched input
    np.testing.assert_array_equal(step.window, stretched[i : i + 3, j : j + 3])
    scene = builder.scene(index)
    (ring,) = scene.find("footprint", "input")
    assert ring.box == ring_box(panel_of(builder, "input"), i, j, 3, 3, ring.outline_width)
    rotated = vz.KERNELS["sharpen"][::-1, ::-1]
    for (u, v), value in np.ndenumerate(stretched[i : i + 3, j : j + 3]):
        assert scene.text_at("products", 0, "window", u, v) == display_number(value)
    total = (stretched[i : i + 3, j : j + 3] * rotated).sum()
    assert scene.text_at("products", 0, "sum").startswith(f"Σ = {display_number(total)}")
    if layout == "flat":
        frame = renderer.frame_rgb(index)
        assert frame.getpixel(ring.box[:2]) == MAGENTA
        panel = panel_of(builder, "input")
        for r, c in [(2, 102), (3, 103), (4, 106), (101, 101), (101, 102)]:  # clear of the ring
            grey = ramp_grey(stretched[r, c])
            assert frame.getpixel(centre(panel, r, c)) == (grey, grey, grey), (r, c)
