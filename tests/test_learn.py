"""Learning kernels: the gradient against finite differences and a brute-force sum, convergence, shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import correlate_scipy, pad_image, pair, reference_pads

import visualizer as vz
from visualizer import learn

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
GEOMETRIES = [
    {},
    {"stride": 2},
    {"padding": "same", "pad_mode": "replicate"},
    {"dilation": 2, "padding": 1, "pad_mode": "reflect"},
    {"stride": (2, 1), "dilation": (1, 2), "padding": "full", "pad_mode": "circular"},
]


def mse(images, targets, kernel, **geometry):
    """The loss, by SciPy: mean over every output element of every image."""
    outputs = np.stack([correlate_scipy(image, kernel, **geometry) for image in images])
    return np.mean((outputs - targets) ** 2)


@pytest.mark.parametrize("geometry", GEOMETRIES)
@pytest.mark.parametrize("shape", [(3, 3), (2, 3)])
def test_gradient_matches_central_differences(geometry, shape):
    rng = np.random.default_rng(0)
    images = rng.standard_normal((2, 9, 8))
    kernel = rng.standard_normal(shape)
    targets = np.stack([correlate_scipy(image, rng.standard_normal(shape), **geometry) for image in images])
    errors = np.stack([correlate_scipy(image, kernel, **geometry) for image in images]) - targets
    analytic = learn.kernel_gradient(images, errors, shape, **geometry)
    numeric = np.zeros(shape)
    h = 1e-5
    for u, v in np.ndindex(shape):
        step = np.zeros(shape)
        step[u, v] = h
        numeric[u, v] = (
            mse(images, targets, kernel + step, **geometry) - mse(images, targets, kernel - step, **geometry)
        ) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 3),
    shape=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.tuples(st.integers(0, 2), st.integers(0, 2))),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
)
def test_backprop_is_the_chain_rule_summed_by_hand(seed, count, shape, stride, dilation, padding, pad_mode):
    rng = np.random.default_rng(seed)
    images = rng.integers(-5, 6, (count, 7, 6))
    geometry = {"stride": stride, "dilation": dilation, "padding": padding, "pad_mode": pad_mode}
    rows, cols = correlate_scipy(images[0], np.ones(shape), **geometry).shape
    grads = rng.integers(-3, 4, (count, rows, cols, 2))
    # dL/dK[u, v] = Σ_n Σ_ij grad[n, i, j] · padded[n][i·s + u·d, j·s + v·d], one term at a time
    (sr, sc), (dr, dc) = pair(stride), pair(dilation)
    pads = reference_pads(images[0].shape, shape, stride, padding, dilation)
    expected = np.zeros(shape + (2,))
    for n, image in enumerate(images):
        padded = pad_image(image, pads, pad_mode)
        for u, v, i, j, f in np.ndindex(*shape, rows, cols, 2):
            expected[u, v, f] += grads[n, i, j, f] * padded[i * sr + u * dr, j * sc + v * dc]
    np.testing.assert_array_equal(learn.kernel_backprop(images, grads, shape, **geometry), expected)
    np.testing.assert_array_equal(learn.kernel_backprop(images, grads[..., 1], shape, **geometry), expected[..., 1])


def test_one_image_or_a_stack():
    rng = np.random.default_rng(2)
    image, errors = rng.standard_normal((6, 6)), rng.standard_normal((4, 4))
    np.testing.assert_array_equal(
        learn.kernel_gradient(image, errors, (3, 3)), learn.kernel_gradient(image[None], errors[None], (3, 3))
    )


@pytest.mark.parametrize(
    ("scale", "geometry"),
    [(1.0, {}), (255.0, {"padding": "same", "pad_mode": "replicate"}), (0.01, {"stride": 2})],
)
def test_learn_kernel_converges_to_sobel_x(scale, geometry):
    rng = np.random.default_rng(4)
    images = scale * rng.random((3, 20, 20))  # photos in 0…255, or in 0…0.01: the step size follows
    targets = np.stack([correlate_scipy(image, SOBEL_X, **geometry) for image in images])
    history = learn.learn_kernel(images, targets, steps=600, seed=5, **geometry)
    assert history.kernels.shape == (601, 3, 3) and history.losses.shape == (601,)
    np.testing.assert_allclose(history.kernel, SOBEL_X, atol=1e-4)
    assert np.all(np.diff(history.losses) <= 1e-12 * history.losses[0])  # a step that never overshoots
    assert history.losses[-1] < 1e-6 * history.losses[0]
    # the history starts from random weights, the same for the same seed
    assert np.abs(history.kernels[0] - SOBEL_X).max() > 0.5
    again = learn.learn_kernel(images, targets, steps=2, seed=5, **geometry)
    np.testing.assert_array_equal(again.kernels, history.kernels[:3])


def test_learn_kernel_with_a_fixed_learning_rate():
    rng = np.random.default_rng(6)
    images = rng.standard_normal((2, 12, 12))
    box = np.full((2, 2), 0.25)
    targets = np.stack([correlate_scipy(image, box) for image in images])
    history = learn.learn_kernel(images, targets, kernel_shape=(2, 2), steps=200, learning_rate=0.1)
    assert history.learning_rate == 0.1
    np.testing.assert_allclose(history.kernel, box, atol=1e-4)


def test_synthetic_shapes_are_what_their_labels_say():
    images, labels = learn.synthetic_shapes(60, size=12, seed=3)
    assert images.shape == (60, 12, 12) and labels.shape == (60,)
    assert np.bincount(labels).tolist() == [12] * len(learn.SHAPES)
    for image, label in zip(images, labels, strict=True):
        rows, cols = np.nonzero(image > 0.5)
        assert len(rows) >= 4
        name = learn.SHAPES[label]
        if name == "horizontal line":
            assert len(set(rows)) == 1 and len(set(cols)) == len(cols)
        elif name == "vertical line":
            assert len(set(cols)) == 1 and len(set(rows)) == len(rows)
        elif name == "diagonal line ↘":
            assert len(set(rows - cols)) == 1
        elif name == "diagonal line ↗":
            assert len(set(rows + cols)) == 1
        else:  # a corner: one full row and one full column of the stroke meet at one end of each
            row = np.bincount(rows).argmax()
            col = np.bincount(cols).argmax()
            on_row, on_col = rows == row, cols == col
            assert np.all(on_row | on_col) and on_row.sum() == on_col.sum() >= 3
            assert col in (cols[on_row].min(), cols[on_row].max()) and row in (rows[on_col].min(), rows[on_col].max())
    again, _ = learn.synthetic_shapes(60, size=12, seed=3)
    np.testing.assert_array_equal(images, again)


def test_learn_filters_tells_lines_from_corners():
    images, labels = learn.synthetic_shapes(150, seed=0)
    history = learn.learn_filters(images, labels, n_filters=4, steps=150, seed=0)
    assert history.filters.shape == (151, 3, 3, 4)
    assert history.accuracy.shape == history.losses.shape == (151,)
    assert history.accuracy[0] < 0.5 and history.accuracy[-1] > 0.85
    assert history.losses[-1] < 0.5 * history.losses[0]
    unseen, truth = learn.synthetic_shapes(100, seed=1)
    assert np.mean(history.predict(unseen) == truth) > 0.8
    # the filters as a ConvLayer give the features the classifier reads
    image = unseen[0]
    layer = vz.ConvLayer(image[..., np.newaxis], history.weights, history.bias, activation="relu")
    scores = layer.result().mean(axis=(0, 1)) @ history.classifier + history.classifier_bias
    assert history.predict(unseen[:1])[0] == np.argmax(scores)


BAD = {
    "errors of the wrong shape": (
        lambda: learn.kernel_gradient(np.zeros((5, 5)), np.zeros((4, 4)), (3, 3)),
        ValueError,
        ["errors", "(1, 3, 3)", "3×3 output per image"],
    ),
    "errors for fewer images": (
        lambda: learn.kernel_gradient(np.zeros((2, 5, 5)), np.zeros((1, 3, 3)), (3, 3)),
        ValueError,
        ["errors", "(2, 3, 3)"],
    ),
    "4-D images": (
        lambda: learn.kernel_gradient(np.zeros((1, 1, 5, 5)), np.zeros((3, 3)), (3, 3)),
        ValueError,
        ["images", "(B, H, W)"],
    ),
    "kernel_shape an int": (
        lambda: learn.kernel_gradient(np.zeros((5, 5)), np.zeros((3, 3)), 3),
        TypeError,
        ["kernel_shape", "(rows, cols)"],
    ),
    "kernel_shape with 0": (
        lambda: learn.kernel_gradient(np.zeros((5, 5)), np.zeros((3, 3)), (0, 3)),
        ValueError,
        ["kernel_shape", ">= 1"],
    ),
    "unknown geometry": (
        lambda: learn.kernel_gradient(np.zeros((5, 5)), np.zeros((3, 3)), (3, 3), strides=2),
        TypeError,
        ["strides", "allowed", "stride"],
    ),
    "targets of the wrong shape": (
        lambda: learn.learn_kernel(np.ones((5, 5)), np.zeros((5, 5))),
        ValueError,
        ["targets", "(1, 3, 3)", "3×3 output per image"],
    ),
    "4-D output_grads for other images": (
        lambda: learn.kernel_backprop(np.zeros((2, 5, 5)), np.zeros((3, 3, 3, 4)), (3, 3)),
        ValueError,
        ["output_grads", "(2, 3, 3, 4)"],
    ),
    "negative steps": (
        lambda: learn.learn_kernel(np.ones((5, 5)), np.zeros((3, 3)), steps=-1),
        ValueError,
        ["steps", ">= 0"],
    ),
    "zero learning rate": (
        lambda: learn.learn_kernel(np.ones((5, 5)), np.zeros((3, 3)), learning_rate=0),
        ValueError,
        ["learning_rate", "positive"],
    ),
    "all-zero images": (
        lambda: learn.learn_kernel(np.zeros((5, 5)), np.zeros((3, 3))),
        ValueError,
        ["images", "zeros"],
    ),
    "labels of the wrong length": (
        lambda: learn.learn_filters(np.zeros((4, 8, 8)), [0, 1, 2]),
        ValueError,
        ["labels", "4 class indices"],
    ),
    "learning rate a string": (
        lambda: learn.learn_filters(np.zeros((2, 8, 8)), [0, 1], learning_rate="fast"),
        TypeError,
        ["learning_rate", "positive number"],
    ),
    "labels as floats": (
        lambda: learn.learn_filters(np.zeros((2, 8, 8)), [0.0, 1.0]),
        ValueError,
        ["labels", "class indices", "float64"],
    ),
    "no filters": (
        lambda: learn.learn_filters(np.zeros((2, 8, 8)), [0, 1], n_filters=0),
        ValueError,
        ["n_filters", ">= 1"],
    ),
    "shapes too small": (lambda: learn.synthetic_shapes(5, size=3), ValueError, ["size", ">= 6"]),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_named(name):
    call, error, words = BAD[name]
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value), f"{word!r} missing from: {info.value}"
