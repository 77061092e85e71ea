"""Speed of ``conv_transpose`` against PyTorch's ``conv_transpose2d`` on one CPU thread.

Run: ``python benchmarks/bench_transposed.py`` (about 15 s on 2 cores; needs PyTorch).

Prints, with its target and PASS or MISS: ``vz.conv_transpose`` end to end
(construction and checks included) on a 512×512 float32 image with a 3×3 kernel
and stride 2, as a ratio to ``torch.nn.functional.conv_transpose2d`` with
``torch.set_num_threads(1)``; target ≤ 2. Other shapes follow for the record
(no target), and the cost of a step in each view.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from timing import interleaved_medians, verdict

import visualizer as vz

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed: nothing to compare against")

TARGET = 2.0


def torch_transposed(image: np.ndarray, kernel: np.ndarray, **params):
    """conv_transpose2d on tensors made once, channels as groups, as a layer would run it."""
    planes = image[..., None] if image.ndim == 2 else image
    stack = np.repeat(kernel[..., None], planes.shape[2], 2) if kernel.ndim == 2 else kernel
    x = torch.from_numpy(np.ascontiguousarray(planes.transpose(2, 0, 1)))[None]
    w = torch.from_numpy(np.ascontiguousarray(stack.transpose(2, 0, 1)))[:, None]
    return lambda: F.conv_transpose2d(x, w, groups=planes.shape[2], **params)


def compare(name: str, image: np.ndarray, kernel: np.ndarray, target: float | None = None, **params) -> None:
    ours = vz.conv_transpose(image, kernel, **params)
    theirs = torch_transposed(image, kernel, **params)()[0].numpy()
    theirs = theirs[0] if image.ndim == 2 else theirs.transpose(1, 2, 0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)
    times = interleaved_medians(
        {"vz": lambda: vz.conv_transpose(image, kernel, **params), "torch": torch_transposed(image, kernel, **params)}
    )
    ratio = times["vz"] / times["torch"]
    mark = f"target ≤ {target:g}  {verdict(ratio <= target)}" if target else "(for the record)"
    print(
        f"{name:44s} vz {times['vz'] * 1e3:7.2f} ms  torch {times['torch'] * 1e3:7.2f} ms  ratio {ratio:5.2f}  {mark}"
    )


def step_cost(view: str) -> float:
    """µs per step, building the operation and reading every step's value and window."""
    image = np.random.default_rng(1).random((48, 48), dtype=np.float32)
    start = time.perf_counter()
    up = vz.TransposedConvolution(image, np.ones((3, 3), np.float32), stride=2, view=view)
    for step in up.steps():
        step.value if view == "direct" else step.contribution  # noqa: B018
        step.window if view == "direct" else step.inside  # noqa: B018
    return (time.perf_counter() - start) / up.num_steps * 1e6


def main() -> None:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    photo = rng.random((512, 512), dtype=np.float32)
    k3 = rng.random((3, 3), dtype=np.float32)
    print(f"numpy {np.__version__}, torch {torch.__version__} on 1 thread")
    compare("512×512 float32, 3×3, stride 2", photo, k3, TARGET, stride=2)
    compare("512×512 float32, 3×3, stride 1", photo, k3, stride=1)
    compare("512×512 float32, 3×3, s 2, p 1, op 1", photo, k3, stride=2, padding=1, output_padding=1)
    compare(
        "512×512 float32, 5×5, stride 2, dilation 2", photo, rng.random((5, 5), dtype=np.float32), stride=2, dilation=2
    )
    colour = rng.random((512, 512, 3), dtype=np.float32)
    compare("512×512×3 float32, 3×3×3 stack, stride 2", colour, rng.random((3, 3, 3), dtype=np.float32), stride=2)
    for view in ("direct", "scatter"):
        print(f"steps, {view} view, 48×48 → 97×97: {step_cost(view):.2f} µs per step (for the record)")


if __name__ == "__main__":
    main()
