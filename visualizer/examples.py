"""Example inputs for a lesson: random digits, a ramp, or a crop of the sample photo.

The command line (``--values``), the gallery and the widget all make their inputs
here, so "random" with the same seed shows the same numbers everywhere.
"""

from __future__ import annotations

import numpy as np

VALUE_SOURCES = ("random", "ramp", "photo")
"""Random digits ``low…high``, a ramp 0, 1, 2, … in row-major order, or real pixels of the sample photo."""


def example_values(
    source: str,
    shape: tuple[int, ...],
    rng: np.random.Generator | None = None,
    *,
    low: int = 0,
    high: int = 9,
) -> np.ndarray:
    """Input values of ``shape`` from one of :data:`VALUE_SOURCES`.

    ``rng`` draws the random digits (a fresh generator seeded with 0 when None);
    "photo" gives ``uint8`` pixels, grey for ``(rows, cols)`` and RGB for
    ``(rows, cols, 3)``: a crop of the lesson's photo where it has the most
    contrast, or the photo resized to cover a larger size and cropped to it
    (:func:`visualizer.images.photo_values`).

    Examples
    --------
    >>> example_values("ramp", (2, 3))
    array([[0, 1, 2],
           [3, 4, 5]])
    >>> digits = example_values("random", (3, 3), np.random.default_rng(0), high=2)
    >>> int(digits.min()) >= 0 and int(digits.max()) <= 2
    True
    """
    if source == "random":
        return (rng or np.random.default_rng(0)).integers(low, high + 1, size=shape)
    if source == "ramp":
        return np.arange(int(np.prod(shape))).reshape(shape)
    if source == "photo":
        if len(shape) == 3 and shape[2] != 3:
            raise ValueError(f"photo values are grey (rows, cols) or RGB (rows, cols, 3); got {shape[2]} channels")
        from .images import photo_values  # Pillow and the sample photo load only when asked for

        return photo_values(shape[:2], grey=len(shape) == 2)
    raise ValueError(f"values must be one of {', '.join(VALUE_SOURCES)}; got {source!r}")
