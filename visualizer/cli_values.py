"""What a value typed on the ``convviz`` command line means: the one vocabulary of every subcommand.

A kernel (``--kernel``, in every command) is one of

- a name of :data:`~visualizer.KERNELS` (``sobel_x``; in ``convviz filter`` also
  ``sobel``, the edge magnitude of two kernels);
- a shape for random weights (``3x3``, ``3x3x3``, ``5``; ``random`` is ``3x3``);
- a file of numbers (``.npy``, or ``.csv``/``.txt`` as :mod:`visualizer.tables` reads them);
- rows typed inline (``'1,0,-1;2,0,-2;1,0,-1'``).

Input values (``--values``) are ``random``, ``ramp``, ``photo``, a file or rows, and
the input's size is ``--input``. A bad value raises :class:`UsageError`: one line,
exit status 2, with a "did you mean" when a name is close.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .examples import VALUE_SOURCES
from .geometry import PADDING_NAMES
from .kernels import KERNELS, SOBEL_MAGNITUDE
from .names import did_you_mean
from .tables import TableError, parse_rows, parse_table

RANDOM = "random"
SHAPE = re.compile(r"\d+(x\d+){0,2}")
ROWS_EXAMPLE = "'1,0,-1;2,0,-2;1,0,-1'"
# (M, N[, C]) shape for random weights, the weights themselves, or the name of the Sobel magnitude
KernelSource = tuple[int, ...] | np.ndarray | str


class UsageError(Exception):
    """A bad argument: reported as one line and exit status 2."""


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def parse_shape(text: str, name: str, dims: tuple[int, ...] = (2, 3)) -> tuple[int, ...]:
    """``"5x5"``, ``"5"`` (square) or ``"5x5x3"`` as a tuple of positive ints.

    >>> parse_shape("4x5", "--input")
    (4, 5)
    >>> parse_shape("3", "--kernel")
    (3, 3)
    """
    if not SHAPE.fullmatch(text.strip().lower()):
        looks = "5x5, 5 or 5x5x3 (rows x cols [x channels])" if 3 in dims else "2 or 2x3 (rows x cols)"
        raise UsageError(f"{name} must look like {looks}; got {text!r}")
    shape = tuple(int(part) for part in text.strip().lower().split("x"))
    shape = shape * 2 if len(shape) == 1 else shape
    if min(shape) < 1 or len(shape) not in dims:
        raise UsageError(f"{name} needs {' or '.join(map(str, dims))} positive sizes; got {text!r}")
    return shape


def kernel_source(text: str, name: str = "--kernel", *, magnitude: bool = False) -> KernelSource:
    """What ``--kernel TEXT`` asks for: weights, a shape for random weights, or ``"sobel"``.

    ``magnitude`` allows ``"sobel"`` (two kernels combined: only a photo filter draws it).

    >>> kernel_source("sobel_x")[0]
    array([-1,  0,  1])
    >>> kernel_source("3x3x3"), kernel_source("random")
    ((3, 3, 3), (3, 3))
    >>> kernel_source("1,2;3,4")
    array([[1., 2.],
           [3., 4.]])
    """
    spec = text.strip()
    if spec in KERNELS:
        return np.asarray(KERNELS[spec])
    if spec == SOBEL_MAGNITUDE:
        if magnitude:
            return spec
        raise UsageError(
            f"{name} sobel is the edge magnitude of two kernels, which only 'convviz filter --kernel sobel' draws; "
            "one convolution takes sobel_x or sobel_y"
        )
    if spec.lower() == RANDOM:
        return (3, 3)
    if SHAPE.fullmatch(spec.lower()):
        return parse_shape(spec, name)
    names = [*KERNELS, *([SOBEL_MAGNITUDE] if magnitude else []), RANDOM]
    what = "a kernel name, a size such as 3x3, a file"
    return numbers_from(spec, name, names=names, what=what)


def random_kernel(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Random weights 0, 1 or 2 (small integers keep every product easy to follow)."""
    return rng.integers(0, 3, size=shape)


def numbers_from(spec: str, name: str, *, names: Iterable[str] = (), what: str = "a file") -> np.ndarray:
    """Numbers from a file, or from rows typed inline (``"1,0,-1;2,0,-2;1,0,-1"``).

    ``names`` are the words ``name`` also takes, for the "did you mean" of a mistyped one.
    """
    if Path(spec).is_file():
        return load_array(spec, name)
    if re.search(r"\.[A-Za-z]\w*$", spec) or "/" in spec:
        raise UsageError(f"{name}: no such file {spec!r}")
    if re.search(r"\d", spec) and re.search(r"[,;\s]", spec.strip()):
        try:
            return parse_rows(spec)
        except TableError as error:
            raise UsageError(f"{name} {spec!r}: {error} (rows look like {ROWS_EXAMPLE})") from None
    hint = did_you_mean(spec, names)
    raise UsageError(f"{name} {spec!r} is not {what} or rows like {ROWS_EXAMPLE}{hint}")


def load_array(path: str, name: str) -> np.ndarray:
    """A numeric array from a ``.npy`` file, or any other file as a table of numbers (:mod:`visualizer.tables`)."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{name}: no such file {path!r}")
    try:
        if file.suffix.lower() == ".npy":
            return np.load(file, allow_pickle=False)
        return parse_table(file.read_text(encoding="utf-8-sig").splitlines())
    except TableError as error:
        raise UsageError(f"{name}: {path!r}, {error}") from None
    except (ValueError, OSError) as error:  # also UnicodeDecodeError: a binary file that is not .npy
        raise UsageError(f"{name}: {path!r} is not a table of numbers ({first_line(error)})") from None


def values_source(text: str, name: str = "--values") -> str | np.ndarray:
    """One of :data:`~visualizer.examples.VALUE_SOURCES`, or numbers from a file or inline rows."""
    if text in VALUE_SOURCES:
        return text
    what = f"{', '.join(VALUE_SOURCES)}, a file"
    return numbers_from(text, name, names=VALUE_SOURCES, what=what)


def parse_pair(text: str, name: str) -> int | tuple[int, int]:
    """A stride or dilation: ``2`` or ``2x1`` (the engine checks that each is ≥ 1)."""
    if re.fullmatch(r"-?\d+", text.strip()):
        return int(text)
    shape = parse_shape(text, name, dims=(2,))
    return (shape[0], shape[1])


def parse_padding(text: str) -> Any:
    """``valid``, ``same``, ``full``, a number, or ``ROWSxCOLS``.

    >>> parse_padding("same"), parse_padding("2"), parse_padding("1x0")
    ('same', 2, (1, 0))
    """
    if text.lower() in PADDING_NAMES:
        return text.lower()
    # not parse_pair(): a padding of 0 on one axis ("1x0") is allowed, a stride of 0 is not
    match = re.fullmatch(r"(\d+)(?:x(\d+))?", text.strip().lower())
    if match:
        rows, cols = match.groups()
        return int(rows) if cols is None else (int(rows), int(cols))
    hint = did_you_mean(text, PADDING_NAMES)
    raise UsageError(f"--padding must be valid, same, full, a number or ROWSxCOLS; got {text!r}{hint}")


def parse_clip(text: str | None) -> Any:
    """``auto``, ``LOW,HIGH`` (or nothing: None)."""
    if text is None or text == "auto":
        return text
    try:
        low, high = (float(x) for x in text.split(","))
    except ValueError:
        hint = did_you_mean(text, ["auto"])
        raise UsageError(f"--clip must be auto or LOW,HIGH such as 0,255 or 0,1; got {text!r}{hint}") from None
    return (low, high)


def choice(options: Iterable[str]) -> Callable[[str], str]:
    """An argparse ``type`` that takes one of ``options`` and suggests the closest for a typo."""
    allowed = tuple(options)

    def check(text: str) -> str:
        if text not in allowed:
            raise argparse.ArgumentTypeError(
                f"must be one of {', '.join(allowed)}; got {text!r}{did_you_mean(text, allowed)}"
            )
        return text

    return check
