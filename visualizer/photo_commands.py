"""``convviz filter`` and ``convviz filters``: the lesson's filters on a photo."""

from __future__ import annotations

import argparse
import re
from typing import Any

import numpy as np

from .arguments import check_seed, kernel_argument
from .cli_values import UsageError, kernel_source, parse_clip, random_kernel
from .convolution import PAD_MODE_ALIASES, PAD_MODES
from .kernels import KERNELS


def _photo_arguments(parser: argparse.ArgumentParser, output: str, pad_mode: str | None) -> None:
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
        "--pad-mode", default=pad_mode, metavar="MODE", help=f"{modes} (default replicate; zeros darkens the border)"
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


def filter_arguments(parser: argparse.ArgumentParser) -> None:
    _photo_arguments(parser, "filtered.png", "replicate")
    parser.add_argument(
        "--kernel",
        metavar="KERNEL",
        help=f"the kernel: a name ({', '.join(KERNELS)}, or sobel: the edge magnitude of sobel_x and sobel_y), "
        "a size for random weights (3x3; divided by their sum, so the photo keeps its brightness), "
        "a file (.npy, .csv, .txt) or rows like '1,0,-1;2,0,-2;1,0,-1'",
    )
    parser.add_argument(
        "--kernel-values", metavar="KERNEL", help="the older spelling of --kernel, with the same meaning"
    )
    parser.add_argument(
        "--channels",
        metavar="K1,K2,K3",
        help="one kernel per colour channel, instead of --kernel: names, sizes or files, "
        "such as gaussian_blur,sharpen,outline",
    )
    parser.add_argument(
        "--clip",
        default="auto",
        metavar="RANGE",
        help="auto (8-bit in, 8-bit out: 0…255), or LOW,HIGH such as 0,1 or -1,1; HIGH ≤ 1 "
        "reads the photo as floats 0…1; LOW is saved black and HIGH white (default auto)",
    )
    parser.add_argument("--seed", type=int, metavar="N", help="seed for random weights (default 0)")


def _filter_kernel(source: Any, rng: np.random.Generator) -> Any:
    if not isinstance(source, tuple):
        return source
    # random weights that sum to 1, as a blur's do: the photo keeps its brightness instead of going white
    weights = random_kernel(source, rng)
    total = weights.sum(axis=(0, 1))
    return weights / np.where(total == 0, 1, total)


def cmd_filter(args: argparse.Namespace) -> None:
    from .filters import filter_image
    from .images import save_image

    source = kernel_argument(args, magnitude=True)
    if (source is None) == (args.channels is None):
        raise UsageError("filter takes one of --kernel (one kernel for every channel) and --channels K1,K2,K3")
    seed = 0 if args.seed is None else args.seed
    if seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0; got {args.seed}")
    rng = np.random.default_rng(seed)
    if args.channels is None:
        kernel, what = _filter_kernel(source, rng), args.kernel or args.kernel_values
        random = isinstance(source, tuple)
    else:
        sources = [kernel_source(k, "--channels", magnitude=True) for k in args.channels.split(",")]
        kernel, what = [_filter_kernel(s, rng) for s in sources], f"channels {args.channels}"
        random = any(isinstance(s, tuple) for s in sources)
    check_seed(args.seed, random, "a kernel size such as --kernel 3x3")
    clip = parse_clip(args.clip)
    photo = _read_photo(args, "float32" if clip != "auto" and clip[1] <= 1 else "uint8")
    result = filter_image(photo, kernel, pad_mode=args.pad_mode, clip=clip)
    path = save_image(result.image, args.output, value_range=None if clip == "auto" else clip)
    height, width = result.image.shape[:2]
    print(f"wrote {path} ({width}×{height}, {what}, pad_mode {args.pad_mode})")
    print(result.report())


def filters_arguments(parser: argparse.ArgumentParser) -> None:
    _photo_arguments(parser, "filters.png", None)
    parser.add_argument(
        "--compare-pad-modes",
        action="store_true",
        help="instead, show a box blur with zeros and with replicate padding, and an enlarged corner of each: "
        "zeros darkens the border",
    )


def cmd_filters(args: argparse.Namespace) -> None:
    from .filters import apply_filters, border_sheet
    from .images import save_image
    from .render.sheet import contact_sheet

    if args.compare_pad_modes:
        if args.pad_mode is not None:
            raise UsageError("--compare-pad-modes shows zeros and replicate padding itself; drop --pad-mode")
        path = save_image(np.asarray(border_sheet(_read_photo(args))), args.output)
        print(f"wrote {path} (box blur with pad_mode zeros and replicate)")
        return
    pad_mode = args.pad_mode or "replicate"
    results = apply_filters(_read_photo(args), pad_mode=pad_mode)
    sheet = contact_sheet([(label, result.image) for label, result in results])
    path = save_image(np.asarray(sheet), args.output)
    print(f"wrote {path} ({sheet.width}×{sheet.height}, {len(results)} panels, pad_mode {pad_mode})")
    for label, result in results[1:]:
        print(f"{label}: {result.report()}")
