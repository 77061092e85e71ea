"""Tables of numbers as people type them: a CSV or text file, or rows on the command line.

Spreadsheets, editors and other programs write tables in many ways; all of these
read the same::

    x,y,z          <- a header row (no field a number) is skipped
    1, 0, -1       <- commas, semicolons, tabs or plain spaces between numbers
    2;0;-2
                   <- blank lines and # comments are skipped
    1 0 -1

A field that is not a number is reported by its row and column, counted from 1
as an editor or a spreadsheet counts them: ``row 3, column 2: 'x' is not a number``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_SEPARATOR = re.compile(r"[,;\t]")


class TableError(ValueError):
    """A table that cannot be read; the message names the row and column (from 1)."""


def parse_table(lines: Sequence[str], *, skip_header: bool = True) -> np.ndarray:
    """A 2-D float array from lines of text, one row per line.

    Parameters
    ----------
    lines : sequence of str
        The rows. Numbers are separated by commas, semicolons, tabs or spaces; a
        separator at the end of a row is ignored; blank lines and ``#`` comments
        are skipped, but still counted, so row numbers match the file's lines.
    skip_header : bool
        Skip a first row in which no field is a number (column names).

    Raises
    ------
    TableError
        A field that is no number, an empty field, rows of different lengths or
        no rows at all, with the row and column counted from 1.

    Examples
    --------
    >>> parse_table(["a;b", "1;2", "", "3;4"])
    array([[1., 2.],
           [3., 4.]])
    >>> parse_table(["1 2", "3 x"])
    Traceback (most recent call last):
    ...
    visualizer.tables.TableError: row 2, column 2: 'x' is not a number
    """
    rows: list[list[float]] = []
    first: int | None = None  # the line number of the first row read, for the length message
    for number, line in enumerate(lines, start=1):
        fields = split_row(line)
        if not fields:
            continue
        if skip_header and not rows and first is None and not any(_is_number(f) for f in fields):
            first = 0  # the header: read no further header after it
            continue
        values = [_number(field, number, column) for column, field in enumerate(fields, start=1)]
        if rows and len(values) != len(rows[0]):
            raise TableError(
                f"row {number} has {len(values)} numbers but row {first} has {len(rows[0])}; "
                "every row needs the same count"
            )
        if not rows:
            first = number
        rows.append(values)
    if not rows:
        raise TableError("no numbers found (blank lines, comments and a header row are skipped)")
    return np.array(rows, dtype=float)


def split_row(line: str) -> list[str]:
    """The fields of one row: split at commas, semicolons or tabs if any, else at spaces.

    >>> split_row("1, 2;3"), split_row("  4   5 "), split_row("6,7,"), split_row("# a note")
    (['1', '2', '3'], ['4', '5'], ['6', '7'], [])
    """
    text = line.split("#", 1)[0].strip()
    if not text:
        return []
    if not _SEPARATOR.search(text):
        return text.split()
    fields = [field.strip() for field in _SEPARATOR.split(text)]
    # a separator closing the row, as some spreadsheets write it, opens no empty last column
    return fields[:-1] if len(fields) > 1 and fields[-1] == "" else fields


def parse_rows(text: str) -> np.ndarray:
    """Rows typed on one line: ``;`` (or a new line) between rows, ``,`` or spaces between numbers.

    >>> parse_rows("1,0,-1; 2,0,-2")
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.]])
    """
    return parse_table(re.split(r"[;\n]", text), skip_header=False)


def _is_number(field: str) -> bool:
    try:
        float(field.replace("−", "-"))
    except ValueError:
        return False
    return True


def _number(field: str, row: int, column: int) -> float:
    if field == "":
        raise TableError(f"row {row}, column {column} is empty")
    try:
        # the minus sign convviz prints (U+2212) reads back as a minus
        return float(field.replace("−", "-"))
    except ValueError:
        raise TableError(f"row {row}, column {column}: {field!r} is not a number") from None
