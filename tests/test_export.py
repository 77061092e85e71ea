"""save_animation and atomic_write: formats, frame positions, atomic writing, determinism, errors."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from needed import missing
from PIL import Image

from visualizer import Convolution, save_animation
from visualizer.files import atomic_write
from visualizer.render.frame import FrameRenderer
from visualizer.text import caption

# conv_arithmetic's palette (DESIGN.md): the footprint is #073642 at 40 % over the cell's own fill
INPUT, OUTPUT, SHADE = np.array([38, 139, 210]), np.array([42, 161, 152]), np.array([7, 54, 66])
WHITE = np.array([255, 255, 255])


def shaded(fill: np.ndarray) -> np.ndarray:
    return 0.4 * SHADE + 0.6 * fill


def digits(shape, kernel=3, **params) -> Convolution:
    rng = np.random.default_rng(7)
    return Convolution(rng.integers(0, 10, shape), rng.integers(0, 3, (kernel, kernel)), **params)


def gif_frames(path) -> list[Image.Image]:
    with Image.open(path) as gif:
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(gif.convert("RGB"))
        return frames


def ffmpeg_or_skip() -> None:
    if shutil.which("ffmpeg") is None:
        missing("ffmpeg is not on PATH (apt-get install ffmpeg), so the MP4 tests cannot run")


def probe(path) -> dict:
    command = ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(path)]
    return json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)["streams"][0]


# -- GIF ---------------------------------------------------------------------------


def test_gif_has_one_frame_per_step_loops_and_holds_the_last(tmp_path):
    conv = digits((5, 5), padding=2)
    path = save_animation(conv, tmp_path / "full.gif", fps=4, hold=3, progress=False)
    with Image.open(path) as gif:
        assert gif.n_frames == 7 * 7
        assert gif.info["loop"] == 0
        durations = []
        for k in range(gif.n_frames):
            gif.seek(k)
            durations.append(gif.info["duration"])
    assert durations == [250] * 48 + [250 * 4]


@pytest.mark.parametrize(
    "params",
    [
        dict(shape=(5, 5), padding=1, stride=2),  # padding_strides
        dict(shape=(7, 7), dilation=2),  # only the sampled taps are shaded
        dict(shape=(4, 6), kernel=2, padding=((1, 0), (0, 2)), stride=(1, 3)),
    ],
)
@pytest.mark.parametrize("numbers", [False, True])
def test_gif_frame_k_shades_the_footprint_of_step_k(tmp_path, params, numbers):
    params = dict(params)
    conv = digits(params.pop("shape"), params.pop("kernel", 3), **params)
    frames = gif_frames(save_animation(conv, tmp_path / "steps.gif", numbers=numbers, progress=False))
    assert len(frames) == conv.num_steps
    renderer = FrameRenderer(conv, numbers=numbers)
    (m, n), (dr, dc) = conv.kernel.shape, conv.dilation
    rows, cols = conv.padded.shape

    def colour(frame, area, r, c):
        x0, y0, x1, y1 = renderer.cell_box(area, r, c)
        # with numbers the centre holds the value and the corner a weight: sample the fill near the top left
        x, y = ((x0 + x1) // 2, (y0 + y1) // 2) if not numbers else (x0 + 3, y0 + 3)
        return np.array(frame.getpixel((x, y)))

    for step, frame in zip(conv.steps(), frames, strict=True):
        taps = {(step.origin[0] + dr * u, step.origin[1] + dc * v) for u in range(m) for v in range(n)}
        for r, c in itertools.product(range(rows), range(cols)):
            fill = WHITE if conv.is_padding(r, c) else INPUT
            expected = shaded(fill) if (r, c) in taps else fill
            np.testing.assert_allclose(colour(frame, "input", r, c), expected, atol=4, err_msg=f"{step}, cell {r, c}")
        for index in range(conv.num_steps):
            i, j = divmod(index, conv.output_shape[1])
            if index < step.index:
                expected = OUTPUT
            elif index == step.index:
                expected = shaded(OUTPUT)
            else:
                expected = WHITE
            np.testing.assert_allclose(colour(frame, "output", i, j), expected, atol=4, err_msg=f"{step}, out {i, j}")


def test_same_call_gives_the_same_bytes(tmp_path):
    conv = digits((4, 4), padding=1, pad_mode="replicate", stride=2)
    for name in ("a.gif", "a.png", "a.html"):
        first = save_animation(conv, tmp_path / name, progress=False).read_bytes()
        assert save_animation(conv, tmp_path / name, progress=False).read_bytes() == first
        assert save_animation(conv, tmp_path / f"again_{name}", progress=False).read_bytes() == first
    one, two = (save_animation(conv, tmp_path / folder, progress=False) for folder in ("f1", "f2"))
    assert [p.read_bytes() for p in sorted(one.iterdir())] == [p.read_bytes() for p in sorted(two.iterdir())]


# -- other formats ------------------------------------------------------------------


def test_png_contact_sheet_lays_the_frames_out_like_the_output(tmp_path):
    conv = digits((5, 6), stride=(2, 1))  # output 2×4
    with Image.open(save_animation(conv, tmp_path / "sheet.png", progress=False)) as sheet:
        sheet.load()
    width, height = FrameRenderer(conv).size
    assert 4 * width < sheet.width < 4 * width + 200
    assert 2 * height < sheet.height < 2 * height + 200


def test_folder_of_numbered_frames(tmp_path):
    conv = digits((4, 4))
    path = save_animation(conv, tmp_path / "frames", progress=False)
    assert sorted(p.name for p in path.iterdir()) == [f"frame_00{k}.png" for k in range(4)]
    renderer = FrameRenderer(conv)
    for k in range(4):
        with Image.open(path / f"frame_{k:03d}.png") as frame:
            assert np.array_equal(np.array(frame), np.array(renderer.frame(k)))


def test_existing_folder_keeps_other_files_and_drops_stale_frames(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    save_animation(digits((5, 5)), tmp_path, progress=False)  # 9 frames
    save_animation(digits((4, 4)), tmp_path, progress=False)  # 4 frames
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["frame_000.png", "frame_001.png", "frame_002.png", "frame_003.png", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_html_player_is_self_contained(tmp_path):
    conv = digits((4, 5), stride=2)
    page = save_animation(conv, tmp_path / "player.html", progress=False).read_text(encoding="utf-8")
    assert "http" not in page.lower()
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', page)[1])
    assert len(data["patches"]) == len(data["captions"]) == conv.num_steps  # the first frame, then what changes
    assert data["sheets"] and all(sheet.startswith("data:image/png;base64,") for sheet in data["sheets"])
    assert len(data["cells"]["links"]) == conv.num_steps
    assert caption(conv.step(-1)) in page


def test_caption_of_a_colour_step():
    conv = Convolution(np.arange(48).reshape(4, 4, 3), np.ones((3, 3), int))
    assert caption(conv.step(0)) == (
        "red out[0, 0] = 1×0 + 1×3 + … + 1×27 + 1×30 = 135; green out[0, 0] = 1×1 + 1×4 + … + 1×28 + 1×31 = 144; "
        "blue out[0, 0] = 1×2 + 1×5 + … + 1×29 + 1×32 = 153"
    )


def test_mp4_through_ffmpeg(tmp_path):
    ffmpeg_or_skip()
    conv = digits((5, 5), padding=1)
    path = save_animation(conv, tmp_path / "movie.mp4", fps=5, hold=2, progress=False)
    stream = probe(path)
    assert stream["codec_name"] == "h264" and stream["pix_fmt"] == "yuv420p"
    assert int(stream["nb_read_frames"]) == conv.num_steps + 2
    assert (stream["width"], stream["height"]) == FrameRenderer(conv).size
    assert stream["r_frame_rate"] == "5/1"
    assert save_animation(conv, tmp_path / "again.mp4", fps=5, hold=2, progress=False).read_bytes() == path.read_bytes()


def test_mp4_pads_odd_frames_to_even_sides(tmp_path, monkeypatch):
    ffmpeg_or_skip()
    original = FrameRenderer.frame
    monkeypatch.setattr(FrameRenderer, "frame", lambda self, k: original(self, k).crop((0, 0, 301, 201)))
    stream = probe(save_animation(digits((4, 4)), tmp_path / "odd.mp4", progress=False))
    assert (stream["width"], stream["height"]) == (302, 202)


def test_mp4_when_ffmpeg_fails_says_why_and_keeps_the_old_file(tmp_path, monkeypatch):
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Unknown encoder libx264' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    target = tmp_path / "movie.mp4"
    target.write_bytes(b"the previous export")
    with pytest.raises(OSError, match="ffmpeg could not write the MP4: Unknown encoder libx264"):
        save_animation(digits((5, 5), padding=2), target, progress=False)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movie.mp4", "tools"]


def test_mp4_without_ffmpeg_names_the_program(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # nor the [video] extra's binary
    with pytest.raises(FileNotFoundError, match="'ffmpeg'"):
        save_animation(digits((4, 4)), tmp_path / "movie.mp4", progress=False)
    assert list(tmp_path.iterdir()) == []


# -- atomic writing -------------------------------------------------------------------


FORMATS = [".gif", ".png", ".html", ".mp4", ".apng", ".webp", ""]


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("existing", [False, True])
def test_failure_part_way_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch, suffix, existing):
    if suffix == ".mp4":
        ffmpeg_or_skip()
    target = tmp_path / f"out{suffix}"
    if existing and suffix:
        target.write_bytes(b"the previous export")
    elif existing:
        target.mkdir()
        (target / "frame_000.png").write_bytes(b"old frame")
        (target / "notes.txt").write_text("mine")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    original, calls = FrameRenderer.frame, itertools.count()

    def fail_after_three(self, index):
        if next(calls) == 3:
            raise RuntimeError("disk on fire")
        return original(self, index)

    monkeypatch.setattr(FrameRenderer, "frame", fail_after_three)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save_animation(digits((5, 5), padding=1), target, progress=False)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert sorted(tmp_path.rglob("*")) == sorted(set(before) | ({target} if existing else set()))


def test_gif_encoder_failing_after_some_bytes_keeps_the_old_file(tmp_path, monkeypatch):
    from PIL import GifImagePlugin

    target = tmp_path / "out.gif"
    target.write_bytes(b"the previous export")
    original, calls = GifImagePlugin._write_frame_data, itertools.count()

    def fail_on_the_fourth_frame(fp, *args, **kwargs):
        if next(calls) == 3:
            assert fp.tell() > 0  # the temporary file already holds three frames
            raise OSError("No space left on device")
        return original(fp, *args, **kwargs)

    monkeypatch.setattr(GifImagePlugin, "_write_frame_data", fail_on_the_fourth_frame)
    with pytest.raises(OSError, match="No space"):
        save_animation(digits((5, 5), padding=1), target, progress=False)
    assert target.read_bytes() == b"the previous export" and list(tmp_path.iterdir()) == [target]


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "data.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as temp:
        temp.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    with atomic_write(target) as temp:
        assert temp.parent == tmp_path and temp.suffix == ".txt"
        temp.write_text("new")
    assert target.read_text() == "new" and list(tmp_path.iterdir()) == [target]


def test_atomic_write_gives_new_files_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.txt") as temp:
            temp.write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_write_folder_swaps_in_a_new_folder(tmp_path):
    target = tmp_path / "frames"
    with atomic_write(target, folder=True) as temp:
        (temp / "a.png").write_bytes(b"a")
        assert not target.exists()
    assert [p.name for p in target.iterdir()] == ["a.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames"]


# -- progress and bad arguments -------------------------------------------------------------


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    conv = digits((5, 5), padding=2)
    save_animation(conv, tmp_path / "a.gif", progress=True)
    err = capsys.readouterr().err
    assert "a.gif:" in err and "/49 [" in err
    save_animation(conv, tmp_path / "b.gif")  # pytest's stderr is not a terminal
    save_animation(conv, tmp_path / "c.gif", progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "change, error, message",
    [
        (dict(path="out.bmp"), ValueError, r"\.gif, \.mp4, \.html, \.png"),
        (dict(path=3), TypeError, "path"),
        (dict(fps=0), ValueError, "fps"),
        (dict(fps=-1), ValueError, "fps"),
        (dict(fps=float("nan")), ValueError, "fps"),
        (dict(fps=60), ValueError, "fps"),
        (dict(fps="2"), ValueError, "fps"),
        (dict(hold=-1), ValueError, "hold"),
        (dict(hold=1.5), ValueError, "hold"),
        (dict(progress="yes"), TypeError, "progress"),
        (dict(progress=1), TypeError, "progress"),
        (dict(theme="neon"), ValueError, "theme must be one of default, colorblind, dark, classroom"),
        (dict(numbers="yes"), TypeError, "numbers"),
        (dict(conv=np.zeros((3, 3))), TypeError, "Convolution"),
        (dict(path="missing/out.gif"), FileNotFoundError, "missing"),
    ],
)
def test_bad_arguments_write_nothing(tmp_path, monkeypatch, change, error, message):
    monkeypatch.chdir(tmp_path)
    call = dict(conv=digits((4, 4)), path="out.gif") | change
    with pytest.raises(error, match=message):
        save_animation(call.pop("conv"), call.pop("path"), **call)
    assert list(tmp_path.iterdir()) == []


def test_target_under_a_file_is_refused(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="not an existing folder"):
        save_animation(digits((4, 4)), tmp_path / "file.txt" / "out.gif")


# The export in a child process, which prints the exception it raised.
UNWRITABLE_CHILD = """
import sys
import numpy as np
from visualizer import Convolution, save_animation
try:
    save_animation(Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3))), sys.argv[1], progress=False)
except Exception as error:
    print(f"{type(error).__name__}: {error}")
"""


def test_unwritable_folder_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    command = [sys.executable, "-c", UNWRITABLE_CHILD, str(folder / "out.gif")]
    if os.geteuid() == 0:
        # root writes into any folder through one capability, CAP_DAC_OVERRIDE: the child runs without
        # it (util-linux's setpriv drops it for good), as root in CI otherwise never meets the check
        setpriv = shutil.which("setpriv") or missing("setpriv is not installed (apt-get install util-linux)")
        command = [setpriv, "--inh-caps=-dac_override", "--bounding-set=-dac_override", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("PermissionError: ") and "not writable" in done.stdout, done.stdout
    assert list(folder.iterdir()) == []
