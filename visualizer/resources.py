"""Files the package borrows from matplotlib's data folder (fonts, the sample photo).

They are found without importing matplotlib, which would cost about 0.3 s.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path


@cache
def matplotlib_data(*parts: str) -> Path | None:
    """Path of ``mpl-data/<parts>`` in the installed matplotlib, or None when it is missing.

    Examples
    --------
    >>> matplotlib_data("fonts", "ttf", "DejaVuSans.ttf").name
    'DejaVuSans.ttf'
    >>> matplotlib_data("no", "such", "file") is None
    True
    """
    spec = find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, "mpl-data", *parts)
        if path.exists():
            return path
    return None
