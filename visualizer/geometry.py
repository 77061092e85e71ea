"""Pure integer arithmetic of a convolution: padding rules, output shape, window origins.

Nothing here touches pixel values, so every function is cheap and exact.
Indices are zero-based throughout, as in the lesson.
"""

from __future__ import annotations

import numbers

from .names import did_you_mean

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]
PaddingSpec = str | int | tuple

PADDING_NAMES = ("valid", "same", "full")


def as_pair(value: object, name: str, minimum: int = 1) -> Pair:
    """Return ``value`` as a ``(rows, cols)`` pair of ints, each at least ``minimum``.

    Examples
    --------
    >>> as_pair(2, "stride")
    (2, 2)
    >>> as_pair((1, 3), "dilation")
    (1, 3)
    """
    items = value if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a (rows, cols) pair, got {value!r}")
    pair = tuple(_as_int(v, name, value) for v in items)
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum} in each direction, got {value!r}")
    return pair  # type: ignore[return-value]


def _as_int(v: object, name: str, whole: object) -> int:
    # bool is an int subclass, but stride=True is a mistake, not a 1
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        raise TypeError(f"{name} must be an int or a (rows, cols) pair of ints, got {whole!r}")
    return int(v)


def same_pads(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """Pads before and after one axis under the TensorFlow/Keras "same" rule.

    The output has ``ceil(size / stride)`` elements; an odd total pad puts the
    extra row or column after (bottom or right).

    Examples
    --------
    >>> same_pads(5, 3, 1, 1)
    (1, 1)
    >>> same_pads(5, 4, 1, 1)
    (1, 2)
    >>> same_pads(6, 3, 2, 1)
    (0, 1)
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def resolve_pads(
    input_shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    stride: object = 1,
    padding: PaddingSpec = "valid",
    dilation: object = 1,
) -> Pads:
    """Turn any ``padding`` form into ``(top, bottom, left, right)``.

    ``padding`` is "valid", "same", "full", an int, a ``(rows, cols)`` pair or
    ``((top, bottom), (left, right))``.

    Examples
    --------
    >>> resolve_pads((5, 5), (3, 3), padding="same")
    (1, 1, 1, 1)
    >>> resolve_pads((5, 5), (3, 3), padding="full", dilation=2)
    (4, 4, 4, 4)
    >>> resolve_pads((4, 5), (3, 3), padding=((0, 1), (2, 0)))
    (0, 1, 2, 0)
    """
    (h, w), (m, n) = input_shape[:2], kernel_shape[:2]
    (sr, sc), (dr, dc) = as_pair(stride, "stride"), as_pair(dilation, "dilation")
    if isinstance(padding, str):
        name = padding.lower()
        if name == "valid":
            return (0, 0, 0, 0)
        if name == "same":
            return same_pads(h, m, sr, dr) + same_pads(w, n, sc, dc)
        if name == "full":
            return (dr * (m - 1),) * 2 + (dc * (n - 1),) * 2
        raise ValueError(
            f"padding must be one of {', '.join(PADDING_NAMES)}, an int, a (rows, cols) pair "
            f"or ((top, bottom), (left, right)); got {padding!r}{did_you_mean(padding, PADDING_NAMES)}"
        )
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(isinstance(p, (tuple, list)) for p in padding):
        top, bottom = as_pair(padding[0], "padding", minimum=0)
        left, right = as_pair(padding[1], "padding", minimum=0)
        return (top, bottom, left, right)
    if (
        padding is None
        or isinstance(padding, (bool, float))
        or not isinstance(padding, (numbers.Integral, tuple, list))
    ):
        raise TypeError(
            f"padding must be 'valid', 'same', 'full', an int, a (rows, cols) pair or "
            f"((top, bottom), (left, right)); got {padding!r}"
        )
    rows, cols = as_pair(padding, "padding", minimum=0)
    return (rows, rows, cols, cols)


def output_size(size: int, kernel: int, stride: int = 1, pads: int = 0, dilation: int = 1, axis: str = "rows") -> int:
    """Output length along one axis: ``floor((size + pads - d(kernel-1) - 1) / stride) + 1``.

    ``axis`` ("rows" or "cols") only names the axis when the kernel does not fit.

    Examples
    --------
    >>> output_size(4, 3)
    2
    >>> output_size(4, 3, stride=2)
    1
    """
    span = dilation * (kernel - 1) + 1
    padded = size + pads
    if span > padded:
        raise ValueError(
            f"kernel spans {span} pixels (dilation {dilation}) but the padded input has only "
            f"{padded} {axis}: use a smaller kernel or dilation, or more padding"
        )
    return (padded - span) // stride + 1


def output_shape(
    input_shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    stride: object = 1,
    padding: PaddingSpec = "valid",
    dilation: object = 1,
) -> Pair:
    """Shape ``(rows, cols)`` of the output of a convolution.

    Only the first two entries of each shape matter (colour channels do not
    change the spatial size).

    Examples
    --------
    >>> output_shape((4, 4), (3, 3))
    (2, 2)
    >>> output_shape((4, 5), (3, 3), stride=2)
    (1, 2)
    >>> output_shape((5, 5), (3, 3), padding="same")
    (5, 5)
    >>> output_shape((5, 5), (3, 3), stride=2, padding="same")
    (3, 3)
    """
    for name, shape in (("input_shape", input_shape), ("kernel_shape", kernel_shape)):
        if not isinstance(shape, (tuple, list)):
            raise TypeError(f"{name} must be a tuple (rows, cols[, channels]), got {shape!r}")
        if len(shape) < 2 or any(
            isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1 for s in shape[:2]
        ):
            raise ValueError(f"{name} must start with two positive ints (rows, cols), got {shape!r}")
    top, bottom, left, right = resolve_pads(input_shape, kernel_shape, stride, padding, dilation)
    (sr, sc), (dr, dc) = as_pair(stride, "stride"), as_pair(dilation, "dilation")
    return (
        output_size(input_shape[0], kernel_shape[0], sr, top + bottom, dr, "rows"),
        output_size(input_shape[1], kernel_shape[1], sc, left + right, dc, "cols"),
    )


def formula(size: int, kernel: int, stride: int, pads: int, dilation: int, axis: str = "rows") -> str:
    """The output-size formula for one axis with the numbers substituted.

    Examples
    --------
    >>> formula(4, 3, 1, 0, 1)
    'rows = ⌊(4 + 0 − 3) / 1⌋ + 1 = 2'
    >>> formula(7, 3, 1, 0, 2, axis="cols")
    'cols = ⌊(7 + 0 − 2·(3−1) − 1) / 1⌋ + 1 = 3'
    """
    # with dilation 1 the span d(M−1)+1 is just M: show the lesson's simpler form
    span = f"{kernel}" if dilation == 1 else f"{dilation}·({kernel}−1) − 1"
    body = f"({size} + {pads} − {span}) / {stride}"
    return f"{axis} = ⌊{body}⌋ + 1 = {output_size(size, kernel, stride, pads, dilation, axis)}"


def window_origins(out_shape: Pair, stride: Pair) -> list[Pair]:
    """Top-left corners, in padded coordinates, of every window in row-major order.

    Examples
    --------
    >>> window_origins((1, 2), (2, 2))
    [(0, 0), (0, 2)]
    """
    return [(i * stride[0], j * stride[1]) for i in range(out_shape[0]) for j in range(out_shape[1])]


def window_taps(origin: Pair, kernel_shape: tuple[int, ...], dilation: Pair) -> tuple[range, range]:
    """Rows and columns (padded coordinates) that the kernel taps sample at ``origin``.

    Examples
    --------
    >>> rows, cols = window_taps((0, 2), (3, 3), (2, 2))
    >>> list(rows), list(cols)
    ([0, 2, 4], [2, 4, 6])
    """
    (r, c), (m, n) = origin, kernel_shape[:2]
    return range(r, r + dilation[0] * (m - 1) + 1, dilation[0]), range(c, c + dilation[1] * (n - 1) + 1, dilation[1])
