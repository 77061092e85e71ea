"""Scenes: what one step of an operation shows, as plain data (:mod:`.items`), built per operation.

:func:`scene_builder` picks the builder for an operation; painters
(:mod:`visualizer.render.raster`, :mod:`visualizer.render.vector`) draw what
it describes. Adding an operation adds one builder here and no painter.

>>> import numpy as np
>>> import visualizer as vz
>>> builder = scene_builder(vz.Convolution(np.eye(3), np.ones((2, 2))), numbers=True)
>>> builder.scene(0).text_at("value", "output", 0, 0)
'2'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import LAYOUTS, SceneBuilder
from .items import Scene

__all__ = ["LAYOUTS", "Scene", "SceneBuilder", "scene_builder"]


def _builders() -> dict[type, Callable[..., SceneBuilder]]:
    from ..convolution import Convolution
    from ..layer import ConvLayer
    from ..learning_animation import KernelLearning
    from ..pooling import Pooling
    from ..transposed import TransposedConvolution
    from .layer import LayerScene
    from .learning import LearningScene
    from .pooling import PoolingScene
    from .transposed import transposed_scene

    return {
        Convolution: _convolution_scene,
        ConvLayer: LayerScene,
        KernelLearning: LearningScene,
        TransposedConvolution: transposed_scene,
        Pooling: PoolingScene,
    }


def scene_builder(op: Any, **style: Any) -> SceneBuilder:
    """The scene builder for ``op`` with ``style`` (theme, numbers, layout).

    Raises TypeError for an object no builder knows.
    """
    builders = _builders()
    for kind, builder in builders.items():
        if isinstance(op, kind):
            return builder(op, **style)
    names = ", ".join(sorted(kind.__name__ for kind in builders))
    raise TypeError(f"op must be a visualizer operation ({names}), got {type(op).__name__}")


def _convolution_scene(conv: Any, **style: Any) -> SceneBuilder:
    """The scene builder of ``conv``; a 1-D signal is drawn as the one-row image its arithmetic is.

    >>> from visualizer import Convolution
    >>> _convolution_scene(Convolution([1, 2, 3, 4], [1, -1])).scene(0).text_at("value", "output", 0, 0)
    '−1'
    """
    import numpy as np

    from ..convolution import Convolution
    from .convolution import ConvolutionScene

    if conv.signal:
        _, _, left, right = conv.pads
        conv = Convolution(
            conv.image[np.newaxis, :],
            conv.kernel[np.newaxis, :],
            stride=(1, conv.stride),
            padding=((0, 0), (left, right)),
            pad_mode=conv.pad_mode,
            dilation=(1, conv.dilation),
            clip=conv.clip,
            pad_value=conv.pad_value,
            flip_kernel=conv.flip_kernel,
        )
    return ConvolutionScene(conv, **style)
