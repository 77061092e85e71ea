"""The library speaks the command line's vocabulary: kernel names wherever weights go, and "did you mean"."""

from __future__ import annotations

import numpy as np
import pytest
from reference import correlate_scipy

import visualizer as vz
from visualizer.filters import filter_image
from visualizer.names import closest, did_you_mean
from visualizer.render.style import get_theme

# typed out from their textbook definitions, not read from vz.KERNELS
TEXTBOOK = {
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "gaussian_blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
}
IMAGE = np.random.default_rng(5).integers(0, 256, (6, 7))


@pytest.mark.parametrize("name", TEXTBOOK)
def test_a_name_is_the_kernel_it_names_against_scipy(name):
    weights = np.asarray(TEXTBOOK[name], float)
    params = {"stride": 2, "padding": "same", "pad_mode": "replicate"}
    expected = correlate_scipy(IMAGE, weights, **params)
    conv = vz.Convolution(IMAGE, name, **params)
    np.testing.assert_array_equal(conv.kernel, weights)
    np.testing.assert_allclose(conv.result(), expected, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(vz.convolve(IMAGE, name, **params), expected, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose([s.value for s in vz.conv_steps(IMAGE, name, **params)], expected.ravel(), atol=1e-9)
    np.testing.assert_allclose(vz.Convolution(IMAGE, np.ones((2, 2))).replace(kernel=name).result(),
                               correlate_scipy(IMAGE, weights), atol=1e-9)  # fmt: skip


def test_a_name_in_a_transposed_convolution_against_torch():
    torch = pytest.importorskip("torch")
    image = IMAGE[:4, :5].astype(float)
    up = vz.TransposedConvolution(image, "sobel_x", stride=2, padding=1)
    weight = torch.tensor(TEXTBOOK["sobel_x"], dtype=torch.float64)[None, None]
    expected = torch.nn.functional.conv_transpose2d(torch.tensor(image)[None, None], weight, stride=2, padding=1)
    np.testing.assert_allclose(up.result(), expected[0, 0].numpy(), atol=1e-9)


def test_a_name_in_a_transposed_convolution_equals_its_weights():
    up = vz.TransposedConvolution(IMAGE, "laplacian", stride=2)
    np.testing.assert_array_equal(
        up.result(), vz.TransposedConvolution(IMAGE, TEXTBOOK["laplacian"], stride=2).result()
    )


BAD = {
    "mistyped kernel": (lambda: vz.Convolution(IMAGE, "sobelx"), ["kernel must be an array or one of", "'sobel_x'"]),
    "kernel in capitals": (lambda: vz.convolve(IMAGE, "Sharpen"), ["kernel", "did you mean 'sharpen'?"]),
    "the magnitude is two kernels": (
        lambda: vz.Convolution(IMAGE, "sobel"),
        ["kernel 'sobel'", "'sobel_x' or 'sobel_y'"],
    ),
    "transposed, mistyped": (lambda: vz.TransposedConvolution(IMAGE, "laplace"), ["kernel", "'laplacian'"]),
    "kernel()": (lambda: vz.kernel("gauss"), ["kernel name must be one of", "did you mean 'gaussian_blur'?"]),
    "filter_image": (lambda: filter_image(IMAGE.astype(np.uint8), "sobl"), ["kernel must be one of", "'sobel'"]),
    "pad_mode": (lambda: vz.Convolution(IMAGE, "sobel_x", padding=1, pad_mode="relfect"), ["pad_mode", "'reflect'"]),
    "pad_mode, NumPy's name": (lambda: vz.convolve(IMAGE, "sobel_x", padding=1, pad_mode="egde"), ["'edge'"]),
    "padding": (lambda: vz.Convolution(IMAGE, "sobel_x", padding="smae"), ["padding must be one of", "'same'"]),
    "theme": (lambda: get_theme("colourblind"), ["theme must be one of", "did you mean 'colorblind'?"]),
    "frame theme": (lambda: vz.render_frame(vz.Convolution(IMAGE, "sobel_x"), 0, theme="drak"), ["'dark'"]),
}


@pytest.mark.parametrize("call, words", BAD.values(), ids=BAD.keys())
def test_a_typo_is_a_value_error_naming_the_parameter_and_the_closest_name(call, words):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)
    assert message.count("did you mean") <= 1


def test_nothing_close_suggests_nothing():
    with pytest.raises(ValueError) as error:
        vz.Convolution(IMAGE, "zebra")
    assert "did you mean" not in str(error.value)
    assert did_you_mean("zebra", vz.KERNELS) == ""


def test_other_kernel_types_keep_their_own_errors():
    with pytest.raises(TypeError, match="kernel"):
        vz.Convolution(IMAGE, b"sobel_x")
    with pytest.raises(TypeError, match="kernel"):
        vz.Convolution(IMAGE, None)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sobelx", "sobel_x"), ("SOBEL_Y", "sobel_y"), ("gauss", "gaussian_blur"), ("blur", "box_blur"),
     ("laplace", "laplacian"), ("sharp", "sharpen"), ("ident", "identity"), ("", None), ("qqq", None)],
)  # fmt: skip
def test_closest_names(typed, meant):
    assert closest(typed, vz.KERNELS) == meant
