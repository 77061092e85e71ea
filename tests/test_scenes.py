"""What a learner reads, read back: every number, weight, sum, label and mark of a step's scene.

Expected values come from SciPy and NumPy through ``tests/reference.py`` (the
padded input, the result, the clamp) and from strings written here, never from
the package's own wording functions. A second set of tests checks that the
raster painter puts each text where its scene says: the text painted alone must
land inside its cell, and the frame must show the same pixels there.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image
from reference import clamp, correlate_scipy, pad_image, reference_output_shape, reference_pads

import visualizer as vz
from visualizer.render.frame import FrameRenderer
from visualizer.scenes import scene_builder
from visualizer.scenes.items import Box, Font, Line, Polygon, Scene, Text, apply


def number(value) -> str:
    """How a value is written on a frame: whole numbers without a point, 3 significant figures, true minus."""
    x = float(value)
    if x == int(x):
        text = str(int(x))
    elif abs(x) >= 100:
        text = f"{x:.0f}"
    else:
        text = f"{x:.1f}" if abs(x) >= 10 else f"{x:.3g}"
        text = text[:-2] if text.endswith(".0") else text
    return text.replace("-", "−")


def expected_sum(window: np.ndarray, kernel: np.ndarray, value, clipped) -> str:
    """The arithmetic line as the lesson writes it: w×x terms joined by + or −, then = sum (→ clamped)."""
    parts = []
    for w, x in zip(kernel.ravel(), window.ravel(), strict=True):
        pixel = number(x)
        pixel = f"({pixel})" if pixel.startswith("−") else pixel
        weight = number(w)
        if weight.startswith("−"):
            parts.append(("−", f"{weight[1:]}×{pixel}"))
        else:
            parts.append(("+", f"{weight}×{pixel}"))
    line = ("−" if parts[0][0] == "−" else "") + parts[0][1]
    line += "".join(f" {sign} {term}" for sign, term in parts[1:])
    line += f" = {number(value)}"
    if number(value) != number(clipped):
        line += f" → {number(clipped)}"
    return line


class Case:
    """A convolution and everything expected of its frames, computed independently."""

    def __init__(self, image, kernel, **params):
        self.image, self.kernel, self.params = np.asarray(image), np.asarray(kernel), params
        self.conv = vz.Convolution(image, kernel, **params)
        stride = params.get("stride", 1)
        dilation = params.get("dilation", 1)
        padding = params.get("padding", "valid")
        self.stride = (stride, stride) if np.isscalar(stride) else tuple(stride)
        self.dilation = (dilation, dilation) if np.isscalar(dilation) else tuple(dilation)
        self.pads = reference_pads(self.image.shape[:2], self.kernel.shape[:2], stride, padding, dilation)
        self.padded = pad_image(self.image, self.pads, params.get("pad_mode", "zeros"))
        raw = correlate_scipy(self.image, self.kernel, stride, padding, params.get("pad_mode", "zeros"), dilation)
        self.raw = raw
        self.result = clamp(raw, params.get("clip"), self.image.dtype)
        self.out_shape = reference_output_shape(self.image.shape[:2], self.kernel.shape[:2], stride, padding, dilation)

    def origin(self, k: int) -> tuple[int, int]:
        i, j = divmod(k, self.out_shape[1])
        return (i * self.stride[0], j * self.stride[1])

    def taps(self, k: int) -> dict[tuple[int, int], tuple[int, int]]:
        """(row, col) in the padded input -> (u, v) in the kernel."""
        r0, c0 = self.origin(k)
        m, n = self.kernel.shape[:2]
        return {(r0 + u * self.dilation[0], c0 + v * self.dilation[1]): (u, v) for u in range(m) for v in range(n)}


CASES = {
    "valid 4x4": Case([[3, 3, 2, 1], [0, 0, 1, 3], [3, 1, 2, 2], [2, 0, 0, 2]], [[0, 1, 2], [2, 2, 0], [0, 1, 2]]),
    # not square, not symmetric: a transposed or mirrored number cannot hide
    "uneven": Case(
        np.arange(20).reshape(4, 5) % 7,
        [[1, -2, 3], [0, 4, -1]],
        stride=(1, 2),
        padding=((1, 0), (2, 1)),
        pad_mode="reflect",
    ),
    "clamped uint8": Case(
        np.array([[200, 10, 250, 0], [30, 255, 60, 90], [120, 5, 250, 40]], np.uint8),
        [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
        padding="same",
        pad_mode="replicate",
        clip="auto",
    ),
    "dilated floats": Case(np.linspace(-1, 1, 49).reshape(7, 7), [[0.5, -0.25], [1.5, 0.125]], dilation=(2, 3)),
}


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(CASES))
def test_every_number_of_every_step_reads_back(name: str, layout: str) -> None:
    case = CASES[name]
    builder = scene_builder(case.conv, layout=layout)
    rows, cols = case.padded.shape[:2]
    for k in range(case.conv.num_steps):
        scene = builder.scene(k)
        taps = case.taps(k)
        i, j = divmod(k, case.out_shape[1])
        # every input cell shows its padded value; the last text drawn on a cell is the one seen
        for r, c in np.ndindex(rows, cols):
            assert scene.text_at("value", "input", r, c) == number(case.padded[r, c]), (k, r, c)
        # the footprint is shaded exactly on the taps, and each tap's chip holds its own weight
        shaded = {item.tag[2:] for item in scene.find("footprint", "input")}
        assert shaded == set(taps), k
        for (r, c), (u, v) in taps.items():
            assert scene.text_at("chip", "input", r, c) == number(case.kernel[u, v]), (k, r, c)
        # outputs up to this step are written, clamped; later ones are not yet
        for a, b in np.ndindex(*case.out_shape):
            texts = [t.text for t in scene.texts("value", "output", a, b)]
            if (a, b) <= (i, j):
                assert texts and texts[-1] == number(case.result[a, b]), (k, a, b)
            else:
                assert not texts, (k, a, b)
        marks = {item.tag[2:] for item in scene.find("clipped", "output")}
        # the cases clamp only with "auto" on 8-bit pixels: a mark where the raw sum leaves 0…255
        clip = case.params.get("clip")
        clipped = np.zeros(case.out_shape, bool) if clip is None else (case.raw < 0) | (case.raw > 255)
        expected_marks = {(a, b) for a, b in np.ndindex(*case.out_shape) if (a, b) <= (i, j) and np.any(clipped[a, b])}
        assert marks == expected_marks
        # the arithmetic line is this step's, not its neighbour's
        window = np.array([[case.padded[r, c] for (r, c), _ in sorted(taps.items(), key=lambda t: t[1])]])
        line = " ".join(t.text.strip() for t in scene.texts("arithmetic"))
        expected = f"out[{i}, {j}] = " + expected_sum(window, case.kernel, case.raw[i, j], case.result[i, j])
        if "…" not in line:
            assert line == expected, k
        else:  # long sums elide middle terms: the head, the tail and the total still read the same
            head, tail = line.split("…")
            assert expected.startswith(head.strip().rstrip("+− ").strip()) and expected.endswith(tail.strip())


@pytest.mark.parametrize("name", list(CASES))
def test_header_and_titles_say_the_parameters_and_the_formula(name: str) -> None:
    case = CASES[name]
    scene = scene_builder(case.conv).scene(0)
    header = " ".join(t.text for t in scene.texts("header"))
    (h, w), (m, n) = case.image.shape[:2], case.kernel.shape[:2]
    top, bottom, left, right = case.pads
    for axis, size, pads, k, d, s, out in (
        ("rows", h, top + bottom, m, case.dilation[0], case.stride[0], case.out_shape[0]),
        ("cols", w, left + right, n, case.dilation[1], case.stride[1], case.out_shape[1]),
    ):
        # the lesson's formula; with dilation the kernel's span d·(k−1) + 1 is written out
        reach = f"{k}" if d == 1 else f"{d}·({k}−1) − 1"
        assert f"{axis} = ⌊({size} + {pads} − {reach}) / {s}⌋ + 1 = {out}" in header
    assert f"input {'×'.join(map(str, case.image.shape))}" in header
    assert f"kernel {m}×{n}" in header
    titles = {t.tag[1]: t.text for t in scene.texts("title")}
    padded = case.padded.shape[:2]
    size = f"input {h}×{w}" + (f", padded to {padded[0]}×{padded[1]}" if padded != (h, w) else "")
    assert titles == {"input": size, "output": f"output {case.out_shape[0]}×{case.out_shape[1]}"}
    rows_shown = [t.text for t in scene.texts("index", "input", "row")]
    cols_shown = [t.text for t in scene.texts("index", "output", "col")]
    assert rows_shown == [str(r) for r in range(h)] and cols_shown == [str(c) for c in range(case.out_shape[1])]


def test_colour_steps_read_back_per_channel() -> None:
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (4, 5, 3)).astype(np.uint8)
    kernel = rng.integers(-2, 3, (3, 2, 3))
    case = Case(image, kernel, padding=1, clip="auto")
    builder = scene_builder(case.conv)
    names = ("red", "green", "blue")
    for k in (0, 5, case.conv.num_steps - 1):
        scene = builder.scene(k)
        i, j = divmod(k, case.out_shape[1])
        lines = [t.text for t in scene.texts("arithmetic")]
        for c in range(3):
            grid = f"input:{c}"
            for (r, col), (u, v) in case.taps(k).items():
                assert scene.text_at("chip", grid, r, col) == number(kernel[u, v, c])
                assert scene.text_at("value", grid, r, col) == number(case.padded[r, col, c])
            assert scene.text_at("value", f"output:{c}", i, j) == number(case.result[i, j, c])
            channel_lines = " ".join(t.strip() for t in lines if t.startswith(f"{names[c]} out["))
            assert channel_lines.startswith(f"{names[c]} out[{i}, {j}] = ")
            assert f"= {number(case.raw[i, j, c])}" in " ".join(lines)
        assert [item.tag[2:] for item in scene.find("current", "combined")] == [(i, j)]


def test_contact_sheet_labels_count_steps_from_one_and_name_their_output() -> None:
    case = CASES["uneven"]
    builder = scene_builder(case.conv)
    labels = [builder.step_label(k) for k in range(case.conv.num_steps)]
    rows, cols = case.out_shape
    assert labels == [f"step {k + 1}: out[{k // cols}, {k % cols}]" for k in range(rows * cols)]


# -- the painter puts the scene's text where the scene says -----------------------------------


def glyph_bounds(painter, item, size) -> tuple[tuple[int, int, int, int] | None, np.ndarray]:
    """Where ``item`` lands when painted alone, and the palette index it paints at each pixel (−1: untouched).

    Painted on two empty pictures of different values: a pixel the text paints holds the same value in both.
    """
    painted = []
    for fill in (0, 1):
        picture = Image.new("L", size, fill)
        painter.paint(picture, item)
        painted.append(np.asarray(picture).astype(int))
    touched = painted[0] == painted[1]
    indices = np.where(touched, painted[0], -1)
    if not touched.any():
        return None, indices
    ys, xs = np.nonzero(touched)
    return (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1), indices


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_painted_text_sits_inside_its_cell_and_shows_on_the_frame(layout: str) -> None:
    case = CASES["uneven"]
    renderer = FrameRenderer(case.conv, layout=layout)
    painter, builder = renderer.painter, renderer.builder
    k = 4
    scene = builder.scene(k)
    frame = np.asarray(renderer.frame(k))
    # the oblique look's lines run over the input plane, text included: their pixels are not the text's
    over = np.zeros(frame.shape, bool)
    for line in scene.find("connector"):
        over |= glyph_bounds(painter, line, scene.size)[1] >= 0
    checked = 0
    for item in scene.texts():
        if item.tag[:1] not in (("value",), ("chip",)):
            continue
        kind, grid_name, r, c = item.tag
        grid = scene.grids[grid_name]
        bbox, indices = glyph_bounds(painter, item, scene.size)
        assert bbox is not None, item
        # the cell as drawn: its interior's corners placed on the frame
        x0, y0, x1, y1 = grid.interior(r, c)
        corners = [apply(scene.planes[grid.plane], p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        left, top = min(p[0] for p in corners), min(p[1] for p in corners)
        right, bottom = max(p[0] for p in corners), max(p[1] for p in corners)
        slack = 0 if layout == "flat" else grid.cell * 0.3  # upright text on a tilted cell may lean past it
        assert left - slack <= bbox[0] and bbox[2] - 1 <= right + slack, (item, bbox)
        assert top - slack <= bbox[1] and bbox[3] - 1 <= bottom + slack, (item, bbox)
        # the frame shows the text last drawn on a cell: its solid glyph pixels are there, in its ink
        if [t for t in scene.texts() if t.tag == item.tag][-1] is item:
            ink = painter.palette.index(item.ink)
            glyph = (indices == ink) & ~over
            assert glyph.any() and np.all(frame[glyph] == ink), item
        checked += 1
    assert checked > 20


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    pads=st.tuples(*[st.integers(0, 2)] * 4),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    layout=st.sampled_from(["flat", "oblique"]),
    seed=st.integers(0, 10_000),
    data=st.data(),
)
def test_any_step_reads_back(shape, kernel, stride, dilation, pads, pad_mode, layout, seed, data) -> None:
    top, bottom, left, right = pads
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel, strict=True)]
    assume(spans[0] <= shape[0] + top + bottom and spans[1] <= shape[1] + left + right)
    assume(pad_mode != "reflect" or (max(top, bottom) < shape[0] and max(left, right) < shape[1]))
    rng = np.random.default_rng(seed)
    case = Case(
        rng.integers(-9, 10, shape),
        rng.integers(-3, 4, kernel),
        stride=stride,
        dilation=dilation,
        padding=((top, bottom), (left, right)),
        pad_mode=pad_mode,
    )
    k = data.draw(st.integers(0, case.conv.num_steps - 1))
    scene = scene_builder(case.conv, layout=layout).scene(k)
    for (r, c), (u, v) in case.taps(k).items():
        assert scene.text_at("value", "input", r, c) == number(case.padded[r, c])
        assert scene.text_at("chip", "input", r, c) == number(case.kernel[u, v])
    i, j = divmod(k, case.out_shape[1])
    assert scene.text_at("value", "output", i, j) == number(case.result[i, j])
    assert {item.tag[2:] for item in scene.find("current", "output")} == {(i, j)}


# -- the oblique look -----------------------------------------------------------------------------


def plane_outline(scene, name: str) -> list[tuple[float, float]]:
    grid = scene.grids[name]
    return [scene.place(grid.plane, p) for p in grid.corners(0, 0, grid.rows, grid.cols)]


@pytest.mark.parametrize("name", list(CASES))
def test_oblique_output_plane_sits_above_the_input_plane(name: str) -> None:
    scene = scene_builder(CASES[name].conv, layout="oblique", numbers=False).scene(0)
    output, inputs = plane_outline(scene, "output"), plane_outline(scene, "input")
    assert max(y for _, y in output) < min(y for _, y in inputs)
    # tilted as in conv_arithmetic: columns run up and right, rows down and right
    (x0, y0), (x1, y1), _, (x3, y3) = inputs
    assert x1 > x0 and y1 < y0 and x3 > x0 and y3 > y0


@pytest.mark.parametrize("name", list(CASES))
def test_oblique_lines_join_the_footprint_corners_to_the_output_cell(name: str) -> None:
    case = CASES[name]
    builder = scene_builder(case.conv, layout="oblique", numbers=False)
    for k in range(case.conv.num_steps):
        scene = builder.scene(k)
        i, j = divmod(k, case.out_shape[1])
        taps = case.taps(k)
        rows, cols = [t[0] for t in taps], [t[1] for t in taps]
        inputs, outputs = scene.grids["input"], scene.grids["output"]
        low = [scene.place(inputs.plane, p) for p in inputs.corners(min(rows), min(cols), max(rows) + 1, max(cols) + 1)]
        high = [scene.place(outputs.plane, p) for p in outputs.corners(i, j, i + 1, j + 1)]
        lines = sorted(scene.find("connector"), key=lambda item: item.tag)
        assert len(lines) == 4
        cover = plane_outline(scene, "output")
        for line, start, end in zip(lines, low, high, strict=True):
            assert isinstance(line, Line)
            (ax, ay), (bx, by) = line.points
            assert (ax, ay) == pytest.approx(start, abs=1e-6)
            # it heads for the output cell's corner and stops there or where the output plane hides it
            cross = (bx - ax) * (end[1] - ay) - (by - ay) * (end[0] - ax)
            assert abs(cross) < 1e-6 * max(1.0, abs(end[0] - ax) + abs(end[1] - ay)) ** 2
            assert (bx, by) == pytest.approx(end, abs=1e-6) or on_outline((bx, by), cover)
            # and no part of it runs over the (opaque) output plane
            for t in np.linspace(0, 0.98, 50):
                point = (ax + t * (bx - ax), ay + t * (by - ay))
                assert not strictly_inside(point, cover), (k, line.tag, t)


def strictly_inside(point, polygon, margin: float = 0.5) -> bool:
    """Inside a convex polygon by more than ``margin`` pixels from every edge."""
    px, py = point
    signs = []
    for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
        signs.append(cross / np.hypot(bx - ax, by - ay))
    return all(d > margin for d in signs) or all(d < -margin for d in signs)


def on_outline(point, polygon) -> bool:
    px, py = point
    for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
        length = np.hypot(bx - ax, by - ay)
        inside = min(ax, bx) - 1e-6 <= px <= max(ax, bx) + 1e-6 and min(ay, by) - 1e-6 <= py <= max(ay, by) + 1e-6
        if abs(cross) / length < 1e-6 and inside:
            return True
    return False


def test_oblique_output_plane_is_complete_with_the_current_cell_darkened() -> None:
    case = CASES["valid 4x4"]
    renderer = FrameRenderer(case.conv, layout="oblique", numbers=False)
    theme = renderer.builder.colours
    frame = renderer.frame(1).convert("RGB")
    for a, b in np.ndindex(*case.out_shape):
        x0, y0, _, _ = renderer.cell_box("output", a, b)
        expected = theme.shaded_output if (a, b) == (0, 1) else theme.output
        assert frame.getpixel((x0 + 2, y0 + 2)) == expected


def test_scene_items_are_plain_data() -> None:
    scene = scene_builder(CASES["uneven"].conv).scene(2)
    kinds = {type(item) for item in scene.items()}
    assert kinds <= {Box, Text, Polygon, Line, type(scene.grids["input"])}
    assert all(isinstance(t.text, str) for t in scene.texts())


# -- the products panel: window ⊙ kernel = products, Σ ------------------------------------------


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(CASES))
def test_products_panel_shows_this_steps_window_kernel_products_and_sum(name: str, layout: str) -> None:
    case = CASES[name]
    renderer = FrameRenderer(case.conv, layout=layout)
    colours = renderer.builder.colours
    m, n = case.kernel.shape
    for k in sorted({0, 1, case.conv.num_steps - 1}):
        scene = renderer.scene(k)
        i, j = divmod(k, case.out_shape[1])
        window = np.empty((m, n), case.padded.dtype)
        for (r, c), (u, v) in case.taps(k).items():
            window[u, v] = case.padded[r, c]
        products = window * case.kernel
        for (u, v), value in np.ndenumerate(window):
            assert scene.text_at("products", 0, "window", u, v) == number(value)
            assert scene.text_at("products", 0, "kernel", u, v) == number(case.kernel[u, v])
            assert scene.text_at("products", 0, "cell", u, v) == number(products[u, v])
        total = f"Σ = {number(case.raw[i, j])}"
        if number(case.raw[i, j]) != number(case.result[i, j]):
            total += f" → {number(case.result[i, j])}"
        assert scene.text_at("products", 0, "sum") == total
        # and on the frame: window cells in the footprint's shade, products in the output's colour
        frame = renderer.frame(k).convert("RGB")
        for slot, fill in ((0, colours.shaded_input), (1, colours.chip), (2, colours.output)):
            grid = next(item for item in scene.still if getattr(item, "name", "") == f"products:0:{slot}")
            for u, v in np.ndindex(m, n):
                x0, y0, _, _ = grid.interior(u, v)
                assert frame.getpixel((x0 + 2, y0 + 2)) == fill, (k, slot, u, v)


def test_products_panel_shows_the_flipped_kernel_and_the_callers_for_a_true_convolution() -> None:
    kernel = np.array([[1, 2, 3], [4, 5, 6]])
    scene = scene_builder(vz.Convolution(np.arange(12).reshape(3, 4), kernel, flip_kernel=True)).scene(0)
    for (u, v), w in np.ndenumerate(kernel):
        assert scene.text_at("products", 0, "given", u, v) == str(w)
        assert scene.text_at("products", 0, "kernel", u, v) == str(kernel[::-1, ::-1][u, v])
    assert scene.text_at("products", 0, "title", 1) == "kernel, flipped"


def test_products_of_8_bit_pixels_and_weights_fit_their_cells() -> None:
    image, kernel = np.full((3, 3), 200, np.uint8), np.full((2, 2), 200, np.uint8)
    renderer = FrameRenderer(vz.Convolution(image, kernel))
    scene = renderer.scene(0)
    assert [t.text for t in scene.texts("products", 0, "cell")] == ["40000"] * 4
    for text in scene.texts("products", 0, "cell"):
        bbox, _ = glyph_bounds(renderer.painter, text, scene.size)
        x0, y0, x1, y1 = next(item for item in scene.still if getattr(item, "name", "") == "products:0:2").interior(
            *text.tag[-2:]
        )
        assert x0 <= bbox[0] and bbox[2] - 1 <= x1 and y0 <= bbox[1] and bbox[3] - 1 <= y1, (text, bbox)


def test_no_products_panel_in_the_plain_look() -> None:
    scene = scene_builder(CASES["valid 4x4"].conv, numbers=False).scene(0)
    assert not scene.find("products")


# -- cells shaded by value ------------------------------------------------------------------------


def brightness(colour) -> float:
    r, g, b = colour
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_shaded_cells_grow_lighter_with_their_values(layout: str) -> None:
    image = np.array([[0, 40, 80, 120], [160, 200, 240, 255], [30, 90, 150, 210]], np.uint8)
    conv = vz.Convolution(image, vz.KERNELS["sobel_x"], padding="same")
    renderer = FrameRenderer(conv, shade="values", layout=layout)
    frame = renderer.frame(0).convert("RGB")
    rows, cols = image.shape
    taps = {(r, c) for r in range(3) for c in range(3)}  # step 0's footprint, in padded coordinates: shaded
    cells = [(r, c) for r, c in np.ndindex(rows, cols) if (r + 1, c + 1) not in taps]
    pairs = sorted((int(image[r, c]), sample_cell(frame, renderer, "input", r + 1, c + 1)) for r, c in cells)
    shades = [brightness(colour) for _, colour in pairs]
    assert shades == sorted(shades) and shades[0] < 40 and shades[-1] > 215
    # signed outputs diverge around zero: blue below, white at zero, orange above, deeper with the size
    raw = correlate_scipy(image, vz.KERNELS["sobel_x"], 1, "same")
    last = renderer.frame(-1).convert("RGB")
    for (i, j), value in np.ndenumerate(raw):
        r, g, b = sample_cell(last, renderer, "output", i, j)
        if value < 0:
            assert b > r, (value, (r, g, b))
        elif value > 0:
            assert r > b, (value, (r, g, b))
    negatives = sorted(
        (v, brightness(sample_cell(last, renderer, "output", i, j))) for (i, j), v in np.ndenumerate(raw) if v < 0
    )
    assert [s for _, s in negatives] == sorted(s for _, s in negatives)  # more negative, darker


def sample_cell(frame, renderer, area: str, r: int, c: int):
    x0, y0, _, _ = renderer.cell_box(area, r, c)
    patch = [frame.getpixel((x, y)) for x in range(x0, x0 + 5) for y in range(y0, y0 + 5)]
    return max(set(patch), key=patch.count)


def test_shaded_numbers_switch_ink_to_stay_readable() -> None:
    image = np.array([[0, 255], [255, 0]], np.uint8)
    scene = scene_builder(vz.Convolution(image, [[1]]), shade="values").scene(0)
    inks = {scene.text_at("value", "input", r, c): None for r, c in np.ndindex(2, 2)}
    dark_cell = next(t for t in scene.texts("value", "input", 0, 0))
    light_cell = next(t for t in scene.texts("value", "input", 0, 1))
    assert brightness(dark_cell.ink) > 128 > brightness(light_cell.ink)
    assert inks


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_a_signal_is_drawn_as_one_row(layout: str) -> None:
    signal, kernel = np.array([3, 1, 4, 1, 5, 9, 2, 6]), np.array([1, 0, -1])
    conv = vz.Convolution(signal, kernel, padding="full")
    expected = np.correlate(signal, kernel, "full")  # NumPy's own full correlation
    renderer = FrameRenderer(conv, layout=layout)
    last = renderer.scene(-1)
    assert [last.text_at("value", "output", 0, j) for j in range(len(expected))] == [number(v) for v in expected]
    padded = np.pad(signal, 2)
    for j in (0, 4, len(expected) - 1):
        scene = renderer.scene(j)
        assert [scene.text_at("chip", "input", 0, j + v) for v in range(3)] == [number(w) for w in kernel]
        assert [scene.text_at("value", "input", 0, j + v) for v in range(3)] == [number(x) for x in padded[j : j + 3]]
        assert renderer.frame(j).size == renderer.size


def test_a_scenes_text_is_found_by_its_tag_the_last_drawn_on_top():
    def text(word: str, *tag: object) -> Text:
        return Text((0, 0), word, Font(12), (0, 0, 0), (255, 255, 255), tag=tag)

    scene = Scene(
        0,
        (10, 10),
        (255, 255, 255),
        (),
        still=(text("1", "value", "input", 0, 0), text("2", "value", "input", 0, 1)),
        revealed=(Line(((0, 0), (1, 1)), (0, 0, 0), tag=("value", "input", 0, 0)),),
        moving=(text("9", "value", "input", 0, 0), text("Σ", "sum")),
    )
    # drawn later, on top: the moving 9 covers the still 1 in the picture, and in the read-back
    assert scene.text_at("value", "input", 0, 0) == "9"
    assert [t.text for t in scene.texts("value", "input")] == ["1", "2", "9"]
    assert [t.text for t in scene.texts()] == ["1", "2", "9", "Σ"]
    assert scene.texts("value", "output") == [] and len(scene.find("value", "input", 0, 0)) == 3
    with pytest.raises(KeyError, match="no text tagged"):
        scene.text_at("value", "input")  # a prefix is not a tag
