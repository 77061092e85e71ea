"""What the tests need from the machine: outside CI a missing tool skips its tests; in CI it fails them.

CI (``CI`` set, as CI services do and ``.ci/run`` makes sure) installs every tool
and package these tests drive, so a missing one there is a broken set-up, never a
reason to skip quietly. A developer without it sees a skip and the reason.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> NoReturn:
    """Skip the test because ``what`` is missing; in CI, fail it in one line instead."""
    if IN_CI:
        pytest.fail(f"{what}; CI must install it", pytrace=False)
    pytest.skip(what)
