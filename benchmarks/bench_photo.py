"""Speed of filtering photos, against scipy.ndimage measured in the same run.

Run: ``python benchmarks/bench_photo.py`` (about half a minute on 2 cores).

Prints, each with its target and PASS or MISS:

- a 1024×1024 RGB ``uint8`` photo filtered with the lesson's 3×3×3 stack (blur red,
  sharpen green, outline blue; padding "same", pad_mode "replicate"): ``filter_image``
  (sums, clamp to 0…255, rounding, clipping counts) as a ratio to
  ``scipy.ndimage.correlate`` channel by channel with a ``uint8`` output (SciPy's
  cheapest form of the same filter, which wraps instead of clamping); target ≤ 0.5.
  ``convolve`` alone (raw sums) and SciPy with float64 output are printed for the record.
- re-filtering a 512×512 RGB photo after one kernel weight changes, as a live widget
  does: median ms of ``filter_image`` with a new kernel each time; target < 50 ms,
  with SciPy's time for the same filter beside it.

Timings interleave the contenders repetition by repetition and report medians.
"""

from __future__ import annotations

import sys

import numpy as np
from bench_engine import interleaved_medians, verdict
from scipy import ndimage

import visualizer
from visualizer.filters import LESSON_CHANNELS, filter_image, kernel_stack
from visualizer.images import sample_photo

STACK_TARGET = 0.5
REFILTER_TARGET_MS = 50.0


def photo(size: int) -> np.ndarray:
    """A size×size RGB crop of the sample photo, enlarged: real texture, not noise."""
    return np.ascontiguousarray(sample_photo(width=size)[:size])


def scipy_per_channel(image: np.ndarray, stack: np.ndarray, output: type) -> np.ndarray:
    out = np.empty(image.shape, dtype=output)
    for c in range(image.shape[2]):
        ndimage.correlate(image[..., c], stack[..., c], output=out[..., c], mode="nearest")
    return out


def bench_stack() -> bool:
    image, stack = photo(1024), kernel_stack(LESSON_CHANNELS).astype(np.float64)
    contenders = {
        "filter_image": lambda: filter_image(image, stack),
        "convolve": lambda: visualizer.convolve(image, stack, padding="same", pad_mode="replicate"),
        "ndimage uint8": lambda: scipy_per_channel(image, stack, np.uint8),
        "ndimage float64": lambda: scipy_per_channel(image, stack, np.float64),
    }
    # the same filter: check the answers agree before timing them
    reference = scipy_per_channel(image, stack, np.float64)
    assert np.array_equal(filter_image(image, stack).image, np.clip(np.rint(reference), 0, 255).astype(np.uint8))
    ms = {name: seconds * 1e3 for name, seconds in interleaved_medians(contenders, repeats=15).items()}
    ratio = ms["filter_image"] / ms["ndimage uint8"]
    ok = ratio <= STACK_TARGET
    print(f"1024x1024 RGB uint8, 3x3x3 stack {'/'.join(LESSON_CHANNELS)}, replicate (median of 15, interleaved)")
    for name, value in ms.items():
        print(f"  {name:<16} {value:7.2f} ms")
    print(f"  filter_image / ndimage uint8 = {ratio:.2f} (target <= {STACK_TARGET}) {verdict(ok)}")
    print(
        f"  [convolve / ndimage uint8 = {ms['convolve'] / ms['ndimage uint8']:.2f}, "
        f"filter_image / ndimage float64 = {ms['filter_image'] / ms['ndimage float64']:.2f}]"
    )
    return ok


def bench_refilter() -> bool:
    image = photo(512)
    stack = kernel_stack(LESSON_CHANNELS).astype(np.float64)
    state = {"weight": 0}

    def changed_kernel() -> np.ndarray:
        # a slider moves: the centre weight of the green (sharpen) kernel changes every time
        state["weight"] += 1
        kernel = stack.copy()
        kernel[1, 1, 1] = 5 + (state["weight"] % 7) / 10
        return kernel

    ms = {
        name: seconds * 1e3
        for name, seconds in interleaved_medians(
            {
                "filter_image": lambda: filter_image(image, changed_kernel()),
                "ndimage uint8": lambda: scipy_per_channel(image, changed_kernel(), np.uint8),
            },
            repeats=31,
        ).items()
    }
    ok = ms["filter_image"] < REFILTER_TARGET_MS
    print(
        f"re-filter 512x512 RGB after a weight change: filter_image {ms['filter_image']:.2f} ms "
        f"(target < {REFILTER_TARGET_MS:.0f} ms) {verdict(ok)}  [ndimage uint8 {ms['ndimage uint8']:.2f} ms, "
        f"ratio {ms['filter_image'] / ms['ndimage uint8']:.2f}]"
    )
    return ok


def main() -> int:
    results = [bench_stack(), bench_refilter()]
    print("all targets met" if all(results) else "some targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
