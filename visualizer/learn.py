"""Learning kernels by gradient descent: where a CNN's filters come from.

A kernel ``K`` gives ``out = correlate(image, K)``. If a loss ``L`` depends on
``out``, the chain rule gives

    dL/dK[u, v] = Σ_ij dL/dout[i, j] · padded[i·s + u·d, j·s + v·d]

which is itself a correlation: of the (padded) input with the output's error map
as the kernel, stride and dilation swapping places. :func:`kernel_backprop`
computes exactly that with this package's :class:`~visualizer.Convolution`, and
:func:`kernel_gradient` is the case of the mean squared error.

:func:`learn_kernel` learns one kernel from examples (a random start converges to
Sobel x when the targets are images filtered by Sobel x); :func:`learn_filters`
learns a small layer of filters that tells lines from corners. Both keep their
history, so that learning can be shown frame by frame. NumPy only.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from .convolution import Convolution
from .layer import ConvLayer

SHAPES = ("horizontal line", "vertical line", "diagonal line ↘", "diagonal line ↗", "corner")


def kernel_backprop(images: Any, output_grads: Any, kernel_shape: tuple[int, int], **geometry: Any) -> np.ndarray:
    """``dL/dK`` from ``dL/d(output)``, where ``output = correlate(image, K, **geometry)``, summed over images.

    ``images`` is one ``(H, W)`` image or a stack ``(B, H, W)``; ``output_grads`` has the
    outputs' shape, ``(H', W')`` or ``(B, H', W')``, and gives an ``(M, N)`` gradient; or
    ``(B, H', W', F)`` for ``F`` kernels over the same images (a layer's filters), which
    gives ``(M, N, F)``. ``geometry`` is ``stride``, ``padding``, ``pad_mode`` and
    ``dilation``, as for :class:`~visualizer.Convolution`.

    The images go in as the channels of one image (once per kernel) and the error maps as
    a per-channel kernel stack, so that one Convolution, stride and dilation swapped,
    correlates each image with its own error map.

    >>> import numpy as np
    >>> kernel_backprop(np.arange(9.0).reshape(3, 3), np.ones((2, 2)), (2, 2))
    array([[ 8., 12.],
           [20., 24.]])
    """
    return _backprop(images, output_grads, kernel_shape, geometry, "output_grads")


def kernel_gradient(images: Any, errors: Any, kernel_shape: tuple[int, int], **geometry: Any) -> np.ndarray:
    """Gradient with respect to ``K`` of ``mean((correlate(image, K) − target)²)``.

    ``errors`` is ``correlate(image, K) − target`` (the mean is over every element of every
    image's output); the gradient is ``2 / errors.size`` times :func:`kernel_backprop`.

    >>> import numpy as np
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> # outputs 0.5 too high everywhere: each tap's gradient is 2 · 0.5 · the mean of the pixels it saw
    >>> kernel_gradient(image, np.full((2, 2), 0.5), (3, 3))
    array([[ 2.5,  3.5,  4.5],
           [ 6.5,  7.5,  8.5],
           [10.5, 11.5, 12.5]])
    """
    errors = _stack(errors, "errors")
    return _backprop(images, errors * (2 / errors.size), kernel_shape, geometry, "errors")


def _backprop(images: Any, output_grads: Any, kernel_shape: Any, geometry: dict, name: str) -> np.ndarray:
    stack = _stack(images, "images")
    grads = np.asarray(output_grads)
    kernels = grads.shape[3] if grads.ndim == 4 else None
    if kernels is not None:  # (F·B, H', W'): kernel f's maps, then the next kernel's
        grads = grads.transpose(3, 0, 1, 2).reshape(-1, *grads.shape[1:3])
    grads = _stack(grads, name)
    frame = _geometry(stack, kernel_shape, geometry)
    expected = (stack.shape[0] * (kernels or 1), *frame.output_shape)
    if grads.shape != expected:
        rows, cols = frame.output_shape
        shape = (len(stack), rows, cols) + ((kernels,) if kernels else ())
        raise ValueError(
            f"{name} must have shape {shape}: one {rows}×{cols} output per image (the images' outputs under "
            f"this geometry); got shape {np.shape(output_grads)}"
        )
    # channel f·B + b: image b, kernel f
    padded = frame.padded if kernels is None else np.concatenate([frame.padded] * kernels, axis=2)
    # out[u, v, c] = Σ_ij grads[c, i, j] · padded[u·d + i·s, v·d + j·s, c]: taps spaced by the stride,
    # windows moved by the dilation; there can be more than M×N of them, the first M×N are the kernel's
    sweep = Convolution(padded, grads.transpose(1, 2, 0), stride=frame.dilation, dilation=frame.stride)
    m, n = kernel_shape
    sums = sweep.result()[:m, :n]
    return sums.sum(axis=2) if kernels is None else sums.reshape(m, n, kernels, -1).sum(axis=3)


@dataclass(frozen=True)
class KernelHistory:
    """Learning one kernel: ``kernels[t]`` after ``t`` steps and its loss ``losses[t]``."""

    kernels: np.ndarray  # (steps + 1, M, N)
    losses: np.ndarray  # (steps + 1,), the mean squared error of each kernel
    learning_rate: float

    @property
    def kernel(self) -> np.ndarray:
        """The kernel learned: the last one."""
        return self.kernels[-1]


def learn_kernel(
    images: Any,
    targets: Any,
    kernel_shape: tuple[int, int] = (3, 3),
    steps: int = 200,
    learning_rate: float | None = None,
    seed: int | None = 0,
    **geometry: Any,
) -> KernelHistory:
    """Learn ``K`` so that ``correlate(image, K, **geometry)`` matches ``targets``, by gradient descent.

    Starts from random weights (``seed``) and takes ``steps`` steps down the gradient of the
    mean squared error. ``learning_rate`` None takes ``1 / trace`` of the loss's curvature
    (``2 · mean`` of each window's sum of squares): a step that cannot overshoot, whatever the
    images' scale.

    >>> import numpy as np
    >>> images = np.random.default_rng(1).standard_normal((4, 16, 16))
    >>> sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> targets = np.stack([Convolution(im, sobel_x).result() for im in images])
    >>> history = learn_kernel(images, targets, steps=150)
    >>> np.round(history.kernel, 3) + 0.0
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    >>> bool(history.losses[-1] < 1e-6 * history.losses[0])
    True
    """
    stack = _stack(images, "images")
    frame = _geometry(stack, kernel_shape, geometry)
    targets = _stack(targets, "targets")
    if targets.shape != (stack.shape[0], *frame.output_shape):
        rows, cols = frame.output_shape
        raise ValueError(
            f"targets must have shape {(len(stack), rows, cols)}: one {rows}×{cols} output per image; "
            f"got shape {np.shape(targets)}"
        )
    steps = _count(steps, "steps")
    if learning_rate is None:
        window_energy = Convolution(frame.padded**2, np.ones(kernel_shape), frame.stride, dilation=frame.dilation)
        curvature = 2 * window_energy.result().mean()
        if curvature == 0:
            raise ValueError("images must not be all zeros: every kernel fits them equally well")
        learning_rate = 1 / curvature
    else:
        learning_rate = _positive(learning_rate, "learning_rate")
    kernel = np.random.default_rng(seed).standard_normal(kernel_shape) / np.sqrt(np.prod(kernel_shape))
    kernels, losses = [], []
    for t in range(steps + 1):
        errors = frame.replace(kernel=kernel).result() - targets.transpose(1, 2, 0)
        kernels.append(kernel)
        losses.append(np.mean(errors**2))
        if t < steps:
            gradient = kernel_gradient(stack, errors.transpose(2, 0, 1), kernel_shape, **geometry)
            kernel = kernel - learning_rate * gradient
    return KernelHistory(np.array(kernels), np.array(losses), float(learning_rate))


def synthetic_shapes(n: int, size: int = 12, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` small labelled pictures of the :data:`SHAPES`: lines at four angles and corners.

    Returns ``(images, labels)``: ``(n, size, size)`` floats (a one-pixel stroke of about 1
    on a faint noisy background) and ``(n,)`` ints indexing :data:`SHAPES`, the classes in
    turn. Each shape has a random place and length; a corner has a random orientation.

    >>> images, labels = synthetic_shapes(5, size=8)
    >>> images.shape, labels.tolist()
    ((5, 8, 8), [0, 1, 2, 3, 4])
    """
    n, size = _count(n, "n", minimum=1), _count(size, "size", minimum=6)
    rng = np.random.default_rng(seed)
    images = rng.normal(0, 0.05, (n, size, size))
    labels = np.arange(n) % len(SHAPES)
    for image, label in zip(images, labels, strict=True):
        length = rng.integers(size // 2, size - 1)
        # the stroke's cells, (rows, cols), before it is placed: every shape fits in length × length
        run, zeros = np.arange(length), np.zeros(length, int)
        strokes = [(zeros, run), (run, zeros), (run, run), (length - 1 - run, run)]
        if label < 4:
            rows, cols = strokes[label]
        else:  # two arms of the same length from one vertex, turned one of four ways
            arm = np.arange(length // 2 + 1)
            rows, cols = np.concatenate([arm * 0, arm]), np.concatenate([arm, arm * 0])
            rows = rows if rng.integers(2) else length // 2 - rows
            cols = cols if rng.integers(2) else length // 2 - cols
        top, left = rng.integers(0, size - rows.max()), rng.integers(0, size - cols.max())
        image[rows + top, cols + left] += rng.uniform(0.7, 1.0)
    return images, labels


@dataclass(frozen=True)
class FilterHistory:
    """Learning a small layer of filters: ``filters[t]`` after ``t`` steps, with the classifier on top.

    The model: each filter slides over the image (valid correlation) plus its bias, ReLU,
    the average over the image (one feature per filter), then ``features @ classifier +
    classifier_bias`` gives one score per class of :data:`SHAPES`, softmax the probabilities.
    """

    filters: np.ndarray  # (steps + 1, M, N, F)
    bias: np.ndarray  # (F,), last
    classifier: np.ndarray  # (F, classes), last
    classifier_bias: np.ndarray  # (classes,), last
    losses: np.ndarray  # (steps + 1,), mean cross-entropy
    accuracy: np.ndarray  # (steps + 1,), fraction of the training images classified right

    @property
    def weights(self) -> np.ndarray:
        """The last filters as a layer's ``(M, N, 1, F)`` weights, for :class:`~visualizer.ConvLayer`."""
        return self.filters[-1][:, :, np.newaxis, :]

    def predict(self, images: Any) -> np.ndarray:
        """The class (an index into :data:`SHAPES`) of each image of an ``(n, H, W)`` stack."""
        features, _ = _filter_features(_stack(images, "images"), self.filters[-1], self.bias)
        return np.argmax(features @ self.classifier + self.classifier_bias, axis=1)


def learn_filters(
    images: Any,
    labels: Any,
    n_filters: int = 4,
    kernel_size: int = 3,
    steps: int = 150,
    learning_rate: float = 0.05,
    seed: int | None = 0,
) -> FilterHistory:
    """Learn ``n_filters`` filters and a linear classifier that tell the classes of ``images`` apart.

    ``images`` ``(n, H, W)``, ``labels`` ``(n,)`` class indices (e.g. from :func:`synthetic_shapes`).
    Full-batch Adam on the mean cross-entropy, from random filters (``seed``); the filter
    gradients come from :func:`kernel_backprop`.

    >>> images, labels = synthetic_shapes(100)
    >>> history = learn_filters(images, labels, steps=100)
    >>> history.filters.shape, bool(history.accuracy[-1] > history.accuracy[0])
    ((101, 3, 3, 4), True)
    """
    stack = _stack(images, "images")
    labels = np.asarray(labels)
    if labels.shape != (len(stack),) or labels.dtype.kind not in "iu" or labels.min() < 0:
        raise ValueError(
            f"labels must be {len(stack)} class indices >= 0, one per image; got shape {labels.shape}, "
            f"dtype {labels.dtype}"
        )
    n_filters, kernel_size = _count(n_filters, "n_filters", 1), _count(kernel_size, "kernel_size", 1)
    steps = _count(steps, "steps")
    learning_rate = _positive(learning_rate, "learning_rate")
    rng = np.random.default_rng(seed)
    classes = int(labels.max()) + 1
    params = {
        "filters": rng.standard_normal((kernel_size, kernel_size, n_filters)) / kernel_size,
        "bias": np.zeros(n_filters),
        "classifier": rng.standard_normal((n_filters, classes)),
        "classifier_bias": np.zeros(classes),
    }
    # Adam: steps scaled by the running means of the gradients and of their squares, so that the
    # filters and the classifier, whose gradients differ by orders of magnitude, all move
    moments = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}
    one_hot = np.eye(classes)[labels]
    filters, losses, accuracy = [], [], []
    for t in range(steps + 1):
        features, maps = _filter_features(stack, params["filters"], params["bias"])
        scores = features @ params["classifier"] + params["classifier_bias"]
        scores -= scores.max(axis=1, keepdims=True)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        filters.append(params["filters"])
        losses.append(-np.mean(np.sum(one_hot * log_p, axis=1)))
        accuracy.append(np.mean(np.argmax(scores, axis=1) == labels))
        if t == steps:
            break
        d_scores = (np.exp(log_p) - one_hot) / len(stack)
        # back through the average and the ReLU: each position of a feature map shares its feature's gradient
        d_pre = (maps > 0) * (d_scores @ params["classifier"].T)[:, np.newaxis, np.newaxis, :] / maps[0, ..., 0].size
        grads = {
            "classifier": features.T @ d_scores,
            "classifier_bias": d_scores.sum(axis=0),
            "bias": d_pre.sum(axis=(0, 1, 2)),
            "filters": kernel_backprop(stack, d_pre, (kernel_size, kernel_size)),
        }
        for name, grad in grads.items():
            mean, square = moments[name]
            mean, square = 0.9 * mean + 0.1 * grad, 0.999 * square + 0.001 * grad**2
            moments[name] = mean, square
            step = learning_rate * (mean / (1 - 0.9 ** (t + 1))) / (np.sqrt(square / (1 - 0.999 ** (t + 1))) + 1e-8)
            params[name] = params[name] - step
    return FilterHistory(
        np.array(filters),
        params["bias"],
        params["classifier"],
        params["classifier_bias"],
        np.array(losses),
        np.array(accuracy),
    )


def _filter_features(stack: np.ndarray, filters: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Features ``(n, F)`` (ReLU, then the average) and the maps after the ReLU ``(n, H', W', F)``.

    The images are the channels of one image and each meets every filter on its own: a
    depthwise :class:`~visualizer.ConvLayer` with the filters repeated for every image.
    """
    n, f = len(stack), filters.shape[2]
    weights = np.tile(filters[:, :, np.newaxis, :], (1, 1, 1, n))  # output channel b·F + f: image b, filter f
    layer = ConvLayer(stack.transpose(1, 2, 0), weights, np.tile(bias, n), groups=n, activation="relu")
    maps = layer.result().reshape(*layer.output_shape, n, f).transpose(2, 0, 1, 3)
    return maps.mean(axis=(1, 2)), maps


def _stack(value: Any, name: str) -> np.ndarray:
    """A ``(B, H, W)`` float64 stack from one image or a stack."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an (H, W) array or a (B, H, W) stack, got {type(value).__name__}")
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integers or floats, got dtype {array.dtype}")
    if array.ndim not in (2, 3) or array.size == 0:
        raise ValueError(f"{name} must be an (H, W) array or a (B, H, W) stack, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold only finite numbers, found NaN or infinity")
    return (array[np.newaxis] if array.ndim == 2 else array).astype(np.float64)


def _geometry(stack: np.ndarray, kernel_shape: Any, geometry: dict) -> Convolution:
    """A Convolution of the stack (its images as channels) that owns the padding and checks every parameter."""
    allowed = {"stride", "padding", "pad_mode", "dilation"}
    if set(geometry) - allowed:
        raise TypeError(f"unknown parameters {sorted(set(geometry) - allowed)}; allowed: {sorted(allowed)}")
    if not (isinstance(kernel_shape, (tuple, list)) and len(kernel_shape) == 2):
        raise TypeError(f"kernel_shape must be a (rows, cols) tuple, got {kernel_shape!r}")
    rows, cols = (_count(size, "kernel_shape", minimum=1) for size in kernel_shape)
    return Convolution(stack.transpose(1, 2, 0), np.zeros((rows, cols)), **geometry)


def _positive(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _count(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
