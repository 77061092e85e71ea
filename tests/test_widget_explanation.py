"""The stepper's text beside the picture, cell by cell: where the window is, and each product in its place.

The image, the kernel and the stride are chosen so that no position or window
reads the same transposed: a row and a column swapped anywhere shows.
"""

from __future__ import annotations

import re

import numpy as np

import visualizer as vz
from visualizer.widget import Stepper

IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]])
KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 3]])
STRIDE = (1, 2)  # 2×2 outputs; the window of out[i, j] starts at row i, column 2j


def products_table(text: str) -> list[list[tuple[str, str, str]]]:
    """(weight, pixel, product) per cell of the first table, row by row, as written."""
    table = re.search(r"<table[^>]*>(.*?)</table>", text).group(1)
    return [
        re.findall(r"<td[^>]*>(.*?)×(.*?)<br><b>(.*?)</b></td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]


def test_each_step_names_its_output_and_its_window_row_first():
    stepper = Stepper(vz.Convolution(IMAGE, KERNEL, stride=STRIDE))
    assert stepper.num_steps == 4
    for k, (i, j) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        stepper.step = k
        text = stepper.explanation.value
        assert f"<b>output [{i}, {j}]</b>" in text
        assert f"window's top-left at row {i}, column {2 * j} of the input" in text


def test_the_products_table_is_laid_out_like_the_kernel():
    stepper = Stepper(vz.Convolution(IMAGE, KERNEL, stride=STRIDE))
    for k, (i, j) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        stepper.step = k
        window = IMAGE[i : i + 3, 2 * j : 2 * j + 3]
        expected = [[(str(w), str(x), str(w * x)) for w, x in zip(KERNEL[u], window[u], strict=True)] for u in range(3)]
        assert not np.array_equal(window, window.T)
        assert products_table(stepper.explanation.value) == expected, (i, j)
