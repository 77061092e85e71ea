"""The package as a course installs it: one version everywhere, its files, and the built wheel run elsewhere.

The wheel test builds the sdist and, from it, the wheel (``python -m build
--no-isolation``: no download), installs the wheel into a fresh virtual
environment with ``--no-deps --no-index``, lends that environment this one's
installed libraries through a ``.pth`` file (so it works offline), and runs
``convviz`` from a folder outside the source tree. Deselect it with
``-m "not package"``.
"""

from __future__ import annotations

import email.parser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from needed import missing
from PIL import Image

import visualizer
from visualizer.cli import main
from visualizer.images import sample_path

ROOT = Path(__file__).resolve().parents[1]
VERSION = visualizer.__version__
# what the sdist must carry so that it builds, and so that the licence and the citation travel with it
PROJECT_FILES = ["pyproject.toml", "MANIFEST.in", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff", "visualizer"]


def test_version_is_written_once_and_the_command_prints_it(capsys):
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("\n[project]\n", 1)[1].split("\n[", 1)[0]  # no tomllib on Python 3.10
    assert re.search(r'^dynamic = \["version"\]$', project, re.M) and not re.search(r"^version\b", project, re.M)
    assert "\n[tool.setuptools.dynamic]\n" in text and 'version = { attr = "visualizer.__version__" }' in text
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"convviz {VERSION}\n"


def test_citation_is_valid_cff_with_this_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # the keys CFF 1.2.0 requires, and the types its schema gives them
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"].strip()
    assert isinstance(citation["title"], str) and citation["title"].strip()
    authors = citation["authors"]
    assert isinstance(authors, list) and authors
    assert all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in authors)
    assert str(citation["version"]) == VERSION and citation["license"] == "MIT"
    assert citation["type"] == "software"


def test_changelog_licence_and_data_notes():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{VERSION}]" in changelog and "## [0.1.0] - 2026-11-25" in changelog
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2026 the visualizer authors" in licence
    notes = (ROOT / "visualizer" / "data" / "README.md").read_text(encoding="utf-8")
    photo = sample_path()
    assert (photo.name if photo else "grace_hopper.jpg") in notes
    assert "public domain" in notes and "drawn_photo()" in notes


# -- the built package ------------------------------------------------------------------------------


def needed(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        missing(f"{module} is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel built from it, from a copy of the project (the tree itself stays clean)."""
    needed("build")
    needed("setuptools")
    source = tmp_path_factory.mktemp("source")
    for name in PROJECT_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {"sdist": out / f"convviz-{VERSION}.tar.gz", "wheel": out / f"convviz-{VERSION}-py3-none-any.whl"}


@pytest.mark.package
def test_sdist_carries_the_project_files(built):
    with tarfile.open(built["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for name in ["pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff"]:
        assert name in names
    assert "visualizer/render/export.py" in names and "visualizer/data/README.md" in names


@pytest.mark.package
def test_wheel_metadata_names_the_distribution_version_and_dependencies(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        info = f"convviz-{VERSION}.dist-info"
        metadata = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert metadata["Name"] == "convviz" and metadata["Version"] == VERSION
    assert f"{info}/licenses/LICENSE" in names and "visualizer/data/README.md" in names
    # every module and data file of the source tree, subpackages included
    source = {path.relative_to(ROOT).as_posix() for path in (ROOT / "visualizer").rglob("*") if path.is_file()}
    assert {name for name in source if "__pycache__" not in name} <= names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
    assert "convviz = visualizer.cli:main" in entry_points
    requires = metadata.get_all("Requires-Dist")
    plain = {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0].lower() for r in requires if "extra ==" not in r}
    assert plain == {"numpy", "matplotlib", "pillow", "ipywidgets", "anywidget", "tqdm", "fpdf2"}
    assert set(metadata.get_all("Provides-Extra")) == {"lab", "video", "docs", "test"}
    assert any(r.startswith("jupyterlab") and 'extra == "lab"' in r for r in requires)
    assert any(r.startswith("imageio-ffmpeg") and 'extra == "video"' in r for r in requires)
    assert "torch" not in " ".join(requires)  # optional: installed by .ci/run, never pulled in


@pytest.mark.package
def test_wheel_installed_elsewhere_runs_convviz(built, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    done = subprocess.run(
        [*install, "--no-cache-dir", str(built["wheel"])], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # the dependencies come from this environment, after the fresh one's own site-packages in sys.path
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    lent = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    Path(site, "_lent_dependencies.pth").write_text("\n".join(lent) + "\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        return done.stdout

    where = "import importlib.metadata as m, visualizer; print(visualizer.__file__, visualizer.__version__, "
    where += "m.version('convviz'))"
    file, version, dist_version = run(str(python), "-c", where).split()
    assert Path(file).is_relative_to(venv) and version == dist_version == VERSION
    assert run("convviz", "--version") == f"convviz {VERSION}\n"
    assert Path(shutil.which("convviz", path=env["PATH"])).parent == venv / "bin"
    run("convviz", "filters", "-o", "x.png")
    run("convviz", "animate", "-o", "x.gif", "--quiet")
    run("convviz", "animate", "-o", "x.html", "--quiet")
    assert "export function mount" in (work / "x.html").read_text(encoding="utf-8")  # the player, from the wheel
    with Image.open(work / "x.png") as sheet:
        assert sheet.format == "PNG" and sheet.width > 200
    with Image.open(work / "x.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 9
