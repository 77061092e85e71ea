"""Every example runs: each command in every ``--help`` text and in README.md's ``convviz`` blocks.

Each runs through the command's own ``main`` with the words a user would type, in a fresh folder
(in this process: an interpreter for each would double the time; ``python -m visualizer`` itself is
run by the last test here, and the installed ``convviz`` by test_package.py), and must end with
status 0 and write the file it names. ``present`` opens a window, so its examples run with the
window replaced by a stand-in that receives the Convolution.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def help_examples(*command: str) -> list[str]:
    """The lines under "examples:" in ``convviz COMMAND --help``."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit):
        main([*command, "--help"])
    block = text.getvalue().split("\nexamples:\n", 1)[1]
    return [line.strip() for line in block.split("\n\n", 1)[0].splitlines() if line.startswith("  convviz ")]


def readme_examples() -> list[str]:
    """Every command of the README's ```bash blocks that start with ``convviz``, comments dropped."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S):
        if not block.startswith("convviz"):
            continue
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


HELP = {line: f"convviz {name} --help" for name in COMMANDS for line in help_examples(name)}
HELP.update({line: "convviz --help" for line in help_examples()})
README = readme_examples()
EXAMPLES = sorted(set(HELP) | set(README))


def test_every_command_has_examples_and_the_readme_has_its_block():
    for name in COMMANDS:
        examples = help_examples(name)
        assert len(examples) >= 1 and all(e.startswith(f"convviz {name} ") or e == f"convviz {name}" for e in examples)
    assert len(help_examples()) >= 2
    assert {shlex.split(e)[1] for e in README} >= {"animate", "steps", "info", "filter", "filters", "gallery"}


def expected_output(argv: list[str], folder: Path) -> Path | None:
    """The file or folder the command says it writes (its -o, or the default), None for terminal output."""
    args = build_parser().parse_args(argv)
    if args.command == "gallery":
        return folder / args.folder / "README.md"
    return folder / args.output if hasattr(args, "output") else None


# drawing the whole gallery takes a while: test_gallery.py runs that example itself, and checks every file it writes
WHOLE_GALLERY = "convviz gallery animations/"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if shlex.split(e)[1] != "present" and e != WHOLE_GALLERY])
def test_the_example_runs_and_writes_what_it_names(example, tmp_path, monkeypatch, capsys):
    argv = shlex.split(example)[1:]
    monkeypatch.chdir(tmp_path)
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 0, f"{example}\n{err}"
    assert "error" not in err.lower(), err
    target = expected_output(argv, tmp_path)
    if target is None:
        assert out.strip(), example  # steps and info print
    else:
        assert target.exists(), (example, sorted(p.name for p in tmp_path.iterdir()))
        assert target.is_dir() or target.stat().st_size > 0


@pytest.mark.parametrize("example", [e for e in EXAMPLES if shlex.split(e)[1] == "present"])
def test_the_present_example_builds_its_convolution(example, tmp_path, monkeypatch):
    # the window itself is tested under Xvfb (test_present_window.py); here, the command line
    shown = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("visualizer.presenter.present", lambda conv, **style: shown.append((conv, style)))
    assert main(shlex.split(example)[1:]) == 0
    ((conv, style),) = shown
    assert conv.num_steps >= 1 and style["theme"] == "classroom"


def test_the_collector_sees_a_broken_example(tmp_path):
    """Not vacuous: an example with an old mistake fails the way the test checks."""
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "filter", "--channels", "blur,sharpen,outline"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and list(tmp_path.iterdir()) == []
