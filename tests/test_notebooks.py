"""Every teaching notebook runs top to bottom in a fresh kernel, in a temporary folder.

The notebooks are executed one at a time (two at once have been seen to stall nbclient
after a widget cell), each with a cell timeout so a stall fails fast instead of hanging.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
KERNEL = "convviz-test"
# the notebooks that step through a convolution with the widget (a layer and a learning kernel have no stepper)
STEPPERS = ("01_", "02_", "03_", "04_")


@pytest.fixture
def kernel_home(tmp_path, monkeypatch):
    """A kernelspec that starts this very interpreter (the venv's), and HOME in tmp_path."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def test_the_lessons_are_all_there():
    assert {"01_", "02_", "03_", "04_", "05_", "06_", "07_"} <= {p.name[:3] for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    book = json.loads(path.read_text(encoding="utf-8"))  # the file as committed, read as plain JSON
    code = [cell for cell in book["cells"] if cell["cell_type"] == "code"]
    assert code, "a notebook without code teaches nothing here"
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, kernel_home):
    # here, not at the top: the two take a second to import, which every test process would pay at collection
    import nbformat
    from nbclient import NotebookClient

    work = kernel_home / "work"
    work.mkdir()
    shutil.copy(path, work)
    book = nbformat.read(work / path.name, as_version=4)
    # every cell takes a second or two: one that takes half a minute has stalled
    client = NotebookClient(book, timeout=30, kernel_name=KERNEL, resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError naming the failing cell
    outputs = [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    if path.name.startswith(STEPPERS):
        assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs), "no stepper"
    gifs = list(work.glob("*.gif"))
    assert len(gifs) == 1 and gifs[0].read_bytes()[:6] == b"GIF89a", "each notebook exports one GIF next to itself"
