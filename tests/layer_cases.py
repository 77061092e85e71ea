"""Convolutional layers and everything expected of their frames, computed without the project's code.

Outputs, pre-activations and each channel's partial sums come from SciPy channel by
channel (``reference_layer.layer_scipy`` and ``reference.correlate_scipy``), the
padded input from SciPy's boundary modes, the step order and each filter's group
from DESIGN.md's words, and every string from the formatting written here.
"""

from __future__ import annotations

import numpy as np
from reference import correlate_scipy, pad_image, pair, reference_output_shape, reference_pads
from reference_layer import layer_scipy
from test_scenes import number  # how a value is written on a frame, written once for every scene test

import visualizer as vz


def products(window, kernel) -> str:
    """``w×x`` terms as the lesson writes them: joined by + or −, a negative pixel in brackets."""
    parts = []
    for w, x in zip(np.ravel(kernel), np.ravel(window), strict=True):
        pixel = number(x)
        pixel = f"({pixel})" if pixel.startswith("−") else pixel
        weight = number(w)
        parts.append(("−", f"{weight[1:]}×{pixel}") if weight.startswith("−") else ("+", f"{weight}×{pixel}"))
    return ("−" if parts[0][0] == "−" else "") + parts[0][1] + "".join(f" {s} {t}" for s, t in parts[1:])


def added(values) -> str:
    """``a + b − c``: numbers added as written by hand."""
    texts = [number(v) for v in values]
    return texts[0] + "".join(f" − {t[1:]}" if t.startswith("−") else f" + {t}" for t in texts[1:])


def same_up_to_elision(shown: str, expected: str) -> bool:
    """A line equal to ``expected``, or one whose middle terms were replaced by "…" (head and tail kept)."""
    if "…" not in shown:
        return shown == expected
    head, tail = shown.split("…")
    return expected.startswith(head.rstrip(" +−")) and expected.endswith(tail.lstrip(" +−"))


class LayerCase:
    """A layer and its expected numbers. ``partials[f][c]`` is filter f's partial sum map for its c-th channel."""

    def __init__(self, image, weights, **params):
        self.image, self.weights, self.params = np.asarray(image), np.asarray(weights), params
        self.layer = vz.ConvLayer(self.image, self.weights, **params)
        stride, padding = params.get("stride", 1), params.get("padding", "valid")
        dilation, pad_mode = params.get("dilation", 1), params.get("pad_mode", "zeros")
        self.stride, self.dilation = pair(stride), pair(dilation)
        self.pads = reference_pads(self.image.shape, self.weights.shape, stride, padding, dilation)
        self.padded = pad_image(self.image, self.pads, pad_mode)
        self.out_shape = reference_output_shape(self.image.shape, self.weights.shape, stride, padding, dilation)
        self.post = layer_scipy(self.image, self.weights, **params)
        self.pre = layer_scipy(self.image, self.weights, **{**params, "activation": None})
        self.c_in, self.c_out = self.image.shape[2], self.weights.shape[3]
        self.groups = params.get("groups", 1)
        self.per_group = self.c_in // self.groups
        geometry = dict(stride=stride, padding=padding, pad_mode=pad_mode, dilation=dilation)
        self.partials = [
            [
                correlate_scipy(self.image[..., ch], self.weights[:, :, c, f], **geometry)
                for c, ch in enumerate(self.reads(f))
            ]
            for f in range(self.c_out)
        ]
        bias = params.get("bias")
        self.bias = np.zeros(self.c_out) if bias is None else np.asarray(bias)
        self.names = ("red", "green", "blue") if self.c_in == 3 else tuple(f"channel {c}" for c in range(self.c_in))

    @property
    def steps(self) -> int:
        return self.out_shape[0] * self.out_shape[1] * self.c_out

    def position(self, index: int) -> tuple[int, int, int]:
        """(i, j, f): filters outermost, then rows, then columns."""
        f, rest = divmod(index, self.out_shape[0] * self.out_shape[1])
        i, j = divmod(rest, self.out_shape[1])
        return i, j, f

    def reads(self, f: int) -> range:
        """The input channels filter ``f`` reads: its group's."""
        group = f // (self.c_out // self.groups)
        return range(group * self.per_group, (group + 1) * self.per_group)

    def taps(self, i: int, j: int) -> dict[tuple[int, int], tuple[int, int]]:
        """(row, col) in the padded input -> (u, v) in the kernel."""
        m, n = self.weights.shape[:2]
        r0, c0 = i * self.stride[0], j * self.stride[1]
        return {(r0 + u * self.dilation[0], c0 + v * self.dilation[1]): (u, v) for u in range(m) for v in range(n)}

    def is_padding(self, r: int, c: int) -> bool:
        top, _, left, _ = self.pads
        h, w = self.image.shape[:2]
        return not (top <= r < top + h and left <= c < left + w)

    def sample_steps(self, most: int = 24) -> list[int]:
        """Every step of a small layer; of a large one, the first, the last and steps spread between."""
        if self.steps <= most:
            return list(range(self.steps))
        return sorted({0, 1, self.steps - 1, *np.linspace(0, self.steps - 1, most).astype(int).tolist()})


RNG = np.random.default_rng(11)
CASES = {
    "rgb, bias, relu": LayerCase(
        RNG.integers(0, 10, (5, 5, 3)), RNG.integers(-2, 3, (3, 3, 3, 2)), bias=[1, -3], padding=1, activation="relu"
    ),
    "depthwise, 2 per channel": LayerCase(
        RNG.integers(-5, 10, (5, 4, 3)),
        RNG.integers(-2, 3, (3, 2, 1, 6)),
        bias=RNG.integers(-4, 5, 6),
        groups=3,
        stride=(1, 2),
        padding=1,
        pad_mode="reflect",
        activation="relu",
    ),
    "pointwise": LayerCase(RNG.integers(0, 10, (3, 4, 3)), RNG.integers(-3, 4, (1, 1, 3, 4))),
    "depthwise, no bias": LayerCase(RNG.integers(0, 10, (4, 4, 2)), RNG.integers(-2, 3, (2, 2, 1, 2)), groups=2),
    # binary fractions: sums are exact, so three significant figures cannot round differently
    "grouped, dilated, tanh": LayerCase(
        RNG.integers(-8, 8, (7, 6, 4)) / 4,
        RNG.integers(-4, 4, (2, 2, 2, 4)) / 2,
        bias=[0.5, -0.25, 0, 1],
        groups=2,
        dilation=2,
        stride=(2, 1),
        padding=((1, 0), (0, 1)),
        activation="tanh",
    ),
    "same, replicate, sigmoid": LayerCase(
        RNG.integers(-8, 8, (4, 5, 2)) / 4,
        RNG.integers(-4, 4, (3, 3, 2, 3)) / 2,
        bias=[0.25, -0.5, 0],
        padding="same",
        pad_mode="replicate",
        activation="sigmoid",
    ),
    "16 filters (compact)": LayerCase(
        RNG.integers(0, 10, (4, 4, 2)), RNG.integers(-2, 3, (3, 3, 2, 16)), padding=1, activation="relu"
    ),
    "8 channels in 4 groups (compact)": LayerCase(
        RNG.integers(0, 10, (4, 4, 8)), RNG.integers(-2, 3, (3, 3, 2, 4)), groups=4, bias=RNG.integers(-3, 3, 4)
    ),
    # more channels summed than the products panel has rows for: each channel's products written out instead
    "6 channels summed": LayerCase(
        RNG.integers(-3, 10, (3, 4, 6)), RNG.integers(-2, 3, (2, 2, 6, 2)), bias=[2, -1], activation="relu"
    ),
}
