"""How fast one frame of a convolutional layer is drawn, against a colour convolution's frame of the same input.

Run: ``python benchmarks/bench_layer_frame.py [--repeats N]``

The layer: a 5×5 RGB input padded to 7×7, two filters 3×3×3 with bias and ReLU
(C_in = 3, C_out = 2, 50 steps), its frame with the products panel (per channel:
window ⊙ kernel slice = products, Σ). The panel's own part of a frame (making its
items for the step and painting them) is timed too. The reference, timed in the same run: the
Convolution of that input with the first filter as a per-channel 3×3×3 stack (three
panels, three sums: the nearest picture the package drew before layers). Each
contender draws step after step (the still parts drawn once, as an animation does);
timings interleave repetition by repetition and report medians, so a noisy
neighbour slows all alike. Target: a layer frame under 20 ms in either layout.
Each is timed twice: on the wall clock, and in the process's own CPU time, which a
machine shared with other busy processes does not inflate (drawing is single-threaded,
so on an idle machine the two agree). Also printed: building the renderer (every
still part and every step's reveal).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import interleaved_medians, verdict  # noqa: E402

import visualizer as vz  # noqa: E402
from visualizer.render import FrameRenderer  # noqa: E402

TARGET_MS = 20


def stepper(renderer: FrameRenderer):
    """A call that draws the renderer's next frame, round and round."""
    steps = itertools.cycle(range(len(renderer)))
    return lambda: renderer.frame(next(steps))


def panel_part(renderer: FrameRenderer):
    """A call that makes the products panel's items for the next step and paints them (on a scratch picture)."""
    steps = itertools.cycle(range(len(renderer)))
    panel, layer, picture = renderer.builder.products_panel, renderer.op, Image.new("L", renderer.size)

    def draw() -> None:
        for item in panel.moving(layer.step(next(steps))):
            renderer.painter.paint(picture, item)

    return draw


def cpu_medians(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median CPU seconds of this process per call, the contenders interleaved as for the wall clock."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=100, help="timed repetitions per contender (default 100)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    image, weights = rng.integers(0, 10, (5, 5, 3)), rng.integers(-2, 3, (3, 3, 3, 2))
    layer = vz.ConvLayer(image, weights, bias=[1, -3], padding=1, activation="relu")
    conv = vz.Convolution(image, weights[..., 0], padding=1)
    flat, oblique = FrameRenderer(layer), FrameRenderer(layer, layout="oblique")
    contenders = {
        "layer frame, flat": stepper(flat),
        "layer frame, oblique": stepper(oblique),
        "products panel, flat": panel_part(flat),
        "products panel, oblique": panel_part(oblique),
        "convolution frame, flat": stepper(FrameRenderer(conv)),
        "convolution frame, oblique": stepper(FrameRenderer(conv, layout="oblique")),
    }
    medians = interleaved_medians(contenders, args.repeats)
    cpu = cpu_medians(contenders, args.repeats)
    builds = interleaved_medians({"layer": lambda: FrameRenderer(layer), "convolution": lambda: FrameRenderer(conv)}, 7)
    print(f"layer 5×5×3 → 2 filters 3×3×3, padding 1, bias, relu: {layer.num_steps} steps; {args.repeats} repeats")
    for clock, figures in (("wall clock", medians), ("CPU time", cpu)):
        for layout in ("flat", "oblique"):
            ms, reference = figures[f"layer frame, {layout}"] * 1000, figures[f"convolution frame, {layout}"] * 1000
            panel = figures[f"products panel, {layout}"] * 1000
            print(
                f"  {clock:<10} {layout:<8} layer {ms:6.2f} ms (products panel {panel:4.2f} ms of it), colour "
                f"convolution {reference:6.2f} ms ({ms / reference:4.2f}×); target < {TARGET_MS} ms: "
                f"{verdict(ms < TARGET_MS)}"
            )
    print(
        f"  FrameRenderer(): layer {builds['layer'] * 1000:.0f} ms, convolution {builds['convolution'] * 1000:.0f} ms "
        f"({builds['layer'] / builds['convolution']:.2f}×)"
    )


if __name__ == "__main__":
    main()
