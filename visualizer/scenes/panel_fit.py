"""How a panel scene fits ``max_size``: smaller cells first, then pictures with a magnifier.

:class:`Fitting` is the part of :class:`~.panels.PanelScene` that tries the
style's theme and smaller ones (:mod:`.fit`) and, when even the smallest
readable cells do not fit, draws the input and output as pictures
(:mod:`.pictures`) with a magnifier (:mod:`.magnifier`) the scene provides.

>>> import numpy as np
>>> from visualizer import Pooling
>>> from visualizer.scenes import scene_builder
>>> builder = scene_builder(Pooling(np.zeros((300, 300)), 2), max_size=(1920, 1080))
>>> builder.magnifier is not None, sorted(builder.picture_panels)
(True, ['input', 'output'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .fit import fits, hopeless, shrunk_themes
from .items import Item
from .magnified import Magnified
from .magnifier import Magnifier
from .pictures import Source

LayOut = Callable[[], None]


class Fitting(Magnified):
    """Fitting a panel scene to ``max_size`` (see the module's description); mixed into PanelScene."""

    magnifier: Magnifier | None = None  # set when the cells became pictures

    def fit_and_draw(self, cells: int, pictures: Callable[[], Source] | None) -> None:
        """Lay the scene out to fit (as cells, or as pictures with a magnifier), then draw its still parts once."""
        self.fit(self._lay_out, cells, pictures)
        if self.magnifier is None:
            self._still = self._build_still()
            self._revealed = [self._reveal(k) for k in range(self.op.num_steps)]
        else:
            still = self.products.still() if self.products is not None else []
            self._still = [*self.frame_items(), *self.magnifier.still(), *still]

    def fit(self, lay_out: LayOut | list[LayOut], cells: int, pictures: Callable[[], Source] | None = None) -> None:
        """Run ``lay_out`` (cell sizes, panels, frame size) in the style's theme, then in smaller ones, until the
        frame fits ``max_size`` (several ways to lay out: each in every theme before the next). When none fits
        (``cells`` cells at the smallest readable size), the input and output become pictures of ``pictures()``
        with a magnifier (:meth:`window_panel`); without ``pictures``, the first way in the style's own theme.
        """
        natural, numbers = self.theme, self.numbers
        ways = lay_out if isinstance(lay_out, list) else [lay_out]
        if not hopeless(natural, numbers, cells, self.max_size):
            for way in ways:
                for theme in shrunk_themes(natural, numbers):
                    self._lay_out_in(theme, way)
                    if fits(self.size, self.max_size):
                        return
        if pictures is None:
            self._lay_out_in(natural, ways[0])
            return
        # words only: the cells' looks are not the pictures'; the ring is the footprint's, the clamping the sum's;
        # pictures draw no cut-off border (the scatter view's)
        self.legend = [("note", text) for kind, text in self.legend if kind not in ("input", "ring", "clamped", "cut")]
        # the magnifier's type shrinks only if it must: for the frame to fit, or for the pictures to have a
        # pixel a value when a smaller magnifier leaves them that (else the largest that fits)
        fitting = None
        for theme in shrunk_themes(natural, numbers):
            self._with_magnifier(theme, pictures)
            if fits(self.size, self.max_size):
                if self.magnifier.px >= 1:
                    return
                fitting = fitting or theme
        if fitting is not None:
            self._with_magnifier(fitting, pictures)
            return
        # a magnifier larger than the frame: the arithmetic written out under the pictures carries the numbers
        self._lay_out_in(natural, lambda: None)
        self.products = None
        self.magnifier.arrange()

    def _with_magnifier(self, theme, pictures: Callable[[], Source]) -> None:
        self._lay_out_in(theme, lambda: None)
        self.products = self.window_panel() if self.numbers else None
        self.magnifier = self.magnifier or Magnifier(self, pictures())
        self.magnifier.arrange()

    def window_panel(self) -> Any:
        """The magnifier on the current window, when the cells became pictures."""
        raise NotImplementedError

    def magnifier_moving(self, step: Any) -> list[Item]:
        """The magnifier's items for ``step``."""
        raise NotImplementedError

    def arithmetic_rows(self) -> int:
        """Lines of arithmetic per channel."""
        return self.arithmetic_count // self.channels

    def _lay_out_in(self, theme, lay_out: Callable[[], None]) -> None:
        self.use_theme(theme)
        self.grids, self.planes, self.titles, self.panels = {}, self.planes[:1], [], {}
        lay_out()
