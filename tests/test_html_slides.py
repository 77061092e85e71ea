"""The HTML slides in headless Chromium: keys step and play, f goes full screen, nothing is fetched."""

from __future__ import annotations

import pytest
from browser import chromium
from PIL import Image, ImageDraw

from visualizer.render.html import html_player

pytestmark = pytest.mark.browser


def _frames(count: int) -> list[Image.Image]:
    """Plain test frames: each a different shade with its number written on it."""
    frames = []
    for index in range(count):
        frame = Image.new("RGB", (160, 90), (40 * index % 256, 120, 200))
        ImageDraw.Draw(frame).text((10, 10), f"frame {index}", fill="white")
        frames.append(frame)
    return frames


@pytest.fixture
def slides(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    captions = [f"{i}×1 + 0×2 = {i} <&>" for i in range(5)]
    path = tmp_path / "slides.html"
    path.write_text(html_player(_frames(5), fps=4, title="test <slides>", captions=captions), encoding="utf-8")
    return path, captions


def _shown(page) -> dict:
    return page.evaluate(
        """() => ({index: Number(document.getElementById('frame').dataset.index),
                   src: document.getElementById('frame').src,
                   caption: document.getElementById('caption').textContent,
                   counter: document.getElementById('counter').textContent})"""
    )


def test_keys_step_play_and_full_screen_offline(slides):
    path, captions = slides
    page_text = path.read_text(encoding="utf-8")
    frames = page_text.split('"frames": [', 1)[1].split("]", 1)[0].replace('"', "").split(", ")
    requests = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert page.title() == "test <slides>"
        first = _shown(page)
        assert (first["index"], first["caption"], first["counter"]) == (0, captions[0], "1 / 5")

        page.keyboard.press("ArrowRight")
        shown = _shown(page)
        assert (shown["index"], shown["caption"], shown["counter"]) == (1, captions[1], "2 / 5")
        assert shown["src"] == frames[1] != first["src"]

        page.keyboard.press("ArrowLeft")
        assert _shown(page)["index"] == 0
        page.keyboard.press("End")
        assert _shown(page)["caption"] == captions[4]
        page.keyboard.press("Home")
        assert _shown(page)["index"] == 0

        assert page.text_content("#speed") == "4 fps"
        page.keyboard.press("+")
        assert page.text_content("#speed") == "6 fps"
        page.keyboard.press("-")
        page.keyboard.press("-")
        assert page.text_content("#speed") == "3 fps"

        page.keyboard.press(" ")  # play: the frame moves on by itself, then stops on a second space
        page.wait_for_function("document.getElementById('frame').dataset.index !== '0'", timeout=5000)
        page.keyboard.press(" ")
        stopped = _shown(page)["index"]
        page.wait_for_timeout(700)
        assert _shown(page)["index"] == stopped

        page.keyboard.press("h")
        assert page.is_visible("#help")
        page.keyboard.press("h")
        assert not page.is_visible("#help")

        page.keyboard.press("f")
        page.wait_for_function("document.getElementById('player').classList.contains('fullscreen')", timeout=5000)
        assert page.evaluate("document.fullscreenElement.id") == "player"

    file_url = path.as_uri()
    assert requests and all(url == file_url or url.startswith("data:") for url in requests), requests
