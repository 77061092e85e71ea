"""The ``convviz`` command (also ``python -m visualizer``).

Every subcommand that describes a convolution shares the same options
(:mod:`visualizer.arguments`); the photo commands live in
:mod:`visualizer.photo_commands`.

Bad arguments end with exit status 2 and one line naming what is wrong and
what is allowed; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
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
from .photo_commands import cmd_filter, cmd_filters, filter_arguments, filters_arguments
from .text import arithmetic, format_number

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
        help="FILE.gif, FILE.apng or FILE.webp (lossless: every colour kept), FILE.mp4 (needs ffmpeg, "
        'or pip install "convviz[video]"), FILE.html, FILE.pdf (a handout, one page per step), '
        "FILE.png (contact sheet), or a folder for numbered PNG frames (default convolution.gif)",
    )


def _cmd_animate(args: argparse.Namespace) -> None:
    from .render.export import save_animation

    conv = conv_from_args(args)
    style = style_from_args(args)
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

    style = style_from_args(args)
    present(conv_from_args(args), fps=args.fps, seed=args.seed, **style)


# name -> (help, add extra arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], Any]]] = {
    "steps": ("print a convolution step by step in the terminal", add_conv_arguments, _cmd_steps),
    "info": ("print the output shape, the pads and the output-size formula", add_conv_arguments, _cmd_info),
    "animate": ("draw every step into an animation, a PDF, a PNG sheet or frames", _animate_arguments, _cmd_animate),
    "gallery": ("write the gallery of named animations and its README.md table", _gallery_arguments, _cmd_gallery),
    "filter": ("filter a photo with a named or custom kernel, and report the clipping", filter_arguments, cmd_filter),
    "filters": ("the lesson's figure: a photo and five filters on a labelled sheet", filters_arguments, cmd_filters),
    "present": ("open the classroom window, driven from the keyboard", _present_arguments, _cmd_present),
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="convviz", description="See image convolution step by step.")
    parser.add_argument("--version", action="version", version=f"convviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
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
        print(f"convviz: error: {first_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
