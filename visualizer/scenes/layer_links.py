"""Which cells a layer's step joins, for the player's cell map: a mixin of :class:`~visualizer.scenes.layer.LayerScene`.

Filter ``k`` at ``(i, j)`` reads one window on each input channel of its group
(drawn in full in the slots, and as small maps when the channels are many) and
writes cell ``(i, j)`` of its output map. When the slots show only the current
group's channels, or one output panel shows only the current filter, those grids
are paged: their cells belong to the steps that show the same group or filter.
"""

from __future__ import annotations

from ..geometry import window_taps
from .links import Links


class LayerLinks:
    """Links and pages for a scene with ``layer``, ``split``, ``compact``, ``slots`` and its grids (none when its
    cells became pictures, ``magnifier``)."""

    def links(self, index: int) -> Links | None:
        if self.magnifier is not None:
            return None  # channels drawn as pictures have no cells to point at
        step = self.layer.step(index)
        i, j, k = step.out_index
        rows, cols = window_taps(step.origin, self.layer.kernel_shape, self.layer.dilation)
        read = range(self.slots) if self.split else step.input_channels
        inputs = [self.slot_grids[slot].name for slot in read]
        inputs += [self.channel_grids[channel].name for channel in step.input_channels if self.channel_grids]
        outputs = [self.panels[0 if self.compact else k].name]
        if self.map_grids:  # every filter's small map
            outputs.append(self.map_grids[k].name)
        return Links.gather(inputs, rows, cols, outputs, i, j)

    def pages(self, index: int) -> dict[str, int]:
        step, shown = self.layer.step(index), {}
        if self.magnifier is not None:
            return shown
        if self.split:  # the slots show the current group's channels
            shown.update({grid.name: step.input_channels.start // self.per_group for grid in self.slot_grids})
        if self.compact:  # the one full output panel shows the current filter
            shown[self.panels[0].name] = step.out_index[2]
        return shown
