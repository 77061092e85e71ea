"""The HTML slides' text: self-contained, escaped, read back intact in Chromium (controls: test_html_player)."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from browser import chromium
from PIL import Image, ImageDraw

from visualizer.render.html import html_player

TITLE = "test <slides> & an http://address"


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
    captions[1] = "</script><b>not bold</b> HTTP://x.y"  # text, never markup or a link, read back intact
    path = tmp_path / "slides.html"
    path.write_text(html_player(_frames(5), fps=4, title=TITLE, captions=captions), encoding="utf-8")
    return path, captions


def _shown(page) -> dict:
    return page.evaluate(
        """() => ({caption: document.getElementById('caption').textContent,
                   counter: document.getElementById('counter').textContent})"""
    )


@pytest.mark.browser
def test_title_and_captions_read_back_as_text_offline(slides):
    path, captions = slides
    requests = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert page.title() == TITLE and page.text_content("h1") == TITLE
        assert _shown(page)["caption"] == captions[0]
        page.keyboard.press("ArrowRight")
        shown = _shown(page)
        assert (shown["caption"], shown["counter"]) == (captions[1], "2 / 5")
        assert page.locator("#caption b").count() == 0 and page.locator("a").count() == 0

    file_url = path.as_uri()
    assert requests and all(url == file_url or url.startswith("data:") for url in requests), requests


def test_page_is_self_contained_text():
    # this 2×1 PNG happens to hold "Http" in its base64 text: the page must still hold no "http"
    unlucky = Image.fromarray(np.array([[[172, 4, 4], [192, 192, 146]]], np.uint8))
    buffer = io.BytesIO()
    unlucky.save(buffer, format="PNG")
    assert "http" in base64.b64encode(buffer.getvalue()).decode().lower()
    page = html_player([unlucky, unlucky], fps=1, title="<T> http", captions=["a", "</script> http://x"])
    assert "http" not in page.lower() and "</script> " not in page
    # the still first frame (for pages read without scripts) and one sprite sheet holding it for the player;
    # the second frame, the same, adds no patch
    assert page.count("data:image/png;base64,") == 2 and '"patches":[[[0,0,0,2,1,0,0]],[]]' in page
    assert "&lt;T&gt;" in page


@pytest.mark.parametrize(
    ("frames", "options", "message"),
    [
        ([], {}, "frames must hold at least one image"),
        (_frames(2), {"fps": 0}, "fps must be a positive number"),
        (_frames(2), {"captions": ["one"]}, "captions must give one line per frame"),
        ([Image.new("RGB", (4, 4)), Image.new("RGB", (5, 4))], {}, "frames must all have one size"),
    ],
)
def test_bad_arguments(frames, options, message):
    with pytest.raises(ValueError, match=message):
        html_player(frames, **options)
