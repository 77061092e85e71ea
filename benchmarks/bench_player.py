"""The HTML player in headless Chromium: click-to-repaint and playback at 30 steps/s, measured in the page.

Click: from the click event's time stamp to the first task after the next animation frame (the
repaint is on screen), over clicks on output cells (each jumps to its step and outlines its window).
The reference, clicked in turn in the same run, is a bare canvas that fills one rectangle per click:
the browser's own input-to-frame path, so the ratio is the player's price.
Target: the player's 95th percentile ≤ 50 ms.

Playback: 30 steps/s for 10 s; each step's time is taken with performance.now() when the player shows
it. A late frame is a step shown more than half a period after the one before was due.
Target: ≤ 5 % late frames.

    python benchmarks/bench_player.py [--clicks 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser import CHROMIUM_FLAGS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from timing import verdict  # noqa: E402

from visualizer import save_animation  # noqa: E402
from visualizer.gallery import GALLERY  # noqa: E402
from visualizer.render.frame import FrameRenderer  # noqa: E402

CLICK_TARGET_MS, LATE_TARGET = 50.0, 0.05

# Records, for each click on the element, the time until the frame after it has been produced.
MEASURE_CLICKS = """(selector) => {
  window.clickTimes = [];
  const target = document.querySelector(selector);
  target.addEventListener('click', (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.clickTimes.push(performance.now() - start);
      channel.port2.postMessage(0);
    });
  });
}"""

# When each step shows: the player writes data-index as it shows a step.
MEASURE_STEPS = """() => {
  window.stepTimes = [];
  new MutationObserver(() => window.stepTimes.push(performance.now()))
    .observe(document.getElementById('player'), {attributes: true, attributeFilter: ['data-index']});
}"""

REFERENCE = """<!DOCTYPE html><html><body style="margin:0">
<canvas id="frame" width="820" height="716" style="width:820px;height:716px"></canvas>
<script>
const context = document.getElementById('frame').getContext('2d');
let k = 0;
document.getElementById('frame').addEventListener('click', () => {
  context.fillStyle = k++ % 2 ? '#268bd2' : '#2aa198';
  context.fillRect(0, 0, 820, 716);
});
</script></body></html>"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    conv = next(a for a in GALLERY if a.name == "full_padding_no_strides_numbers").operation()
    renderer = FrameRenderer(conv)
    with tempfile.TemporaryDirectory() as root:
        player_path = save_animation(conv, Path(root) / "player.html", progress=False)
        reference_path = Path(root) / "reference.html"
        reference_path.write_text(REFERENCE)
        print(f"page: {player_path.stat().st_size / 1000:.0f} KB for {conv.num_steps} steps")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
            )
            player = browser.new_page(viewport={"width": 1100, "height": 1000})
            player.goto(player_path.as_uri())
            player.wait_for_selector("#player[data-ready='1']")
            reference = browser.new_page(viewport={"width": 1100, "height": 1000})
            reference.goto(reference_path.as_uri())
            player.evaluate(MEASURE_CLICKS, "#frame")
            reference.evaluate(MEASURE_CLICKS, "#frame")

            box = player.locator("#frame").bounding_box()
            scale = min(box["width"] / renderer.size[0], box["height"] / renderer.size[1])
            left = box["x"] + (box["width"] - renderer.size[0] * scale) / 2
            top = box["y"] + (box["height"] - renderer.size[1] * scale) / 2
            rows, cols = conv.output_shape
            for k in range(args.clicks):
                # far-apart steps in turn: a jump back repaints from the first frame
                i, j = (k * 5) % rows, (k * 3) % cols
                x0, y0, x1, y1 = renderer.cell_box("output", i, j)
                player.bring_to_front()
                player.mouse.click(left + (x0 + x1) / 2 * scale, top + (y0 + y1) / 2 * scale)
                player.wait_for_function(f"window.clickTimes.length === {k + 1}")
                reference.bring_to_front()
                reference.mouse.click(100, 100)
                reference.wait_for_function(f"window.clickTimes.length === {k + 1}")
            clicks = player.evaluate("window.clickTimes")
            bare = reference.evaluate("window.clickTimes")
            p95, bare95 = percentile(clicks, 0.95), percentile(bare, 0.95)
            print(f"click to repaint over {len(clicks)} clicks: median {statistics.median(clicks):.1f} ms, "
                  f"95th percentile {p95:.1f} ms (bare canvas: median {statistics.median(bare):.1f} ms, "
                  f"95th {bare95:.1f} ms; ratio of 95ths {p95 / bare95:.2f}) "
                  f"target ≤ {CLICK_TARGET_MS:.0f} ms: {verdict(p95 <= CLICK_TARGET_MS)}")  # fmt: skip

            player.bring_to_front()
            player.mouse.move(1, 1)
            player.keyboard.press("Home")
            while player.text_content("#speed") != "30 fps":
                player.keyboard.press("+")
            player.evaluate(MEASURE_STEPS)
            player.keyboard.press(" ")
            player.wait_for_timeout(args.seconds * 1000)
            player.keyboard.press(" ")
            times = player.evaluate("window.stepTimes")[1:]  # the first entry is the press itself
            period = 1000 / 30
            gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
            late = sum(gap > 1.5 * period for gap in gaps)
            rate = (len(times) - 1) / ((times[-1] - times[0]) / 1000)
            print(f"playback at 30 steps/s for {args.seconds:g} s: {len(times)} steps, {rate:.1f} steps/s, "
                  f"gaps median {statistics.median(gaps):.1f} ms, max {max(gaps):.1f} ms, "
                  f"late {late}/{len(gaps)} ({late / len(gaps):.1%}) "
                  f"target ≤ {LATE_TARGET:.0%}: {verdict(late / len(gaps) <= LATE_TARGET)}")  # fmt: skip
            browser.close()


if __name__ == "__main__":
    main()
