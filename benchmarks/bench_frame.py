"""How fast one frame is drawn, flat, oblique and as SVG, against a plain matplotlib drawing of the same picture.

Run: ``python benchmarks/bench_frame.py [--rounds N]``

For conv_arithmetic's same_padding_no_strides (5×5 input padded to 7×7, 3×3 kernel)
and full_padding_no_strides (padded to 9×9) it prints the median time of
``FrameRenderer.frame`` in the flat and the oblique layout (the still parts drawn
once), of ``render_frame`` (which keeps the renderer of a live convolution), of
building a ``FrameRenderer`` (text glyphs are shared between renderers, so also
with that cache emptied), of one step's scene written as SVG, and of the plain
recipe: matplotlib clearing and redrawing the whole picture (rectangles and
numbers) each frame. The runs are interleaved so that the machine's noise hits
every method alike; the ratios are the figures to read. Targets for the 7×7
padded input: flat under 5 ms, oblique under 15 ms, SVG under 50 ms; and a
49-page PDF handout of full_padding_no_strides under 5 s.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

import visualizer as vz  # noqa: E402
from visualizer.render import (  # noqa: E402
    FrameRenderer,
    raster,  # noqa: E402
    render_frame,
)
from visualizer.render.vector import svg_text  # noqa: E402
from visualizer.text import arithmetic, format_number  # noqa: E402

BLUE, CYAN, SHADE = "#268BD2", "#2AA198", "#073642"


def matplotlib_frame(fig, ax, conv: vz.Convolution, k: int) -> Image.Image:
    """The plain recipe: clear, draw every cell and number again, render, copy out."""
    step = conv.step(k)
    ax.clear()
    ax.set_axis_off()
    rows, cols = conv.padded.shape
    taps = {(step.origin[0] + u, step.origin[1] + v) for u in range(3) for v in range(3)}
    for r in range(rows):
        for c in range(cols):
            pad = conv.is_padding(r, c)
            ax.add_patch(Rectangle((c, -r), 1, 1, fill=not pad, fc=BLUE, ec="#002B36", ls="--" if pad else "-"))
            if (r, c) in taps:
                ax.add_patch(Rectangle((c, -r), 1, 1, fc=SHADE, alpha=0.4))
            ax.text(c + 0.5, -r + 0.5, format_number(conv.padded[r, c]), ha="center", va="center")
    out_rows, out_cols = conv.output_shape
    result = conv.result()
    for index in range(k + 1):
        i, j = divmod(index, out_cols)
        ax.add_patch(Rectangle((cols + 1 + j, -i), 1, 1, fc=CYAN, ec="#002B36"))
        ax.text(cols + 1.5 + j, -i + 0.5, format_number(result[i, j]), ha="center", va="center")
    ax.text(0, -rows - 0.5, arithmetic(step), fontsize=9)
    ax.set_xlim(-0.5, cols + out_cols + 1.5)
    ax.set_ylim(-rows - 1, 1.5)
    fig.canvas.draw()
    return Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()).convert("RGB")


def timed(function, *args) -> float:
    # as timeit does: a garbage collection left over from the method timed before must not land here
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        function(*args)
        return (time.perf_counter() - start) * 1000
    finally:
        gc.enable()


def svg_frame(renderer: FrameRenderer, k: int) -> str:
    return svg_text(renderer.builder.scene(k))


def bench(name: str, conv: vz.Convolution, rounds: int) -> None:
    renderer = FrameRenderer(conv)
    oblique = FrameRenderer(conv, layout="oblique")
    fig, ax = plt.subplots(figsize=(7.8, 5.6), dpi=100)
    times: dict[str, list[float]] = {
        "frame, flat": [],
        "frame, oblique": [],
        "render_frame": [],
        "svg frame": [],
        "FrameRenderer()": [],
        "... cold glyphs": [],
        "matplotlib": [],
    }
    for round_ in range(rounds):
        k = round_ % conv.num_steps
        times["frame, flat"].append(timed(renderer.frame, k))
        times["matplotlib"].append(timed(matplotlib_frame, fig, ax, conv, k))
        times["frame, oblique"].append(timed(oblique.frame, k))
        times["render_frame"].append(timed(render_frame, conv, k))
        times["svg frame"].append(timed(svg_frame, renderer, k))
        times["FrameRenderer()"].append(timed(FrameRenderer, conv))
        raster._coverage.cache_clear()  # as on first use: no text rasterised yet
        times["... cold glyphs"].append(timed(FrameRenderer, conv))
    plt.close(fig)
    medians = {key: statistics.median(values) for key, values in times.items()}
    reference = medians["matplotlib"]
    print(f"{name}: padded {conv.padded.shape[0]}×{conv.padded.shape[1]}, {conv.num_steps} steps, {rounds} rounds")
    for key, value in medians.items():
        print(f"  {key:<16} {value:7.2f} ms   {reference / value:5.1f}× faster than matplotlib")
    for key, target in (("frame, flat", 5), ("frame, oblique", 15), ("svg frame", 50)):
        verdict = "meets" if medians[key] < target else "MISSES"
        print(f"  {key} {verdict} the {target} ms target ({medians[key]:.2f} ms)")


def bench_handout(conv: vz.Convolution, repeats: int = 3) -> None:
    """A PDF handout, one vector page per step, written whole (fpdf2 imported and fonts embedded each time)."""
    import tempfile
    from pathlib import Path

    times = []
    with tempfile.TemporaryDirectory() as root:
        for _ in range(repeats):
            start = time.perf_counter()
            vz.save_animation(conv, Path(root) / "handout.pdf", progress=False)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    verdict = "meets" if median < 5 else "MISSES"
    print(f"PDF handout, {conv.num_steps} pages: {median:.2f} s (median of {repeats}); {verdict} the 5 s target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="timed rounds per method (default 60)")
    args = parser.parse_args()
    image = np.random.default_rng(0).integers(0, 10, (5, 5))
    weights = np.random.default_rng(1).integers(0, 3, (3, 3))
    bench("same_padding_no_strides", vz.Convolution(image, weights, padding=1), args.rounds)
    bench("full_padding_no_strides", vz.Convolution(image, weights, padding=2), args.rounds)
    bench_handout(vz.Convolution(image, weights, padding=2))


if __name__ == "__main__":
    main()
