"""The sum block of a layer's frame: each channel's products and partial sum, the sum plus bias, the activation.

A mixin of :class:`~visualizer.scenes.layer.LayerScene`: it measures how wide the
lines can be (so the frame and the activation's chart leave room for them) and
writes one step's lines, eliding the middle terms of a sum only when it must.
When the products panel shows each channel's products and partial sum, the
block writes only the sum plus the bias and the activation, under the panel.
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any

import numpy as np

from ..layer_text import activation_line, channel_sum, total_line
from ..text import display_number
from .base import text_width
from .conv_layout import samples
from .items import Item


class SumBlock:
    """Lines of sums for a scene that has ``layer``, ``names``, ``weight_text``, ``pre``, ``products_panel``
    and a ``sum_xy``."""

    @property
    def sum_lines(self) -> int:
        """Lines the block writes: each channel's sum (unless the products panel shows them), the total, the
        activation."""
        if not self.numbers:
            return 0
        channel_lines = 0 if self.products_panel is not None else self.per_group
        return channel_lines + 1 + (self.layer.activation is not None)

    @cached_property
    def longest_labels(self) -> tuple[list[str], list[str]]:
        """The longest labels of the input's values and of the sums (a sample of them for large inputs)."""

        def longest(values: np.ndarray) -> list[str]:
            labels = {display_number(v) for v in samples(values)}
            most = max(map(len, labels))
            return [label for label in labels if len(label) >= most - 1]

        return longest(self.layer.padded), longest(self.pre)

    def natural_sum_width(self) -> float:
        """About how wide the longest line of sums can be, so the activation's chart can stand close by."""
        layer, face = self.layer, self.text_font
        weight = max(self.weight_text.ravel(), key=lambda text: text_width(text, face))
        values, totals = self.longest_labels
        value = max(values, key=lambda text: text_width(text, face))
        total = max(totals, key=lambda text: text_width(text, face))
        name = max(self.names, key=lambda text: text_width(text, face))
        taps = layer.kernel_shape[0] * layer.kernel_shape[1]
        term = f" − {weight.lstrip('−')}×" + (f"({value})" if value.startswith("−") else value)
        channel = f"{name}: " + term * taps + f" = {total}"
        added = "sum + bias = " + f" − {total}" * (self.per_group + 2)
        if self.products_panel is not None:  # the panel's rows stand for the channels' lines
            return max(self.products_panel.panel.width, text_width(added, face))
        return max(text_width(channel, face), text_width(added, face))

    def min_width(self) -> int:
        """Room for the longest line of sums and the activation's chart beside it."""
        if not self.numbers:
            return 0
        t = self.theme
        if self.magnifier is not None:  # under pictures, the lines are elided to the frame (or the magnifier's)
            return round(t.text_size * 40)
        chart = round(t.text_size * 9) + 2 * t.gap if self.layer.activation is not None else 0
        return round(max(t.text_size * 40, 2 * t.margin + self.natural_sum_width() + chart))

    def _sums(self, step: Any) -> list[Item]:
        """Each channel's products and partial sum, the sum plus the bias, and the activation, one line each."""
        x, y = self.sum_xy
        layer, terms = self.layer, step.kernel.shape[0] * step.kernel.shape[1]
        lines = []
        if self.products_panel is None:  # otherwise the panel shows each channel's products and sum
            lines = [
                (self._fit(partial(channel_sum, layer, step, position), terms), ("arithmetic", channel))
                for position, channel in enumerate(step.input_channels)
            ]
        lines.append((self._fit(partial(total_line, layer, step), len(step.input_channels) + 1), ("total",)))
        activation = activation_line(layer, step)
        if activation is not None:
            lines.append((activation, ("activation",)))
        return [
            self.label((x, y + n * self.line_height), text, self.text_font, tag) for n, (text, tag) in enumerate(lines)
        ]

    def _fit(self, line, terms: int) -> str:
        """``line(max_terms)`` with as many terms as fit the sum block's width (the middle ones elided)."""
        for max_terms in (None, *range(terms - 1, 1, -1)):
            text = line(max_terms)
            if text_width(text, self.text_font) <= self.sum_width:
                return text
        return text
