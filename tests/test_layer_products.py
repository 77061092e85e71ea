"""A layer's products panel read back: per input channel of the filter, window ⊙ kernel slice = products, Σ.

Expected windows come from the padded input of ``layer_cases`` (SciPy's boundary
modes) at the taps DESIGN.md's step order gives, products are those windows times
the weights by NumPy here, and each Σ is held to SciPy's per-channel correlation
and to the step's partial sum. Then the frame: the panel's cells painted in their
colours where the scene says, its numbers inside their cells, nothing else drawn
over it, and every theme; a filter summing many channels writes them out instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from layer_cases import CASES, LayerCase, number, products, same_up_to_elision
from test_layer_frame import BLUE, CYAN, shaded
from test_scenes import glyph_bounds

from visualizer.render.frame import FrameRenderer
from visualizer.render.style import THEMES
from visualizer.scenes import scene_builder
from visualizer.scenes.items import Grid, Text, apply
from visualizer.scenes.layer_products import every_partial_sum

PANEL_CASES = [name for name in CASES if CASES[name].per_group <= 4]


def expected_rows(case: LayerCase, k: int) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, object]]:
    """(name, window, kernel, products, partial sum) for each channel filter ``k``'s step reads, without the package."""
    i, j, f = case.position(k)
    m, n = case.weights.shape[:2]
    rows = []
    for rel, channel in enumerate(case.reads(f)):
        window = np.empty((m, n), case.padded.dtype)
        for (r, c), (u, v) in case.taps(i, j).items():
            window[u, v] = case.padded[r, c, channel]
        kernel = case.weights[:, :, rel, f]
        rows.append((case.names[channel], window, kernel, window * kernel, case.partials[f][rel][i, j]))
    return rows


def check_panel(case: LayerCase, builder, k: int) -> None:
    scene = builder.scene(k)
    step = case.layer.step(k)
    rows = expected_rows(case, k)
    assert len(builder.products_panel.panel.kernels) == len(rows)
    for row, (name, window, kernel, product, partial) in enumerate(rows):
        for (u, v), value in np.ndenumerate(window):
            assert scene.text_at("products", row, "window", u, v) == number(value), (k, row, u, v)
            assert scene.text_at("products", row, "kernel", u, v) == number(kernel[u, v]), (k, row, u, v)
            assert scene.text_at("products", row, "cell", u, v) == number(product[u, v]), (k, row, u, v)
        # the products add up to SciPy's partial sum, and the panel's Σ is the step's
        assert np.isclose(product.sum(), partial)
        shown = scene.text_at("products", row, "sum")
        assert shown == f"Σ = {number(partial)}" and shown == f"Σ = {number(step.partial_sums[row])}"
        assert scene.text_at("products", row, "name") == name
    assert not scene.texts("products", len(rows))


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", PANEL_CASES)
def test_panel_shows_each_channels_window_kernel_products_and_partial_sum(name: str, layout: str) -> None:
    case = CASES[name]
    builder = scene_builder(case.layer, layout=layout)
    for k in case.sample_steps(12):
        check_panel(case, builder, k)


@settings(max_examples=20, deadline=None)
@given(
    groups=st.integers(1, 3),
    per_in=st.integers(1, 2),
    per_out=st.integers(1, 2),
    size=st.tuples(st.integers(2, 5), st.integers(2, 5)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 2),
    padding=st.integers(0, 1),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    floats=st.booleans(),
    layout=st.sampled_from(["flat", "oblique"]),
    data=st.data(),
)
def test_any_layers_panel_reads_back(
    groups, per_in, per_out, size, kernel, stride, dilation, padding, pad_mode, floats, layout, data
) -> None:
    spans = [dilation * (k - 1) + 1 for k in kernel]
    assume(all(span <= s + 2 * padding for span, s in zip(spans, size, strict=True)))
    assume(pad_mode != "reflect" or padding < min(size))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    image = rng.integers(-9, 10, (*size, groups * per_in))
    weights = rng.integers(-3, 4, (*kernel, per_in, groups * per_out))
    if floats:  # binary fractions: exact sums, so the written figures cannot round differently
        image, weights = image / 4, weights / 2
    geometry = dict(stride=stride, dilation=dilation, padding=padding, pad_mode=pad_mode)
    case = LayerCase(image, weights, groups=groups, **geometry)
    builder = scene_builder(case.layer, layout=layout)
    check_panel(case, builder, data.draw(st.integers(0, case.steps - 1)))


def test_rows_lead_into_the_sum_plus_bias_under_them() -> None:
    case = CASES["rgb, bias, relu"]
    builder = scene_builder(case.layer)
    scene = builder.scene(7)
    panel = builder.products_panel.panel
    total = next(t for t in scene.texts("total"))
    assert total.xy[1] >= panel.y + panel.height
    assert not scene.texts("arithmetic")  # the rows say what each channel's written-out line would


@pytest.mark.parametrize("name", [*PANEL_CASES, "8-bit"])
def test_the_sum_column_is_sized_for_every_partial_sum(name: str) -> None:
    """The Σ column's width comes from every partial sum the steps show: SciPy's, 8-bit pixels included."""
    if name == "8-bit":
        case = LayerCase(np.full((4, 4, 2), 255, np.uint8), np.full((3, 3, 1, 2), 250, np.uint8), groups=2)
    else:
        case = CASES[name]
    sums = every_partial_sum(case.layer)
    for f in range(case.c_out):
        for rel in range(case.per_group):
            np.testing.assert_allclose(sums[..., rel, f], case.partials[f][rel])


# -- on the frame --------------------------------------------------------------------------


def panel_box(builder) -> tuple[float, float, float, float]:
    panel = builder.products_panel.panel
    return (panel.x, panel.y, panel.x + panel.width, panel.y + panel.height)


def check_painted_panel(renderer: FrameRenderer, k: int, fills: tuple, glyphs: bool = True) -> None:
    """Each panel grid's cells show their fill; each panel number lands inside its cell, in its ink, on the frame.

    (Each number is painted alone on two pictures the frame's size: ``glyphs`` False leaves that slow part out.)
    """
    scene = renderer.scene(k)
    frame = renderer.frame(k)
    rgb = frame.convert("RGB")
    index = np.asarray(frame)
    rows = len(renderer.builder.products_panel.panel.kernels)
    grids = {item.name: item for item in scene.still if isinstance(item, Grid) and item.name.startswith("products:")}
    assert set(grids) == {f"products:{row}:{slot}" for row in range(rows) for slot in range(3)}
    kinds = ("window", "kernel", "cell")
    for name, grid in grids.items():
        row, slot = (int(part) for part in name.split(":")[1:])
        for u, v in np.ndindex(grid.rows, grid.cols):
            x0, y0, _, _ = grid.interior(u, v)
            assert rgb.getpixel((x0 + 2, y0 + 2)) == fills[slot], (k, name, u, v)
            if not glyphs:
                continue
            text = [t for t in scene.texts("products", row, kinds[slot], u, v)][-1]
            bbox, painted = glyph_bounds(renderer.painter, text, scene.size)
            x0, y0, x1, y1 = grid.interior(u, v)
            assert x0 <= bbox[0] and bbox[2] - 1 <= x1 and y0 <= bbox[1] and bbox[3] - 1 <= y1, (text, bbox)
            ink = renderer.painter.palette.index(text.ink)
            glyph = painted == ink
            assert glyph.any() and np.all(index[glyph] == ink), text


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", ["rgb, bias, relu", "depthwise, 2 per channel", "8 channels in 4 groups (compact)"])
def test_painter_puts_the_panel_where_the_scene_says(name: str, layout: str) -> None:
    case = CASES[name]
    # the cells' own frame, panel and all (a frame fitted to a target may write the sums out instead)
    renderer = FrameRenderer(case.layer, layout=layout, max_size=None)
    # DESIGN.md's palette: the window in the footprint's shade of the input's blue, products in the output's cyan
    fills = (shaded(BLUE), renderer.builder.colours.chip, CYAN)
    for k in (0, case.steps // 2 + 1, case.steps - 1):
        check_painted_panel(renderer, k, fills, glyphs=k == case.steps - 1)


def test_products_of_8_bit_pixels_and_weights_fit_their_cells() -> None:
    case = LayerCase(np.full((3, 3, 1), 200, np.uint8), np.full((2, 2, 1, 1), 200, np.uint8))
    renderer = FrameRenderer(case.layer)
    check_panel(case, renderer.builder, 0)  # 200 × 200 = 40000, not 40000 mod 256
    check_painted_panel(renderer, 0, (shaded(BLUE), renderer.builder.colours.chip, CYAN))


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_theme_paints_the_panel(theme: str) -> None:
    case = CASES["rgb, bias, relu"]
    renderer = FrameRenderer(case.layer, theme=theme, max_size=None)
    c = renderer.builder.colours
    check_painted_panel(renderer, 9, (c.shaded_input, c.chip, c.output), glyphs=theme == "classroom")
    check_panel(case, renderer.builder, 9)


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", PANEL_CASES)
def test_nothing_else_is_drawn_over_the_panel(name: str, layout: str) -> None:
    builder = scene_builder(CASES[name].layer, layout=layout)
    x0, y0, x1, y1 = panel_box(builder)
    assert min(x0, y0) >= 0 and x1 <= builder.size[0] and y1 <= builder.size[1]
    scene = builder.scene(CASES[name].steps - 1)
    for grid in scene.grids.values():
        corners = [apply(scene.planes[grid.plane], p) for p in grid.corners(0, 0, grid.rows, grid.cols)]
        gx0, gy0 = min(x for x, _ in corners), min(y for _, y in corners)
        gx1, gy1 = max(x for x, _ in corners), max(y for _, y in corners)
        assert gx1 <= x0 or x1 <= gx0 or gy1 <= y0 or y1 <= gy0, grid.name
    if builder.chart is not None:
        cx0, cy0, _, _ = builder.chart.box
        assert cx0 >= x1
    for item in scene.items():
        if isinstance(item, Text) and item.tag[:1] != ("products",):
            x, y = scene.place(item.plane, item.xy)
            assert not (x0 < x < x1 and y0 < y < y1), item


# -- many channels ---------------------------------------------------------------------------


def sixteen_channels(groups: int) -> LayerCase:
    rng = np.random.default_rng(16)
    return LayerCase(
        rng.integers(0, 10, (6, 6, 16)), rng.integers(-2, 3, (3, 3, 16 // groups, groups)), groups=groups, padding=1
    )


@pytest.mark.parametrize("groups", [4, 16])
def test_sixteen_channels_in_groups_show_one_row_per_channel_of_the_group(groups: int) -> None:
    case = sixteen_channels(groups)
    for layout in ("flat", "oblique"):
        builder = scene_builder(case.layer, layout=layout)
        check_panel(case, builder, case.steps - 2)
        assert builder.size[0] <= 2100 and builder.size[1] <= 3000, builder.size


def test_sixteen_channels_summed_are_written_out_without_a_panel() -> None:
    case = sixteen_channels(1)
    builder = scene_builder(case.layer)
    assert builder.products_panel is None
    assert builder.size[0] <= 2100 and builder.size[1] <= 3000, builder.size
    k = 20
    i, j, f = case.position(k)
    scene = builder.scene(k)
    assert not scene.find("products")
    for channel, (_, window, kernel, _, partial) in enumerate(expected_rows(case, k)):
        expected = f"channel {channel}: {products(window, kernel)} = {number(partial)}"
        assert same_up_to_elision(scene.text_at("arithmetic", channel), expected)


def test_no_panel_in_the_plain_look() -> None:
    for layout in ("flat", "oblique"):
        builder = scene_builder(CASES["rgb, bias, relu"].layer, numbers=False, layout=layout)
        assert builder.products_panel is None and not builder.scene(3).find("products")
