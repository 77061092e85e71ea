"""The Stepper's "Operation" tab without a browser: choose an operation and its parameters from Python.

What is drawn is compared with a frame of an operation the test builds itself, and what it
computes with loops of our own, SciPy and PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_family import (
    conv_transpose_loops,
    conv_transpose_scipy,
    conv_transpose_torch,
    pool_loops,
    pool_torch,
    pool_windows,
)
from reference_layer import layer_scipy, layer_torch
from widget_frames import shown_frame

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution, render_frame
from visualizer.scenes.fit import notebook_size
from visualizer.widget import Stepper
from visualizer.widget_ops import OperationControls

IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [1, 4, 0, 2, 5]])
KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def picture(stepper: Stepper) -> np.ndarray:
    return shown_frame(stepper)


def drawn(op, step: int = 0) -> np.ndarray:
    """Step ``step`` of ``op`` as a Stepper draws it before its view has measured its width."""
    return np.asarray(render_frame(op, step, max_size=notebook_size()).convert("RGB"))


def test_the_transposed_convolution_both_views():
    stepper = Stepper(Convolution(IMAGE, KERNEL, stride=2))
    stepper.ops.operation.value = "transposed convolution"
    stepper.ops.output_padding.value = 1
    expected = conv_transpose_loops(IMAGE, KERNEL, stride=2, output_padding=1)
    np.testing.assert_array_equal(stepper.shown.result(), expected)
    assert stepper.num_steps == expected.size and stepper.status.value == f"step 1/{expected.size}"
    np.testing.assert_array_equal(
        picture(stepper), drawn(TransposedConvolution(IMAGE, KERNEL, stride=2, output_padding=1))
    )
    stepper.ops.view.value = "scatter"
    assert stepper.num_steps == IMAGE.size  # one step per input element
    np.testing.assert_array_equal(stepper.shown.result(), expected)
    stepper.step = 2
    scatter = TransposedConvolution(IMAGE, KERNEL, stride=2, output_padding=1, view="scatter")
    np.testing.assert_array_equal(picture(stepper), drawn(scatter, 2))
    pytest.importorskip("torch")
    np.testing.assert_allclose(stepper.shown.result(), conv_transpose_torch(IMAGE, KERNEL, stride=2, output_padding=1))


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling_with_ceil_mode_and_count_include_pad(mode):
    stepper = Stepper(Convolution(IMAGE, np.ones((2, 2), int), stride=2))
    stepper.ops.operation.value = "max pooling" if mode == "max" else "average pooling"
    assert stepper.ops.view.disabled and stepper.ops.output_padding.disabled and not stepper.ops.ceil_mode.disabled
    assert stepper.ops.count_include_pad.disabled == (mode == "max")
    stepper.ops.ceil_mode.value = True
    expected = pool_loops(IMAGE, 2, stride=2, mode=mode, ceil_mode=True)[0]
    np.testing.assert_allclose(stepper.shown.result(), expected)
    assert stepper.num_steps == expected.size == 9
    np.testing.assert_array_equal(picture(stepper), drawn(Pooling(IMAGE, 2, mode=mode, ceil_mode=True)))
    pytest.importorskip("torch")
    np.testing.assert_allclose(stepper.shown.result(), pool_torch(IMAGE, 2, stride=2, mode=mode, ceil_mode=True)[0])


def test_the_layer_and_its_parameters():
    colour = np.stack([IMAGE, IMAGE.T, IMAGE[::-1]], axis=-1)
    stepper = Stepper(Convolution(colour, np.ones((3, 3), int), padding="same"))
    stepper.ops.operation.value = "layer"
    stepper.ops.bias.value = True
    stepper.ops.activation.value = "relu"
    layer = stepper.shown
    assert layer.weights.shape == (3, 3, 3, 2) and layer.bias.shape == (2,)
    expected = layer_scipy(colour, layer.weights, layer.bias, padding="same", activation="relu")
    np.testing.assert_allclose(layer.result(), expected)
    assert stepper.num_steps == expected.size
    stepper.ops.groups.value = 3
    stepper.ops.filters.value = 3
    assert stepper.shown.kind == "depthwise"
    np.testing.assert_allclose(
        stepper.shown.result(),
        layer_scipy(colour, stepper.shown.weights, stepper.shown.bias, padding="same", groups=3, activation="relu"),
    )


def test_a_choice_that_cannot_work_keeps_the_last_picture_and_back_to_the_convolution():
    stepper = Stepper(Convolution(IMAGE, KERNEL))
    stepper.ops.operation.value = "transposed convolution"
    before = stepper._sheets
    stepper.ops.output_padding.value = 2  # must be smaller than the stride (1)
    assert stepper.message.layout.display == "" and "output_padding" in stepper.message.value
    assert stepper._sheets is before
    stepper.ops.output_padding.value = 0
    stepper.ops.operation.value = "convolution"
    assert stepper.shown is stepper.conv and stepper.status.value.startswith("step 1/9 · sum ")
    assert all(control.disabled for control, _ in stepper.ops.controls.values())


def test_a_filter_s_weights_and_the_bias_edited_rebuild_the_layer():
    colour = np.stack([IMAGE, IMAGE.T, IMAGE[::-1]], axis=-1)
    stepper = Stepper(Convolution(colour, np.ones((3, 3), int), padding="same"))
    ops = stepper.ops
    ops.operation.value = "layer"
    ops.bias.value = True
    ops.activation.value = "relu"
    weights, bias = stepper.shown.weights.copy(), stepper.shown.bias.copy()
    assert [box.value for box in ops.weights] == weights[:, :, 0, 0].ravel().tolist()
    assert ops.bias_values.value == ",".join(map(str, bias)) and not ops.bias_values.disabled

    ops.filter.value = 1
    assert [label for label, _ in ops.channel.options] == ["red", "green", "blue"] and not ops.channel.disabled
    ops.channel.value = 2
    assert [box.value for box in ops.weights] == weights[:, :, 2, 1].ravel().tolist()
    ops.weights[4].value = 7  # the centre tap of filter 1 on the blue channel
    weights[1, 1, 2, 1] = 7
    np.testing.assert_array_equal(stepper.shown.weights, weights)
    expected = layer_scipy(colour, weights, bias, padding="same", activation="relu")
    np.testing.assert_array_equal(stepper.shown.result(), expected)
    np.testing.assert_array_equal(
        picture(stepper), drawn(ConvLayer(colour, weights, bias, padding="same", activation="relu"))
    )

    ops.weights[0].value = 0.5  # a fraction makes the weights float
    weights = weights.astype(float)
    weights[0, 0, 2, 1] = 0.5
    ops.bias_values.value = "3, -5"
    bias = np.array([3, -5])
    np.testing.assert_array_equal(stepper.shown.bias, bias)
    expected = layer_scipy(colour, weights, bias, padding="same", activation="relu")
    np.testing.assert_allclose(stepper.shown.result(), expected)

    before = picture(stepper)
    ops.bias_values.value = "3"
    assert stepper.message.layout.display == "" and "one per filter" in stepper.message.value
    np.testing.assert_array_equal(picture(stepper), before)
    ops.filters.value = 1  # now the one value fits
    assert stepper.message.layout.display == "none"
    np.testing.assert_array_equal(stepper.shown.weights, weights[..., :1])
    np.testing.assert_array_equal(stepper.shown.bias, [3])
    ops.filters.value = 3  # the edited filter kept, two new ones
    np.testing.assert_array_equal(stepper.shown.weights[..., :1], weights[..., :1])
    assert stepper.shown.weights.shape == (3, 3, 3, 3) and len(ops.filter.options) == 3
    np.testing.assert_array_equal(stepper.shown.bias[:1], [3])
    shown = stepper.shown
    expected = layer_scipy(colour, shown.weights, shown.bias, padding="same", activation="relu")
    np.testing.assert_allclose(shown.result(), expected)
    pytest.importorskip("torch")
    torch_result = layer_torch(colour, shown.weights, shown.bias, padding="same", activation="relu")
    np.testing.assert_allclose(shown.result(), torch_result)


def test_a_depthwise_filter_names_the_one_channel_it_reads_and_the_grid_follows_the_kernel_size():
    colour = np.stack([IMAGE, IMAGE.T, IMAGE[::-1]], axis=-1)
    stepper = Stepper(Convolution(colour, np.ones((3, 3), int)))
    ops = stepper.ops
    ops.operation.value = "layer"
    ops.groups.value = 3
    ops.filters.value = 3
    ops.filter.value = 2
    assert list(ops.channel.options) == [("blue", 0)] and ops.channel.disabled
    ops.weights[0].value = -3
    weights = stepper.shown.weights
    assert weights[0, 0, 0, 2] == -3 and stepper.shown.kind == "depthwise"
    np.testing.assert_array_equal(stepper.shown.result(), layer_scipy(colour, weights, groups=3))
    stepper.kernel_size.value = 2  # the filters take the kernel's size: a 2×2 grid of new weights
    assert len(ops.weights) == 4 and stepper.shown.weights.shape == (2, 2, 1, 3)
    assert [box.value for box in ops.weights] == stepper.shown.weights[:, :, 0, ops.filter.value].ravel().tolist()
    ops.operation.value = "convolution"
    assert ops.filter.disabled and ops.channel.disabled and ops.bias_values.disabled
    assert all(box.disabled for box in ops.weights)


@settings(max_examples=25, deadline=None)
@given(
    groups_filters=st.sampled_from([(1, 1), (1, 2), (1, 4), (3, 3)]),
    size=st.integers(1, 3),
    data=st.data(),
    value=st.integers(-9, 9) | st.floats(-2, 2, allow_nan=False),
    bias=st.lists(st.integers(-5, 5), min_size=4, max_size=4),
)
def test_any_weight_of_any_filter_edited_is_the_layer_computed(groups_filters, size, data, value, bias):
    groups, filters = groups_filters
    colour = np.stack([IMAGE, IMAGE.T, IMAGE[::-1]], axis=-1)
    conv = Convolution(colour, np.ones((size, size), int))
    controls = OperationControls()
    controls.operation.value = "layer"
    controls.groups.value, controls.filters.value, controls.bias.value = groups, filters, True
    weights = controls.build(conv).weights.astype(float)
    k = data.draw(st.integers(0, filters - 1))
    c = data.draw(st.integers(0, 3 // groups - 1))
    tap = data.draw(st.integers(0, size * size - 1))
    controls.filter.value, controls.channel.value = k, c
    controls.weights[tap].value = value
    controls.bias_values.value = ",".join(map(str, bias[:filters]))
    layer = controls.build(conv)
    weights[tap // size, tap % size, c, k] = value
    np.testing.assert_allclose(layer.weights, weights)
    # the two sum float products in different orders: an exact 0 may come out as 4e-16, which no rtol accepts
    np.testing.assert_allclose(layer.result(), layer_scipy(colour, weights, bias[:filters], groups=groups), atol=1e-9)


@pytest.mark.parametrize(
    ("op", "choice"),
    [
        (TransposedConvolution(IMAGE, KERNEL, stride=2, output_padding=1, view="scatter"), "transposed convolution"),
        (Pooling(IMAGE, 2, mode="avg", ceil_mode=True), "average pooling"),
        (Pooling(IMAGE, 3, stride=1, dilation=1), "max pooling"),
        (ConvLayer(np.dstack([IMAGE, IMAGE.T]), np.ones((2, 2, 2, 3), int), np.arange(3), activation="relu"), "layer"),
    ],
)
def test_any_operation_of_the_family_is_shown_as_given(op, choice):
    stepper = Stepper(op)
    assert stepper.op is op and stepper.ops.operation.value == choice and stepper.num_steps == op.num_steps
    stepper.step = op.num_steps - 1
    np.testing.assert_array_equal(shown_frame(stepper), drawn(op, op.num_steps - 1))
    assert stepper.status.value == f"step {op.num_steps}/{op.num_steps}"
    stepper.numbers.value = False  # the look redraws the same operation
    assert stepper.op is op and stepper.step == op.num_steps - 1
    if choice == "layer":  # the filter editor holds the layer's own weights, and a rebuild keeps them
        assert [box.value for box in stepper.ops.weights] == op.weights[:, :, 0, 0].ravel().tolist()
        stepper.ops.activation.value = "none"
        np.testing.assert_array_equal(stepper.op.weights, op.weights)
        np.testing.assert_array_equal(stepper.op.bias, op.bias)
    stepper.ops.operation.value = "convolution"  # the tab's choices start from the operation given
    assert stepper.op is stepper.conv and np.array_equal(stepper.conv.image, op.image)


def test_a_given_transposed_convolution_keeps_its_own_padding_when_a_control_rebuilds_it():
    op = TransposedConvolution(IMAGE, KERNEL, stride=2, padding=1, output_padding=(1, 0), view="scatter")
    stepper = Stepper(op)
    stepper.stride.value = 3
    shown = stepper.shown
    assert (shown.stride, shown.padding, shown.output_padding, shown.view) == ((3, 3), (1, 1), (1, 0), "scatter")
    np.testing.assert_allclose(shown.result(), conv_transpose_scipy(IMAGE, KERNEL, 3, 1, (1, 0)))
    stepper.ops.output_padding.value = 2  # the slider, once moved, sets both: the padding stays
    assert (stepper.shown.padding, stepper.shown.output_padding) == ((1, 1), (2, 2))
    np.testing.assert_allclose(stepper.shown.result(), conv_transpose_scipy(IMAGE, KERNEL, 3, 1, 2))
    pytest.importorskip("torch")
    np.testing.assert_allclose(stepper.shown.result(), conv_transpose_torch(IMAGE, KERNEL, 3, 1, 2))


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_a_given_pooling_keeps_its_own_padding_and_mode_when_a_control_rebuilds_it(mode):
    op = Pooling(IMAGE, 3, stride=2, padding=1, mode=mode, ceil_mode=True, count_include_pad=False)
    stepper = Stepper(op)
    stepper.stride.value = 3  # ceil mode: a third window would start in the right padding, so there are two
    shown = stepper.shown
    assert (shown.stride, shown.padding, shown.mode, shown.ceil_mode, shown.count_include_pad) == (
        (3, 3),
        (1, 1),
        mode,
        True,
        False,
    )
    np.testing.assert_allclose(shown.result(), pool_windows(IMAGE, 3, 3, 1, mode, ceil_mode=True))
    stepper.ops.ceil_mode.value = False
    assert stepper.shown.padding == (1, 1) and not stepper.shown.ceil_mode
    np.testing.assert_allclose(stepper.shown.result(), pool_windows(IMAGE, 3, 3, 1, mode))
    pytest.importorskip("torch")
    torch_result = pool_torch(IMAGE, 3, 3, 1, mode, count_include_pad=False)[0]
    np.testing.assert_allclose(stepper.shown.result(), torch_result)
