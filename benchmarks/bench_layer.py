"""Speed of ConvLayer.result() against PyTorch's conv2d, both on one CPU thread.

Run: ``python benchmarks/bench_layer.py`` (about 20 s on 2 cores; needs torch).

Prints, each as a ratio to ``torch.nn.functional.conv2d`` doing the same work in the
same run (its input already a tensor, its padding done inside conv2d):

- the target case: ``result()`` of a built ``ConvLayer`` on a 256×256×16 float32 image,
  32 filters 3×3, padding "same", bias; target ≤ 2;
- for the record (no target): the same with ReLU, stride 2, dilation 2, 4 groups,
  depthwise (16 groups), a pointwise 1×1 layer, and ``conv_layer`` end to end (the
  layer built, its input padded, every check made).

NumPy's BLAS and PyTorch are both held to one thread (``OPENBLAS_NUM_THREADS=1`` and
friends are set before NumPy loads; ``torch.set_num_threads(1)``), so the figure
compares the arithmetic, not how many cores each grabs. Timings interleave the
contenders repetition by repetition and report medians, so a noisy neighbour on the
machine slows both alike.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # before NumPy loads its BLAS

import statistics  # noqa: E402 - after the thread settings above
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

import visualizer as vz  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

REPEATS = 21
TARGET = 2.0


def interleaved_medians(contenders: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict[str, float]:
    """Median seconds per call of each contender, timed in turn within each repetition."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm up: first-touch page faults, caches
        fn()
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def case(rng: np.random.Generator, label: str, kernel: int = 3, groups: int = 1, **params) -> tuple[bool, float]:
    """Time result() against conv2d on 256×256×16 → 32 channels; return (results agree, ratio)."""
    image = rng.standard_normal((256, 256, 16), dtype=np.float32)
    weights = rng.standard_normal((kernel, kernel, 16 // groups, 32), dtype=np.float32)
    bias = rng.standard_normal(32, dtype=np.float32)
    layer = vz.ConvLayer(image, weights, bias, groups=groups, **params)
    t = layer.to_torch()
    activation = F.relu if layer.activation == "relu" else (lambda x: x)
    symmetric = t.pad["pad"][0] == t.pad["pad"][1] and t.pad["pad"][2] == t.pad["pad"][3]
    assert symmetric, "the benchmark's cases pad alike on both sides, as conv2d's own padding does"
    padding = (t.pad["pad"][2], t.pad["pad"][0])

    def torch_conv():
        return activation(F.conv2d(t.input, t.weight, t.bias, padding=padding, **t.conv))

    contenders = {
        "result": layer.result,
        "torch": torch_conv,
        "conv_layer": lambda: vz.conv_layer(image, weights, bias=bias, groups=groups, **params),
    }
    expected = torch_conv()[0].permute(1, 2, 0).numpy()
    agree = np.allclose(layer.result(), expected, rtol=1e-4, atol=1e-3)
    medians = interleaved_medians(contenders)
    ratio = medians["result"] / medians["torch"]
    print(
        f"  {label:<34} result() {medians['result'] * 1e3:6.2f} ms  conv2d {medians['torch'] * 1e3:6.2f} ms  "
        f"ratio {ratio:4.2f}  |  conv_layer() end to end {medians['conv_layer'] * 1e3:6.2f} ms, "
        f"ratio {medians['conv_layer'] / medians['torch']:4.2f}{'' if agree else '  RESULTS DIFFER'}"
    )
    return agree, ratio


def main() -> int:
    if torch is None:
        print("PyTorch is not importable: nothing to compare against")
        return 1
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    if hasattr(os, "getloadavg"):  # a busy machine shows in every figure: say how busy it was
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    print(f"256x256x16 float32 -> 32 filters, bias, one thread each (median of {REPEATS}, interleaved)")
    agree, ratio = case(rng, "3x3, padding same (target)", padding="same")
    ok = agree and ratio <= TARGET
    print(f"  target: result()/conv2d = {ratio:.2f} <= {TARGET}: {'PASS' if ok else 'MISS'}")
    print("for the record:")
    record = [
        case(rng, "3x3, same, relu", padding="same", activation="relu"),
        case(rng, "3x3, stride 2, padding 1", stride=2, padding=1),
        case(rng, "3x3, dilation 2, padding 2", dilation=2, padding=2),
        case(rng, "3x3, 4 groups, same", groups=4, padding="same"),
        case(rng, "3x3, depthwise (16 groups), same", groups=16, padding="same"),
        case(rng, "1x1 pointwise", kernel=1),
        case(rng, "5x5, padding same", kernel=5, padding="same"),
    ]
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    all_agree = agree and all(a for a, _ in record)
    print("all results agree with conv2d" if all_agree else "SOME RESULTS DIFFER FROM conv2d")
    return 0 if ok and all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
