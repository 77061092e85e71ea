"""The classroom presenter: a window driven from the keyboard, in large type.

:class:`PresenterState` holds what the class sees (the convolution, the step,
playing or not, the speed) and turns key names into changes; it knows nothing
of windows, so it is tested headless. :class:`PresenterWindow` wires it to a
matplotlib figure: the shared frame renderer's image in an ``imshow``, updated
with ``set_data``, a timer for playing, a help overlay and a message line.
:func:`present` opens the window (TkAgg, or QtAgg when Tk is missing).

Keys
----
space play/pause · → ← one step · Home End first/last · + − speed ·
n numbers · p padding · s stride · d dilation · k kernel · m pad mode ·
r new random input · g save a GIF · f full screen · h keys · q Esc quit
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .convolution import PAD_MODES, Convolution
from .kernels import KERNELS, kernel_name
from .render.frame import FrameRenderer
from .render.html import KEYS as SLIDE_KEYS
from .render.html import SPEEDS
from .render.style import contrast, get_theme, rgb

STATUS_LINE = 0.07  # share of the figure's height under the frame for messages
PROBLEM_COLOUR = "#dc322f"
PADDINGS = ("valid", "same", "full")
STRIDES = (1, 2, 3)
DILATIONS = (1, 2, 3)

# the slides' keys (space, arrows, Home/End, + −, f, h) mean the same here
KEYS = (
    *SLIDE_KEYS[:4],
    ("n", "numbers on / off"),
    ("p", "padding: " + ", ".join(PADDINGS)),
    ("s", "stride: " + ", ".join(map(str, STRIDES))),
    ("d", "dilation: " + ", ".join(map(str, DILATIONS))),
    ("k", "next kernel"),
    ("m", "pad mode: " + ", ".join(PAD_MODES)),
    ("r", "new random input"),
    ("l", "layout: flat, oblique"),
    ("g", "save this animation as a GIF"),
    *SLIDE_KEYS[4:],
    ("q  Esc", "quit"),
)


def _next(options: tuple[Any, ...] | list[Any], current: Any) -> Any:
    """The option after ``current``, wrapping round; the first when ``current`` is not among them."""
    matches = [i for i, option in enumerate(options) if _same(option, current)]
    return options[(matches[0] + 1) % len(options)] if matches else options[0]


def _same(a: Any, b: Any) -> bool:
    return np.shape(a) == np.shape(b) and bool(np.all(np.asarray(a) == np.asarray(b)))


def _short(value: tuple[int, int]) -> str:
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


class PresenterState:
    """What the presenter shows and how keys change it; no window involved.

    Parameters
    ----------
    conv : Convolution
        The convolution to start from.
    theme : str
        Frame renderer theme ("classroom": large type for a projector).
    numbers : bool
        Values in the cells and the arithmetic line.
    fps : float
        Playing speed; + and − move to the next of :data:`visualizer.render.html.SPEEDS`.
    seed : int or None
        Seed for the "r" key's random inputs.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> state = PresenterState(Convolution(np.arange(25).reshape(5, 5), np.ones((3, 3))))
    >>> state.press("right"), state.step, state.press("s"), state.conv.stride, state.step
    (True, 1, True, (2, 2), 1)
    >>> state.press("d"), state.press("d"), state.conv.dilation, state.message  # doctest: +ELLIPSIS
    (True, True, (2, 2), 'dilation 3 cannot work here: kernel spans 7 pixels (dilation 3) but ...')
    """

    def __init__(
        self,
        conv: Convolution,
        *,
        theme: str = "classroom",
        numbers: bool = True,
        fps: float = 2,
        seed: int | None = None,
        layout: str = "flat",
    ):
        if not isinstance(conv, Convolution):
            raise TypeError(f"conv must be a visualizer.Convolution, got {type(conv).__name__}")
        if not fps > 0:
            raise ValueError(f"fps must be a positive number, got {fps!r}")
        self.conv = conv
        self.theme = theme
        self.numbers = bool(numbers)
        self.layout = layout
        self.fps = fps
        self.step = 0
        self.playing = False
        self.help = False
        self.quit = False
        self.message = ""
        self.problem = False  # the message says a change was refused
        self.saved: Path | None = None
        self._rng = np.random.default_rng(seed)
        self._renderer = self._render(conv)
        self._keys: dict[str, Callable[[], None]] = {
            " ": lambda: setattr(self, "playing", not self.playing),
            "right": lambda: self._go(self.step + 1),
            "left": lambda: self._go(self.step - 1),
            "home": lambda: self._go(0),
            "end": lambda: self._go(self.conv.num_steps - 1),
            "+": lambda: self._speed(1),
            "=": lambda: self._speed(1),  # + without shift on most keyboards
            "-": lambda: self._speed(-1),
            "n": self._toggle_numbers,
            "p": lambda: self._change("padding", _next(PADDINGS, self.conv.padding)),
            "s": lambda: self._change("stride", _next(STRIDES, self.conv.stride[0])),
            "d": lambda: self._change("dilation", _next(DILATIONS, self.conv.dilation[0])),
            "k": self._next_kernel,
            "m": lambda: self._change("pad_mode", _next(list(PAD_MODES), self.conv.pad_mode)),
            "r": self._random_input,
            "l": self._toggle_layout,
            "g": self.save_gif,
            "h": lambda: setattr(self, "help", not self.help),
            "q": lambda: setattr(self, "quit", True),
            "escape": lambda: setattr(self, "quit", True),
        }

    def press(self, key: str | None) -> bool:
        """Act on one key (matplotlib's key names: " ", "right", "home", "+", "k", …); False if not ours."""
        action = self._keys.get(key or "")
        if action is None:
            return False
        if key not in ("h", "escape", "q"):
            self.message, self.problem = "", False
        if key in ("right", "left", "home", "end"):
            self.playing = False  # stepping by hand stops playing, as in the slides
        action()
        return True

    def tick(self) -> None:
        """One beat of playing: the next step, round to the first after the last."""
        if self.playing:
            self.step = (self.step + 1) % self.conv.num_steps

    @property
    def title(self) -> str:
        """The window title: the step, every parameter and the output-size formula."""
        rows, cols = self.conv.formula()
        return f"step {self.step + 1}/{self.conv.num_steps} · {self.conv.describe()} · {rows}, {cols}"

    def frame(self) -> Image.Image:
        """The current step drawn by the shared frame renderer, in RGB."""
        return self._renderer.frame_rgb(self.step)

    def gif_name(self) -> str:
        """A file name that says what the animation shows, e.g. ``conv-5x5-k3x3-s2-same-zeros-d1.gif``."""
        c = self.conv
        padding = c.padding if isinstance(c.padding, str) else "p" + "-".join(map(str, c.pads))
        return (
            f"conv-{'x'.join(map(str, c.image.shape))}-k{'x'.join(map(str, c.kernel.shape))}"
            f"-s{_short(c.stride)}-{padding}-{c.pad_mode}-d{_short(c.dilation)}.gif"
        )

    def save_gif(self) -> Path:
        """Write the current animation as a GIF in the working folder; prints and returns its path."""
        from .render.export import save_animation

        path = Path.cwd() / self.gif_name()
        style = {"theme": self.theme, "numbers": self.numbers, "layout": self.layout}
        save_animation(self.conv, path, fps=self.fps, progress=False, **style)
        self.saved = path
        self.message = f"saved {path.name}"
        print(f"saved {path}")
        return path

    # -- changes ---------------------------------------------------------------

    def _go(self, step: int) -> None:
        self.step = min(max(step, 0), self.conv.num_steps - 1)

    def _speed(self, direction: int) -> None:
        faster = [s for s in SPEEDS if s > self.fps] or [SPEEDS[-1]]
        slower = [s for s in SPEEDS if s < self.fps] or [SPEEDS[0]]
        self.fps = faster[0] if direction > 0 else slower[-1]

    def _render(self, conv: Convolution) -> FrameRenderer:
        return FrameRenderer(conv, theme=self.theme, numbers=self.numbers, layout=self.layout)

    def _toggle_numbers(self) -> None:
        self.numbers = not self.numbers
        self._renderer = self._render(self.conv)

    def _toggle_layout(self) -> None:
        self.layout = "oblique" if self.layout == "flat" else "flat"
        self._renderer = self._render(self.conv)

    def _change(self, name: str, value: Any) -> None:
        """Replace one parameter; a combination that cannot work leaves everything as it was."""
        try:
            conv = self.conv.replace(**{name: value})
            renderer = self._render(conv)
        except (ValueError, TypeError) as error:
            label = name.replace("_", " ")
            shown = value if isinstance(value, int | str) else "×".join(map(str, np.shape(value)))
            self.message = f"{label} {shown} cannot work here: {str(error).strip().splitlines()[0]}"
            self.problem = True
            return
        self.conv, self._renderer = conv, renderer
        self._go(self.step)

    def _next_kernel(self) -> None:
        name = _next(list(KERNELS), kernel_name(self.conv.kernel))
        self._change("kernel", KERNELS[name])
        if not self.message:
            self.message = f"kernel {name}"

    def _random_input(self) -> None:
        # new values in the range the lesson already uses: 0…9 stays 0…9, a photo stays 0…255
        image = self.conv.image
        low, high = image.min(), image.max()
        if np.issubdtype(image.dtype, np.integer):
            values = self._rng.integers(low, high, size=image.shape, endpoint=True, dtype=image.dtype)
        else:
            values = self._rng.uniform(low, high, size=image.shape).astype(image.dtype)
        self._change("image", values)


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
        pixels = np.asarray(state.frame())
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


def present(
    conv: Convolution,
    *,
    theme: str = "classroom",
    numbers: bool = True,
    fps: float = 2,
    seed: int | None = None,
    layout: str = "flat",
) -> PresenterState:
    """Open the classroom window for ``conv``; returns its final state when it is closed.

    The keys are listed in this module's docstring and on the "h" overlay.
    The window uses matplotlib's TkAgg backend, or QtAgg where Tk is missing;
    the choice is made here, never at import. Raises OSError when neither can
    open a window (no display, or neither toolkit installed).

    Examples
    --------
    >>> import visualizer as vz
    >>> vz.present is present
    True
    """
    state = PresenterState(conv, theme=theme, numbers=numbers, fps=fps, seed=seed, layout=layout)
    import matplotlib.pyplot as plt

    _window_backend(plt)
    width, height = state.frame().size
    dpi = 100
    # one frame pixel per screen pixel at first, within a 1280×800 projector
    height /= 1 - STATUS_LINE
    scale = min(1.0, 1200 / width, 720 / height)
    with plt.rc_context({"toolbar": "None"}):
        figure = plt.figure(figsize=(width * scale / dpi, height * scale / dpi), dpi=dpi)
    window = PresenterWindow(figure, state)  # kept alive here: the canvas holds its callbacks weakly
    plt.show(block=True)
    return window.state


def _window_backend(plt: Any) -> None:
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
