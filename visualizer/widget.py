"""The Jupyter stepper: play a convolution, step through it, change it and watch it rebuild.

:class:`Stepper` shows the shared frame renderer's picture of one step, the step's
arithmetic as text beside it, and controls for every parameter. This is the only
module that imports ipywidgets; ``visualizer.Stepper`` loads it on first use.
"""

from __future__ import annotations

import html
import io
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
from .widget_ops import OperationControls

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


class Stepper(widgets.VBox):
    """A convolution you can play, step through and change, in a notebook.

    The picture is the shared frame renderer's (the same as in GIFs and the
    classroom view); beside it are the window's position, the products, the
    sum, the clipped value and the output-size formula. Every control rebuilds
    the picture at once; a combination that cannot work (a kernel larger than
    the padded input) shows a message and keeps the last good picture.

    Parameters
    ----------
    conv : Convolution
        What to show first; its image, kernel and parameters fill the controls.
    theme : str
        A theme name of :data:`visualizer.render.style.THEMES`.
    numbers : bool
        Write the values in the cells.
    fps : int
        Steps per second when playing (1…10).
    layout : str
        "flat" or "oblique" (conv_arithmetic's tilted planes).

    Attributes
    ----------
    conv : Convolution
        The convolution shown now.
    slider, play, first_button, back_button, next_button, last_button, speed
        Stepping: the slider counts steps from 1 and is linked to ``play`` in the browser.
    stride, padding, pad_mode, dilation, clip, kernel_name, kernel_size, weights
        The convolution's parameters; ``weights`` is the editable grid of kernel weights.
    values, rows, cols, seed
        The input: as given, random 0…9 (with a seed, as ``convviz --values random``), a ramp
        0, 1, 2, … or a crop of the sample photo.
    ops : OperationControls
        The "Operation" tab (:mod:`visualizer.widget_ops`): the same input as a transposed
        convolution, max or average pooling or a layer; ``shown`` is what is drawn.
    numbers, theme, layout_choice, shade
        The look (``shade``: cells tinted by their values, on at first for 8-bit photos).
    picture, status, explanation, message
        The frame (PNG), "step k/n · sum s" (set after drawing), the step as text, and
        the message shown when a change cannot work.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> stepper = Stepper(Convolution(np.arange(16).reshape(4, 4), np.ones((3, 3), int)))
    >>> stepper.status.value
    'step 1/4 · sum 45'
    >>> stepper.next_button.click()
    >>> stepper.status.value
    'step 2/4 · sum 54'
    >>> stepper.stride.value = 2
    >>> stepper.status.value
    'step 1/1 · sum 45'
    """

    def __init__(
        self, conv: Convolution, *, theme: str = "default", numbers: bool = True, fps: int = 2, layout: str = "flat"
    ):
        if not isinstance(conv, Convolution):
            raise TypeError(f"conv must be a visualizer.Convolution, got {type(conv).__name__}")
        if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 10:
            raise ValueError(f"fps must be an int in 1…10, got {fps!r}")
        super().__init__()
        self.add_class("stepper")
        self.conv = conv
        self._origin = conv
        self._changes: dict[str, Any] = {}  # every parameter changed so far, tried together
        self._given = conv.image
        self._kernel = conv.kernel
        shade = "values" if conv.image.dtype == np.uint8 else None  # 8-bit pixels: a photo, shown as one
        self._renderer = FrameRenderer(conv, theme=theme, numbers=numbers, layout=layout, shade=shade)
        self._syncing = False  # True while the code (not the learner) sets the weight grid

        self._build_stepping(fps)
        self._build_parameters(conv)
        self._build_input(conv)
        self.shown: Any = conv  # what is drawn: conv, or the same input through the operation chosen
        self.ops = OperationControls()
        self.ops.observe(lambda change: self._rebuild())
        self.numbers = widgets.Checkbox(value=numbers, description="numbers in cells")
        self.theme = widgets.Dropdown(options=list(THEMES), value=theme, description="theme")
        self.layout_choice = widgets.ToggleButtons(options=list(LAYOUTS), value=layout, description="layout")
        self.shade = widgets.Checkbox(value=shade is not None, description="shade cells by value")
        for control in (self.numbers, self.theme, self.layout_choice, self.shade):
            control.observe(self._restyle, "value")

        # its own size: in a flex row the picture would otherwise be squeezed or stretched to the text's height
        self.picture = widgets.Image(format="png", layout=widgets.Layout(flex="0 0 auto", align_self="flex-start"))
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
        self.children = [
            widgets.HBox(
                [self.play, self.first_button, self.back_button, self.next_button, self.last_button]
                + [self.slider, self.speed]
            ),
            # the text goes under a picture too wide to leave it room beside it
            widgets.HBox(
                [self.picture, widgets.VBox([self.status, self.explanation], layout=widgets.Layout(flex="1 1 240px"))],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.message,
            settings,
        ]
        self._show()

    # -- building the controls ----------------------------------------------------

    def _build_stepping(self, fps: int) -> None:
        n = self.conv.num_steps
        self.play = widgets.Play(value=1, min=1, max=n, interval=1000 // fps)
        self.slider = widgets.IntSlider(value=1, min=1, max=n, description="step")
        # linked in the browser, so playing does not wait for Python between frames
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.speed = widgets.IntSlider(
            value=fps, min=1, max=10, description="steps/s", style={"description_width": "initial"}
        )
        self.speed.observe(lambda change: setattr(self.play, "interval", 1000 // change.new), "value")
        # icons from the Font Awesome that JupyterLab and Notebook ship (no web font is fetched)
        self.first_button = widgets.Button(description="First", icon="fast-backward", tooltip="first step")
        self.back_button = widgets.Button(description="Back", icon="step-backward", tooltip="one step back")
        self.next_button = widgets.Button(description="Next", icon="step-forward", tooltip="one step forward")
        self.last_button = widgets.Button(description="Last", icon="fast-forward", tooltip="last step")
        moves = {
            self.first_button: lambda v: self.slider.min,
            self.back_button: lambda v: max(v - 1, self.slider.min),
            self.next_button: lambda v: min(v + 1, self.slider.max),
            self.last_button: lambda v: self.slider.max,
        }
        for button, move in moves.items():
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
            button.on_click(lambda _, move=move: setattr(self.slider, "value", move(self.slider.value)))
        self.slider.observe(self._show, "value")

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
        self._restep()

    def _render(self, shown: Any) -> FrameRenderer:
        shade = "values" if self.shade.value else None
        style = {"theme": self.theme.value, "numbers": self.numbers.value, "layout": self.layout_choice.value}
        return FrameRenderer(shown, shade=shade, **style)

    def _restyle(self, change: Any = None) -> None:
        self._renderer = self._render(self.shown)
        self._show()

    def _restep(self) -> None:
        before = self.slider.value
        self.play.max = self.slider.max = self.shown.num_steps
        if self.slider.value == before:  # otherwise shrinking max moved the slider, which drew already
            self._show()

    def _show(self, change: Any = None) -> None:
        index = self.slider.value - 1
        buffer = io.BytesIO()
        # speed over size: the PNG only travels to the browser next door
        self._renderer.frame(index).save(buffer, format="png", compress_level=1)
        self.picture.value = buffer.getvalue()
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
