"""What a scene whose cells may become pictures tells the magnifier (:mod:`.magnifier`) about them.

Names of the pictures and what their titles call them, what a step reads and
writes on them, and how many lines of arithmetic go under them: a convolution's
by default, a layer's or a scatter view's where the scene says otherwise.

>>> lift_index((7,)), lift_index((2, 3))
((0, 7), (2, 3))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..geometry import window_taps
from ..text import channel_names

if TYPE_CHECKING:  # for the annotations only: the magnifier reads the scene, not the reverse
    from .magnifier import Magnifier

Box4 = tuple[int, int, int, int]


class Magnified:
    """What a scene that may switch to pictures says about its grids and pictures (``self.magnifier`` or None)."""

    magnifier: Magnifier | None
    colour_image: bool

    @property
    def picture_panels(self) -> dict:
        """Where the pictures lie, by name, when the cells became pictures (else none)."""
        return self.magnifier.panels if self.magnifier is not None else {}

    def reveals(self) -> bool:
        return self.magnifier is None  # the pictures' outputs fill in as one moving picture

    def input_name(self, channel: int) -> str:
        return f"input:{channel}" if self.colour_image else "input"

    def output_name(self, channel: int) -> str:
        return f"output:{channel}" if self.colour_image else "output"

    def picture_label(self, kind: str, channel: int) -> str:
        """What picture ``channel`` of ``kind`` ("input" or "output") is called in its title ("red", …)."""
        return channel_names(self.channels)[channel]

    def written_lines(self) -> int:
        """Lines of arithmetic written under the pictures."""
        return self.arithmetic_rows() * self.channels

    def picture_marks(self, step: Any) -> tuple[Box4 | list, Box4 | list | None]:
        """The values ``(r0, c0, r1, c1)`` the step reads on the input picture and those it writes on the output
        (None: all cut off): the kernel's footprint and one output value, unless the scene says otherwise; or a
        list of them, one a picture (None where the step reads or writes nothing: a layer's other channels)."""
        source = self.magnifier.source
        rows, cols = window_taps(lift_index(step.origin), source.window, source.dilation)
        i, j = lift_index(step.out_index)
        return (rows[0], cols[0], rows[-1] + 1, cols[-1] + 1), (i, j, i + 1, j + 1)

    def outputs_so_far(self, step: Any) -> tuple[np.ndarray | None, int | np.ndarray]:
        """The output once ``step`` is done (None: the whole result, the values do not change) and which values
        are not computed yet: from the ``n``-th on (row-major), or a mask; or a list of them, one an output
        picture."""
        i, j = lift_index(step.out_index)
        return None, i * self.magnifier.source.output_shape[1] + j + 1


def lift_index(index: tuple[int, ...]) -> tuple[int, int]:
    """A signal's ``(j,)`` as ``(0, j)``; ``(i, j)`` as it is.

    >>> lift_index((7,)), lift_index((2, 3))
    ((0, 7), (2, 3))
    """
    return (0, index[0]) if len(index) == 1 else (index[0], index[1])
