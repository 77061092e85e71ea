"""How fast the stepper answers a step change, against drawing the bare frame, measured in the same run.

The widget's time is from setting the step slider's value in Python to the Image
widget holding the new PNG (the observer draws the frame, encodes it, and writes
the text and the status label). The reference is ``render_frame`` for the same
step, which keeps its renderer between calls: the drawing alone, so the ratio is
the price of the PNG, the text and the widget plumbing. Runs alternate between
the two; the medians give the ratio. Target: the widget's median under 50 ms.

    python benchmarks/bench_widget.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from visualizer import KERNELS, Convolution, render_frame
from visualizer.images import photo_crop
from visualizer.widget import Stepper

TARGET_MS = 50.0

CASES = {
    "5×5, same padding (7×7 padded)": Convolution(np.arange(25).reshape(5, 5) % 7, KERNELS["sharpen"], padding="same"),
    "8×8 photo crop, clamped": Convolution(photo_crop(8), KERNELS["outline"], clip="auto"),
    "5×5 colour, 3×3×3 stack": Convolution(
        photo_crop(5, grey=False), np.stack([KERNELS["gaussian_blur"], KERNELS["sharpen"], KERNELS["outline"]], -1)
    ),
}


def widget_times(stepper: Stepper) -> list[float]:
    """Seconds from setting the slider to the picture being replaced, once per step."""
    times = []
    stepper.slider.value = 1
    for value in [*range(2, stepper.slider.max + 1), 1]:  # every step, each a change
        before = stepper.picture.value
        start = time.perf_counter()
        stepper.slider.value = value
        times.append(time.perf_counter() - start)
        assert stepper.picture.value is not before
    return times


def frame_times(conv: Convolution) -> list[float]:
    times = []
    for index in range(conv.num_steps):
        start = time.perf_counter()
        render_frame(conv, index)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    for name, conv in CASES.items():
        stepper = Stepper(conv)
        widget, bare = [], []
        for _ in range(rounds):  # interleaved, so machine noise falls on both alike
            widget += widget_times(stepper)
            bare += frame_times(conv)
        w, b = statistics.median(widget) * 1000, statistics.median(bare) * 1000
        verdict = "ok" if w < TARGET_MS else "TOO SLOW"
        print(
            f"{name}: {conv.num_steps} steps; widget update median {w:.1f} ms (target < {TARGET_MS:.0f} ms, "
            f"{verdict}); bare render_frame median {b:.1f} ms; widget / render_frame = {w / b:.2f}"
        )


if __name__ == "__main__":
    main()
