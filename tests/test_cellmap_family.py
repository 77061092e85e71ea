"""Every operation's cell map joins the cells its geometry says, each step to what it reads and writes.

The expected cells are solved here from each operation's definition (DESIGN.md's
formulas), not read from the scenes; where a window's values can be read back,
they are also checked against the operation's own result (a mean over the window
is the average pool, a weighted sum is the layer's pre-activation).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution
from visualizer.render.cellmap import cell_map
from visualizer.render.frame import FrameRenderer

Cells = set[tuple[str, int, int]]


def joined(op, **style) -> tuple[dict, list[tuple[Cells, Cells]]]:
    """The map and, per step, the (grid name, row, col) cells it reads and writes, every block expanded."""
    cells = cell_map(FrameRenderer(op, **style))
    names = [g["name"] for g in cells["grids"]]
    steps = []
    for sides in cells["links"]:
        expanded = []
        for blocks in sides:
            found = set()
            for g, r0, c0, rows, cols, dr, dc in blocks:
                grid = cells["grids"][g]
                for u in range(rows):
                    for v in range(cols):
                        r, c = r0 + u * dr, c0 + v * dc
                        assert 0 <= r < grid["rows"] and 0 <= c < grid["cols"], (names[g], r, c)
                        found.add((names[g], r, c))
            expanded.append(found)
        steps.append(tuple(expanded))
    assert len(steps) == op.num_steps
    return cells, steps


def on(names, cells) -> Cells:
    return {(name, r, c) for name in names for r, c in cells}


def window(origin, size, dilation) -> set[tuple[int, int]]:
    """Cells under an M×N window whose top-left tap is ``origin``, taps ``dilation`` apart."""
    return {(origin[0] + u * dilation[0], origin[1] + v * dilation[1]) for u in range(size[0]) for v in range(size[1])}


# -- convolution: 2-D, colour, 1-D ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "kernel", "geometry"),
    [
        (np.arange(42).reshape(6, 7), np.ones((3, 2)), {"stride": (2, 1), "dilation": (1, 2), "padding": 1}),
        (np.arange(75).reshape(5, 5, 3) % 9, np.ones((3, 3)), {"padding": "same"}),
    ],
)
def test_convolution_steps_read_their_window_and_write_their_cell(image, kernel, geometry):
    conv = Convolution(image, kernel, **geometry)
    cells, steps = joined(conv)
    colour = image.ndim == 3
    inputs = [f"input:{c}" for c in range(3)] if colour else ["input"]
    outputs = [f"output:{c}" for c in range(3)] + ["combined"] if colour else ["output"]
    stride, dilation = np.broadcast_to(geometry.get("stride", 1), 2), np.broadcast_to(geometry.get("dilation", 1), 2)
    top, left = conv.pads[0], conv.pads[2]
    for k, (reads, writes) in enumerate(steps):
        i, j = divmod(k, conv.output_shape[1])
        assert reads == on(inputs, window((i * stride[0], j * stride[1]), kernel.shape, dilation))
        assert writes == on(outputs, {(i, j)})
        # the window's values, weighted, give the output (padding is zeros; unpadded cells are the image's)
        padded = np.pad(image if colour else image[..., None], ((top, conv.pads[1]), (left, conv.pads[3]), (0, 0)))
        rows = sorted({r for _, r, _ in reads})
        cols = sorted({c for _, _, c in reads})
        block = padded[np.ix_(rows, cols)]
        expected = (block * kernel[..., None]).sum(axis=(0, 1))
        assert np.allclose(expected, np.reshape(conv.result()[i, j], -1))
    assert cells["named_by"] == 1


@settings(max_examples=25, deadline=None)
@given(
    width=st.integers(3, 9),
    taps=st.integers(1, 3),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 2),
    padding=st.integers(0, 2),
)
def test_a_signal_s_steps_read_their_window_on_its_one_row(width, taps, stride, dilation, padding):
    signal = np.arange(width) % 4
    if (taps - 1) * dilation + 1 > width + 2 * padding:
        return
    conv = Convolution(signal, np.arange(1, taps + 1), stride=stride, dilation=dilation, padding=padding)
    _, steps = joined(conv, numbers=False)
    for j, (reads, writes) in enumerate(steps):
        assert reads == {("input", 0, j * stride + v * dilation) for v in range(taps)}
        assert writes == {("output", 0, j)}
        values = np.pad(signal, padding)[[c for _, _, c in sorted(reads)]]
        assert np.isclose(values @ np.arange(1, taps + 1), conv.result()[j])


# -- transposed convolution: both views ----------------------------------------------------------------

TRANSPOSED = {
    "stride 2, padding 1": ((2, 2), (3, 3), {"stride": 2, "padding": 1}),
    "uneven, dilated, output padding": (
        (2, 3),
        (3, 2),
        {"stride": (2, 3), "padding": (1, 0), "output_padding": (1, 0), "dilation": (1, 2)},
    ),
}


def contributes(a: int, i: int, stride: int, padding: int, dilation: int, taps: int) -> bool:
    """Input index ``a`` adds into output index ``i``: a·S − P + u·D = i for some tap u (PyTorch's definition)."""
    return any(a * stride - padding + u * dilation == i for u in range(taps))


def geometry_pairs(geometry: dict) -> list[tuple[int, int]]:
    """Stride, padding and dilation as (rows, cols) pairs."""
    return [pair(geometry.get(key), default) for key, default in (("stride", 1), ("padding", 0), ("dilation", 1))]


def pair(value, default):
    return tuple(np.broadcast_to(value if value is not None else default, 2).tolist())


@pytest.mark.parametrize("name", TRANSPOSED)
def test_transposed_direct_windows_hold_the_inputs_that_add_into_their_output(name):
    shape, kernel_shape, geometry = TRANSPOSED[name]
    op = TransposedConvolution(np.arange(1, 1 + np.prod(shape)).reshape(shape), np.ones(kernel_shape), **geometry)
    _, steps = joined(op)
    (sr, sc), (pr, pc), (dr, dc) = geometry_pairs(geometry)
    (m, n), (out_h, out_w) = kernel_shape, op.output_shape
    # where input (a, b) lands on the stretched, padded input: S apart, after a lead of D(M − 1) − P
    lead = (dr * (m - 1) - pr, dc * (n - 1) - pc)
    lands = {(a * sr + lead[0], b * sc + lead[1]): (a, b) for a in range(shape[0]) for b in range(shape[1])}
    for k, (reads, writes) in enumerate(steps):
        i, j = divmod(k, out_w)
        assert writes == {("output", i, j)} and len(reads) == m * n
        assert {name for name, _, _ in reads} == {"input"}
        read_inputs = {lands[r, c] for _, r, c in reads if (r, c) in lands}
        expected = {
            (a, b)
            for a in range(shape[0])
            for b in range(shape[1])
            if contributes(a, i, sr, pr, dr, m) and contributes(b, j, sc, pc, dc, n)
        }
        assert read_inputs == expected, (i, j)
    assert out_h * out_w == len(steps)


@pytest.mark.parametrize("name", TRANSPOSED)
def test_transposed_scatter_steps_write_the_patch_of_their_input_element(name):
    shape, kernel_shape, geometry = TRANSPOSED[name]
    op = TransposedConvolution(np.ones(shape), np.ones(kernel_shape), view="scatter", **geometry)
    cells, steps = joined(op)
    (sr, sc), (pr, pc), (dr, dc) = geometry_pairs(geometry)
    out_h, out_w = op.output_shape
    for k, (reads, writes) in enumerate(steps):
        a, b = divmod(k, shape[1])
        assert reads == {("input", a, b)}
        # drawn on the uncropped canvas: the output starts P cells in
        expected = {
            ("output", i + pr, j + pc)
            for i in range(out_h)
            for j in range(out_w)
            if contributes(a, i, sr, pr, dr, kernel_shape[0]) and contributes(b, j, sc, pc, dc, kernel_shape[1])
        }
        assert writes == expected, (a, b)
    assert cells["named_by"] == 0  # a click on an input element jumps to its step


# -- pooling ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "geometry",
    [
        {"size": 2, "mode": "avg"},
        {"size": (3, 2), "stride": (2, 1), "padding": 1, "dilation": (1, 2), "mode": "max"},
        {"size": 2, "stride": 2, "padding": 1, "ceil_mode": True, "mode": "max"},
    ],
)
def test_pooling_steps_read_their_window_and_it_gives_the_pool(geometry):
    image = np.random.default_rng(3).random((5, 6))
    op = Pooling(image, **geometry)
    _, steps = joined(op)
    size, stride = pair(geometry["size"], 1), pair(geometry.get("stride"), geometry["size"])
    padding, dilation = pair(geometry.get("padding"), 0), pair(geometry.get("dilation"), 1)
    # padding never wins a max and counts as zero in this average; ceil_mode's last window may pass the end
    fill = -np.inf if geometry["mode"] == "max" else 0
    padded = np.pad(image, [(padding[0], padding[0] + 2), (padding[1], padding[1] + 2)], constant_values=fill)
    pool = np.max if geometry["mode"] == "max" else np.mean
    for k, (reads, writes) in enumerate(steps):
        i, j = divmod(k, op.output_shape[1])
        assert writes == {("output", i, j)}
        assert reads == on(["input"], window((i * stride[0], j * stride[1]), size, dilation))
        assert np.isclose(pool([padded[r, c] for _, r, c in reads]), op.result()[i, j])


def test_colour_max_pooling_reads_every_channel_s_window():
    op = Pooling(np.arange(48).reshape(4, 4, 3), size=2)
    _, steps = joined(op)
    for k, (reads, writes) in enumerate(steps):
        i, j = divmod(k, 2)
        assert reads == on([f"input:{c}" for c in range(3)], window((2 * i, 2 * j), (2, 2), (1, 1)))
        assert writes == on([f"output:{c}" for c in range(3)], {(i, j)})


# -- a layer ---------------------------------------------------------------------------------------------


def group_of(k: int, out_channels: int, in_channels: int, groups: int) -> range:
    """The input channels filter ``k`` reads: its group's, C_in / groups of them."""
    per_out, per_in = out_channels // groups, in_channels // groups
    g = k // per_out
    return range(g * per_in, (g + 1) * per_in)


def test_layer_steps_read_every_channel_of_their_group_and_write_their_filter_s_map():
    rng = np.random.default_rng(5)
    image, weights = rng.integers(-3, 4, (5, 6, 4)), rng.integers(-2, 3, (3, 2, 2, 4))
    layer = ConvLayer(image, weights, bias=[1, -1, 2, 0], stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
    _, steps = joined(layer)
    out_h, out_w = layer.output_shape[:2]
    padded = np.pad(image, ((1, 1), (1, 1), (0, 0)))
    for index, (reads, writes) in enumerate(steps):
        k, rest = divmod(index, out_h * out_w)  # filter by filter, then row-major
        i, j = divmod(rest, out_w)
        group = group_of(k, 4, 4, 2)
        assert writes == {(f"output:{k}", i, j)}
        assert reads == on([f"input:{c}" for c in group], window((2 * i, j), (3, 2), (1, 2)))
        total = sum(
            padded[r, c, channel] * weights[u, v, channel - group.start, k]
            for channel in group
            for u, r in enumerate(sorted({r for name, r, _ in reads if name == f"input:{channel}"}))
            for v, c in enumerate(sorted({c for name, _, c in reads if name == f"input:{channel}"}))
        )
        assert total + [1, -1, 2, 0][k] == layer.pre_activation()[i, j, k]


def test_a_layer_s_shared_panels_are_paged_by_group_and_filter():
    # 6 channels in 3 groups: the two slots show the current group; 10 filters: one full panel shows the current one
    layer = ConvLayer(np.zeros((4, 4, 6)), np.ones((3, 3, 2, 12)), groups=3)
    cells, steps = joined(layer, numbers=False)
    pages = {g["name"]: g.get("pages") for g in cells["grids"]}
    per_filter = 2 * 2
    for index, (reads, writes) in enumerate(steps):
        k, rest = divmod(index, per_filter)
        i, j = divmod(rest, 2)
        group = group_of(k, 12, 6, 3)
        assert pages["input:0"][index] == pages["input:1"][index] == k // 4
        assert pages["output"][index] == k and pages[f"channel:{group.start}"] is None
        assert writes == {("output", i, j), (f"map:{k}", i, j)}
        assert reads == on(["input:0", "input:1"] + [f"channel:{c}" for c in group], window((i, j), (3, 3), (1, 1)))
