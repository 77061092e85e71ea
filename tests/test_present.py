"""The classroom presenter, headless: real matplotlib key events on an Agg canvas.

After every key the state is checked, and the image on the canvas is compared
with a frame drawn independently from a Convolution the test builds itself.
"""

from __future__ import annotations

import os
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.backend_bases import FigureManagerBase, KeyEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from scipy import ndimage

from visualizer import KERNELS, Convolution, render_frame
from visualizer.presenter import KEYS, PresenterState
from visualizer.presenter_window import PresenterWindow
from visualizer.render.frame import FrameRenderer

IMAGE = np.arange(49).reshape(7, 7) % 10
KERNEL = np.array([[1, 0, 2], [0, 1, 0], [2, 0, 1]])


def _window(image=IMAGE, kernel=KERNEL, size=(1600, 1600), **style) -> PresenterWindow:
    # large enough by default that the whole frame shows at one pixel per pixel; smaller ones pan
    figure = Figure(figsize=(size[0] / 50, size[1] / 50), dpi=50)
    FigureCanvasAgg(figure)
    return PresenterWindow(figure, PresenterState(Convolution(image, kernel), **style))


def _press(window: PresenterWindow, key: str) -> None:
    canvas = window.figure.canvas
    x, y = canvas.get_width_height()
    canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, key, x // 2, y // 2))


def _assert_shows(window: PresenterWindow, conv: Convolution, step: int, *, numbers: bool = True) -> None:
    """The window's state is ``conv`` at ``step``, and its image is that frame."""
    state = window.state
    assert (state.conv.image.tolist(), state.conv.kernel.tolist()) == (conv.image.tolist(), conv.kernel.tolist())
    assert (state.conv.stride, state.conv.padding, state.conv.pad_mode) == (conv.stride, conv.padding, conv.pad_mode)
    assert (state.conv.dilation, state.step, state.numbers) == (conv.dilation, step, numbers)
    expected = np.asarray(render_frame(conv, step, theme="classroom", numbers=numbers).convert("RGB"))
    shown = window.view
    if shown.shape == expected.shape:
        np.testing.assert_array_equal(shown, expected)
    else:  # larger than the window: a piece of it, type no smaller than the theme allows (the panning test)
        assert window.scale == window.state.min_scale
        _locate(shown, expected)
    assert state.title.startswith(f"step {step + 1}/{conv.num_steps} · ")


def test_step_keys_and_playing():
    window = _window()
    conv = Convolution(IMAGE, KERNEL)  # 7×7 valid 3×3: 25 steps
    _assert_shows(window, conv, 0)
    for key, step in [("right", 1), ("right", 2), ("left", 1), ("end", 24), ("right", 24), ("home", 0), ("left", 0)]:
        _press(window, key)
        _assert_shows(window, conv, step)

    _press(window, " ")
    assert window.state.playing
    window.tick()
    window.tick()
    _assert_shows(window, conv, 2)
    _press(window, "end")  # stepping by hand stops playing
    assert not window.state.playing
    _press(window, " ")
    window.tick()  # after the last step comes the first
    _assert_shows(window, conv, 0)
    _press(window, " ")
    window.tick()
    assert not window.state.playing and window.state.step == 0


def test_speed_keys_change_the_timer():
    window = _window(fps=2)
    assert window.timer.interval == 500
    for key, fps in [("+", 3), ("=", 4), ("-", 3), ("-", 2), ("-", 1), ("-", 0.5)]:
        _press(window, key)
        assert window.state.fps == fps
        assert window.timer.interval == round(1000 / fps)
    for _ in range(12):
        _press(window, "+")
    assert window.state.fps == 24  # the fastest speed; + stops there


def test_parameter_keys_cycle_and_redraw():
    window = _window()
    conv = Convolution(IMAGE, KERNEL)
    _press(window, "right")
    _press(window, "right")
    _press(window, "n")
    _assert_shows(window, conv, 2, numbers=False)
    _press(window, "n")
    _assert_shows(window, conv, 2)

    for padding in ["same", "full", "valid", "same"]:
        _press(window, "p")
        conv = Convolution(IMAGE, KERNEL, padding=padding)
        _assert_shows(window, conv, 2)
    for stride in [2, 3, 1, 2]:
        _press(window, "s")
        conv = Convolution(IMAGE, KERNEL, padding="same", stride=stride)
        _assert_shows(window, conv, min(2, conv.num_steps - 1))
    for dilation in [2, 3]:
        _press(window, "d")
        conv = Convolution(IMAGE, KERNEL, padding="same", stride=2, dilation=dilation)
        _assert_shows(window, conv, 2)
    for pad_mode in ["replicate", "reflect", "circular", "zeros", "replicate"]:
        _press(window, "m")
        conv = Convolution(IMAGE, KERNEL, padding="same", stride=2, dilation=3, pad_mode=pad_mode)
        _assert_shows(window, conv, 2)
    assert window.state.title.endswith(", ".join(conv.formula()) + " · press h for keys")
    assert "stride 2" in window.state.title and "dilation 3" in window.state.title


def test_kernel_key_walks_the_presets():
    window = _window()
    names = list(KERNELS)
    for name in names + names[:1]:  # a kernel of one's own is not a preset: "k" starts at the first, and wraps
        _press(window, "k")
        conv = Convolution(IMAGE, KERNELS[name])
        _assert_shows(window, conv, 0)
        assert window.message.get_visible() and window.message.get_text() == f"kernel {name}"
    assert names[0] == "identity"
    np.testing.assert_array_equal(window.state.conv.result(), IMAGE[1:-1, 1:-1])


def test_impossible_combination_keeps_the_last_good_state():
    image = np.arange(25).reshape(5, 5)
    window = _window(image)
    conv = Convolution(image, KERNEL, dilation=2)  # the taps span 5 pixels: exactly the input
    _press(window, "d")
    _press(window, "right")
    _assert_shows(window, Convolution(image, KERNEL, dilation=2), 0)  # one step only: right stays
    assert not window.message.get_visible() and not window.state.problem

    _press(window, "d")  # dilation 3 spans 7 pixels of a 5×5 input: impossible
    _assert_shows(window, conv, 0)
    assert window.message.get_visible()
    assert window.message.get_text().startswith("dilation 3 cannot work here: kernel spans 7 pixels")
    assert window.state.problem and window.message.get_color() == "#dc322f"
    window.figure.canvas.draw()  # the message is drawn on the canvas, not only kept in the state
    assert window.message.get_window_extent().width > 100

    _press(window, "s")  # the next good change clears the message
    _assert_shows(window, Convolution(image, KERNEL, dilation=2, stride=2), 0)
    assert not window.message.get_visible()


def test_random_input_keeps_the_shape_and_range():
    window = _window(seed=3)
    _press(window, "r")
    image = window.state.conv.image
    assert image.shape == IMAGE.shape and image.dtype == IMAGE.dtype
    assert image.min() >= 0 and image.max() <= 9 and not np.array_equal(image, IMAGE)
    _assert_shows(window, Convolution(image.copy(), KERNEL), 0)
    reference = ndimage.correlate(image, KERNEL, mode="constant")[1:-1, 1:-1]
    np.testing.assert_array_equal(window.state.conv.result(), reference)


def test_g_saves_a_gif_in_the_working_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    window = _window()
    _press(window, "s")
    _press(window, "g")
    path = tmp_path / "conv-7x7-k3x3-s2-valid-zeros-d1.gif"
    assert window.state.saved == path and path.is_file()
    assert str(path) in capsys.readouterr().out
    assert window.message.get_text() == f"saved {path.name}"
    conv = Convolution(IMAGE, KERNEL, stride=2)
    with Image.open(path) as gif:
        assert gif.n_frames == conv.num_steps
        gif.seek(1)
        expected = render_frame(conv, 1, theme="classroom").convert("RGB")
        np.testing.assert_array_equal(np.asarray(gif.convert("RGB")), np.asarray(expected))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing half-written left behind


def test_help_overlay_lists_every_key_and_quit_closes():
    window = _window()
    _press(window, "h")
    assert window.help.get_visible()
    for key, what in KEYS:
        assert key in window.help.get_text() and what in window.help.get_text()
    _press(window, "h")
    assert not window.help.get_visible()
    for key in ("q", "escape"):
        other = _window()
        _press(other, " ")
        _press(other, key)
        assert other.state.quit


def test_matplotlib_keys_are_off_for_this_figure_only():
    before = {k: list(v) for k, v in matplotlib.rcParams.items() if k.startswith("keymap.")}
    figure = Figure(figsize=(8, 6), dpi=50)
    manager = FigureManagerBase(FigureCanvasAgg(figure), 1)  # connects matplotlib's own key handler
    assert manager.key_press_handler_id is not None
    window = PresenterWindow(figure, PresenterState(Convolution(IMAGE, KERNEL)))
    probe = figure.add_axes((0, 0, 1, 1))  # the window draws no axes: one under the mouse for the keys to reach
    for key in ("l", "L"):  # log scales, had matplotlib's handler seen them ("k" and "g" are ours)
        _press(window, key)
    assert (probe.get_xscale(), probe.get_yscale()) == ("linear", "linear")
    assert {k: list(v) for k, v in matplotlib.rcParams.items() if k.startswith("keymap.")} == before
    toggles = []
    manager.full_screen_toggle = lambda: toggles.append(True)
    _press(window, "f")  # full screen stays, through the window's manager
    assert toggles == [True]
    other = Figure()  # a figure of one's own keeps matplotlib's keys
    FigureManagerBase(FigureCanvasAgg(other), 2)
    axes = other.add_axes((0, 0, 1, 1))
    canvas = other.canvas
    canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, "l", 50, 50))
    assert axes.get_yscale() == "log"


def test_bad_arguments():
    conv = Convolution(IMAGE, KERNEL)
    with pytest.raises(TypeError, match="op must be a visualizer Convolution, .*, Pooling or ConvLayer"):
        PresenterState(IMAGE)
    with pytest.raises(ValueError, match="fps must be a positive number"):
        PresenterState(conv, fps=0)
    with pytest.raises(ValueError, match="theme"):
        PresenterState(conv, theme="neon")


def test_import_opens_nothing_and_no_display_is_one_line(tmp_path):
    code = "import sys, visualizer.presenter; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "present"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.startswith("convviz: error: the presenter needs a window") and done.stderr.count("\n") == 1


def test_visualizer_present_is_the_presenter_function():
    import visualizer
    from visualizer.presenter import present

    assert visualizer.present is present


def test_a_large_grid_pans_instead_of_shrinking_the_type():
    """A 25×25 input in the classroom theme on a 1280×800 window: the type stays at 18 px or more.

    The frame fits 1920×1080 (smaller type, or pictures and a magnifier): the window scales it no further
    than keeps its numbers at 18 px, and pans.
    """
    image = np.arange(625).reshape(25, 25) % 10
    window = _window(image, KERNEL, size=(1280, 800))
    state = window.state
    frame = np.asarray(state.frame())
    shown = window.view
    drawn = FrameRenderer(state.conv, theme="classroom").builder.theme.value_size
    assert window.scale == 18 / drawn and window.scale * drawn >= 18
    assert shown.shape[0] < frame.shape[0] or shown.shape[1] < frame.shape[1]
    for key in ("end", "home", "right"):
        _press(window, key)
        renderer = FrameRenderer(state.conv, theme="classroom")
        step = state.conv.step(state.step)
        shown = window.view
        frame = np.asarray(state.frame())
        # the view is a piece of the frame, cut out where the footprint is
        (top, left), found = _locate(shown, frame), None
        x0, y0, x1, y1 = renderer.cell_box("input", *step.origin)
        found = top <= y0 and y1 < top + shown.shape[0] and left <= x0 and x1 < left + shown.shape[1]
        assert found, (key, top, left, (x0, y0))
    # and on screen a value's digits stand at least 12 px tall (24 px type, its digits ~0.73 em, at 0.75)
    renderer = FrameRenderer(state.conv, theme="classroom")
    scene = renderer.scene(0)
    item = (scene.texts("value", "input") or scene.texts("products", 0, "window"))[0]
    bounds = glyph_height(renderer, item)
    assert bounds * window.scale >= 12, bounds


def glyph_height(renderer, item) -> int:
    """How tall a text item paints on its own, in frame pixels."""
    from PIL import Image

    painted = []
    for fill in (0, 1):
        picture = Image.new("L", renderer.size, fill)
        renderer.painter.paint(picture, item)
        painted.append(np.asarray(picture).astype(int))
    rows = np.nonzero((painted[0] == painted[1]).any(axis=1))[0]
    return int(rows.max() - rows.min() + 1)


def _locate(piece: np.ndarray, whole: np.ndarray) -> tuple[int, int]:
    """Where ``piece`` sits in ``whole`` (its top-left corner), found by matching its first row and column."""
    h, w = piece.shape[:2]
    for top in range(whole.shape[0] - h + 1):
        for left in range(whole.shape[1] - w + 1):
            if (
                np.array_equal(whole[top, left : left + w], piece[0])
                and np.array_equal(whole[top : top + h, left], piece[:, 0])
                and np.array_equal(whole[top : top + h, left : left + w], piece)
            ):
                return top, left
    raise AssertionError("the view is not a piece of the frame")


def test_page_keys_jump_one_output_row():
    state = PresenterState(Convolution(np.arange(42).reshape(6, 7), KERNEL))  # output 4×5: rows of 5 steps
    assert state.press("pagedown") and state.step == 5
    state.press("right")
    state.press("pagedown")
    assert state.step == 11 and state.conv.step(state.step).out_index == (2, 1)
    state.press("pageup")
    assert state.conv.step(state.step).out_index == (1, 1)
    for key, step in [("pagedown", 11), ("pagedown", 16), ("pagedown", 19), ("pageup", 14), ("home", 0), ("pageup", 0)]:
        state.press(key)
        assert state.step == step, key
    state.playing = True
    state.press("pagedown")
    assert not state.playing  # stepping by hand stops playing


def test_the_window_draws_the_scaled_frame_pixel_for_pixel():
    """The view is scaled once (Pillow's Lanczos) and the canvas shows exactly those pixels, unresampled."""
    from PIL import Image

    for size in ((1600, 1600), (900, 700)):  # a frame scaled up, and one scaled down
        window = _window(size=size)
        shown = np.asarray(window.image.get_array())
        rows, cols = window.view.shape[:2]
        assert shown.shape[:2] == (round(rows * window.scale), round(cols * window.scale)) != (rows, cols)
        lanczos = Image.fromarray(window.view).resize(shown.shape[1::-1], Image.Resampling.LANCZOS)
        np.testing.assert_array_equal(shown, np.asarray(lanczos))
        window.figure.canvas.draw()
        canvas = np.asarray(window.figure.canvas.buffer_rgba())[..., :3]
        _locate(shown, canvas)  # raises when the picture is not on the canvas as it is
