"""Speed of the engine against references measured in the same run.

Run: ``python benchmarks/bench_engine.py`` (about half a minute on 2 cores).

Prints, each with its target and PASS or MISS:

- ``convolve()`` end to end (checks, padding and all: what users call) on 1024×1024
  float32 images (3×3, 5×5, 7×7 kernels, padding "same", zeros) and on a 1024×1024×3
  image with a 3×3×3 stack (channel c uses kernel[..., c]), as a ratio to
  ``scipy.ndimage.correlate`` doing the same work (channel by channel for colour);
  target ≤ 0.5. For the record: ``result()`` of an already-built ``Convolution`` (as
  when a user steps through it and then wants the whole output) and, when ``cv2`` is
  importable, the ratio to OpenCV's ``filter2D`` (not a dependency:
  ``pip install opencv-python-headless`` to see it).
- ``steps()`` over a 130×200 image with a 3×3 kernel, reading every value: µs per step
  (construction included); target ≤ 1 µs.
- ``import visualizer`` in a fresh interpreter, less a bare interpreter's start:
  target < 0.3 s, and neither matplotlib nor ipywidgets imported.

Timings interleave the contenders repetition by repetition and report medians, so a
noisy neighbour on the machine slows all of them alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
from scipy import ndimage

import visualizer

try:
    import cv2
except ImportError:
    cv2 = None

REPEATS = 25
CONV_TARGET = 0.5
STEP_TARGET_US = 1.0
IMPORT_TARGET_S = 0.3


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def interleaved_medians(contenders: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict[str, float]:
    """Median seconds per call of each contender, timed in turn within each repetition."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm up: first-touch page faults, imports, caches
        fn()
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def per_channel(correlate: Callable[[np.ndarray, np.ndarray], np.ndarray], image: np.ndarray, kernel: np.ndarray):
    """Apply a single-plane reference to every channel, with that channel's kernel."""
    if image.ndim == 2:
        return correlate(image, kernel)
    out = np.empty_like(image)
    for c in range(image.shape[2]):
        out[..., c] = correlate(image[..., c], kernel[..., c] if kernel.ndim == 3 else kernel)
    return out


def ndimage_same(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return ndimage.correlate(image, kernel, mode="constant", cval=0.0)


def cv2_same(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return cv2.filter2D(np.ascontiguousarray(image), -1, kernel, borderType=cv2.BORDER_CONSTANT)


def bench_convolution(rng: np.random.Generator) -> bool:
    print(f"padding='same', pad_mode='zeros', float32 (median of {REPEATS}, interleaved)")
    print("  convolve() end to end (target) | result() of a built Convolution | OpenCV (for the record)")
    grey = rng.random((1024, 1024), dtype=np.float32)
    colour = rng.random((1024, 1024, 3), dtype=np.float32)
    cases = [
        ("1024x1024, 3x3", grey, rng.standard_normal((3, 3)).astype(np.float32)),
        ("1024x1024, 5x5", grey, rng.standard_normal((5, 5)).astype(np.float32)),
        ("1024x1024, 7x7", grey, rng.standard_normal((7, 7)).astype(np.float32)),
        ("1024x1024x3, 3x3x3", colour, rng.standard_normal((3, 3, 3)).astype(np.float32)),
    ]
    all_ok = True
    for label, image, kernel in cases:
        conv = visualizer.Convolution(image, kernel, padding="same")
        contenders = {
            "convolve": lambda image=image, kernel=kernel: visualizer.convolve(image, kernel, padding="same"),
            "ndimage": lambda image=image, kernel=kernel: per_channel(ndimage_same, image, kernel),
            "result": conv.result,
        }
        if cv2 is not None:
            contenders["cv2"] = lambda image=image, kernel=kernel: per_channel(cv2_same, image, kernel)
        # the same work: check the answers agree before timing them
        expected = contenders["ndimage"]()
        np.testing.assert_allclose(contenders["convolve"](), expected, rtol=1e-4, atol=1e-4)
        np.testing.assert_array_equal(contenders["result"](), contenders["convolve"]())
        if cv2 is not None:
            np.testing.assert_allclose(contenders["cv2"](), expected, rtol=1e-4, atol=1e-4)
        ms = {name: seconds * 1e3 for name, seconds in interleaved_medians(contenders).items()}
        ratio = ms["convolve"] / ms["ndimage"]
        ok = ratio <= CONV_TARGET
        all_ok &= ok
        line = (
            f"  {label:<20} convolve() {ms['convolve']:6.2f} ms  ndimage {ms['ndimage']:6.2f} ms  "
            f"convolve()/ndimage = {ratio:.2f} (target <= {CONV_TARGET}) {verdict(ok)}  |  "
            f"result() {ms['result']:6.2f} ms, result()/ndimage = {ms['result'] / ms['ndimage']:.2f}"
        )
        if cv2 is not None:
            line += f"  |  cv2.filter2D {ms['cv2']:.2f} ms, convolve()/cv2 = {ms['convolve'] / ms['cv2']:.1f}"
        print(line)
    if cv2 is None:
        print("  (cv2 not importable: no OpenCV figures; pip install opencv-python-headless to see them)")
    return all_ok


def bench_steps(rng: np.random.Generator) -> bool:
    image = rng.integers(0, 256, (130, 200), dtype=np.uint8)
    kernel = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])

    def walk() -> int:
        count = 0
        for step in visualizer.Convolution(image, kernel, padding="same").steps():
            step.value  # noqa: B018 - reading the value is the work being timed
            count += 1
        return count

    num_steps = walk()
    per_step_us = interleaved_medians({"steps": walk}, repeats=9)["steps"] / num_steps * 1e6
    ok = per_step_us <= STEP_TARGET_US
    print(
        f"steps() over 130x200, 3x3, {num_steps} steps: {per_step_us:.2f} us/step "
        f"(target <= {STEP_TARGET_US}) {verdict(ok)}"
    )
    return ok


def bench_import() -> bool:
    probe = "import sys, visualizer; print(sorted({'matplotlib', 'ipywidgets'} & set(sys.modules)))"
    heavy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    seconds = interleaved_medians(
        {
            "import": lambda: subprocess.run([sys.executable, "-c", "import visualizer"], check=True),
            "bare": lambda: subprocess.run([sys.executable, "-c", "pass"], check=True),
        },
        repeats=7,
    )
    cost = seconds["import"] - seconds["bare"]
    ok = cost < IMPORT_TARGET_S and heavy == "[]"
    print(
        f"import visualizer: {cost:.3f} s over a bare interpreter (target < {IMPORT_TARGET_S} s); "
        f"heavy modules imported: {heavy} (target []) {verdict(ok)}"
    )
    return ok


def main() -> int:
    rng = np.random.default_rng(0)
    if hasattr(os, "getloadavg"):  # a busy machine shows in every figure: say how busy it was
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    results = [bench_convolution(rng), bench_steps(rng), bench_import()]
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    print("all targets met" if all(results) else "some targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
