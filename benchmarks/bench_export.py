"""GIF export speed: ``save_animation`` against the plain matplotlib recipe, measured in the same run.

The subject is conv_arithmetic's full_padding_no_strides (5×5 input, 3×3 kernel,
padding 2: 49 frames) with numbers. The reference is what one writes without
this project: a ``FuncAnimation`` whose update function clears the axes and
redraws the same picture (grid, values, footprint with weights, output so far,
arithmetic line, header), saved with ``PillowWriter``. Runs alternate between
them; the medians give the ratios. Target: at least 50× faster, in the flat and
in the oblique layout.

    python benchmarks/bench_export.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

from visualizer import Convolution, save_animation  # noqa: E402
from visualizer.gallery import GALLERY  # noqa: E402
from visualizer.geometry import window_taps  # noqa: E402
from visualizer.render.frame import FrameRenderer  # noqa: E402
from visualizer.text import arithmetic, format_number  # noqa: E402

TARGET = 50.0
FPS = 2
INPUT, OUTPUT, SHADE, GRID = "#268BD2", "#2AA198", "#073642", "#002B36"


def matplotlib_recipe(conv: Convolution, path: Path, size: tuple[int, int]) -> None:
    """The plain recipe: clear and redraw every artist each frame, then PillowWriter."""
    fig, ax = plt.subplots(figsize=(size[0] / 100, size[1] / 100), dpi=100)
    fig.subplots_adjust(0, 0, 1, 1)
    padded, result = conv.padded, conv.result()
    rows, cols = padded.shape
    out_rows, out_cols = conv.output_shape
    steps = list(conv.steps())
    left = cols + 1  # the output grid starts one cell right of the input

    def draw(k: int) -> None:
        ax.clear()
        ax.set_axis_off()
        ax.set_xlim(-0.3, left + out_cols + 0.3)
        ax.set_ylim(rows + 1.5, -2.2)
        ax.set_aspect("equal")
        step = steps[k]
        ax.text(0, -1.6, conv.describe(), fontsize=9)
        ax.text(0, -0.9, "    ".join(conv.formula()), fontsize=9)
        for r in range(rows):
            for c in range(cols):
                pad = conv.is_padding(r, c)
                ax.add_patch(
                    Rectangle(
                        (c, r), 1, 1, facecolor="none" if pad else INPUT, edgecolor=GRID, ls="--" if pad else "-", lw=1
                    )
                )
                ax.text(c + 0.5, r + 0.5, format_number(padded[r, c]), ha="center", va="center", fontsize=9)
        tap_rows, tap_cols = window_taps(step.origin, conv.kernel.shape, conv.dilation)
        for u, r in enumerate(tap_rows):
            for v, c in enumerate(tap_cols):
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=SHADE, alpha=0.4))
                ax.text(c + 0.85, r + 0.85, format_number(step.kernel[u, v]), ha="center", va="center", fontsize=6)
        for index in range(out_rows * out_cols):
            i, j = divmod(index, out_cols)
            filled = index <= k
            ax.add_patch(Rectangle((left + j, i), 1, 1, facecolor=OUTPUT if filled else "none", edgecolor=GRID, lw=1))
            if filled:
                ax.text(left + j + 0.5, i + 0.5, format_number(result[i, j]), ha="center", va="center", fontsize=9)
        i, j = step.out_index
        ax.add_patch(Rectangle((left + j, i), 1, 1, facecolor=SHADE, alpha=0.4))
        ax.text(0, rows + 0.9, f"out[{i}, {j}] = {arithmetic(step)}", fontsize=9)

    animation = FuncAnimation(fig, draw, frames=len(steps))
    animation.save(path, writer=PillowWriter(fps=FPS))
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each method, interleaved (default 3)")
    args = parser.parse_args()
    entry = next(e for e in GALLERY if e.name == "full_padding_no_strides_numbers")
    conv = entry.operation()
    size = FrameRenderer(conv).size
    layouts = ("flat", "oblique")
    times: dict[str, list[float]] = {**{layout: [] for layout in layouts}, "matplotlib": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for layout in layouts:
                start = time.perf_counter()
                save_animation(conv, Path(folder, f"{layout}.gif"), fps=FPS, layout=layout, progress=False)
                times[layout].append(time.perf_counter() - start)
            start = time.perf_counter()
            matplotlib_recipe(conv, Path(folder, "recipe.gif"), size)
            times["matplotlib"].append(time.perf_counter() - start)
        for name in ("flat.gif", "oblique.gif", "recipe.gif"):  # each must have drawn every step
            with Image.open(Path(folder, name)) as gif:
                assert gif.n_frames == conv.num_steps, f"{name} has {gif.n_frames} frames, not {conv.num_steps}"
    medians = {name: statistics.median(values) for name, values in times.items()}
    recipe, frames = medians["matplotlib"], conv.num_steps
    print(f"GIF of {entry.name} ({frames} frames, {size[0]}×{size[1]} px), median of {args.rounds} interleaved runs:")
    for layout in layouts:
        ours = medians[layout]
        ratio = recipe / ours
        verdict = "PASS" if ratio >= TARGET else "MISS"
        print(
            f"  save_animation, {layout:<8} {ours * 1000:8.1f} ms  ({ours / frames * 1000:.1f} ms a frame)"
            f"  {ratio:5.1f}× faster (target ≥ {TARGET:g}×): {verdict}"
        )
    print(f"  matplotlib FuncAnimation {recipe * 1000:8.1f} ms  ({recipe / frames * 1000:.1f} ms a frame)")


if __name__ == "__main__":
    main()
