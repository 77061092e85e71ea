"""Tables of numbers as people type them, and the row and column (from 1) of what cannot be read."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from visualizer.cli import main
from visualizer.tables import TableError, parse_rows, parse_table

EXPECTED = [[1.0, -2.0, 3.5], [4.0, 5.0, -6.0]]

READABLE = {
    "commas": "1,-2,3.5\n4,5,-6\n",
    "commas and spaces": "1, -2, 3.5\n4, 5, -6\n",
    "semicolons": "1;-2;3.5\n4;5;-6\n",
    "tabs": "1\t-2\t3.5\n4\t5\t-6\n",
    "spaces": "  1  -2 3.5\n4 5   -6\n",
    "header": "x,y,z\n1,-2,3.5\n4,5,-6\n",
    "quoted-looking header with spaces": "col one;col two;col three\n1;-2;3.5\n4;5;-6\n",
    "blank lines": "\n1,-2,3.5\n\n   \n4,5,-6\n\n",
    "comments": "# a kernel\n1,-2,3.5  # first row\n4,5,-6\n",
    "trailing separator": "1,-2,3.5,\n4,5,-6,\n",
    "windows line ends": "1,-2,3.5\r\n4,5,-6\r\n",
    "unicode minus, as convviz prints": "1 −2 3.5\n4 5 −6\n",
    "exponents": "1e0,-2E0,35e-1\n4,5,-6\n",
}


@pytest.mark.parametrize("text", READABLE.values(), ids=READABLE.keys())
def test_every_common_way_of_writing_a_table_reads_the_same(text):
    np.testing.assert_array_equal(parse_table(text.splitlines()), EXPECTED)


UNREADABLE = {
    "word in a row": ("1,2,3\n4,x,6\n", "row 2, column 2: 'x' is not a number"),
    "word after a header": ("a,b\n1,2\n3,oops\n", "row 3, column 2: 'oops' is not a number"),
    "blank lines still count": ("1 2\n\n\n3 y\n", "row 4, column 2: 'y' is not a number"),
    "a second header is data": ("a,b\nc,d\n1,2\n", "row 2, column 1: 'c' is not a number"),
    "a mixed first row is data": ("1,x,3\n4,5,6\n", "row 1, column 2: 'x' is not a number"),
    "empty field": ("1,,3\n4,5,6\n", "row 1, column 2 is empty"),
    "ragged": ("1,2,3\n\n4,5\n", "row 3 has 2 numbers but row 1 has 3"),
    "only a header": ("x,y\n", "no numbers found"),
    "nothing": ("\n\n# only a comment\n", "no numbers found"),
}


@pytest.mark.parametrize(("text", "message"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_what_cannot_be_read_is_named_by_row_and_column_from_one(text, message):
    with pytest.raises(TableError) as error:
        parse_table(text.splitlines())
    assert str(error.value).startswith(message)
    assert isinstance(error.value, ValueError)


def test_inline_rows_count_rows_and_columns_from_one():
    np.testing.assert_array_equal(parse_rows("1,0,-1;2,0,-2"), [[1, 0, -1], [2, 0, -2]])
    np.testing.assert_array_equal(parse_rows("1 0 -1; 2 0 -2;"), [[1, 0, -1], [2, 0, -2]])
    with pytest.raises(TableError, match=r"^row 2, column 3: 'x' is not a number$"):
        parse_rows("1,2,3;4,5,x")
    with pytest.raises(TableError, match="row 2 has 2 numbers but row 1 has 3"):
        parse_rows("1,2,3;4,5")
    with pytest.raises(TableError, match="row 1, column 1: 'a' is not a number"):
        parse_rows("a,b;1,2")  # typed rows have no header


SEPARATORS = st.sampled_from([",", ";", "\t", " ", ", ", " ; ", "  "])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)), min_size=cols, max_size=cols),
            min_size=1,
            max_size=6,
        )
    ),
    SEPARATORS,
    st.booleans(),
    st.booleans(),
)
def test_any_table_written_with_any_separator_reads_back(rows, separator, header, blank_lines):
    lines = [separator.join(f"c{k}" for k in range(len(rows[0])))] if header else []
    for row in rows:
        lines.append(separator.join(repr(value) for value in row))
        if blank_lines:
            lines.append("")
    np.testing.assert_array_equal(parse_table(lines), np.array(rows, dtype=float))


def test_the_command_line_reads_such_files_and_names_row_and_column(tmp_path, capsys):
    (tmp_path / "image.csv").write_text("a;b;c;d\n1;2;3;4\n5;6;7;8\n\n9;10;11;12\n")
    (tmp_path / "kernel.txt").write_text("1\t0\n0\t1\n")
    argv = ["steps", "--values", str(tmp_path / "image.csv"), "--kernel", str(tmp_path / "kernel.txt")]
    assert main(argv) == 0
    printed = capsys.readouterr().out.split("\noutput:\n", 1)[1]
    image = np.arange(1, 13).reshape(3, 4)
    expected = signal.correlate2d(image, np.eye(2), mode="valid")
    np.testing.assert_array_equal([[float(x) for x in line.split()] for line in printed.split("\n") if line], expected)
    (tmp_path / "bad.csv").write_text("x,y,z\n1,2,3\n4,5,x\n")
    assert main(["steps", "--values", str(tmp_path / "bad.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--values" in err and "row 3, column 3: 'x' is not a number" in err
    assert main(["steps", "--kernel", "1,2,3;4,x,6"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--kernel" in err and "row 2, column 2: 'x' is not a number" in err
    assert "row 0" not in err
