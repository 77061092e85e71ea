"""The presenter's ``o`` key, headless: the same input through each operation of the family.

After each key the canvas is compared with a frame drawn from an operation the test builds
itself, and what that operation computes is checked against loops of our own and PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest
from presenter_canvas import assert_shows, canvas_window, press
from reference_family import conv_transpose_loops, conv_transpose_torch, pool_loops, pool_torch
from reference_layer import layer_scipy, layer_torch

from visualizer import ConvLayer, Convolution, Pooling, TransposedConvolution
from visualizer.presenter_window import PresenterWindow

IMAGE = np.arange(25).reshape(5, 5) % 7
KERNEL = np.array([[1, 0, 2], [0, 1, 0], [2, 0, 1]])


def _window(**params) -> PresenterWindow:
    return canvas_window(Convolution(IMAGE, KERNEL, **params))


def test_o_cycles_the_operations_on_the_same_input():
    window = _window()
    expected = {
        "transposed convolution": TransposedConvolution(IMAGE, KERNEL),
        "max pooling": Pooling(IMAGE, 3, stride=1, mode="max"),
        "average pooling": Pooling(IMAGE, 3, stride=1, mode="avg"),
    }
    for name, op in expected.items():
        press(window, "o")
        assert window.message.get_visible() and window.message.get_text() == name
        assert not window.state.problem
        assert_shows(window, op)
    press(window, "o")
    assert window.state.op == "layer" and window.message.get_text() == "layer" and not window.state.problem
    # two filters the kernel's size over the one grey channel, with a bias and ReLU; their weights are the
    # presenter's choice, so the frame is compared with a layer the test builds from them
    layer = window.state.shown
    assert layer.weights.shape == (3, 3, 1, 2) and layer.bias.shape == (2,) and layer.activation == "relu"
    assert_shows(window, ConvLayer(IMAGE[..., np.newaxis], layer.weights, layer.bias, activation="relu"))
    press(window, "o")
    assert window.state.op == "conv" and window.message.get_text() == "convolution"
    assert_shows(window, Convolution(IMAGE, KERNEL))


def test_what_each_operation_computes_is_the_references():
    window = _window(stride=2)
    results = []
    for _ in range(4):
        press(window, "o")
        results.append(window.state.shown.result())
    np.testing.assert_array_equal(results[0], conv_transpose_loops(IMAGE, KERNEL, stride=2))
    np.testing.assert_array_equal(results[1], pool_loops(IMAGE, 3, stride=2, mode="max")[0])
    np.testing.assert_allclose(results[2], pool_loops(IMAGE, 3, stride=2, mode="avg")[0])
    layer = window.state.shown
    grey = IMAGE[..., np.newaxis]
    np.testing.assert_array_equal(results[3], layer_scipy(grey, layer.weights, layer.bias, stride=2, activation="relu"))
    pytest.importorskip("torch")
    np.testing.assert_allclose(results[0], conv_transpose_torch(IMAGE, KERNEL, stride=2))
    np.testing.assert_allclose(results[1], pool_torch(IMAGE, 3, stride=2, mode="max")[0])
    np.testing.assert_allclose(results[2], pool_torch(IMAGE, 3, stride=2, mode="avg")[0])
    np.testing.assert_allclose(results[3], layer_torch(grey, layer.weights, layer.bias, stride=2, activation="relu"))


@pytest.mark.parametrize(
    ("presses", "key", "words"),
    [
        ("o", "p", "p (padding) changes nothing in transposed convolution"),
        ("o", "m", "m (pad mode) changes nothing in transposed convolution"),
        ("oo", "k", "k (kernel) changes nothing in max pooling"),
        ("ooo", "d", "d (dilation) changes nothing in average pooling"),
        ("ooo", "p", "p (padding) changes nothing in average pooling"),
        ("oooo", "k", "k (kernel) changes nothing in layer"),
    ],
)
def test_a_key_that_changes_nothing_says_so_on_the_canvas(presses, key, words):
    window = _window()
    for earlier in presses:
        press(window, earlier)
    before = window.state.shown
    press(window, key)
    assert window.message.get_visible() and window.message.get_text().startswith(words)
    assert "press o" in window.message.get_text()
    assert window.state.problem and window.message.get_color() == "#dc322f"
    assert window.state.shown is before and window.state.conv.padding == "valid"
    assert_shows(window, before)


def test_keys_that_apply_change_the_shown_operation():
    window = _window()
    press(window, "o")
    press(window, "o")  # max pooling, window 3
    press(window, "s")
    assert_shows(window, Pooling(IMAGE, 3, stride=2, mode="max"))
    press(window, "o")  # average pooling keeps the stride
    assert_shows(window, Pooling(IMAGE, 3, stride=2, mode="avg"))
    press(window, "end")
    assert_shows(window, Pooling(IMAGE, 3, stride=2, mode="avg"), step=3)
    press(window, "o")  # the layer: stride 2 as well
    assert window.state.shown.stride == (2, 2)
    press(window, "o")
    press(window, "o")  # transposed: the kernel key walks the presets there too
    press(window, "k")
    assert not window.state.problem and window.state.message.startswith("kernel ")
    assert_shows(window, TransposedConvolution(IMAGE, window.state.conv.kernel, stride=2), step=3)


def test_g_names_the_operation_it_saves(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    window = _window()
    press(window, "o")
    press(window, "o")
    assert window.state.gif_name() == "maxpool-5x5-k3x3-s1-d1.gif"
    press(window, "g")
    assert (tmp_path / "maxpool-5x5-k3x3-s1-d1.gif").is_file()
    assert "saved" in capsys.readouterr().out
