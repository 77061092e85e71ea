"""The gallery: one declarative list of named animations, and one function that renders them all.

``convviz gallery animations/`` (or :func:`render_gallery`) writes one GIF per
entry of :data:`GALLERY` and an ``animations/README.md`` table describing them.
The list holds conv_arithmetic's eight direct convolutions and its seven
transposed ones, each in its plain style and with numbers, the lesson's own
examples, a transposed convolution's scatter view, max and average pooling,
and a 1-D signal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .convolution import ClipSpec, Convolution
from .examples import example_values
from .geometry import PaddingSpec
from .pooling import Pooling
from .transposed import TransposedConvolution

OPERATIONS = {
    "conv": "convolution",
    "transposed": "transposed convolution",
    "maxpool": "max pooling",
    "avgpool": "average pooling",
}
"""What an entry's ``op`` may be, and how the README names it."""

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
        One of :data:`OPERATIONS`: "conv", "transposed", "maxpool" or "avgpool".
    output_padding, view
        As for :class:`~visualizer.TransposedConvolution`.
    weights : str
        A kernel given as a size: "random" weights 0…2, or a "ramp" 1, 2, …, M·N
        (every weight different, so a rotated kernel reads as rotated).

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

    def __post_init__(self) -> None:
        if self.op not in OPERATIONS:
            raise ValueError(f"op must be one of {', '.join(OPERATIONS)}; got {self.op!r}")
        if self.weights not in WEIGHTS:
            raise ValueError(f"weights must be one of {', '.join(WEIGHTS)}; got {self.weights!r}")

    def operation(self) -> Convolution | TransposedConvolution | Pooling:
        """The operation this entry shows (the same values every time)."""
        rng = np.random.default_rng(0)
        image = example_values(self.values, self.input, rng)
        if self.op in ("maxpool", "avgpool"):
            mode = self.op.removesuffix("pool")
            return Pooling(image, self.kernel, self.stride, self.padding, mode=mode, dilation=self.dilation)
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
)
"""Every animation in ``animations/``, in README order."""


def render_gallery(
    folder: str | os.PathLike, *, entries: tuple[Animation, ...] = GALLERY, progress: bool | None = None
) -> list[Path]:
    """Write one GIF per entry into ``folder`` (created if missing) and a README.md table; return the paths.

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

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    rows = []
    for entry in entries:
        op = entry.operation()
        style = {"numbers": entry.numbers, "layout": entry.layout}
        paths.append(save_animation(op, folder / f"{entry.name}.gif", progress=progress, **style))
        rows.append(_table_row(entry, op))
    readme = folder / "README.md"
    with atomic_write(readme) as temp:
        pictures = "\n".join(f"### {e.name}\n\n{e.about}.\n\n![{e.name}]({e.name}.gif)\n" for e in entries)
        text = _README.format(rows="\n".join(rows), beside=_beside(entries), pictures=pictures)
        temp.write_text(text, encoding="utf-8")
    return [*paths, readme]


# conv_arithmetic's own GIFs, shown beside ours in the README (read on the web, never fetched by the package)
_THEIRS = "https://raw.githubusercontent.com/vdumoulin/conv_arithmetic/master/gif/{}.gif"
_BESIDE = ("no_padding_no_strides", "full_padding_no_strides", "padding_strides", "padding_strides_transposed")


def _beside(entries: tuple[Animation, ...]) -> str:
    names = [name for name in _BESIDE if any(e.name == name for e in entries)]
    if not names:
        return ""
    head = "| | " + " | ".join(name.replace("_", " ") for name in names) + " |"
    rule = "|---" * (len(names) + 1) + "|"
    ours = "| here | " + " | ".join(f"![{n}]({n}.gif)" for n in names) + " |"
    theirs = "| conv_arithmetic | " + " | ".join(f"![{n}, conv_arithmetic]({_THEIRS.format(n)})" for n in names) + " |"
    return "\n".join(["## Beside conv_arithmetic", "", _BESIDE_TEXT, "", head, rule, ours, theirs, ""])


_BESIDE_TEXT = (
    "The plain entries use conv_arithmetic's oblique look: the input plane below, the output plane above it, "
    "lines from the footprint's corners to the current output cell. They have the same frames in the same order "
    "as conv_arithmetic's GIFs (Dumoulin & Visin, *A guide to convolution arithmetic for deep learning*, 2016)."
)


def _table_row(entry: Animation, op: Convolution | TransposedConvolution | Pooling) -> str:
    def size(shape: tuple[int, ...]) -> str:
        return "×".join(map(str, shape))

    operation = OPERATIONS[entry.op] + (f" ({op.view} view)" if entry.op == "transposed" else "")
    if isinstance(op, Pooling):
        kernel = f"{size(op.size if isinstance(op.size, tuple) else (op.size,))} window"
    else:
        kernel = size(op.kernel.shape)
        if isinstance(entry.kernel, str):
            kernel += f" {entry.kernel}"
        elif isinstance(entry.kernel, tuple):
            kernel += f" stack ({', '.join(entry.kernel)})"
        elif entry.weights == "ramp":
            kernel += " 1, 2, …"
    image = size(op.image.shape) + (f" {op.image.dtype} photo" if entry.values == "photo" else f" {entry.values}")
    if isinstance(op, Convolution):
        padding = f"{entry.padding} {op.pads}" if isinstance(entry.padding, str) else str(entry.padding)
        padding += f" {op.pad_mode}" if any(op.pads) else ""
    else:
        padding = str(entry.padding) + (f", output_padding {entry.output_padding}" if entry.output_padding else "")
    clip = f", clip {entry.clip}" if entry.clip else ""
    cells = [
        f"[{entry.name}.gif]({entry.name}.gif)",
        operation,
        image,
        kernel,
        padding,
        str(entry.stride),
        str(entry.dilation),
        f"{size(op.output_shape)} ({op.num_steps} frames)",
        entry.about + clip,
    ]
    return "| " + " | ".join(cells) + " |"


_README = """# Animations

Every GIF here comes from one command, `convviz gallery animations/`, and one list, `GALLERY` in
`visualizer/gallery.py`. One frame per step (an output element; an input element in the scatter view),
row-major, looping. The input is blue, the kernel's footprint and the current output cell are shaded,
padding is a dashed grid; the `_numbers` versions write the values, the kernel weights and the arithmetic
of each step. A transposed convolution's direct view draws the input stretched with zeros between its
cells (pale and hatched: not input) and slides the kernel rotated by 180° over it, with the kernel and its
rotated copy beside it; pooling rings the tap a max took, or writes an average's sum and divisor.

Padding `same (top, bottom, left, right)` lists the pads the rule chose.

| file | operation | input | kernel | padding | stride | dilation | output | what it shows |
|---|---|---|---|---|---|---|---|---|
{rows}

{beside}
## The animations

{pictures}"""
