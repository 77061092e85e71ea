"""One vocabulary on the command line: every flag means one thing in every command.

- the vocabulary table: every older spelling still works, or fails in one line that names the new one;
- ``--kernel`` takes a name, a size, a file or rows in every command, and gives those very weights;
- "did you mean" for commands, options, kernels, values, padding, pad modes and themes;
- options that conflict or do nothing are refused; the same options where they act are accepted;
- people count steps from 1 in the terminal as on the contact sheet and the HTML page.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image
from reference import correlate_scipy, pad_image, reference_pads
from scipy import ndimage

import visualizer.cli as cli
import visualizer.cli_ops as cli_ops
import visualizer.filters as filters
from visualizer.cli import main
from visualizer.images import sample_photo

# typed out from the textbook definition, not read from visualizer.KERNELS
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def refused(capsys, argv: list[str], *words: str) -> str:
    """Run ``argv``, expect exit 2 with one line on stderr holding ``words``; return that line."""
    status, out, err = run(capsys, *argv)
    assert status == 2, (argv, out, err)
    assert out == "" and err.count("\n") == 1 and err.startswith("convviz: error: "), err
    for word in words:
        assert word in err, (word, err)
    return err.strip()


def grid_after(out: str, heading: str) -> np.ndarray:
    block = out.split(f"\n{heading}\n", 1)[1].split("\n\n", 1)[0]
    return np.array([[float(x.replace("−", "-")) for x in line.split()] for line in block.strip().splitlines()])


# -- the vocabulary table --------------------------------------------------------------------------

# every spelling the command line took before one vocabulary, and what it does now:
# ("works", None) or ("fails", words the one-line message must hold: what to write instead)
OLD_SPELLINGS = [
    (["steps", "--kernel", "3x3"], "works", None),
    (["steps", "--kernel", "5"], "works", None),
    (["steps", "--kernel-values", "sobel_x"], "works", None),
    (["steps", "--kernel-values", "random"], "works", None),
    (["steps", "--kernel", "3x3", "--kernel-values", "sobel_x"], "works", None),
    (["steps", "--kernel", "2x2x3", "--kernel-values", "random", "--input", "3x4x3"], "works", None),
    (["steps", "--kernel-values", "1,0;0,1", "--kernel", "2x2"], "works", None),
    (["steps", "--padding", "1", "--pad-mode", "edge"], "works", None),
    (["steps", "--padding", "1", "--pad-mode", "constant", "--pad-value", "2"], "works", None),
    (["steps", "--padding", "1", "--pad-mode", "wrap"], "works", None),
    (["filter", "--kernel-values", "emboss", "-o", "e.png"], "works", None),
    (["filter", "--kernel", "emboss", "-o", "e.png"], "works", None),
    (["animate", "--quiet", "-o", "q.gif"], "works", None),
    (["animate", "--kernel", "sobel_x", "-o", "s.gif"], "works", None),
    (["steps", "--kernel", "5x5", "--kernel-values", "sobel_x"], "fails", ["give the kernel once: --kernel sobel_x"]),
    (["steps", "--kernel", "3x3", "--kernel-values", "5x5"], "fails", ["give the kernel once, with --kernel"]),
    (["animate", "--kernel-values", "sobel"], "fails", ["sobel_x or sobel_y", "convviz filter --kernel sobel"]),
    (["animate", "--kernel", "sobel"], "fails", ["sobel_x or sobel_y"]),
    (["present", "--quiet"], "fails", ["drop --quiet"]),
    (["filter", "--channels", "blur,sharpen,outline"], "fails", ["did you mean 'box_blur'?"]),
    (["filters", "--kernel", "sobel"], "fails", ["convviz filter --kernel"]),
    (["filters", "--channels", "a,b,c"], "fails", ["convviz filter --channels"]),
    (["steps", "--pad-value", "5"], "fails", ["--pad-value does nothing", "--padding same"]),
]


@pytest.mark.parametrize(("argv", "outcome", "words"), OLD_SPELLINGS, ids=[" ".join(a) for a, _, _ in OLD_SPELLINGS])
def test_every_old_spelling_works_or_names_the_new_one(capsys, argv, outcome, words):
    if outcome == "works":
        status, out, err = run(capsys, *argv)
        assert status == 0 and err == "", err
        assert out
    else:
        refused(capsys, argv, *words)


def test_the_old_split_kernel_is_the_new_kernel(capsys):
    old = run(capsys, "steps", "--values", "ramp", "--kernel", "3x3", "--kernel-values", "sobel_x")
    alias = run(capsys, "steps", "--values", "ramp", "--kernel-values", "sobel_x")
    new = run(capsys, "steps", "--values", "ramp", "--kernel", "sobel_x")
    assert old == alias == new and new[0] == 0
    np.testing.assert_array_equal(grid_after(new[1], "kernel:"), SOBEL_X)
    ramp = np.arange(25).reshape(5, 5)
    np.testing.assert_array_equal(grid_after(new[1], "output:"), correlate_scipy(ramp, SOBEL_X))


def test_help_calls_kernel_values_the_older_spelling(capsys):
    for command in ("steps", "info", "animate", "present", "filter"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--kernel-values KERNEL the older spelling of --kernel" in text, command
        assert "--kernel KERNEL" in text
        if command != "present":
            assert "--quiet" not in text or command == "animate"
    with pytest.raises(SystemExit):
        main(["present", "--help"])
    assert "--quiet" not in capsys.readouterr().out


# -- --kernel takes every kind of kernel, in every command ------------------------------------------

CONV_COMMANDS = ["steps", "info", "animate", "present"]


def kernel_files(folder) -> dict[str, str]:
    np.save(folder / "k.npy", SOBEL_X)
    (folder / "k.csv").write_text("left;middle;right\n-1;0;1\n\n-2;0;2\n-1;0;1\n")
    (folder / "k.txt").write_text("# Sobel x\n-1 0 1\n-2\t0\t2\n-1 0 1\n")
    return {"npy": str(folder / "k.npy"), "csv": str(folder / "k.csv"), "txt": str(folder / "k.txt")}


@pytest.fixture()
def used(monkeypatch):
    """What the command would compute with: the Convolution of conv_from_args, the kernel of filter_image."""
    seen: dict = {}
    build = cli.conv_from_args

    def record_conv(args, **kw):
        seen["conv"] = build(args, **kw)
        return seen["conv"]

    filter_image = filters.filter_image

    def record_filter(photo, kernel, **kw):
        seen["kernel"] = kernel
        return filter_image(photo, kernel, **kw)

    monkeypatch.setattr(cli, "conv_from_args", record_conv)
    monkeypatch.setattr(cli_ops, "conv_from_args", record_conv)  # info and animate build through --op
    monkeypatch.setattr(filters, "filter_image", record_filter)
    monkeypatch.setattr("visualizer.presenter.present", lambda conv, **kw: seen.setdefault("presented", conv))
    return seen


def command_line(command: str, kernel_args: list[str]) -> list[str]:
    out = {"animate": ["-o", "k.gif"], "filter": ["-o", "k.png", "--size", "40"]}.get(command, [])
    return [command, *kernel_args, *out]


@pytest.mark.parametrize("command", [*CONV_COMMANDS, "filter"])
@pytest.mark.parametrize("kind", ["name", "rows", "rows with spaces", "npy", "csv", "txt", "alias"])
def test_every_command_takes_every_kind_of_kernel(capsys, tmp_path, used, command, kind):
    files = kernel_files(tmp_path)
    spec = {"name": ["--kernel", "sobel_x"], "rows": ["--kernel", "-1,0,1;-2,0,2;-1,0,1"],
            "rows with spaces": ["--kernel", "-1 0 1; -2 0 2; -1 0 1"], "alias": ["--kernel-values", "sobel_x"],
            }.get(kind, ["--kernel", files.get(kind, "")])  # fmt: skip
    status, _, err = run(capsys, *command_line(command, spec))
    assert status == 0, err
    weights = used["kernel"] if command == "filter" else used["conv"].kernel
    np.testing.assert_array_equal(weights, SOBEL_X)
    if command == "present":
        assert used["presented"] is used["conv"]


@pytest.mark.parametrize("command", [*CONV_COMMANDS, "filter"])
def test_a_size_gives_random_weights_drawn_with_the_seed(capsys, used, command):
    def weights(seed: str) -> np.ndarray:
        assert run(capsys, *command_line(command, ["--kernel", "3x2", "--seed", seed]))[0] == 0
        return np.asarray(used["kernel"] if command == "filter" else used["conv"].kernel)

    first, again, other = weights("1"), weights("1"), weights("2")
    assert first.shape == (3, 2)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    if command == "filter":
        # random weights for a photo are scaled to sum to 1, as a blur's are: the photo keeps its brightness
        assert first.sum() == pytest.approx(1) and (first >= 0).all()
    else:
        assert set(np.unique(first)) <= {0, 1, 2}


def test_filter_applies_a_kernel_file_with_a_header_as_scipy_does(capsys, tmp_path):
    (tmp_path / "sharpen.csv").write_text("a,b,c\n0, -1, 0\n-1, 5, -1\n0, -1, 0,\n")
    assert run(capsys, "filter", "--kernel", "sharpen.csv", "-o", "s.png", "--size", "64")[0] == 0
    photo = sample_photo(width=64).astype(float)
    planes = [ndimage.correlate(photo[..., c], SHARPEN.astype(float), mode="nearest") for c in range(3)]
    expected = np.clip(np.rint(np.stack(planes, axis=-1)), 0, 255).astype(np.uint8)
    with Image.open(tmp_path / "s.png") as written:
        np.testing.assert_array_equal(np.asarray(written), expected)


def test_filter_sobel_is_the_magnitude_and_convolutions_refuse_it(capsys, used):
    assert run(capsys, "filter", "--kernel", "sobel", "--size", "32", "-o", "m.png")[0] == 0
    assert used["kernel"] == "sobel"
    for command in CONV_COMMANDS:
        refused(capsys, [command, "--kernel", "sobel"], "sobel_x or sobel_y")


# -- did you mean -----------------------------------------------------------------------------------

SUGGESTIONS = [
    (["stepz"], "steps"),
    (["animat"], "animate"),
    (["filer", "--kernel", "sobel"], "filter"),
    (["steps", "--kernel", "sobelx"], "sobel_x"),
    (["steps", "--kernel", "Sobel_X"], "sobel_x"),
    (["animate", "--kernel", "gauss"], "gaussian_blur"),
    (["filter", "--kernel", "sobl"], "sobel"),
    (["filter", "--channels", "gaussian_blur,sharpn,outline"], "sharpen"),
    (["steps", "--values", "rampp"], "ramp"),
    (["steps", "--padding", "vaild"], "valid"),
    (["steps", "--padding", "1", "--pad-mode", "relfect"], "reflect"),
    (["filter", "--kernel", "sobel", "--pad-mode", "replicat"], "replicate"),
    (["animate", "--theme", "colourblind"], "colorblind"),
    (["present", "--theme", "clasroom"], "classroom"),
    (["animate", "--layout", "obliqe"], "oblique"),
    (["animate", "--shade", "value"], "values"),
    (["steps", "--kernal", "sobel_x"], "--kernel"),
    (["animate", "--numbers"], "--no-numbers"),
    (["steps", "--clip", "atuo"], "auto"),
]


@pytest.mark.parametrize(("argv", "meant"), SUGGESTIONS, ids=[" ".join(a) for a, _ in SUGGESTIONS])
def test_a_typo_gets_a_suggestion_in_one_line(capsys, argv, meant):
    refused(capsys, argv, f"did you mean {meant!r}?")


def test_nothing_close_gets_no_suggestion(capsys):
    line = refused(capsys, ["steps", "--kernel", "zebra"], "is not a kernel name", "'1,0,-1;2,0,-2;1,0,-1'")
    assert "did you mean" not in line


# -- options that conflict or do nothing ----------------------------------------------------------------

CONFLICTS = [
    (["steps", "--pad-value", "5"], ["--pad-value does nothing", "--padding valid adds no cells"]),
    (["steps", "--padding", "same", "--kernel", "1x1", "--pad-value", "5"], ["--pad-value does nothing"]),
    (["steps", "--padding", "1", "--pad-mode", "reflect", "--pad-value", "5"], ["zeros padding only", "reflect"]),
    (["steps", "--pad-mode", "reflect"], ["--pad-mode does nothing"]),
    (["info", "--pad-mode", "zeros"], ["--pad-mode does nothing"]),
    (["steps", "--values", "ramp", "--kernel", "sobel_x", "--seed", "3"], ["--seed does nothing", "drop --seed"]),
    (["filter", "--kernel", "sobel", "--seed", "3"], ["--seed does nothing"]),
    (["filter", "--kernel", "sobel", "--channels", "sobel_x,sobel_y,outline"], ["one of --kernel", "--channels"]),
    (["filter"], ["one of --kernel", "--channels"]),
    (["filters", "--compare-pad-modes", "--pad-mode", "zeros"], ["drop --pad-mode"]),
    (["animate", "--fps", "4", "-o", "sheet.png"], ["--fps does nothing", "contact sheet"]),
    (["animate", "--fps", "4", "-o", "handout.pdf"], ["--fps does nothing", "handout"]),
    (["animate", "--fps", "4", "-o", "frames"], ["--fps does nothing", "folder"]),
]


@pytest.mark.parametrize(("argv", "words"), CONFLICTS, ids=[" ".join(a) for a, _ in CONFLICTS])
def test_options_that_do_nothing_or_conflict_are_refused(capsys, tmp_path, argv, words):
    refused(capsys, argv, *words)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_same_options_where_they_act_are_taken(capsys, tmp_path):
    status, out, _ = run(capsys, "steps", "--values", "ramp", "--padding", "1", "--pad-value", "5", "--kernel", "2x2")
    assert status == 0
    ramp = np.arange(25).reshape(5, 5)
    padded = pad_image(ramp, reference_pads((5, 5), (2, 2), padding=1), "zeros", pad_value=5)
    np.testing.assert_array_equal(grid_after(out, "input (padded):"), padded)
    status, out, _ = run(capsys, "steps", "--values", "ramp", "--kernel", "3x3", "--seed", "3")
    assert status == 0
    assert run(capsys, "animate", "--fps", "4", "-o", "fast.gif")[0] == 0
    with Image.open(tmp_path / "fast.gif") as gif:
        assert gif.info["duration"] == 250


def test_present_keeps_options_its_keys_use_later(capsys, used):
    # p cycles the padding and r draws a new input with the seed: not "options that do nothing" there
    status, _, err = run(capsys, "present", "--pad-value", "5", "--pad-mode", "reflect", "--seed", "4",
                         "--values", "ramp", "--kernel", "sobel_x")  # fmt: skip
    assert status == 0, err
    assert used["presented"].pad_mode == "reflect"


# -- steps counted from 1 where people read them ---------------------------------------------------------

STEP_LINE = re.compile(r"step +(\d+) of (\d+): out\[(\d+), (\d+)\], window at \((\d+), (\d+)\)  .+ = (−?\d+)")


def test_steps_are_counted_from_one_and_indices_stay_zero_based(capsys):
    status, out, _ = run(capsys, "steps", "--input", "5x7", "--kernel", "1,0,2;0,-1,1", "--stride", "2x1",
                         "--values", "ramp")  # fmt: skip
    assert status == 0
    ramp = np.arange(35).reshape(5, 7)
    expected = correlate_scipy(ramp, np.array([[1, 0, 2], [0, -1, 1]]), stride=(2, 1))
    rows, cols = expected.shape
    lines = [STEP_LINE.fullmatch(line) for line in out.splitlines() if line.startswith("step")]
    assert all(lines) and len(lines) == rows * cols == 10
    for k, match in enumerate(lines):
        number, count, i, j, r, c, total = (int(g.replace("−", "-")) for g in match.groups())
        assert (number, count) == (k + 1, rows * cols)  # "step 1 of 10" … "step 10 of 10"
        assert (i, j) == divmod(k, cols) and (r, c) == (2 * i, j)  # zero-based, as Step.index and out_index
        assert total == expected[i, j]
    assert lines[5].string.startswith("step  6 of 10: out[1, 0], window at (2, 0)")


def test_the_terminal_the_sheet_and_the_html_page_name_a_step_alike(capsys, tmp_path):
    from visualizer import Convolution, save_animation
    from visualizer.scenes import scene_builder

    conv = Convolution(np.arange(25).reshape(5, 5), SOBEL_X)
    status, out, _ = run(capsys, "steps", "--values", "ramp", "--kernel", "sobel_x")
    terminal = [line for line in out.splitlines() if line.startswith("step")][4]
    assert terminal.startswith("step 5 of 9: out[1, 1]")
    assert scene_builder(conv).step_label(4) == "step 5: out[1, 1]"
    page = save_animation(conv, tmp_path / "p.html").read_text(encoding="utf-8")
    assert 'alt="step 1 of 9"' in page
