"""visualizer.filters against SciPy: every named kernel and pad mode, stacks, Sobel, clipping, sheets."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from visualizer import KERNELS
from visualizer.filters import (
    LESSON_CHANNELS,
    LESSON_FILTERS,
    apply_filters,
    border_sheet,
    filter_image,
    filter_sheet,
    kernel_stack,
)
from visualizer.images import sample_photo
from visualizer.render.sheet import sheet_layout

# our pad-mode names -> scipy.ndimage's (SciPy's "reflect" repeats the edge: ours is its "mirror")
SCIPY_MODES = {"zeros": "constant", "replicate": "nearest", "reflect": "mirror", "circular": "wrap"}

PHOTO = sample_photo(width=40)  # (47, 40, 3) uint8
GREY = sample_photo(width=40, grey=True)


def scipy_filter(image: np.ndarray, kernel: np.ndarray, pad_mode: str) -> np.ndarray:
    """Float64 cross-correlation, channel by channel, kernel[..., c] for channel c of a stack."""
    image = image.astype(np.float64)
    if image.ndim == 2:
        return ndimage.correlate(image, np.asarray(kernel, float), mode=SCIPY_MODES[pad_mode])
    planes = [
        ndimage.correlate(
            image[..., c], np.asarray(kernel[..., c] if kernel.ndim == 3 else kernel, float), mode=SCIPY_MODES[pad_mode]
        )
        for c in range(image.shape[2])
    ]
    return np.stack(planes, axis=-1)


def scipy_sobel(image: np.ndarray, pad_mode: str) -> np.ndarray:
    sx = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float)
    return np.hypot(scipy_filter(image, sx, pad_mode), scipy_filter(image, sx.T, pad_mode))


def to_uint8(reference: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(reference), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("pad_mode", list(SCIPY_MODES))
@pytest.mark.parametrize("name", list(KERNELS))
def test_every_named_kernel_and_pad_mode_equals_scipy_on_uint8(name, pad_mode):
    for photo in (PHOTO, GREY):
        result = filter_image(photo, name, pad_mode=pad_mode)
        reference = scipy_filter(photo, np.asarray(KERNELS[name]), pad_mode)
        assert result.image.dtype == np.uint8 and result.image.shape == photo.shape
        assert np.array_equal(result.image, to_uint8(reference)), name
        # the counts, independently: values that round below 0 or above 255
        assert result.below == np.count_nonzero(np.rint(reference) < 0)
        assert result.above == np.count_nonzero(np.rint(reference) > 255)


@pytest.mark.parametrize("pad_mode", list(SCIPY_MODES))
@pytest.mark.parametrize("clip", [(0, 1), (-1, 1)])
@pytest.mark.parametrize("name", ["gaussian_blur", "sharpen", "emboss", "outline", "box_blur"])
def test_float_photos_clip_to_the_range_asked_for(name, clip, pad_mode):
    photo = PHOTO / 255.0
    result = filter_image(photo, name, pad_mode=pad_mode, clip=clip)
    reference = scipy_filter(photo, np.asarray(KERNELS[name]), pad_mode)
    np.testing.assert_allclose(result.image, np.clip(reference, *clip), atol=1e-6, rtol=0)
    assert result.image.min() >= clip[0] and result.image.max() <= clip[1]
    # away from the rounding noise of float sums, the counts agree exactly
    assert abs(result.below - np.count_nonzero(reference < clip[0])) <= np.count_nonzero(
        abs(reference - clip[0]) < 1e-9
    )
    assert abs(result.above - np.count_nonzero(reference > clip[1])) <= np.count_nonzero(
        abs(reference - clip[1]) < 1e-9
    )


def test_float32_photos_agree_to_1e_6():
    photo = (PHOTO / 255).astype(np.float32)
    result = filter_image(photo, "gaussian_blur", clip=(0, 1))
    reference = np.clip(scipy_filter(photo, np.asarray(KERNELS["gaussian_blur"]), "replicate"), 0, 1)
    np.testing.assert_allclose(result.image, reference, atol=1e-6, rtol=0)


def test_float_photos_with_auto_keep_the_raw_sums():
    result = filter_image(PHOTO / 255.0, "outline")
    assert result.clip_range is None and result.clipped == 0 and result.image.min() < 0


@pytest.mark.parametrize("pad_mode", list(SCIPY_MODES))
def test_sobel_magnitude_equals_scipy(pad_mode):
    for photo in (PHOTO, GREY):
        result = filter_image(photo, "sobel", pad_mode=pad_mode)
        reference = scipy_sobel(photo, pad_mode)
        assert np.array_equal(result.image, to_uint8(reference))
        assert result.above == np.count_nonzero(np.rint(reference) > 255) and result.below == 0


def test_one_kernel_per_channel_blurs_red_sharpens_green_outlines_blue():
    stack = kernel_stack(LESSON_CHANNELS)
    result = filter_image(PHOTO, LESSON_CHANNELS)
    for c, name in enumerate(LESSON_CHANNELS):
        assert np.array_equal(stack[..., c], KERNELS[name])
        reference = scipy_filter(PHOTO[..., c], np.asarray(KERNELS[name]), "replicate")
        assert np.array_equal(result.image[..., c], to_uint8(reference)), name
    assert np.array_equal(filter_image(PHOTO, stack).image, result.image)


def test_stacks_refuse_what_cannot_be_stacked():
    with pytest.raises(ValueError, match="Sobel magnitude"):
        kernel_stack(["sobel", "sharpen", "outline"])
    with pytest.raises(ValueError, match="one shape"):
        kernel_stack(["gaussian_blur_5x5", "sharpen", "outline"])
    with pytest.raises(ValueError, match="channels"):
        filter_image(PHOTO, ["sharpen", "outline"])
    with pytest.raises(ValueError, match="per-channel stack"):
        filter_image(GREY, LESSON_CHANNELS)
    with pytest.raises(ValueError, match="kernel must be one of"):
        filter_image(PHOTO, "blurry")


def test_the_odd_kernel_turns_the_photo_white():
    result = filter_image(PHOTO, "odd")
    white = np.count_nonzero(result.image == 255)
    assert white / result.image.size > 0.95
    assert result.above == np.count_nonzero(scipy_filter(PHOTO, np.asarray(KERNELS["odd"]), "replicate") > 255)
    assert result.report().startswith(f"clipped {result.above:,} of {result.image.size:,} values")


def test_zeros_darkens_the_border_and_replicate_does_not():
    bright = sample_photo(width=60, grey=True)
    zeros = filter_image(bright, "box_blur", pad_mode="zeros").image.astype(int)
    replicate = filter_image(bright, "box_blur", pad_mode="replicate").image.astype(int)
    border = np.ones(bright.shape, bool)
    border[1:-1, 1:-1] = False
    assert np.array_equal(zeros[~border], replicate[~border])  # the inside is untouched by the padding
    # a 3x3 box over a zero pad keeps 6/9 of an edge pixel's mean and 4/9 of a corner's
    assert zeros[border].mean() < 0.75 * replicate[border].mean()
    assert abs(replicate[border].mean() - bright[border].mean()) < 10


def test_border_sheet_shows_the_dark_frame():
    photo = np.full((30, 40), 200, np.uint8)
    sheet = np.asarray(border_sheet(photo, corner=10).convert("L"))
    _, boxes = sheet_layout(["zeros", "replicate", "zeros, corner ×4", "replicate, corner ×4"], (40, 40), columns=2)
    (l0, t0, *_), (l1, t1, *_) = boxes[2], boxes[3]  # the enlarged corners: zeros, then replicate
    assert sheet[t0 + 1, l0 + 20] < 160  # the zero-padded top edge, enlarged, is darker
    assert sheet[t1 + 1, l1 + 20] == 200  # replicate: the flat photo stays flat


def test_contact_sheet_has_one_labelled_panel_per_filter():
    photo = sample_photo(width=60)
    results = apply_filters(photo)
    assert [label for label, _ in results] == [label for label, _ in LESSON_FILTERS]
    sheet = np.asarray(filter_sheet(photo))
    height, width = photo.shape[:2]
    size, boxes = sheet_layout([label for label, _ in LESSON_FILTERS], (width, height), columns=3)
    assert sheet.shape[1::-1] == size
    assert len({left for left, *_ in boxes}) == 3 and len({top for _, top, *_ in boxes}) == 2
    label_strips = []
    for (label, result), (left, top, right, bottom) in zip(results, boxes, strict=True):
        assert (right - left, bottom - top) == (width, height)
        assert np.array_equal(sheet[top:bottom, left:right], result.image), label
        strip = sheet[bottom : bottom + 20, left:right]
        assert (strip < 128).any(), f"no label under {label}"
        label_strips.append(strip)
    assert len({strip.tobytes() for strip in label_strips}) == len(LESSON_FILTERS)  # six different labels
    # panels do not overlap and everything fits on the sheet with a white margin
    assert boxes[1][0] > boxes[0][2] and boxes[3][1] > boxes[0][3] + 20
    assert sheet.shape[1] > boxes[-1][2] and sheet.shape[0] > boxes[-1][3] + 20
    assert (sheet[:, : boxes[0][0]] == 255).all() and (sheet[: boxes[0][1]] == 255).all()
    # the filtered panels are the lesson's filters, held against SciPy
    gaussian = scipy_filter(photo, np.asarray(KERNELS["gaussian_blur"]), "replicate")
    left, top, right, bottom = boxes[1]
    assert np.array_equal(sheet[top:bottom, left:right], to_uint8(gaussian))
    left, top, right, bottom = boxes[5]
    assert np.array_equal(sheet[top:bottom, left:right], to_uint8(scipy_sobel(photo, "replicate")))


def test_grey_sheet_shows_grey_panels():
    sheet = np.asarray(filter_sheet(GREY)).astype(int)
    for left, top, right, bottom in sheet_layout([label for label, _ in LESSON_FILTERS], GREY.shape[::-1])[1]:
        panel = sheet[top:bottom, left:right]
        assert (panel[..., 0] == panel[..., 1]).all() and (panel[..., 1] == panel[..., 2]).all()


@pytest.mark.parametrize("pad_mode", ["zeros", "replicate", "reflect", "circular"])
def test_per_channel_stack_equals_pytorch(pad_mode):
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    stack = kernel_stack(LESSON_CHANNELS)
    planes = torch.from_numpy(PHOTO.astype(np.float64)).permute(2, 0, 1)[None]  # (1, C, H, W)
    padded = functional.pad(planes, (1, 1, 1, 1), mode="constant" if pad_mode == "zeros" else pad_mode)
    weights = torch.from_numpy(np.moveaxis(stack, 2, 0)[:, None].astype(np.float64))  # (C, 1, 3, 3): one per channel
    reference = functional.conv2d(padded, weights, groups=3)[0].permute(1, 2, 0).numpy()
    assert np.array_equal(filter_image(PHOTO, stack, pad_mode=pad_mode).image, to_uint8(reference))
