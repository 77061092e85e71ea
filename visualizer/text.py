"""Words and numbers for a step: the arithmetic line, number formatting.

Shared by the terminal, the frame renderer, the widget and the presenter, so
a learner reads the same sentence everywhere.
"""

from __future__ import annotations

import numpy as np

from .convolution import Step

CHANNEL_NAMES = {1: ("grey",), 3: ("red", "green", "blue"), 4: ("red", "green", "blue", "alpha")}


def channel_names(channels: int) -> tuple[str, ...]:
    """What the channels are called: red, green, blue (and alpha), else "channel 0", "channel 1", ….

    >>> channel_names(3), channel_names(2)
    (('red', 'green', 'blue'), ('channel 0', 'channel 1'))
    """
    return CHANNEL_NAMES.get(channels) or tuple(f"channel {c}" for c in range(channels))


def sum_label(step: Step, channel: int | None = None) -> str:
    """What a step's sum computes, as it prefixes :func:`arithmetic`: ``"red out[1, 2] = "``.

    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> sum_label(Convolution(np.zeros((3, 3, 3)), np.ones((2, 2))).step(1), channel=0)
    'red out[0, 1] = '
    """
    i, j = step.out_index
    name = "" if channel is None else f"{channel_names(step.window.shape[2])[channel]} "
    return f"{name}out[{i}, {j}] = "


def format_number(value: object) -> str:
    """A short, exact-looking form of a pixel or weight.

    Whole numbers print without a decimal point; other values keep three
    significant figures (one decimal past 10, none past 100).

    Examples
    --------
    >>> [format_number(v) for v in (3, 255.0, -0.5, 1 / 9, 12.345, 99.96, 1234.5)]
    ['3', '255', '-0.5', '0.111', '12.3', '100', '1234']
    """
    x = float(value)  # type: ignore[arg-type]
    if x.is_integer():
        return str(int(x))
    if abs(x) >= 100:
        return f"{x:.0f}"
    text = f"{x:.1f}" if abs(x) >= 10 else f"{x:.3g}"
    # 99.96 rounds up to "100.0": a number that rounds to a whole one prints as one
    return text.removesuffix(".0")


def display_number(value: object) -> str:
    """:func:`format_number` with a true minus sign, as frames and the arithmetic line write it.

    >>> display_number(-3), display_number(0.5)
    ('−3', '0.5')
    """
    return format_number(value).replace("-", "−")


def arithmetic(step: Step, channel: int | None = None, max_terms: int | None = None) -> str:
    """The step's sum written out: ``w×x + w×x + … = sum`` and ``→ clipped`` when clamped.

    ``channel`` picks one channel of a colour step; ``max_terms`` elides the
    middle of long sums with "…".

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> step = next(Convolution(np.array([[100, 200], [50, 25]], np.uint8), [[1, 1], [1, 0]], clip="auto").steps())
    >>> arithmetic(step)
    '1×100 + 1×200 + 1×50 + 0×25 = 350 → 255'
    >>> arithmetic(step, max_terms=2)
    '1×100 + … + 0×25 = 350 → 255'
    """
    if max_terms is not None and (isinstance(max_terms, bool) or not isinstance(max_terms, int) or max_terms < 1):
        raise ValueError(f"max_terms must be None or an int >= 1; got {max_terms!r}")
    window, kernel = step.window, step.kernel
    value, clipped = step.value, step.clipped_value
    if window.ndim == 3:
        channels = window.shape[2]
        if isinstance(channel, bool) or not isinstance(channel, int | np.integer) or not 0 <= channel < channels:
            raise ValueError(f"channel must be an int in 0…{channels - 1} for a colour step; got {channel!r}")
        window = window[..., channel]
        kernel = kernel[..., channel] if kernel.ndim == 3 else kernel
        value, clipped = value[channel], clipped[channel]
    elif channel is not None:
        raise ValueError(f"channel must be None for a grey step; got {channel!r}")
    line = products(kernel, window, max_terms) + f" = {display_number(value)}"
    # compare as printed: 4.999999999999999 rounded to an 8-bit 5 must not read "= 5 → 5"
    if format_number(value) != format_number(clipped):
        line += f" → {display_number(clipped)}"
    return line


def products(kernel: np.ndarray, window: np.ndarray, max_terms: int | None = None) -> str:
    """The weighted terms of a sum, ``w×x + w×x − …``, tap by tap, the middle elided past ``max_terms``.

    >>> products(np.array([2, -1, 3]), np.array([5, 4, -1]))
    '2×5 − 1×4 + 3×(−1)'
    >>> products(np.array([-1, 1, 1, 1]), np.arange(4), max_terms=2)
    '−1×0 + … + 1×3'
    """
    terms = [_term(k, x) for k, x in zip(np.ravel(kernel), np.ravel(window), strict=True)]
    if max_terms is not None and len(terms) > max_terms:
        head = max(1, max_terms // 2)
        terms = terms[:head] + [" + …"] + terms[len(terms) - (max_terms - head) :]
    line = "".join(terms)
    line = ("−" if line.startswith(" − ") else "") + line[3:]
    return line


def _term(weight: object, pixel: object) -> str:
    """`` + 2×3``, `` − 2×3`` or `` + 2×(−3)``: signs read as in handwriting."""
    w, x = format_number(weight), format_number(pixel)
    x = f"(−{x[1:]})" if x.startswith("-") else x
    return f" − {w[1:]}×{x}" if w.startswith("-") else f" + {w}×{x}"


def caption(step: Step) -> str:
    """The step's sum in one line, labelled as on the frame: ``out[i, j] = w×x + … = sum``.

    >>> from visualizer import Convolution
    >>> caption(Convolution([[1, 2], [3, 4]], [[1, 0], [0, 2]]).step(0))
    'out[0, 0] = 1×1 + 0×2 + 0×3 + 2×4 = 9'
    """
    if step.window.ndim == 2:
        return sum_label(step) + arithmetic(step)
    # every channel's sum shares the player's one caption line, so the middle terms give way
    channels = range(step.window.shape[2])
    return "; ".join(sum_label(step, c) + arithmetic(step, channel=c, max_terms=4) for c in channels)


def parameters(conv) -> list[str]:
    """The convolution's parameters as a frame's header lists them, one phrase each.

    >>> from visualizer import Convolution
    >>> parameters(Convolution(np.zeros((4, 5), np.uint8), np.ones((3, 3)), stride=2, padding="same"))
    ['input 4×5 uint8', 'kernel 3×3', 'stride 2', 'padding same (top 0 bottom 1 left 1 right 1, zeros)', 'dilation 1']
    """
    shape = "×".join(map(str, conv.image.shape))
    # name the type only where it matters, e.g. 8-bit pixels that clamp at 255
    dtype = "" if conv.image.dtype in (np.int64, np.float64) else f" {conv.image.dtype}"
    kernel = "×".join(map(str, conv.kernel.shape))
    pads = conv.pads
    amount = str(pads[0]) if len(set(pads)) == 1 else "top {} bottom {} left {} right {}".format(*pads)
    name = f"{conv.padding} " if isinstance(conv.padding, str) else ""
    zeros = conv.pad_mode == "zeros"
    mode = f"value {display_number(conv.pad_value)}" if zeros and conv.pad_value else conv.pad_mode
    padding = f"padding {name}({amount}, {mode})" if any(pads) else f"padding {name or '0'}".strip()
    parts = [
        f"input {shape}{dtype}",
        f"kernel {kernel}" + (" flipped (true convolution)" if conv.flip_kernel else ""),
        f"stride {_pair(conv.stride)}",
        padding,
        f"dilation {_pair(conv.dilation)}",
    ]
    if conv.clip_range is not None:
        low, high = conv.clip_range
        parts.append(f"clip {display_number(low)}…{display_number(high)}")
    return parts


def _pair(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"
