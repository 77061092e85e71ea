"""The classroom window itself: a matplotlib figure that shows a :class:`PresenterState` and takes its keys."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist

from .presenter import KEYS, PROBLEM_COLOUR, STATUS_LINE, PresenterState
from .render.style import contrast, get_theme, rgb


class PresenterWindow:
    """A matplotlib figure showing a :class:`PresenterState` and passing it the keys.

    Works on any canvas: a real window, or ``FigureCanvasAgg`` in tests (the
    timer then never fires; call :meth:`tick`). Matplotlib's own key bindings
    ("s" save, "p" pan, "k"/"l" log scale, "g" grid, "h"/"r" home, …) are
    switched off for this figure only; "f" still toggles full screen.
    ``view`` is the part of the frame on show and ``scale`` its size on screen;
    ``image`` draws it at that size, one picture pixel per screen pixel.
    """

    def __init__(self, figure: Any, state: PresenterState):
        self.figure = figure
        self.state = state
        canvas = figure.canvas
        manager = canvas.manager
        if manager is not None and getattr(manager, "key_press_handler_id", None) is not None:
            canvas.mpl_disconnect(manager.key_press_handler_id)
        canvas.mpl_connect("key_press_event", self.on_key)
        # a frame panned to fit was cut for the window's size then: the window manager's first layout comes later
        canvas.mpl_connect("resize_event", lambda event: self.show())
        theme = get_theme(state.theme)
        background = rgb(theme.background)
        self._ink = max(theme.ink, theme.paper_ink, key=lambda ink: contrast(rgb(ink), background))
        figure.set_facecolor(theme.background)
        # the frame above, a status line below it, so a message never hides the arithmetic
        self.image = figure.add_artist(ScreenPicture((0, STATUS_LINE, 1, 1 - STATUS_LINE)))
        self.message = figure.text(0.5, STATUS_LINE / 2, "", ha="center", va="center", fontsize=13, wrap=True)
        self.help = figure.text(
            0.5, 0.5, "\n".join(f"{key:<10} {what}" for key, what in KEYS), ha="center", va="center",
            multialignment="left", fontsize=17, family="monospace", color="white", visible=False,
            bbox={"boxstyle": "round,pad=0.8", "linewidth": 0, "facecolor": "#002b36", "alpha": 0.92},
        )  # fmt: skip
        self.timer = canvas.new_timer(interval=self._interval())
        self.timer.add_callback(self.tick)
        self._playing = False
        self.show()

    def _view(self, pixels: np.ndarray) -> np.ndarray:
        """The part of the frame the window shows (sets ``self.scale``, no smaller than the theme's type allows).

        A frame that fits is shown whole; one that would need its type below the theme's ``min_text``
        pixels is shown at that scale, panned to keep the footprint and the current output in view: a
        25×25 grid in the classroom theme pans instead of shrinking.
        """
        # the room the layout gives the picture (not the box already shrunk to the last picture's shape)
        width, height = self.image.room()
        rows, cols = pixels.shape[:2]
        self.scale = min(width / cols, height / rows)
        if self.scale >= self.state.min_scale:
            return pixels
        self.scale = self.state.min_scale
        width, height = int(width / self.scale), int(height / self.scale)  # in frame pixels
        x0, y0, x1, y1 = self.state.focus("footprint", "current")
        if x1 - x0 > width or y1 - y0 > height:  # both do not fit: the footprint matters most
            x0, y0, x1, y1 = self.state.focus("footprint")
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        left = int(min(max(x - width / 2, 0), max(cols - width, 0)))
        top = int(min(max(y - height / 2, 0), max(rows - height, 0)))
        return pixels[top : top + height, left : left + width]

    def _interval(self) -> int:
        return max(1, round(1000 / self.state.fps))

    def on_key(self, event: Any) -> None:
        """Matplotlib's key_press_event: our keys go to the state, "f" to full screen."""
        if self.state.press(event.key):
            self.show()
        elif event.key == "f" and self.figure.canvas.manager is not None:
            self.figure.canvas.manager.full_screen_toggle()

    def tick(self) -> None:
        """Timer beat while playing."""
        self.state.tick()
        self.show()

    def show(self) -> None:
        """Bring the figure up to date with the state (image data, title, overlays, timer)."""
        state = self.state
        if state.quit:
            self.timer.stop()
            import matplotlib.pyplot as plt

            plt.close(self.figure)
            return
        self.view = self._view(np.asarray(state.frame()))
        self.image.set_data(on_screen(self.view, self.scale))
        self.message.set_text(state.message)
        self.message.set_color(PROBLEM_COLOUR if state.problem else self._ink)
        self.message.set_visible(bool(state.message))
        self.help.set_visible(state.help)
        if state.help:  # the longest line fills at most 90 % of the width: monospace letters are 0.6 em wide
            width_points = self.figure.bbox.width * 72 / self.figure.dpi
            longest = max(len(line) for line in self.help.get_text().split("\n"))
            self.help.set_fontsize(min(17, 0.9 * width_points / (0.6 * longest)))
        manager = self.figure.canvas.manager
        if manager is not None:
            manager.set_window_title(state.title)
        self.timer.interval = self._interval()
        if state.playing != self._playing:
            (self.timer.start if state.playing else self.timer.stop)()
            self._playing = state.playing
        self.figure.canvas.draw_idle()


class ScreenPicture(Artist):
    """RGB pixels drawn as they are, centred in ``box`` (left, bottom, width, height in figure fractions).

    Matplotlib's own images convert a picture to floats, resample and convert back at every draw:
    most of a second for a full-screen frame. The frame is scaled once instead (:func:`on_screen`).
    """

    def __init__(self, box: tuple[float, float, float, float]):
        super().__init__()
        self.box = box
        self._pixels = np.zeros((1, 1, 3), np.uint8)
        self._rows_up = np.zeros((1, 1, 4), np.uint8)

    def room(self) -> tuple[int, int]:
        """The box's width and height in screen pixels."""
        bbox = self.get_figure(root=True).bbox
        return max(1, int(self.box[2] * bbox.width)), max(1, int(self.box[3] * bbox.height))

    def set_data(self, pixels: np.ndarray) -> None:
        self._pixels = pixels
        if self._rows_up.shape[:2] != pixels.shape[:2]:
            # RGBA, bottom row first (Agg counts rows up); kept from frame to frame, as a fresh screenful
            # of memory costs more to touch than the copy into it
            self._rows_up = np.full(pixels.shape[:2] + (4,), 255, np.uint8)
        self._rows_up[..., :3] = pixels[::-1]
        self.stale = True

    def get_array(self) -> np.ndarray:
        """The pixels drawn (top row first)."""
        return self._pixels

    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        bbox = self.get_figure(root=True).bbox
        (width, height), (rows, cols) = self.room(), self._pixels.shape[:2]
        left = self.box[0] * bbox.width + (width - cols) / 2
        bottom = self.box[1] * bbox.height + (height - rows) / 2
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(left), round(bottom), self._rows_up)
        gc.restore()
        self.stale = False


def on_screen(view: np.ndarray, scale: float) -> np.ndarray:
    """``view`` scaled by ``scale`` (Lanczos: sharp type both ways), as the window draws it pixel for pixel.

    >>> on_screen(np.zeros((10, 20, 3), np.uint8), 1.5).shape
    (15, 30, 3)
    """
    from PIL import Image

    size = (max(1, round(view.shape[1] * scale)), max(1, round(view.shape[0] * scale)))
    if size == (view.shape[1], view.shape[0]):
        return view
    return np.asarray(Image.fromarray(view).resize(size, Image.Resampling.LANCZOS))


def fill_screen(figure: Any) -> None:
    """Open the window as large as the screen (full screen proper stays on "f")."""
    manager = figure.canvas.manager
    window = getattr(manager, "window", None)
    try:
        if hasattr(window, "winfo_screenwidth"):  # Tk
            manager.resize(window.winfo_screenwidth(), window.winfo_screenheight())
        elif hasattr(window, "screen"):  # Qt
            area = window.screen().availableGeometry()
            manager.resize(area.width(), area.height())
    except Exception:  # noqa: BLE001 - a window manager that refuses keeps the default size
        pass


def window_backend(plt: Any) -> None:
    errors = []
    for backend in ("TkAgg", "QtAgg"):
        try:
            plt.switch_backend(backend)
            return
        except ImportError as error:
            errors.append(f"{backend}: {error}")
    raise OSError(
        "the presenter needs a window: no TkAgg or QtAgg backend could start ("
        + "; ".join(errors)
        + "). On Linux set DISPLAY and install python3-tk; or use 'convviz animate -o slides.html'"
    )
