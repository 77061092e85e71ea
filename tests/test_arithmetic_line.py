"""The arithmetic line as a learner reads it: signs as in handwriting, and an arrow only when clamping shows."""

from __future__ import annotations

import numpy as np
import pytest

import visualizer as vz
from visualizer.text import arithmetic


@pytest.mark.parametrize(
    ("image", "kernel", "line"),
    [
        ([[-3, 4]], [[2, -1]], "2×(−3) − 1×4 = −10"),  # a negative pixel in brackets, a negative weight subtracts
        ([[3, -4]], [[-2, 1]], "−2×3 + 1×(−4) = −10"),  # a negative first weight keeps its minus sign
        ([[0.5, -1.5]], [[2, 2]], "2×0.5 + 2×(−1.5) = −2"),
        ([[-1, -2]], [[-1, -1]], "−1×(−1) − 1×(−2) = 3"),
    ],
    ids=["negative pixel and weight", "negative first weight", "fractions", "all negative"],
)
def test_signs_read_as_in_handwriting(image, kernel, line):
    assert arithmetic(vz.Convolution(image, kernel).step(0)) == line


@pytest.mark.parametrize("level", range(1, 33))
def test_a_sum_that_rounds_to_its_own_8_bit_value_has_no_arrow(level):
    # a box blur of a flat patch sums to level ± a few ulps (4.999999999999999 for 5): "= 5", never "= 5 → 5"
    step = vz.Convolution(np.full((3, 3), level, np.uint8), vz.KERNELS["box_blur"], clip="auto").step(0)
    assert step.clipped_value == level
    assert arithmetic(step, max_terms=2) == f"0.111×{level} + … + 0.111×{level} = {level}"


def test_a_clamped_sum_shows_where_it_went():
    step = vz.Convolution(np.full((2, 2), 200, np.uint8), np.ones((2, 2), int), clip="auto").step(0)
    assert arithmetic(step) == "1×200 + 1×200 + 1×200 + 1×200 = 800 → 255"
