"""How fast one frame of a transposed convolution or a pooling is drawn, against a convolution's frame.

Run: ``python benchmarks/bench_family_frames.py [--repeats N]`` (a few seconds).

Each case is the size of conv_arithmetic's same_padding_no_strides, a 7×7 grid
under the window: the transposed convolution 5×5 → 5×5 (kernel 3, padding 1:
its stretched input is 7×7), its scatter view of padding_strides_transposed
(3×3 → 5×5, the output drawn 7×7 with its cut-off border), and max and
average pooling of a 5×5 input padded by 1. For each, ``FrameRenderer.frame``
(the still parts drawn once, as every animation draws them) is timed in the
flat and the oblique layout with the numbers on, interleaved with the same
call for the convolution of a 5×5 input padded to 7×7, and printed as
milliseconds and as a ratio to that convolution's frame. Target: every
frame under 15 ms. Building the renderer (the scene of every step, the still
parts painted, each step's revealed cells cut out) is timed the same way and
printed for the record.
"""

from __future__ import annotations

import argparse
import gc

import numpy as np
from timing import interleaved_medians, verdict

import visualizer as vz
from visualizer.render import FrameRenderer

TARGET_MS = 15


def cases() -> dict[str, object]:
    rng = np.random.default_rng(0)
    image, kernel = rng.integers(0, 10, (5, 5)), rng.integers(0, 3, (3, 3))
    return {
        "transposed, direct (7×7 stretched)": vz.TransposedConvolution(image, kernel, padding=1),
        "transposed, scatter (7×7 output grid)": vz.TransposedConvolution(
            rng.integers(0, 10, (3, 3)), kernel, stride=2, padding=1, view="scatter"
        ),
        "max pooling (7×7 padded)": vz.Pooling(image, 3, stride=1, padding=1),
        "avg pooling (7×7 padded)": vz.Pooling(image, 3, stride=1, padding=1, mode="avg"),
    }


def frames(renderer: FrameRenderer):
    """A call drawing the renderer's frames in turn, one per call."""
    count = iter(range(10**9))
    return lambda: renderer.frame(next(count) % len(renderer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40, help="interleaved rounds per case (default 40)")
    args = parser.parse_args()
    reference = vz.Convolution(np.random.default_rng(1).integers(0, 10, (5, 5)), np.ones((3, 3), int), padding=1)
    gc.disable()  # as timeit does: a collection left over from one contender must not land in another's time
    try:
        for layout in ("flat", "oblique"):
            print(f"{layout} layout, numbers on, median of {args.repeats} interleaved rounds:")
            for name, op in cases().items():
                contenders = {
                    "family": frames(FrameRenderer(op, layout=layout)),
                    "convolution": frames(FrameRenderer(reference, layout=layout)),
                    "family renderer": lambda op=op, layout=layout: FrameRenderer(op, layout=layout),
                    "convolution renderer": lambda layout=layout: FrameRenderer(reference, layout=layout),
                }
                times = {key: value * 1e3 for key, value in interleaved_medians(contenders, args.repeats).items()}
                ours, conv = times["family"], times["convolution"]
                print(
                    f"  {name:40s} frame {ours:5.2f} ms ({ours / conv:4.2f}× the convolution's {conv:5.2f} ms)  "
                    f"target < {TARGET_MS} ms  {verdict(ours < TARGET_MS)}"
                )
                build, conv_build = times["family renderer"], times["convolution renderer"]
                print(f"  {'':40s} FrameRenderer() {build:6.1f} ms (the convolution's {conv_build:6.1f} ms)")
    finally:
        gc.enable()


if __name__ == "__main__":
    main()
