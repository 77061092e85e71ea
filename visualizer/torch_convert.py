"""Between PyTorch's convolution layout and :class:`~visualizer.layer.ConvLayer`'s.

PyTorch keeps a filter bank as ``(C_out, C_in // groups, M, N)`` and images as
``(N, C, H, W)``; the layer keeps Keras's ``(M, N, C_in // groups, C_out)`` and
``(H, W, C)``. These functions only move axes and read an ``nn.Conv2d``'s settings;
they import torch only when called with torch objects or asked for tensors, so
PyTorch is never a dependency.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

# nn.Conv2d's settings and the layer's keyword for each
_MODULE_SETTINGS = {"stride": "stride", "padding": "padding", "dilation": "dilation", "groups": "groups"}


class TorchConv(NamedTuple):
    """A layer as PyTorch's call: ``F.conv2d(F.pad(input, **pad), weight, bias, **conv)``.

    ``input`` is ``(1, C, H, W)``; ``weight`` ``(C_out, C_in // groups, M, N)``; ``bias``
    ``(C_out,)`` or None; ``pad`` holds ``F.pad``'s ``pad`` (left, right, top, bottom),
    ``mode`` and, for constant padding, ``value``; ``conv`` holds ``stride``, ``dilation``
    and ``groups``. PyTorch's reflect padding needs pads smaller than the image.
    """

    input: Any
    weight: Any
    bias: Any
    pad: dict
    conv: dict


def layer_params_from_torch(
    module_or_weight: Any,
    image: Any,
    bias: Any = None,
    *,
    stride: Any = None,
    padding: Any = None,
    dilation: Any = None,
    groups: Any = None,
    padding_mode: Any = None,
) -> dict[str, Any]:
    """ConvLayer's keywords for an ``nn.Conv2d`` (or its weight and bias) and a torch image.

    With a module, its weight, bias, stride, padding, dilation, groups and
    padding_mode are read from it, and passing any of them too is an error. With a
    weight ``(C_out, C_in // groups, M, N)`` (a tensor or an array in that layout),
    the settings default to PyTorch's (stride 1, padding 0, dilation 1, groups 1,
    "zeros"). The image is ``(1, C, H, W)`` or ``(C, H, W)``. PyTorch's padding names
    ("valid", "same" at stride 1) and pad modes mean the same here.

    >>> import numpy as np
    >>> params = layer_params_from_torch(np.zeros((8, 3, 5, 5)), np.zeros((1, 3, 32, 32)), padding=2)
    >>> params["weights"].shape, params["image"].shape, params["padding"], params["pad_mode"]
    ((5, 5, 3, 8), (32, 32, 3), 2, 'zeros')
    """
    given = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if _is_module(module_or_weight):
        module = module_or_weight
        extra = {**given, "bias": bias, "padding_mode": padding_mode}
        extra = [name for name, value in extra.items() if value is not None]
        if extra:
            raise ValueError(f"{', '.join(extra)}: the nn.Conv2d's own are used; pass these only with a weight tensor")
        settings = {ours: getattr(module, theirs) for theirs, ours in _MODULE_SETTINGS.items()}
        weight, bias, padding_mode = module.weight, module.bias, module.padding_mode
    else:
        weight = module_or_weight
        defaults = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1}
        settings = {name: defaults[name] if value is None else value for name, value in given.items()}
    weight = _as_numpy(weight, "weight")
    if weight.ndim != 4:
        raise ValueError(
            f"weight must be 4-D in PyTorch's layout (out_channels, in_channels // groups, rows, cols); "
            f"got shape {weight.shape}"
        )
    return {
        "image": _image_from_torch(image),
        "weights": weight.transpose(2, 3, 1, 0),
        "bias": None if bias is None else _as_numpy(bias, "bias"),
        "pad_mode": "zeros" if padding_mode is None else padding_mode,
        **{name: _plain(value) for name, value in settings.items()},
    }


def torch_conv(layer: Any) -> TorchConv:
    """PyTorch's tensors and keywords for a :class:`~visualizer.layer.ConvLayer` (float64 for integers)."""
    import torch

    image, weights, bias = layer.image, layer.weights, layer.bias

    dtype = np.float32 if image.dtype == np.float32 else np.float64
    top, bottom, left, right = layer.pads
    pad = {"pad": (left, right, top, bottom), "mode": "constant" if layer.pad_mode == "zeros" else layer.pad_mode}
    if layer.pad_mode == "zeros":
        pad["value"] = float(layer.pad_value)
    return TorchConv(
        # fresh copies: the layer's arrays are read-only, and the tensors are the caller's to change
        input=torch.from_numpy(np.array(image.transpose(2, 0, 1)[np.newaxis], dtype, order="C")),
        weight=torch.from_numpy(np.array(weights.transpose(3, 2, 0, 1), dtype, order="C")),
        bias=None if bias is None else torch.from_numpy(np.array(bias, dtype)),
        pad=pad,
        conv={"stride": layer.stride, "dilation": layer.dilation, "groups": layer.groups},
    )


def _is_module(value: Any) -> bool:
    if not type(value).__module__.startswith("torch"):
        return False
    import torch

    if isinstance(value, torch.nn.Module) and not isinstance(value, torch.nn.Conv2d):
        raise TypeError(f"module_or_weight must be an nn.Conv2d or a weight tensor, got {type(value).__name__}")
    return isinstance(value, torch.nn.Conv2d)


def _as_numpy(value: Any, name: str) -> np.ndarray:
    if hasattr(value, "detach"):  # a tensor (or a Parameter), maybe on a GPU
        return value.detach().cpu().numpy()
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a tensor or an array, got {type(value).__name__}")
    return np.asarray(value)


def _image_from_torch(image: Any) -> np.ndarray:
    array = _as_numpy(image, "image")
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(
                f"image must hold one image, (1, C, H, W) or (C, H, W); got a batch of {array.shape[0]}: "
                "pass image[i:i + 1]"
            )
        array = array[0]
    if array.ndim != 3:
        raise ValueError(f"image must be (1, C, H, W) or (C, H, W) as in PyTorch; got shape {array.shape}")
    return array.transpose(1, 2, 0)


def _plain(value: Any) -> Any:
    """PyTorch's settings as the layer takes them: tuples of ints stay, a (p, p) pair of pads too."""
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else value
