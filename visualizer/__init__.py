"""visualizer: image convolution, computed step by step and shown at every step.

>>> import visualizer as vz
>>> conv = vz.Convolution([[1, 2, 3], [4, 5, 6], [7, 8, 9]], vz.KERNELS["identity"], padding="same")
>>> conv.output_shape
(3, 3)
>>> first = next(conv.steps())
>>> first.origin, int(first.value)
((0, 0), 1)
"""

from importlib import import_module
from typing import Any

from . import learn
from .activations import ACTIVATIONS
from .convolution import Convolution, Step, conv_steps, convolve
from .geometry import output_shape
from .kernels import KERNELS, kernel
from .layer import ConvLayer, LayerStep, conv_layer, from_torch_conv
from .pooling import Pooling, pool
from .sobel import sobel_magnitude
from .transposed import TransposedConvolution, conv_transpose

# The one place the version is written: the wheel's metadata reads this line (pyproject.toml),
# convviz --version prints it. Keep it a plain string literal so it is read without importing.
__version__ = "0.2.0"

# Renderers, the widget and the presenter pull in matplotlib/Pillow/ipywidgets:
# they load on first use so that `import visualizer` stays fast and headless.
_LAZY = {
    "render_frame": ".render.frame",
    "save_frame": ".render.frame",
    "save_animation": ".render.export",
    "Stepper": ".widget",
    "interact": ".widget",
    "present": ".presenter",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'visualizer' has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS",
    "ConvLayer",
    "Convolution",
    "LayerStep",
    "Step",
    "TransposedConvolution",
    "Pooling",
    "KERNELS",
    "conv_layer",
    "conv_transpose",
    "conv_steps",
    "convolve",
    "from_torch_conv",
    "kernel",
    "learn",
    "output_shape",
    "pool",
    "sobel_magnitude",
    *_LAZY,
]
