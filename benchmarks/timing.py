"""Interleaved medians: the timing both family benchmarks share.

Each repetition times every contender once, in turn, so a noisy neighbour on
the machine slows all of them alike; the medians are compared as ratios.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved_medians(contenders: dict[str, Callable[[], object]], repeats: int = 25) -> dict[str, float]:
    """Median seconds per call of each contender, timed in turn within each repetition."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm up: first-touch page faults, imports, caches
        fn()
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
