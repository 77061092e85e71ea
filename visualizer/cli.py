"""The ``convviz`` command (also ``python -m visualizer``).

Every subcommand that describes a convolution shares the same options
(``--input 5x5 --kernel 3x3 --stride 2 --padding same --pad-mode replicate
--dilation 1 --values random --kernel-values sobel_x --clip auto``), built by
:func:`add_conv_arguments` and read by :func:`conv_from_args`.

Bad arguments end with exit status 2 and one line naming what is wrong and
what is allowed; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from . import __version__
from .convolution import PAD_MODE_ALIASES, PAD_MODES, Convolution
from .examples import VALUE_SOURCES, example_values
from .kernels import KERNELS
from .text import arithmetic, format_number


class UsageError(Exception):
    """A bad argument: reported as one line and exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line, no usage dump: the message says what is allowed, --help says the rest
        raise UsageError(f"{message} (see {self.prog} --help)")


# -- shared convolution options -------------------------------------------------


def parse_shape(text: str, name: str, dims: tuple[int, ...] = (2, 3)) -> tuple[int, ...]:
    """``"5x5"``, ``"5"`` (square) or ``"5x5x3"`` as a tuple of positive ints.

    >>> parse_shape("4x5", "--input")
    (4, 5)
    >>> parse_shape("3", "--kernel")
    (3, 3)
    """
    if not re.fullmatch(r"\d+(x\d+){0,2}", text.strip().lower()):
        looks = "5x5, 5 or 5x5x3 (rows x cols [x channels])" if 3 in dims else "2 or 2x3 (rows x cols)"
        raise UsageError(f"{name} must look like {looks}; got {text!r}")
    shape = tuple(int(part) for part in text.strip().lower().split("x"))
    shape = shape * 2 if len(shape) == 1 else shape
    if min(shape) < 1 or len(shape) not in dims:
        raise UsageError(f"{name} needs {' or '.join(map(str, dims))} positive sizes; got {text!r}")
    return shape


def load_array(path: str, name: str) -> np.ndarray:
    """A numeric array from a ``.npy`` file or a ``.csv``/``.txt`` file of numbers."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{name}: no such file {path!r}")
    try:
        if file.suffix.lower() == ".npy":
            array = np.load(file, allow_pickle=False)
        else:
            array = np.loadtxt(file, delimiter="," if file.suffix.lower() == ".csv" else None, ndmin=2)
    except (ValueError, OSError) as error:
        raise UsageError(f"{name}: {path!r} is not a table of numbers ({_first_line(error)})") from None
    return array


def _inline(text: str, name: str) -> np.ndarray:
    try:
        return np.array([[float(x) for x in row.split(",")] for row in text.split(";")])
    except ValueError:
        raise UsageError(f"{name}: rows of numbers look like '1,0,-1;2,0,-2;1,0,-1'; got {text!r}") from None


def _values(spec: str, shape: tuple[int, ...], rng: np.random.Generator, low: int, high: int, name: str) -> np.ndarray:
    if spec not in VALUE_SOURCES:
        return _numbers(spec, name)
    try:
        return example_values(spec, shape, rng, low=low, high=high)
    except ValueError as error:
        raise UsageError(f"{name} {spec}: {_first_line(error)}") from None


def _numbers(spec: str, name: str) -> np.ndarray:
    # rows typed inline ("1,0,-1;2,0,-2;1,0,-1") or a file of numbers
    if ";" in spec or re.fullmatch(r"[-+\d.,eE ]+", spec):
        return _inline(spec, name)
    return load_array(spec, name)


def add_conv_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that describe a convolution to ``parser``."""
    group = parser.add_argument_group("convolution")
    group.add_argument("--input", metavar="SHAPE", help="input size ROWSxCOLS[xCHANNELS] (default 5x5)")
    group.add_argument("--kernel", metavar="SHAPE", help="kernel size MxN[xC] (default 3x3)")
    group.add_argument("--stride", default="1", metavar="S", help="stride: S or ROWSxCOLS (default 1)")
    group.add_argument(
        "--padding",
        default="valid",
        metavar="P",
        help="valid, same, full, a number, or ROWSxCOLS (default valid)",
    )
    modes = ", ".join(list(PAD_MODES) + list(PAD_MODE_ALIASES))
    group.add_argument("--pad-mode", default="zeros", metavar="MODE", help=f"{modes} (default zeros)")
    group.add_argument("--pad-value", default=0.0, type=float, metavar="V", help="fill value for --pad-mode zeros")
    group.add_argument("--dilation", default="1", metavar="D", help="dilation: D or ROWSxCOLS (default 1)")
    group.add_argument(
        "--values",
        default="random",
        metavar="SOURCE",
        help="input values: random (0…9), ramp (0, 1, 2, …), photo (a crop of the sample photo), "
        "FILE.npy or FILE.csv (default random)",
    )
    group.add_argument(
        "--kernel-values",
        default="random",
        metavar="SOURCE",
        help=f"kernel weights: random (0…2), a name ({', '.join(KERNELS)}), FILE.npy, FILE.csv "
        "or rows like '1,0,-1;2,0,-2;1,0,-1' (default random)",
    )
    group.add_argument("--clip", default=None, metavar="RANGE", help="clamp the sums: auto, or LOW,HIGH such as 0,255")
    group.add_argument("--flip-kernel", action="store_true", help="flip the kernel: true convolution, not correlation")
    group.add_argument("--seed", default=0, type=int, help="seed for random values (default 0)")


def conv_from_args(args: argparse.Namespace) -> Convolution:
    """Build the :class:`Convolution` that the shared options describe."""
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0; got {args.seed}")
    rng = np.random.default_rng(args.seed)
    image = _values(args.values, parse_shape(args.input or "5x5", "--input"), rng, 0, 9, "--values")
    _check_shape(image, args.input, "--input", "--values")
    kernel_shape = parse_shape(args.kernel or "3x3", "--kernel")
    if args.kernel_values in KERNELS:
        kernel = np.asarray(KERNELS[args.kernel_values])
    else:
        kernel = _values(args.kernel_values, kernel_shape, rng, 0, 2, "--kernel-values")
    _check_shape(kernel, args.kernel, "--kernel", "--kernel-values")
    clip = _clip(args.clip)
    try:
        return Convolution(
            image,
            kernel,
            stride=_pair(args.stride, "--stride"),
            padding=_padding(args.padding),
            pad_mode=args.pad_mode,
            dilation=_pair(args.dilation, "--dilation"),
            clip=clip,
            pad_value=args.pad_value,
            flip_kernel=args.flip_kernel,
        )
    except (ValueError, TypeError) as error:
        raise UsageError(_first_line(error)) from None


def _check_shape(array: np.ndarray, shape_text: str | None, shape_name: str, values_name: str) -> None:
    # a shape given on purpose must agree with values that bring their own shape
    if shape_text is not None and array.shape != parse_shape(shape_text, shape_name):
        shape = "x".join(map(str, array.shape))
        raise UsageError(f"{shape_name} {shape_text} disagrees with {values_name}, which is {shape}; drop one of them")


def _pair(text: str, name: str) -> int | tuple[int, int]:
    if re.fullmatch(r"-?\d+", text.strip()):
        return int(text)
    shape = parse_shape(text, name, dims=(2,))
    return (shape[0], shape[1])


def _padding(text: str) -> Any:
    if text.lower() in ("valid", "same", "full"):
        return text.lower()
    # not _pair(): a padding of 0 on one axis ("1x0") is allowed, a stride of 0 is not
    match = re.fullmatch(r"(\d+)(?:x(\d+))?", text.strip().lower())
    if match:
        rows, cols = match.groups()
        return int(rows) if cols is None else (int(rows), int(cols))
    raise UsageError(f"--padding must be valid, same, full, a number or ROWSxCOLS; got {text!r}")


def _clip(text: str | None) -> Any:
    if text is None or text == "auto":
        return text
    try:
        low, high = (float(x) for x in text.split(","))
    except ValueError:
        raise UsageError(f"--clip must be auto or LOW,HIGH such as 0,255 or 0,1; got {text!r}") from None
    return (low, high)


def add_style_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that say how frames look and play: ``--theme``, ``--no-numbers``, ``--fps``, ``--quiet``."""
    from .render.style import THEMES  # Pillow's fonts load only when a drawing command is built

    group = parser.add_argument_group("style")
    group.add_argument("--theme", default="default", choices=list(THEMES), help="colours and type size")
    group.add_argument(
        "--no-numbers",
        dest="numbers",
        action="store_false",
        help="leave the values out: conv_arithmetic's plain look",
    )
    group.add_argument(
        "--layout",
        default="flat",
        choices=["flat", "oblique"],
        help="flat panels, or conv_arithmetic's oblique planes (output above input)",
    )
    group.add_argument("--fps", default=2.0, type=float, help="frames per second, up to 50 (default 2)")
    group.add_argument("--quiet", action="store_true", help="no progress bar")


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# -- subcommands ------------------------------------------------------------------


def _cmd_info(args: argparse.Namespace) -> None:
    conv = conv_from_args(args)
    top, bottom, left, right = conv.pads
    print(conv.describe())
    print(f"output shape: {conv.output_shape[0]}×{conv.output_shape[1]} ({conv.num_steps} steps)")
    print(f"pads: top {top}, bottom {bottom}, left {left}, right {right}")
    for line in conv.formula():
        print(line)


def _cmd_steps(args: argparse.Namespace) -> None:
    conv = conv_from_args(args)
    print(conv.describe())
    print("\ninput (padded):" if any(conv.pads) else "\ninput:")
    print(_grid(conv.padded))
    print("\nkernel:")
    print(_grid(conv.kernel))
    print()
    for line in conv.formula():
        print(line)
    print()
    channels = range(conv.channels) if conv.channels else [None]
    for step in conv.steps():
        where = f"step {step.index:>2}: out[{step.out_index[0]}, {step.out_index[1]}], window at {step.origin}"
        for c in channels:
            label = "" if c is None else f" channel {c}:"
            print(f"{where}{label}  {arithmetic(step, channel=c)}")
    print("\noutput:")
    print(_grid(conv.result()))


def _grid(array: np.ndarray) -> str:
    if array.ndim == 3:
        return "\n\n".join(f"channel {c}:\n{_grid(array[..., c])}" for c in range(array.shape[2]))
    cells = [[format_number(v) for v in row] for row in array]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("  ".join(c.rjust(width) for c in row) for row in cells)


def _animate_arguments(parser: argparse.ArgumentParser) -> None:
    add_conv_arguments(parser)
    add_style_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        default="convolution.gif",
        metavar="PATH",
        help="FILE.gif, FILE.mp4 (needs ffmpeg), FILE.html, FILE.pdf (a handout, one page per step), "
        "FILE.png (contact sheet), or a folder for numbered PNG frames (default convolution.gif)",
    )


def _cmd_animate(args: argparse.Namespace) -> None:
    from .render.export import save_animation

    conv = conv_from_args(args)
    style = {"theme": args.theme, "numbers": args.numbers, "layout": args.layout}
    path = save_animation(conv, args.output, fps=args.fps, progress=False if args.quiet else None, **style)
    steps = f"{conv.num_steps} step" + ("s" if conv.num_steps != 1 else "")
    print(f"wrote {path} ({steps}: {conv.describe()})")


def _gallery_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default="animations", help="where to write (default animations)")


def _cmd_gallery(args: argparse.Namespace) -> None:
    from .gallery import render_gallery

    paths = render_gallery(args.folder)
    print(f"wrote {len(paths) - 1} animations and {paths[-1]}")


def _present_arguments(parser: argparse.ArgumentParser) -> None:
    add_conv_arguments(parser)
    add_style_arguments(parser)
    parser.set_defaults(theme="classroom")  # large type for a projector


def _cmd_present(args: argparse.Namespace) -> None:
    from .presenter import present  # matplotlib's window toolkit loads only for this command

    style = {"theme": args.theme, "numbers": args.numbers, "layout": args.layout}
    present(conv_from_args(args), fps=args.fps, seed=args.seed, **style)


def _photo_arguments(parser: argparse.ArgumentParser, output: str) -> None:
    parser.add_argument("photo", nargs="?", help="an image file Pillow reads (default: the sample photo)")
    parser.add_argument(
        "-o", "--output", default=output, metavar="PATH", help=f"FILE.png or FILE.jpg (default {output})"
    )
    parser.add_argument(
        "--size",
        default="200",
        metavar="WIDTH",
        help="resize to WIDTH pixels wide, keeping the aspect ratio, or 'full' (default 200: the lesson's size, "
        "where a 3x3 kernel shows)",
    )
    parser.add_argument("--grey", action="store_true", help="filter the grey (luma) version of the photo")
    modes = ", ".join(list(PAD_MODES) + list(PAD_MODE_ALIASES))
    parser.add_argument(
        "--pad-mode", default="replicate", metavar="MODE", help=f"{modes} (default replicate; zeros darkens the border)"
    )


def _read_photo(args: argparse.Namespace, dtype: str = "uint8") -> np.ndarray:
    from .images import load_image, sample_photo

    if args.size == "full":
        width = None
    elif re.fullmatch(r"\d+", args.size.strip()) and int(args.size) > 0:
        width = int(args.size)
    else:
        raise UsageError(f"--size must be a width in pixels such as 200, or full; got {args.size!r}")
    source = {"grey": args.grey, "width": width, "dtype": dtype}
    return load_image(args.photo, **source) if args.photo else sample_photo(**source)


def _filter_arguments(parser: argparse.ArgumentParser) -> None:
    from .filters import FILTER_NAMES

    _photo_arguments(parser, "filtered.png")
    # "--kernel" is a shape in the other commands; for filter the weights bring their own
    # shape, so it is a second spelling of --kernel-values, and a shape is refused by name
    parser.add_argument(
        "--kernel-values",
        "--kernel",
        dest="kernel_values",
        metavar="KERNEL",
        help=f"a name ({', '.join(FILTER_NAMES)}; sobel is the edge magnitude), FILE.npy, FILE.csv "
        "or rows like '1,0,-1;2,0,-2;1,0,-1'",
    )
    parser.add_argument(
        "--channels", metavar="K1,K2,K3", help="one kernel per colour channel (names or files): blur,sharpen,outline"
    )
    parser.add_argument(
        "--clip",
        default="auto",
        metavar="RANGE",
        help="auto (8-bit in, 8-bit out: 0…255), or LOW,HIGH such as 0,1 or -1,1 (write --clip=-1,1); HIGH ≤ 1 "
        "reads the photo as floats 0…1; LOW is saved black and HIGH white (default auto)",
    )


def _filter_kernel(spec: str, name: str) -> Any:
    from .filters import FILTER_NAMES

    if spec in FILTER_NAMES:
        return spec
    if re.fullmatch(r"\d+x\d+(x\d+)?", spec.strip().lower()):
        raise UsageError(
            f"{name} takes weights (a name, a file or rows like '1,0,-1;2,0,-2;1,0,-1'), not a size; got {spec!r}"
        )
    if re.fullmatch(r"[A-Za-z_]\w*", spec) and not Path(spec).exists():
        raise UsageError(f"{name}: {spec!r} is neither a kernel name ({', '.join(FILTER_NAMES)}) nor a file")
    return _numbers(spec, name)


def _cmd_filter(args: argparse.Namespace) -> None:
    from .filters import filter_image
    from .images import save_image

    if (args.kernel_values is None) == (args.channels is None):
        raise UsageError("filter needs one of --kernel NAME (or --kernel-values) and --channels K1,K2,K3")
    if args.channels is None:
        kernel, what = _filter_kernel(args.kernel_values, "--kernel"), args.kernel_values
    else:
        kernel = [_filter_kernel(k.strip(), "--channels") for k in args.channels.split(",")]
        what = f"channels {args.channels}"
    clip = _clip(args.clip)
    photo = _read_photo(args, "float32" if clip != "auto" and clip[1] <= 1 else "uint8")
    result = filter_image(photo, kernel, pad_mode=args.pad_mode, clip=clip)
    path = save_image(result.image, args.output, value_range=None if clip == "auto" else clip)
    height, width = result.image.shape[:2]
    print(f"wrote {path} ({width}×{height}, {what}, pad_mode {args.pad_mode})")
    print(result.report())


def _filters_arguments(parser: argparse.ArgumentParser) -> None:
    _photo_arguments(parser, "filters.png")
    parser.add_argument(
        "--compare-pad-modes",
        action="store_true",
        help="instead, show a box blur with zeros and with replicate padding, and an enlarged corner of each: "
        "zeros darkens the border",
    )


def _cmd_filters(args: argparse.Namespace) -> None:
    from .filters import apply_filters, border_sheet
    from .images import save_image
    from .render.sheet import contact_sheet

    if args.compare_pad_modes:
        path = save_image(np.asarray(border_sheet(_read_photo(args))), args.output)
        print(f"wrote {path} (box blur with pad_mode zeros and replicate)")
        return
    results = apply_filters(_read_photo(args), pad_mode=args.pad_mode)
    sheet = contact_sheet([(label, result.image) for label, result in results])
    path = save_image(np.asarray(sheet), args.output)
    print(f"wrote {path} ({sheet.width}×{sheet.height}, {len(results)} panels, pad_mode {args.pad_mode})")
    for label, result in results[1:]:
        print(f"{label}: {result.report()}")


# name -> (help, add extra arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], Any]]] = {
    "steps": ("print a convolution step by step in the terminal", add_conv_arguments, _cmd_steps),
    "info": ("print the output shape, the pads and the output-size formula", add_conv_arguments, _cmd_info),
    "animate": ("draw every step into a GIF, MP4, HTML page, PNG sheet or frames", _animate_arguments, _cmd_animate),
    "gallery": ("write the gallery of named animations and its README.md table", _gallery_arguments, _cmd_gallery),
    "filter": ("filter a photo with a named or custom kernel, and report the clipping", _filter_arguments, _cmd_filter),
    "filters": ("the lesson's figure: a photo and five filters on a labelled sheet", _filters_arguments, _cmd_filters),
    "present": ("open the classroom window, driven from the keyboard", _present_arguments, _cmd_present),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="convviz", description="See image convolution step by step.")
    parser.add_argument("--version", action="version", version=f"convviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``convviz``; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        args.run(args)
    except UsageError as error:
        print(f"convviz: error: {error}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError, MemoryError) as error:
        # the library's own validation speaks in one clear line already (and NumPy names the size it could not allocate)
        print(f"convviz: error: {_first_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
