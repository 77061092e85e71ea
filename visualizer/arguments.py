"""The options every ``convviz`` subcommand shares, and how they become a Convolution.

Every subcommand that describes a convolution shares the same options
(``--input 5x5 --kernel 3x3 --stride 2 --padding same --pad-mode replicate
--dilation 1 --values random --kernel-values sobel_x --clip auto``), built by
:func:`add_conv_arguments` and read by :func:`conv_from_args`. A bad value
raises :class:`UsageError`: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from .convolution import PAD_MODE_ALIASES, PAD_MODES, Convolution
from .examples import VALUE_SOURCES, example_values
from .kernels import KERNELS


class UsageError(Exception):
    """A bad argument: reported as one line and exit status 2."""


class Parser(argparse.ArgumentParser):
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
        raise UsageError(f"{name}: {path!r} is not a table of numbers ({first_line(error)})") from None
    return array


def _inline(text: str, name: str) -> np.ndarray:
    try:
        return np.array([[float(x) for x in row.split(",")] for row in text.split(";")])
    except ValueError:
        raise UsageError(f"{name}: rows of numbers look like '1,0,-1;2,0,-2;1,0,-1'; got {text!r}") from None


def _values(spec: str, shape: tuple[int, ...], rng: np.random.Generator, low: int, high: int, name: str) -> np.ndarray:
    if spec not in VALUE_SOURCES:
        return numbers_from(spec, name)
    try:
        return example_values(spec, shape, rng, low=low, high=high)
    except ValueError as error:
        raise UsageError(f"{name} {spec}: {first_line(error)}") from None


def numbers_from(spec: str, name: str) -> np.ndarray:
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
    clip = parse_clip(args.clip)
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
        raise UsageError(first_line(error)) from None


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


def parse_clip(text: str | None) -> Any:
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
    group.add_argument(
        "--shade",
        choices=["none", "values"],
        help="cells in flat colours, or tinted by their values (default: values for --values photo, else none)",
    )
    group.add_argument("--fps", default=2.0, type=float, help="frames per second, up to 50 (default 2)")
    group.add_argument("--quiet", action="store_true", help="no progress bar")


def style_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The picture's style the options ask for; a photo is shaded by its values unless told otherwise."""
    shade = args.shade or ("values" if getattr(args, "values", None) == "photo" else "none")
    return {
        "theme": args.theme,
        "numbers": args.numbers,
        "layout": args.layout,
        "shade": None if shade == "none" else shade,
    }


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
