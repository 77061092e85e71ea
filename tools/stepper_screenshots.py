"""Screenshots of the Stepper in JupyterLab, Notebook 7 and marimo for the README (docs/stepper_*.png).

Each front end runs a notebook showing the lesson's Stepper in headless, offline Chromium; the
pointer rests on an input cell, so the outputs it feeds are outlined, after a click on an output
cell has moved the step. The pictures are scaled to 760 px wide and stored with a 64-colour palette.

    python tools/stepper_screenshots.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_FLAGS  # noqa: E402
from cell_geometry import screen_point  # noqa: E402
from notebook_server import jupyter_server, notebook, run_all  # noqa: E402
from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from processes import stop  # noqa: E402

import visualizer as vz  # noqa: E402
from visualizer.render.frame import FrameRenderer  # noqa: E402

IMAGE = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]]
KERNEL = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]
CELL = f"import visualizer as vz\n\nstepper = vz.Stepper(vz.Convolution({IMAGE}, {KERNEL}))\nstepper"
WIDTH = 760


def save(png: bytes, name: str) -> None:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture = picture.resize((WIDTH, round(picture.height * WIDTH / picture.width)), Image.LANCZOS)
    path = ROOT / "docs" / name
    picture.quantize(64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1000:.0f} kB")


def point(page) -> None:
    """Click output (1, 1), then rest the pointer on input (1, 2)."""
    renderer = FrameRenderer(vz.Convolution(IMAGE, KERNEL))
    canvas = ".cv-player .cv-frame"
    page.locator(canvas).scroll_into_view_if_needed()
    page.mouse.click(*screen_point(page, canvas, renderer, "output", 1, 1))
    page.mouse.move(*screen_point(page, canvas, renderer, "input", 1, 2))
    page.wait_for_timeout(300)


def jupyter(browser) -> None:
    with tempfile.TemporaryDirectory() as folder, jupyter_server(Path(folder), {"s.ipynb": notebook(CELL)}) as url:
        for front_end, name in (("lab", "stepper_jupyterlab.png"), ("notebooks", "stepper_notebook7.png")):
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(60_000)
            page.goto(url(front_end, "s.ipynb"))
            run_all(page, front_end)
            page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
            point(page)
            page.wait_for_timeout(500)
            top = page.locator(".jp-Cell").first.bounding_box()
            bottom = page.locator(".stepper-box").bounding_box()
            clip = {
                "x": top["x"],
                "y": top["y"],
                "width": top["width"],
                "height": bottom["y"] + bottom["height"] - top["y"],
            }
            save(page.screenshot(clip=clip), name)
            page.close()


def marimo(browser) -> None:
    app = ROOT / "notebooks" / "01_how_convolution_works_marimo.py"
    with tempfile.TemporaryDirectory() as home:
        port = 27000 + os.getpid() % 1000
        env = os.environ | {"HOME": home, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "marimo", "run", str(app), "--headless", "--host", "127.0.0.1"]
        process = subprocess.Popen(command + ["--port", str(port), "--no-token"], env=env)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}")
            page.locator(".cv-player[data-ready='1']:not(.cv-pending)").wait_for()
            point(page)
            page.get_by_text("Step 5 of 6").wait_for()
            player = page.locator(".cv-player").bounding_box()
            text = page.get_by_text("Step 5 of 6").bounding_box()
            clip = {"x": player["x"] - 20, "y": player["y"] - 20, "width": player["width"] + 40}
            clip["height"] = text["y"] + text["height"] + 30 - clip["y"]
            save(page.screenshot(clip=clip), "stepper_marimo.png")
        finally:
            stop(process)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS)
        jupyter(browser)
        marimo(browser)
        browser.close()


if __name__ == "__main__":
    main()
