"""The clipping report under a filtered photo: both ends counted, and their share, against SciPy."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from visualizer import KERNELS
from visualizer.filters import filter_image
from visualizer.images import sample_photo


def test_report_counts_each_end_and_the_share_of_both():
    photo = sample_photo(width=40, grey=True)
    sums = np.rint(ndimage.correlate(photo.astype(float), np.asarray(KERNELS["outline"], float), mode="nearest"))
    below, above = np.count_nonzero(sums < 0), np.count_nonzero(sums > 255)
    assert below and above and below != above  # a mix-up of the two ends shows
    share = 100 * (below + above) / photo.size
    expected = (
        f"clipped {below + above:,} of {photo.size:,} values ({share:.1f} %): {below:,} below 0, {above:,} above 255"
    )
    assert filter_image(photo, "outline").report() == expected
