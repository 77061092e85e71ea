"""The player as a notebook widget (anywidget): the frames go over once as bytes, ``step`` is synced.

:class:`PlayerWidget` is the browser half of the :class:`~visualizer.widget.Stepper`:
the same player module as the ``.html`` export and inline display (``player.js``
with ``stepper.js`` appended), sent the same payload (:func:`~visualizer.render.html.player_payload`):
the still first frame and each step's changed rectangles, as PNG sprite sheets in one
binary buffer. The browser plays, steps and hit-tests cells by itself; Python hears
only the step shown, and the width the view has for a frame (``width``), so that frames
are drawn as wide as the notebook shows them: numbers at the theme's size, not scaled down.
An operation of many steps (the lesson's 130×200 photo has 26,000) goes a stretch of steps
at a time, the one holding the step shown, drawn when the player reaches it.
"""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

import anywidget
import traitlets

from .render.cellmap import cell_map
from .render.frame import FrameRenderer
from .render.html import player_payload
from .scenes.fit import notebook_size

# Up to this many steps every frame is drawn and sent at once; more would not fit in memory (a photo's
# 26,000 frames) or keep the learner waiting, so they go STRETCH steps at a time.
ALL_AT_ONCE = 400
STRETCH = 100


def _asset(name: str) -> str:
    return resources.files("visualizer.render").joinpath("player", name).read_text(encoding="utf-8")


def row_length(op: Any) -> int:
    """Steps in one row of the operation's outputs (or inputs, for a scatter view): PageUp/PageDown's jump.

    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> row_length(Convolution(np.zeros((4, 5)), np.ones((2, 2))))
    4
    """

    def row(index: int) -> int:
        step = op.step(index)
        return (step.out_index if hasattr(step, "out_index") else step.in_index)[0]

    first = row(0)
    return next((k for k in range(1, op.num_steps) if row(k) != first), op.num_steps)


class PlayerWidget(anywidget.AnyWidget):
    """A widget that plays an operation's frames in the browser; ``step`` (0-based) follows it both ways.

    Examples
    --------
    >>> import numpy as np
    >>> from visualizer import Convolution
    >>> from visualizer.render.frame import FrameRenderer
    >>> player = PlayerWidget()
    >>> player.send(FrameRenderer(Convolution(np.eye(4), np.ones((3, 3)))))
    >>> player.num_steps, player.step, len(player._player["captions"])
    (4, 0, 4)
    >>> player.max_size, PlayerWidget(width=1400).max_size
    ((960, 720), (1400, 720))
    """

    _esm = _asset("player.js") + "\n" + _asset("stepper.js")
    _css = _asset("player.css")
    step = traitlets.Int(0).tag(sync=True)
    _player = traitlets.Dict().tag(sync=True)
    _sheets = traitlets.Bytes().tag(sync=True)
    # the pixels across that the view has for a frame, as the browser measured them (0: not yet)
    width = traitlets.Int(0, min=0).tag(sync=True)

    @property
    def max_size(self) -> tuple[int, int]:
        """The largest frame the view shows unscaled: its width, and a height a notebook shows whole."""
        return notebook_size(self.width)

    _stretch: range | None = None  # the steps sent, when not every step was
    _sent: tuple = ()  # the renderer sent last and what goes with its frames

    @property
    def num_steps(self) -> int:
        """Steps of the operation sent last."""
        return self._player.get("steps") or len(self._player.get("captions", ()))

    @traitlets.validate("step")
    def _valid_step(self, proposal: Any) -> int:
        index = proposal["value"]
        if self._player and not 0 <= index < self.num_steps:
            raise traitlets.TraitError(f"step must be in 0…{self.num_steps - 1}, got {index}")
        return index

    def send(self, renderer: FrameRenderer, *, fps: float = 2) -> None:
        """Draw every frame of ``renderer`` and send them; ``step`` stays where it was if it still exists.

        When frames were sent before (a view may be showing them), the step shown goes first, alone:
        the player shows it at once and waits (``pending``) for every step, which takes a frame's
        drawing time per step. An operation of more than ``ALL_AT_ONCE`` steps goes a stretch of
        ``STRETCH`` steps at a time: the one holding ``step``, and another when ``step`` leaves it.
        """
        count = len(renderer)
        alt = f"{type(renderer.op).__name__}: {renderer.op.describe()}"
        given = {"fps": fps, "cells": cell_map(renderer), "alt": alt, "row": row_length(renderer.op)}
        self._sent = (renderer, given)
        self._send_steps(min(self.step, count - 1))

    def _send_steps(self, step: int) -> None:
        """Send every step of the renderer sent last, or the stretch of them that holds ``step``."""
        renderer, given = self._sent
        count = len(renderer)
        start = step - step % STRETCH
        self._stretch = range(start, min(count, start + STRETCH)) if count > ALL_AT_ONCE else None
        steps = self._stretch or range(count)
        place = {"first": steps.start, "steps": count} if self._stretch else {}
        captions = [renderer.builder.caption(index) for index in steps]
        if self._player and len(steps) > 1:
            sheets, data = player_payload([renderer.frame(step)], captions=[captions[step - steps.start]], **given)
            # the one frame, in its step's place: the player holds that step and waits for the others
            patches = [[] for _ in steps]
            patches[step - steps.start] = data["patches"][0]
            self._publish(step, sheets, {**data, "captions": captions, "patches": patches, "pending": True, **place})
        frames = [renderer.frame(index) for index in steps]
        sheets, data = player_payload(frames, captions=captions, **given)
        self._publish(step, sheets, {**data, **place})

    @traitlets.observe("step")
    def _follow(self, change: Any) -> None:
        if self._stretch is not None and change.new not in self._stretch:
            self._send_steps(change.new)

    def _publish(self, step: int, sheets: list, data: dict) -> None:
        pngs = []
        for sheet in sheets:
            buffer = io.BytesIO()
            # speed over size: the PNGs only travel to the browser next door
            sheet.save(buffer, format="png", compress_level=1)
            pngs.append(buffer.getvalue())
        data["sheet_sizes"] = [len(png) for png in pngs]
        with self.hold_sync():
            self._player = {}  # lets step leave the old range before the new frames arrive
            self.step = step
            self._sheets = b"".join(pngs)
            self._player = data
