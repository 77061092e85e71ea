"""How fast the Stepper's kernel side answers a parameter change, against drawing one bare frame, in the same run.

A step change is the browser's business now (the player holds every frame); what Python still
does is rebuild and send the frames when a control changes. Timed from setting the stride control
in Python to (a) the step shown sent first, alone, and (b) every step sent. The reference is
``render_frame`` of one step with a fresh renderer: the drawing alone, so (a)'s ratio is the price
of the rebuild, the captions, the cell map and the PNG. Rounds alternate the two; medians are
compared. Target: (a) under 100 ms, leaving the rest of bench_stepper_browser.py's 150 ms to the
browser. (b) is printed for the size of the wait until the player can step.

    python benchmarks/bench_widget.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from timing import verdict

from visualizer import KERNELS, Convolution, render_frame
from visualizer.images import photo_crop
from visualizer.widget import Stepper

TARGET_MS = 100.0

CASES = {
    "5×5, same padding (7×7 padded)": Convolution(np.arange(25).reshape(5, 5) % 7, KERNELS["sharpen"], padding="same"),
    "8×8 photo crop, clamped": Convolution(photo_crop(8), KERNELS["outline"], clip="auto"),
    "5×5 colour, 3×3×3 stack": Convolution(
        photo_crop(5, grey=False), np.stack([KERNELS["gaussian_blur"], KERNELS["sharpen"], KERNELS["outline"]], -1)
    ),
}


def change_times(stepper: Stepper, stride: int) -> tuple[float, float]:
    """Seconds from setting the stride to the first payload (the step shown) and to the last (every step)."""
    sent: list[float] = []
    handler = lambda change: change.new and sent.append(time.perf_counter())  # noqa: E731
    stepper.observe(handler, "_player")
    start = time.perf_counter()
    stepper.stride.value = stride
    stepper.unobserve(handler, "_player")
    return sent[0] - start, sent[-1] - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    for name, conv in CASES.items():
        stepper = Stepper(conv)
        first, every, bare = [], [], []
        for k in range(2 * rounds):  # interleaved, so machine noise falls on both alike
            a, b = change_times(stepper, 2 - k % 2)
            first.append(a)
            every.append(b)
            start = time.perf_counter()
            render_frame(conv.replace(stride=2 - k % 2), 0)
            bare.append(time.perf_counter() - start)
        f, e, b = (statistics.median(values) * 1000 for values in (first, every, bare))
        print(
            f"{name}: {conv.num_steps} steps; step shown sent after {f:.1f} ms (target < {TARGET_MS:.0f} ms: "
            f"{verdict(f < TARGET_MS)}), every step after {e:.1f} ms; bare render_frame {b:.1f} ms; "
            f"first payload / render_frame = {f / b:.2f}"
        )


if __name__ == "__main__":
    main()
