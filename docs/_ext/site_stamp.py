"""A stamp in the built site naming the sources it was built from, written only after a clean build.

The site takes minutes to build (the notebooks run, every gallery entry is drawn), and
``tests/test_docs.py`` reads the site the docs command built when its stamp matches
today's sources, instead of building it again. The stamp is a digest of everything the
pages are made from: ``docs/``, the package, the notebooks, the README, ``pyproject.toml``
and the versions of Python and of the libraries that draw and build. A build with a
warning or an error leaves no stamp; an incremental build keeps one only when the build
before it had one (so an unchanged page that warned last time cannot pass for clean).

>>> len(sources_digest(Path(__file__).resolve().parents[2]))
64
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from sphinx.application import Sphinx

STAMP = ".convviz-sources"
ROOT = Path(__file__).resolve().parents[2]
# what the pages are made from; docs/_build is what is made
SOURCES = ("docs", "visualizer", "notebooks", "README.md", "pyproject.toml")
TOOLS = ("sphinx", "myst-nb", "furo", "numpy", "pillow", "matplotlib")
SKIPPED = {"_build", "__pycache__", ".ipynb_checkpoints", "jupyter_execute"}


def sources_digest(root: Path = ROOT) -> str:
    """SHA-256 over the sources' paths and bytes and the tools' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for name in TOOLS:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    for source in SOURCES:
        path = root / source
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] * path.is_file()
        for file in files:
            if SKIPPED.isdisjoint(file.relative_to(root).parts) and file.suffix != ".pyc":
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _unstamp(app: Sphinx) -> None:
    stamp = Path(app.outdir) / STAMP
    app.__dict__["_convviz_was_stamped"] = stamp.is_file()
    stamp.unlink(missing_ok=True)  # a build under way, or one that fails, is not the stamped one


def _count_read(app: Sphinx, env, docnames: list[str]) -> None:
    app.__dict__["_convviz_read_all"] = set(docnames) >= set(env.found_docs)


def _stamp(app: Sphinx, exception: Exception | None) -> None:
    clean = exception is None and app.statuscode == 0 and getattr(app, "_warncount", 1) == 0
    whole = app.__dict__.get("_convviz_read_all", False) or app.__dict__.get("_convviz_was_stamped", False)
    if clean and whole and app.builder.name == "html":
        (Path(app.outdir) / STAMP).write_text(sources_digest(), encoding="ascii")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _unstamp)
    app.connect("env-before-read-docs", _count_read)
    app.connect("build-finished", _stamp)
