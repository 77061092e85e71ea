"""The HTML slides driven as a learner drives them, in headless Chromium from file:// with no network.

Every control is used (buttons, the range slider by click, drag and keys, the page's keys, speed,
full screen, the help overlay) and each time the test reads back what the page shows: the counter,
the caption, the slider, the image's own pixels and the colour painted on screen. Playing runs on
Playwright's fake clock, so a rate is counted in steps per simulated second, never timed.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reference import correlate_scipy, pair, reference_pads

from visualizer import Convolution, render_frame, save_animation
from visualizer.render.html import html_player

pytestmark = pytest.mark.browser

COUNT, FPS = 40, 4  # 40 steps: a second at the top speed (30 fps) never wraps round
ANIMATION_FRAME = 16  # ms between requestAnimationFrame callbacks on Playwright's fake clock


def colour(index: int) -> tuple[int, int, int]:
    return (6 * index, 255 - 6 * index, 100)


def _slide(index: int) -> Image.Image:
    frame = Image.new("RGB", (160, 90), colour(index))
    ImageDraw.Draw(frame).text((4, 4), str(index), fill="white")  # in a corner: the centre stays plain
    return frame


SLIDES = [_slide(index) for index in range(COUNT)]
CAPTIONS = [f"step {index}: {index}×1 = {index}" for index in range(COUNT)]

SHOWN = """() => {
  const canvas = document.getElementById('frame');
  return {src: canvas.toDataURL('image/png'),
          loaded: document.getElementById('player').dataset.ready === '1' && canvas.width > 0,
          caption: document.getElementById('caption').textContent,
          counter: document.getElementById('counter').textContent,
          slider: Number(document.getElementById('position').value),
          playing: document.getElementById('play').getAttribute('aria-label') === 'pause',
          speed: document.getElementById('speed').textContent};
}"""


@pytest.fixture(scope="module")
def slides_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("slides") / "slides.html"
    path.write_text(html_player(SLIDES, fps=FPS, title="slides", captions=CAPTIONS), encoding="utf-8")
    return path


class Player:
    """One page of slides in its own browser context; with ``fake_clock`` timers run only in ``run_for``."""

    def __init__(self, browser, path, fake_clock: bool) -> None:
        self.url = path.as_uri()
        self.context = browser.new_context(viewport={"width": 800, "height": 600})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)  # a control that does nothing fails in half a minute, not minutes
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        if fake_clock:
            self.page.clock.install(time=0)
        self.page.goto(self.url)
        self.page.wait_for_selector("#player[data-ready='1']")  # the frames decode before the first paint
        if fake_clock:
            self.page.clock.pause_at(60_000)

    def shown(self) -> dict:
        shown = self.page.evaluate(SHOWN)
        number, count = shown["counter"].split(" / ")
        return {**shown, "step": int(number) - 1, "count": int(count)}

    def step(self) -> int:
        return self.shown()["step"]

    def image(self) -> Image.Image:
        """The picture the canvas holds, read back from it as PNG."""
        head, data = self.shown()["src"].split(",", 1)
        assert head == "data:image/png;base64"
        return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")

    def painted_centre(self) -> tuple[int, int, int]:
        """The colour on screen at the centre of the frame's box."""
        box = self.page.locator("#frame").bounding_box()
        # one pixel, not the whole box: a full screenshot costs Chromium far more than the read
        centre = {"x": box["x"] + box["width"] // 2, "y": box["y"] + box["height"] // 2, "width": 1, "height": 1}
        return Image.open(io.BytesIO(self.page.screenshot(clip=centre))).convert("RGB").getpixel((0, 0))

    def played(self, milliseconds: int) -> int:
        """Steps the player moves on by itself in ``milliseconds`` of simulated time.

        A step shows on the first animation frame at or after its time, and the fake clock
        runs animation frames every 16 ms: one frame more lets the last step due show.
        """
        before = self.step()
        self.page.clock.run_for(milliseconds + ANIMATION_FRAME)
        return (self.step() - before) % COUNT

    def assert_slide(self, index: int) -> None:
        shown = self.shown()
        assert (shown["step"], shown["count"], shown["slider"]) == (index, COUNT, index)
        assert shown["caption"] == CAPTIONS[index] and shown["loaded"]
        assert np.array_equal(np.asarray(self.image()), np.asarray(SLIDES[index]))
        assert np.abs(np.subtract(self.painted_centre(), colour(index))).max() <= 2


@pytest.fixture
def open_player(browser, slides_path):
    """Opens pages; afterwards checks that none raised an error or asked for anything but its own file."""
    players: list[Player] = []

    def open_(path=slides_path, *, fake_clock: bool = True) -> Player:
        players.append(Player(browser, path, fake_clock))
        return players[-1]

    yield open_
    for player in players:
        player.context.close()
        assert not player.errors
        outside = [url for url in player.requests if url != player.url and not url.startswith("data:")]
        assert player.requests and not outside


# Each control as a learner uses it: a button's id and the key that does the same.
CONTROLS = {
    "buttons": {"first": "#first", "back": "#back", "play": "#play", "forward": "#forward", "last": "#last"},
    "keys": {"first": "Home", "back": "ArrowLeft", "play": " ", "forward": "ArrowRight", "last": "End"},
}


def _use(player: Player, how: str, control: str) -> None:
    target = CONTROLS[how][control]
    if how == "buttons":
        player.page.click(target)
    else:
        player.page.keyboard.press(target)


@pytest.mark.parametrize("how", CONTROLS)
def test_stepping_shows_each_step_frame_and_caption(open_player, how):
    player = open_player()
    player.assert_slide(0)
    visits = [("forward", 1), ("forward", 2), ("back", 1), ("last", COUNT - 1), ("first", 0)]
    # at either end a step stays put, as on the slider, in the widget and the presenter
    visits += [("back", 0), ("last", COUNT - 1), ("forward", COUNT - 1), ("back", COUNT - 2)]
    for control, expected in visits:
        _use(player, how, control)
        player.assert_slide(expected)


@pytest.mark.parametrize("how", CONTROLS)
def test_play_moves_on_at_the_speed_and_pause_stops(open_player, how):
    player = open_player()
    _use(player, how, "play")
    assert player.shown()["playing"]
    assert player.played(1000) == FPS
    player.assert_slide(FPS)
    _use(player, how, "play")
    assert not player.shown()["playing"]
    assert player.played(3000) == 0
    _use(player, how, "play")
    _use(player, how, "forward")  # stepping by hand stops playing
    assert not player.shown()["playing"] and player.played(3000) == 0
    player.assert_slide(FPS + 1)
    _use(player, how, "last")
    _use(player, how, "play")
    assert player.played(1000 // FPS) == 1
    player.assert_slide(0)  # after the last step, round to the first


def test_plays_on_the_real_clock(open_player):
    player = open_player(fake_clock=False)
    player.page.keyboard.press(" ")
    player.page.wait_for_function("document.getElementById('counter').textContent === '3 / 40'", timeout=30_000)


SPEED_CONTROLS = {
    "buttons": ("#faster", "#slower"),
    "keys": ("+", "-"),
    "other keys": ("=", "NumpadSubtract"),  # = is + without Shift on most layouts
}


@pytest.mark.parametrize("how", SPEED_CONTROLS)
def test_speed_changes_the_rate_of_play(open_player, how):
    player = open_player()
    faster, slower = SPEED_CONTROLS[how]

    def change(control: str) -> None:
        player.page.click(control) if control.startswith("#") else player.page.keyboard.press(control)

    player.page.keyboard.press(" ")
    for control, fps in [(None, 4), (faster, 6), (faster, 8), (slower, 6), (slower, 4), (slower, 3), (slower, 2)]:
        if control:
            change(control)  # while playing: the new rate holds from now on
        assert player.shown()["speed"] == f"{fps} fps"
        assert abs(player.played(2000) - 2 * fps) <= 1, fps
    for _ in range(8):  # 2 → 3, 4, 6, 8, 12, 24, 30, and one more press stays at the top
        change(faster)
    assert player.shown()["speed"] == "30 fps" and abs(player.played(1000) - 30) <= 1
    for _ in range(11):  # 30 → 24, 12, 8, 6, 4, 3, 2, 1, 0.5, 0.25, and one more press stays at the bottom
        change(slower)
    assert player.shown()["speed"] == "0.25 fps" and abs(player.played(8000) - 2) <= 1
    assert player.shown()["playing"]


def _slider_x(box: dict, fraction: float) -> float:
    return box["x"] + 1 + fraction * (box["width"] - 2)


def test_slider_click_drag_and_keys(open_player):
    player = open_player()
    page = player.page
    box = page.locator("#position").bounding_box()
    y = box["y"] + box["height"] / 2

    page.keyboard.press(" ")
    for fraction, expected in [(1, COUNT - 1), (0, 0), (0.5, (COUNT - 1) / 2), (0.25, (COUNT - 1) / 4)]:
        page.mouse.click(_slider_x(box, fraction), y)
        assert abs(player.step() - expected) <= 2, fraction
        player.assert_slide(player.step())  # the slider's value, the counter and the frame agree
    assert not player.shown()["playing"] and player.played(2000) == 0  # a click on the slider stops playing

    page.mouse.click(_slider_x(box, 0), y)
    page.mouse.down()  # drag the thumb from the left end to the right end: the step follows the mouse
    seen = [player.step()]
    for fraction in (0.2, 0.4, 0.6, 0.8, 1):
        page.mouse.move(_slider_x(box, fraction), y, steps=3)
        shown = player.shown()
        assert shown["step"] == shown["slider"] > seen[-1]
        seen.append(shown["step"])
    page.mouse.move(_slider_x(box, 0.5), y, steps=3)
    page.mouse.up()
    assert abs(player.step() - (COUNT - 1) / 2) <= 2
    player.assert_slide(player.step())

    # the slider keeps the focus: arrows, Home/End and the slider's own keys move the step
    middle = player.step()
    assert page.evaluate("document.activeElement.id") == "position"
    for key, expected in [("ArrowRight", middle + 1), ("ArrowLeft", middle), ("ArrowUp", middle + 1)]:
        page.keyboard.press(key)
        player.assert_slide(expected)
    page.keyboard.press("ArrowDown")
    player.assert_slide(middle)
    page.keyboard.press("End")
    player.assert_slide(COUNT - 1)
    page.keyboard.press("PageDown")
    assert player.step() < COUNT - 1
    player.assert_slide(player.step())
    page.keyboard.press("Home")
    player.assert_slide(0)


@pytest.mark.parametrize("control", ["f", "F", "#full"])
def test_full_screen_on_and_off(open_player, control):
    player = open_player()
    page = player.page

    def toggle() -> None:
        page.click(control) if control.startswith("#") else page.keyboard.press(control)

    toggle()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'player'")
    page.wait_for_function("document.getElementById('player').classList.contains('cv-fullscreen')")
    assert not page.is_visible("h1")  # the frame takes the title's room
    frame = page.locator("#frame").bounding_box()
    assert frame["width"] >= 700 and page.is_visible("#caption") and page.is_visible("#controls")
    toggle()
    page.wait_for_function("document.fullscreenElement === null")
    page.wait_for_function("!document.getElementById('player').classList.contains('cv-fullscreen')")
    assert page.is_visible("h1")


def test_help_overlay_shows_and_hides(open_player):
    player = open_player()
    page = player.page
    assert not page.is_visible("#help")
    for show, hide in [("h", "h"), ("?", "Escape"), ("H", "?"), ("#keys", "#keys")]:
        page.click(show) if show.startswith("#") else page.keyboard.press(show)
        assert page.is_visible("#help")
        assert "full screen" in page.text_content("#help") and "play / pause" in page.text_content("#help")
        page.click(hide) if hide.startswith("#") else page.keyboard.press(hide)
        assert not page.is_visible("#help")
    player.assert_slide(0)  # none of these keys moved the step


# -- exported convolutions: each step's caption against SciPy, its image against the step's frame --------

CONVOLUTIONS = {
    # non-square input, kernel and output; padded; a different stride per axis
    "padded, strided": (
        np.arange(48).reshape(6, 8) % 7 - 3,
        np.array([[1, -2], [0, 3], [2, 1]]),
        {"stride": (3, 2), "padding": 1},
    ),
    # "same" padding with a replicated edge, a dilated kernel and stride 2
    "same, replicate, dilated": (
        np.arange(35).reshape(5, 7) ** 2 % 11,
        np.array([[2, 0, -1], [1, 1, 3]]),
        {"stride": 2, "padding": "same", "pad_mode": "replicate", "dilation": (1, 2)},
    ),
}
NUMPY_PAD = {"zeros": "constant", "replicate": "edge"}
CAPTION = re.compile(r"out\[(\d+), (\d+)\] = (.+) = (-?\d+)")  # minus signs read as "-"


def _expected_steps(image, kernel, options):
    """(i, j, the sum's terms as (weight, pixel) pairs, the sum) for every step, row-major, from SciPy and NumPy."""
    stride, dilation = pair(options.get("stride", 1)), pair(options.get("dilation", 1))
    padding, mode = options.get("padding", "valid"), options.get("pad_mode", "zeros")
    sums = correlate_scipy(image, kernel, stride, padding, mode, dilation, method="signal")
    top, bottom, left, right = reference_pads(image.shape, kernel.shape, stride, padding, dilation)
    padded = np.pad(image, ((top, bottom), (left, right)), mode=NUMPY_PAD[mode])
    expected = []
    for i, j in np.ndindex(sums.shape):
        r, c = i * stride[0], j * stride[1]
        window = padded[r : r + (kernel.shape[0] - 1) * dilation[0] + 1 : dilation[0],
                        c : c + (kernel.shape[1] - 1) * dilation[1] + 1 : dilation[1]]  # fmt: skip
        terms = list(zip(kernel.ravel().tolist(), window.ravel().tolist(), strict=True))
        assert sum(w * x for w, x in terms) == sums[i, j]  # the two references agree
        expected.append((i, j, terms, sums[i, j]))
    return expected


def _read_caption(text: str):
    """(i, j, terms, sum) from a caption read as handwriting: ``out[0, 1] = −1×2 − 2×(−3) + 0×5 = 4``."""
    match = CAPTION.fullmatch(text.replace("\N{MINUS SIGN}", "-"))
    assert match, text
    body = "- " + match[3][1:] if match[3].startswith("-") else "+ " + match[3]
    term = r"([+-]) (\d+)×(\d+|\(-\d+\))"
    assert re.fullmatch(f"{term}( {term})*", body), text
    terms = [(int(sign + w), int(x.strip("()"))) for sign, w, x in re.findall(term, body)]
    return int(match[1]), int(match[2]), terms, int(match[4])


@pytest.mark.parametrize("name", CONVOLUTIONS)
def test_exported_steps_show_scipys_sums_and_their_frames(open_player, tmp_path, name):
    image, kernel, options = CONVOLUTIONS[name]
    conv = Convolution(image, kernel, **options)
    path = save_animation(conv, tmp_path / "conv.html", progress=False)
    expected = _expected_steps(image, kernel, options)
    assert conv.num_steps == len(expected) > 4
    player = open_player(path)

    def check(index: int) -> None:
        shown = player.shown()
        assert (shown["step"], shown["count"], shown["slider"]) == (index, len(expected), index)
        assert _read_caption(shown["caption"]) == expected[index]
        assert np.array_equal(np.asarray(player.image()), np.asarray(render_frame(conv, index).convert("RGB")))

    check(0)
    for index in range(1, len(expected)):
        player.page.keyboard.press("ArrowRight")
        check(index)
    for key, index in [("Home", 0), ("End", len(expected) - 1), ("ArrowLeft", len(expected) - 2)]:
        player.page.keyboard.press(key)
        check(index)
    box = player.page.locator("#position").bounding_box()
    player.page.mouse.click(_slider_x(box, 0.5), box["y"] + box["height"] / 2)
    check(player.step())
