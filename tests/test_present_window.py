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
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-fbdir", str(folder)],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 20)
        number = os.read(read, 64).decode().strip() if ready else ""
        if not number:
            pytest.fail("Xvfb did not start within 20 s")
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


def _wait(condition: Callable[[], object], what: str, timeout: float = 30) -> object:
    """Poll ``condition`` until it returns something other than None or False."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = condition()
        if result is not None and result is not False:  # an array counts as found
            return result
        time.sleep(0.1)
    pytest.fail(f"waited {timeout:.0f} s for {what}")


def test_keys_drive_a_real_window(screen, tmp_path):
    display, xwd = screen
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(DISPLAY=display, HOME=str(tmp_path))

    def xdotool(*args: str) -> str:
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout.strip()

    log = (tmp_path / "present.log").open("w+")
    command = [sys.executable, "-m", "visualizer", "present", "--input", "5x5", "--padding", "same", "--seed", "1"]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        window = _wait(lambda: (xdotool("search", "--name", "^step 1/25 ").split() or [None])[0], "the window")

        def title() -> str:
            return xdotool("getwindowname", window)

        def box() -> tuple[int, ...]:
            geometry = dict(line.split("=") for line in xdotool("getwindowgeometry", "--shell", window).splitlines())
            return tuple(int(geometry[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))

        def still_frame(seconds: float) -> np.ndarray | None:
            """The window's pixels if they show a frame and hold still for ``seconds``, else None."""
            where = box()
            shot = _screenshot(xwd, where)
            time.sleep(seconds)
            held = box() == where and (_screenshot(xwd, where) == shot).all()
            return shot if held and (shot == INPUT_BLUE).all(axis=2).sum() > 1000 else None

        def new_frame(before: np.ndarray) -> np.ndarray | None:
            shot = still_frame(0.5)
            return shot if shot is not None and (shot.shape != before.shape or (shot != before).any()) else None

        # Once shown, the window lays itself out again (matplotlib fits the figure to Tk's scaling:
        # a new size, two more draws): only a picture that holds still is the settled first frame,
        # and only a new picture that holds still is the next step drawn.
        first = _wait(lambda: still_frame(1.0), "the first frame, settled")
        assert box()[2] > 600 and box()[3] > 400, box()
        # no window manager gives focus on Xvfb: the pointer over the window and the focus set by hand
        xdotool("mousemove", "--window", window, "20", "20")
        xdotool("windowfocus", "--sync", window)
        assert "input 5×5, kernel 3×3, stride 1, padding same" in title()
        assert "rows = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5" in title()

        shots = [first]
        for key, step in [("Right", 2), ("Right", 3), ("Left", 2), ("Right", 3)]:
            xdotool("key", key)
            _wait(lambda step=step: title().startswith(f"step {step}/25 "), f"step {step} in the title")
            shots.append(_wait(lambda: new_frame(shots[-1]), f"step {step} drawn"))
        assert (shots[2] == shots[4]).all(), "the same step looks the same after going back and forth"

        xdotool("key", "space")  # play: the steps move on by themselves
        # any later step will do: a slow look at the title may come a few beats late
        _wait(lambda: int(title().split()[1].split("/")[0]) > 3, "playing past step 3", 10)

        def still() -> str | None:
            before = title()
            time.sleep(1)
            return before if title() == before else None

        xdotool("key", "space")
        # the window may take one more beat of its timer before it reads the key: the title that
        # holds still for two beats (1 s at 2 steps a second) is the paused one; playing never does
        paused = _wait(still, "playing to stop", 10)
        time.sleep(1.5)
        assert title() == paused

        xdotool("key", "p", "p", "d", "d")  # valid, then dilation 3: cannot fit 5×5
        _wait(lambda: "dilation 2" in title() and "padding valid" in title(), "valid padding, dilation 2")
        red = (0xDC, 0x32, 0x2F)
        _wait(lambda: (_screenshot(xwd, box()) == red).all(axis=2).sum() > 200, "the message on the canvas")
        assert "dilation 2" in title()

        xdotool("key", "q")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert "Traceback" not in output, output
