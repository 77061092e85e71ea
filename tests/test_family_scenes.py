"""What a learner reads on a transposed convolution's or a pooling's frames, read back from the scenes.

Every number is held against ``tests/reference_family.py`` (loops written from
the definitions, and PyTorch where importable): the stretched input and which of
its cells are inserted zeros or padding, the rotated kernel's weight in each tap's
chip, the outputs filled in so far, the running sums of the scatter view (a
scatter-add loop stopped after each input element), the tap a max pooling rings
(the first largest in a loop over the window) and the divisor of an average.
Expected words are written here, never taken from the package's wording.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_family import conv_transpose_loops, conv_transpose_torch, pool_loops, pool_torch, stretched_cells, torch
from test_scenes import expected_sum, number

import visualizer as vz
from visualizer.scenes import scene_builder
from visualizer.scenes.items import Box

RNG = np.random.default_rng(7)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def pairs(value, neutral: int, signal: bool) -> tuple[int, int]:
    if signal:
        return (neutral, value)
    return tuple(value) if isinstance(value, tuple) else (value, value)


class Transposed:
    """A transposed convolution and, from the references, everything its frames must show."""

    def __init__(self, image, kernel, **params):
        self.image, self.kernel, self.params = np.asarray(image), np.asarray(kernel), params
        self.signal = self.image.ndim == 1
        self.op = vz.TransposedConvolution(self.image, self.kernel, **params)
        self.k2 = self.kernel[np.newaxis] if self.signal else self.kernel
        self.x2 = self.image[np.newaxis] if self.signal else self.image
        s = self.signal
        self.stride = pairs(params.get("stride", 1), 1, s)
        self.padding = pairs(params.get("padding", 0), 0, s)
        self.extra = pairs(params.get("output_padding", 0), 0, s)
        self.dilation = pairs(params.get("dilation", 1), 1, s)
        values, kinds = stretched_cells(self.image, self.kernel.shape, **params)
        self.values = values[np.newaxis] if s else values
        self.kinds = kinds[np.newaxis] if s else kinds
        out = conv_transpose_loops(self.image, self.kernel, **params)
        self.out = out[np.newaxis] if s else out

    def partial(self, count: int) -> np.ndarray:
        out = conv_transpose_loops(self.image, self.kernel, count=count, **self.params)
        return out[np.newaxis] if self.signal else out

    def label(self, *index: int) -> str:
        return "[" + ", ".join(map(str, index[1:] if self.signal else index)) + "]"


TRANSPOSED = {
    # conv_arithmetic's padding_strides_odd_transposed: 3×3 → 6×6
    "odd": Transposed(RNG.integers(0, 10, (3, 3)), RNG.integers(0, 3, (3, 3)), stride=2, padding=1, output_padding=1),
    "uneven": Transposed(
        RNG.integers(0, 10, (3, 4)), [[1, -2, 3], [0, 4, -1]], stride=(2, 1), padding=(1, 0), output_padding=(1, 0)
    ),
    "dilated": Transposed(RNG.integers(-5, 5, (3, 3)), [[2, -1], [1, 3]], dilation=2, padding=1),
    "cropped": Transposed(RNG.integers(0, 10, (3, 3)), [[1, 2], [3, 4]], padding=2, stride=2),
    "signal": Transposed(np.arange(1, 6), [1, -2, 3], stride=2, padding=1, output_padding=1),
    "floats": Transposed(np.linspace(-1, 1, 9).reshape(3, 3), [[0.5, -0.25], [1.5, 0.125]], stride=2),
}


def test_the_references_agree_with_pytorch() -> None:
    if torch is None:
        pytest.skip("PyTorch is not installed")
    for case in TRANSPOSED.values():
        expected = conv_transpose_torch(case.image, case.kernel, **case.params)
        np.testing.assert_allclose(case.out[0] if case.signal else case.out, expected, atol=1e-9)


def read_kinds(scene, name: str) -> np.ndarray:
    """Each cell's kind as the scene draws it: hatched (inserted zero), dashed (padding), else input."""
    grid = scene.grids[name]
    kinds = np.full((grid.rows, grid.cols), "input", object)
    for item in scene.still:
        if item.tag[:2] == ("hatch", name):
            kinds[item.tag[2:]] = "zero"
    for cell in grid.dashed:
        kinds[cell] = "padding"
    return kinds


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(TRANSPOSED))
def test_direct_view_reads_back(name: str, layout: str) -> None:
    case = TRANSPOSED[name]
    builder = scene_builder(case.op, layout=layout)
    (m, n), (dr, dc) = case.k2.shape, case.dilation
    rotated = case.k2[::-1, ::-1]
    rows, cols = case.values.shape
    out_rows, out_cols = case.out.shape
    for k in range(case.op.num_steps):
        scene = builder.scene(k)
        i, j = divmod(k, out_cols)
        if k == 0:
            assert (read_kinds(scene, "input") == case.kinds).all()
            for r, c in np.ndindex(rows, cols):
                assert scene.text_at("value", "input", r, c) == number(case.values[r, c]), (r, c)
        taps = {(i + u * dr, j + v * dc): (u, v) for u in range(m) for v in range(n)}
        assert {item.tag[2:] for item in scene.find("footprint", "input")} == set(taps)
        for (r, c), (u, v) in taps.items():
            assert scene.text_at("chip", "input", r, c) == number(rotated[u, v])
            assert scene.text_at("value", "input", r, c) == number(case.values[r, c])
        for a, b in np.ndindex(out_rows, out_cols):
            texts = [t.text for t in scene.texts("value", "output", a, b)]
            assert texts[-1:] == ([number(case.out[a, b])] if (a, b) <= (i, j) else []), (k, a, b)
        window = np.array([case.values[r, c] for (r, c), _ in sorted(taps.items(), key=lambda t: t[1])])
        expected = f"out{case.label(i, j)} = " + expected_sum(window, rotated, case.out[i, j], case.out[i, j])
        line = " ".join(t.text.strip() for t in scene.texts("arithmetic"))
        if "…" in line:
            head, tail = line.split("…")
            assert expected.startswith(head.strip().rstrip("+− ")) and expected.endswith(tail.strip())
        else:
            assert line == expected, k


@pytest.mark.parametrize("name", list(TRANSPOSED))
def test_the_kernel_and_its_rotation_are_shown_lettered(name: str) -> None:
    case = TRANSPOSED[name]
    scene = scene_builder(case.op).scene(0)
    m, n = case.k2.shape
    for r, c in np.ndindex(m, n):
        assert scene.text_at("value", "kernel", r, c) == number(case.k2[r, c])
        assert scene.text_at("letter", "kernel", r, c) == LETTERS[r * n + c]
        # the rotated copy: the last weight first, and its letter with it
        assert scene.text_at("value", "rotated", r, c) == number(case.k2[m - 1 - r, n - 1 - c])
        assert scene.text_at("letter", "rotated", r, c) == LETTERS[(m - 1 - r) * n + (n - 1 - c)]
    titles = {t.tag[1]: t.text for t in scene.texts("title")}
    assert titles["kernel"] == "kernel" and titles["rotated"] == "rotated 180°"


@pytest.mark.parametrize("name", list(TRANSPOSED))
def test_header_names_the_convolution_it_transposes_and_the_formula(name: str) -> None:
    case = TRANSPOSED[name]
    header = " ".join(t.text for t in scene_builder(case.op).scene(0).texts("header"))
    assert "o = (i − 1)·S − 2P + D(M − 1) + output_padding + 1" in header
    axes = [("length", 1)] if case.signal else [("rows", 0), ("cols", 1)]
    for axis, a in axes:
        h, m = case.x2.shape[a], case.k2.shape[a]
        s, p, d, e = case.stride[a], case.padding[a], case.dilation[a], case.extra[a]
        span = f"({m} − 1)" if d == 1 else f"{d}·({m} − 1)"
        o = case.out.shape[a]
        assert f"{axis} = ({h} − 1)·{s} − 2·{p} + {span} + {e} + 1 = {o}" in header
        # the direct convolution of an o-long input with the same kernel, stride and padding gives h back
        assert (o + 2 * p - d * (m - 1) - 1) // s + 1 == h
    shape = lambda t: "×".join(map(str, t))  # noqa: E731
    twin = f"the transpose of the convolution {shape(case.op.output_shape)} → {shape(case.image.shape)}"
    assert twin in header


@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_every_frame_says_which_is_the_input_and_which_the_output(numbers: bool, layout: str) -> None:
    ops = [TRANSPOSED["odd"].op, TRANSPOSED["odd"].op.replace(view="scatter"), vz.Pooling(np.eye(4), 2)]
    for op in ops:
        builder = scene_builder(op, numbers=numbers, layout=layout)
        for k in (0, op.num_steps - 1):
            titles = {t.tag[1]: t.text for t in builder.scene(k).texts("title")}
            assert titles["input"].startswith("input") and titles["output"].startswith("output"), titles


def test_legend_names_inserted_zeros_and_padding_with_their_numbers() -> None:
    legend = {t.tag[1]: t.text for t in scene_builder(TRANSPOSED["odd"].op).scene(0).texts("legend")}
    assert legend["zero"] == "inserted zero: S − 1 = 1 between inputs"
    # 1·(3 − 1) − 1 on each side, and the output_padding row and column
    assert legend["padding"] == "padding: D(M − 1) − P = 1, and output_padding 1 more at the bottom and right"
    cropped = {t.tag[1]: t.text for t in scene_builder(TRANSPOSED["cropped"].op).scene(0).texts("legend")}
    assert "padding" not in cropped and cropped["note"].startswith("D(M − 1) − P = −1")


# -- the scatter view ----------------------------------------------------------------


def borders(case: Transposed) -> tuple[int, int]:
    """Cut-off cells before the output (P) and after it (P − output_padding, when positive), rows and cols."""
    return case.padding, tuple(max(0, p - e) for p, e in zip(case.padding, case.extra, strict=True))


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(TRANSPOSED))
def test_scatter_view_reads_back(name: str, layout: str) -> None:
    case = TRANSPOSED[name]
    op = case.op.replace(view="scatter")
    builder = scene_builder(op, layout=layout)
    (top, left), _ = borders(case)
    (m, n), (dr, dc), (sr, sc) = case.k2.shape, case.dilation, case.stride
    out_rows, out_cols = case.out.shape
    touched: set[tuple[int, int]] = set()
    for k in range(op.num_steps):
        scene = builder.scene(k)
        i, j = divmod(k, case.x2.shape[1])
        x = case.x2[i, j]
        taps = {
            (i * sr + u * dr - case.padding[0], j * sc + v * dc - case.padding[1]): (u, v)
            for u in range(m)
            for v in range(n)
        }
        inside = {t for t in taps if 0 <= t[0] < out_rows and 0 <= t[1] < out_cols}
        touched |= inside
        running = case.partial(k + 1)
        for a, b in np.ndindex(out_rows, out_cols):
            texts = [t.text for t in scene.texts("value", "output", a + top, b + left)]
            assert texts[-1:] == ([number(running[a, b])] if (a, b) in touched else []), (k, a, b)
        for (a, b), (u, v) in taps.items():
            product = number(x * case.k2[u, v])
            assert scene.text_at("chip", "output", a + top, b + left) == (
                product if product[0] == "−" else "+" + product
            )
        assert {item.tag[2:] for item in scene.find("cut", "output")} == {
            (a + top, b + left) for a, b in set(taps) - inside
        }
        assert [item.tag[2:] for item in scene.find("ring", "input")] == [(i, j)]
        line = " ".join(t.text for t in scene.texts("arithmetic"))
        index = case.label(i, j)
        if inside:
            rows, cols = sorted({a for a, _ in inside}), sorted({b for _, b in inside})
            step = lambda d, kept: f":{d}" if d > 1 and len(kept) > 1 else ""  # noqa: E731
            where = [f"{rows[0]}:{rows[-1] + 1}{step(dr, rows)}", f"{cols[0]}:{cols[-1] + 1}{step(dc, cols)}"]
            where = where[1:] if case.signal else where
            expected = f"in{index} = {number(x)}: {number(x)} × kernel added into out[{', '.join(where)}]"
            assert line.startswith(expected), line
            cut = len(taps) - len(inside)
            assert (f"({cut} of {len(taps)} cut off by the padding)" in line) == bool(cut)
        else:
            assert line.startswith(f"in{index} = {number(x)}: all of {number(x)} × kernel is cut off")
    final = case.partial(case.x2.size)
    np.testing.assert_allclose(final, case.out)


# -- pooling ---------------------------------------------------------------------------


class Pool:
    """A pooling and what its frames must show, from the loops of reference_family."""

    def __init__(self, image, size, **params):
        self.image, self.params = np.asarray(image), params
        self.signal = self.image.ndim == 1
        self.op = vz.Pooling(self.image, size, **params)
        s = self.signal
        self.size = pairs(size, 1, s)
        self.stride = pairs(params.get("stride") or size, 1, s)
        self.padding = pairs(params.get("padding", 0), 0, s)
        self.dilation = pairs(params.get("dilation", 1), 1, s)
        self.mode = params.get("mode", "max")
        out, divisors = pool_loops(self.image, size, **params)
        self.out = out[np.newaxis] if s else out
        self.divisors = divisors[np.newaxis] if s else divisors
        self.x2 = self.image[np.newaxis] if s else self.image

    def kind(self, r: int, c: int) -> str:
        """Padded cell (r, c): in the input, in the padding, or past it."""
        t = (r - self.padding[0], c - self.padding[1])
        h = self.x2.shape
        if all(0 <= t[a] < h[a] for a in (0, 1)):
            return "input"
        if all(-self.padding[a] <= t[a] < h[a] + self.padding[a] for a in (0, 1)):
            return "padding"
        return "outside"

    def taps(self, i: int, j: int) -> list[tuple[int, int]]:
        (m, n), (dr, dc), (sr, sc) = self.size, self.dilation, self.stride
        return [(i * sr + u * dr, j * sc + v * dc) for u in range(m) for v in range(n)]


POOLS = {
    "max 5, window 3, stride 1": Pool(RNG.integers(0, 10, (5, 5)), 3, stride=1),
    "max padded ceil": Pool(RNG.integers(-9, 10, (6, 6)), 3, stride=2, padding=1, ceil_mode=True),
    "max dilated": Pool(RNG.integers(0, 10, (7, 7)), 2, stride=1, dilation=2),
    "max ties": Pool(np.array([[1, 7, 7], [7, 2, 7], [0, 7, 1]]), 2, stride=1),
    "avg 5, window 3, stride 1": Pool(RNG.integers(0, 10, (5, 5)), 3, stride=1, mode="avg"),
    "avg padding counted": Pool(RNG.integers(0, 10, (5, 5)), 3, stride=2, padding=1, mode="avg"),
    "avg padding not counted, ceil": Pool(
        RNG.integers(0, 10, (6, 5)), (3, 2), stride=2, padding=1, mode="avg", count_include_pad=False, ceil_mode=True
    ),
    "signal max": Pool(np.array([3, 1, 4, 1, 5, 9, 2, 6, 5]), 3, stride=2, padding=1),
    "signal avg ceil": Pool(np.arange(8) % 5, 3, stride=2, padding=1, mode="avg", ceil_mode=True),
}


def first_largest(case: Pool, taps: list[tuple[int, int]]) -> tuple[int, int]:
    best = None
    for r, c in taps:
        if case.kind(r, c) == "input":
            value = case.x2[r - case.padding[0], c - case.padding[1]]
            if best is None or value > best[0]:
                best = (value, (r, c))
    return best[1]


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(POOLS))
def test_pooling_reads_back(name: str, layout: str) -> None:
    case = POOLS[name]
    builder = scene_builder(case.op, layout=layout)
    grid = builder.grids["input"]
    out_rows, out_cols = case.out.shape
    top, left = case.padding
    for k in range(case.op.num_steps):
        scene = builder.scene(k)
        i, j = divmod(k, out_cols)
        taps = case.taps(i, j)
        if k == 0:
            for r, c in np.ndindex(grid.rows, grid.cols):
                kind, texts = case.kind(r, c), [t.text for t in scene.texts("value", "input", r, c)][-1:]
                if kind == "input":
                    assert texts == [number(case.x2[r - top, c - left])]
                else:
                    assert texts == ([] if kind == "outside" else ["−∞" if case.mode == "max" else "0"]), (r, c)
                    assert (r, c) in grid.dashed
                crossed = {item.tag[2:] for item in scene.still if item.tag[:2] == ("cross", "input")}
                assert ((r, c) in crossed) == (kind == "outside")
        assert {item.tag[2:] for item in scene.find("footprint", "input")} == set(taps)
        for a, b in np.ndindex(out_rows, out_cols):
            texts = [t.text for t in scene.texts("value", "output", a, b)]
            assert texts[-1:] == ([number(case.out[a, b])] if (a, b) <= (i, j) else []), (k, a, b)
        line = " ".join(t.text for t in scene.texts("arithmetic"))
        label = "out" + ("[" + ", ".join(map(str, (j,) if case.signal else (i, j))) + "]")
        values = {t: case.x2[t[0] - top, t[1] - left] for t in taps if case.kind(*t) == "input"}
        if case.mode == "max":
            winner = first_largest(case, taps)
            assert [item.tag[2:] for item in scene.find("winner", "input")] == [winner]
            terms = [number(values[t]) if t in values else "−∞" for t in taps if case.kind(*t) != "outside"]
            assert line == f"{label} = max({', '.join(terms)}) = {number(case.out[i, j])}"
        else:
            counted = case.params.get("count_include_pad", True)
            terms = [
                number(values[t]) if t in values else "0"
                for t in taps
                if case.kind(*t) == "input" or (counted and case.kind(*t) == "padding")
            ]
            assert len(terms) == case.divisors[i, j]
            total = sum(values.values())
            n = case.divisors[i, j]
            assert line == f"{label} = ({' + '.join(terms)}) / {n} = {number(total)} / {n} = {number(case.out[i, j])}"
            uncounted = {item.tag[2:] for item in scene.find("uncounted", "input")}
            assert uncounted == ({t for t in taps if case.kind(*t) == "padding"} if not counted else set())


def test_max_pooling_rings_the_tap_pytorch_returns() -> None:
    if torch is None:
        pytest.skip("PyTorch is not installed")
    for name, case in POOLS.items():
        if case.mode != "max":
            continue
        out, where = pool_torch(case.image, case.size[1] if case.signal else case.size, **case.params)
        where = where[np.newaxis] if case.signal else where
        builder = scene_builder(case.op)
        width = case.x2.shape[1]
        for k in range(case.op.num_steps):
            i, j = divmod(k, case.out.shape[1])
            r, c = divmod(int(where[i, j]), width)
            ringed = [item.tag[2:] for item in builder.scene(k).find("winner", "input")]
            assert ringed == [(r + case.padding[0], c + case.padding[1])], (name, k)


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 2),
    padding=st.integers(0, 2),
    extra=st.integers(0, 2),
    layout=st.sampled_from(["flat", "oblique"]),
    data=st.data(),
)
def test_any_transposed_step_reads_back(shape, kernel, stride, dilation, padding, extra, layout, data) -> None:
    extra = min(extra, max(stride, dilation) - 1)  # PyTorch's rule: output_padding < stride or dilation
    span = dilation * (kernel[0] - 1), dilation * (kernel[1] - 1)
    if any((h - 1) * stride + s + extra + 1 - 2 * padding < 1 for h, s in zip(shape, span, strict=True)):
        return  # the padding would crop every output
    image = np.arange(shape[0] * shape[1]).reshape(shape) % 7 + 1
    weights = (np.arange(kernel[0] * kernel[1]).reshape(kernel) % 5) - 2
    case = Transposed(image, weights, stride=stride, padding=padding, output_padding=extra, dilation=dilation)
    for op in (case.op, case.op.replace(view="scatter")):
        k = data.draw(st.integers(0, op.num_steps - 1))
        scene = scene_builder(op, layout=layout).scene(k)
        if op.view == "direct":
            i, j = divmod(k, case.out.shape[1])
            assert scene.text_at("value", "output", i, j) == number(case.out[i, j])
            assert (read_kinds(scene, "input") == case.kinds).all()
        else:
            (top, left), _ = borders(case)
            running = case.partial(k + 1)
            shown = {item.tag[2:]: item.text for item in scene.texts("value", "output")}  # the last drawn is seen
            for (r, c), text in shown.items():
                assert text == number(running[r - top, c - left])


@pytest.mark.parametrize("layout", ["flat", "oblique"])
def test_a_running_sum_hides_the_one_before_it(layout: str) -> None:
    """A cell's new sum is drawn over a fresh fill, never over the old number (both would show)."""
    op = TRANSPOSED["odd"].op.replace(view="scatter")
    scene = scene_builder(op, layout=layout).scene(op.num_steps - 1)
    fresh: dict[tuple, bool] = {}
    for item in scene.items():
        if item.tag[:2] == ("value", "output"):
            assert fresh.get(item.tag[2:], True), item.tag
            fresh[item.tag[2:]] = False
        elif isinstance(item, Box) and item.fill is not None and item.tag[1:2] == ("output",) and len(item.tag) == 4:
            fresh[item.tag[2:]] = True
    assert len(fresh) == op.output_shape[0] * op.output_shape[1]


def test_direct_view_shows_window_rotated_kernel_and_products() -> None:
    """The products panel under a transposed convolution: window ⊙ the rotated kernel = products, Σ."""
    rng = np.random.default_rng(5)
    image, kernel = rng.integers(-3, 4, (3, 4)), rng.integers(-2, 3, (2, 3))
    op = vz.TransposedConvolution(image, kernel, stride=2, padding=1)
    builder = scene_builder(op)
    rotated = kernel[::-1, ::-1]
    expected = conv_transpose_loops(image, kernel, stride=2, padding=1)
    stretched, _ = stretched_cells(image, kernel.shape, stride=2, padding=1)
    for k in (0, 5, op.num_steps - 1):
        scene = builder.scene(k)
        i, j = divmod(k, op.output_shape[1])
        window = stretched[i : i + 2, j : j + 3]
        for (u, v), w in np.ndenumerate(rotated):
            assert scene.text_at("products", 0, "kernel", u, v) == str(w).replace("-", "−")
            assert scene.text_at("products", 0, "window", u, v) == str(window[u, v]).replace("-", "−")
            assert scene.text_at("products", 0, "cell", u, v) == str(window[u, v] * w).replace("-", "−")
        assert scene.text_at("products", 0, "sum") == f"Σ = {expected[i, j]}".replace("-", "−")
        assert scene.text_at("products", 0, "title", 1) == "kernel, rotated 180°"
