"""The classroom window itself: a matplotlib figure that shows a :class:`PresenterState` and takes its keys."""

from __future__ import annotations

from typing import Any

import numpy as np

from .presenter import KEYS, PROBLEM_COLOUR, STATUS_LINE, PresenterState
from .render.style import contrast, get_theme, rgb


class PresenterWindow:
    """A matplotlib figure showing a :class:`PresenterState` and passing it the keys.

    Works on any canvas: a real window, or ``FigureCanvasAgg`` in tests (the
    timer then never fires; call :meth:`tick`). Matplotlib's own key bindings
    ("s" save, "p" pan, "k"/"l" log scale, "g" grid, "h"/"r" home, …) are
    switched off for this figure only; "f" still toggles full screen.
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
        self.axes = figure.add_axes((0, STATUS_LINE, 1, 1 - STATUS_LINE))
        self.axes.set_axis_off()
        self.image = self.axes.imshow(np.asarray(state.frame()), interpolation="antialiased")
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
        """The part of the frame the window shows, scaled no smaller than the theme's smallest type allows.

        A frame that fits is shown whole; one that would need its type below the theme's ``min_text``
        pixels is shown at that scale, panned to keep the footprint and the current output in view: a
        25×25 grid in the classroom theme pans instead of shrinking.
        """
        # the room the layout gives the picture (not the box already shrunk to the last picture's shape)
        room = self.axes.get_position(original=True)
        width = max(1, int(room.width * self.figure.bbox.width))
        height = max(1, int(room.height * self.figure.bbox.height))
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
        pixels = self._view(np.asarray(state.frame()))
        if pixels.shape != self.image.get_array().shape:
            height, width = pixels.shape[:2]
            self.image.set_extent((-0.5, width - 0.5, height - 0.5, -0.5))
        self.image.set_data(pixels)
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
