"""The documentation site builds offline with warnings as errors, and its pages load nothing from outside.

The site is the one the README's docs command builds (``docs/_build/html``), read as it is
when the stamp a clean build leaves there names today's sources (``docs/_ext/site_stamp.py``),
and otherwise built here first, with the docs command's own ``sphinx-build`` arguments
(about a minute: the notebooks run in it). Sphinx, MyST-NB and Furo come with the test
extra (``pip install ".[docs]"`` has them alone).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import visualizer as vz
from visualizer.gallery import GALLERY

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.docs


@pytest.fixture(scope="module")
def convviz_docs():
    """The site's own Sphinx extension (docs/_ext), importable once Sphinx is."""
    pytest.importorskip("sphinx")
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import convviz_docs

        yield convviz_docs
    finally:
        sys.path.remove(str(DOCS / "_ext"))


@pytest.fixture(scope="module")
def site(convviz_docs, tmp_path_factory) -> Path:
    for name in ("sphinx", "myst_nb", "furo"):
        pytest.importorskip(name, reason='the documentation tools are not installed (pip install ".[docs]")')
    import site_stamp

    html = DOCS / "_build" / "html"
    stamp = html / site_stamp.STAMP
    if stamp.is_file() and stamp.read_text(encoding="ascii") == site_stamp.sources_digest():
        return html
    # a home of its own: the notebooks' kernel and IPython write their runtime files there
    env = {**os.environ, "HOME": str(tmp_path_factory.mktemp("home"))}
    # -E reads every page: an incremental build after one that warned leaves no stamp
    command = [sys.executable, "-m", "sphinx", "-W", "-E", "-q", "-b", "html", str(DOCS), str(html)]
    # generous: the build takes about a minute alone, several on a busy machine
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert stamp.is_file(), "a clean build leaves its stamp"
    return html


@pytest.mark.parametrize("entry", GALLERY, ids=lambda entry: entry.name)
def test_gallery_code_draws_that_entry(convviz_docs, entry, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(vz, "save_animation", lambda *args, **kwargs: calls.append((args, kwargs)), raising=False)
    namespace: dict = {}
    exec(convviz_docs.entry_code(entry), namespace)
    assert namespace["entry"] == dataclasses.replace(entry, about="")
    ((op, path), style) = calls[0]
    assert path == f"{entry.name}.gif" and style == {"numbers": entry.numbers, "layout": entry.layout}
    expected = entry.operation()
    assert type(op) is type(expected) and op.output_shape == expected.output_shape
    assert (op.result() == expected.result()).all()


def test_front_page_commands_are_the_readme_s(convviz_docs):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for marker in ("main-command", "test-command", "docs-command"):
        command = convviz_docs.readme_command(marker)
        assert f"<!-- {marker} -->\n```bash\n{command}\n```" in readme
    with pytest.raises(ValueError, match="no <!-- nothing --> block"):
        convviz_docs.readme_command("nothing")


# page → how many pictures it shows (None: at least one, a notebook's own count)
PAGES = {
    "index": 1,
    "lesson": 11,
    "gallery": len(GALLERY),
    "api": 0,
    **{f"notebooks/{path.stem}": None for path in sorted((ROOT / "notebooks").glob("*.ipynb"))},
}


@pytest.mark.browser
@pytest.mark.parametrize(("page", "pictures"), PAGES.items(), ids=list(PAGES))
def test_page_shows_its_pictures_offline(site, browser, page, pictures):
    path = site / f"{page}.html"
    requests, failed = [], []
    tab = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        tab.on("request", lambda request: requests.append(request.url))
        tab.on("requestfailed", lambda request: failed.append(request.url))
        tab.goto(path.as_uri(), wait_until="load")
        shown = tab.evaluate(
            "[...document.images].map(image => [image.getAttribute('src'), image.complete && image.naturalWidth > 0])"
        )
        title = tab.title()
    finally:
        tab.close()
    assert (len(shown) == pictures if pictures is not None else shown) and all(ok for _, ok in shown), shown
    assert "visualizer" in title
    assert not failed, failed
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert requests and not outside, outside


def test_notebook_widgets_become_a_note_without_their_state(site):
    page = (site / "notebooks" / "01_how_convolution_works.html").read_text(encoding="utf-8")
    assert "open the notebook in JupyterLab" in page
    assert "widget-view+json" not in page and "widget-state+json" not in page
    assert "\\sum_{m=0}^{M-1}" in page  # the formula as TeX, whole


READY = "(el) => new Promise((ok) => { const wait = () => (el.dataset.ready ? ok() : setTimeout(wait, 50)); wait(); })"


def _steps(player) -> None:
    """The player's forward button moves it one step and says so, with no error on the page."""
    player.scroll_into_view_if_needed()
    # its pictures decode after the page loads: wait until the player says it is ready
    player.evaluate(
        "(el) => new Promise((ok) => { const t = () => el.dataset.ready ? ok() : setTimeout(t, 50); t(); })"
    )
    before = int(player.get_attribute("data-index"))
    player.locator(".cv-forward").click()
    assert int(player.get_attribute("data-index")) == before + 1
    assert player.locator(".cv-step").text_content().startswith(f"step {before + 2}/")


@pytest.mark.browser
def test_lesson_notebook_and_gallery_players_step_offline(site, browser):
    requests, errors = [], []
    tab = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        tab.set_default_timeout(45_000)
        tab.on("request", lambda request: requests.append(request.url))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto((site / "lesson.html").as_uri())
        players = tab.locator(".convviz-player .cv-player")
        assert players.count() == 10  # one under each section of the lesson
        _steps(players.nth(3))  # stride
        _steps(players.nth(9))  # learning
        tab.goto((site / "notebooks" / "01_how_convolution_works.html").as_uri())
        _steps(tab.locator(".cv-player").first)
        tab.goto((site / "gallery.html").as_uri())
        frames = tab.locator("iframe.convviz-player-page")
        assert frames.count() == len(GALLERY)
        frames.nth(len(GALLERY) - 1).scroll_into_view_if_needed()  # a player loads when it comes near the view
        _steps(tab.frame_locator("iframe.convviz-player-page").nth(len(GALLERY) - 1).locator("#player"))
    finally:
        tab.close()
    assert not errors, errors
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert requests and not outside, outside


def test_the_stamp_names_the_sources_and_only_a_clean_build_leaves_it(convviz_docs, tmp_path):
    pytest.importorskip("sphinx")
    import site_stamp
    from sphinx.cmd.build import build_main

    root = tmp_path / "root"
    for name in ("docs/index.md", "docs/_build/html/index.html", "visualizer/a.py", "notebooks/n.ipynb", "README.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    before = site_stamp.sources_digest(root)
    (root / "docs/_build/html/index.html").write_text("rebuilt")  # what is built is not a source
    assert site_stamp.sources_digest(root) == before
    (root / "visualizer/a.py").write_text("changed")
    assert site_stamp.sources_digest(root) != before

    project = tmp_path / "project"
    project.mkdir()
    # site_stamp is importable: the convviz_docs fixture put docs/_ext on the path
    (project / "conf.py").write_text("extensions = ['site_stamp']\n")
    out = project / "_build"
    stamp = out / site_stamp.STAMP

    def build(index: str, other: str, *options: str) -> int:
        for name, text in (("index.rst", index), ("other.rst", ":orphan:\n\n" + other)):
            if not (project / name).exists() or (project / name).read_text() != text:  # unchanged: not read again
                (project / name).write_text(text)
        # in this process: a second apiece instead of an interpreter and Sphinx's imports each time
        return build_main(["-W", "-q", *options, "-b", "html", str(project), str(out)])

    clean, warns = "Other\n=====\n", "Other\n=====\n\nA :ref:`nowhere`.\n"
    assert build("Title\n=====\n", clean) == 0 and stamp.read_text() == site_stamp.sources_digest()
    assert build("Title\n=====\n", warns) != 0 and not stamp.exists()
    build("Title, changed\n==============\n", warns)  # the page that warned may not be read again:
    assert not stamp.exists()  # clean or not, this build cannot say the whole site is
    assert build("Title, changed\n==============\n", clean) == 0 and not stamp.exists()  # one page read
    assert build("Title, changed\n==============\n", clean, "-E") == 0 and stamp.is_file()  # every page read
    assert build("Title\n=====\n", clean) == 0 and stamp.is_file()  # incremental after a clean build
