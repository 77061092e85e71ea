"""The convolution itself: one validated description, its steps and its result.

A :class:`Convolution` checks its parameters once and then offers two views of
the same arithmetic: :meth:`Convolution.steps` (one :class:`Step` per output
element, for showing) and :meth:`Convolution.result` (the whole output at once,
for photos). Both read the same vectorised sums, so a step's ``value`` is
exactly the matching element of the raw output. The sums never need a padded
copy of the input (``_borders``); the padded array the steps show is made only
when something asks for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _borders, geometry, operands
from . import _validation as check
from ._validation import PAD_MODE_ALIASES, PAD_MODES
from .code import convolution_code
from .display import InlineDisplay
from .geometry import PaddingSpec, Pads, Pair
from .kernels import named_kernel
from .operands import ClipSpec, pair_text, public, read_only, shape_text
from .step import Step

__all__ = ["Convolution", "Step", "conv_steps", "convolve", "PAD_MODES", "PAD_MODE_ALIASES", "ClipSpec"]


class Convolution(InlineDisplay):
    """A convolution (cross-correlation, as in CNN libraries) of an image or a signal, step by step.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` grey or ``(H, W, C)`` colour image, integer or float; or a
        ``(W,)`` signal, which is a one-row image: its kernel is ``(N,)``, its
        output ``(W′,)``, and a step's ``out_index`` and ``origin`` are ``(j,)``
        and ``(col,)``.
    kernel : array_like or str
        ``(M, N)`` kernel, applied to every channel, or an ``(M, N, C)`` stack
        with one kernel per channel; ``(N,)`` for a signal; or a name of ``KERNELS``.
    stride : int or (int, int)
        How far the window moves between steps; each ≥ 1 (an int for a signal).
    padding : str, int or tuple
        "valid" (none), "same" (TensorFlow/Keras: output ``ceil(H/stride)``,
        extra pad at the bottom/right), "full" (``d(M−1)`` on every side), an
        int, a ``(rows, cols)`` pair, or ``((top, bottom), (left, right))``.
        A signal takes the names, an int or a ``(left, right)`` pair.
    pad_mode : str
        How padding is filled: "zeros" (or ``pad_value``), "replicate" (copy
        the edge outward), "reflect" or "circular". NumPy's names "constant",
        "edge" and "wrap" are accepted too.
    dilation : int or (int, int)
        Spacing between kernel taps; each ≥ 1 (an int for a signal).
    clip : None, "auto" or (low, high)
        Clamping of the sums: None keeps the raw sums; "auto" clips integer
        images to their dtype's range (uint8 in, uint8 out, 0…255) and leaves
        floats alone; ``(low, high)`` clips to that range, e.g. ``(0, 1)``.
    pad_value : float
        Fill value for ``pad_mode="zeros"``.
    flip_kernel : bool
        Flip the kernel first: a true (mathematical) convolution.
    dtype : None or float dtype
        What the sums are computed in. None chooses: a float image keeps its
        precision (float32 or float64), integers sum exactly in int64, an
        integer image with a float kernel in float64. ``np.float32`` halves the
        memory of a big photo's sums (exact for 8-bit pixels and integer kernels).

    Examples
    --------
    >>> import numpy as np
    >>> conv = Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int))
    >>> conv.output_shape
    (2, 2)
    >>> [int(step.value) for step in conv.steps()]
    [45, 54, 81, 90]
    >>> conv.result()
    array([[45, 54],
           [81, 90]])
    >>> Convolution([1, 2, 3, 4], [1, 0, -1], padding="full").result()  # == np.correlate(..., "full")
    array([-1, -2, -2, -2,  3,  4])
    """

    def __init__(
        self,
        image: Any,
        kernel: Any,
        stride: int | Pair = 1,
        padding: PaddingSpec = "valid",
        pad_mode: str = "zeros",
        dilation: int | Pair = 1,
        clip: ClipSpec = None,
        *,
        pad_value: float = 0,
        flip_kernel: bool = False,
        dtype: Any = None,
    ):
        image = check.as_array(image, "image")
        kernel = check.as_array(named_kernel(kernel), "kernel")
        check.check_shapes(image, kernel)
        self.kernel = read_only(kernel.copy())
        self.padding = padding
        self.signal = signal = image.ndim == 1  # the arithmetic sees a signal as a one-row image
        plane_stride = operands.axis_pair(stride, "stride", signal, 1, 1)
        plane_dilation = operands.axis_pair(dilation, "dilation", signal, 1, 1)
        self.stride, self.dilation = public(plane_stride, signal), public(plane_dilation, signal)
        plane_shape, kernel_shape = operands.lift(image).shape, operands.lift(kernel).shape
        if signal:
            padding = check.signal_padding(padding)
        self.pad_mode = check.pad_mode(pad_mode)
        self.pad_value = check.finite_number(pad_value, "pad_value")
        self.flip_kernel = operands.boolean(flip_kernel, "flip_kernel")
        self.pads: Pads = geometry.resolve_pads(plane_shape, kernel_shape, plane_stride, padding, plane_dilation)
        out_shape = geometry.output_shape(
            plane_shape, kernel_shape, plane_stride, _pads_spec(self.pads), plane_dilation
        )
        self.output_shape: tuple[int, ...] = out_shape[1:] if signal else out_shape
        self.clip = clip
        self.clip_range = operands.clip_range(clip, image.dtype)
        # the fill value only enters the sums when the padding is filled with it
        fill = self.pad_value if self.pad_mode == "zeros" else 0
        # replace() passes on the dtype asked for, not the one chosen for these values
        self._dtype_asked = None if dtype is None else check.float_dtype(dtype)
        self.dtype = check.work_dtype(image, self.kernel, fill) if dtype is None else self._dtype_asked
        # a copy, so the Convolution is a snapshot the caller cannot change; in the caller's
        # dtype ("auto" clipping and replace() depend on it)
        self.image = read_only(image.copy() if self._copies_image else image.view())
        flipped = np.flip(self.kernel, axis=(0, 1)[: self.kernel.ndim]) if self.flip_kernel else self.kernel
        self._applied_kernel = read_only(flipped.astype(self.dtype))
        self._plane = _Plane(
            operands.lift(self.image),
            operands.lift(self._applied_kernel),
            plane_stride,
            plane_dilation,
            self.pads,
            out_shape,
        )
        self._padded: np.ndarray | None = None
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    # Whether the constructor copies the image; convolve(), which keeps nothing, reads it in place.
    _copies_image = True

    # -- description -------------------------------------------------------

    @property
    def channels(self) -> int | None:
        """Number of colour channels, or None for a grey image."""
        return self.image.shape[2] if self.image.ndim == 3 else None

    @property
    def num_steps(self) -> int:
        """How many steps (window positions) there are: one per output element."""
        return math.prod(self.output_shape)

    def __len__(self) -> int:
        return self.num_steps

    def replace(self, **changes: Any) -> Convolution:
        """A new Convolution with some parameters changed.

        >>> import numpy as np
        >>> Convolution(np.zeros((5, 5)), np.ones((3, 3))).replace(stride=2).output_shape
        (2, 2)
        """
        params = dict(
            image=self.image,
            kernel=self.kernel,
            stride=self.stride,
            padding=self.padding,
            pad_mode=self.pad_mode,
            dilation=self.dilation,
            clip=self.clip,
            pad_value=self.pad_value,
            flip_kernel=self.flip_kernel,
            dtype=self._dtype_asked,
        )
        operands.unknown_changes(changes, params)
        params.update(changes)
        return Convolution(**params)

    def formula(self) -> tuple[str, ...]:
        """The output-size formula for rows and columns (a signal's length), with the numbers substituted.

        >>> import numpy as np
        >>> Convolution(np.zeros((4, 5)), np.ones((3, 3)), stride=2).formula()
        ('rows = ⌊(4 + 0 − 3) / 2⌋ + 1 = 1', 'cols = ⌊(5 + 0 − 3) / 2⌋ + 1 = 2')
        >>> Convolution(np.zeros(7), np.ones(3)).formula()
        ('length = ⌊(7 + 0 − 3) / 1⌋ + 1 = 5',)
        """
        plane = self._plane
        (top, bottom, left, right), (sr, sc), (dr, dc) = plane.pads, plane.stride, plane.dilation
        (h, w), (m, n) = plane.image.shape[:2], plane.kernel.shape[:2]
        if self.signal:
            return (geometry.formula(w, n, sc, left + right, dc, "length"),)
        return (
            geometry.formula(h, m, sr, top + bottom, dr, "rows"),
            geometry.formula(w, n, sc, left + right, dc, "cols"),
        )

    def describe(self) -> str:
        """One line naming every parameter.

        >>> import numpy as np
        >>> Convolution(np.zeros((5, 5)), np.ones((3, 3)), padding="same").describe()
        'input 5×5, kernel 3×3, stride 1, padding same (1, 1, 1, 1) zeros, dilation 1 → output 5×5'
        """
        padding = self.padding if isinstance(self.padding, str) else "explicit"
        mode = self.pad_mode if self.pad_value == 0 or self.pad_mode != "zeros" else f"value {self.pad_value:g}"
        stride, dilation = (pair_text(p, self.signal) for p in (self._plane.stride, self._plane.dilation))
        text = (
            f"input {shape_text(self.image.shape)}, kernel {shape_text(self.kernel.shape)}, stride {stride}, "
            f"padding {padding} {self.pads} {mode}, dilation {dilation} → output {shape_text(self.output_shape)}"
        )
        return text + (", flipped kernel" if self.flip_kernel else "")

    @property
    def padded(self) -> np.ndarray:
        """The padded input the window slides over, made on first use (the sums do not need it)."""
        if self._padded is None:
            plane = self._plane
            padded = _borders.pad(plane.image, plane.pads, self.pad_mode, self.pad_value, self.dtype)
            self._padded = read_only(padded[0] if self.signal else padded)
        return self._padded

    def is_padding(self, *position: int) -> bool:
        """True when padded coordinate ``(row, col)`` (``(col,)`` for a signal) lies outside the real input."""
        row, col = (0, *position) if self.signal else position
        top, _, left, _ = self._plane.pads
        h, w = self._plane.image.shape[:2]
        return not (top <= row < top + h and left <= col < left + w)

    # -- arithmetic --------------------------------------------------------

    def steps(self) -> Iterator[Step]:
        """Yield one :class:`Step` per output element, in row-major order."""
        raw, clipped = self._sums()
        if self.signal:
            for j in range(self.output_shape[0]):
                yield Step(self, j, (j,), (j * self.stride,), raw[j], clipped[j])
            return
        sr, sc = self.stride
        rows, cols = self.output_shape
        index = 0
        for i in range(rows):
            raw_row, clipped_row = raw[i], clipped[i]
            for j in range(cols):
                yield Step(self, index, (i, j), (i * sr, j * sc), raw_row[j], clipped_row[j])
                index += 1

    def step(self, index: int) -> Step:
        """The step at ``index`` (negative counts from the end), without iterating."""
        index = operands.step_index(index, self.num_steps)
        raw, clipped = self._sums()
        if self.signal:
            return Step(self, index, (index,), (index * self.stride,), raw[index], clipped[index])
        i, j = divmod(index, self.output_shape[1])
        return Step(self, index, (i, j), (i * self.stride[0], j * self.stride[1]), raw[i, j], clipped[i, j])

    def result(self) -> np.ndarray:
        """The whole output at once (clamped as ``clip`` says); a fresh array."""
        return self._cache[1].copy() if self._cache else self.clamp(self._raw())

    def raw_result(self) -> np.ndarray:
        """The whole output before clamping; a fresh array."""
        return self._cache[0].copy() if self._cache else self._raw()

    def _sums(self) -> tuple[np.ndarray, np.ndarray]:
        """Raw and clamped outputs, computed once and kept read-only for the steps."""
        if self._cache is None:
            raw = self._raw()
            clipped = self.clamp(raw)
            self._cache = (read_only(raw), clipped if clipped is raw else read_only(clipped))
        return self._cache

    def clamp(self, sums: np.ndarray) -> np.ndarray:
        """Apply this convolution's ``clip`` to ``sums`` (returned as is when ``clip`` is None).

        With ``clip="auto"`` on an integer image the sums are rounded to the nearest
        integer and cast to the image's dtype: a box blur of a flat 8-bit image of 5s
        sums to 4.999999999999999, which must come back as 5, not 4.

        >>> import numpy as np
        >>> conv = Convolution(np.full((3, 3), 5, np.uint8), np.full((3, 3), 1 / 9), clip="auto")
        >>> conv.clamp(np.array([4.999999999999999, 300.0, -2.0]))
        array([  5, 255,   0], dtype=uint8)
        """
        return operands.clamp(sums, self.clip, self.clip_range, self.image.dtype)

    def _raw(self) -> np.ndarray:
        plane = self._plane
        sums = _borders.correlate_padded(
            plane.image,
            plane.kernel,
            plane.pads,
            self.pad_mode,
            self.pad_value,
            plane.stride,
            plane.dilation,
            plane.out_shape,
        )
        return sums.reshape(self.output_shape + self.image.shape[2:])

    @property
    def _windows(self) -> np.ndarray:
        """View of every window: ``(rows, cols, M, N[, C])`` (``(cols, N)`` for a signal), only the dilated taps."""
        plane = self._plane
        (m, n), (dr, dc), (sr, sc) = plane.kernel.shape[:2], plane.dilation, plane.stride
        padded = self.padded[np.newaxis] if self.signal else self.padded
        win = sliding_window_view(padded, (dr * (m - 1) + 1, dc * (n - 1) + 1), axis=(0, 1))[::sr, ::sc]
        win = win[..., ::dr, ::dc]
        if padded.ndim == 3:  # move channels last, after the window axes
            win = np.moveaxis(win, 2, -1)
        win = win[: plane.out_shape[0], : plane.out_shape[1]]
        return win[0, :, 0] if self.signal else win

    def code(self, library: str) -> str:
        """This convolution as a runnable snippet for ``library`` ("torch", "numpy", "scipy" or "keras").

        It embeds the data and ends with ``result = ...``, equal to :meth:`result`; see :mod:`visualizer.code`.

        >>> print(Convolution([1, 2, 3, 4], [1, -1], stride=2).code("numpy").splitlines()[-1])
        result = out
        """
        return convolution_code(self, library)

    def __repr__(self) -> str:
        return f"<Convolution {self.describe()}>"


class _Plane(NamedTuple):
    """What the arithmetic works on: the image (a signal as the one-row image), the kernel as
    applied, and the geometry with two axes."""

    image: np.ndarray
    kernel: np.ndarray
    stride: Pair
    dilation: Pair
    pads: Pads
    out_shape: Pair


def _pads_spec(pads: Pads) -> tuple[Pair, Pair]:
    top, bottom, left, right = pads
    return ((top, bottom), (left, right))


# -- functional shortcuts ----------------------------------------------------


def convolve(image: Any, kernel: Any, **params: Any) -> np.ndarray:
    """The whole output at once: ``Convolution(image, kernel, **params).result()``.

    Faster than building the Convolution: the image is read where it lies, not copied.

    >>> import numpy as np
    >>> convolve(np.eye(3), np.ones((2, 2)))
    array([[2., 1.],
           [1., 2.]])
    """
    return _OneShot(image, kernel, **params).result()


class _OneShot(Convolution):
    """A Convolution that reads the caller's image where it lies, for a result asked for at once."""

    _copies_image = False


def conv_steps(image: Any, kernel: Any, **params: Any) -> Iterator[Step]:
    """The steps one by one: ``Convolution(image, kernel, **params).steps()``.

    >>> import numpy as np
    >>> [int(s.value) for s in conv_steps(np.arange(5).reshape(1, 5), [[1, 1]], stride=2)]
    [1, 5]
    >>> [(s.out_index, s.origin) for s in conv_steps([1, 2, 3, 4, 5], [1, 1], stride=2)]
    [((0,), (0,)), ((1,), (2,))]
    """
    return Convolution(image, kernel, **params).steps()
