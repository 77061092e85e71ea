"""``convviz filter`` and ``convviz filters``: the lesson's filters on a photo."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import numpy as np

from .arguments import UsageError, numbers_from, parse_clip
from .convolution import PAD_MODE_ALIASES, PAD_MODES


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


def filter_arguments(parser: argparse.ArgumentParser) -> None:
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
    return numbers_from(spec, name)


def cmd_filter(args: argparse.Namespace) -> None:
    from .filters import filter_image
    from .images import save_image

    if (args.kernel_values is None) == (args.channels is None):
        raise UsageError("filter needs one of --kernel NAME (or --kernel-values) and --channels K1,K2,K3")
    if args.channels is None:
        kernel, what = _filter_kernel(args.kernel_values, "--kernel"), args.kernel_values
    else:
        kernel = [_filter_kernel(k.strip(), "--channels") for k in args.channels.split(",")]
        what = f"channels {args.channels}"
    clip = parse_clip(args.clip)
    photo = _read_photo(args, "float32" if clip != "auto" and clip[1] <= 1 else "uint8")
    result = filter_image(photo, kernel, pad_mode=args.pad_mode, clip=clip)
    path = save_image(result.image, args.output, value_range=None if clip == "auto" else clip)
    height, width = result.image.shape[:2]
    print(f"wrote {path} ({width}×{height}, {what}, pad_mode {args.pad_mode})")
    print(result.report())


def filters_arguments(parser: argparse.ArgumentParser) -> None:
    _photo_arguments(parser, "filters.png")
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
        path = save_image(np.asarray(border_sheet(_read_photo(args))), args.output)
        print(f"wrote {path} (box blur with pad_mode zeros and replicate)")
        return
    results = apply_filters(_read_photo(args), pad_mode=args.pad_mode)
    sheet = contact_sheet([(label, result.image) for label, result in results])
    path = save_image(np.asarray(sheet), args.output)
    print(f"wrote {path} ({sheet.width}×{sheet.height}, {len(results)} panels, pad_mode {args.pad_mode})")
    for label, result in results[1:]:
        print(f"{label}: {result.report()}")
