"""A layer's step read back from its scene: every number a learner reads, held to SciPy (and PyTorch).

Window values, the weights in the chips and in the kernel slices, each channel's
partial sum and, when a filter sums more channels than the products panel shows,
its products written out; the sum plus the bias, the activation, the outputs filled in up to
the step; the header's kind and formula; the compact forms; the captions.
Expected values come from ``layer_cases`` (SciPy, written independently).
"""

from __future__ import annotations

import numpy as np
import pytest
from layer_cases import CASES, LayerCase, added, number, products, same_up_to_elision
from reference_layer import layer_torch

import visualizer as vz
from visualizer.scenes import scene_builder
from visualizer.scenes.items import Text
from visualizer.scenes.layer import LayerScene


def slot_of(case: LayerCase, builder, channel: int) -> int:
    """Where input channel ``channel`` is drawn in full: its own place, or its place in the group (compact)."""
    return channel % case.per_group if builder.split else channel


@pytest.mark.parametrize("layout", ["flat", "oblique"])
@pytest.mark.parametrize("name", list(CASES))
def test_every_number_of_a_step_reads_back(name: str, layout: str) -> None:
    case = CASES[name]
    builder = scene_builder(case.layer, layout=layout)
    rows, cols = case.padded.shape[:2]
    for k in case.sample_steps():
        scene = builder.scene(k)
        i, j, f = case.position(k)
        taps = case.taps(i, j)
        reads = case.reads(f)
        shown = reads if builder.split else range(case.c_in)
        for channel in shown:
            grid = f"input:{slot_of(case, builder, channel)}"
            # every cell of every channel drawn in full shows its padded value
            for r, c in np.ndindex(rows, cols):
                assert scene.text_at("value", grid, r, c) == number(case.padded[r, c, channel]), (k, grid, r, c)
            shaded = {item.tag[2:] for item in scene.find("footprint", grid)}
            if channel not in reads:
                assert not shaded and scene.text_at("partial", int(grid[6:])) == f"not read by filter {f}"
                continue
            # the footprint lies on this step's taps, each chip and the kernel slice hold the filter's weight
            rel = channel - reads.start
            assert shaded == set(taps), (k, grid)
            for (r, c), (u, v) in taps.items():
                assert scene.text_at("chip", grid, r, c) == number(case.weights[u, v, rel, f]), (k, grid, r, c)
                kernel = grid.replace("input", "kernel")
                assert scene.text_at("weight", kernel, u, v) == number(case.weights[u, v, rel, f])
            partial = case.partials[f][rel][i, j]
            assert scene.text_at("partial", int(grid[6:])) == f"partial sum = {number(partial)}"
            if builder.products_panel is not None:  # its rows say each channel's products (test_layer_products)
                assert not scene.texts("arithmetic")
                continue
            window = [case.padded[r, c, channel] for (r, c), _ in sorted(taps.items(), key=lambda t: t[1])]
            kernel_taps = [case.weights[u, v, rel, f] for u, v in sorted(taps.values())]
            expected = f"{case.names[channel]}: {products(window, kernel_taps)} = {number(partial)}"
            assert same_up_to_elision(scene.text_at("arithmetic", channel), expected), k
        partials = [case.partials[f][rel][i, j] for rel in range(case.per_group)]
        with_bias = "bias" in case.params and case.params["bias"] is not None
        if with_bias:
            total = f"sum + bias = {added([*partials, case.bias[f]])} = "
        else:  # one channel alone without a bias: its partial sum is the sum
            total = f"sum = {added(partials)} = " if len(partials) > 1 else "sum = "
        assert same_up_to_elision(scene.text_at("total"), f"{total}{number(case.pre[i, j, f])}"), k
        activation = case.params.get("activation")
        if activation:
            expected = f"{activation}: {number(case.pre[i, j, f])} → {number(case.post[i, j, f])}"
            assert scene.text_at("activation") == expected
        else:
            assert not scene.texts("activation")
        check_outputs(case, builder, scene, k)


def check_outputs(case: LayerCase, builder, scene, k: int) -> None:
    """Outputs up to step ``k`` are written (after the activation); later ones are not."""
    i, j, f = case.position(k)
    out_rows, out_cols = case.out_shape
    done = {case.position(index) for index in range(k + 1)}
    if not builder.compact:
        for g in range(case.c_out):
            for a, b in np.ndindex(out_rows, out_cols):
                texts = [t.text for t in scene.texts("value", f"output:{g}", a, b)]
                if (a, b, g) in done:
                    assert texts and texts[-1] == number(case.post[a, b, g]), (k, a, b, g)
                else:
                    assert not texts, (k, a, b, g)
        return
    # compact: the current filter's map in full, every filter's as a small map filled in so far
    for a, b in np.ndindex(out_rows, out_cols):
        texts = [t.text for t in scene.texts("value", "output", a, b)]
        assert texts == ([number(case.post[a, b, f])] if (a, b, f) in done else []), (k, a, b)
    filled = {(int(item.tag[1][4:]), *item.tag[2:]) for item in scene.find("cell") if item.tag[1].startswith("map:")}
    assert filled == {(g, a, b) for a, b, g in done}
    assert [item.tag[1] for item in scene.find("ring") if item.tag[1].startswith("map:")] == [f"map:{f}"]


@pytest.mark.parametrize("name", ["rgb, bias, relu", "depthwise, 2 per channel", "grouped, dilated, tanh"])
def test_the_last_frame_shows_pytorchs_outputs(name: str) -> None:
    pytest.importorskip("torch")
    case = CASES[name]
    expected = layer_torch(case.image, case.weights, **case.params)
    scene = scene_builder(case.layer).scene(-1)
    for a, b, g in np.ndindex(*expected.shape):
        assert scene.text_at("value", f"output:{g}", a, b) == number(expected[a, b, g])


def test_header_names_the_kind_and_writes_the_formula() -> None:
    headers = {
        name: " ".join(t.text for t in scene_builder(case.layer).scene(0).texts("header"))
        for name, case in CASES.items()
    }
    assert (
        "depthwise: 3 groups, each filter reads one input channel (2 filters per channel)"
        in headers["depthwise, 2 per channel"]
    )
    assert "pointwise (1×1): each output mixes the 3 channels of one pixel" in headers["pointwise"]
    assert "grouped: 2 groups, each filter reads 2 of the 4 input channels" in headers["grouped, dilated, tanh"]
    for word in ("depthwise", "pointwise", "grouped"):
        assert word not in headers["rgb, bias, relu"]
    for name, case in CASES.items():
        (h, w, c_in), (m, n, per, filters) = case.image.shape, case.weights.shape
        top, bottom, left, right = case.pads
        rows, cols = case.out_shape
        header = headers[name]
        for axis, size, pads, k, d, s, out in (
            ("rows", h, top + bottom, m, case.dilation[0], case.stride[0], rows),
            ("cols", w, left + right, n, case.dilation[1], case.stride[1], cols),
        ):
            reach = f"{k}" if d == 1 else f"{d}·({k}−1) − 1"
            assert f"{axis} = ⌊({size} + {pads} − {reach}) / {s}⌋ + 1 = {out}" in header, name
        assert f"input {h}×{w}×{c_in}" in header and f"{filters} filters {m}×{n}×{per}" in header
        assert f"→ output {rows}×{cols}×{filters}" in header
        assert f"weights {m}×{n}×{per}×{filters} = {m * n * per * filters}" in header


def test_titles_say_which_channels_feed_each_filter() -> None:
    case = CASES["depthwise, 2 per channel"]
    scene = scene_builder(case.layer).scene(0)
    titles = {t.tag[1]: t.text for t in scene.texts("title")}
    for f in range(case.c_out):
        assert titles[f"output:{f}"] == f"filter {f} ← {case.names[f // 2]}"
    assert [titles[f"input:{c}"] for c in range(3)] == ["red", "green", "blue"]
    grouped = scene_builder(CASES["grouped, dilated, tanh"].layer).scene(0)
    assert grouped.text_at("title", "output:3") == "filter 3 ← channels 2, 3"
    # the channels filter 3 reads are ringed, the others not
    rings = {item.tag[1] for item in scene_builder(CASES["grouped, dilated, tanh"].layer).scene(-1).find("ring")}
    assert rings == {"input:2", "input:3", "output:3"}


def test_sixteen_filters_show_the_current_one_in_full_and_all_as_small_maps() -> None:
    case = CASES["16 filters (compact)"]
    full = LayerCase(case.image, case.weights[..., :4], padding=1, activation="relu")
    compact, wide = scene_builder(case.layer), scene_builder(full.layer)
    assert compact.compact and not wide.compact
    names = set(compact.grids)
    assert {f"map:{f}" for f in range(16)} <= names and "output" in names
    assert not any(name.startswith("output:") for name in names)
    # the compact frame is no wider than four full maps' frame, though it shows sixteen filters
    assert compact.size[0] <= wide.size[0]
    scene = compact.scene(5 * 16 + 3)
    assert scene.text_at("title", "output") == "filter 5"
    labels = [t.text for t in scene.texts("label")]
    assert labels == [str(f) for f in range(16)]


def test_eight_channels_in_groups_show_the_current_group_in_full() -> None:
    case = CASES["8 channels in 4 groups (compact)"]
    builder = scene_builder(case.layer)
    assert builder.split and {n for n in builder.grids if n.startswith("input:")} == {"input:0", "input:1"}
    for f in range(case.c_out):
        scene = builder.scene(f * 4)
        assert [scene.text_at("title", f"input:{s}") for s in (0, 1)] == [f"channel {c}" for c in case.reads(f)]
        rings = {item.tag[1] for item in scene.find("ring") if item.tag[1].startswith("channel:")}
        assert rings == {f"channel:{c}" for c in case.reads(f)}


def test_caption_and_sheet_label_name_the_step() -> None:
    case = CASES["rgb, bias, relu"]
    builder = scene_builder(case.layer)
    for k in (0, 7, case.steps - 1):
        i, j, f = case.position(k)
        partials = [case.partials[f][c][i, j] for c in range(3)]
        expected = f"out[{i}, {j}, {f}] = {added([*partials, case.bias[f]])} = {number(case.pre[i, j, f])}"
        assert builder.caption(k) == expected + f", relu → {number(case.post[i, j, f])}"
        assert builder.step_label(k) == f"step {k + 1}: out[{i}, {j}, {f}]"
    assert builder.sheet_columns() == case.out_shape[1]


def test_activation_chart_marks_the_sum_on_the_curve() -> None:
    case = CASES["rgb, bias, relu"]
    builder = scene_builder(case.layer)
    chart = builder.chart
    for k in (0, 30):
        i, j, f = case.position(k)
        marker = builder.scene(k).find("chart", "marker")[0]
        x0, y0, x1, y1 = marker.box
        assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(
            chart.place(case.pre[i, j, f], case.post[i, j, f]), abs=1
        )
    # the curve's ends: ReLU is flat at 0 left of zero and rises with slope 1
    low, high = chart.place(case.pre.min(), 0), chart.place(case.pre.max(), case.pre.max())
    assert chart.place(0, 0)[1] == low[1] > high[1]


def test_numbers_false_draws_no_text() -> None:
    layer = CASES["depthwise, 2 per channel"].layer
    for layout in ("flat", "oblique"):
        scene = scene_builder(layer, numbers=False, layout=layout).scene(3)
        assert not [item for item in scene.items() if isinstance(item, Text)]
        assert scene.find("footprint")


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="layer must be a visualizer.ConvLayer"):
        LayerScene(vz.Convolution(np.eye(3), np.ones((2, 2))))
    layer = CASES["pointwise"].layer
    with pytest.raises(ValueError, match="layout must be one of flat, oblique"):
        scene_builder(layer, layout="tilted")
    with pytest.raises(IndexError, match="step index"):
        scene_builder(layer).scene(layer.num_steps)
