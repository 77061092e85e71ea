"""The notebook stepper: play an operation in the browser, point at its cells, change it and watch it rebuild.

:class:`Stepper` is the player widget (:mod:`visualizer.widget_player`, an anywidget)
with the step's arithmetic as text beside it and ipywidgets controls for every
parameter. Only the widget modules import ipywidgets and anywidget;
``visualizer.Stepper`` loads them on first use.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np

from .convolution import PAD_MODES, Convolution
from .examples import VALUE_SOURCES, example_values
from .explain import explain, sum_text
from .kernels import KERNELS, kernel, kernel_name
from .render.frame import FrameRenderer
from .render.style import THEMES
from .scenes import LAYOUTS
from .text import channel_names
from .widget_family import as_convolution, choose_operation
from .widget_ops import OperationControls
from .widget_player import PlayerWidget

CUSTOM = "custom"
GIVEN = "as given"
PADDINGS = ("valid", "same", "full", 0, 1, 2, 3)
# a Dropdown cannot hold None as a value (it means "nothing selected"), so the control holds these labels
CLIPS = {"none": None, "auto (8-bit: 0…255)": "auto", "0…255": (0, 255), "0…1": (0, 1)}
# Sizes the sliders offer: more cells than this no longer fit a notebook's width with numbers in them.
MAX_INPUT = 12
MAX_KERNEL = 7
# Kernels that come in any size (visualizer.kernel(name, size)); the others are fixed.
SIZED_KERNELS = ("identity", "box_blur", "gaussian_blur")


class Stepper(PlayerWidget):
    """An operation you can play, step through, point at and change, in a notebook.

    The Stepper is an anywidget: the browser plays the shared frame renderer's
    pictures (the same player as the ``.html`` export and inline display), steps
    with its buttons and keys (→ ← Home End, PageUp/PageDown by an output row,
    space, + −), and outlines a cell's window or the outputs it feeds under the
    pointer; a click on an output cell jumps to its step. ``step`` is synced both
    ways. Around it, ipywidgets controls for every parameter rebuild the frames in
    Python and send them; a combination that cannot work (a kernel larger than the
    padded input) shows a message and keeps the last good frames. In marimo,
    ``mo.ui.anywidget(stepper)`` shows the player alone.

    Parameters
    ----------
    op : Convolution, TransposedConvolution, Pooling or ConvLayer
        What to show first; its image, kernel and parameters fill the controls (another operation
        than a convolution opens on the "Operation" tab's choice for it).
    theme : str
        A theme name of :data:`visualizer.render.style.THEMES`.
    numbers : bool
        Write the values in the cells.
    fps : int
        Steps per second when playing, to start with (1…10; + and − change it in the player).
    layout : str
        "flat" or "oblique" (conv_arithmetic's tilted planes).

    Attributes
    ----------
    step : int
        The step shown (0-based), synced with the browser: set it and the player shows it; play or
        click in the player and it follows.
    width : int
        The pixels across the view has for a frame, measured by the browser (0 until it has): the frames
        are drawn at most this wide (at least 720) and 720 high, and drawn again when it changes.
    conv : Convolution
        The convolution the controls describe.
    shown, op
        What is drawn: ``conv``, or the same input through the operation chosen in the "Operation"
        tab (at first, the operation given, as given).
    stride, padding, pad_mode, dilation, clip, kernel_name, kernel_size, weights
        The convolution's parameters; ``weights`` is the editable grid of kernel weights.
    values, rows, cols, seed
        The input: as given, random 0…9 (with a seed, as ``convviz --values random``), a ramp
        0, 1, 2, … or a crop of the sample photo.
    ops : OperationControls
        The "Operation" tab (:mod:`visualizer.widget_ops`): the same input as a transposed
        convolution, max or average pooling or a layer.
    numbers, theme, layout_choice, shade
        The look (``shade``: cells tinted by their values, on at first for 8-bit photos).
    status, explanation, message
        "step k/n · sum s", the step as text, and the message shown when a change cannot work.
    box
        What a notebook displays: the player, the text and the tabs of controls.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> stepper = Stepper(Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int)))
    >>> stepper.status.value
    'step 1/4 · sum 45'
    >>> stepper.step = 1
    >>> stepper.status.value
    'step 2/4 · sum 54'
    >>> stepper.stride.value = 2
    >>> stepper.status.value, stepper.num_steps
    ('step 1/1 · sum 45', 1)
    """

    def __init__(self, op: Any, *, theme: str = "default", numbers: bool = True, fps: int = 2, layout: str = "flat"):
        conv = as_convolution(op)
        if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 10:
            raise ValueError(f"fps must be an int in 1…10, got {fps!r}")
        super().__init__()
        self.conv = conv
        self._origin = conv
        self._fps = fps
        self._changes: dict[str, Any] = {}  # every parameter changed so far, tried together
        self._given = conv.image
        self._kernel = conv.kernel
        shade = "values" if conv.image.dtype == np.uint8 else None  # 8-bit pixels: a photo, shown as one
        self._renderer = FrameRenderer(
            op, theme=theme, numbers=numbers, layout=layout, shade=shade, max_size=self.max_size
        )
        self._syncing = False  # True while the code (not the learner) sets the weight grid

        self._build_parameters(conv)
        self._build_input(conv)
        self.shown: Any = op  # what is drawn: conv, or the same input through the operation chosen
        self.ops = OperationControls()
        choose_operation(self.ops, op)
        self.ops.observe(lambda change: self._rebuild())
        self.numbers = widgets.Checkbox(value=numbers, description="numbers in cells")
        self.theme = widgets.Dropdown(options=list(THEMES), value=theme, description="theme")
        self.layout_choice = widgets.ToggleButtons(options=list(LAYOUTS), value=layout, description="layout")
        self.shade = widgets.Checkbox(value=shade is not None, description="shade cells by value")
        for control in (self.numbers, self.theme, self.layout_choice, self.shade):
            control.observe(self._restyle, "value")

        self.status = widgets.Label(style={"font_weight": "bold"})
        self.status.add_class("stepper-status")
        self.explanation = widgets.HTML()
        self.explanation.add_class("stepper-explanation")
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self.message.add_class("stepper-message")

        settings = widgets.Tab(
            children=[
                widgets.VBox([self.stride, self.padding, self.pad_mode, self.dilation, self.clip]),
                widgets.VBox([widgets.HBox([self.kernel_name, self.kernel_size]), self._weights_box]),
                widgets.VBox([self.values, self.rows, self.cols, self.seed]),
                widgets.VBox([self.numbers, self.theme, self.layout_choice, self.shade]),
                self.ops.box,
            ],
            titles=("Convolution", "Kernel", "Input", "Look", "Operation"),
        )
        self.add_class("stepper")
        # the text goes under a picture too wide to leave it room beside it
        self.box = widgets.VBox(
            [
                widgets.HBox(
                    [self, widgets.VBox([self.status, self.explanation], layout=widgets.Layout(flex="1 1 240px"))],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.message,
                settings,
            ]
        )
        self.box.add_class("stepper-box")
        self.observe(self._show, "step")
        self.observe(self._resize, "width")
        self._redraw()

    @property
    def op(self) -> Any:
        """The operation drawn now (``shown``)."""
        return self.shown

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # a notebook shows the player with its controls; the player alone is this widget's own view
        return self.box._repr_mimebundle_(**kwargs)

    # -- building the controls ----------------------------------------------------

    def _build_parameters(self, conv: Convolution) -> None:
        # a pair such as stride (2, 1) has no place on a single slider: the slider shows the
        # rows' value, and the pair stays in use until the learner moves the slider
        self.stride = widgets.IntSlider(value=conv.stride[0], min=1, max=4, description="stride")
        self.dilation = widgets.IntSlider(value=conv.dilation[0], min=1, max=3, description="dilation")
        paddings = [(str(p), p) for p in PADDINGS]
        if conv.padding not in PADDINGS:
            paddings.append((str(conv.padding), conv.padding))
        self.padding = widgets.Dropdown(options=paddings, value=conv.padding, description="padding")
        self.pad_mode = widgets.Dropdown(options=list(PAD_MODES), value=conv.pad_mode, description="pad mode")
        clips = dict(CLIPS)
        labels = [label for label, clip in clips.items() if clip == conv.clip] or [str(conv.clip)]
        clips[labels[0]] = conv.clip
        self.clip = widgets.Dropdown(options=list(clips), value=labels[0], description="clamp")
        self.clip.observe(lambda change: self._rebuild(clip=clips[change.new]), "value")
        for name in ("stride", "dilation", "padding", "pad_mode"):
            getattr(self, name).observe(lambda change, name=name: self._rebuild(**{name: change.new}), "value")

        self.kernel_name = widgets.Dropdown(
            options=[*KERNELS, CUSTOM], value=kernel_name(conv.kernel) or CUSTOM, description="kernel"
        )
        self.kernel_name.observe(self._pick_kernel, "value")
        self.kernel_size = widgets.BoundedIntText(
            value=conv.kernel.shape[0], min=1, max=MAX_KERNEL, description="size", layout=widgets.Layout(width="160px")
        )
        self.kernel_size.observe(self._resize_kernel, "value")
        self._weights_box = widgets.HBox()
        self.weights: list[widgets.FloatText] = []
        self._weights_shape: tuple[int, ...] = ()
        self._fill_weights(conv.kernel)

    def _build_input(self, conv: Convolution) -> None:
        h, w = conv.image.shape[:2]
        self.values = widgets.Dropdown(options=(GIVEN, *VALUE_SOURCES), value=GIVEN, description="values")
        self.rows = widgets.IntSlider(value=min(h, MAX_INPUT), min=1, max=MAX_INPUT, description="rows", disabled=True)
        self.cols = widgets.IntSlider(value=min(w, MAX_INPUT), min=1, max=MAX_INPUT, description="cols", disabled=True)
        self.seed = widgets.IntText(value=0, description="seed", disabled=True, layout=widgets.Layout(width="160px"))
        for control in (self.values, self.rows, self.cols, self.seed):
            control.observe(self._new_input, "value")

    # -- the kernel grid ----------------------------------------------------------

    def _fill_weights(self, weights: np.ndarray) -> None:
        """Show ``weights`` in the grid: one grid of number boxes per channel of a kernel stack."""
        planes = [weights] if weights.ndim == 2 else [weights[..., c] for c in range(weights.shape[2])]
        shape = planes[0].shape
        if len(self.weights) != weights.size or self._weights_shape != weights.shape:
            self.weights = [widgets.FloatText(layout=widgets.Layout(width="64px")) for _ in range(weights.size)]
            for box in self.weights:
                box.observe(self._edit_weight, "value")
            grids = [
                widgets.GridBox(
                    self.weights[c * plane.size : (c + 1) * plane.size],
                    layout=widgets.Layout(grid_template_columns=f"repeat({shape[1]}, 68px)"),
                )
                for c, plane in enumerate(planes)
            ]
            if len(grids) > 1:
                names = channel_names(len(grids))
                grids = [widgets.VBox([widgets.Label(name), g]) for name, g in zip(names, grids, strict=True)]
            self._weights_box.children = grids
            self._weights_shape = weights.shape
        with self._quietly():
            for box, weight in zip(self.weights, np.concatenate([p.ravel() for p in planes]), strict=True):
                box.value = float(weight)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Set kernel controls from the code without their observers taking it for the learner's edit."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _grid_kernel(self) -> np.ndarray:
        values = np.array([box.value for box in self.weights])
        shape = self._weights_shape
        if len(shape) == 3:  # the boxes run channel by channel
            values = values.reshape(shape[2], shape[0], shape[1]).transpose(1, 2, 0)
        values = values.reshape(shape)
        # whole numbers stay integers, so integer images keep exact integer sums
        return values.astype(np.int64) if np.array_equal(values, np.round(values)) else values

    def _edit_weight(self, change: Any) -> None:
        if self._syncing:
            return
        weights = self._grid_kernel()
        with self._quietly():
            self.kernel_name.value = kernel_name(weights) or CUSTOM
        self._set_kernel(weights, refill=False)

    def _pick_kernel(self, change: Any) -> None:
        if self._syncing or change.new == CUSTOM:
            return
        size = self.kernel_size.value
        weights = kernel(change.new, size) if change.new in SIZED_KERNELS else np.asarray(KERNELS[change.new])
        self._set_kernel(weights)

    def _resize_kernel(self, change: Any) -> None:
        if self._syncing:
            return
        if self.kernel_name.value in SIZED_KERNELS:
            self._set_kernel(kernel(self.kernel_name.value, change.new))
            return
        # keep the middle of the kernel: the weights around the centre tap matter most
        old, size = self._kernel, change.new
        new = np.zeros((size, size) + old.shape[2:], dtype=old.dtype)
        src = [slice(max(0, (o - size) // 2), max(0, (o - size) // 2) + min(o, size)) for o in old.shape[:2]]
        dst = [slice(max(0, (size - o) // 2), max(0, (size - o) // 2) + min(o, size)) for o in old.shape[:2]]
        new[dst[0], dst[1]] = old[src[0], src[1]]
        with self._quietly():
            self.kernel_name.value = CUSTOM
        self._set_kernel(new)

    def _set_kernel(self, weights: np.ndarray, refill: bool = True) -> None:
        if refill:
            self._fill_weights(weights)
        with self._quietly():
            self.kernel_size.value = weights.shape[0]
        self._kernel = weights
        self._rebuild(kernel=weights)

    # -- the input ----------------------------------------------------------------

    def _new_input(self, change: Any) -> None:
        given = self.values.value == GIVEN
        self.rows.disabled = self.cols.disabled = given
        self.seed.disabled = self.values.value != "random"
        self._rebuild(image=self._given if given else self._made_input())

    def _made_input(self) -> np.ndarray:
        shape = (self.rows.value, self.cols.value) + self._given.shape[2:]
        return example_values(self.values.value, shape, np.random.default_rng(self.seed.value))

    # -- drawing ------------------------------------------------------------------

    def _rebuild(self, **changes: Any) -> None:
        """Apply parameter changes; on a combination that cannot work keep the last good picture."""
        self._changes.update(changes)
        try:
            conv = self._origin.replace(**self._changes)
            shown = self.ops.build(conv)
            renderer = self._render(shown)
        except (ValueError, TypeError) as error:
            self.message.value = (
                "<div style='line-height:1.4;padding:4px 8px;background:#fdf6e3;border-left:4px solid #cb4b16'>"
                f"<b>That does not fit:</b> {html.escape(str(error).splitlines()[0])}. "
                "The picture shows the last setting that worked.</div>"
            )
            self.message.layout.display = ""
            return
        self.message.layout.display = "none"
        self.conv, self.shown, self._renderer = conv, shown, renderer
        self._redraw()

    def _render(self, shown: Any) -> FrameRenderer:
        shade = "values" if self.shade.value else None
        style = {"theme": self.theme.value, "numbers": self.numbers.value, "layout": self.layout_choice.value}
        return FrameRenderer(shown, shade=shade, max_size=self.max_size, **style)

    def _restyle(self, change: Any = None) -> None:
        self._renderer = self._render(self.shown)
        self._redraw()

    def _resize(self, change: Any) -> None:
        # frames that come out the same size are the same frames: a small input fits any view whole
        renderer = self._render(self.shown)
        if renderer.size != self._renderer.size:
            self._renderer = renderer
            self._redraw()

    def _redraw(self) -> None:
        before = self.step
        self.send(self._renderer, fps=self._fps)
        if self.step == before:  # otherwise the step moved into the new range, which wrote the text already
            self._show()

    def _show(self, change: Any = None) -> None:
        index = self.step
        if self.shown is not self.conv:  # the frame writes the other operations' arithmetic itself
            lines = [self.shown.describe(), *self.shown.formula()]
            self.explanation.value = "<br>".join(html.escape(line) for line in lines)
            self.status.value = f"step {index + 1}/{self.shown.num_steps}"
            return
        step = self.conv.step(index)
        self.explanation.value = explain(self.conv, step)
        self.status.value = f"step {index + 1}/{self.conv.num_steps} · sum {sum_text(step)}"


def interact(
    image: Any,
    kernel: Any,
    *,
    theme: str = "default",
    numbers: bool = True,
    fps: int = 2,
    layout: str = "flat",
    **conv_params: Any,
) -> Stepper:
    """A :class:`Stepper` for ``Convolution(image, kernel, **conv_params)``.

    Examples
    --------
    >>> interact([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]], stride=2).status.value
    'step 1/1 · sum 6'
    """
    return Stepper(Convolution(image, kernel, **conv_params), theme=theme, numbers=numbers, fps=fps, layout=layout)
