"""The lesson's worked examples (shared/seed), each as a named test.

Expected values come from the lesson's own formula written out as loops,
O[i, j] = Σm Σn I[i·S + m, j·S + n] · K[m, n] with zero-based indices, or by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import visualizer as vz

RNG = np.random.default_rng(2024)


def lesson_formula(image: np.ndarray, kernel: np.ndarray, stride: int = 1) -> np.ndarray:
    """The lesson's equation, as plain loops over i, j, m, n (valid padding)."""
    (h, w), (m_size, n_size) = image.shape, kernel.shape
    rows, cols = (h - m_size) // stride + 1, (w - n_size) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = sum(
                image[i * stride + m, j * stride + n] * kernel[m, n] for m in range(m_size) for n in range(n_size)
            )
    return out


def test_4x4_input_3x3_kernel_stride_1_valid_gives_2x2():
    image, kernel = RNG.integers(0, 10, (4, 4)), RNG.integers(-2, 3, (3, 3))
    conv = vz.Convolution(image, kernel)
    assert conv.output_shape == (2, 2)
    np.testing.assert_array_equal(conv.result(), lesson_formula(image, kernel))
    # the window slides right one pixel, then down one and back to the left
    assert [s.origin for s in conv.steps()] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    # by hand: a 3×3 box of ones over 0…15
    np.testing.assert_array_equal(vz.convolve(np.arange(16).reshape(4, 4), np.ones((3, 3), int)), [[45, 54], [81, 90]])


def test_4x5_input_stride_1_gives_2x3():
    # "the output image would be a two-by-three matrix if we set the stride to one"
    image, kernel = RNG.integers(0, 10, (4, 5)), RNG.integers(-2, 3, (3, 3))
    assert vz.output_shape((4, 5), (3, 3)) == (2, 3)
    np.testing.assert_array_equal(vz.convolve(image, kernel), lesson_formula(image, kernel))


def test_4x5_input_stride_2_gives_1x2_and_never_uses_the_bottom_row():
    image, kernel = RNG.integers(0, 10, (4, 5)), RNG.integers(1, 3, (3, 3))
    conv = vz.Convolution(image, kernel, stride=2)
    assert conv.output_shape == (1, 2)
    np.testing.assert_array_equal(conv.result(), lesson_formula(image, kernel, stride=2))
    assert [s.origin for s in conv.steps()] == [(0, 0), (0, 2)]
    # proof that the bottom row is skipped: change it and nothing changes
    changed = image.copy()
    changed[3] += 100
    np.testing.assert_array_equal(vz.convolve(changed, kernel, stride=2), conv.result())
    # …while the third row is used (the test could fail)
    third = image.copy()
    third[2] += 100
    assert not np.array_equal(vz.convolve(third, kernel, stride=2), conv.result())
    assert all(3 not in range(s.origin[0], s.origin[0] + 3) for s in conv.steps())


def test_5x5_with_same_padding_gives_5x5():
    conv = vz.Convolution(RNG.integers(0, 10, (5, 5)), np.ones((3, 3), int), padding="same")
    assert conv.output_shape == (5, 5) == conv.result().shape
    assert conv.pads == (1, 1, 1, 1)
    assert conv.padded.shape == (7, 7)
    # zero padding, as Keras does for "same"
    assert not conv.padded[0].any() and not conv.padded[:, 0].any()


def test_same_padding_with_stride_2_is_smaller():
    # "even with padding, if you set the stride to more than one, you still may end up with a smaller output"
    conv = vz.Convolution(RNG.integers(0, 10, (5, 5)), np.ones((3, 3), int), padding="same", stride=2)
    assert conv.output_shape == (3, 3) == conv.result().shape


@pytest.mark.parametrize("h, w, m, n, s", [(4, 4, 3, 3, 1), (4, 5, 3, 3, 2), (4, 5, 3, 3, 1), (7, 9, 2, 4, 3)])
def test_zero_based_output_size_formula(h, w, m, n, s):
    # i goes from 0 to ⌊(H − M) / S⌋, j from 0 to ⌊(W − N) / S⌋
    conv = vz.Convolution(np.zeros((h, w)), np.ones((m, n)), stride=s)
    last = max(step.out_index for step in conv.steps())
    assert last == ((h - m) // s, (w - n) // s)
    assert conv.output_shape == ((h - m) // s + 1, (w - n) // s + 1)
    rows, cols = conv.formula()
    assert rows == f"rows = ⌊({h} + 0 − {m}) / {s}⌋ + 1 = {(h - m) // s + 1}"
    assert cols == f"cols = ⌊({w} + 0 − {n}) / {s}⌋ + 1 = {(w - n) // s + 1}"


def test_odd_kernel_saturates_an_8bit_image_to_255():
    odd = vz.KERNELS["odd"]
    assert (odd > 0).all() and odd.sum() > 1  # every weight positive, the sums grow past the pixel values
    image = RNG.integers(20, 256, (6, 6)).astype(np.uint8)
    conv = vz.Convolution(image, odd, clip="auto")
    result = conv.result()
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, np.full((4, 4), 255))  # "all values would just be clipped to 255"
    for step in conv.steps():
        assert step.value > 255 and step.clipped_value == 255 and step.is_clipped
        assert step.value == lesson_formula(image.astype(int), odd.astype(int))[step.out_index]


def test_negative_sums_clamp_to_0():
    image = np.array([[0, 0, 200, 200]] * 3, np.uint8)
    conv = vz.Convolution(image, -vz.KERNELS["sobel_x"], clip="auto")
    # by hand: each window has 0 in its left column and 200 in its right: −(200·1 + 200·2 + 200·1) = −800
    np.testing.assert_array_equal(conv.raw_result(), [[-800, -800]])
    np.testing.assert_array_equal(conv.result(), [[0, 0]])
    assert all(step.clipped_value == 0 and step.value < 0 for step in conv.steps())


@pytest.mark.parametrize("clip", [(0, 1), (-1, 1)])
def test_floats_clamp_to_the_range_given(clip):
    image = RNG.random((5, 5))
    conv = vz.Convolution(image, vz.KERNELS["outline"], clip=clip)
    raw = lesson_formula(image, vz.KERNELS["outline"])
    np.testing.assert_allclose(conv.raw_result(), raw, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.result(), np.clip(raw, *clip), rtol=1e-12, atol=1e-12)


def test_colour_image_with_a_3x3x3_stack():
    # one kernel per channel: red blurred, green sharpened, blue edge-detected
    image = RNG.integers(0, 256, (5, 6, 3)).astype(np.uint8)
    stack = np.stack([vz.KERNELS["box_blur"], vz.KERNELS["sharpen"], vz.KERNELS["outline"]], axis=-1)
    assert stack.shape == (3, 3, 3)
    conv = vz.Convolution(image, stack)
    assert conv.result().shape == (3, 4, 3)
    for c in range(3):
        np.testing.assert_allclose(conv.result()[..., c], lesson_formula(image[..., c], stack[..., c]), rtol=1e-12)
    # the same kernel for every channel is allowed too
    shared = vz.convolve(image, vz.KERNELS["sharpen"])
    for c in range(3):
        np.testing.assert_array_equal(shared[..., c], lesson_formula(image[..., c], vz.KERNELS["sharpen"]))


def test_replicate_padding_copies_the_edge_outward():
    image = np.array([[1, 2, 3], [4, 5, 6]])
    conv = vz.Convolution(image, np.ones((3, 3), int), padding=1, pad_mode="replicate")
    np.testing.assert_array_equal(
        conv.padded,
        [
            [1, 1, 2, 3, 3],
            [1, 1, 2, 3, 3],
            [4, 4, 5, 6, 6],
            [4, 4, 5, 6, 6],
        ],
    )
    # "making the image look a little bigger than it is": a flat image stays flat under a box blur
    flat = vz.convolve(np.full((4, 4), 7), np.ones((3, 3), int), padding="same", pad_mode="replicate")
    np.testing.assert_array_equal(flat, np.full((4, 4), 63))
    # while zero padding darkens the border
    assert vz.convolve(np.full((4, 4), 7), np.ones((3, 3), int), padding="same")[0, 0] == 28


def test_valid_padding_is_cheaper_than_same():
    # "it saves you convolution steps"
    valid = vz.Convolution(np.zeros((5, 5)), np.ones((3, 3)))
    same = valid.replace(padding="same")
    assert valid.num_steps == 9 < same.num_steps == 25


def test_sobel_magnitude_combines_x_and_y():
    image = RNG.integers(0, 256, (6, 7)).astype(float)
    gx = lesson_formula(image, vz.KERNELS["sobel_x"])
    gy = lesson_formula(image, vz.KERNELS["sobel_y"])
    np.testing.assert_allclose(vz.sobel_magnitude(image), np.sqrt(gx**2 + gy**2), rtol=1e-12)
    eight_bit = vz.sobel_magnitude(image.astype(np.uint8), clip="auto")
    assert eight_bit.dtype == np.uint8
    np.testing.assert_array_equal(eight_bit, np.clip(np.round(np.sqrt(gx**2 + gy**2)), 0, 255))
