"""A convolutional layer of a CNN: several filters over every input channel, bias, activation.

Each filter is the lesson's ``M×N×C`` stack: it slides over the image, each input
channel gives a partial sum, the partial sums plus the filter's bias are the value
before the activation. The output has one channel per filter. Filters can see
only a group of the input channels (``groups``): one channel each is a depthwise
layer, and a 1×1 kernel mixes channels at each pixel (a pointwise layer).

The geometry (padding, stride, dilation and their checks) is a :class:`Convolution`'s:
one is built for it, and its padded input is the one the windows slide over.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from functools import cached_property
from typing import Any

import numpy as np

from .activations import ACTIVATIONS, activation_name
from .code_layer import layer_code
from .convolution import Convolution
from .display import InlineDisplay
from .geometry import PaddingSpec, Pair
from .im2col import grouped_sums, window_view
from .layer_checks import check_groups, numeric_array, work_dtype
from .layer_step import LayerStep
from .torch_convert import TorchConv, layer_params_from_torch, torch_conv


class ConvLayer(InlineDisplay):
    """A 2-D convolutional layer (cross-correlation, as in CNN libraries), step by step.

    Parameters
    ----------
    image : array_like
        ``(H, W, C_in)``, integers or floats. A grey image is ``image[..., np.newaxis]``.
    weights : array_like
        ``(M, N, C_in // groups, C_out)``: one ``M×N×(C_in // groups)`` filter per output
        channel (Keras's HWIO layout; PyTorch's is :meth:`from_torch`).
    bias : array_like or None
        ``(C_out,)``, one per filter, or None for no bias.
    stride, padding, pad_mode, dilation, pad_value
        As for :class:`Convolution`.
    groups : int
        The input and output channels are cut into this many groups; filter ``k``
        sees only its group's input channels. ``groups == C_in`` is depthwise.
    activation : None or str
        None, or a name in :data:`ACTIVATIONS` ("relu", "sigmoid", "tanh").

    Notes
    -----
    The sums are exact 64-bit integers when the image, weights and bias are all integers;
    otherwise floats (a float32 image stays float32).

    Examples
    --------
    >>> import numpy as np
    >>> image = np.arange(16).reshape(4, 4, 1)
    >>> layer = ConvLayer(image, np.ones((3, 3, 1, 2), int), bias=[-50, -60], activation="relu")
    >>> layer.output_shape, layer.num_steps, layer.kind
    ((2, 2), 8, 'dense')
    >>> layer.result()[..., 0].tolist(), layer.result()[..., 1].tolist()
    ([[0, 4], [31, 40]], [[0, 0], [21, 30]])
    >>> step = layer.step(4)  # filter 1 comes after every step of filter 0
    >>> step.out_index, step.partial_sums.tolist(), int(step.bias), int(step.value)
    ((0, 0, 1), [45], -60, 0)
    """

    def __init__(
        self,
        image: Any,
        weights: Any,
        bias: Any = None,
        stride: int | Pair = 1,
        padding: PaddingSpec = "valid",
        pad_mode: str = "zeros",
        dilation: int | Pair = 1,
        groups: int = 1,
        activation: str | None = None,
        *,
        pad_value: float = 0,
    ):
        image = numeric_array(image, "image", 3, "(rows, cols, channels); a grey image is image[..., np.newaxis]")
        hwio = "(rows, cols, in_channels // groups, filters), Keras's HWIO layout"
        weights = numeric_array(weights, "weights", 4, hwio)
        self.groups = check_groups(groups, image.shape[2], weights)
        self.bias = None if bias is None else numeric_array(bias, "bias", 1, f"(filters,) = ({weights.shape[3]},)")
        if self.bias is not None and self.bias.shape[0] != weights.shape[3]:
            raise ValueError(f"bias must have one value per filter: {weights.shape[3]}, got {self.bias.shape[0]}")
        self.activation = activation_name(activation)
        self.dtype, self._product_dtype = work_dtype(image, weights, self.bias, pad_value)
        # a Convolution with a placeholder kernel of the filters' size owns the geometry and the padding
        self._geometry = Convolution(
            image,
            np.zeros(weights.shape[:2], self.dtype),
            stride,
            padding,
            pad_mode,
            dilation,
            pad_value=pad_value,
            dtype=None if self.dtype.kind == "i" else self.dtype,
        )
        self.weights = _read_only(weights.copy())
        if self.bias is not None:
            self.bias = _read_only(self.bias.copy())
        zero = np.zeros(self.out_channels, self.dtype)
        self._bias = _read_only(zero if self.bias is None else self.bias.astype(self.dtype))
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    # -- geometry, from the Convolution ---------------------------------------

    image = property(lambda self: self._geometry.image, doc="The input, ``(H, W, C_in)``, read-only.")
    padded = property(lambda self: self._geometry.padded, doc="The padded input the windows slide over.")
    pads = property(lambda self: self._geometry.pads, doc="``(top, bottom, left, right)``.")
    stride = property(lambda self: self._geometry.stride, doc="``(rows, cols)``.")
    dilation = property(lambda self: self._geometry.dilation, doc="``(rows, cols)``.")
    padding = property(lambda self: self._geometry.padding, doc="The padding as given.")
    pad_mode = property(lambda self: self._geometry.pad_mode, doc="PyTorch's name of the padding fill.")
    pad_value = property(lambda self: self._geometry.pad_value, doc="Fill value for ``pad_mode='zeros'``.")
    output_shape = property(
        lambda self: self._geometry.output_shape,
        doc="``(rows, cols)`` of every output channel; ``result()`` is ``output_shape + (out_channels,)``.",
    )

    def formula(self) -> tuple[str, str]:
        """The output-size formula for rows and columns, with the numbers substituted.

        >>> import numpy as np
        >>> ConvLayer(np.zeros((4, 5, 2)), np.ones((3, 3, 2, 8)), stride=2).formula()
        ('rows = ⌊(4 + 0 − 3) / 2⌋ + 1 = 1', 'cols = ⌊(5 + 0 − 3) / 2⌋ + 1 = 2')
        """
        return self._geometry.formula()

    def is_padding(self, row: int, col: int) -> bool:
        """True when padded coordinate ``(row, col)`` lies outside the real input."""
        return self._geometry.is_padding(row, col)

    # -- description ------------------------------------------------------------

    @property
    def in_channels(self) -> int:
        return self.image.shape[2]

    @property
    def out_channels(self) -> int:
        """Number of filters, one output channel each."""
        return self.weights.shape[3]

    @property
    def kernel_shape(self) -> Pair:
        return self.weights.shape[:2]

    def input_channels(self, k: int) -> range:
        """The input channels filter ``k`` reads.

        >>> import numpy as np
        >>> ConvLayer(np.zeros((3, 3, 4)), np.zeros((1, 1, 2, 6)), groups=2).input_channels(3)
        range(2, 4)
        """
        per_group = self.in_channels // self.groups
        first = k // (self.out_channels // self.groups) * per_group
        return range(first, first + per_group)

    @property
    def kind(self) -> str:
        """What the filters mix: "depthwise" (one input channel each), "pointwise" (1×1: the
        channels at each pixel), "grouped" (a group of channels each) or "dense" (all channels)."""
        if self.groups == self.in_channels > 1:
            return "depthwise"
        if self.groups > 1:
            return "grouped"
        return "pointwise" if self.kernel_shape == (1, 1) else "dense"

    @property
    def num_steps(self) -> int:
        """One step per output element: rows × cols × filters."""
        rows, cols = self.output_shape
        return rows * cols * self.out_channels

    def __len__(self) -> int:
        return self.num_steps

    def describe(self) -> str:
        """One line naming every parameter.

        >>> import numpy as np
        >>> print(ConvLayer(np.zeros((5, 5, 4)), np.ones((3, 3, 1, 8)), groups=4, activation="relu").describe())
        ... # doctest: +NORMALIZE_WHITESPACE
        input 5×5×4, 8 filters 3×3×1, depthwise (4 groups), stride 1, padding valid (0, 0, 0, 0) zeros,
        dilation 1, no bias, relu → output 3×3×8
        """
        m, n, per_group, filters = self.weights.shape
        groups = f" ({self.groups} groups)" if self.groups > 1 else ""
        mode = self.pad_mode if self.pad_value == 0 or self.pad_mode != "zeros" else f"value {self.pad_value:g}"
        padding = self.padding if isinstance(self.padding, str) else "explicit"
        rows, cols = self.output_shape
        return (
            f"input {'×'.join(map(str, self.image.shape))}, {filters} filters {m}×{n}×{per_group}, "
            f"{self.kind}{groups}, stride {_pair(self.stride)}, padding {padding} {self.pads} {mode}, "
            f"dilation {_pair(self.dilation)}, {'bias' if self.bias is not None else 'no bias'}, "
            f"{self.activation or 'no activation'} → output {rows}×{cols}×{filters}"
        )

    def code(self, library: str) -> str:
        """This layer as a runnable snippet for ``library`` ("torch", "numpy", "scipy" or "keras").

        It embeds the data and ends with ``result = ...``, equal to :meth:`result`.

        >>> import numpy as np
        >>> "groups=2" in ConvLayer(np.ones((3, 3, 2)), np.ones((1, 1, 1, 2)), groups=2).code("keras")
        True
        """
        return layer_code(self, library)

    def __repr__(self) -> str:
        return f"<ConvLayer {self.describe()}>"

    def replace(self, **changes: Any) -> ConvLayer:
        """A new ConvLayer with some parameters changed.

        >>> import numpy as np
        >>> ConvLayer(np.zeros((5, 5, 2)), np.ones((3, 3, 2, 4))).replace(padding="same").output_shape
        (5, 5)
        """
        params = dict(
            image=self.image,
            weights=self.weights,
            bias=self.bias,
            stride=self.stride,
            padding=self.padding,
            pad_mode=self.pad_mode,
            dilation=self.dilation,
            groups=self.groups,
            activation=self.activation,
            pad_value=self.pad_value,
        )
        unknown = set(changes) - set(params)
        if unknown:
            raise TypeError(f"replace() got unknown parameters {sorted(unknown)}; allowed: {sorted(params)}")
        params.update(changes)
        return ConvLayer(**params)

    # -- arithmetic --------------------------------------------------------------

    def steps(self) -> Iterator[LayerStep]:
        """Yield one :class:`LayerStep` per output element: filter by filter, each row-major."""
        pre, post = self._outputs()
        (rows, cols), (sr, sc) = self.output_shape, self.stride
        index = 0
        for k in range(self.out_channels):
            channels, bias, pre_k, post_k = self.input_channels(k), self._bias[k], pre[..., k], post[..., k]
            for i in range(rows):
                pre_row, post_row = pre_k[i], post_k[i]
                for j in range(cols):
                    yield LayerStep(self, index, (i, j, k), (i * sr, j * sc), channels, bias, pre_row[j], post_row[j])
                    index += 1

    def step(self, index: int) -> LayerStep:
        """The step at ``index`` (negative counts from the end), without iterating."""
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"index must be an int, got {index!r}")
        n = self.num_steps
        if not -n <= index < n:
            raise IndexError(f"step index must be in -{n}…{n - 1}, got {index}")
        index = int(index) % n
        (rows, cols), (sr, sc) = self.output_shape, self.stride
        k, rest = divmod(index, rows * cols)
        i, j = divmod(rest, cols)
        pre, post = self._outputs()
        return LayerStep(
            self, index, (i, j, k), (i * sr, j * sc), self.input_channels(k), self._bias[k], pre[i, j, k], post[i, j, k]
        )

    def result(self) -> np.ndarray:
        """The whole output ``(rows, cols, C_out)`` after the activation; a fresh array."""
        return self._outputs()[1].copy() if self._cache else self._activate(self._sums())

    def pre_activation(self) -> np.ndarray:
        """The whole output before the activation (sums plus bias); a fresh array."""
        return self._outputs()[0].copy()

    def _outputs(self) -> tuple[np.ndarray, np.ndarray]:
        """Sums plus bias, and their activation, computed once and kept read-only for the steps."""
        if self._cache is None:
            pre = self._sums()
            post = self._activate(pre)
            self._cache = (_read_only(pre), post if post is pre else _read_only(post))
        return self._cache

    def _activate(self, pre: np.ndarray) -> np.ndarray:
        return pre if self.activation is None else ACTIVATIONS[self.activation](pre)

    @cached_property
    def _windows(self) -> np.ndarray:
        """View of every window: ``(rows, cols, M, N, C_in)``, only the dilated taps."""
        return window_view(self.padded, self.kernel_shape, self.stride, self.dilation, self.output_shape)

    def _sums(self) -> np.ndarray:
        out = grouped_sums(self._windows, self.weights, self.groups, self._product_dtype)
        out = out.astype(self.dtype, copy=False)  # integers summed in float64 come back exact
        out += self._bias
        return out

    # -- PyTorch -----------------------------------------------------------------

    @classmethod
    def from_torch(
        cls, module_or_weight: Any, image: Any, bias: Any = None, activation: str | None = None, **settings: Any
    ) -> ConvLayer:
        """The layer of an ``nn.Conv2d`` (or of its weight and bias tensors) on a torch image.

        ``image`` is ``(1, C, H, W)`` or ``(C, H, W)``. A module's stride, padding, dilation,
        groups and padding_mode are read from it; with a weight tensor they are keywords
        (``stride``, ``padding``, ``dilation``, ``groups``, ``padding_mode``) with PyTorch's
        defaults. See :func:`visualizer.torch_convert.layer_params_from_torch`.

        >>> import numpy as np
        >>> layer = ConvLayer.from_torch(np.ones((4, 1, 3, 3)), np.ones((2, 5, 5)), padding=1, groups=2)
        >>> layer.weights.shape, layer.kind, layer.result().shape
        ((3, 3, 1, 4), 'depthwise', (5, 5, 4))
        """
        return cls(**layer_params_from_torch(module_or_weight, image, bias, **settings), activation=activation)

    def to_torch(self) -> TorchConv:
        """This layer as PyTorch tensors and keywords (needs torch).

        Returns a :class:`~visualizer.torch_convert.TorchConv` ``(input, weight, bias, pad, conv)``:
        ``input`` ``(1, C, H, W)``, ``weight`` ``(C_out, C_in // groups, M, N)``, ``bias`` ``(C_out,)``
        or None, so that ``F.conv2d(F.pad(input, **pad), weight, bias, **conv)`` is
        :meth:`pre_activation` in PyTorch's layout. Integer layers come as float64.

        >>> import numpy as np, pytest
        >>> F = pytest.importorskip("torch.nn.functional")
        >>> layer = ConvLayer(np.ones((4, 4, 2)), np.ones((3, 3, 2, 5)), bias=np.arange(5.0), padding="same")
        >>> t = layer.to_torch()
        >>> t.input.shape, t.weight.shape
        (torch.Size([1, 2, 4, 4]), torch.Size([5, 2, 3, 3]))
        >>> out = F.conv2d(F.pad(t.input, **t.pad), t.weight, t.bias, **t.conv)
        >>> bool((out[0].permute(1, 2, 0).numpy() == layer.pre_activation()).all())
        True
        """
        return torch_conv(self)


def _pair(p: Pair) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def conv_layer(image: Any, weights: Any, **params: Any) -> np.ndarray:
    """The whole output at once: ``ConvLayer(image, weights, **params).result()``.

    >>> import numpy as np
    >>> conv_layer(np.ones((3, 3, 2)), np.ones((1, 1, 2, 1)), bias=[0.5])[..., 0]
    array([[2.5, 2.5, 2.5],
           [2.5, 2.5, 2.5],
           [2.5, 2.5, 2.5]])
    """
    return ConvLayer(image, weights, **params).result()


def from_torch_conv(module_or_weight: Any, image: Any, bias: Any = None, **params: Any) -> ConvLayer:
    """:meth:`ConvLayer.from_torch` as a function."""
    return ConvLayer.from_torch(module_or_weight, image, bias, **params)
