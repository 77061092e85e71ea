"""The ``convviz`` command (also ``python -m visualizer``).

Every subcommand that describes a convolution shares the same options
(:mod:`visualizer.arguments`); the photo commands live in
:mod:`visualizer.photo_commands`.

Bad arguments end with exit status 2 and one line naming what is wrong and
what is allowed; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .arguments import (
    Parser,
    UsageError,
    add_conv_arguments,
    add_style_arguments,
    conv_from_args,
    first_line,
    style_from_args,
)
from .cli_ops import add_op_arguments, operation_from_args
from .layer import ConvLayer
from .learn_command import cmd_learn, learn_arguments
from .names import did_you_mean
from .photo_commands import cmd_filter, cmd_filters, filter_arguments, filters_arguments
from .text import arithmetic, format_number

# -- subcommands ------------------------------------------------------------------


def _info_arguments(parser: argparse.ArgumentParser) -> None:
    add_conv_arguments(parser)
    add_op_arguments(parser)


def _cmd_info(args: argparse.Namespace) -> None:
    conv = operation_from_args(args)
    top, bottom, left, right = conv.pads
    print(conv.describe())
    shape = "×".join(map(str, conv.output_shape))
    filters = f"×{conv.out_channels}" if isinstance(conv, ConvLayer) else ""
    print(f"output shape: {shape}{filters} ({conv.num_steps} steps)")
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
    count = conv.num_steps
    for step in conv.steps():
        # people count steps from 1 ("step 5 of 9"); output indices and window positions stay zero-based
        number = f"step {step.index + 1:>{len(str(count))}} of {count}"
        where = f"{number}: out[{step.out_index[0]}, {step.out_index[1]}], window at {step.origin}"
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
    _info_arguments(parser)
    add_style_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        default="convolution.gif",
        metavar="PATH",
        help="FILE.gif, FILE.apng or FILE.webp (lossless: every colour kept), FILE.mp4 (needs ffmpeg, "
        'or pip install "convviz[video]"), FILE.html, FILE.pdf (a handout, one page per step), '
        "FILE.png (contact sheet), or a folder for numbered PNG frames (default convolution.gif)",
    )
    parser.add_argument(
        "--max-frames",
        default="300",
        metavar="N|all",
        help="draw at most N frames, steps picked evenly with the first and last (default 300); all: every step",
    )


def _max_frames(text: str) -> int | None:
    if text.strip().lower() == "all":
        return None
    if not text.strip().isdigit() or int(text) < 2:
        raise UsageError(f"--max-frames must be a whole number ≥ 2 or all; got {text!r}")
    return int(text)


# what animate writes without a frame rate: a contact sheet, a handout, a folder of frames
STILL = {".png": "a .png contact sheet", ".pdf": "a .pdf handout", "": "a folder of frames"}


def _cmd_animate(args: argparse.Namespace) -> None:
    from .render.export import save_animation

    conv = operation_from_args(args)
    still = STILL.get(Path(args.output).suffix.lower())
    if args.fps is not None and still:
        raise UsageError(f"--fps does nothing for {still}, which does not play; drop --fps or write a .gif or .html")
    style = style_from_args(args)
    style["max_frames"] = _max_frames(args.max_frames)
    fps = 2.0 if args.fps is None else args.fps
    path = save_animation(conv, args.output, fps=fps, progress=False if args.quiet else None, **style)
    steps = f"{conv.num_steps} step" + ("s" if conv.num_steps != 1 else "")
    if style["max_frames"] is not None and style["max_frames"] < conv.num_steps:
        steps = f"{style['max_frames']} frames sampled from {steps}"
    print(f"wrote {path} ({steps}: {conv.describe()})")


def _gallery_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default="animations", help="where to write (default animations)")
    parser.add_argument(
        "--only", metavar="NAMES", help="draw only these entries again, comma-separated (the README lists all)"
    )


def _cmd_gallery(args: argparse.Namespace) -> None:
    from .gallery import render_gallery

    only = None if args.only is None else [name.strip() for name in args.only.split(",")]
    try:
        paths = render_gallery(args.folder, only=only)
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(f"wrote {len(paths) - 1} animations and {paths[-1]}")


def _present_arguments(parser: argparse.ArgumentParser) -> None:
    _info_arguments(parser)
    add_style_arguments(parser, progress=False)  # a window, no file: nothing to show progress for
    parser.set_defaults(theme="classroom")  # large type for a projector


def _cmd_present(args: argparse.Namespace) -> None:
    from .presenter import present  # matplotlib's window toolkit loads only for this command

    # not strict: the window's keys change padding, pad mode and input (with the seed) later
    op = operation_from_args(args, strict=False)
    style = style_from_args(args)
    present(op, fps=2.0 if args.fps is None else args.fps, seed=0 if args.seed is None else args.seed, **style)


# name -> (help, add extra arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], Any]]] = {
    "steps": ("print a convolution step by step in the terminal", add_conv_arguments, _cmd_steps),
    "info": ("print the output shape, the pads and the output-size formula", _info_arguments, _cmd_info),
    "animate": ("draw every step into an animation, a PDF, a PNG sheet or frames", _animate_arguments, _cmd_animate),
    "gallery": ("write the gallery of named animations and its README.md table", _gallery_arguments, _cmd_gallery),
    "filter": ("filter a photo with a named or custom kernel, and report the clipping", filter_arguments, cmd_filter),
    "filters": ("the lesson's figure: a photo and five filters on a labelled sheet", filters_arguments, cmd_filters),
    "present": ("open the classroom window, driven from the keyboard", _present_arguments, _cmd_present),
    "learn": ("learn a kernel from examples by gradient descent, drawn as an animation", learn_arguments, cmd_learn),
}

# Every example here is run by the tests (tests/test_examples.py): none can go stale.
EXAMPLES = {
    "steps": [
        "convviz steps --input 4x4 --kernel sobel_x",
        "convviz steps --kernel '1,0,-1;2,0,-2;1,0,-1' --padding same --pad-mode replicate",
        "convviz steps --input 3x4x3 --kernel 2x2x3 --values ramp",
    ],
    "info": [
        "convviz info --input 4x5 --stride 2",
        "convviz info --input 28x28 --kernel 5x5 --padding same --dilation 2",
        "convviz info --op transposed --input 3x3 --stride 2 --padding 1 --output-padding 1",
        "convviz info --op maxpool --input 7x7 --kernel 3 --stride 2 --ceil-mode",
        "convviz info --op layer --input 6x6x3 --filters 2 --padding same",
    ],
    "animate": [
        "convviz animate --kernel sobel_x --padding same -o edges.gif",
        "convviz animate --values photo --kernel sharpen --clip auto -o photo.html",
        "convviz animate --input 6x6 --stride 2 --padding 1 --no-numbers -o sheet.png",
        "convviz animate --layout oblique --theme colorblind --fps 4 --quiet -o oblique.gif",
        "convviz animate --op transposed --input 2x2 --stride 2 --view scatter -o up.gif",
        "convviz animate --op avgpool --input 5x5 --padding 1 --no-count-include-pad -o avg.gif",
        "convviz animate --op layer --input 6x6x3 --filters 2 --bias 1,-2 --activation relu -o layer.gif",
        "convviz animate --input 12x12 --no-numbers --max-frames 20 -o long.gif",
    ],
    "gallery": ["convviz gallery animations/"],
    "filter": [
        "convviz filter --kernel sobel -o edges.png",
        "convviz filter --channels gaussian_blur,sharpen,outline -o channels.png",
        "convviz filter --kernel '0,-1,0;-1,5,-1;0,-1,0' --grey -o sharper.png",
        "convviz filter --kernel 5x5 --seed 3 -o random.png",
    ],
    "filters": [
        "convviz filters -o sheet.png",
        "convviz filters --compare-pad-modes --grey -o borders.png",
    ],
    "present": [
        "convviz present --padding same",
        "convviz present --values photo --input 8x8 --kernel sobel_x",
        "convviz present --op layer --input 6x6x3 --filters 2 --bias 1,-2 --activation relu",
    ],
    "learn": [
        "convviz learn --kernel sobel_x -o learn.gif",
        "convviz learn --kernel '0,-1,0;-1,5,-1;0,-1,0' --steps 300 --frames 30 --fps 10 -o sharpen.html",
        "convviz learn --kernel 5x5 --seed 2 --input 16x16 --images 8 --quiet -o random.gif",
        "convviz learn --kernel gaussian_blur --stride 2 --padding same --theme classroom -o blur.webp",
    ],
}


def _epilog(lines: Sequence[str]) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="convviz",
        description="See image convolution step by step.",
        epilog=_epilog([EXAMPLES["animate"][0], EXAMPLES["steps"][0], EXAMPLES["filter"][0]])
        + "\n\nconvviz COMMAND --help lists each command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"convviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        command = sub.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=_epilog(EXAMPLES[name]),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


def _check_command(argv: Sequence[str]) -> None:
    # argparse's own message lists every command but suggests none
    word = next((a for a in argv if not a.startswith("-")), None)
    if word is not None and word not in COMMANDS:
        hint = did_you_mean(word, COMMANDS)
        raise UsageError(f"no command {word!r}; the commands are {', '.join(COMMANDS)}{hint}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``convviz``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        _check_command(argv)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        args.run(args)
    except UsageError as error:
        print(f"convviz: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`convviz steps | head`): not an error; keep Python's exit-time flush quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (ValueError, TypeError, OSError, MemoryError) as error:
        # the library's own validation speaks in one clear line already (and NumPy names the size it could not allocate)
        print(f"convviz: error: {first_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
