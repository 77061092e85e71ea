"""Words and numbers for a convolutional layer's step: its header, each channel's sum, the bias, the activation.

Shared by the layer's frames and the HTML player's captions, so a learner reads
the same sentence in both.

>>> import numpy as np
>>> from visualizer import ConvLayer
>>> layer = ConvLayer(np.arange(8).reshape(2, 2, 2), np.ones((2, 2, 2, 1), int), bias=[-30], activation="relu")
>>> step = layer.step(0)
>>> channel_sum(layer, step, 0), channel_sum(layer, step, 1)
('channel 0: 1×0 + 1×2 + 1×4 + 1×6 = 12', 'channel 1: 1×1 + 1×3 + 1×5 + 1×7 = 16')
>>> total_line(layer, step), activation_line(layer, step)
('sum + bias = 12 + 16 − 30 = −2', 'relu: −2 → 0')
"""

from __future__ import annotations

from typing import Any

from .text import channel_names, display_number, parameters, products


def input_names(channels: int) -> tuple[str, ...]:
    """What a layer's input channels are called: red, green and blue for 3 (a colour image), else "channel c".

    >>> input_names(3), input_names(2)
    (('red', 'green', 'blue'), ('channel 0', 'channel 1'))
    """
    return channel_names(channels) if channels == 3 else tuple(f"channel {c}" for c in range(channels))


def header_parts(layer: Any) -> list[str]:
    """The layer's parameters, one phrase each, as a frame's header lists them.

    >>> import numpy as np
    >>> from visualizer import ConvLayer
    >>> header_parts(ConvLayer(np.zeros((5, 5, 3)), np.ones((3, 3, 3, 2)), bias=[0, 1], activation="relu"))
    ['input 5×5×3', '2 filters 3×3×3', 'bias', 'relu', 'stride 1', 'padding valid', 'dilation 1']
    """
    # the layer's geometry is a Convolution's (the layer builds one for it): its phrases are the same
    parts = parameters(layer._geometry)
    m, n, per_group, filters = layer.weights.shape
    parts[1] = f"{filters} filter{'s' if filters > 1 else ''} {m}×{n}×{per_group}"
    parts[2:2] = ["bias" if layer.bias is not None else "no bias", layer.activation or "no activation"]
    return parts


def kind_sentence(layer: Any) -> str | None:
    """What a depthwise, pointwise or grouped layer's filters read; None for an ordinary (dense) layer.

    >>> import numpy as np
    >>> from visualizer import ConvLayer
    >>> kind_sentence(ConvLayer(np.zeros((4, 4, 3)), np.ones((3, 3, 1, 6)), groups=3))
    'depthwise: 3 groups, each filter reads one input channel (2 filters per channel)'
    >>> kind_sentence(ConvLayer(np.zeros((4, 4, 3)), np.ones((1, 1, 3, 2))))
    'pointwise (1×1): each output mixes the 3 channels of one pixel'
    """
    c_in, groups, c_out = layer.in_channels, layer.groups, layer.out_channels
    if layer.kind == "depthwise":
        per = c_out // groups
        return f"depthwise: {groups} groups, each filter reads one input channel" + (
            f" ({per} filters per channel)" if per > 1 else ""
        )
    if layer.kind == "grouped":
        return f"grouped: {groups} groups, each filter reads {c_in // groups} of the {c_in} input channels"
    if layer.kind == "pointwise":
        return f"pointwise (1×1): each output mixes the {c_in} channels of one pixel"
    return None


def shape_lines(layer: Any) -> list[str]:
    """The output-size formula with the numbers, the output's shape and the count of weights.

    >>> import numpy as np
    >>> from visualizer import ConvLayer
    >>> shape_lines(ConvLayer(np.zeros((5, 5, 3)), np.ones((3, 3, 3, 2)), bias=[0, 1], padding=1))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['rows = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5', 'cols = ⌊(5 + 2 − 3) / 1⌋ + 1 = 5', 'channels = filters = 2',
     '→ output 5×5×2', 'weights 3×3×3×2 = 54, + 2 biases']
    """
    rows, cols = layer.output_shape
    m, n, per_group, filters = layer.weights.shape
    weights = f"weights {m}×{n}×{per_group}×{filters} = {m * n * per_group * filters}"
    if layer.bias is not None:
        weights += f", + {filters} bias{'es' if filters > 1 else ''}"
    return [*layer.formula(), f"channels = filters = {filters}", f"→ output {rows}×{cols}×{filters}", weights]


def channel_sum(layer: Any, step: Any, slot: int, max_terms: int | None = None) -> str:
    """Input channel ``slot`` of the step's group: its products written out and its partial sum."""
    name = input_names(layer.in_channels)[step.input_channels[slot]]
    window, kernel = step.window[..., slot], step.kernel[..., slot]
    return f"{name}: {products(kernel, window, max_terms)} = {display_number(step.partial_sums[slot])}"


def signed_sum(values: Any, max_terms: int | None = None) -> str:
    """``a + b − c``: numbers added as written by hand, the middle elided past ``max_terms``.

    >>> signed_sum([-2, 7, -11, 1]), signed_sum(range(6), max_terms=3)
    ('−2 + 7 − 11 + 1', '0 + … + 4 + 5')
    """
    texts = [display_number(v) for v in values]
    terms = [texts[0]] + [f" − {t[1:]}" if t.startswith("−") else f" + {t}" for t in texts[1:]]
    if max_terms is not None and len(terms) > max_terms:
        head = max(1, max_terms // 2)
        terms = terms[:head] + [" + …"] + terms[len(terms) - (max_terms - head) :]
    return "".join(terms)


def total_line(layer: Any, step: Any, max_terms: int | None = None) -> str:
    """The partial sums added, with the bias: ``sum + bias = −2 + 7 − 11 + 1 = −5``; ``sum = 15`` for one alone."""
    values = list(step.partial_sums)
    if layer.bias is None:
        added = "" if len(values) == 1 else f"{signed_sum(values, max_terms)} = "
        return f"sum = {added}{display_number(step.pre_activation)}"
    return f"sum + bias = {signed_sum([*values, step.bias], max_terms)} = {display_number(step.pre_activation)}"


def activation_line(layer: Any, step: Any) -> str | None:
    """What the activation does to this step's sum: ``relu: −7 → 0``; None without an activation."""
    if layer.activation is None:
        return None
    return f"{layer.activation}: {display_number(step.pre_activation)} → {display_number(step.value)}"


def layer_caption(layer: Any, step: Any) -> str:
    """The step in one line: ``out[i, j, k] = partial sums + bias = sum`` and what the activation made of it.

    >>> import numpy as np
    >>> from visualizer import ConvLayer
    >>> layer = ConvLayer(np.ones((2, 2, 2), int), np.ones((1, 1, 2, 2), int), bias=[1, -5], activation="relu")
    >>> layer_caption(layer, layer.step(5))
    'out[0, 1, 1] = 1 + 1 − 5 = −3, relu → 0'
    """
    i, j, k = step.out_index
    values = list(step.partial_sums) + ([step.bias] if layer.bias is not None else [])
    line = f"out[{i}, {j}, {k}] = {signed_sum(values, max_terms=8)} = {display_number(step.pre_activation)}"
    if layer.activation is not None:
        line += f", {layer.activation} → {display_number(step.value)}"
    return line


def group_phrase(layer: Any, k: int) -> str:
    """Which input channels filter ``k`` reads, for its title: "" when it reads them all.

    >>> import numpy as np
    >>> from visualizer import ConvLayer
    >>> layer = ConvLayer(np.zeros((3, 3, 4)), np.zeros((1, 1, 2, 4)), groups=2)
    >>> group_phrase(layer, 3)
    ' ← channels 2, 3'
    """
    channels = layer.input_channels(k)
    if len(channels) == layer.in_channels:
        return ""
    names = input_names(layer.in_channels)
    if len(channels) == 1:
        return f" ← {names[channels[0]]}"
    numbered = all(name.startswith("channel ") for name in names)
    listed = ", ".join(str(c) if numbered else names[c] for c in channels)
    return f" ← channels {listed}" if numbered else f" ← {listed}"
