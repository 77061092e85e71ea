"""Pooling against PyTorch's max_pool2d / avg_pool2d and a window-by-window, tap-by-tap loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reference_family import pool_loops, pool_torch, torch

import visualizer as vz


@st.composite
def cases(draw):
    """A signal, grey or colour image (integers, ties likely) and PyTorch-valid pooling parameters."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rank = draw(st.sampled_from(["signal", "grey", "colour"]))
    mode = draw(st.sampled_from(["max", "avg"]))
    axes = 1 if rank == "signal" else 2
    size = [draw(st.integers(1, 4)) for _ in range(axes)]
    params = {
        "size": size,
        "stride": draw(st.none() | st.just([draw(st.integers(1, 3)) for _ in range(axes)])),
        "padding": [draw(st.integers(0, k // 2)) for k in size],
        "mode": mode,
        "dilation": [draw(st.integers(1, 3)) if mode == "max" else 1 for _ in range(axes)],
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }
    params = {k: (v[0] if rank == "signal" else tuple(v)) if isinstance(v, list) else v for k, v in params.items()}
    shape = (draw(st.integers(1, 9)),) if rank == "signal" else (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    image = rng.integers(-4, 5, shape + ((draw(st.integers(1, 3)),) if rank == "colour" else ()))
    expected, divisors = pool_loops(image, **params)
    assume(expected.size > 0)
    return image, params, expected, divisors


@settings(max_examples=200, deadline=None)
@given(cases())
def test_result_is_the_window_loop_and_pytorchs(case):
    image, params, expected, _ = case
    pooled = vz.Pooling(image, **params)
    result = pooled.result()
    assert pooled.output_shape == (expected.shape[:1] if image.ndim == 1 else expected.shape[:2])
    if params["mode"] == "max":
        assert result.dtype == image.dtype
        finite = np.isfinite(expected)
        np.testing.assert_array_equal(result[finite], expected[finite])
        # a window of only padding (possible with dilation) holds −∞, or an integer image's least value
        np.testing.assert_array_equal(result[~finite], np.iinfo(image.dtype).min)
        np.testing.assert_array_equal(vz.pool(image.astype(float), **params), expected)
    else:
        assert result.dtype == np.float64
        np.testing.assert_allclose(result, expected, rtol=1e-12)
    np.testing.assert_array_equal(vz.pool(image, **params), result)
    if torch is not None:
        by_torch, _ = pool_torch(image, **params)
        np.testing.assert_allclose(by_torch, expected, rtol=1e-12)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_every_step_shows_its_window_and_how_it_was_pooled(case):
    image, params, expected, divisors = case
    pooled = vz.Pooling(image, **params)
    result = pooled.result()
    steps = list(pooled.steps())
    assert pooled.num_steps == len(steps) == divisors.size
    signal = image.ndim == 1
    size, stride = params["size"], params["size"] if params["stride"] is None else params["stride"]
    size, stride, dilation = ((1, v) if signal else v for v in (size, stride, params["dilation"]))
    padding = (0, params["padding"]) if signal else params["padding"]
    by_torch, where = pool_torch(image, **params) if torch is not None else (expected, None)
    np.testing.assert_allclose(by_torch, expected, rtol=1e-12)
    for index, step in enumerate(steps):
        assert step.index == index
        assert step.out_index == np.unravel_index(index, pooled.output_shape)
        at = (0, *step.out_index) if signal else step.out_index
        origin = (at[0] * stride[0], at[1] * stride[1])
        assert step.origin == (origin[1:] if signal else origin)
        np.testing.assert_array_equal(step.value, result[step.out_index])
        if np.isfinite(expected[step.out_index]).all():
            np.testing.assert_allclose(step.value, expected[step.out_index], rtol=1e-12)
        # the window: every tap, read from the image or else the padding's fill
        window = np.asarray(step.window)
        lifted = window[None] if signal else window
        grid = image[None] if signal else image
        for u, v in np.ndindex(size):
            r, c = origin[0] + u * dilation[0] - padding[0], origin[1] + v * dilation[1] - padding[1]
            inside = 0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]
            kind = pooled.cell_kind(*((origin[1] + v * dilation[1],) if signal else (r + padding[0], c + padding[1])))
            assert (kind == "input") == inside
            fill = 0 if params["mode"] == "avg" else np.iinfo(image.dtype).min
            np.testing.assert_array_equal(lifted[u, v], grid[r, c] if inside else fill)
        if params["mode"] == "max":
            assert step.sum is None and step.divisor is None
            taps = [step.argmax] if image.ndim < 3 else list(step.argmax)
            flat = window.reshape(window.shape[: 1 if signal else 2] + (-1,))
            for channel, tap in enumerate(taps):
                values = flat[(..., channel)].ravel()
                winner = np.ravel_multi_index(tap, window.shape[: len(tap)])
                assert values[winner] == np.max(values) == np.ravel(step.value)[channel]
                assert winner == np.argmax(values)  # the first maximum in row-major order
                real = (where is not None) and np.ravel(step.value)[channel] > np.iinfo(image.dtype).min
                if real:  # PyTorch names the same input element (its flat index in the plane)
                    row, col = (0, tap[0]) if signal else tap
                    r = origin[0] + row * dilation[0] - padding[0]
                    c = origin[1] + col * dilation[1] - padding[1]
                    torch_index = where[step.out_index][channel] if image.ndim == 3 else where[step.out_index]
                    assert torch_index == r * grid.shape[1] + c
        else:
            assert step.argmax is None
            assert step.divisor == divisors[step.out_index]
            total = lifted.sum(axis=(0, 1))
            np.testing.assert_allclose(step.sum, total, rtol=1e-12)
            np.testing.assert_array_equal(step.value, step.sum / step.divisor)


def test_the_reshape_case_matches_the_numpy_one_liner():
    image = np.random.default_rng(0).random((64, 48), dtype=np.float32)
    np.testing.assert_array_equal(vz.pool(image, 2), image.reshape(32, 2, 24, 2).max(axis=(1, 3)))
    colour = np.random.default_rng(1).integers(0, 256, (8, 6, 3), dtype=np.uint8)
    np.testing.assert_array_equal(vz.pool(colour, (2, 3)), colour.reshape(4, 2, 2, 3, 3).max(axis=(1, 3)))
    np.testing.assert_allclose(vz.pool(image, 4, mode="avg"), image.reshape(16, 4, 12, 4).mean(axis=(1, 3)), 1e-6)


def test_padding_never_wins_a_max():
    image = -np.arange(1.0, 10.0).reshape(3, 3)
    pooled = vz.Pooling(image, 2, padding=1)
    np.testing.assert_array_equal(pooled.result(), [[-1, -2], [-4, -5]])
    assert pooled.padded[0, 0] == -np.inf
    assert pooled.step(0).argmax == (1, 1)  # the image's corner, not the padding around it
    # with dilation a window can hold only padding; PyTorch gives −∞ there too
    dilated = vz.Pooling(np.array([[1.0, 2], [3, 4]]), 2, padding=1, dilation=3)
    np.testing.assert_array_equal(dilated.result(), [[-np.inf]])
    if torch is not None:
        np.testing.assert_array_equal(
            pool_torch(np.array([[1.0, 2], [3, 4]]), 2, padding=1, dilation=3)[0], [[-np.inf]]
        )


def test_ceil_mode_counts_only_input_and_padding():
    # PyTorch: windows past the padding are cut off, and what is cut off is not counted even with the pad
    signal = np.array([1.0, 2, 3, 4, 5])
    pooled = vz.Pooling(signal, 3, stride=2, padding=1, mode="avg", ceil_mode=True)
    np.testing.assert_allclose(pooled.result(), [1, 3, 3])  # (0+1+2)/3, (2+3+4)/3, (4+5+0)/3
    assert [s.divisor for s in pooled.steps()] == [3, 3, 3]
    not_counted = pooled.replace(count_include_pad=False)
    assert [s.divisor for s in not_counted.steps()] == [2, 3, 2]
    overhang = vz.Pooling(signal, 2, mode="avg", ceil_mode=True)
    assert overhang.pads == (0, 0, 0, 1) and overhang.cell_kind(5) == "outside"
    assert [s.divisor for s in overhang.steps()] == [2, 2, 1]
    dropped = vz.Pooling(signal, 2, padding=1, ceil_mode=True)
    assert dropped.output_shape == (3,)  # a fourth window would start in the right padding
    assert dropped.formula() == (
        "length = ⌈(5 + 2 − 2) / 2⌉ + 1 − 1 = 3 (a last window starting in the right padding is dropped)",
    )


def test_colour_argmax_per_channel():
    image = np.zeros((2, 2, 3), int)
    image[0, 1, 0], image[1, 0, 1] = 5, 7  # channel 2 all zeros: a tie, the first tap wins
    step = vz.Pooling(image, 2).step(0)
    assert step.argmax == ((0, 1), (1, 0), (0, 0))
    np.testing.assert_array_equal(step.value, [5, 7, 0])


def test_float32_photo_stays_float32():
    photo = np.random.default_rng(2).random((10, 10, 3), dtype=np.float32)
    assert vz.pool(photo, 3, stride=2, padding=1, mode="avg").dtype == np.float32
    assert vz.pool(photo, 2).dtype == np.float32
    if torch is not None:
        expected, _ = pool_torch(photo, 3, stride=2, padding=1, mode="avg")
        np.testing.assert_allclose(vz.pool(photo, 3, stride=2, padding=1, mode="avg"), expected, rtol=1e-6)


def test_description_and_replace():
    pooled = vz.Pooling(np.zeros((6, 5)), 2)
    assert pooled.stride == (2, 2) and pooled.size == (2, 2) and pooled.output_shape == (3, 2)
    assert pooled.formula() == ("rows = ⌊(6 + 0 − 2) / 2⌋ + 1 = 3", "cols = ⌊(5 + 0 − 2) / 2⌋ + 1 = 2")
    bigger = pooled.replace(size=3)
    assert bigger.stride == (3, 3) and bigger.output_shape == (2, 1)  # the default stride follows the size
    assert pooled.replace(stride=1).output_shape == (5, 4)
    dilated = vz.Pooling(np.zeros(9), 2, stride=1, dilation=3)
    assert dilated.formula() == ("length = ⌊(9 + 0 − 3·(2−1) − 1) / 1⌋ + 1 = 6",)
    assert "dilation 3" in dilated.describe() and "output 6" in dilated.describe()
    assert vz.Pooling(np.zeros((4, 4)), 2, mode="avg").describe() == (
        "avg pooling: input 4×4, size 2, stride 2, padding 0 → output 2×2"
    )
    assert repr(pooled.step(0)).startswith("PoolStep(index=0, out_index=(0, 0), origin=(0, 0)")


def test_a_snapshot_of_the_input():
    image = np.arange(16.0).reshape(4, 4)
    pooled = vz.Pooling(image, 2)
    image[:] = 0
    np.testing.assert_array_equal(pooled.result(), [[5, 7], [13, 15]])
    with pytest.raises(ValueError):
        pooled.image[0, 0] = 1


def test_pytorchs_quirk_a_ceil_window_larger_than_the_input():
    # PyTorch gives one output when the window is wider than the input but ceil_mode rounds up
    pooled = vz.Pooling(np.array([[1.0, 2.0]]), (1, 3), stride=(1, 2), mode="avg", ceil_mode=True)
    np.testing.assert_array_equal(pooled.result(), [[1.5]])
    with pytest.raises(ValueError, match="spans 3"):
        vz.Pooling(np.array([[1.0, 2.0]]), (1, 3), stride=(1, 2), mode="avg")
