"""Each cell's kind (an input, padding, an inserted zero, …), kept as a small code per cell.

A string per cell costs 28 bytes: a transposed convolution stretched to 2000×2000 would hold
over 100 MB of them before its first frame. One byte a cell, and the names once, cost 4 MB.

>>> kinds = CellKinds(("input", "padding"), np.array([[1, 0], [0, 0]], np.uint8))
>>> kinds[0, 0], kinds[1, 1], kinds.shape
('padding', 'input', (2, 2))
>>> int(kinds.mask("input").sum()), kinds.has("padding"), kinds.has("outside")
(3, True, False)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class CellKinds:
    """The kind of every cell of a grid: ``names[codes[r, c]]``, read as ``kinds[r, c]``."""

    def __init__(self, names: Sequence[str], codes: np.ndarray):
        self.names = tuple(names)
        self.codes = codes

    @property
    def shape(self) -> tuple[int, ...]:
        return self.codes.shape

    def __getitem__(self, at: tuple[int, int]) -> str:
        return self.names[self.codes[at]]

    def mask(self, name: str) -> np.ndarray:
        """True where a cell is of kind ``name``."""
        if name not in self.names:
            return np.zeros(self.codes.shape, bool)
        return self.codes == self.names.index(name)

    def has(self, name: str) -> bool:
        """Whether any cell is of kind ``name``."""
        return bool(self.mask(name).any())
