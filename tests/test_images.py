"""visualizer.images: every kind of file in, PNG/JPEG out, the sample photo, crops, bad files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from visualizer import images
from visualizer.images import load_image, photo_crop, sample_photo, save_image

RNG = np.random.default_rng(7)
RGB = RNG.integers(0, 256, size=(12, 16, 3), dtype=np.uint8)
GREY = RNG.integers(0, 256, size=(12, 16), dtype=np.uint8)


def luma(rgb: np.ndarray) -> np.ndarray:
    # ITU-R 601-2, the weights Pillow documents for convert("L"), computed here in floats
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


# -- modes ----------------------------------------------------------------------


def test_rgb_and_grey_png_round_trip_exactly(tmp_path):
    Image.fromarray(RGB).save(tmp_path / "rgb.png")
    Image.fromarray(GREY).save(tmp_path / "grey.png")
    assert np.array_equal(load_image(tmp_path / "rgb.png"), RGB)
    assert np.array_equal(load_image(tmp_path / "grey.png"), GREY)
    assert load_image(tmp_path / "grey.png").ndim == 2  # grey stays 2-D, no fake channels


def test_grey_option_gives_luma(tmp_path):
    Image.fromarray(RGB).save(tmp_path / "rgb.png")
    grey = load_image(tmp_path / "rgb.png", grey=True)
    assert grey.shape == RGB.shape[:2]
    assert np.abs(grey.astype(float) - luma(RGB.astype(float))).max() <= 1


def test_float_dtypes_scale_to_one(tmp_path):
    Image.fromarray(RGB).save(tmp_path / "rgb.png")
    for dtype in ("float32", "float64", "float", np.float32):
        photo = load_image(tmp_path / "rgb.png", dtype=dtype)
        assert photo.dtype.kind == "f"
        np.testing.assert_allclose(photo, RGB / 255, atol=1e-6)
    with pytest.raises(ValueError, match="dtype must be one of"):
        load_image(tmp_path / "rgb.png", dtype="int16")


def test_alpha_is_composited_over_white(tmp_path):
    alpha = RNG.integers(0, 256, size=RGB.shape[:2], dtype=np.uint8)
    Image.fromarray(np.dstack([RGB, alpha])).save(tmp_path / "rgba.png")
    expected = RGB * (alpha[..., None] / 255) + 255 * (1 - alpha[..., None] / 255)
    photo = load_image(tmp_path / "rgba.png")
    assert photo.shape == RGB.shape
    assert np.abs(photo - expected).max() <= 1
    Image.fromarray(np.dstack([GREY, alpha])).convert("LA").save(tmp_path / "la.png")
    grey_expected = GREY * (alpha / 255) + 255 * (1 - alpha / 255)
    assert np.abs(load_image(tmp_path / "la.png") - grey_expected).max() <= 1


def test_palette_images_become_rgb_and_transparent_index_white(tmp_path):
    picture = Image.fromarray(RGB).quantize(8)
    picture.save(tmp_path / "palette.png")
    palette = np.array(picture.getpalette()[: 3 * 8]).reshape(8, 3)
    indices = np.asarray(picture)
    assert np.array_equal(load_image(tmp_path / "palette.png"), palette[indices])
    picture.info["transparency"] = int(indices[0, 0])
    picture.save(tmp_path / "transparent.gif", transparency=int(indices[0, 0]))
    photo = load_image(tmp_path / "transparent.gif")
    assert (photo[indices == indices[0, 0]] == 255).all()


def test_16_bit_grey_keeps_its_precision_until_the_end(tmp_path):
    deep = (np.arange(12 * 16, dtype=np.uint32).reshape(12, 16) * 341 + 5).astype(np.uint16)
    Image.fromarray(deep).save(tmp_path / "deep.png")
    assert Image.open(tmp_path / "deep.png").mode.startswith("I;16")
    np.testing.assert_allclose(load_image(tmp_path / "deep.png", dtype="float64"), deep / 65535, atol=1e-12)
    assert np.array_equal(load_image(tmp_path / "deep.png"), np.rint(deep / 257).astype(np.uint8))


def test_cmyk_and_bilevel_are_converted(tmp_path):
    Image.fromarray(RGB).convert("CMYK").save(tmp_path / "cmyk.jpg", quality=95)
    assert load_image(tmp_path / "cmyk.jpg").shape == RGB.shape
    Image.fromarray(GREY > 127).save(tmp_path / "bits.png")
    assert set(np.unique(load_image(tmp_path / "bits.png"))) <= {0, 255}


@pytest.mark.parametrize("mode", ["F", "I"])
def test_modes_without_fixed_black_and_white_are_rejected(tmp_path, mode):
    Image.fromarray(GREY.astype(np.float32)).convert(mode).save(tmp_path / "wide.tif")
    with pytest.raises(ValueError, match=f"mode '{mode}'"):
        load_image(tmp_path / "wide.tif")


def test_exif_orientation_is_applied(tmp_path):
    tall = np.zeros((40, 20, 3), np.uint8)
    tall[:10, :10] = 255  # a white block in the top-left of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.fromarray(tall).save(tmp_path / "phone.jpg", exif=exif, quality=95)
    photo = load_image(tmp_path / "phone.jpg", grey=True)
    assert photo.shape == (20, 40)
    # rotated clockwise, the stored top-left lands in the displayed top-right
    assert photo[:10, -10:].mean() > 200 and photo[:10, :10].mean() < 50


def test_width_resizes_keeping_the_aspect_ratio(tmp_path):
    Image.fromarray(np.full((300, 400, 3), 90, np.uint8)).save(tmp_path / "big.png")
    photo = load_image(tmp_path / "big.png", width=200)
    assert photo.shape == (150, 200, 3) and (photo == 90).all()
    for width in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="width"):
            load_image(tmp_path / "big.png", width=width)


# -- bad files --------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_image(tmp_path / "absent.png")


def test_not_an_image(tmp_path):
    (tmp_path / "notes.png").write_text("hello, not pixels")
    with pytest.raises(ValueError, match="not an image"):
        load_image(tmp_path / "notes.png")


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_truncated_image(tmp_path, suffix):
    path = tmp_path / f"whole{suffix}"
    Image.fromarray(RNG.integers(0, 256, size=(64, 64, 3), dtype=np.uint8)).save(path)
    data = path.read_bytes()
    (tmp_path / f"cut{suffix}").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="damaged or truncated"):
        load_image(tmp_path / f"cut{suffix}")


def big_png_header(path: Path, width: int, height: int) -> None:
    """A PNG that claims width×height grey pixels: the header alone is enough for Pillow's bomb check."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused(tmp_path):
    big_png_header(tmp_path / "bomb.png", 30000, 30000)  # 900 Mpixel, over twice the limit
    with pytest.raises(ValueError, match="too large"):
        load_image(tmp_path / "bomb.png")


def test_the_bomb_limit_is_pillows_own(tmp_path, monkeypatch):
    Image.fromarray(RGB).save(tmp_path / "small.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", RGB.shape[0] * RGB.shape[1] // 3)
    with pytest.raises(ValueError, match="too large"):
        load_image(tmp_path / "small.png")


# -- saving -------------------------------------------------------------------------


def test_save_png_round_trips_and_jpeg_is_close(tmp_path):
    save_image(RGB, tmp_path / "out.png")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "out.png")), RGB)
    smooth = np.repeat(np.linspace(0, 255, 16, dtype=np.uint8)[None, :, None], 12, axis=0).repeat(3, axis=2)
    save_image(smooth, tmp_path / "out.jpg")
    assert np.abs(np.asarray(Image.open(tmp_path / "out.jpg")).astype(int) - smooth).mean() < 3


def test_save_maps_value_range_to_black_and_white(tmp_path):
    values = np.array([[-1.0, 0.0, 1.0]])
    save_image(values, tmp_path / "signed.png", value_range=(-1, 1))
    assert np.asarray(Image.open(tmp_path / "signed.png")).tolist() == [[0, 128, 255]]
    save_image(np.array([[0.0, 0.25, 1.0]]), tmp_path / "unit.png")
    assert np.asarray(Image.open(tmp_path / "unit.png")).tolist() == [[0, 64, 255]]


def test_save_refuses_bad_input_and_leaves_the_target_alone(tmp_path):
    target = tmp_path / "keep.png"
    target.write_bytes(b"old contents")
    with pytest.raises(ValueError, match="outside value_range"):
        save_image(np.array([[0.0, 1.5]]), target)
    with pytest.raises(ValueError, match=r"\.png, \.jpg"):
        save_image(RGB, tmp_path / "out.bmp")
    with pytest.raises(ValueError, match="shape"):
        save_image(np.zeros((4, 4, 2), np.uint8), target)
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.png"]


def test_a_failing_save_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "keep.png"
    target.write_bytes(b"old contents")

    def broken_save(self, fp, *args, **kwargs):
        Path(fp).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_image(RGB, target)
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.png"]


# -- the sample photo and crops -------------------------------------------------------------


def test_sample_photo_is_the_lessons_size():
    photo = sample_photo()
    assert photo.dtype == np.uint8 and photo.shape[1] == 200 and photo.shape[2] == 3
    assert photo.std() > 30  # a real picture, not a flat fill
    assert sample_photo(grey=True).shape == photo.shape[:2]
    assert sample_photo(width=None).shape[1] > 200
    np.testing.assert_allclose(sample_photo(width=64, dtype="float64"), sample_photo(width=64) / 255, atol=1e-12)


def test_sample_photo_falls_back_to_a_drawn_picture(monkeypatch):
    monkeypatch.setattr(images, "sample_path", lambda: None)
    photo = sample_photo()
    assert photo.shape == (234, 200, 3)
    assert len(np.unique(photo.reshape(-1, 3), axis=0)) > 100  # gradients and texture for the filters


def test_photo_crop_holds_real_pixels():
    photo = sample_photo(grey=True)
    crop = photo_crop(8, row=40, col=60)
    assert np.array_equal(crop, photo[40:48, 60:68])
    assert photo_crop((3, 5), grey=False, row=0, col=0).shape == (3, 5, 3)
    default = photo_crop()
    assert default.shape == (8, 8) and default.std() > 20  # an edge runs through it
    rows = [photo[r : r + 8] for r in range(photo.shape[0] - 7)]
    assert any(np.array_equal(default, band[:, c : c + 8]) for band in rows for c in range(photo.shape[1] - 7))


def test_photo_crop_refuses_positions_outside_the_photo():
    with pytest.raises(ValueError, match="row/col"):
        photo_crop(8, row=1000, col=0)
    with pytest.raises(ValueError, match="size"):
        photo_crop(0)
