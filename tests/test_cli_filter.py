"""`convviz filter`, `convviz filters` and `--values photo`: outputs, the clipping report, bad input."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage
from test_images import big_png_header

from visualizer import KERNELS
from visualizer.cli import main
from visualizer.images import photo_crop, sample_photo


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def pixels(path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture)


def scipy_uint8(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    planes = [ndimage.correlate(image[..., c].astype(float), kernel, mode="nearest") for c in range(image.shape[2])]
    return np.clip(np.rint(np.stack(planes, axis=-1)), 0, 255).astype(np.uint8)


def test_filter_sobel_writes_the_magnitude_and_reports_clipping(tmp_path, capsys):
    status, out, err = run(capsys, "filter", "--kernel", "sobel", "-o", str(tmp_path / "edges.png"))
    assert status == 0, err
    photo = sample_photo().astype(float)
    sx = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float)
    gx = np.stack([ndimage.correlate(photo[..., c], sx, mode="nearest") for c in range(3)], axis=-1)
    gy = np.stack([ndimage.correlate(photo[..., c], sx.T, mode="nearest") for c in range(3)], axis=-1)
    magnitude = np.hypot(gx, gy)
    assert np.array_equal(pixels(tmp_path / "edges.png"), np.clip(np.rint(magnitude), 0, 255).astype(np.uint8))
    above = np.count_nonzero(np.rint(magnitude) > 255)
    assert f"{above:,} above 255" in out and "0 below 0" in out


def test_kernel_and_kernel_values_are_the_same_option(tmp_path, capsys):
    run(capsys, "filter", "--kernel", "emboss", "-o", str(tmp_path / "a.png"))
    run(capsys, "filter", "--kernel-values", "emboss", "-o", str(tmp_path / "b.png"))
    expected = scipy_uint8(sample_photo(), np.asarray(KERNELS["emboss"], float))
    assert np.array_equal(pixels(tmp_path / "a.png"), expected)
    assert np.array_equal(pixels(tmp_path / "b.png"), expected)


def test_custom_kernel_from_a_file_and_inline(tmp_path, capsys):
    weights = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]], float)  # shift left by one pixel
    np.savetxt(tmp_path / "shift.csv", weights, delimiter=",")
    assert run(capsys, "filter", "--kernel-values", str(tmp_path / "shift.csv"), "-o", str(tmp_path / "f.png"))[0] == 0
    assert run(capsys, "filter", "--kernel-values", "0,0,0;0,0,1;0,0,0", "-o", str(tmp_path / "i.png"))[0] == 0
    photo = sample_photo()
    for name in ("f.png", "i.png"):
        assert np.array_equal(pixels(tmp_path / name)[:, :-1], photo[:, 1:])


def test_channels_give_one_kernel_per_channel(tmp_path, capsys):
    status, out, _ = run(
        capsys, "filter", "--channels", "gaussian_blur,sharpen,outline", "-o", str(tmp_path / "stack.png")
    )
    assert status == 0 and "clipped" in out
    result, photo = pixels(tmp_path / "stack.png"), sample_photo()
    for c, name in enumerate(("gaussian_blur", "sharpen", "outline")):
        expected = scipy_uint8(photo[..., c : c + 1], np.asarray(KERNELS[name], float))[..., 0]
        assert np.array_equal(result[..., c], expected), name


def test_size_grey_pad_mode_and_float_clip(tmp_path, capsys):
    source = tmp_path / "photo.png"
    Image.fromarray(sample_photo(width=None)).save(source)
    argv = ["filter", str(source), "--kernel", "outline", "--size", "64", "--grey", "--pad-mode", "zeros"]
    assert run(capsys, *argv, "--clip=-1,1", "-o", str(tmp_path / "o.png"))[0] == 0
    grey = sample_photo(width=64, grey=True) / 255
    raw = ndimage.correlate(grey, np.asarray(KERNELS["outline"], float), mode="constant")
    expected = np.rint((np.clip(raw, -1, 1) + 1) / 2 * 255)  # -1 saved black, 1 white
    assert np.abs(pixels(tmp_path / "o.png").astype(int) - expected).max() <= 1
    assert run(capsys, "filter", "--kernel", "odd", "--size", "full", "-o", str(tmp_path / "full.png"))[0] == 0
    assert pixels(tmp_path / "full.png").shape == sample_photo(width=None).shape


def test_odd_kernel_report_says_the_photo_went_white(tmp_path, capsys):
    status, out, _ = run(capsys, "filter", "--kernel", "odd", "-o", str(tmp_path / "white.png"))
    assert status == 0
    assert (pixels(tmp_path / "white.png") == 255).mean() > 0.95
    share = float(out.split("(")[-1].split(" %")[0])
    assert share > 95


def test_filters_writes_the_lessons_sheet(tmp_path, capsys):
    status, out, err = run(capsys, "filters", "-o", str(tmp_path / "sheet.png"), "--size", "80")
    assert status == 0, err
    assert "6 panels" in out
    for label in ("Gaussian blur", "sharpen", "emboss", "outline", "Sobel"):
        assert f"{label}: clipped" in out
    sheet = pixels(tmp_path / "sheet.png")
    height = sample_photo(width=80).shape[0]
    assert sheet.shape[1] > 3 * 80 and sheet.shape[0] > 2 * height


def test_filters_compares_pad_modes(tmp_path, capsys):
    status, out, _ = run(capsys, "filters", "--compare-pad-modes", "--grey", "-o", str(tmp_path / "border.png"))
    assert status == 0 and "zeros and replicate" in out
    sheet = pixels(tmp_path / "border.png")
    assert sheet.shape[1] > 2 * 200 and sheet.shape[0] > 2 * sample_photo().shape[0]


def test_values_photo_steps_through_real_pixels(capsys):
    status, out, _ = run(capsys, "steps", "--values", "photo", "--input", "4x4", "--kernel-values", "identity")
    assert status == 0
    crop = photo_crop((4, 4))
    output = [[int(v) for v in line.split()] for line in out.split("output:")[1].strip().splitlines()]
    assert output == crop[1:3, 1:3].tolist()
    status, out, _ = run(capsys, "info", "--values", "photo", "--input", "6x7x3")
    assert status == 0 and "input 6×7×3" in out


def test_animate_values_photo(tmp_path, capsys):
    status, _, err = run(capsys, "animate", "--values", "photo", "--input", "5x5", "-o", str(tmp_path / "crop.png"))
    assert status == 0, err
    assert (tmp_path / "crop.png").stat().st_size > 0


# -- bad input: one line, status 2, nothing written ------------------------------------------------------


def bad_photos(tmp_path):
    (tmp_path / "text.png").write_text("not pixels")
    Image.fromarray(sample_photo(width=64)).save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    big_png_header(tmp_path / "bomb.png", 30000, 30000)
    Image.fromarray(sample_photo(width=16, grey=True).astype(np.float32)).save(tmp_path / "float.tif")
    return {
        "absent.png": "no such file",
        "text.png": "not an image",
        "cut.png": "truncated",
        "bomb.png": "too large",
        "float.tif": "mode 'F'",
    }


def bad_kernels(tmp_path):
    (tmp_path / "ragged.csv").write_text("1,2,3\n4,5\n")
    (tmp_path / "words.csv").write_text("1,2,3\n4,five,6\n7,8,9\n")
    np.save(tmp_path / "four_d.npy", np.ones((3, 3, 3, 1)))
    np.save(tmp_path / "two_channels.npy", np.ones((3, 3, 2)))
    return {
        ("--kernel", "0x3"): "--kernel needs 2 or 3 positive sizes",
        ("--kernel", "blurry"): "is not a kernel name",
        ("--kernel", "missing.csv"): "no such file",
        ("--kernel-values", str(tmp_path / "ragged.csv")): "row 2 has 2 numbers but row 1 has 3",
        ("--kernel-values", str(tmp_path / "words.csv")): "row 2, column 2: 'five' is not a number",
        ("--kernel-values", str(tmp_path / "four_d.npy")): "kernel must be 2-D",
        ("--kernel-values", str(tmp_path / "two_channels.npy")): "kernel has 2 channels",
        ("--channels", "sobel,sharpen,outline"): "Sobel magnitude",
        ("--channels", "sharpen,outline"): "channels",
        ("--kernel=sobel --clip", "wide"): "--clip must be",
        ("--kernel=sobel --size", "big"): "--size must be",
        ("--kernel=sobel --pad-mode", "mirror"): "pad_mode must be",
    }


def test_bad_photos_exit_2_with_one_line_and_write_nothing(tmp_path, capsys):
    target = tmp_path / "out.png"
    target.write_bytes(b"earlier result")
    for name, message in bad_photos(tmp_path).items():
        status, out, err = run(capsys, "filter", str(tmp_path / name), "--kernel", "sobel", "-o", str(target))
        assert status == 2, name
        assert err.count("\n") == 1 and message in err and err.startswith("convviz: error:"), err
        assert target.read_bytes() == b"earlier result"
        status, _, err = run(capsys, "filters", str(tmp_path / name), "-o", str(target))
        assert status == 2 and message in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_bad_kernels_and_options_exit_2_with_one_line(tmp_path, capsys):
    target = tmp_path / "out.png"
    for (option, value), message in bad_kernels(tmp_path).items():
        status, _, err = run(capsys, "filter", *f"{option}={value}".split(" "), "-o", str(target))
        assert status == 2, (option, value)
        assert err.count("\n") == 1 and message in err, err
    assert not target.exists()
    assert run(capsys, "filter", "-o", str(target))[0] == 2  # no kernel at all
    status, _, err = run(capsys, "filter", "--kernel", "sobel", "--channels", "a,b,c", "-o", str(target))
    assert status == 2 and "one of" in err
    status, _, err = run(capsys, "filter", "--channels", "gaussian_blur,sharpen,outline", "--grey", "-o", str(target))
    assert status == 2 and "grey" in err
    status, _, err = run(capsys, "filter", "--kernel", "sobel", "-o", str(tmp_path / "out.bmp"))
    assert status == 2 and ".png" in err
    assert not target.exists() and not (tmp_path / "out.bmp").exists()


def test_values_photo_refuses_other_channel_counts(capsys):
    status, _, err = run(capsys, "info", "--values", "photo", "--input", "4x4x2")
    assert status == 2 and "RGB" in err


def test_values_photo_refuses_crops_the_photo_cannot_give(capsys):
    status, _, err = run(capsys, "info", "--values", "photo", "--input", "0x4")
    assert status == 2 and err.count("\n") == 1


def test_values_photo_taller_than_the_photo_is_the_photo_resized(capsys):
    # 300 rows is more than the lesson photo's 234: the photo is resized to cover 300×4, then cut to it
    status, out, _ = run(capsys, "info", "--values", "photo", "--input", "300x4")
    assert status == 0 and "input 300×4" in out
