"""The pictures of the documentation, each made by the package itself when the site is built.

Every maker takes the path to write and draws one picture with ``visualizer``;
:data:`PICTURES` names them for the ``picture`` directive (``convviz_docs``).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import visualizer as vz
from visualizer import cli, filters, images
from visualizer.gallery import GALLERY
from visualizer.learning_animation import KernelLearning
from visualizer.render.sheet import contact_sheet

# the transcript's worked example: a 4×5 grey image and its 3×3 kernel
LESSON_IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]])
LESSON_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def _lesson(**geometry) -> vz.Convolution:
    return vz.Convolution(LESSON_IMAGE, LESSON_KERNEL, **geometry)


def _gallery(name: str) -> vz.Convolution:
    return next(entry for entry in GALLERY if entry.name == name).operation()


def _front(path: Path) -> None:
    # exactly what the README's first command writes: `convviz animate` with its defaults
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(["animate", "--quiet", "-o", str(path)])
    if status != 0:
        raise RuntimeError(f"convviz animate exited with status {status}")


@functools.cache
def _sobel_learning() -> tuple:
    """Examples, their Sobel-x targets and the history of a kernel learned from them (learned once a build)."""
    sobel_x = vz.KERNELS["sobel_x"]
    examples = np.random.default_rng(1).standard_normal((4, 16, 16))
    targets = np.stack([vz.Convolution(example, sobel_x).result() for example in examples])
    return examples, targets, vz.learn.learn_kernel(examples, targets, steps=150)


def _learning(path: Path) -> None:
    """How gradient descent turns random weights into Sobel x, kernel by kernel."""
    sobel_x = vz.KERNELS["sobel_x"]
    _, _, history = _sobel_learning()
    panels = [
        (f"step {t}, error {history.losses[t]:.2g}", _kernel_picture(history.kernels[t])) for t in (0, 5, 20, 150)
    ]
    contact_sheet([*panels, ("Sobel x, the target", _kernel_picture(sobel_x))], columns=5).save(path)


def _kernel_picture(kernel: np.ndarray, cell: int = 32) -> np.ndarray:
    """A kernel as grey squares: −2.5 black, 0 mid-grey, +2.5 white (so that +2 stands out from the paper)."""
    grey = np.clip((np.asarray(kernel, float) + 2.5) / 5, 0, 1)
    return np.kron(grey, np.ones((cell, cell)))


def _save(sheet_maker: Callable[[], object]) -> Callable[[Path], None]:
    return lambda path: sheet_maker().save(path)


PICTURES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "front": ("convolution.gif", _front),
    "kernel": ("kernel.png", lambda path: vz.save_frame(_lesson(), 0, path)),
    "window": ("window.gif", lambda path: vz.save_animation(_lesson(), path, progress=False)),
    "products": ("products.png", lambda path: vz.save_animation(_lesson(), path, progress=False)),
    "stride": ("stride.gif", lambda path: vz.save_animation(_lesson(stride=2), path, fps=1, progress=False)),
    "formula": ("formula.png", lambda path: vz.save_frame(_lesson(), 5, path)),
    "clamping": (
        "clamping.gif",
        lambda path: vz.save_animation(_gallery("lesson_clamping_uint8"), path, progress=False),
    ),
    "padding": ("padding.gif", lambda path: vz.save_animation(_gallery("lesson_same_5x5"), path, progress=False)),
    "pad-modes": ("pad_modes.png", _save(lambda: filters.border_sheet(images.sample_photo(grey=True)))),
    "colour": (
        "colour.gif",
        lambda path: vz.save_animation(_gallery("lesson_colour_3x3x3"), path, progress=False),
    ),
    "filters": ("filters.png", _save(lambda: filters.filter_sheet(images.sample_photo(grey=True)))),
    "learning": ("learning.png", _learning),
}
"""name → (file name, maker)."""


def _learning_steps() -> KernelLearning:
    examples, targets, history = _sobel_learning()
    return KernelLearning(history, examples[0], targets[0], target_kernel=vz.KERNELS["sobel_x"], frames=20)


PLAYERS: dict[str, tuple[Callable[[], Any], dict]] = {
    "kernel": (_lesson, {}),
    "window": (_lesson, {"layout": "oblique", "numbers": False}),
    "products": (_lesson, {"shade": "values"}),
    "stride": (lambda: _lesson(stride=2), {}),
    "formula": (lambda: _lesson(stride=2, padding=1), {}),
    "clamping": (lambda: _gallery("lesson_clamping_uint8"), {}),
    "padding": (lambda: _gallery("lesson_same_5x5"), {}),
    "colour": (lambda: _gallery("lesson_colour_3x3x3"), {}),
    "filters": (lambda: vz.Convolution(images.photo_crop(8), vz.KERNELS["outline"], clip="auto"), {"shade": "values"}),
    "learning": (_learning_steps, {}),
}
"""name → (maker of the operation, style): each lesson section's player."""
