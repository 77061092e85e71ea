"""The HTML slides in headless Chromium: keys step and play, f goes full screen, nothing is fetched."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from browser import chromium
from PIL import Image, ImageDraw
from scipy import signal

from visualizer import Convolution, save_animation
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
        """() => ({index: Number(document.getElementById('frame').dataset.index),
                   src: document.getElementById('frame').src,
                   caption: document.getElementById('caption').textContent,
                   counter: document.getElementById('counter').textContent})"""
    )


@pytest.mark.browser
def test_keys_step_play_and_full_screen_offline(slides):
    path, captions = slides
    page_text = path.read_text(encoding="utf-8")
    frames = page_text.split('"frames": [', 1)[1].split("]", 1)[0].replace('"', "").split(", ")
    requests = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert page.title() == TITLE
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


@pytest.mark.browser
def test_exported_slides_show_each_step_with_its_sum(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    image, kernel = np.arange(20).reshape(4, 5), np.array([[1, 0], [0, 2]])
    path = save_animation(Convolution(image, kernel, stride=2), tmp_path / "conv.html", progress=False)
    assert "http" not in path.read_text(encoding="utf-8").lower()
    expected = signal.correlate2d(image, kernel, mode="valid")[::2, ::2]  # 2×2 outputs
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1024, "height": 700})
        page.goto(path.as_uri())
        for key, (i, j) in [(None, (0, 0)), ("ArrowRight", (0, 1)), ("ArrowRight", (1, 0)), ("End", (1, 1))]:
            if key:
                page.keyboard.press(key)
            shown = _shown(page)
            assert shown["index"] == i * 2 + j and shown["counter"] == f"{i * 2 + j + 1} / 4"
            assert shown["caption"].startswith(f"out[{i}, {j}] = ")
            assert shown["caption"].endswith(f" = {expected[i, j]}")


def test_page_is_self_contained_text():
    # this 2×1 PNG happens to hold "Http" in its base64 text: the page must still hold no "http"
    unlucky = Image.fromarray(np.array([[[172, 4, 4], [192, 192, 146]]], np.uint8))
    buffer = io.BytesIO()
    unlucky.save(buffer, format="PNG")
    assert "http" in base64.b64encode(buffer.getvalue()).decode().lower()
    page = html_player([unlucky, unlucky], fps=1, title="<T> http", captions=["a", "</script> http://x"])
    assert "http" not in page.lower() and "</script> " not in page
    assert page.count("data:image/png;base64,") == 3  # both frames, the first also as the starting image
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
