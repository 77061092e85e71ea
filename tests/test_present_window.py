"""The presenter in a real window: ``convviz present`` on a virtual X screen, driven by xdotool.

Xvfb keeps its screen in a file (``-fbdir``, XWD format), so screenshots need
no extra program: the test reads the window's pixels from that file.
Outside CI a missing Xvfb or xdotool skips the test; in CI it fails.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from needed import missing
from processes import stop

pytestmark = pytest.mark.xvfb

INPUT_BLUE = (0x26, 0x8B, 0xD2)  # the input cells' colour in every light theme
PROBLEM_RED = (0xDC, 0x32, 0x2F)
OUTPUT_CYAN = (0x2A, 0xA1, 0x98)  # the output cells' colour: the magnifier's products


def _program(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (apt-get install {package})")
    return path


@pytest.fixture
def screen(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A virtual X screen 1280×800 on a display number Xvfb picks free itself; (DISPLAY, its XWD file)."""
    xvfb = _program("Xvfb", "xvfb")
    _program("xdotool", "xdotool")
    folder = tmp_path / "screen"
    folder.mkdir()
    read, write = os.pipe()
    # -noreset: by default X resets itself whenever its last client leaves, and every xdotool call the test
    # polls with is one; a program that opens the display during a reset finds none and calls the machine
    # headless (13 of 300 display checks failed while xdotool polled, none with -noreset)
    screen_args = ["-screen", "0", "1280x800x24", "-nolisten", "tcp", "-fbdir", str(folder)]
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-noreset", *screen_args],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 60)
        number = os.read(read, 64).decode().strip() if ready else ""
        if not number:
            pytest.fail("Xvfb did not start within 60 s")
        # Xvfb names its display before a client can always open it: a first client gets in before the presenter
        env = {**os.environ, "DISPLAY": f":{number}"}
        probe = ["xdotool", "getdisplaygeometry"]
        _wait(lambda: subprocess.run(probe, env=env, capture_output=True, timeout=60).returncode == 0, "Xvfb", 60)
        yield f":{number}", folder / "Xvfb_screen0"
    finally:
        os.close(read)
        stop(server)


def _screenshot(xwd: Path, box: tuple[int, int, int, int]) -> np.ndarray:
    """RGB pixels of ``box`` (x, y, width, height) from Xvfb's XWD screen file (32-bit pixels, BGRX)."""
    data = xwd.read_bytes()
    header = np.frombuffer(data[:100], ">u4")
    header_size, width, height, bytes_per_line, colours = header[0], header[4], header[5], header[12], header[19]
    assert (header[11], header[7]) == (32, 0), "expected 32 bits per pixel, least significant byte first"
    start = int(header_size + 12 * colours)
    pixels = np.frombuffer(data, np.uint8, count=int(height * bytes_per_line), offset=start)
    pixels = pixels.reshape(int(height), int(bytes_per_line) // 4, 4)[:, : int(width), 2::-1]
    x, y, w, h = box
    return pixels[y : y + h, x : x + w].copy()


def _wait(condition: Callable[[], object], what: str, timeout: float = 90) -> object:
    """Poll ``condition`` until it returns something other than None or False."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = condition()
        if result is not None and result is not False:  # an array counts as found
            return result
        time.sleep(0.1)
    pytest.fail(f"waited {timeout:.0f} s for {what}")


class Presenter:
    """``convviz present ARGS`` running on the virtual screen: its title, its pixels, keys sent to it."""

    def __init__(self, screen: tuple[str, Path], tmp_path: Path, *args: str):
        display, self.xwd = screen
        self.env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        self.env.update(DISPLAY=display, HOME=str(tmp_path))
        self.log = (tmp_path / "present.log").open("w+")
        command = [sys.executable, "-m", "visualizer", "present", *args]
        self.process = subprocess.Popen(command, env=self.env, cwd=tmp_path, stdout=self.log, stderr=subprocess.STDOUT)
        self.window = ""

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60)
        return done.stdout.strip()

    def open(self, first_title: str) -> np.ndarray:
        """Wait for the window titled ``first_title…`` and its settled first frame; give it the keyboard."""
        self.window = _wait(
            lambda: self.running() and (self.xdotool("search", "--name", first_title).split() or [None])[0],
            "the window",
        )
        # Once shown, the window lays itself out again (matplotlib fits the figure to Tk's scaling:
        # a new size, two more draws): only a picture that holds still is the settled first frame,
        # and only a new picture that holds still is the next step drawn.
        first = _wait(lambda: self.still_frame(1.0), "the first frame, settled")
        assert self.box()[2] > 600 and self.box()[3] > 400, self.box()
        # no window manager gives focus on Xvfb: the pointer over the window and the focus set by hand
        self.xdotool("mousemove", "--window", self.window, "20", "20")
        self.xdotool("windowfocus", "--sync", self.window)
        return first

    def running(self) -> bool:
        """True while the program runs; once it has ended, the test fails at once with its output."""
        if self.process.poll() is not None:
            pytest.fail(f"convviz present ended ({self.process.returncode}) with no window: {self.close()}")
        return True

    def title(self) -> str:
        return self.xdotool("getwindowname", self.window)

    def box(self) -> tuple[int, ...]:
        lines = self.xdotool("getwindowgeometry", "--shell", self.window).splitlines()
        geometry = dict(line.split("=") for line in lines)
        return tuple(int(geometry[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))

    def screenshot(self) -> np.ndarray:
        return _screenshot(self.xwd, self.box())

    def still_frame(self, seconds: float) -> np.ndarray | None:
        """The window's pixels if they show a frame and hold still for ``seconds``, else None."""
        where = self.box()
        shot = _screenshot(self.xwd, where)
        time.sleep(seconds)
        held = self.box() == where and (_screenshot(self.xwd, where) == shot).all()
        return shot if held and (shot == INPUT_BLUE).all(axis=2).sum() > 1000 else None

    def new_frame(self, before: np.ndarray) -> np.ndarray | None:
        shot = self.still_frame(0.5)
        return shot if shot is not None and (shot.shape != before.shape or (shot != before).any()) else None

    def step_to(self, key: str, step: int, steps: int, shots: list[np.ndarray]) -> None:
        """Press ``key``; wait for "step ``step``/``steps``" in the title and a new frame, added to ``shots``."""
        self.xdotool("key", key)
        _wait(lambda: self.title().startswith(f"step {step}/{steps} "), f"step {step} in the title")
        shots.append(_wait(lambda: self.new_frame(shots[-1]), f"step {step} drawn"))

    def quit(self) -> str:
        """Press q, expect a clean exit; the program's output."""
        self.xdotool("key", "q")
        assert self.process.wait(timeout=90) == 0
        return self.close()

    def close(self) -> str:
        """End the program if it still runs; its output (read once, kept)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.log.closed:
            self.log.seek(0)
            self.output = self.log.read()
            self.log.close()
        return self.output


@pytest.fixture
def presenter(screen, tmp_path) -> Iterator[Callable[..., Presenter]]:
    started: list[Presenter] = []

    def start(*args: str) -> Presenter:
        started.append(Presenter(screen, tmp_path, *args))
        return started[-1]

    yield start
    for window in started:
        assert "Traceback" not in window.close()


def test_keys_drive_a_real_window(presenter):
    window = presenter("--input", "5x5", "--padding", "same", "--seed", "1")
    shots = [window.open("^step 1/25 ")]
    title = window.title
    assert "input 5×5, kernel 3×3, stride 1, padding same" in title()
    assert "rows = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5" in title()

    for key, step in [("Right", 2), ("Right", 3), ("Left", 2), ("Right", 3)]:
        window.step_to(key, step, 25, shots)
    assert (shots[2] == shots[4]).all(), "the same step looks the same after going back and forth"

    window.xdotool("key", "space")  # play: the steps move on by themselves
    # any later step will do: a slow look at the title may come a few beats late
    _wait(lambda: int(title().split()[1].split("/")[0]) > 3, "playing past step 3", 10)

    def still() -> str | None:
        before = title()
        time.sleep(1)
        return before if title() == before else None

    window.xdotool("key", "space")
    # the window may take one more beat of its timer before it reads the key: the title that
    # holds still for two beats (1 s at 2 steps a second) is the paused one; playing never does
    paused = _wait(still, "playing to stop", 10)
    time.sleep(1.5)
    assert title() == paused

    window.xdotool("key", "p", "p", "d", "d")  # valid, then dilation 3: cannot fit 5×5
    _wait(lambda: "dilation 2" in title() and "padding valid" in title(), "valid padding, dilation 2")
    _wait(lambda: (window.screenshot() == PROBLEM_RED).all(axis=2).sum() > 200, "the message on the canvas")
    assert "dilation 2" in title()
    assert "Traceback" not in window.quit()


def test_a_layer_in_a_real_window(presenter):
    """``convviz present --op layer``: the layer's steps, filter by filter, and o round the family back to it."""
    args = ["--op", "layer", "--input", "4x4x3", "--filters", "2", "--bias", "1,-2", "--activation", "relu"]
    window = presenter(*args)
    shots = [window.open("^step 1/8 ")]  # 2×2 outputs for each of the 2 filters
    described = "input 4×4×3, 2 filters 3×3×3, dense, stride 1, padding valid (0, 0, 0, 0) zeros, dilation 1"
    assert described in window.title() and "bias, relu" in window.title()
    window.step_to("Right", 2, 8, shots)
    window.step_to("End", 8, 8, shots)  # the second filter's last output
    window.step_to("Home", 1, 8, shots)
    assert (shots[0] == shots[-1]).all(), "the first step looks the same after going round"

    window.xdotool("key", "o")  # the first filter's stack as a convolution of each channel
    _wait(lambda: "kernel 3×3×3" in window.title(), "the convolution of the first filter")
    for _ in range(4):  # transposed, max pooling, average pooling, the layer again
        window.xdotool("key", "o")
    _wait(lambda: described in window.title() and window.title().startswith("step 1/8 "), "the layer again")
    frame = slice(0, int(shots[0].shape[0] * 0.9))  # above the message line, which now says "layer"
    _wait(lambda: (window.screenshot()[frame] == shots[0][frame]).all(), "the layer's first step drawn again")
    assert "Traceback" not in window.quit()


class PhotoPresenter(Presenter):
    """A presenter showing pictures and a magnifier: a frame is one where the magnifier's products show."""

    def still_frame(self, seconds: float) -> np.ndarray | None:
        where = self.box()
        shot = _screenshot(self.xwd, where)
        time.sleep(seconds)
        held = self.box() == where and (_screenshot(self.xwd, where) == shot).all()
        return shot if held and (shot == OUTPUT_CYAN).all(axis=2).sum() > 1000 else None


def test_the_lesson_photo_opens_and_steps_by_row(screen, tmp_path):
    """A 130×200 photo (25 344 steps) opens as pictures with a magnifier; →, PageDown, PageUp, End each draw."""
    args = ["--values", "photo", "--input", "130x200", "--kernel", "sharpen", "--clip", "auto"]
    window = PhotoPresenter(screen, tmp_path, *args)
    try:
        shots = [window.open("^step 1/25344 ")]
        for key, step in [("Right", 2), ("Next", 2 + 198), ("Prior", 2), ("End", 25344)]:
            window.step_to(key, step, 25344, shots)
        assert (shots[1] == shots[3]).all(), "the same step looks the same after a row down and up"
        assert "Traceback" not in window.quit()
    finally:
        assert "Traceback" not in window.close()
