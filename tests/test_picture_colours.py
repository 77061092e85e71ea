"""The pictures' shared colour table: every pixel takes the table colour nearest to its 5-bit colour box.

The nearest colour is found here by brute force over every table colour, one pixel at a time,
not by the package's sum of per-channel tables.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from visualizer.scenes.pictures import shared_colours

pictures = st.lists(
    arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12), st.just(3))), min_size=1, max_size=3
)


@settings(max_examples=60, deadline=None)
@given(pictures, st.integers(1, 64))
def test_each_pixel_takes_the_nearest_table_colour_to_its_box(pictures, count):
    table, positions, _ = shared_colours(pictures, count)
    assert 1 <= len(table) <= count
    colours = table.astype(int).tolist()
    for picture, position in zip(pictures, positions, strict=True):
        assert position.shape == picture.shape[:2]
        for pixel, chosen in zip(picture.reshape(-1, 3).tolist(), position.ravel().tolist(), strict=True):
            centre = [(value >> 3) * 8 + 4 for value in pixel]
            distances = [sum((a - b) ** 2 for a, b in zip(centre, colour, strict=True)) for colour in colours]
            assert distances[chosen] == min(distances)
            assert chosen == distances.index(min(distances))  # the first of equals, as the lookup table keeps


def test_a_picture_of_few_colours_keeps_them_exactly():
    picture = np.array([[[0, 0, 0], [255, 255, 255]], [[200, 16, 48], [0, 0, 0]]], np.uint8)
    table, (position,), _ = shared_colours([picture])
    np.testing.assert_array_equal(table[position], picture)
