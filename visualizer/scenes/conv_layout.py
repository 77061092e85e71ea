"""How a convolution's scene is set up: its outputs read once, then laid out in numbered cells in the
largest theme that fits, else as pictures.

:func:`lay_out` tries the style's theme and smaller ones (:mod:`.fit`) with the
flat or oblique layout; when even the smallest readable type does not fit
``max_size``, the input and output become pictures with a magnifier
(:mod:`.magnifier`), its type shrunk only if it must be; and when not even the
magnifier fits, the sums written out under the pictures carry the numbers.

>>> import numpy as np
>>> from visualizer import Convolution
>>> from visualizer.scenes.convolution import ConvolutionScene
>>> ConvolutionScene(Convolution(np.zeros((40, 40)), np.ones((3, 3))), max_size=(1920, 1080)).magnifier is None
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text import channel_names
from .fit import fits, hopeless, shrunk_themes
from .flat import Flat
from .items import Font
from .magnifier import Magnifier
from .oblique import Oblique
from .pictures import Source
from .products import ProductsPanel, every_product, step_arrays


def read_outputs(scene: Any) -> None:
    """The scene's output values per channel, and where clamping (not mere rounding) changed them."""
    conv = scene.conv
    # one computation serves the cell sizes, the outputs, the combined colours and the products panel's sums
    scene.raw = raw = conv.raw_result()
    scene.result = result = conv.clamp(raw)
    if conv.clip_range is None:
        clipped = np.zeros(result.shape, bool)
    else:
        clipped = (raw < conv.clip_range[0]) | (raw > conv.clip_range[1])
    channels = range(scene.channels)
    scene.output_values = [result] if result.ndim == 2 else [result[..., c] for c in channels]
    scene.clipped = [clipped] if result.ndim == 2 else [clipped[..., c] for c in channels]
    scene.any_clipped = bool(clipped.any())


def lay_out(scene: Any) -> None:
    """Lay ``scene`` (a ConvolutionScene) out in cells that fit ``max_size``, or as pictures with a magnifier."""
    natural, conv = scene.theme, scene.conv
    cells = (conv.padded.shape[0] * conv.padded.shape[1] + conv.output_shape[0] * conv.output_shape[1]) * (
        scene.channels + scene.rgb
    )
    if not hopeless(natural, scene.numbers, cells, scene.max_size):
        for theme in shrunk_themes(natural, scene.numbers):
            _cells(scene, theme)
            if fits(scene.size, scene.max_size):
                return
    scene.oblique = None
    for theme in shrunk_themes(natural, scene.numbers):  # the magnifier's type shrinks only if it must
        _restart(scene, theme)
        scene.products = products_panel(scene) if scene.numbers else None
        scene.magnifier = scene.magnifier or Magnifier(scene, source(scene))
        scene.magnifier.arrange()
        if fits(scene.size, scene.max_size):
            return
    # a magnifier taller or wider than the frame (a colour image's three rows on a small target):
    # the sums written out under the pictures carry the numbers instead
    _restart(scene, natural)
    scene.products = None
    scene.magnifier.arrange()


def source(scene: Any) -> Source:
    """What a convolution's pictures show: its padded input, its kernel's footprint, its output."""
    conv = scene.conv
    window = conv.kernel.shape[:2]
    return Source(conv.padded, conv.image.shape, conv.pads, window, conv.dilation, scene.result)


def _restart(scene: Any, theme) -> None:
    scene.use_theme(theme)
    scene.grids, scene.planes = {}, scene.planes[:1]


def _cells(scene: Any, theme) -> None:
    conv = scene.conv
    _restart(scene, theme)
    scene.pad_font = Font(scene.theme.value_size, "oblique" if conv.pad_mode != "zeros" else "regular")
    scene.cell = scene.fit_cell(np.concatenate([conv.padded.ravel(), np.ravel(scene.result)]), conv.kernel)
    scene.products = products_panel(scene) if scene.numbers else None
    scene.oblique = Oblique(scene) if scene.layout == "oblique" else None
    (scene.oblique or Flat(scene)).arrange()


def products_panel(scene: Any) -> ProductsPanel:
    """The scene's window ⊙ kernel = products panel, sized for the widest value, product and sum."""
    conv = scene.conv
    given = None
    if conv.flip_kernel:
        given = [conv.kernel[..., c] if conv.kernel.ndim == 3 else conv.kernel for c in range(scene.channels)]
    values = samples(conv.padded)
    products = every_product(values, conv.kernel)
    sums = np.concatenate([samples(scene.raw), samples(scene.result)])
    names = list(channel_names(scene.channels)) if scene.colour_image else [""]
    return ProductsPanel(scene, scene.planes_of_kernel, given, values, products, sums, names)


def products_on_step(scene: Any, step: Any) -> list:
    """The products panel on ``step``'s window: the magnifier of a scene whose cells became pictures."""
    return scene.products.moving(*step_arrays(step))


def samples(values: np.ndarray, most: int = 2048) -> np.ndarray:
    """The distinct ``values``, or ``most`` of them spread from the least to the greatest (enough to size cells).

    >>> samples(np.array([3, 1, 2, 1])).tolist(), len(samples(np.arange(10_000), 5))
    ([1, 2, 3], 5)
    """
    distinct = np.unique(values)
    if len(distinct) <= most:
        return distinct
    return distinct[np.linspace(0, len(distinct) - 1, most).round().astype(int)]
