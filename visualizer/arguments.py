"""The options every ``convviz`` subcommand shares, and how they become a Convolution.

Every subcommand that describes a convolution shares the same options
(``--input 5x5 --kernel sobel_x --stride 2 --padding same --pad-mode replicate
--dilation 1 --values random --clip auto``), built by :func:`add_conv_arguments`
and read by :func:`conv_from_args`; what each value means is
:mod:`visualizer.cli_values`. A bad value, and an option that would do nothing
or contradicts another, raises :class:`UsageError`: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .cli_values import (
    RANDOM,
    KernelSource,
    UsageError,
    choice,
    first_line,
    kernel_source,
    parse_clip,
    parse_padding,
    parse_pair,
    parse_shape,
    random_kernel,
    values_source,
)
from .convolution import PAD_MODE_ALIASES, PAD_MODES, Convolution
from .examples import example_values
from .kernels import KERNELS
from .names import did_you_mean

__all__ = [
    "Parser",
    "UsageError",
    "add_conv_arguments",
    "add_style_arguments",
    "conv_from_args",
    "first_line",
    "style_from_args",
]

KERNEL_HELP = (
    f"the kernel: a name ({', '.join(KERNELS)}), a size for random weights 0…2 (3x3, or 3x3x3: one per "
    "colour channel), a file (.npy, .csv, .txt) or rows like '1,0,-1;2,0,-2;1,0,-1' (default 3x3)"
)

# Options that a command once took, or that users carry over from another command: each is
# refused with a line that says what to write instead.
RETIRED = {
    ("present", "--quiet"): "present opens a window and shows no progress bar; drop --quiet",
    ("filters", "--kernel"): "filters draws the lesson's five filters; one kernel is 'convviz filter --kernel NAME'",
    ("filters", "--kernel-values"): "filters draws the lesson's five filters; one kernel is 'convviz filter --kernel'",
    ("filters", "--channels"): "filters draws the lesson's five filters; per channel is 'convviz filter --channels'",
}


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, with a "did you mean" for unknown options.

    A value that starts with a minus and a digit is a value, not an option: rows
    such as ``--kernel -1,0,1;-2,0,2;-1,0,1`` and ``--clip -1,1`` need no ``=``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse reads only a plain negative number (-1, -.5) as a value and anything else
        # beginning with "-" as an option; no option here starts with a digit, so none is hidden
        self._negative_number_matcher = re.compile(r"^-\.?\d[\d.,;\seE+-]*$")

    def error(self, message: str) -> NoReturn:
        # one line, no usage dump: the message says what is allowed, --help says the rest
        raise UsageError(f"{message} (see {self.prog} --help)")

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> argparse.Namespace:  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self._unknown(parsed, extras)
        return parsed

    def _unknown(self, parsed: argparse.Namespace, extras: list[str]) -> NoReturn:
        command = getattr(parsed, "command", None)
        parser = self._subparser(command) or self
        word = next((e for e in extras if e.startswith("-")), extras[0])
        option = word.split("=", 1)[0]
        if (command, option) in RETIRED:
            raise UsageError(RETIRED[command, option])
        known = [o for o in parser._option_string_actions if o.startswith("--")]
        hint = did_you_mean(option, known) if option.startswith("-") else ""
        parser.error(f"unrecognized argument {word!r}{hint}")

    def _subparser(self, command: str | None) -> argparse.ArgumentParser | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and command in action.choices:
                return action.choices[command]
        return None


def add_conv_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that describe a convolution to ``parser``."""
    group = parser.add_argument_group("convolution")
    group.add_argument(
        "--input",
        metavar="SHAPE",
        help="input size ROWSxCOLS[xCHANNELS] (default 5x5; with --values photo, the whole lesson photo)",
    )
    group.add_argument("--kernel", metavar="KERNEL", help=KERNEL_HELP)
    group.add_argument(
        "--kernel-values", metavar="KERNEL", help="the older spelling of --kernel, with the same meaning"
    )
    group.add_argument("--stride", metavar="S", help="stride: S or ROWSxCOLS (default 1; for pooling the window)")
    group.add_argument(
        "--padding",
        default="valid",
        metavar="P",
        help="valid, same, full, a number, or ROWSxCOLS (default valid)",
    )
    modes = ", ".join(list(PAD_MODES) + list(PAD_MODE_ALIASES))
    group.add_argument("--pad-mode", metavar="MODE", help=f"how padding is filled: {modes} (default zeros)")
    group.add_argument(
        "--pad-value", type=float, metavar="V", help="the number --pad-mode zeros fills the padding with (default 0)"
    )
    group.add_argument("--dilation", metavar="D", help="dilation: D or ROWSxCOLS (default 1)")
    group.add_argument(
        "--values",
        default=RANDOM,
        metavar="SOURCE",
        help="input values: random (0…9), ramp (0, 1, 2, …), photo (the lesson's photo, the sample photo "
        "resized to 200 px wide, grey; with --input a crop of it where it has the most contrast, or, for a "
        "size larger than the photo, the photo resized to cover that size and cropped about its centre; "
        "ROWSxCOLSx3 for colour), a file (.npy, .csv, .txt) or rows like '1,2;3,4' (default random)",
    )
    group.add_argument("--clip", default=None, metavar="RANGE", help="clamp the sums: auto, or LOW,HIGH such as 0,255")
    group.add_argument("--flip-kernel", action="store_true", help="flip the kernel: true convolution, not correlation")
    group.add_argument("--seed", type=int, metavar="N", help="seed for random values and weights (default 0)")


def kernel_argument(args: argparse.Namespace, *, magnitude: bool = False) -> KernelSource | None:
    """The kernel that ``--kernel`` and its older spelling ``--kernel-values`` give together.

    The older way split a kernel in two, ``--kernel 3x3 --kernel-values sobel_x`` (or
    ``random``); that still works when the two agree. None when neither was given.
    """
    new, old = (
        None if text is None else kernel_source(text, flag, magnitude=magnitude)
        for text, flag in ((args.kernel, "--kernel"), (args.kernel_values, "--kernel-values"))
    )
    if old is None or new is None:
        return new if old is None else old
    if isinstance(new, tuple) and args.kernel_values.strip().lower() == RANDOM:
        return new
    if isinstance(new, tuple) and isinstance(old, np.ndarray):
        if old.shape == new:
            return old
        shape = "x".join(map(str, old.shape))
        raise UsageError(
            f"--kernel {args.kernel} disagrees with --kernel-values {args.kernel_values}, which is {shape}; "
            f"give the kernel once: --kernel {args.kernel_values}"
        )
    raise UsageError("give the kernel once, with --kernel (--kernel-values is its older spelling); got both")


def conv_from_args(args: argparse.Namespace, *, strict: bool = True) -> Convolution:
    """Build the :class:`Convolution` that the shared options describe.

    ``strict`` refuses options that change nothing (``--pad-value`` without padding
    filled with it, ``--pad-mode`` without padding, ``--seed`` when nothing is random).
    The presenter is not strict: its keys change padding, pad mode and input later.
    """
    seed = 0 if args.seed is None else args.seed
    if seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0; got {args.seed}")
    rng = np.random.default_rng(seed)
    values = values_source(args.values)
    image = input_values(values, args.input, rng)
    source = kernel_argument(args)
    source = (3, 3) if source is None else source
    kernel = random_kernel(source, rng) if isinstance(source, tuple) else source
    try:
        conv = Convolution(
            image,
            kernel,
            stride=parse_pair(args.stride or "1", "--stride"),
            padding=parse_padding(args.padding),
            pad_mode="zeros" if args.pad_mode is None else args.pad_mode,
            dilation=parse_pair(args.dilation or "1", "--dilation"),
            clip=parse_clip(args.clip),
            pad_value=0.0 if args.pad_value is None else args.pad_value,
            flip_kernel=args.flip_kernel,
        )
    except (ValueError, TypeError) as error:
        raise UsageError(first_line(error)) from None
    if strict:
        check_padding_options(conv, args)
        random = isinstance(values, str) and values == RANDOM or isinstance(source, tuple)
        check_seed(args.seed, random, "--values random or a kernel size such as --kernel 3x3")
    return conv


def input_values(values: str | np.ndarray, input_shape: str | None, rng: np.random.Generator) -> np.ndarray:
    """The input ``--values`` and ``--input`` ask for; ``--values photo`` alone is the whole lesson photo."""
    if isinstance(values, str) and values == "photo" and input_shape is None:
        from .images import photo_values

        return photo_values()
    shape = parse_shape(input_shape or "5x5", "--input")
    if isinstance(values, str):
        try:
            return example_values(values, shape, rng, low=0, high=9)
        except ValueError as error:
            raise UsageError(f"--values {values}: {first_line(error)}") from None
    # a size given on purpose must agree with values that bring their own
    if input_shape is not None and values.shape != shape:
        size = "x".join(map(str, values.shape))
        raise UsageError(f"--input {input_shape} disagrees with --values, which is {size}; drop one of them")
    return values


def check_padding_options(conv: Convolution, args: argparse.Namespace) -> None:
    """Refuse ``--pad-mode`` and ``--pad-value`` where they change nothing."""
    no_cells = f"--padding {args.padding} adds no cells here; pad with --padding same, full or a number"
    if args.pad_value is not None:
        if conv.pad_mode != "zeros":
            raise UsageError(f"--pad-value fills zeros padding only, not --pad-mode {args.pad_mode}; drop one of them")
        if not any(conv.pads):
            raise UsageError(f"--pad-value does nothing: {no_cells}, or drop --pad-value")
    if args.pad_mode is not None and not any(conv.pads):
        raise UsageError(f"--pad-mode does nothing: {no_cells}, or drop --pad-mode")


def check_seed(seed: int | None, random: bool, how: str) -> None:
    """Refuse ``--seed`` when nothing random is drawn."""
    if seed is not None and not random:
        raise UsageError(f"--seed does nothing here: nothing is random (random needs {how}); drop --seed")


def add_style_arguments(
    parser: argparse.ArgumentParser, *, progress: bool = True, look: bool = True, fps: float = 2
) -> None:
    """Add the options that say how frames look and play: ``--theme``, ``--no-numbers``, ``--layout``,
    ``--shade`` (unless ``look`` is False: a picture with one layout), ``--fps`` and, where a file is
    written, ``--quiet``; ``fps`` is the default the help names."""
    from .render.style import THEMES  # Pillow's fonts load only when a drawing command is built

    group = parser.add_argument_group("style")
    themes = "{" + ",".join(THEMES) + "}"
    group.add_argument("--theme", default="default", type=choice(THEMES), metavar=themes, help="colours and type size")
    group.add_argument(
        "--no-numbers",
        dest="numbers",
        action="store_false",
        help="leave the values out: conv_arithmetic's plain look",
    )
    if look:
        _look_arguments(group)
    group.add_argument("--fps", type=float, help=f"frames per second, up to 50 (default {fps:g})")
    if progress:
        group.add_argument("--quiet", action="store_true", help="no progress bar")


def _look_arguments(group: argparse._ArgumentGroup) -> None:
    layouts = ("flat", "oblique")
    group.add_argument(
        "--layout",
        default="flat",
        type=choice(layouts),
        metavar="{" + ",".join(layouts) + "}",
        help="flat panels, or conv_arithmetic's oblique planes (output above input)",
    )
    shades = ("none", "values")
    group.add_argument(
        "--shade",
        type=choice(shades),
        metavar="{" + ",".join(shades) + "}",
        help="cells in flat colours, or tinted by their values (default: values for --values photo, else none)",
    )


def style_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The picture's style the options ask for; a photo is shaded by its values unless told otherwise."""
    shade = args.shade or ("values" if getattr(args, "values", None) == "photo" else "none")
    return {
        "theme": args.theme,
        "numbers": args.numbers,
        "layout": args.layout,
        "shade": None if shade == "none" else shade,
    }
