"""Speed of ``pool`` against NumPy's reshape-and-max one-liner, with PyTorch for the record.

Run: ``python benchmarks/bench_pooling.py`` (about 15 s on 2 cores).

Prints, with its target and PASS or MISS: ``vz.pool`` end to end (construction,
the finite check and the snapshot copy included), 2×2 max pooling of a
1024×1024 float32 image, as a ratio to ``a.reshape(512, 2, 512, 2).max(axis=(1, 3))``;
target ≤ 1. The ratio to ``torch.nn.functional.max_pool2d`` on one thread is
printed for the record, and so are other cases (average, padding, colour).
"""

from __future__ import annotations

import numpy as np
from timing import interleaved_medians, verdict

import visualizer as vz

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

TARGET = 1.0


def torch_pool(image: np.ndarray, mode: str, **params):
    planes = image[..., None] if image.ndim == 2 else image
    x = torch.from_numpy(np.ascontiguousarray(planes.transpose(2, 0, 1)))[None]
    pooling = F.max_pool2d if mode == "max" else F.avg_pool2d
    return lambda: pooling(x, **params)


def row(name: str, times: dict[str, float], against: str, target: float | None = None) -> None:
    ratio = times["vz"] / times[against]
    mark = f"target ≤ {target:g}  {verdict(ratio <= target)}" if target else "(for the record)"
    ours, theirs = times["vz"] * 1e3, times[against] * 1e3
    print(f"{name:48s} vz {ours:6.2f} ms  {against} {theirs:6.2f} ms  ratio {ratio:5.2f}  {mark}")


def main() -> None:
    rng = np.random.default_rng(0)
    a = rng.random((1024, 1024), dtype=np.float32)
    np.testing.assert_array_equal(vz.pool(a, 2), a.reshape(512, 2, 512, 2).max(axis=(1, 3)))
    contenders = {"vz": lambda: vz.pool(a, 2), "reshape": lambda: a.reshape(512, 2, 512, 2).max(axis=(1, 3))}
    if torch is not None:
        torch.set_num_threads(1)
        contenders["torch"] = torch_pool(a, "max", kernel_size=2)
    times = interleaved_medians(contenders)
    row("1024×1024 float32, 2×2 max", times, "reshape", TARGET)
    if torch is None:
        print("PyTorch is not installed: its ratios are left out")
        return
    row("1024×1024 float32, 2×2 max", times, "torch")
    print(f"numpy {np.__version__}, torch {torch.__version__} on 1 thread")
    colour = rng.random((1024, 1024, 3), dtype=np.float32)
    cases = [
        ("1024×1024 float32, 2×2 avg", a, dict(kernel_size=2), "avg"),
        ("1024×1024 float32, 3×3 max, stride 2, padding 1", a, dict(kernel_size=3, stride=2, padding=1), "max"),
        (
            "1024×1024 float32, 3×3 avg, s 2, p 1, ceil_mode",
            a,
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            "avg",
        ),
        ("1024×1024×3 float32, 2×2 max", colour, dict(kernel_size=2), "max"),
    ]
    for name, image, params, mode in cases:
        ours = dict(params, size=params.pop("kernel_size"), mode=mode)
        theirs = torch_pool(image, mode, kernel_size=ours["size"], **params)
        out = theirs()[0].numpy()
        np.testing.assert_allclose(vz.pool(image, **ours), out[0] if image.ndim == 2 else out.transpose(1, 2, 0), 1e-5)
        times = interleaved_medians({"vz": lambda image=image, ours=ours: vz.pool(image, **ours), "torch": theirs})
        row(name, times, "torch")


if __name__ == "__main__":
    main()
