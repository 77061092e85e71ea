"""Memory of a long export: every step of a 48×48 input (2 304 frames) written as a GIF, frames streamed.

Each run is a fresh child process that reports its peak resident memory
(VmHWM) and its time. The subject is ``save_animation`` in the plain style
(no numbers) at the default theme, its cells shrunk to fit 1920×1080 (``max_size=None``
gives conv_arithmetic's full-size cells: 4388×2234 px). It runs for 500
frames (sampled) and for all 2 304; streamed, the peak should not grow with the
frames (target: the 2 304-frame peak within 10 % of the 500-frame one). The
reference is Pillow's own ``save_all`` over the same frames, which holds every
frame until the last: run for a few frames, it shows what each held frame costs.

    python benchmarks/bench_budget.py [--reference-frames 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET = 1.10  # peak at 2 304 frames over peak at 500

_CHILD = """
import json, sys, time
import numpy as np
from visualizer import Convolution
from visualizer.render.export import save_animation
from visualizer.render.frame import FrameRenderer

how, frames, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conv = Convolution(np.arange(48 * 48).reshape(48, 48) % 10, np.ones((3, 3)), padding=1)
start = time.perf_counter()
if how == "streamed":
    save_animation(conv, path, max_frames=None if frames >= conv.num_steps else frames, numbers=False, progress=False)
else:  # Pillow's save_all: every frame kept until the file is written
    renderer = FrameRenderer(conv, numbers=False)
    images = [renderer.frame(k) for k in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:], duration=500, loop=0, optimize=True)
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "peak_mib": peak / 1024}))
"""


def run(how: str, frames: int, folder: Path) -> dict[str, float]:
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", _CHILD, how, str(frames), str(folder / f"{how}{frames}.gif")]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-frames", type=int, default=60, help="frames Pillow's save_all holds (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        few = run("streamed", 500, Path(folder))
        every = run("streamed", 2304, Path(folder))
        one = run("held", 1, Path(folder))
        held = run("held", args.reference_frames, Path(folder))
    for name, result, frames in (("streamed", few, 500), ("streamed", every, 2304)):
        print(
            f"{name:>8}, {frames:>5} frames: peak {result['peak_mib']:7.1f} MiB, {result['seconds']:6.1f} s "
            f"({1000 * result['seconds'] / frames:.1f} ms a frame)"
        )
    per_frame = (held["peak_mib"] - one["peak_mib"]) / (args.reference_frames - 1)
    print(
        f"    held, {args.reference_frames:>5} frames: peak {held['peak_mib']:7.1f} MiB "
        f"({per_frame:.1f} MiB more a frame: {per_frame * 2304 / 1024:.1f} GiB for all 2 304)"
    )
    ratio = every["peak_mib"] / few["peak_mib"]
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"peak at 2 304 frames / peak at 500: {ratio:.3f} (target ≤ {TARGET}) {verdict}")


if __name__ == "__main__":
    main()
