"""Vector frames: SVG and PDF carry the step's numbers as text, at the same places as the PNG frame."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from needed import missing
from PIL import Image
from reference import correlate_scipy, pad_image

import visualizer as vz
from visualizer.render.frame import FrameRenderer

SVG = "{http://www.w3.org/2000/svg}"
IMAGE = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2]])
KERNEL = np.array([[0, 1, -2], [2, 2, 0]])


def conv() -> vz.Convolution:
    return vz.Convolution(IMAGE, KERNEL, padding=1, stride=(1, 2))


def minus(value) -> str:
    return str(int(value)).replace("-", "−")


def svg_texts(root) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def polygon_boxes(root, fill: str) -> set[tuple[int, int, int, int]]:
    """Bounding boxes (right/bottom exclusive) of the SVG polygons painted in ``fill``."""
    boxes = set()
    for element in root.iter(f"{SVG}polygon"):
        if element.get("fill") == fill:
            points = [tuple(map(float, p.split(","))) for p in element.get("points").split()]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            boxes.add((round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))))
    return boxes


@pytest.mark.parametrize("step", [0, 5, 9])
def test_svg_holds_the_window_weights_and_sum_as_text(tmp_path, step: int) -> None:
    op = conv()
    path = vz.save_frame(op, step, tmp_path / "step.svg")
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    texts = svg_texts(root)
    padded = pad_image(IMAGE, (1, 1, 1, 1))
    i, j = divmod(step, op.output_shape[1])
    r0, c0 = i, 2 * j
    window = padded[r0 : r0 + 2, c0 : c0 + 3]
    expected = correlate_scipy(IMAGE, KERNEL, (1, 2), 1)[i, j]
    for value in window.ravel():
        assert minus(value) in texts
    for weight in KERNEL.ravel():
        assert minus(weight) in texts
    line = " ".join(t.strip() for t in texts if t.startswith(("out[", "    ")))  # the sum and its wrapped rest
    assert line.startswith(f"out[{i}, {j}] = ") and line.endswith(f"= {minus(expected)}")


def test_svg_footprint_sits_where_the_png_frame_draws_it(tmp_path) -> None:
    op = conv()
    renderer = FrameRenderer(op)
    shade = "#{:02x}{:02x}{:02x}".format(*renderer.builder.colours.shaded_input)
    for step in (0, 7):
        root = ET.fromstring(vz.save_frame(op, step, tmp_path / f"s{step}.svg").read_text(encoding="utf-8"))
        assert (root.get("width"), root.get("height")) == tuple(map(str, renderer.size))
        s = op.step(step)
        taps = {(s.origin[0] + u, s.origin[1] + v) for u in range(2) for v in range(3)}
        expected = set()
        for r, c in taps:
            if not op.is_padding(r, c):
                x0, y0, x1, y1 = renderer.cell_box("input", r, c)
                expected.add((x0, y0, x1 + 1, y1 + 1))  # inclusive pixels → the vector box's far edges
        # the products panel's window cells share the shade: look inside the input grid only
        x0, y0, x1, y1 = renderer.builder.grids["input"].region(0, 0, *op.padded.shape)
        inside = {b for b in polygon_boxes(root, shade) if x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1}
        assert inside == expected
        # and the PNG has that shade exactly there
        frame = renderer.frame(step).convert("RGB")
        for x0, y0, _, _ in expected:
            assert frame.getpixel((x0 + 2, y0 + 2)) == renderer.builder.colours.shaded_input


def test_svg_oblique_puts_planes_where_the_raster_does(tmp_path) -> None:
    op = conv()
    renderer = FrameRenderer(op, layout="oblique", numbers=False)
    root = ET.fromstring(vz.save_frame(op, 3, tmp_path / "o.svg", layout="oblique", numbers=False).read_text())
    lines = [element for element in root.iter(f"{SVG}polyline")]
    scene = renderer.scene(3)
    connectors = scene.find("connector")
    assert len(lines) == len(connectors) == 4
    for element, line in zip(lines, connectors, strict=True):
        points = [tuple(map(float, p.split(","))) for p in element.get("points").split()]
        assert np.allclose(points, line.points, atol=0.01)


def test_pdf_frame_and_handout(tmp_path) -> None:
    op = conv()
    frame = vz.save_frame(op, 2, tmp_path / "step.pdf")
    assert frame.read_bytes().startswith(b"%PDF-")
    handout = vz.save_animation(op, tmp_path / "handout.pdf", progress=False)
    data = handout.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == op.num_steps


def test_pdf_text_is_searchable(tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        missing("pdftotext is not installed (apt-get install poppler-utils)")
    op = conv()
    handout = vz.save_animation(op, tmp_path / "handout.pdf", progress=False, layout="oblique")
    expected = correlate_scipy(IMAGE, KERNEL, (1, 2), 1)
    for page in (1, op.num_steps):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(handout), "-"], capture_output=True, text=True
        ).stdout
        i, j = divmod(page - 1, op.output_shape[1])
        assert f"out[{i}, {j}] =" in text
        assert f"= {minus(expected[i, j])}" in text


def test_pdf_page_looks_like_the_png_frame(tmp_path) -> None:
    """Rasterised at one pixel per point, the PDF page matches the PNG frame in most pixels."""
    if shutil.which("pdftoppm") is None:
        missing("pdftoppm is not installed (apt-get install poppler-utils)")
    op = conv()
    renderer = FrameRenderer(op)
    pdf = vz.save_frame(op, 4, tmp_path / "step.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("RGB")).astype(int)
    png = np.asarray(renderer.frame(4).convert("RGB")).astype(int)
    assert page.shape == png.shape
    close = (np.abs(page - png).sum(axis=2) < 60).mean()
    assert close > 0.93, close
    # and the numbers sit where the PNG has them: cell by cell, the two agree on the text's dark-or-light pixels
    grid = renderer.builder.grids["input"]
    for r, c in np.ndindex(grid.rows, grid.cols):
        x0, y0, x1, y1 = grid.interior(r, c)
        ours, theirs = (np.abs(a[y0:y1, x0:x1] - a[y0 + 4, x0 + 4]).sum(axis=2) > 150 for a in (png, page))
        if ours.sum() > 10:  # a cell with a number in it
            overlap = (ours & theirs).sum() / max(ours.sum(), theirs.sum())
            assert overlap > 0.5, (r, c, overlap)


def test_bad_frame_paths(tmp_path) -> None:
    with pytest.raises(ValueError, match=r"path must end in \.png, \.svg, \.pdf"):
        vz.save_frame(conv(), 0, tmp_path / "step.gif")
    with pytest.raises(TypeError, match="path must be a str or path-like"):
        vz.save_frame(conv(), 0, 3)
    with pytest.raises(ValueError, match="layout must be one of flat, oblique"):
        vz.save_frame(conv(), 0, tmp_path / "x.svg", layout="tilted")
    with pytest.raises(IndexError):
        vz.save_frame(conv(), 99, tmp_path / "x.svg")
    assert not list(tmp_path.iterdir())
