"""How an operation shows itself in a notebook: the offline player, one frame as PNG and its description.

Every operation inherits :class:`InlineDisplay`: a bare ``conv`` at the end of a
cell shows the player. The drawing lives in :mod:`visualizer.render.inline`,
looked up by name when a notebook asks, so the core never loads drawing code on
its own (``import visualizer`` stays headless and fast).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


class InlineDisplay:
    """``_repr_mimebundle_`` for an operation (anything with a scene builder and ``describe()``)."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        """Notebook display: the step player, one frame and the description.

        >>> from visualizer import Pooling
        >>> data, metadata = Pooling([[1, 2], [3, 4]], size=2)._repr_mimebundle_()
        >>> sorted(data)
        ['image/png', 'text/html', 'text/plain']
        """
        return import_module("visualizer.render.inline").mimebundle(self)
