"""Transposed convolution, step by step, in the two views a lesson draws.

``view="direct"`` is conv_arithmetic's picture: the input is stretched with
``S − 1`` zeros between cells, padded by ``D(M − 1) − P`` on each side (plus
``output_padding`` at the bottom and right; negative padding crops), and a
kernel rotated by 180° slides over it with stride 1, one step per output
element. ``view="scatter"`` is the definition: every input element, one step
each, adds ``value × kernel`` into its patch of the output. Both views give
the same :meth:`TransposedConvolution.result`, which is PyTorch's
``conv_transpose2d``: per axis the output has ``(H − 1)·S − 2P + D(M − 1) +
output_padding + 1`` elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from . import code_family, geometry, kernels, operands, stretch
from .display import InlineDisplay
from .geometry import Pair
from .operands import ClipSpec, lift, pair_text, public, read_only, shape_text
from .scatter import scatter_add
from .transposed_steps import DirectStep, ScatterStep

VIEWS = ("direct", "scatter")


class TransposedConvolution(InlineDisplay):
    """A 2-D (or 1-D) transposed convolution with PyTorch's ``conv_transpose2d`` semantics.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` grey or ``(H, W, C)`` colour image, or a ``(W,)`` signal.
    kernel : array_like or str
        ``(M, N)`` kernel, applied to every channel, an ``(M, N, C)`` stack with
        one kernel per channel, ``(N,)`` for a signal, or a name of ``KERNELS``.
        Not flipped by the caller: the direct view rotates it, as the arithmetic requires.
    stride, padding, output_padding, dilation : int or (int, int)
        As in PyTorch; an int for a signal. ``padding`` crops ``P`` rows and
        columns from each side of the full output and must leave some;
        ``output_padding`` adds rows and columns at the bottom and right and
        must be smaller than ``stride`` or ``dilation``.
    clip : None, "auto" or (low, high)
        Clamping of the sums, as for :class:`~visualizer.Convolution`.
    view : "direct" or "scatter"
        What one step is: an output element (the kernel sliding over the
        stretched input) or an input element (its value × kernel added into the output).

    Attributes
    ----------
    output_shape : tuple of int
        ``(rows, cols)``, or ``(width,)`` for a signal; steps and indices follow the input's rank.
    pads : tuple of int
        ``(top, bottom, left, right)`` of the direct view's padding around the
        stretched input: ``D(M − 1) − P``, plus ``output_padding`` at the bottom
        and right. Negative values crop.
    stretched, input_mask, padding_mask, rotated_kernel
        The direct view's picture (see each); :meth:`cell_kind` names one cell.
    image, kernel : ndarray
        Read-only copies of the input and the kernel as given.
    dtype : numpy.dtype
        What the sums are computed in (float32 photos stay float32; integers sum exactly in int64).

    Examples
    --------
    >>> import numpy as np
    >>> up = TransposedConvolution([[1, 2], [3, 4]], np.ones((2, 2), int), stride=2)
    >>> up.output_shape, up.num_steps
    ((4, 4), 16)
    >>> up.result()[:2].tolist()
    [[1, 1, 2, 2], [1, 1, 2, 2]]
    >>> up.stretched[1].tolist(), up.stretched.shape  # one zero between inputs, one cell of padding around
    ([0, 1, 0, 2, 0], (5, 5))
    >>> step = up.replace(view="scatter").step(1)
    >>> step.in_index, step.origin, step.contribution.tolist()
    ((0, 1), (0, 2), [[2, 2], [2, 2]])
    """

    def __init__(
        self,
        image: Any,
        kernel: Any,
        stride: int | Pair = 1,
        padding: int | Pair = 0,
        output_padding: int | Pair = 0,
        dilation: int | Pair = 1,
        clip: ClipSpec = None,
        view: str = "direct",
    ):
        image = operands.as_operand(image, "image")
        kernel = operands.as_operand(kernels.named_kernel(kernel), "kernel")
        operands.check_kernel(image, kernel)
        self.signal = signal = image.ndim == 1
        self._stride = operands.axis_pair(stride, "stride", signal, 1, 1)
        self._padding = operands.axis_pair(padding, "padding", signal, 0, 0)
        self._output_padding = operands.axis_pair(output_padding, "output_padding", signal, 0, 0)
        self._dilation = operands.axis_pair(dilation, "dilation", signal, 1, 1)
        self.view = operands.choice(view, "view", VIEWS)
        self.clip = clip
        self.clip_range = operands.clip_range(clip, image.dtype)
        self.image = read_only(image.copy())
        self.kernel = read_only(kernel.copy())
        self._check_output_padding()
        self._shape = tuple(self._axis_size(a) for a in (0, 1))
        self.dtype = operands.work_dtype(image, kernel, taps=lift(kernel).shape[0] * lift(kernel).shape[1])
        # the kernel as the sums use it (lifted to 2-D, in the sums' dtype: NumPy 2 would otherwise
        # let a float64 kernel promote a float32 image), and rotated for the direct view
        self._weights = read_only(lift(self.kernel).astype(self.dtype))
        self._rotated = read_only(self._weights[::-1, ::-1].copy())
        # where the input lands in the stretched array: D(M − 1) − P from the top/left (cropping
        # when negative), and output_padding more than that at the bottom/right
        lead = tuple(self._span(a) - 1 - self._padding[a] for a in (0, 1))
        self.pads = (lead[0], lead[0] + self._output_padding[0], lead[1], lead[1] + self._output_padding[1])
        self._kinds = tuple(
            stretch.axis_kinds(lift(image).shape[a], self._stride[a], lead[a], self._shape[a] + self._span(a) - 1)
            for a in (0, 1)
        )
        self._stretched: np.ndarray | None = None
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    # -- description -------------------------------------------------------

    @property
    def stride(self) -> int | Pair:
        return public(self._stride, self.signal)

    @property
    def padding(self) -> int | Pair:
        return public(self._padding, self.signal)

    @property
    def output_padding(self) -> int | Pair:
        return public(self._output_padding, self.signal)

    @property
    def dilation(self) -> int | Pair:
        return public(self._dilation, self.signal)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """``(rows, cols)`` of the output, or ``(width,)`` for a signal."""
        return self._shape[1:] if self.signal else self._shape

    @property
    def channels(self) -> int | None:
        """Number of colour channels, or None for a grey image or a signal."""
        return self.image.shape[2] if self.image.ndim == 3 else None

    @property
    def num_steps(self) -> int:
        """One step per output element (direct view) or per input element (scatter view)."""
        shape = self._shape if self.view == "direct" else lift(self.image).shape[:2]
        return shape[0] * shape[1]

    def __len__(self) -> int:
        return self.num_steps

    code = code_family.transposed_code  # op.code("torch" | "numpy" | "scipy" | "keras"): runnable code

    def replace(self, **changes: Any) -> TransposedConvolution:
        """A new TransposedConvolution with some parameters changed.

        >>> import numpy as np
        >>> TransposedConvolution(np.zeros((2, 2)), np.ones((3, 3))).replace(stride=2).output_shape
        (5, 5)
        """
        params = dict(
            image=self.image,
            kernel=self.kernel,
            stride=self.stride,
            padding=self.padding,
            output_padding=self.output_padding,
            dilation=self.dilation,
            clip=self.clip,
            view=self.view,
        )
        operands.unknown_changes(changes, params)
        return TransposedConvolution(**{**params, **changes})

    def formula(self) -> tuple[str, ...]:
        """The output-size formula per axis (one for a signal), with the numbers substituted.

        >>> import numpy as np
        >>> TransposedConvolution(np.zeros((3, 3)), np.ones((3, 3)), stride=2, padding=1).formula()
        ('rows = (3 − 1)·2 − 2·1 + (3 − 1) + 0 + 1 = 5', 'cols = (3 − 1)·2 − 2·1 + (3 − 1) + 0 + 1 = 5')
        """
        axes = ((1, "length"),) if self.signal else ((0, "rows"), (1, "cols"))
        lines = []
        for a, name in axes:
            h, m, d = lift(self.image).shape[a], self._weights.shape[a], self._dilation[a]
            span = f"({m} − 1)" if d == 1 else f"{d}·({m} − 1)"
            lines.append(
                f"{name} = ({h} − 1)·{self._stride[a]} − 2·{self._padding[a]} + {span} + "
                f"{self._output_padding[a]} + 1 = {self._shape[a]}"
            )
        return tuple(lines)

    def transpose_of(self) -> dict[str, Any]:
        """The direct convolution whose transpose this is, by its shapes and parameters.

        Its input has this output's shape; with ``output_padding < stride`` its
        output has this input's shape (``output_padding`` picks which of the
        input sizes that give the same output this one undoes).

        >>> import numpy as np
        >>> twin = TransposedConvolution(np.zeros((3, 3)), np.ones((3, 3)), stride=2, padding=1).transpose_of()
        >>> twin["input_shape"], twin["kernel_shape"], twin["stride"], twin["padding"], twin["output_shape"]
        ((5, 5), (3, 3), (2, 2), (1, 1), (3, 3))
        """
        out = tuple(
            geometry.output_size(self._shape[a], self._weights.shape[a], self._stride[a], 2 * self._padding[a], d)
            for a, d in enumerate(self._dilation)
        )
        return {
            "input_shape": self.output_shape,
            "kernel_shape": self.kernel.shape[:1] if self.signal else self.kernel.shape[:2],
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
            "output_shape": out[1:] if self.signal else out,
        }

    def describe(self) -> str:
        """One line naming every parameter and the convolution this is the transpose of.

        ``output_padding`` and ``dilation`` are named when they are not 0 and 1.

        >>> TransposedConvolution([1, 2], [1, 1]).describe()
        'transposed, direct view: input 2, kernel 2, stride 1, padding 0 → output 3, transposes a 3 → 2 convolution'
        """
        s = self.signal
        twin = self.transpose_of()
        extras = [f", output_padding {pair_text(self._output_padding, s)}"] if any(self._output_padding) else []
        extras += [f", dilation {pair_text(self._dilation, s)}"] if self._dilation != (1, 1) else []
        return (
            f"transposed, {self.view} view: input {shape_text(self.image.shape)}, "
            f"kernel {shape_text(self.kernel.shape)}, stride {pair_text(self._stride, s)}, "
            f"padding {pair_text(self._padding, s)}{''.join(extras)} → output {shape_text(self.output_shape)}, "
            f"transposes a {shape_text(twin['input_shape'])} → {shape_text(twin['output_shape'])} convolution"
        )

    def __repr__(self) -> str:
        return f"<TransposedConvolution {self.describe()}>"

    # -- the direct view's picture -----------------------------------------

    @property
    def rotated_kernel(self) -> np.ndarray:
        """The kernel rotated by 180°, in the sums' dtype: what the direct view slides."""
        return self._rotated[0] if self.signal else self._rotated

    @property
    def stretched(self) -> np.ndarray:
        """The input with ``S − 1`` zeros between cells, padded as ``pads`` says (a negative pad crops)."""
        if self._stretched is None:
            x = lift(self.image)
            if not np.can_cast(x.dtype, self.dtype):  # uint64 values summed in int64
                x = x.astype(self.dtype)
            self._stretched = read_only(stretch.stretch(x, self._kinds, self._stride, self.pads[::2]))
        return self._stretched[0] if self.signal else self._stretched

    def cell_kind(self, *index: int) -> str:
        """What a cell of ``stretched`` holds: "input", "zero" (inserted between cells) or "padding".

        Give ``(row, col)``, or ``(col,)`` for a signal.

        >>> import numpy as np
        >>> up = TransposedConvolution(np.ones((2, 2)), np.ones((2, 2)), stride=2)
        >>> up.cell_kind(0, 0), up.cell_kind(1, 1), up.cell_kind(1, 2), up.cell_kind(2, 1)
        ('padding', 'input', 'zero', 'zero')
        """
        at = (0, *operands.cell_index(index, self.stretched.shape[: 1 if self.signal else 2]))
        return stretch.cell_kind(self._kinds[0][at[-2]], self._kinds[1][at[-1]])

    @property
    def input_mask(self) -> np.ndarray:
        """True where ``stretched`` holds an input value."""
        rows, cols = (kinds == "input" for kinds in self._kinds)
        return self._unlift(np.outer(rows, cols))

    @property
    def padding_mask(self) -> np.ndarray:
        """True where ``stretched`` is padding; cells in neither mask are inserted zeros."""
        rows, cols = (kinds == "padding" for kinds in self._kinds)
        return self._unlift(rows[:, np.newaxis] | cols[np.newaxis, :])

    # -- arithmetic --------------------------------------------------------

    def steps(self) -> Iterator[DirectStep | ScatterStep]:
        """Yield every step in row-major order (of the output, or of the input for the scatter view)."""
        for index in range(self.num_steps):
            yield self._step(index)

    def step(self, index: int) -> DirectStep | ScatterStep:
        """The step at ``index`` (negative counts from the end), without iterating."""
        return self._step(operands.step_index(index, self.num_steps))

    def result(self) -> np.ndarray:
        """The whole output at once (clamped as ``clip`` says); a fresh array."""
        return self._cache[1].copy() if self._cache else self.clamp(self._raw())

    def raw_result(self) -> np.ndarray:
        """The whole output before clamping; a fresh array."""
        return self._cache[0].copy() if self._cache else self._raw()

    def clamp(self, sums: np.ndarray) -> np.ndarray:
        """Apply ``clip`` to ``sums`` (returned as is when ``clip`` is None)."""
        return operands.clamp(sums, self.clip, self.clip_range, self.image.dtype)

    def partial_output(self, count: int) -> np.ndarray:
        """The output once the first ``count`` input elements (row-major) have been scattered.

        Raw sums; ``partial_output(num input elements)`` is ``raw_result()``
        exactly (the same sums in the same order).

        >>> import numpy as np
        >>> TransposedConvolution([[1, 2]], [[1, 1]]).partial_output(1)
        array([[1, 1, 0]])
        """
        size = self.image.shape[0] * (1 if self.signal else self.image.shape[1])
        if isinstance(count, bool) or not isinstance(count, int | np.integer):
            raise TypeError(f"count must be an int in 0…{size}, got {count!r}")
        if not 0 <= count <= size:
            raise ValueError(f"count must be an int in 0…{size}, got {count!r}")
        values = lift(self.image).astype(self.dtype)
        values.reshape((size, -1))[count:] = 0
        return self._unlift(
            scatter_add(values, self._weights, self._stride, self._padding, self._dilation, self._shape)
        )

    def _step(self, index: int) -> DirectStep | ScatterStep:
        if self.view == "scatter":
            at = divmod(index, lift(self.image).shape[1])
            return ScatterStep(self, index, at, lift(self.image)[at].astype(self.dtype))
        at = divmod(index, self._shape[1])
        raw, clipped = self._sums()
        return DirectStep(self, index, at, raw[at], clipped[at])

    def _sums(self) -> tuple[np.ndarray, np.ndarray]:
        """Raw and clamped outputs (lifted to 2-D), computed once, read-only, for the steps."""
        if self._cache is None:
            raw = self._raw()
            clipped = self.clamp(raw)
            self._cache = (read_only(raw), clipped if clipped is raw else read_only(clipped))
        raw, clipped = self._cache
        return lift(raw), lift(clipped)

    def _raw(self) -> np.ndarray:
        return self._unlift(
            scatter_add(lift(self.image), self._weights, self._stride, self._padding, self._dilation, self._shape)
        )

    def _window(self, at: Pair) -> np.ndarray:
        """The stretched values under the rotated kernel's taps for output element ``at`` (2-D)."""
        (dr, dc), (i, j) = self._dilation, at
        return lift(self.stretched)[i : i + self._span(0) : dr, j : j + self._span(1) : dc]

    def _span(self, a: int) -> int:
        """How many cells the dilated kernel spans along axis ``a``."""
        return self._dilation[a] * (self._weights.shape[a] - 1) + 1

    # -- geometry ------------------------------------------------------------

    def _check_output_padding(self) -> None:
        for a in (0, 1):
            op, s, d = self._output_padding[a], self._stride[a], self._dilation[a]
            if not (op < s or op < d):
                raise ValueError(
                    f"output_padding must be smaller than stride or dilation (PyTorch's rule); got "
                    f"output_padding {self.output_padding} with stride {self.stride} and dilation {self.dilation}"
                )

    def _axis_size(self, a: int) -> int:
        h, m = lift(self.image).shape[a], lift(self.kernel).shape[a]
        s, p, d, op = self._stride[a], self._padding[a], self._dilation[a], self._output_padding[a]
        size = (h - 1) * s - 2 * p + d * (m - 1) + op + 1
        if size < 1:
            largest = ((h - 1) * s + d * (m - 1) + op) // 2
            name = "length" if self.signal else ("rows", "cols")[a]
            raise ValueError(
                f"padding {self.padding} leaves no output {name}: ({h} − 1)·{s} − 2·{p} + {d}·({m} − 1) + {op} + 1 "
                f"= {size}; padding must be at most {largest} there"
            )
        return size

    def _unlift(self, array: np.ndarray) -> np.ndarray:
        return array[0] if self.signal else array


def conv_transpose(image: Any, kernel: Any, **params: Any) -> np.ndarray:
    """The whole output at once: ``TransposedConvolution(image, kernel, **params).result()``.

    >>> conv_transpose([1, 2, 3], [1, 1], stride=2)
    array([1, 1, 2, 2, 3, 3])
    """
    return TransposedConvolution(image, kernel, **params).result()
