"""Watching a kernel being learned: :func:`~visualizer.learn.learn_kernel`'s history as frames.

:class:`KernelLearning` wraps a :class:`~visualizer.learn.KernelHistory` in the
protocol every exporter reads (``num_steps``, ``step(i)``, ``steps()``,
``describe()``), one step per frame: the kernel after ``t`` updates, its loss, and
what it makes of one example image. Its scene (:mod:`visualizer.scenes.learning`)
shows the weights as numbers converging to the target kernel, the loss so far,
and the current kernel's output next to the target output; the painters stay
the same. :func:`animate_learning` writes it as a GIF, HTML player, PDF, ….

>>> import numpy as np
>>> from visualizer import Convolution, learn
>>> images = np.random.default_rng(0).standard_normal((4, 10, 10))
>>> sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
>>> targets = np.stack([Convolution(im, sobel_x).result() for im in images])
>>> movie = KernelLearning(learn.learn_kernel(images, targets, steps=150), images[0], targets[0], sobel_x, frames=10)
>>> movie.num_steps, movie.step(0).iteration, movie.step(-1).iteration
(10, 0, 150)
>>> bool(abs(movie.step(-1).output - targets[0]).max() < 1e-3)
True
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from .convolution import Convolution
from .learn import KernelHistory


@dataclass(frozen=True)
class LearningStep:
    """One frame: the kernel after ``iteration`` updates, its loss, and its output on the example image."""

    index: int
    iteration: int
    kernel: np.ndarray
    loss: float
    output: np.ndarray


class KernelLearning:
    """A kernel's learning, frame by frame (see the module's description).

    Parameters
    ----------
    history : KernelHistory
        From :func:`~visualizer.learn.learn_kernel`.
    image : array_like
        One ``(H, W)`` example the frames show the kernels working on.
    target : array_like
        What the learned kernel should make of ``image``: the target output.
    target_kernel : array_like or None
        The kernel the learning should find, when it is known (shown beside the learned one).
    frames : int or sequence of int
        How many frames (the updates shown are spread out, denser at the start where the
        kernel changes most), or the update numbers to show, increasing.
    **geometry
        ``stride``, ``padding``, ``pad_mode``, ``dilation``: as the learning used.
    """

    def __init__(
        self,
        history: KernelHistory,
        image: Any,
        target: Any,
        target_kernel: Any = None,
        frames: int | Sequence[int] = 40,
        **geometry: Any,
    ):
        if not isinstance(history, KernelHistory):
            raise TypeError(f"history must be a KernelHistory from learn.learn_kernel, got {type(history).__name__}")
        self.history = history
        kernel_shape = history.kernels.shape[1:]
        # a Convolution of the example checks the image and the geometry once
        self._example = Convolution(image, np.zeros(kernel_shape), **geometry)
        if self._example.image.ndim != 2:
            raise ValueError(f"image must be one grey (H, W) picture, got shape {self._example.image.shape}")
        self.image = self._example.image
        self.target = np.asarray(target, dtype=float)
        if self.target.shape != self._example.output_shape:
            raise ValueError(
                f"target must be the image's output, shape {self._example.output_shape}; got {self.target.shape}"
            )
        self.target_kernel = None if target_kernel is None else np.asarray(target_kernel, dtype=float)
        if self.target_kernel is not None and self.target_kernel.shape != kernel_shape:
            raise ValueError(
                f"target_kernel must have the kernels' shape {kernel_shape}, got {self.target_kernel.shape}"
            )
        self.iterations = _frames(frames, len(history.kernels) - 1)
        self.geometry = geometry

    @property
    def num_steps(self) -> int:
        return len(self.iterations)

    def __len__(self) -> int:
        return self.num_steps

    @property
    def updates(self) -> int:
        """How many updates the learning made."""
        return len(self.history.kernels) - 1

    def step(self, index: int) -> LearningStep:
        """Frame ``index`` (negative counts from the end)."""
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"index must be an int, got {index!r}")
        n = self.num_steps
        if not -n <= index < n:
            raise IndexError(f"step index must be in -{n}…{n - 1}, got {index}")
        index = int(index) % n
        t = self.iterations[index]
        kernel = self.history.kernels[t]
        output = self._example.replace(kernel=kernel).result()
        return LearningStep(index, t, kernel, float(self.history.losses[t]), output)

    def steps(self) -> Iterator[LearningStep]:
        for index in range(self.num_steps):
            yield self.step(index)

    def describe(self) -> str:
        """One line: what is learned, how long, how well.

        >>> import numpy as np
        >>> from visualizer.learn import KernelHistory
        >>> history = KernelHistory(np.zeros((3, 2, 2)), np.array([4.0, 1.0, 0.25]), 0.1)
        >>> KernelLearning(history, np.zeros((3, 3)), np.zeros((2, 2))).describe()
        'learning a 2×2 kernel: 2 updates, learning rate 0.1, loss 4 → 0.25'
        """
        m, n = self.history.kernels.shape[1:]
        first, last = (_short(self.history.losses[i]) for i in (0, -1))
        rate = _short(self.history.learning_rate)
        return f"learning a {m}×{n} kernel: {self.updates} updates, learning rate {rate}, loss {first} → {last}"

    def __repr__(self) -> str:
        return f"<KernelLearning {self.describe()}>"


def animate_learning(
    history: KernelHistory,
    image: Any,
    target: Any,
    path: str | os.PathLike,
    *,
    target_kernel: Any = None,
    frames: int | Sequence[int] = 40,
    fps: float = 5,
    geometry: dict | None = None,
    **style: Any,
) -> Path:
    """Write the learning of a kernel as an animation: GIF, HTML player, PDF, MP4, … (the suffix says which).

    ``image``, ``target``, ``target_kernel``, ``frames`` and ``geometry`` (a dict of
    ``stride``, ``padding``, …) as for :class:`KernelLearning`; ``fps`` and ``style``
    (``theme``, ``numbers``, ``progress``, ``hold``) as for
    :func:`~visualizer.render.export.save_animation`. Returns the path written.

    >>> import tempfile
    >>> from PIL import Image
    >>> from visualizer import learn
    >>> images = np.random.default_rng(0).standard_normal((2, 6, 6))
    >>> targets = images[:, 1:-1, 1:-1]  # the identity kernel
    >>> history = learn.learn_kernel(images, targets, steps=20)
    >>> with tempfile.TemporaryDirectory() as root:
    ...     with Image.open(animate_learning(history, images[0], targets[0], Path(root) / "l.gif", frames=5)) as gif:
    ...         gif.n_frames
    5
    """
    from .render.export import save_animation  # drawing loads only when an animation is written

    learning = KernelLearning(history, image, target, target_kernel, frames, **(geometry or {}))
    return save_animation(learning, path, fps=fps, **style)


def _frames(frames: Any, updates: int) -> list[int]:
    """The update numbers to show: ``frames`` of them spread out (denser at the start), or those given."""
    if isinstance(frames, bool):
        raise TypeError(f"frames must be an int or a sequence of update numbers, got {frames!r}")
    if isinstance(frames, numbers.Integral):
        if frames < 2:
            raise ValueError(f"frames must be at least 2 (the start and the end), got {frames}")
        if frames > updates:
            return list(range(updates + 1))
        # geometric spacing from 1 to updates + 1 puts most frames early, where the kernel moves most;
        # a second pass fills the places that rounding merged, so there are always ``frames`` of them
        chosen = set(np.unique(np.round(np.geomspace(1, updates + 1, frames)).astype(int) - 1).tolist())
        for t in range(updates + 1):
            if len(chosen) >= frames:
                break
            chosen.add(t)
        return sorted(chosen)
    try:
        chosen = [int(t) for t in frames]
    except (TypeError, ValueError):
        raise TypeError(f"frames must be an int or a sequence of update numbers, got {frames!r}") from None
    if not chosen or any(b <= a for a, b in pairwise(chosen)) or chosen[0] < 0 or chosen[-1] > updates:
        raise ValueError(f"frames must be increasing update numbers in 0…{updates}, got {frames!r}")
    return chosen


def _short(value: float) -> str:
    return f"{float(value):.3g}"
