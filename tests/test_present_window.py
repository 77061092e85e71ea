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
        geometry = dict(line.split("=") for line in xdotool("getwindowgeometry", "--shell", window).splitlines())
        box = tuple(int(geometry[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
        assert box[2] > 600 and box[3] > 400, box

        def title() -> str:
            return xdotool("getwindowname", window)

        def shows_frame() -> np.ndarray | None:
            shot = _screenshot(xwd, box)
            return shot if (shot == INPUT_BLUE).all(axis=2).sum() > 1000 else None

        first = _wait(shows_frame, "the first frame on the screen")
        # no window manager gives focus on Xvfb: the pointer over the window and the focus set by hand
        xdotool("mousemove", "--window", window, "20", "20")
        xdotool("windowfocus", "--sync", window)
        assert "input 5×5, kernel 3×3, stride 1, padding same" in title()
        assert "rows = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5" in title()

        def changed_from(before: np.ndarray) -> np.ndarray | None:
            shot = _screenshot(xwd, box)
            return shot if (shot != before).any(axis=2).sum() > 200 else None

        shots = [first]
        for key, step in [("Right", 2), ("Right", 3), ("Left", 2), ("Right", 3)]:
            xdotool("key", key)
            _wait(lambda step=step: title().startswith(f"step {step}/25 "), f"step {step} in the title")
            shots.append(_wait(lambda: changed_from(shots[-1]), f"step {step} drawn"))
        assert (shots[2] == shots[4]).all(), "the same step looks the same after going back and forth"

        xdotool("key", "space")  # play: the steps move on by themselves
        _wait(lambda: title().startswith(("step 4/25 ", "step 5/25 ", "step 6/25 ")), "playing to step 4", 10)
        xdotool("key", "space")
        paused = title()
        time.sleep(1.5)
        assert title() == paused

        xdotool("key", "p", "p", "d", "d")  # valid, then dilation 3: cannot fit 5×5
        _wait(lambda: "dilation 2" in title() and "padding valid" in title(), "valid padding, dilation 2")
        red = (0xDC, 0x32, 0x2F)
        _wait(lambda: (_screenshot(xwd, box) == red).all(axis=2).sum() > 200, "the message on the canvas")
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
