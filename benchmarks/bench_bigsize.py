"""Large inputs: a frame of a 130×200 photo, the lesson photo's default GIF, and a 2 304-step export's memory.

Run: ``python benchmarks/bench_bigsize.py [--rounds N] [--skip-export]``

1. A frame of a 130×200 grey photo (sharpened, clamped), drawn as pictures with
   a magnifier in a 1920×1080 frame, flat and oblique: the median time of
   ``FrameRenderer.frame`` at steps spread over the run (target under 100 ms),
   interleaved with the same call for a 5×5 input (the lesson's numbered cells)
   as the reference; and building the renderer once. The same for the scatter view of a
   transposed convolution of a 130×200 input (stride 2), for a 20 000-sample 1-D
   signal drawn as plots, and for a CNN layer of two 3×3×3 filters over the 130×200
   colour photo (its reference: a 5×5×3 layer's numbered cells).
2. ``convviz animate --values photo --kernel sharpen --clip auto`` (the whole
   lesson photo, 234×200, 300 sampled frames, GIF) in a child process: its time
   (target under 20 s) and peak resident memory (target under 500 MB).
3. Every step of a 48×48 input (2 304 frames, 1920×1080 at most) and 500 of them,
   each in a child process: the peak memory must not grow with the frames
   (target: within 10 % of each other).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from timing import interleaved_medians, verdict

import visualizer as vz
from visualizer.images import sample_photo
from visualizer.render.frame import FrameRenderer

ROOT = Path(__file__).resolve().parents[1]

_EXPORT = """
import json, sys, time
import numpy as np
from visualizer import Convolution
from visualizer.render.export import save_animation

frames, path = int(sys.argv[1]), sys.argv[2]
conv = Convolution(np.arange(48 * 48).reshape(48, 48) % 10, np.ones((3, 3)), padding=1)
start = time.perf_counter()
save_animation(conv, path, max_frames=None if frames >= conv.num_steps else frames, progress=False)
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "peak_mib": peak / 1024}))
"""


def frames(rounds: int) -> None:
    photo = vz.Convolution(sample_photo(grey=True)[:130], vz.KERNELS["sharpen"], clip="auto")
    small = vz.Convolution(np.arange(25).reshape(5, 5) % 10, vz.KERNELS["sharpen"])
    timed("130×200", photo, small, rounds)
    rng = np.random.default_rng(0)
    scatter = vz.TransposedConvolution(rng.integers(0, 9, (130, 200)), np.ones((3, 3)), stride=2, view="scatter")
    little = vz.TransposedConvolution(np.arange(9).reshape(3, 3), np.ones((3, 3)), stride=2, view="scatter")
    timed("130×200 scatter", scatter, little, rounds)
    signal = vz.Convolution(rng.normal(size=20_000), np.ones(5) / 5, padding=2)
    timed("20 000-sample", signal, vz.Convolution(np.arange(8.0), np.ones(3)), rounds)
    layer = vz.ConvLayer(sample_photo()[:130], rng.integers(-2, 3, (3, 3, 3, 2)), bias=[0, 10], activation="relu")
    little_layer = vz.ConvLayer(np.arange(75).reshape(5, 5, 3) % 10, np.ones((3, 3, 3, 2)))
    timed("130×200×3 layer, 2 filters", layer, little_layer, rounds)


def timed(label: str, big_op, small_op, rounds: int) -> None:
    """The median frame time of ``big_op`` (target under 100 ms), interleaved with ``small_op``'s (numbered
    cells) as the reference, in both layouts; and building the renderer once."""
    for layout in ("flat", "oblique"):
        start = time.perf_counter()
        big = FrameRenderer(big_op, layout=layout)
        built = time.perf_counter() - start
        reference = FrameRenderer(small_op, layout=layout)
        steps = iter(np.linspace(0, big_op.num_steps - 1, 10 * rounds + 10).astype(int).tolist() * 2)
        little = iter(list(range(small_op.num_steps)) * (10 * rounds + 2))
        medians = interleaved_medians(
            {
                "big": lambda big=big, steps=steps: big.frame(next(steps)),
                "small": lambda reference=reference, little=little: reference.frame(next(little)),
            },
            repeats=rounds,
        )
        ms = 1000 * medians["big"]
        print(
            f"{layout:>7}: {label} frame {ms:6.1f} ms ({big.size[0]}×{big.size[1]} px; small frame "
            f"{1000 * medians['small']:.1f} ms, ratio {medians['big'] / medians['small']:.1f}); "
            f"renderer built in {1000 * built:.0f} ms; target < 100 ms {verdict(ms < 100)}"
        )


def child(command: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of ``command``, from /proc after it ends."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:  # the child's own VmHWM, read while it lives
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
            peak = max(peak, next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")))
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            pass
        time.sleep(0.05)
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(err)
    return time.perf_counter() - start, peak / 1024


def lesson_gif(folder: Path) -> None:
    command = [sys.executable, "-m", "visualizer", "animate", "--values", "photo", "--kernel", "sharpen"]
    command += ["--clip", "auto", "--quiet", "-o", str(folder / "photo.gif")]
    seconds, peak = child(command)
    size = (folder / "photo.gif").stat().st_size / 1e6
    ok = seconds < 20 and peak < 500
    print(f"lesson photo GIF (234×200, 300 frames): {seconds:.1f} s, peak {peak:.0f} MiB, {size:.1f} MB; "
          f"targets < 20 s and < 500 MB {verdict(ok)}")  # fmt: skip


def long_export(folder: Path) -> None:
    results = {}
    for count in (500, 2304):
        done = subprocess.run(
            [sys.executable, "-c", _EXPORT, str(count), str(folder / f"{count}.gif")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results[count] = json.loads(done.stdout.splitlines()[-1])
        r = results[count]
        print(f"48×48, {count:>5} frames: peak {r['peak_mib']:.0f} MiB, {r['seconds']:.1f} s "
              f"({1000 * r['seconds'] / count:.1f} ms a frame)")  # fmt: skip
    ratio = results[2304]["peak_mib"] / results[500]["peak_mib"]
    print(f"peak at 2 304 frames / at 500: {ratio:.3f} (target ≤ 1.10) {verdict(ratio <= 1.10)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed frames per contender (default 15)")
    parser.add_argument("--skip-export", action="store_true", help="only the frame timings")
    args = parser.parse_args()
    frames(args.rounds)
    if args.skip_export:
        return
    with tempfile.TemporaryDirectory() as folder:
        lesson_gif(Path(folder))
        long_export(Path(folder))


if __name__ == "__main__":
    main()
