"""A step explained in words and a table, as HTML: where the window is, the products, the sum, the clamp.

The Stepper writes it beside the picture.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from .convolution import Convolution, Step
from .text import arithmetic, channel_names, display_number


def explain(conv: Convolution, step: Step) -> str:
    """The step as HTML: where the window is, the products, the sum, the clipped value, the formula.

    >>> from visualizer import Convolution
    >>> conv = Convolution([[1, 2], [3, 4]], [[1, 0], [0, 2]])
    >>> "1×1 + 0×2 + 0×3 + 2×4 = 9" in explain(conv, conv.step(0))
    True
    """
    (i, j), (r, c) = step.out_index, step.origin
    parts = [
        f"<b>output [{i}, {j}]</b> · window's top-left at row {r}, column {c}"
        + (" of the padded input" if any(conv.pads) else " of the input")
    ]
    channels = range(conv.channels) if conv.channels else [None]
    for channel in channels:
        window, weights = step.window, step.kernel
        if channel is not None:
            window = window[..., channel]
            weights = weights[..., channel] if weights.ndim == 3 else weights
            parts.append(f"<b>{channel_names(conv.channels)[channel]}</b>")
        parts.append(products_table(weights, window))
        parts.append(f"<code>{html.escape(arithmetic(step, channel=channel, max_terms=12))}</code>")
    if conv.clip_range is not None:
        low, high = (display_number(v) for v in conv.clip_range)
        verdict = "clipped" if step.is_clipped else "inside the range, kept"
        parts.append(f"clamped to {low}…{high}: {plain_text(step.clipped_value)} ({verdict})")
    parts.append("<br>".join(html.escape(line) for line in conv.formula()))
    parts.append(f"<small>{html.escape(conv.describe())}</small>")
    # the widget's own line height (one control's height) would spread the text thin
    return "".join(f"<div style='line-height:1.4;margin-bottom:8px'>{part}</div>" for part in parts)


def products_table(weights: np.ndarray, window: np.ndarray) -> str:
    cells = (
        "<tr>"
        + "".join(
            "<td style='padding:1px 6px;text-align:right;border:1px solid #ccc'>"
            f"{display_number(w)}×{display_number(x)}"
            f"<br><b>{display_number(w * x)}</b></td>"
            for w, x in zip(weight_row, window_row, strict=True)
        )
        + "</tr>"
        for weight_row, window_row in zip(weights, window, strict=True)
    )
    return f"<table style='border-collapse:collapse;font-family:monospace'>{''.join(cells)}</table>"


def plain_text(value: Any) -> str:
    values = np.atleast_1d(value)
    text = ", ".join(display_number(v) for v in values)
    return f"({text})" if values.size > 1 else text


def sum_text(step: Step) -> str:
    text = plain_text(step.value)
    return text + (f" → {plain_text(step.clipped_value)}" if step.is_clipped else "")
