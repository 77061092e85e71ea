"""Activation functions of a layer, by name: what a CNN applies to each sum plus bias.

>>> import numpy as np
>>> ACTIVATIONS["relu"](np.array([-2, 0, 3]))
array([0, 0, 3])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)``, element-wise, in ``x``'s dtype."""
    return np.maximum(x, 0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``, written through ``logaddexp`` so that large ``|x|`` does not overflow.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    return np.exp(-np.logaddexp(0, -x))


# Names -> functions of the pre-activation array. A new activation is one more entry.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"relu": relu, "sigmoid": sigmoid, "tanh": np.tanh}


def activation_name(activation: Any) -> str | None:
    """``activation`` checked: None, or a name in :data:`ACTIVATIONS` (any case), lower-cased.

    >>> activation_name("ReLU")
    'relu'
    """
    if activation is None:
        return None
    allowed = ", ".join(["None", *map(repr, ACTIVATIONS)])
    if not isinstance(activation, str):
        raise TypeError(f"activation must be one of {allowed}; got {activation!r}")
    if activation.lower() not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {allowed}; got {activation!r}")
    return activation.lower()
