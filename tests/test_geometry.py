"""Geometry: padding rules, output shape, the formula line and the window taps."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import pair, reference_output_shape, reference_pads, tensorflow_same

import visualizer as vz
from visualizer import geometry

sizes = st.integers(1, 40)
kernels = st.integers(1, 9)
steps = st.integers(1, 5)


@settings(max_examples=300, deadline=None)
@given(sizes, kernels, steps, steps, st.integers(0, 6), st.integers(0, 6))
def test_output_size_counts_window_positions(size, kernel, stride, dilation, before, after):
    span = dilation * (kernel - 1) + 1
    padded = size + before + after
    if span > padded:
        with pytest.raises(ValueError, match="kernel"):
            geometry.output_size(size, kernel, stride, before + after, dilation)
        return
    positions = range(0, padded - span + 1, stride)  # every top-left tap that keeps the window inside
    assert geometry.output_size(size, kernel, stride, before + after, dilation) == len(positions)
    assert vz.output_shape((size, 3), (kernel, 1), stride=(stride, 1), padding=((before, after), (0, 0)),
                           dilation=(dilation, 1))[0] == len(positions)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(sizes, kernels, steps, steps)
def test_same_pads_follow_tensorflow(size, kernel, stride, dilation):
    before, after = geometry.same_pads(size, kernel, stride, dilation)
    assert (before, after) == tensorflow_same(size, kernel, stride, dilation)
    assert after - before in (0, 1)  # the extra row or column goes after (bottom/right)
    span = dilation * (kernel - 1) + 1
    assert geometry.output_size(size, kernel, stride, before + after, dilation) == math.ceil(size / stride)
    assert len(range(0, size + before + after - span + 1, stride)) == math.ceil(size / stride)


paddings = st.one_of(
    st.sampled_from(["valid", "same", "full", "Same", "FULL"]),
    st.integers(0, 5),
    st.tuples(st.integers(0, 5), st.integers(0, 5)),
    st.lists(st.integers(0, 5), min_size=2, max_size=2),
    st.tuples(st.tuples(st.integers(0, 5), st.integers(0, 5)), st.tuples(st.integers(0, 5), st.integers(0, 5))),
)


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(sizes, sizes),
    st.tuples(kernels, kernels),
    st.one_of(steps, st.tuples(steps, steps)),
    paddings,
    st.one_of(steps, st.tuples(steps, steps)),
)
def test_output_shape_and_pads_match_reference(input_shape, kernel_shape, stride, padding, dilation):
    pads = geometry.resolve_pads(input_shape, kernel_shape, stride, padding, dilation)
    spec = tuple(padding) if isinstance(padding, list) else padding
    assert pads == reference_pads(input_shape, kernel_shape, stride, spec, dilation)
    top, bottom, left, right = pads
    (dr, dc), (m, n) = pair(dilation), kernel_shape
    if input_shape[0] + top + bottom < dr * (m - 1) + 1 or input_shape[1] + left + right < dc * (n - 1) + 1:
        with pytest.raises(ValueError, match="kernel spans"):
            vz.output_shape(input_shape, kernel_shape, stride=stride, padding=padding, dilation=dilation)
        return
    shape = vz.output_shape(input_shape, kernel_shape, stride=stride, padding=padding, dilation=dilation)
    assert shape == reference_output_shape(input_shape, kernel_shape, stride, spec, dilation)
    # channels never change the spatial size
    assert vz.output_shape(input_shape + (3,), kernel_shape + (3,), stride, padding, dilation) == shape


def test_resolve_pads_forms():
    assert geometry.resolve_pads((5, 5), (3, 3)) == (0, 0, 0, 0)
    assert geometry.resolve_pads((5, 5), (3, 3), padding="same") == (1, 1, 1, 1)
    assert geometry.resolve_pads((5, 6), (2, 4), padding="same") == (0, 1, 1, 2)  # even kernels: extra after
    assert geometry.resolve_pads((6, 6), (3, 3), stride=2, padding="same") == (0, 1, 0, 1)
    assert geometry.resolve_pads((5, 5), (3, 2), padding="full", dilation=(1, 3)) == (2, 2, 3, 3)
    assert geometry.resolve_pads((5, 5), (3, 3), padding=2) == (2, 2, 2, 2)
    assert geometry.resolve_pads((5, 5), (3, 3), padding=(1, 2)) == (1, 1, 2, 2)
    assert geometry.resolve_pads((5, 5), (3, 3), padding=((0, 1), (2, 3))) == (0, 1, 2, 3)
    assert geometry.resolve_pads((5, 5), (3, 3), padding=[[0, 1], [2, 3]]) == (0, 1, 2, 3)


def test_same_keeps_the_size_only_at_stride_one():
    assert vz.output_shape((5, 5), (3, 3), padding="same") == (5, 5)
    assert vz.output_shape((5, 5), (3, 3), stride=2, padding="same") == (3, 3)
    assert vz.output_shape((7, 8), (4, 4), stride=3, padding="same") == (3, 3)


def test_full_padding_grows_the_output():
    # full: every position where the kernel overlaps the input by at least one tap
    assert vz.output_shape((4, 5), (3, 2), padding="full") == (6, 6)
    assert vz.output_shape((4, 5), (3, 2), padding="full", dilation=2) == (8, 7)


@pytest.mark.parametrize(
    "args, expected",
    [
        ((4, 3, 1, 0, 1), "rows = ⌊(4 + 0 − 3) / 1⌋ + 1 = 2"),
        ((5, 3, 2, 0, 1), "rows = ⌊(5 + 0 − 3) / 2⌋ + 1 = 2"),
        ((5, 3, 1, 2, 1), "rows = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5"),
    ],
)
def test_formula_text(args, expected):
    assert geometry.formula(*args) == expected


@settings(max_examples=200, deadline=None)
@given(sizes, kernels, steps, st.integers(0, 8), steps)
def test_formula_evaluates_to_output_size(size, kernel, stride, pads, dilation):
    if dilation * (kernel - 1) + 1 > size + pads:
        return
    text = geometry.formula(size, kernel, stride, pads, dilation, axis="cols")
    assert text.startswith("cols = ⌊(")
    # the substituted numbers, evaluated by hand, give the number the line ends with
    inside = re.search(r"⌊\((.*)\) / (\d+)⌋", text)
    numerator = eval(inside.group(1).replace("−", "-").replace("·", "*"))  # noqa: S307 - our own digits
    assert numerator == size + pads - dilation * (kernel - 1) - 1
    assert int(inside.group(2)) == stride
    assert (
        int(text.rsplit("= ", 1)[1])
        == numerator // stride + 1
        == geometry.output_size(size, kernel, stride, pads, dilation)
    )


@settings(max_examples=200, deadline=None)
@given(st.tuples(st.integers(0, 20), st.integers(0, 20)), st.tuples(kernels, kernels), st.tuples(steps, steps))
def test_window_taps(origin, kernel_shape, dilation):
    rows, cols = geometry.window_taps(origin, kernel_shape, dilation)
    assert list(rows) == [origin[0] + u * dilation[0] for u in range(kernel_shape[0])]
    assert list(cols) == [origin[1] + v * dilation[1] for v in range(kernel_shape[1])]


def test_window_origins_row_major():
    assert geometry.window_origins((2, 3), (2, 1)) == [(0, 0), (0, 1), (0, 2), (2, 0), (2, 1), (2, 2)]


@pytest.mark.parametrize(
    "value, expected", [(1, (1, 1)), ((2, 3), (2, 3)), ([3, 1], (3, 1))]
)  # fmt: skip
def test_as_pair(value, expected):
    assert geometry.as_pair(value, "stride") == expected
