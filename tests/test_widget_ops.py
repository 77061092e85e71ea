"""The Stepper's "Operation" tab without a browser: choose an operation and its parameters from Python.

What is drawn is compared with a frame of an operation the test builds itself, and what it
computes with loops of our own, SciPy and PyTorch.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from reference_family import conv_transpose_loops, conv_transpose_torch, pool_loops, pool_torch
from reference_layer import layer_scipy

from visualizer import Convolution, Pooling, TransposedConvolution, render_frame
from visualizer.widget import Stepper

IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [1, 4, 0, 2, 5]])
KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def picture(stepper: Stepper) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(stepper.picture.value)).convert("RGB"))


def drawn(op, step: int = 0) -> np.ndarray:
    return np.asarray(render_frame(op, step).convert("RGB"))


def test_the_transposed_convolution_both_views():
    stepper = Stepper(Convolution(IMAGE, KERNEL, stride=2))
    stepper.ops.operation.value = "transposed convolution"
    stepper.ops.output_padding.value = 1
    expected = conv_transpose_loops(IMAGE, KERNEL, stride=2, output_padding=1)
    np.testing.assert_array_equal(stepper.shown.result(), expected)
    assert stepper.slider.max == expected.size and stepper.status.value == f"step 1/{expected.size}"
    np.testing.assert_array_equal(
        picture(stepper), drawn(TransposedConvolution(IMAGE, KERNEL, stride=2, output_padding=1))
    )
    stepper.ops.view.value = "scatter"
    assert stepper.slider.max == IMAGE.size  # one step per input element
    np.testing.assert_array_equal(stepper.shown.result(), expected)
    stepper.slider.value = 3
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
    assert stepper.slider.max == expected.size == 9
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
    assert stepper.slider.max == expected.size
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
    before = stepper.picture.value
    stepper.ops.output_padding.value = 2  # must be smaller than the stride (1)
    assert stepper.message.layout.display == "" and "output_padding" in stepper.message.value
    assert stepper.picture.value == before
    stepper.ops.output_padding.value = 0
    stepper.ops.operation.value = "convolution"
    assert stepper.shown is stepper.conv and stepper.status.value.startswith("step 1/9 · sum ")
    assert all(control.disabled for control, _ in stepper.ops.controls.values())
