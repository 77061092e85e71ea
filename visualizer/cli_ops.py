"""``--op``: which operation of the family a ``convviz`` command draws, and its own options.

``conv`` (the default) is :class:`~visualizer.Convolution`, built by
:func:`~visualizer.arguments.conv_from_args`; ``transposed`` is a
:class:`~visualizer.TransposedConvolution`, ``maxpool`` and ``avgpool`` a
:class:`~visualizer.Pooling` (the window is ``--kernel``'s size) and ``layer`` a
:class:`~visualizer.ConvLayer` of ``--filters`` random filters. Every option
keeps the one meaning it has everywhere; an option the chosen operation has no
use for is refused in one line, as the vocabulary refuses options that change nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .arguments import check_padding_options, check_seed, conv_from_args, input_values, kernel_argument
from .cli_values import RANDOM, UsageError, first_line, parse_clip, parse_padding, parse_pair, values_source
from .layer import ConvLayer
from .names import did_you_mean
from .pooling import Pooling
from .transposed import VIEWS, TransposedConvolution

OPS = ("conv", "transposed", "maxpool", "avgpool", "layer")

# option -> (attribute, the ops that use it); the conv options of arguments.py are listed in _REFUSED
_FAMILY = {
    "--output-padding": ("output_padding", {"transposed"}),
    "--view": ("view", {"transposed"}),
    "--ceil-mode": ("ceil_mode", {"maxpool", "avgpool"}),
    "--count-include-pad": ("count_include_pad", {"avgpool"}),
    "--filters": ("filters", {"layer"}),
    "--groups": ("groups", {"layer"}),
    "--bias": ("bias", {"layer"}),
    "--activation": ("activation", {"layer"}),
}
# conv options an op cannot take, with the attribute that shows they were given
_REFUSED = {
    "transposed": {"--pad-mode": "pad_mode", "--pad-value": "pad_value", "--flip-kernel": "flip_kernel"},
    "maxpool": {"--pad-mode": "pad_mode", "--pad-value": "pad_value", "--flip-kernel": "flip_kernel", "--clip": "clip"},
    "avgpool": {
        "--pad-mode": "pad_mode",
        "--pad-value": "pad_value",
        "--flip-kernel": "flip_kernel",
        "--clip": "clip",
        "--dilation": "dilation",
    },
    "layer": {"--flip-kernel": "flip_kernel", "--clip": "clip"},
}
_NAMES = {
    "conv": "a convolution",
    "transposed": "a transposed convolution",
    "maxpool": "max pooling",
    "avgpool": "average pooling",
    "layer": "a layer",
}


def parse_op(text: str) -> str:
    """The ``--op`` asked for, or a one-line refusal naming the choices.

    >>> parse_op("maxpool")
    'maxpool'
    """
    if text not in OPS:
        raise UsageError(f"--op must be one of {', '.join(OPS)}; got {text!r}{did_you_mean(text, OPS)}")
    return text


def add_op_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--op`` and the options of the transposed convolution, pooling and the layer."""
    group = parser.add_argument_group("operation")
    group.add_argument("--op", default="conv", metavar="OP", help=f"the operation: {', '.join(OPS)} (default conv)")
    group.add_argument("--output-padding", metavar="P", help="transposed: rows and cols added at the bottom and right")
    group.add_argument("--view", metavar="VIEW", help=f"transposed: what one step is, {' or '.join(VIEWS)}")
    group.add_argument("--ceil-mode", action="store_true", default=None, help="pooling: round the output size up")
    group.add_argument(
        "--count-include-pad",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="avgpool: count the padding in the divisor (default yes)",
    )
    group.add_argument("--filters", type=int, metavar="N", help="layer: how many filters (default 1)")
    group.add_argument("--groups", type=int, metavar="G", help="layer: channel groups (default 1)")
    group.add_argument("--bias", metavar="B", help="layer: one bias per filter, such as 1,-2 (default none)")
    group.add_argument(
        "--activation", metavar="NAME", help=f"layer: {', '.join(ACTIVATIONS)} after the bias (default none)"
    )


def operation_from_args(args: argparse.Namespace, *, strict: bool = True) -> Any:
    """The operation the options describe; options it has no use for are refused.

    ``strict`` as for :func:`~visualizer.arguments.conv_from_args`: the presenter is not, as its
    keys use the padding options and the seed later.
    """
    op = parse_op(args.op)
    name = _NAMES[op]
    for flag, (attribute, ops) in _FAMILY.items():
        if op not in ops and getattr(args, attribute) is not None:
            takes = " or ".join(f"--op {o}" for o in sorted(ops))
            raise UsageError(f"{flag} does nothing for {name} (--op {op}); it is for {takes}; drop {flag}")
    for flag, attribute in _REFUSED.get(op, {}).items():
        if getattr(args, attribute) not in (None, False):
            raise UsageError(f"{flag} does nothing for {name} (--op {op}); drop {flag}")
    if op == "conv":
        return conv_from_args(args, strict=strict)
    seed = 0 if args.seed is None else args.seed
    if seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0; got {args.seed}")
    rng = np.random.default_rng(seed)
    values = values_source(args.values)
    default_input = "5x5x3" if op == "layer" else None
    image = input_values(values, args.input or default_input, rng)
    random_values = isinstance(values, str) and values == RANDOM
    try:
        if op in ("maxpool", "avgpool"):
            operation, random_kernel = _pooling(args, image, op), False
        elif op == "transposed":
            operation, random_kernel = _transposed(args, image, rng)
        else:
            operation, random_kernel = _layer(args, image, rng, strict)
    except (ValueError, TypeError) as error:
        raise UsageError(first_line(error)) from None
    if strict:
        check_seed(args.seed, random_values or random_kernel, "--values random or a kernel size such as --kernel 3x3")
    return operation


def _kernel(args: argparse.Namespace, rng: np.random.Generator, default: tuple[int, ...]) -> tuple[np.ndarray, bool]:
    source = kernel_argument(args)
    if source is None:
        source = default
    if isinstance(source, tuple):
        return rng.integers(0, 3, size=source), True
    return np.asarray(source), False


def _window(args: argparse.Namespace, op: str) -> tuple[int, int]:
    source = kernel_argument(args)
    if source is None:
        return (2, 2)
    if not isinstance(source, tuple) or len(source) != 2:
        raise UsageError(f"--kernel for --op {op} is the window's size, such as 2 or 3x3; it has no weights")
    return (source[0], source[1])


def _number_padding(args: argparse.Namespace, op: str) -> int | tuple[int, int]:
    padding = parse_padding(args.padding)
    if isinstance(padding, str):
        if padding == "valid":
            return 0
        raise UsageError(f"--padding for --op {op} is a number or ROWSxCOLS; {padding} is for --op conv or layer")
    return padding


def _pooling(args: argparse.Namespace, image: np.ndarray, op: str) -> Pooling:
    return Pooling(
        image,
        _window(args, op),
        stride=None if args.stride is None else parse_pair(args.stride, "--stride"),
        padding=_number_padding(args, op),
        mode=op.removesuffix("pool"),
        dilation=parse_pair(args.dilation or "1", "--dilation"),
        ceil_mode=bool(args.ceil_mode),
        count_include_pad=args.count_include_pad is not False,
    )


def _transposed(args: argparse.Namespace, image: np.ndarray, rng: np.random.Generator):
    kernel, random_kernel = _kernel(args, rng, (3, 3))
    view = args.view or "direct"
    if view not in VIEWS:
        raise UsageError(f"--view must be {' or '.join(VIEWS)}; got {view!r}{did_you_mean(view, VIEWS)}")
    operation = TransposedConvolution(
        image,
        kernel,
        stride=parse_pair(args.stride or "1", "--stride"),
        padding=_number_padding(args, "transposed"),
        output_padding=parse_padding(args.output_padding or "0"),
        dilation=parse_pair(args.dilation or "1", "--dilation"),
        clip=parse_clip(args.clip),
        view=view,
    )
    return operation, random_kernel


def _layer(args: argparse.Namespace, image: np.ndarray, rng: np.random.Generator, strict: bool = True):
    if image.ndim != 3:
        raise UsageError(f"--op layer needs channels: --input ROWSxCOLSxCHANNELS such as 6x6x3; got {image.shape}")
    filters = 1 if args.filters is None else args.filters
    groups = 1 if args.groups is None else args.groups
    if filters < 1 or groups < 1:
        raise UsageError(f"--filters and --groups must be whole numbers >= 1; got {filters} and {groups}")
    if image.shape[2] % groups or filters % groups:
        raise UsageError(
            f"--groups {groups} must divide the input's {image.shape[2]} channels and the {filters} filters"
        )
    source = kernel_argument(args)
    source = (3, 3) if source is None else source
    if not isinstance(source, tuple) or len(source) != 2:
        raise UsageError("--kernel for --op layer is the filters' size, such as 3 or 3x3 (random weights −2…2)")
    weights = rng.integers(-2, 3, (*source, image.shape[2] // groups, filters))
    bias = None
    if args.bias is not None:
        try:
            bias = np.array([float(b) for b in args.bias.split(",")])
        except ValueError:
            raise UsageError(f"--bias is one number per filter, such as 1,-2; got {args.bias!r}") from None
        bias = bias.astype(int) if np.all(bias == np.round(bias)) else bias
    activation = args.activation
    if activation is not None and activation.lower() not in ACTIVATIONS:
        hint = did_you_mean(activation, ACTIVATIONS)
        raise UsageError(f"--activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}{hint}")
    layer = ConvLayer(
        image,
        weights,
        bias,
        stride=parse_pair(args.stride or "1", "--stride"),
        padding=parse_padding(args.padding),
        pad_mode="zeros" if args.pad_mode is None else args.pad_mode,
        dilation=parse_pair(args.dilation or "1", "--dilation"),
        groups=groups,
        activation=activation,
        pad_value=0.0 if args.pad_value is None else args.pad_value,
    )
    if strict:
        check_padding_options(layer, args)
    return layer, True
