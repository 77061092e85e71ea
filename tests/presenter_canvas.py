"""The presenter on an off-screen canvas: open it on an operation, press keys, and compare what it shows."""

from __future__ import annotations

import numpy as np
from matplotlib.backend_bases import KeyEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from visualizer import render_frame
from visualizer.presenter import PresenterState
from visualizer.presenter_window import PresenterWindow


def canvas_window(op) -> PresenterWindow:
    """A presenter on a 2400×2400 Agg canvas: large enough that a frame is shown whole, not panned."""
    figure = Figure(figsize=(2400 / 50, 2400 / 50), dpi=50)
    FigureCanvasAgg(figure)
    return PresenterWindow(figure, PresenterState(op))


def press(window: PresenterWindow, key: str) -> None:
    canvas = window.figure.canvas
    canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, key, 10, 10))


def assert_shows(window: PresenterWindow, op, step: int = 0) -> None:
    """The window shows ``op``'s frame of ``step`` and names it in its title."""
    expected = np.asarray(render_frame(op, step, theme="classroom").convert("RGB"))
    np.testing.assert_array_equal(window.view, expected)
    assert window.state.title.startswith(f"step {step + 1}/{op.num_steps} · {op.describe()}")
