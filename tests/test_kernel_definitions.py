"""Every named kernel against its textbook definition, written out here by hand, and against SciPy.

The arrays below are typed from the sources named beside them, never computed from
``visualizer.kernels``: a weight changed, a sign flipped or a kernel turned round
there fails here. This project computes cross-correlation (as CNN libraries do),
so a kernel that a source defines for true convolution appears here flipped, and
the comment says so. Rows are y (down), columns are x (right).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage, stats

import visualizer as vz
from visualizer import KERNELS, kernel

TEXTBOOK = {
    # Wikipedia, "Kernel (image processing)", table of examples: "Identity"
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    # Wikipedia, same table: "Box blur (normalized)"
    "box_blur": np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]]) / 9,
    # Wikipedia, same table: "Gaussian blur 3 × 3 (approximation)"; also the lesson's course
    # notebook (ShawnHymel/computer-vision-with-embedded-machine-learning, 2.1.4, "Test 1")
    "gaussian_blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
    # Wikipedia, same table: "Gaussian blur 5 × 5 (approximation)"
    "gaussian_blur_5x5": np.array(
        [
            [1, 4, 6, 4, 1],
            [4, 16, 24, 16, 4],
            [6, 24, 36, 24, 6],
            [4, 16, 24, 16, 4],
            [1, 4, 6, 4, 1],
        ]
    )
    / 256,
    # Wikipedia, same table: "Sharpen"; setosa.io "Image Kernels": "sharpen"; the lesson's own example
    # kernel ("the kernel we saw earlier to create a sharpened image"; course notebook "Test 3")
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    # setosa.io "Image Kernels" (V. Powell): "emboss", the lesson's "funky emboss effect": light falls
    # from the top left, so the weights grow towards the bottom right
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    # setosa.io "Image Kernels": "outline"; Wikipedia's third "Ridge/edge detection" kernel; the
    # lesson's course notebook, "Test 2: Edge detection"
    "outline": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    # Sobel & Feldman (1968), as Wikipedia "Sobel operator" gives it: G_x = [[+1, 0, −1], [+2, 0, −2],
    # [+1, 0, −1]] ∗ A with ∗ a true convolution; as a correlation that matrix is flipped: positive
    # where brightness grows to the right (setosa.io's "right sobel")
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    # ibid.: G_y = [[+1, +2, +1], [0, 0, 0], [−1, −2, −1]] ∗ A, y growing downwards; flipped for
    # correlation: positive where brightness grows downwards (setosa.io's "bottom sobel")
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    # Gonzalez & Woods, "Digital Image Processing", the Laplacian ∂²f/∂x² + ∂²f/∂y² from second
    # differences [1, −2, 1] along x and along y (the 4-neighbour mask, centre −4)
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    # The lesson's "really odd kernel" (transcript in the seed): shown on screen, its weights are
    # not read out. The transcript fixes only what it does: every weight positive and large, so
    # the sums of 8-bit pixels pass 255 and "all values would just be clipped to 255". These
    # weights are the project's choice under that rule (tested below), pinned so they stay put.
    "odd": np.array([[2, 3, 2], [3, 5, 3], [2, 3, 2]]),
}

# Pascal's triangle, typed out: the binomial weights that approximate a Gaussian (Wikipedia,
# "Gaussian blur" / "Binomial coefficient"); the n-row kernel is outer(row, row) / sum(row)².
PASCAL = {
    1: [1],
    2: [1, 1],
    3: [1, 2, 1],
    4: [1, 3, 3, 1],
    5: [1, 4, 6, 4, 1],
    6: [1, 5, 10, 10, 5, 1],
    7: [1, 6, 15, 20, 15, 6, 1],
}

# The pad modes and their names in scipy.ndimage (the table in the environment notes).
NDIMAGE = {"zeros": "constant", "replicate": "nearest", "reflect": "mirror", "circular": "wrap"}
IMAGE = np.random.default_rng(11).random((9, 12)) * 255


def test_every_named_kernel_has_a_textbook_definition_here():
    assert set(KERNELS) == set(TEXTBOOK)


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_named_kernel_equals_its_textbook_definition(name):
    expected = TEXTBOOK[name]
    for got in (KERNELS[name], kernel(name), kernel(name, size=expected.shape[0])):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("size", sorted(PASCAL))
def test_sized_variants_equal_their_definitions(size):
    row = np.array(PASCAL[size])
    np.testing.assert_allclose(kernel("gaussian_blur", size), np.outer(row, row) / row.sum() ** 2, rtol=1e-15)
    np.testing.assert_allclose(kernel("box_blur", size), np.full((size, size), 1 / size**2), rtol=1e-15)
    # the identity's one tap: the middle, or for an even size the upper-left of the middle four,
    # where "same" padding (extra row and column after: TensorFlow, PyTorch) centres the window
    middle = (size - 1) // 2
    expected = np.zeros((size, size))
    expected[middle, middle] = 1
    np.testing.assert_array_equal(kernel("identity", size), expected)


def test_identity_of_size_four_written_out():
    np.testing.assert_array_equal(kernel("identity", 4), [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])


# -- orientation and sign, by what each kernel does to a picture ----------------------------------


def test_sobel_kernels_are_positive_where_brightness_grows_right_and_down():
    columns, rows = np.meshgrid(np.arange(6.0), np.arange(5.0))
    # a slope of 1 per pixel: weights 1 + 2 + 1 a pixel apart on each side give 2 × 4
    np.testing.assert_array_equal(vz.convolve(columns, KERNELS["sobel_x"]), np.full((3, 4), 8))
    np.testing.assert_array_equal(vz.convolve(rows, KERNELS["sobel_y"]), np.full((3, 4), 8))
    np.testing.assert_array_equal(vz.convolve(rows, KERNELS["sobel_x"]), np.zeros((3, 4)))
    np.testing.assert_array_equal(vz.convolve(columns, KERNELS["sobel_y"]), np.zeros((3, 4)))


def test_emboss_lights_edges_facing_the_top_left():
    # brighter towards the bottom right: the embossed slope is lit, its mirror image is shaded
    ramp = np.add.outer(np.arange(5.0), np.arange(5.0))
    for picture, sign in ((ramp, 1), (ramp[::-1, ::-1], -1)):
        relief = vz.convolve(picture, KERNELS["emboss"]) - picture[1:-1, 1:-1]
        assert (sign * relief > 0).all()


def test_odd_kernel_clamps_every_8bit_sum_to_255():
    # the transcript: every weight positive, the sums "really large", all clipped to 255
    odd = KERNELS["odd"]
    assert (odd > 0).all()
    darkest = int(np.ceil(256 / odd.sum()))  # any 3×3 patch at least this bright sums past 255
    image = np.random.default_rng(2).integers(darkest, 256, (6, 7)).astype(np.uint8)
    conv = vz.Convolution(image, odd, clip="auto")
    assert (conv.raw_result() > 255).all()
    np.testing.assert_array_equal(conv.result(), np.full((4, 5), 255, np.uint8))


# -- against SciPy's own filters ---------------------------------------------------------------------


def same(image: np.ndarray, weights: np.ndarray, pad_mode: str) -> np.ndarray:
    """Our correlation, padded as ndimage centres a kernel: size // 2 before, the rest after."""
    padding = tuple((n // 2, n - 1 - n // 2) for n in weights.shape)
    return vz.Convolution(image, weights, padding=padding, pad_mode=pad_mode).result()


def binomial_blur(image: np.ndarray, size: int, mode: str) -> np.ndarray:
    """Binomial smoothing along both axes, its weights from scipy.stats (the B(size − 1, ½) pmf)."""
    weights = stats.binom.pmf(np.arange(size), size - 1, 0.5)
    return ndimage.correlate1d(ndimage.correlate1d(image, weights, axis=0, mode=mode), weights, axis=1, mode=mode)


# Each named kernel as SciPy's filters build it: (image, ndimage mode) -> response.
SCIPY = {
    # ndimage.sobel correlates [−1, 0, 1] along ``axis`` and smooths [1, 2, 1] across it
    # (scipy.ndimage.sobel's docs): axis 1 is x (columns), axis 0 is y (rows), same sign as ours
    "sobel_x": lambda im, mode: ndimage.sobel(im, axis=1, mode=mode),
    "sobel_y": lambda im, mode: ndimage.sobel(im, axis=0, mode=mode),
    "laplacian": lambda im, mode: ndimage.laplace(im, mode=mode),
    "identity": lambda im, mode: im,
    "box_blur": lambda im, mode: ndimage.uniform_filter(im, 3, mode=mode),
    "gaussian_blur": lambda im, mode: binomial_blur(im, 3, mode),
    "gaussian_blur_5x5": lambda im, mode: binomial_blur(im, 5, mode),
    # sharpen = identity − Laplacian
    "sharpen": lambda im, mode: im - ndimage.laplace(im, mode=mode),
    # outline = 9 × identity − the 3×3 sum
    "outline": lambda im, mode: 9 * im - 9 * ndimage.uniform_filter(im, 3, mode=mode),
    # emboss = identity + Prewitt x + Prewitt y: the gradient towards the bottom right
    "emboss": lambda im, mode: im + ndimage.prewitt(im, axis=1, mode=mode) + ndimage.prewitt(im, axis=0, mode=mode),
    # odd = 18 × box + Laplacian + 7 × identity
    "odd": lambda im, mode: 18 * ndimage.uniform_filter(im, 3, mode=mode) + ndimage.laplace(im, mode=mode) + 7 * im,
}


def test_every_named_kernel_has_a_scipy_counterpart():
    assert set(SCIPY) == set(KERNELS)


@pytest.mark.parametrize("pad_mode", sorted(NDIMAGE))
@pytest.mark.parametrize("name", sorted(SCIPY))
def test_named_kernel_against_scipy(name, pad_mode):
    expected = SCIPY[name](IMAGE, NDIMAGE[pad_mode])
    np.testing.assert_allclose(same(IMAGE, KERNELS[name], pad_mode), expected, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("pad_mode", sorted(NDIMAGE))
@pytest.mark.parametrize("size", sorted(PASCAL))
def test_sized_variants_against_scipy(size, pad_mode):
    mode = NDIMAGE[pad_mode]
    np.testing.assert_allclose(same(IMAGE, kernel("box_blur", size), pad_mode),
                               ndimage.uniform_filter(IMAGE, size, mode=mode), rtol=1e-12, atol=1e-9)  # fmt: skip
    np.testing.assert_allclose(same(IMAGE, kernel("gaussian_blur", size), pad_mode),
                               binomial_blur(IMAGE, size, mode), rtol=1e-12, atol=1e-9)  # fmt: skip
    identity = vz.Convolution(IMAGE, kernel("identity", size), padding="same", pad_mode=pad_mode).result()
    np.testing.assert_array_equal(identity, IMAGE)


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_named_kernel_against_torch(name):
    torch = pytest.importorskip("torch")
    weights = torch.from_numpy(TEXTBOOK[name].astype(np.float64))[None, None]
    # conv2d is a correlation, as here; padding="same" pads as the TensorFlow rule does
    expected = torch.nn.functional.conv2d(torch.from_numpy(IMAGE)[None, None], weights, padding="same")[0, 0]
    got = vz.Convolution(IMAGE, KERNELS[name], padding="same").result()
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-12, atol=1e-9)
