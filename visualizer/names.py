"""Close matches for a mistyped name: the "did you mean …?" of every error message.

One helper, so the command line and the library suggest the same way for
kernel names, pad modes, themes, subcommands and options.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: object, choices: Iterable[str]) -> str | None:
    """The one choice ``value`` was most likely meant to be, or None.

    Case is ignored; a choice that starts with what was typed counts too
    ("gauss" for "gaussian_blur"), since a prefix is a common shorthand.

    >>> closest("sobelx", ["sobel_x", "sobel_y", "sharpen"])
    'sobel_x'
    >>> closest("gauss", ["box_blur", "gaussian_blur"])
    'gaussian_blur'
    >>> closest("blue", ["zeros", "reflect"]) is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    options = list(choices)
    typed = value.strip().lower()
    lowered = {option.lower(): option for option in options}
    if typed in lowered:
        return lowered[typed]
    close = difflib.get_close_matches(typed, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    # the shortest of several ("gauss": gaussian_blur before gaussian_blur_5x5)
    starts = [option for option in options if len(typed) >= 3 and option.lower().startswith(typed)]
    return min(starts, key=len) if starts else None


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` to end an error message, or ``""`` when nothing is close.

    >>> "pad_mode must be zeros or reflect; got 'relfect'" + did_you_mean("relfect", ["zeros", "reflect"])
    "pad_mode must be zeros or reflect; got 'relfect'; did you mean 'reflect'?"
    """
    match = closest(value, choices)
    return "" if match is None else f"; did you mean {match!r}?"
