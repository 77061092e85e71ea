"""The lesson's filters on photos: named kernels, per-channel stacks, Sobel, clamping.

Filtering is the engine's :class:`~visualizer.Convolution` with ``padding="same"``
(the photo keeps its size); this module adds what a photo needs around it:
kernels by name, one kernel per colour channel, the Sobel magnitude, the clamp
with a count of what it clipped, and a labelled contact sheet like the lesson's
figure.

Photos default to ``pad_mode="replicate"``: zero padding surrounds the photo
with black, which the blur then smears into a dark frame (:func:`border_sheet`
shows both side by side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from .convolution import Convolution
from .images import to_uint8
from .kernels import KERNELS, SOBEL_MAGNITUDE
from .names import did_you_mean
from .render.sheet import contact_sheet
from .sobel import sobel_magnitude

SOBEL = SOBEL_MAGNITUDE
"""The filter name for the Sobel edge magnitude ``hypot(Gx, Gy)`` (not one kernel but two)."""

FILTER_NAMES = (*KERNELS, SOBEL)
"""Every name :func:`filter_image` takes: the named kernels and ``"sobel"``."""

LESSON_FILTERS = (
    ("original", None),
    ("Gaussian blur", "gaussian_blur"),
    ("sharpen", "sharpen"),
    ("emboss", "emboss"),
    ("outline", "outline"),
    ("Sobel", SOBEL),
)
"""The lesson's figure: (label, filter name) per panel; None is the photo itself."""

LESSON_CHANNELS = ("gaussian_blur", "sharpen", "outline")
"""The lesson's per-channel example: blur red, sharpen green, edges on blue."""


@dataclass(frozen=True)
class Filtered:
    """A filtered image and what clamping did to it.

    Attributes
    ----------
    image : ndarray
        The result, clamped to ``clip_range`` (``uint8`` for a ``uint8`` photo
        with ``clip="auto"``, rounded to the nearest integer).
    below, above : int
        How many values (one per pixel and channel) were raised to the low end
        or lowered to the high end.
    clip_range : (low, high) or None
        The clamp applied; None when the raw sums were kept.
    """

    image: np.ndarray
    below: int
    above: int
    clip_range: tuple[float, float] | None

    @property
    def clipped(self) -> int:
        """How many values the clamp changed."""
        return self.below + self.above

    def report(self) -> str:
        """One line for the learner: how much was clipped, and at which end.

        >>> photo = np.full((4, 4), 200, np.uint8)
        >>> filter_image(photo, "odd").report()
        'clipped 16 of 16 values (100.0 %): 0 below 0, 16 above 255'
        """
        if self.clip_range is None:
            return "not clipped (raw sums kept)"
        low, high = (f"{v:g}" for v in self.clip_range)
        share = 100 * self.clipped / self.image.size
        return (
            f"clipped {self.clipped:,} of {self.image.size:,} values ({share:.1f} %): "
            f"{self.below:,} below {low}, {self.above:,} above {high}"
        )


def resolve_kernel(kernel: Any) -> np.ndarray | str:
    """A kernel from a name, an array, or a sequence of one per channel.

    Returns ``"sobel"`` for the Sobel magnitude, else an ``(M, N)`` array or an
    ``(M, N, C)`` stack.

    >>> resolve_kernel("sharpen")[1]
    array([-1,  5, -1])
    >>> resolve_kernel(LESSON_CHANNELS).shape
    (3, 3, 3)
    """
    if isinstance(kernel, str):
        if kernel == SOBEL:
            return SOBEL
        if kernel not in KERNELS:
            raise ValueError(
                f"kernel must be one of {', '.join(FILTER_NAMES)} or an array; got {kernel!r}"
                + did_you_mean(kernel, FILTER_NAMES)
            )
        return np.asarray(KERNELS[kernel])
    if isinstance(kernel, (list, tuple)) and kernel and all(isinstance(k, (str, np.ndarray)) for k in kernel):
        return kernel_stack(kernel)
    return np.asarray(kernel)


def kernel_stack(kernels: Sequence[Any]) -> np.ndarray:
    """Stack one 2-D kernel per channel into an ``(M, N, C)`` array (names or arrays).

    >>> stack = kernel_stack(["identity", "sobel_x", "sobel_y"])
    >>> stack.shape, stack[1, 2].tolist()
    ((3, 3, 3), [0, 2, 0])
    """
    planes = []
    for k in kernels:
        if isinstance(k, str) and k == SOBEL:
            raise ValueError(
                "the Sobel magnitude combines two kernels and cannot be one channel of a stack; "
                "use sobel_x, sobel_y or outline"
            )
        plane = resolve_kernel(k)
        if plane.ndim != 2:
            raise ValueError(f"each kernel of a stack must be 2-D (rows, cols); got shape {plane.shape}")
        planes.append(plane)
    shapes = {p.shape for p in planes}
    if len(shapes) != 1:
        raise ValueError(f"the kernels of a stack must all have one shape; got {sorted(shapes)}")
    return np.stack(planes, axis=-1)


def filter_image(
    image: Any,
    kernel: Any,
    *,
    padding: Any = "same",
    pad_mode: str = "replicate",
    clip: Any = "auto",
    pad_value: float = 0,
) -> Filtered:
    """Filter a photo with a kernel, clamp the result, and count what was clipped.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` grey or ``(H, W, C)`` colour, ``uint8`` or float.
    kernel : str, array_like or sequence
        A name from :data:`FILTER_NAMES` (``"sobel"`` is the edge magnitude),
        an ``(M, N)`` kernel for every channel, an ``(M, N, C)`` stack, or a
        sequence of names/arrays, one per channel.
    padding, pad_mode, pad_value
        As for :class:`~visualizer.Convolution`; "same" keeps the photo's size,
        "replicate" keeps its border from darkening.
    clip : "auto", (low, high) or None
        "auto": a ``uint8`` photo gives ``uint8`` clipped to 0…255 (rounded);
        floats are kept as they are. ``(0, 1)`` or ``(-1, 1)`` for float photos.

    Examples
    --------
    >>> photo = np.array([[10, 10, 200, 200]] * 3, np.uint8)
    >>> result = filter_image(photo, "sharpen")
    >>> result.image
    array([[ 10,   0, 255, 200],
           [ 10,   0, 255, 200],
           [ 10,   0, 255, 200]], dtype=uint8)
    >>> result.below, result.above
    (3, 3)
    """
    kernel = resolve_kernel(kernel)
    params = dict(padding=padding, pad_mode=pad_mode, pad_value=pad_value)
    photo = np.asarray(image)
    sobel = isinstance(kernel, str)
    rounded = clip == "auto" and photo.dtype.kind in "ui"  # integer in, integer out
    if rounded and photo.dtype == np.uint8 and (sobel or _sums_fit_float32(kernel)):
        # 8-bit pixels summed in float32: exact for integer kernels (every sum stays below
        # 2**24), within 1e-4 of float64 for fractional ones (rounding to 8 bits hides it),
        # and 2-3x faster than the float64 the engine picks for a uint8 image
        params["dtype"] = np.float32
    conv = Convolution(photo, KERNELS["sobel_x"] if sobel else kernel, clip=clip, **params)
    sums = sobel_magnitude(photo, **params) if sobel else conv.raw_result()
    return _clamp(sums, conv.clip_range, photo.dtype if rounded else None)


def _sums_fit_float32(kernel: np.ndarray) -> bool:
    # numbers only (the engine names anything else), and no 8-bit sum can reach 2**24
    return kernel.dtype.kind in "iuf" and bool(255 * np.abs(kernel).sum() < 2**24)


def _clamp(sums: np.ndarray, clip_range: tuple[float, float] | None, dtype: np.dtype | None) -> Filtered:
    # Convolution.clamp's rule (clip, and round to an integer dtype), done in place on the
    # fresh `sums` and counting what it clips on the way; copies would cost a third of the time
    if clip_range is None:
        return Filtered(sums, 0, 0, None)
    if dtype is not None and sums.dtype.kind == "f":
        np.rint(sums, out=sums)  # round first: a box blur's 255.00000000000003 is 255, not a clipped pixel
    low, high = clip_range
    below, above = int(np.count_nonzero(sums < low)), int(np.count_nonzero(sums > high))
    np.clip(sums, low, high, out=sums)
    return Filtered(sums if dtype is None else sums.astype(dtype), below, above, clip_range)


# -- contact sheets -------------------------------------------------------------


def apply_filters(
    image: Any, filters: Sequence[tuple[str, Any]] = LESSON_FILTERS, **params: Any
) -> list[tuple[str, Filtered]]:
    """Each (label, kernel) applied to ``image``: ``(label, Filtered)`` pairs; a kernel of None keeps the photo.

    ``params`` go to :func:`filter_image` (``pad_mode``, ``clip``…).

    >>> [(label, result.clipped) for label, result in apply_filters(np.full((5, 5), 250, np.uint8))][:3]
    [('original', 0), ('Gaussian blur', 0), ('sharpen', 0)]
    """
    photo = np.asarray(image)
    return [
        (label, Filtered(photo, 0, 0, None) if kernel is None else filter_image(photo, kernel, **params))
        for label, kernel in filters
    ]


def filter_sheet(
    image: Any, filters: Sequence[tuple[str, Any]] = LESSON_FILTERS, *, columns: int = 3, **params: Any
) -> Image.Image:
    """The lesson's figure: the photo and its filtered versions, labelled, in a grid.

    Parameters
    ----------
    image : array_like
        The photo (``uint8``, grey or colour).
    filters : sequence of (label, kernel)
        One panel each; a kernel of None shows the photo unfiltered.
    columns : int
        Panels per row.
    **params
        Passed to :func:`filter_image` (``pad_mode``, ``clip``…).

    >>> sheet = filter_sheet(np.full((200, 300), 128, np.uint8))
    >>> from visualizer.render.sheet import sheet_layout
    >>> sheet.size == sheet_layout([label for label, _ in LESSON_FILTERS], (300, 200))[0]
    True
    """
    panels = [(label, result.image) for label, result in apply_filters(image, filters, **params)]
    return contact_sheet(panels, columns=columns)


def border_sheet(
    image: Any, kernel: Any = "box_blur", pad_modes: Sequence[str] = ("zeros", "replicate"), *, corner: int = 25
) -> Image.Image:
    """Zero padding darkens the border, replicate does not: each result and its corner, enlarged.

    One column per pad mode: the whole filtered photo above, and below it the
    photo's brightest ``corner``×``corner`` corner enlarged to the photo's
    width (a dark frame shows best against a light background).

    >>> border_sheet(np.full((150, 200), 200, np.uint8), corner=20).size
    (436, 484)
    """
    image = np.asarray(image)
    height, width = image.shape[:2]
    corner = min(corner, height, width)
    zoom = max(1, width // corner)
    rows = {"top": slice(0, corner), "bottom": slice(height - corner, height)}
    cols = {"left": slice(0, corner), "right": slice(width - corner, width)}
    where = max(((r, c) for r in rows for c in cols), key=lambda rc: float(image[rows[rc[0]], cols[rc[1]]].mean()))
    whole, enlarged = [], []
    for mode in pad_modes:
        result = filter_image(image, kernel, pad_mode=mode).image
        patch = Image.fromarray(to_uint8(result[rows[where[0]], cols[where[1]]]))
        patch = patch.resize((corner * zoom, corner * zoom), Image.Resampling.NEAREST)
        whole.append((f"pad_mode {mode}", result))
        enlarged.append((f"{mode}, corner ×{zoom}", np.asarray(patch)))
    return contact_sheet(whole + enlarged, columns=len(pad_modes))
