"""The classroom presenter: a window driven from the keyboard, in large type.

:class:`PresenterState` holds what the class sees (the convolution, the step,
playing or not, the speed) and turns key names into changes; it knows nothing
of windows, so it is tested headless. :class:`PresenterWindow` wires it to a
matplotlib figure: the shared frame renderer's image in an ``imshow``, updated
with ``set_data``, a timer for playing, a help overlay and a message line.
:func:`present` opens the window (TkAgg, or QtAgg when Tk is missing).

Keys
----
space play/pause · → ← one step · PgDn PgUp one output row · Home End first/last · + − speed ·
n numbers · p padding · s stride · d dilation · k kernel · m pad mode ·
o operation · r new random input · g save a GIF · f full screen · h keys · q Esc quit

``o`` shows the same input as a transposed convolution, max pooling, average
pooling and a layer (:mod:`visualizer.presenter_ops`); a key that changes nothing
there says so. The window opens on any operation of the family.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .convolution import PAD_MODES
from .kernels import KERNELS, kernel_name
from .presenter_ops import CYCLE, NAMES, operation, refusal, split
from .render.frame import FrameRenderer
from .render.html import KEYS as SLIDE_KEYS
from .render.html import SPEEDS
from .render.style import get_theme

STATUS_LINE = 0.07  # share of the figure's height under the frame for messages
PROBLEM_COLOUR = "#dc322f"
PADDINGS = ("valid", "same", "full")
STRIDES = (1, 2, 3)
DILATIONS = (1, 2, 3)

# the slides' keys (space, arrows, Home/End, + −, f, h) mean the same here
KEYS = (
    *SLIDE_KEYS[:2],
    ("PgDn  PgUp", "one output row forward / back"),
    *SLIDE_KEYS[2:4],
    ("n", "numbers on / off"),
    ("p", "padding: " + ", ".join(PADDINGS)),
    ("s", "stride: " + ", ".join(map(str, STRIDES))),
    ("d", "dilation: " + ", ".join(map(str, DILATIONS))),
    ("k", "next kernel"),
    ("m", "pad mode: " + ", ".join(PAD_MODES)),
    ("o", "operation: " + ", ".join(NAMES.values())),
    ("r", "new random input"),
    ("l", "layout: flat, oblique"),
    ("v", "cells shaded by value on / off"),
    ("g", "save this animation as a GIF"),
    *SLIDE_KEYS[4:],
    ("q  Esc", "quit"),
)


def _next(options: tuple[Any, ...] | list[Any], current: Any) -> Any:
    """The option after ``current``, wrapping round; the first when ``current`` is not among them."""
    matches = [i for i, option in enumerate(options) if _same(option, current)]
    return options[(matches[0] + 1) % len(options)] if matches else options[0]


def row_length(op: Any) -> int:
    """How many steps one row of ``op``'s steps has: an output row (an input row for a scatter view).

    >>> from visualizer import Convolution
    >>> row_length(Convolution(np.zeros((5, 6)), np.ones((3, 3)))), row_length(Convolution(np.zeros(6), np.ones(3)))
    (4, 4)
    """
    shape = op.image.shape if getattr(op, "view", None) == "scatter" else op.output_shape
    return int(shape[1] if len(shape) >= 2 else shape[0])


def _same(a: Any, b: Any) -> bool:
    return np.shape(a) == np.shape(b) and bool(np.all(np.asarray(a) == np.asarray(b)))


def _short(value: tuple[int, int]) -> str:
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


class PresenterState:
    """What the presenter shows and how keys change it; no window involved.

    Parameters
    ----------
    op : Convolution, TransposedConvolution, Pooling or ConvLayer
        What to show first. The keys change a convolution (:attr:`conv`: the input, the
        kernel or window, stride, dilation) and ``o`` shows it as each operation; the
        operation given keeps its own parameters (a layer its weights, bias and activation).
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
    >>> state.press("o"), state.op, state.shown.output_shape, state.message
    (True, 'transposed', (13, 13), 'transposed convolution')
    >>> from visualizer import Pooling
    >>> pooled = PresenterState(Pooling(np.arange(16).reshape(4, 4), 2))
    >>> pooled.op, pooled.shown.output_shape, pooled.press("s"), pooled.conv.stride, pooled.shown.output_shape
    ('maxpool', (2, 2), True, (3, 3), (1, 1))
    """

    def __init__(
        self,
        op: Any,
        *,
        theme: str = "classroom",
        numbers: bool = True,
        fps: float = 2,
        seed: int | None = None,
        layout: str = "flat",
        shade: str | None = None,
    ):
        conv, name, params = split(op)
        if not fps > 0:
            raise ValueError(f"fps must be a positive number, got {fps!r}")
        self.conv = conv
        self.op = name
        self.shown: Any = op  # what the window draws: conv, or the same input through another operation
        # each operation's own parameters: those of the operation given; the others take the defaults
        self._params: dict[str, dict[str, Any]] = {name: params}
        self.theme = theme
        self.numbers = bool(numbers)
        self.layout = layout
        self.shade = shade
        self.fps = fps
        self.step = 0
        self.playing = False
        self.help = False
        self.quit = False
        self.message = ""
        self.problem = False  # the message says a change was refused
        self.saved: Path | None = None
        self._rng = np.random.default_rng(seed)
        self._renderer = self._render(op)
        self._keys: dict[str, Callable[[], None]] = {
            " ": lambda: setattr(self, "playing", not self.playing),
            "right": lambda: self._go(self.step + 1),
            "left": lambda: self._go(self.step - 1),
            "pagedown": lambda: self._go(self.step + row_length(self.shown)),
            "pageup": lambda: self._go(self.step - row_length(self.shown)),
            "home": lambda: self._go(0),
            "end": lambda: self._go(self.shown.num_steps - 1),
            "+": lambda: self._speed(1),
            "=": lambda: self._speed(1),  # + without shift on most keyboards
            "-": lambda: self._speed(-1),
            "n": self._toggle_numbers,
            "p": lambda: self._change("padding", _next(PADDINGS, self.conv.padding)),
            "s": lambda: self._change("stride", _next(STRIDES, self.conv.stride[0])),
            "d": lambda: self._change("dilation", _next(DILATIONS, self.conv.dilation[0])),
            "k": self._next_kernel,
            "m": lambda: self._change("pad_mode", _next(list(PAD_MODES), self.conv.pad_mode)),
            "o": self._next_operation,
            "r": self._random_input,
            "l": self._toggle_layout,
            "v": self._toggle_shade,
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
        if key in ("right", "left", "pagedown", "pageup", "home", "end"):
            self.playing = False  # stepping by hand stops playing, as in the slides
        refused = refusal(key, self.op)
        if refused:
            self.message, self.problem = refused, True
            return True
        action()
        return True

    def tick(self) -> None:
        """One beat of playing: the next step, round to the first after the last."""
        if self.playing:
            self.step = (self.step + 1) % self.shown.num_steps

    @property
    def title(self) -> str:
        """The window title: the step, every parameter and the output-size formula."""
        formula = ", ".join(self.shown.formula())
        return f"step {self.step + 1}/{self.shown.num_steps} · {self.shown.describe()} · {formula} · press h for keys"

    def frame(self) -> Image.Image:
        """The current step drawn by the shared frame renderer, in RGB."""
        return self._renderer.frame_rgb(self.step)

    def gif_name(self) -> str:
        """A file name that says what the animation shows, e.g. ``conv-5x5-k3x3-s2-same-zeros-d1.gif``.

        Pooling and the transposed convolution take no padding from the convolution:
        ``maxpool-5x5-k3x3-s1-d1.gif``; a layer names its weights' shape: ``layer-5x5-k3x3x1x2-…``.
        """
        c = self.conv
        padding = c.padding if isinstance(c.padding, str) else "p" + "-".join(map(str, c.pads))
        padding = f"-{padding}-{c.pad_mode}" if self.op in ("conv", "layer") else ""
        kernel = self.shown.weights if self.op == "layer" else c.kernel
        return (
            f"{self.op}-{'x'.join(map(str, c.image.shape))}-k{'x'.join(map(str, kernel.shape))}"
            f"-s{_short(c.stride)}{padding}-d{_short(c.dilation)}.gif"
        )

    def save_gif(self) -> Path:
        """Write the current animation as a GIF in the working folder; prints and returns its path."""
        from .render.export import save_animation

        path = Path.cwd() / self.gif_name()
        style = {"theme": self.theme, "numbers": self.numbers, "layout": self.layout, "shade": self.shade}
        save_animation(self.shown, path, fps=self.fps, progress=False, **style)
        self.saved = path
        self.message = f"saved {path.name}"
        print(f"saved {path}")
        return path

    # -- changes ---------------------------------------------------------------

    def _go(self, step: int) -> None:
        self.step = min(max(step, 0), self.shown.num_steps - 1)

    def _speed(self, direction: int) -> None:
        faster = [s for s in SPEEDS if s > self.fps] or [SPEEDS[-1]]
        slower = [s for s in SPEEDS if s < self.fps] or [SPEEDS[0]]
        self.fps = faster[0] if direction > 0 else slower[-1]

    def _render(self, shown: Any) -> FrameRenderer:
        return FrameRenderer(shown, theme=self.theme, numbers=self.numbers, layout=self.layout, shade=self.shade)

    def _toggle_numbers(self) -> None:
        self.numbers = not self.numbers
        self._renderer = self._render(self.shown)

    def _toggle_shade(self) -> None:
        self.shade = None if self.shade else "values"
        self._renderer = self._render(self.shown)

    @property
    def min_scale(self) -> float:
        """The smallest the window may scale a frame: the frame's values no smaller than the theme's ``min_text``.

        A frame fitted to 1920×1080 may already have shrunk its type to ``min_text``: it is then shown 1:1.
        """
        theme = get_theme(self.theme)
        drawn = self._renderer.builder.theme.value_size
        return min(1.0, theme.min_text / drawn)

    def focus(self, *kinds: str) -> tuple[float, float, float, float]:
        """Where the eye should be, in frame pixels: the box around the items of ``kinds`` (scene tags)."""
        scene = self._renderer.scene(self.step)
        points = []
        for item in (item for kind in kinds or ("footprint", "current") for item in scene.find(kind)):
            x0, y0, x1, y1 = item.box
            points += [scene.place(item.plane, (x0, y0)), scene.place(item.plane, (x1, y1))]
        if not points:
            return (0.0, 0.0, float(scene.size[0]), float(scene.size[1]))
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))

    def _toggle_layout(self) -> None:
        self.layout = "oblique" if self.layout == "flat" else "flat"
        self._renderer = self._render(self.shown)

    def _change(self, name: str, value: Any) -> None:
        """Replace one parameter; a combination that cannot work leaves everything as it was."""
        try:
            conv = self.conv.replace(**{name: value})
            shown = operation(conv, self.op, **self._params.get(self.op, {}))
            renderer = self._render(shown)
        except (ValueError, TypeError) as error:
            label = name.replace("_", " ")
            shown = value if isinstance(value, int | str) else "×".join(map(str, np.shape(value)))
            self.message = f"{label} {shown} cannot work here: {str(error).strip().splitlines()[0]}"
            self.problem = True
            return
        self.conv, self.shown, self._renderer = conv, shown, renderer
        self._go(self.step)

    def _next_operation(self) -> None:
        """The next operation of the cycle that can work here; one that cannot is passed over, and said so."""
        start = CYCLE.index(self.op)
        skipped = []
        for op in CYCLE[start + 1 :] + CYCLE[:start]:
            try:
                shown = operation(self.conv, op, **self._params.get(op, {}))
                renderer = self._render(shown)
            except (ValueError, TypeError) as error:
                skipped.append(f"{NAMES[op]} cannot work here: {str(error).strip().splitlines()[0]}")
                continue
            self.op, self.shown, self._renderer = op, shown, renderer
            self.message = NAMES[op] + "".join(f" (skipped {reason})" for reason in skipped)
            self._go(self.step)
            return
        self.message, self.problem = skipped[0], True

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


def present(
    op: Any,
    *,
    theme: str = "classroom",
    numbers: bool = True,
    fps: float = 2,
    seed: int | None = None,
    layout: str = "flat",
    shade: str | None = None,
) -> PresenterState:
    """Open the classroom window for ``op``; returns its final state when it is closed.

    ``op`` is any operation of the family: a Convolution, TransposedConvolution, Pooling
    or ConvLayer (see :class:`PresenterState`). The keys are listed in this module's docstring and on the "h" overlay.
    The window uses matplotlib's TkAgg backend, or QtAgg where Tk is missing;
    the choice is made here, never at import. Raises OSError when neither can
    open a window (no display, or neither toolkit installed).

    Examples
    --------
    >>> import visualizer as vz
    >>> vz.present is present
    True
    """
    state = PresenterState(op, theme=theme, numbers=numbers, fps=fps, seed=seed, layout=layout, shade=shade)
    import matplotlib.pyplot as plt

    from .presenter_window import PresenterWindow, fill_screen, window_backend

    window_backend(plt)
    dpi = 100
    with plt.rc_context({"toolbar": "None"}):
        figure = plt.figure(figsize=(1280 / dpi, 800 / dpi), dpi=dpi)
    fill_screen(figure)
    window = PresenterWindow(figure, state)  # kept alive here: the canvas holds its callbacks weakly
    plt.show(block=True)
    return window.state
