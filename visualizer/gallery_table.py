"""The gallery's README: its table of entries and conv_arithmetic's GIFs beside ours.

What :func:`visualizer.gallery.render_gallery` writes beside the GIFs; one row per entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .convolution import Convolution
from .layer import ConvLayer
from .pooling import Pooling

OPERATIONS = {
    "conv": "convolution",
    "transposed": "transposed convolution",
    "maxpool": "max pooling",
    "avgpool": "average pooling",
    "layer": "convolutional layer",
}
"""What an entry's ``op`` may be, and how the README names it."""

# conv_arithmetic's own GIFs, shown beside ours in the README (read on the web, never fetched by the package)
_THEIRS = "https://raw.githubusercontent.com/vdumoulin/conv_arithmetic/master/gif/{}.gif"
_BESIDE = ("no_padding_no_strides", "full_padding_no_strides", "padding_strides", "padding_strides_transposed")


def beside(entries: Sequence[Any]) -> str:
    """The README's section that shows conv_arithmetic's GIFs beside ours, for the entries that have one."""
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


def table_row(entry: Any, op: Any) -> str:
    """One row of the README's table: a gallery entry (:class:`~visualizer.gallery.Animation`) and its operation."""

    from .render.budget import sample_steps  # only when a README is written: render/ loads Pillow

    def size(shape: tuple[int, ...]) -> str:
        return "×".join(map(str, shape))

    operation = OPERATIONS[entry.op] + (f" ({op.view} view)" if entry.op == "transposed" else "")
    if isinstance(op, Pooling):
        kernel = f"{size(op.size if isinstance(op.size, tuple) else (op.size,))} window"
    elif isinstance(op, ConvLayer):
        kernel = f"{op.out_channels} × {size(op.weights.shape[:3])}, {op.kind}"
        kernel += (", bias" if op.bias is not None else "") + (f", {op.activation}" if op.activation else "")
    else:
        kernel = size(op.kernel.shape)
        if isinstance(entry.kernel, str):
            kernel += f" {entry.kernel}"
        elif isinstance(entry.kernel, tuple):
            kernel += f" stack ({', '.join(entry.kernel)})"
        elif entry.weights == "ramp":
            kernel += " 1, 2, …"
    image = size(op.image.shape) + (f" {op.image.dtype} photo" if entry.values == "photo" else f" {entry.values}")
    if isinstance(op, Convolution | ConvLayer):
        padding = f"{entry.padding} {op.pads}" if isinstance(entry.padding, str) else str(entry.padding)
        padding += f" {op.pad_mode}" if any(op.pads) else ""
    else:
        padding = str(entry.padding) + (f", output_padding {entry.output_padding}" if entry.output_padding else "")
    clip = f", clip {entry.clip}" if entry.clip else ""
    output = (*op.output_shape, op.out_channels) if isinstance(op, ConvLayer) else op.output_shape
    cells = [
        f"[{entry.name}.gif]({entry.name}.gif)",
        operation,
        image,
        kernel,
        padding,
        str(entry.stride),
        str(entry.dilation),
        f"{size(output)} ({len(sample_steps(op.num_steps, entry.max_frames))} frames)",
        entry.about + clip,
    ]
    return "| " + " | ".join(cells) + " |"


README = """# Animations

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
