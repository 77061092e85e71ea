"""A CNN layer's frames fit ``max_size``: smaller cells, then channels and feature maps as pictures, a magnifier.

Where a footprint must be comes from each LayerStep's origin and the kernel's
size; which channels it is outlined on, from the filter's group (DESIGN.md:
filter ``k`` of ``groups`` reads channels ``k // (C_out / groups) · C_in /
groups`` onwards); the magnifier's numbers are held against the image's own
windows and SciPy's ``correlate2d`` per channel, and read back by pixel.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d
from test_fit import MAGENTA, centre, drawn_alone, ink_mask, overlap, ramp_grey, ring_box

import visualizer as vz
from visualizer.images import sample_photo
from visualizer.render import FrameRenderer, font, save_frame
from visualizer.scenes import scene_builder
from visualizer.scenes.fit import DEFAULT_MAX_SIZE
from visualizer.text import display_number

RNG = np.random.default_rng(14)


def ramp(rows: int, cols: int, channels: int) -> np.ndarray:
    """An input made without drawing random numbers: a ramp folded into 0…255."""
    return (np.arange(rows * cols * channels).reshape(rows, cols, channels) * 37 % 256).astype(np.uint8)


LAYERS = {
    "3×3×1, one filter": lambda: vz.ConvLayer(ramp(3, 3, 1), np.ones((3, 3, 1, 1))),
    "9×9×3, 4 filters": lambda: vz.ConvLayer(ramp(9, 9, 3), RNG.integers(-2, 3, (3, 3, 3, 4)), activation="relu"),
    "20×20×4, 2 groups": lambda: vz.ConvLayer(ramp(20, 20, 4), np.ones((3, 3, 2, 4)), groups=2, padding=1),
    "40×40×3, same": lambda: vz.ConvLayer(ramp(40, 40, 3), np.ones((3, 3, 3, 2)), padding="same", bias=[1, 2]),
    "60×60×6, 3 groups": lambda: vz.ConvLayer(ramp(60, 60, 6), np.ones((3, 3, 2, 6)), groups=3, activation="tanh"),
    "130×200×3, 2 filters": lambda: vz.ConvLayer(ramp(130, 200, 3), RNG.normal(size=(3, 3, 3, 2))),
    "300×300×3, depthwise": lambda: vz.ConvLayer(ramp(300, 300, 3), np.ones((5, 5, 1, 3)), groups=3, stride=2),
    "300×300×3, 16 filters": lambda: vz.ConvLayer(ramp(300, 300, 3), np.ones((3, 3, 3, 16)), padding=1),
}


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", LAYERS)
def test_every_layer_frame_fits_the_default_target(name, layout):
    layer = LAYERS[name]()
    renderer = FrameRenderer(layer, layout=layout)
    width, height = renderer.size
    assert width <= DEFAULT_MAX_SIZE[0] and height <= DEFAULT_MAX_SIZE[1], renderer.size
    for index in (0, layer.num_steps - 1):
        assert renderer.frame(index).size == renderer.size


@pytest.mark.parametrize("max_size", [(800, 600), (1280, 720)])
def test_a_chosen_target_is_kept(max_size):
    for name in ("9×9×3, 4 filters", "130×200×3, 2 filters"):
        layer = LAYERS[name]()
        for layout in ("flat", "oblique"):
            size = scene_builder(layer, layout=layout, max_size=max_size).size
            assert size[0] <= max_size[0] and size[1] <= max_size[1], (name, layout, size)


def test_cells_shrink_before_they_become_pictures():
    layer = vz.ConvLayer(ramp(7, 7, 1) % 10, np.ones((3, 3, 1, 2), int), padding=1)
    natural = scene_builder(layer, max_size=None)
    fitted = scene_builder(layer, max_size=(1100, 900))
    assert natural.size[0] > 1100 or natural.size[1] > 900, "the case needs shrinking"
    assert fitted.magnifier is None and fitted.cell < natural.cell
    assert fitted.size[0] <= 1100 and fitted.size[1] <= 900 and fitted.theme.value_size >= fitted.theme.min_text
    assert {t.tag for t in fitted.scene(30).texts("value")} == {t.tag for t in natural.scene(30).texts("value")}
    assert scene_builder(layer, max_size=None).magnifier is None  # no limit: every cell, however large


def test_a_small_layer_in_large_type_keeps_its_cells_and_writes_its_sums_out():
    layer = vz.ConvLayer(ramp(4, 4, 3) % 10, RNG.integers(-2, 3, (3, 3, 3, 2)), bias=[1, -2], activation="relu")
    natural = scene_builder(layer, theme="classroom", max_size=None)
    fitted = scene_builder(layer, theme="classroom", max_size=DEFAULT_MAX_SIZE)
    assert natural.products_panel is not None and natural.size[1] > DEFAULT_MAX_SIZE[1], "the case needs shrinking"
    assert fitted.magnifier is None and fitted.products_panel is None
    assert fitted.size[0] <= DEFAULT_MAX_SIZE[0] and fitted.size[1] <= DEFAULT_MAX_SIZE[1]
    step, scene = layer.step(5), fitted.scene(5)
    i, j, k = step.out_index
    for channel in range(3):  # each channel's products and partial sum, on a line of its own
        window = (ramp(4, 4, 3) % 10)[i : i + 3, j : j + 3, channel].astype(float)
        partial = (window * layer.weights[..., channel, k]).sum()
        assert scene.text_at("arithmetic", channel).endswith(f"= {display_number(partial)}")


# -- a large layer as pictures: the footprint, the output, the magnifier -----------------------

PHOTO = sample_photo()[:130]  # the lesson photo's 130×200 part, in colour
WEIGHTS = RNG.integers(-2, 3, (3, 3, 3, 2))
LARGE = vz.ConvLayer(PHOTO, WEIGHTS, bias=[5, -300], activation="relu")
GROUPED = vz.ConvLayer(np.dstack([PHOTO, PHOTO[..., :1]]), RNG.integers(-2, 3, (3, 3, 2, 4)), groups=2, padding=1)


def reference_sums(layer_image: np.ndarray, weights: np.ndarray, k: int, first: int, padding: int):
    """Filter ``k``'s partial sums over channels ``first…`` of its group, by SciPy, one map per channel."""
    image = np.pad(layer_image.astype(float), ((padding, padding), (padding, padding), (0, 0)))
    return [
        correlate2d(image[..., first + p], weights[..., p, k].astype(float), mode="valid")
        for p in range(weights.shape[2])
    ]


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 777, 25_343, 25_344 + 9_999, LARGE.num_steps - 1])
def test_the_footprint_and_the_current_value_are_where_the_step_is(index, layout):
    renderer = FrameRenderer(LARGE, layout=layout)
    builder, step = renderer.builder, LARGE.step(index)
    assert builder.magnifier is not None
    rows, cols = LARGE.output_shape
    k, rest = divmod(index, rows * cols)  # DESIGN.md: filter by filter, then row-major
    i, j = divmod(rest, cols)
    assert step.out_index == (i, j, k) and step.origin == (i, j)  # stride 1, no padding
    scene = builder.scene(index)
    for channel in range(3):
        panel = builder.magnifier.panels[f"input:{channel}"]
        (ring,) = scene.find("footprint", f"input:{channel}")
        assert ring.box == ring_box(panel, i, j, 3, 3, ring.outline_width)
    (current,) = scene.find("current")
    assert current.tag == ("current", f"output:{k}", i, j)
    assert current.box == ring_box(builder.magnifier.panels[f"output:{k}"], i, j, 1, 1, current.outline_width)
    if layout == "flat":
        frame = renderer.frame_rgb(index)
        x0, y0, x1, y1 = ring.box
        for xy in [(x0, y0), (x1, y1), ((x0 + x1) // 2, y0), (x0, (y0 + y1) // 2)]:
            assert frame.getpixel(xy) == MAGENTA, xy
        blue = builder.magnifier.panels["input:2"]
        for u, v in np.ndindex(3, 3):  # inside the ring, the photo's own blue channel in its grey
            grey = ramp_grey(PHOTO[i + u, j + v, 2])
            assert frame.getpixel(centre(blue, i + u, j + v)) == (grey,) * 3


def test_the_feature_maps_fill_in_filter_by_filter():
    renderer = FrameRenderer(LARGE)
    builder = renderer.builder
    rows, cols = LARGE.output_shape
    index = rows * cols + 5_000  # filter 1, partway
    i, j = divmod(5_000, cols)
    frame = renderer.frame_rgb(index)
    first, second = (builder.magnifier.panels[f"output:{k}"] for k in (0, 1))
    empty = frame.getpixel(centre(second, rows - 1, cols - 1))
    assert frame.getpixel(centre(first, rows - 1, cols - 1)) != empty, "filter 0 is done"
    assert frame.getpixel(centre(second, i - 1, j)) != empty, "filter 1 so far"
    assert frame.getpixel(centre(second, i + 2, j)) == empty, "filter 1 later"
    frame = renderer.frame_rgb(5_000)  # filter 0 partway: filter 1's map not begun
    empty = frame.getpixel(centre(first, i + 2, j))
    assert frame.getpixel(centre(first, i - 1, j)) != empty, "filter 0 so far"
    for r, c in [(0, 0), (i - 1, j), (rows // 2, cols // 2), (rows - 1, cols - 1)]:
        assert frame.getpixel(centre(second, r, c)) == empty, ("filter 1 not begun", r, c)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("index", [0, 12_345, 25_344 + 20_000])
def test_the_magnifier_shows_the_steps_windows_and_sums(index, layout):
    builder = scene_builder(LARGE, layout=layout, max_size=DEFAULT_MAX_SIZE)
    step = LARGE.step(index)
    i, j, k = step.out_index
    scene = builder.scene(index)
    sums = reference_sums(PHOTO, WEIGHTS, k, 0, 0)
    for channel in range(3):
        window = PHOTO[i : i + 3, j : j + 3, channel]
        for (u, v), value in np.ndenumerate(window):
            assert scene.text_at("products", channel, "window", u, v) == display_number(value)
            assert scene.text_at("products", channel, "kernel", u, v) == display_number(WEIGHTS[u, v, channel, k])
            product = float(value) * WEIGHTS[u, v, channel, k]
            assert scene.text_at("products", channel, "cell", u, v) == display_number(product)
        assert scene.text_at("products", channel, "sum") == f"Σ = {display_number(sums[channel][i, j])}"
    total = sum(s[i, j] for s in sums) + [5, -300][k]
    assert scene.text_at("total").endswith(f"= {display_number(total)}")
    assert scene.text_at("activation") == f"relu: {display_number(total)} → {display_number(max(total, 0))}"
    assert len(scene.find("magnifier-line")) == 1


def test_the_magnifier_reads_as_the_windows_numbers():
    renderer = FrameRenderer(LARGE)
    builder, index = renderer.builder, 31_000
    step = LARGE.step(index)
    frame = renderer.frame_rgb(index)
    colours = builder.colours
    fill = colours.shaded_input
    face = font(builder.products.panel.face.size, "bold")
    for channel in range(3):
        grid = builder.products.window_grid(channel)
        for (u, v), value in np.ndenumerate(step.window[..., channel]):
            x0, y0, x1, y1 = grid.interior(u, v)
            crop = frame.crop((x0, y0, x1 + 1, y1 + 1))
            seen = ink_mask(crop, colours.ink_on(fill), fill)
            cx, cy = grid.centre(u, v)
            expected = drawn_alone(display_number(value), crop.size, (cx - x0, cy - y0), face)
            other = drawn_alone(display_number(int(value) + 111), crop.size, (cx - x0, cy - y0), face)
            assert overlap(seen, expected) > 0.8, (channel, u, v)
            assert overlap(seen, other) < 0.6


@pytest.mark.parametrize("index", [0, 3 * 132 * 202 + 4_321])  # filter 0 (channels 0–1), filter 3 (2–3)
def test_a_grouped_layer_outlines_only_the_channels_its_filter_reads(index):
    builder = scene_builder(GROUPED, max_size=DEFAULT_MAX_SIZE)
    step = GROUPED.step(index)
    i, j, k = step.out_index
    first = (k // 2) * 2  # 4 filters in 2 groups of 2 channels
    scene = builder.scene(index)
    outlined = {item.tag[1] for item in scene.find("footprint")}
    assert outlined == {f"input:{first}", f"input:{first + 1}"}
    padded = np.pad(np.dstack([PHOTO, PHOTO[..., :1]]).astype(float), ((1, 1), (1, 1), (0, 0)))
    sums = reference_sums(np.dstack([PHOTO, PHOTO[..., :1]]), GROUPED.weights, k, first, 1)
    for p in range(2):
        for (u, v), value in np.ndenumerate(padded[i : i + 3, j : j + 3, first + p]):
            assert scene.text_at("products", p, "window", u, v) == display_number(value)
        assert scene.text_at("products", p, "sum") == f"Σ = {display_number(sums[p][i, j])}"
        assert scene.text_at("products", p, "name") == builder.names[first + p]


def test_a_large_layer_has_no_cell_map_and_its_pictures_reach_svg(tmp_path):
    builder = scene_builder(LARGE, max_size=DEFAULT_MAX_SIZE)
    assert builder.links(5) is None and builder.pages(5) == {}
    assert not builder.reveals() and len(builder.still()) < 200
    svg = save_frame(LARGE, 100, tmp_path / "step.svg").read_text()
    assert svg.count("<image") == 5  # three channels, two feature maps
