"""Photos in and out: load with Pillow, a sample photo that works offline, small crops.

Every loader returns a NumPy array: ``(H, W)`` for grey, ``(H, W, 3)`` for
colour, ``uint8`` (0…255) or float (0…1). What happens to each kind of file:

- grey (``L``, ``1``) stays 2-D; colour (``RGB``, ``CMYK``, ``YCbCr``, ``LAB``,
  ``HSV``, palette ``P``) becomes RGB; ``grey=True`` turns colour into luma
  (Pillow's ITU-R 601-2 weights).
- transparency (``RGBA``, ``LA``, ``PA``, a palette with a transparent index)
  is composited over white, the way the picture looks on a page; the lesson
  filters what is seen, and an alpha channel would be a fourth "colour".
- 16-bit grey (``I;16``) keeps its precision until the end: ``uint8`` divides
  by 257 (65535 → 255), float by 65535.
- 32-bit integer (``I``) and float (``F``) pixels are rejected: they have no
  fixed black and white, so any scaling would be a guess.
- EXIF orientation is applied, so a phone photo is the right way up; an
  animated file gives its first frame. Pillow's decompression-bomb limit
  (``PIL.Image.MAX_IMAGE_PIXELS``) stays on.

Every problem with a file (missing, not an image, truncated, too large,
unsupported mode) raises ValueError naming the file and the problem.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps, UnidentifiedImageError

from .resources import matplotlib_data

SAMPLE_WIDTH = 200
"""The lesson's photo size: small enough that a 3×3 kernel visibly changes it."""

# mode -> what it becomes before it turns into an array; modes not listed ("I", "F") are rejected
_MODES = {
    "1": "L",
    "L": "L",
    "LA": "LA",
    "La": "LA",
    "P": "RGB",
    "PA": "RGBA",
    "RGB": "RGB",
    "RGBX": "RGB",
    "RGBA": "RGBA",
    "RGBa": "RGBA",
    "CMYK": "RGB",
    "YCbCr": "RGB",
    "LAB": "RGB",
    "HSV": "RGB",
    "I;16": "I;16",
    "I;16L": "I;16",
    "I;16B": "I;16",
    "I;16N": "I;16",
}
_DTYPES = {"uint8": np.uint8, "float32": np.float32, "float64": np.float64, "float": np.float64}


def load_image(
    path: str | os.PathLike, *, grey: bool = False, width: int | None = None, dtype: Any = "uint8"
) -> np.ndarray:
    """Read an image file as an array (see the module notes for each mode).

    Parameters
    ----------
    path : str or path-like
        Any file Pillow reads (PNG, JPEG, GIF, BMP, TIFF, WebP, …).
    grey : bool
        Convert colour to grey (luma); grey files are 2-D either way.
    width : int or None
        Resize to this many columns, keeping the aspect ratio (None keeps the size).
    dtype : "uint8", "float32", "float64" or "float"
        ``uint8`` gives 0…255; the floats give 0…1 ("float" is float64).

    Examples
    --------
    >>> photo = load_image(sample_path(), width=100, grey=True)
    >>> photo.shape, photo.dtype
    ((117, 100), dtype('uint8'))
    """
    out_dtype = _dtype(dtype)
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if name is None:
        raise TypeError(f"path must be a file name, got {type(path).__name__}")
    if not Path(name).is_file():
        raise ValueError(f"image {name!r}: no such file")
    try:
        with Image.open(name) as opened:
            opened.load()  # decode now, so a truncated file fails here, inside the try
            picture = ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError as error:
        raise ValueError(f"image {name!r} is too large to open safely ({error})") from None
    except UnidentifiedImageError:
        raise ValueError(f"image {name!r} is not an image file Pillow can read") from None
    except (OSError, SyntaxError) as error:
        # Pillow reports damaged data as OSError ("image file is truncated") or SyntaxError
        raise ValueError(f"image {name!r} is damaged or truncated ({error})") from None
    return _to_array(picture, name, grey=grey, width=width, dtype=out_dtype)


def sample_path() -> Path | None:
    """Where the sample portrait lies (matplotlib's ``grace_hopper.jpg``), or None.

    Found without importing matplotlib, so it costs nothing.
    """
    return matplotlib_data("sample_data", "grace_hopper.jpg")


def sample_photo(width: int | None = SAMPLE_WIDTH, grey: bool = False, *, dtype: Any = "uint8") -> np.ndarray:
    """The default photo, ``width`` pixels wide (None: full size); works offline.

    A portrait of Grace Hopper from matplotlib's sample data (512×600, public
    domain, U.S. Navy photo), or, if that file is missing, a landscape drawn
    by code with the same proportions. ``dtype`` is as for :func:`load_image`.

    Examples
    --------
    >>> sample_photo().shape
    (234, 200, 3)
    >>> sample_photo(width=50, grey=True).shape
    (59, 50)
    """
    path = sample_path()
    if path is not None:
        try:
            return load_image(path, grey=grey, width=width, dtype=dtype)
        except ValueError:
            pass  # a damaged copy: the drawn picture still teaches the lesson
    return _to_array(drawn_photo(), "drawn photo", grey=grey, width=width, dtype=_dtype(dtype))


def drawn_photo(size: tuple[int, int] = (512, 600)) -> Image.Image:
    """A landscape drawn by code (sky, sun, hills, a house, grass), the fallback photo.

    It has what the lesson's filters need: smooth gradients for the blur,
    hard edges for the outline and Sobel, and fine texture for the sharpen.

    >>> drawn_photo().size
    (512, 600)
    """
    width, height = size
    rows = np.linspace(0, 1, height)[:, None, None]
    sky = (1 - rows) * np.array([70, 130, 210]) + rows * np.array([200, 225, 245])
    picture = Image.fromarray(np.broadcast_to(sky, (height, width, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    w, h = width / 100, height / 100
    draw.ellipse([70 * w, 8 * h, 88 * w, 23 * h], fill=(255, 215, 90))
    draw.polygon(
        [(0, 55 * h), (30 * w, 35 * h), (60 * w, 52 * h), (100 * w, 40 * h), (100 * w, 100 * h), (0, 100 * h)],
        fill=(60, 120, 60),
    )
    draw.rectangle([20 * w, 50 * h, 50 * w, 75 * h], fill=(180, 60, 50), outline=(40, 20, 20), width=3)
    draw.polygon([(16 * w, 51 * h), (35 * w, 36 * h), (54 * w, 51 * h)], fill=(90, 50, 40))
    draw.rectangle([31 * w, 62 * h, 39 * w, 75 * h], fill=(70, 40, 30))
    draw.rectangle([23 * w, 55 * h, 29 * w, 61 * h], fill=(230, 230, 170), outline=(40, 20, 20), width=2)
    grass = np.random.default_rng(0).integers(-25, 26, size=(height, width, 1))
    array = np.asarray(picture.filter(ImageFilter.GaussianBlur(1)), dtype=np.int16)
    array[int(75 * h) :] += grass[int(75 * h) :]
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def photo_crop(
    size: int | tuple[int, int] = 8, *, grey: bool = True, row: int | None = None, col: int | None = None
) -> np.ndarray:
    """A small crop of the sample photo, with real pixel values, for stepping.

    Parameters
    ----------
    size : int or (int, int)
        Crop size: ``8`` for 8×8, or ``(rows, cols)``.
    grey : bool
        Grey ``(rows, cols)`` or colour ``(rows, cols, 3)``.
    row, col : int or None
        Top-left corner in the 200-pixel-wide sample photo. By default the
        crop with the most contrast among a coarse grid of candidates, so an
        edge runs through it and the kernels have something to show.

    Examples
    --------
    >>> crop = photo_crop(8)
    >>> crop.shape, crop.dtype
    ((8, 8), dtype('uint8'))
    >>> photo_crop((4, 5), grey=False, row=0, col=0).shape
    (4, 5, 3)
    """
    rows, cols = (size, size) if isinstance(size, (int, np.integer)) else tuple(size)
    photo = sample_photo(grey=grey)
    height, width = photo.shape[:2]
    if not (0 < rows <= height and 0 < cols <= width):
        raise ValueError(f"size must be between 1 and the photo's {height}×{width}; got {size!r}")
    if row is None or col is None:
        best_row, best_col = _most_contrast(photo if grey else photo.mean(axis=2), rows, cols)
        row = best_row if row is None else row
        col = best_col if col is None else col
    if not (0 <= row <= height - rows and 0 <= col <= width - cols):
        raise ValueError(
            f"row/col must keep the {rows}×{cols} crop inside the {height}×{width} photo "
            f"(row 0…{height - rows}, col 0…{width - cols}); got row={row}, col={col}"
        )
    return photo[row : row + rows, col : col + cols].copy()


def photo_values(shape: tuple[int, int] | None = None, *, grey: bool = True) -> np.ndarray:
    """The lesson's photo (the sample photo 200 pixels wide), or a picture of ``shape`` made from it.

    Parameters
    ----------
    shape : (rows, cols) or None
        None: the whole lesson photo. A size that fits inside it: the crop with the most contrast
        (:func:`photo_crop`). A larger size: the full-resolution photo resized to cover it (its
        proportions kept), then cropped to it about the centre.
    grey : bool
        Grey ``(rows, cols)`` or colour ``(rows, cols, 3)``.

    Examples
    --------
    >>> photo_values().shape == sample_photo(grey=True).shape
    True
    >>> photo_values((6, 7)).shape, photo_values((300, 500), grey=False).shape
    ((6, 7), (300, 500, 3))
    """
    lesson = sample_photo(grey=grey)
    if shape is None:
        return lesson
    rows, cols = shape
    if rows <= lesson.shape[0] and cols <= lesson.shape[1]:
        return photo_crop((rows, cols), grey=grey)
    full = sample_photo(width=None, grey=grey)
    height, width = full.shape[:2]
    scale = max(rows / height, cols / width)
    size = (max(cols, round(width * scale)), max(rows, round(height * scale)))
    resized = np.asarray(Image.fromarray(full).resize(size, Image.Resampling.LANCZOS))
    top, left = (resized.shape[0] - rows) // 2, (resized.shape[1] - cols) // 2
    return resized[top : top + rows, left : left + cols].copy()


def _most_contrast(plane: np.ndarray, rows: int, cols: int) -> tuple[int, int]:
    # candidates on a grid of half-crop steps; the standard deviation picks one with an edge
    best, where = -1.0, (0, 0)
    for r in range(0, plane.shape[0] - rows + 1, max(1, rows // 2)):
        for c in range(0, plane.shape[1] - cols + 1, max(1, cols // 2)):
            spread = float(plane[r : r + rows, c : c + cols].std())
            if spread > best:
                best, where = spread, (r, c)
    return where


def to_uint8(image: Any) -> np.ndarray:
    """Float 0…1 (or uint8) as ``uint8`` 0…255, rounded; values outside 0…1 are an error.

    >>> to_uint8(np.array([[0.0, 0.5, 1.0]]))
    array([[  0, 128, 255]], dtype=uint8)
    """
    array = np.asarray(image)
    if array.dtype == np.uint8:
        return array
    if array.dtype.kind != "f":
        raise TypeError(f"image must be uint8 or float (0…1), got dtype {array.dtype}")
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError("a float image must lie in 0…1 to become 8-bit; clip it first, e.g. clip=(0, 1)")
    return np.rint(array * 255).astype(np.uint8)


def save_image(
    image: Any, path: str | os.PathLike, *, value_range: tuple[float, float] | None = None, quality: int = 95
) -> Path:
    """Write ``image`` as PNG or JPEG (by suffix), atomically: the target is never half-written.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` grey or ``(H, W, 3)`` RGB.
    path : str or path-like
        Ends in ``.png``, ``.jpg`` or ``.jpeg``.
    value_range : (low, high) or None
        The values shown as black and white; None means 0…255 for integers
        and 0…1 for floats. A result clipped to −1…1 is saved with
        ``value_range=(-1, 1)``. Values outside it are an error, not a guess.
    quality : int
        JPEG quality, 1…95.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = save_image(np.zeros((4, 6), np.uint8), Path(folder) / "black.png")
    ...     load_image(saved).shape
    (4, 6)
    """
    target = Path(path)
    kind = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}.get(target.suffix.lower())
    if kind is None:
        raise ValueError(f"path must end in .png, .jpg or .jpeg; got {os.fspath(path)!r}")
    array = np.asarray(image)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise ValueError(f"image must be (H, W) grey or (H, W, 3) RGB, got shape {array.shape}")
    if array.dtype.kind not in "uif":
        raise TypeError(f"image must hold numbers, got dtype {array.dtype}")
    low, high = value_range if value_range is not None else ((0, 1) if array.dtype.kind == "f" else (0, 255))
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high; got {value_range!r}")
    if array.size and (array.min() < low or array.max() > high):
        raise ValueError(
            f"image values {array.min()}…{array.max()} lie outside value_range {low}…{high}; clip them first"
        )
    if array.dtype == np.uint8 and (low, high) == (0, 255):
        pixels = array
    else:  # low becomes black and high white, rounded to the nearest level
        pixels = to_uint8((array.astype(np.float64) - low) / (high - low))
    picture = Image.fromarray(pixels)
    from .files import atomic_write

    with atomic_write(target) as temporary:
        picture.save(temporary, format=kind, **({"quality": quality} if kind == "JPEG" else {}))
    return target


# -- conversion ---------------------------------------------------------------


def _dtype(dtype: Any) -> type:
    key = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", getattr(dtype, "name", None))
    if key not in _DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(_DTYPES)}; got {dtype!r}")
    return _DTYPES[key]


def _to_array(picture: Image.Image, name: str, *, grey: bool, width: int | None, dtype: type) -> np.ndarray:
    target = _MODES.get(picture.mode)
    if target is None:
        raise ValueError(
            f"image {name!r} has mode {picture.mode!r}, which has no fixed black and white; "
            f"save it as 8-bit grey, RGB, RGBA, palette or 16-bit grey (modes {', '.join(_MODES)})"
        )
    if picture.mode == "P" and "transparency" in picture.info:
        target = "RGBA"
    picture = picture.convert(target) if picture.mode != target else picture
    if target in ("RGBA", "LA"):
        white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, picture.convert("RGBA")).convert("L" if target == "LA" else "RGB")
    if grey and picture.mode == "RGB":
        picture = picture.convert("L")
    if width is not None:
        picture = picture.resize(_size(picture.size, width), Image.Resampling.LANCZOS)
    array = np.asarray(picture)
    scale = 65535 if array.dtype == np.uint16 else 255
    if dtype is np.uint8:
        return array if scale == 255 else np.rint(array / 257).astype(np.uint8)
    return (array / dtype(scale)).astype(dtype)


def _size(size: tuple[int, int], width: int) -> tuple[int, int]:
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a positive int (pixels), got {width!r}")
    return int(width), max(1, round(size[1] * width / size[0]))
