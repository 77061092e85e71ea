"""The gallery: one declarative list of named animations, and one function that renders them all.

``convviz gallery animations/`` (or :func:`render_gallery`) writes one GIF per
entry of :data:`GALLERY` and an ``animations/README.md`` table describing them.
The list holds conv_arithmetic's eight direct convolutions and its seven
transposed ones, each in its plain style and with numbers, the lesson's own
examples (the last of them the lesson's photo, drawn as pictures with a magnifier), a
transposed convolution's scatter view, max and average pooling,
a 1-D signal, and three convolutional layers (two RGB filters with bias and
ReLU, a depthwise and a pointwise one).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .convolution import ClipSpec, Convolution
from .examples import example_values
from .gallery_table import OPERATIONS, README, beside, table_row
from .geometry import PaddingSpec
from .layer import ConvLayer
from .pooling import Pooling
from .transposed import TransposedConvolution

__all__ = ["GALLERY", "OPERATIONS", "Animation", "render_gallery"]

WEIGHTS = ("random", "ramp")


@dataclass(frozen=True)
class Animation:
    """One gallery entry: a named operation and how it is drawn.

    Parameters
    ----------
    name : str
        File name without ``.gif``.
    input : tuple of int
        ``(rows, cols)``, ``(rows, cols, channels)`` or ``(width,)`` for a signal.
    kernel : int, str or tuple of str
        ``k`` for a k×k kernel (k for a signal) of ``weights``, a name from
        ``KERNELS``, or one name per channel for an ``(M, N, C)`` stack; for
        pooling, the window's size.
    padding, stride, dilation, pad_mode, clip
        As for :class:`~visualizer.Convolution` (pooling and the transposed
        convolution take what they have of them).
    values : str
        One of :data:`~visualizer.examples.VALUE_SOURCES`: random digits 0…9, a ramp,
        or "photo" (``uint8`` pixels of the sample photo).
    numbers : bool
        Values written in the cells (False: conv_arithmetic's plain look).
    layout : str
        "flat" (panels side by side) or "oblique" (conv_arithmetic's tilted planes).
    about : str
        One sentence for the README.
    op : str
        One of :data:`OPERATIONS`: "conv", "transposed", "maxpool", "avgpool" or "layer".
    output_padding, view
        As for :class:`~visualizer.TransposedConvolution`.
    filters, groups, bias, activation
        For a layer (:class:`~visualizer.ConvLayer`): how many filters of random
        weights −2…2, the channel groups, a random bias −4…4 per filter or none, and
        the activation.
    weights : str
        A kernel given as a size: "random" weights 0…2, or a "ramp" 1, 2, …, M·N
        (every weight different, so a rotated kernel reads as rotated).
    max_frames : int or None
        At most this many frames, steps sampled evenly (the lesson's photo has tens of thousands).

    Examples
    --------
    >>> Animation("demo", (4, 4), 3).operation().output_shape
    (2, 2)
    >>> Animation("up", (2, 2), 3, op="transposed", stride=2).operation().output_shape
    (5, 5)
    """

    name: str
    input: tuple[int, ...]
    kernel: int | str | tuple[str, ...]
    padding: PaddingSpec = 0
    stride: int = 1
    dilation: int = 1
    pad_mode: str = "zeros"
    clip: ClipSpec = None
    values: str = "random"
    numbers: bool = True
    layout: str = "flat"
    about: str = ""
    op: str = "conv"
    output_padding: int = 0
    view: str = "direct"
    weights: str = "random"
    filters: int = 1
    groups: int = 1
    bias: bool = False
    activation: str | None = None
    max_frames: int | None = 300  # save_animation's own budget (imported from render/ it would load Pillow)

    def __post_init__(self) -> None:
        if self.op not in OPERATIONS:
            raise ValueError(f"op must be one of {', '.join(OPERATIONS)}; got {self.op!r}")
        if self.weights not in WEIGHTS:
            raise ValueError(f"weights must be one of {', '.join(WEIGHTS)}; got {self.weights!r}")

    def operation(self) -> Convolution | TransposedConvolution | Pooling | ConvLayer:
        """The operation this entry shows (the same values every time)."""
        rng = np.random.default_rng(0)
        image = example_values(self.values, self.input, rng)
        if self.op in ("maxpool", "avgpool"):
            mode = self.op.removesuffix("pool")
            return Pooling(image, self.kernel, self.stride, self.padding, mode=mode, dilation=self.dilation)
        if self.op == "layer":
            return self._layer(image, rng)
        if isinstance(self.kernel, int):
            shape = (self.kernel,) * min(2, len(self.input))
            if self.weights == "ramp":
                kernel = np.arange(1, self.kernel ** len(shape) + 1).reshape(shape)
            else:
                kernel = example_values("random", shape, rng, high=2)
        else:
            from .filters import resolve_kernel  # a name, or one name per channel for a stack

            kernel = resolve_kernel(self.kernel)
        if self.op == "transposed":
            return TransposedConvolution(
                image,
                kernel,
                stride=self.stride,
                padding=self.padding,
                output_padding=self.output_padding,
                dilation=self.dilation,
                clip=self.clip,
                view=self.view,
            )
        return Convolution(
            image,
            kernel,
            stride=self.stride,
            padding=self.padding,
            pad_mode=self.pad_mode,
            dilation=self.dilation,
            clip=self.clip,
        )

    def _layer(self, image: np.ndarray, rng: np.random.Generator) -> ConvLayer:
        k = int(self.kernel)  # a layer's kernel is a size: its filters' weights are drawn here
        weights = rng.integers(-2, 3, (k, k, self.input[2] // self.groups, self.filters))
        bias = rng.integers(-4, 5, self.filters) if self.bias else None
        return ConvLayer(
            image,
            weights,
            bias,
            stride=self.stride,
            padding=self.padding,
            pad_mode=self.pad_mode,
            dilation=self.dilation,
            groups=self.groups,
            activation=self.activation,
        )


# conv_arithmetic's direct convolutions: name, input size, kernel size, padding, stride, dilation
_CONV_ARITHMETIC = (
    ("no_padding_no_strides", 4, 3, 0, 1, 1),
    ("arbitrary_padding_no_strides", 5, 4, 2, 1, 1),
    ("same_padding_no_strides", 5, 3, 1, 1, 1),
    ("full_padding_no_strides", 5, 3, 2, 1, 1),
    ("no_padding_strides", 5, 3, 0, 2, 1),
    ("padding_strides", 5, 3, 1, 2, 1),
    ("padding_strides_odd", 6, 3, 1, 2, 1),
    ("dilation", 7, 3, 0, 1, 2),
)

# conv_arithmetic's transposed convolutions, named after the direct convolution they transpose:
# name, that convolution's input size, kernel size, padding, stride, and the output_padding that
# gives its input size back (the transposed input is that convolution's output)
_CONV_ARITHMETIC_TRANSPOSED = (
    ("no_padding_no_strides", 4, 3, 0, 1, 0),
    ("arbitrary_padding_no_strides", 5, 4, 2, 1, 0),
    ("same_padding_no_strides", 5, 3, 1, 1, 0),
    ("full_padding_no_strides", 5, 3, 2, 1, 0),
    ("no_padding_strides", 5, 3, 0, 2, 0),
    ("padding_strides", 5, 3, 1, 2, 0),
    ("padding_strides_odd", 6, 3, 1, 2, 1),
)


def _transposed(name: str, size: int, kernel: int, padding: int, stride: int, extra: int, numbers: bool) -> Animation:
    inner = (size + 2 * padding - kernel) // stride + 1  # what the direct convolution gives
    return Animation(
        f"{name}_transposed" + ("_numbers" if numbers else ""),
        (inner, inner),
        kernel,
        padding=padding,
        stride=stride,
        numbers=numbers,
        layout="flat" if numbers else "oblique",
        op="transposed",
        output_padding=extra,
        weights="ramp",
        about=f"conv_arithmetic's {name}_transposed: {inner}×{inner} back to {size}×{size}"
        + (", with the numbers" if numbers else ", plain and oblique"),
    )


GALLERY: tuple[Animation, ...] = (
    *(
        Animation(
            name + ("_numbers" if numbers else ""),
            (size, size),
            kernel,
            padding=padding,
            stride=stride,
            dilation=dilation,
            numbers=numbers,
            # the plain ones in conv_arithmetic's own oblique look, to compare frame by frame
            layout="flat" if numbers else "oblique",
            about=f"conv_arithmetic's {name}" + (", with the numbers" if numbers else ", plain and oblique"),
        )
        for name, size, kernel, padding, stride, dilation in _CONV_ARITHMETIC
        for numbers in (False, True)
    ),
    Animation("lesson_valid_4x4", (4, 4), 3, padding="valid", about="The lesson's 4×4 input, valid padding, stride 1"),
    Animation("lesson_stride_2_4x5", (4, 5), 3, stride=2, about="Stride 2 on a 4×5 input: the bottom row is skipped"),
    Animation("lesson_same_5x5", (5, 5), 3, padding="same", about="Same padding keeps the 5×5 size"),
    Animation(
        "lesson_replicate_padding",
        (5, 5),
        3,
        padding="same",
        pad_mode="replicate",
        values="ramp",
        about="The edge values copied outward into the padding",
    ),
    Animation(
        "lesson_clamping_uint8",
        (4, 5),
        "odd",
        clip="auto",
        values="photo",
        about="8-bit pixels and the lesson's odd kernel: every sum passes 255 and is clamped",
    ),
    Animation(
        "lesson_photo_sharpen",
        (234, 200),
        "sharpen",
        padding="same",
        clip="auto",
        values="photo",
        max_frames=120,
        about="The lesson's photo, 200 px wide, sharpened: too many cells to number, so the photo and the "
        "output are drawn as pictures, the footprint outlined, and a magnifier shows each window's numbers, "
        "the kernel and the sum; 120 of its 46 800 steps",
    ),
    Animation(
        "lesson_colour_3x3x3",
        (5, 5, 3),
        ("gaussian_blur", "sharpen", "outline"),
        clip="auto",
        values="photo",
        about="A colour image: blur red, sharpen green, outline edges in blue, one 3×3×3 kernel stack",
    ),
    *(_transposed(*entry, numbers) for entry in _CONV_ARITHMETIC_TRANSPOSED for numbers in (False, True)),
    Animation(
        "padding_strides_transposed_scatter",
        (3, 3),
        3,
        padding=1,
        stride=2,
        op="transposed",
        view="scatter",
        weights="ramp",
        about="The same transposed convolution as padding_strides_transposed, one input element a step: "
        "each adds value × kernel into its patch of the output, the padding cutting off the border",
    ),
    Animation(
        "max_pooling", (5, 5), 3, op="maxpool", about="Max pooling, window 3, stride 1: the winning tap is ringed"
    ),
    Animation(
        "average_pooling",
        (5, 5),
        3,
        op="avgpool",
        about="Average pooling, window 3, stride 1: each window's sum and what it is divided by",
    ),
    Animation(
        "signal_transposed_stride_2",
        (5,),
        3,
        padding=1,
        stride=2,
        op="transposed",
        output_padding=1,
        weights="ramp",
        about="A 1-D signal doubled in length: a transposed convolution with stride 2 spreads 5 values over 10",
    ),
    Animation(
        "layer_rgb_two_filters",
        (5, 5, 3),
        3,
        padding=1,
        op="layer",
        filters=2,
        bias=True,
        activation="relu",
        about="An RGB image through two 3×3×3 filters: each channel's partial sum, the sum plus bias, ReLU",
    ),
    Animation(
        "layer_depthwise",
        (5, 5, 3),
        3,
        op="layer",
        filters=3,
        groups=3,
        layout="oblique",
        about="A depthwise layer: each filter reads one channel; its map stands beside the channel it reads",
    ),
    Animation(
        "layer_pointwise",
        (4, 4, 3),
        1,
        op="layer",
        filters=2,
        about="A 1×1 layer: each output is a weighted sum of the three channels at one pixel",
    ),
)
"""Every animation in ``animations/``, in README order."""


def render_gallery(
    folder: str | os.PathLike,
    *,
    entries: tuple[Animation, ...] = GALLERY,
    progress: bool | None = None,
    only: Collection[str] | None = None,
) -> list[Path]:
    """Write one GIF per entry into ``folder`` (created if missing) and a README.md table; return the paths.

    ``only`` names the entries to draw again (the README still lists every entry); None draws them all.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     paths = render_gallery(root, entries=GALLERY[:1], progress=False)
    ...     [path.name for path in paths]
    ['no_padding_no_strides.gif', 'README.md']
    """
    from .files import atomic_write
    from .render.export import save_animation  # Pillow only when rendering

    names = {entry.name for entry in entries}
    if only is not None and not set(only) <= names:
        unknown = ", ".join(sorted(set(only) - names))
        raise ValueError(f"only must name gallery entries; {unknown} is not one")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    rows = []
    for entry in entries:
        op = entry.operation()
        if only is None or entry.name in only:
            style = {"numbers": entry.numbers, "layout": entry.layout, "max_frames": entry.max_frames}
            paths.append(save_animation(op, folder / f"{entry.name}.gif", progress=progress, **style))
        rows.append(table_row(entry, op))
    readme = folder / "README.md"
    with atomic_write(readme) as temp:
        pictures = "\n".join(f"### {e.name}\n\n{e.about}.\n\n![{e.name}]({e.name}.gif)\n" for e in entries)
        text = README.format(rows="\n".join(rows), beside=beside(entries), pictures=pictures)
        temp.write_text(text, encoding="utf-8")
    return [*paths, readme]
