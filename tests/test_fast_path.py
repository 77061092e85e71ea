"""The threaded shift-add in ``visualizer._shift_add``: same answer as SciPy, same bits as one thread.

The engine starts threads only for large work on a machine with several cores, so these tests
set the thresholds that decide it and check that the threads really ran.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from visualizer import Convolution
from visualizer import _shift_add as engine

SHIFT_ADD = engine._shift_add


@pytest.fixture
def band_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, int, int, bool]]:
    """Force two worker threads for work of two bands or more; records every band computed.

    The list fills with (pool, thread id, first row, whether the pool has two bands or more).

    A pool is known by the queue of bands its threads share. In a pool of two bands or more, each
    thread, having taken its first band, waits until the other has taken one too: however the OS
    schedules them (one thread may start late and find the queue empty, correctly), both threads are
    sure to compute part of the work. (One band, such as a strip of the border, has one thread.)
    """
    monkeypatch.setattr(engine, "_CORES", 2)
    monkeypatch.setattr(engine, "_WORK_PER_THREAD", 1)
    bands: list[tuple[object, int, int, bool]] = []
    meetings: dict[object, threading.Barrier] = {}
    lock = threading.Lock()

    def taken(starts: Iterator[int], shared: bool) -> Iterator[int]:
        with lock:
            meeting = meetings.setdefault(starts, threading.Barrier(2, timeout=30))
        for count, start in enumerate(starts):
            bands.append((starts, threading.get_ident(), start, shared))
            if count == 0 and shared:
                try:
                    meeting.wait()
                except threading.BrokenBarrierError:
                    raise AssertionError("no second thread took a band: the work was not shared") from None
            yield start

    def recording(source, weights, stride, out, band, starts, scratch):
        shared = out.shape[0] > band
        return SHIFT_ADD(source, weights, stride, out, band, taken(starts, shared), scratch)

    monkeypatch.setattr(engine, "_shift_add", recording)
    return bands


def assert_shared(bands: list[tuple[object, int, int, bool]], pools: int) -> None:
    """``pools`` pools of two bands or more, each shared by the calling thread and one other; a lone
    band computed by the calling thread; no band computed twice."""
    caller = threading.get_ident()
    by_pool: dict[object, list[tuple[int, int]]] = {}
    several = set()
    for pool, thread, start, shared in bands:
        by_pool.setdefault(pool, []).append((thread, start))
        if shared:
            several.add(pool)
    assert len(several) == pools
    for pool, work in by_pool.items():
        threads, starts = {thread for thread, _ in work}, [start for _, start in work]
        if pool in several:
            assert len(threads) == 2 and caller in threads, "the work was not shared by two threads"
        else:
            assert threads == {caller}, "a lone band is left to the calling thread"
        assert len(starts) == len(set(starts)), "a band was computed twice"


def one_thread(conv: Convolution) -> np.ndarray:
    """The same convolution computed by the calling thread alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_CORES", 1)
        patch.setattr(engine, "_shift_add", SHIFT_ADD)  # no recording: a lone thread has no one to meet
        return conv.replace().result()


def reference(image: np.ndarray, kernel: np.ndarray, stride: int) -> np.ndarray:
    """scipy.ndimage.correlate, zeros outside, channel by channel; every stride-th output of 'same'."""
    planes = image[..., np.newaxis] if image.ndim == 2 else image
    out = np.stack(
        [
            ndimage.correlate(planes[..., c], kernel if kernel.ndim == 2 else kernel[..., c], mode="constant")
            for c in range(planes.shape[2])
        ],
        axis=-1,
    )
    return out[::stride, ::stride, 0] if image.ndim == 2 else out[::stride, ::stride]


RNG = np.random.default_rng(3)
GREY = RNG.random((1024, 1040), dtype=np.float32)
COLOUR = RNG.random((1024, 1024, 3), dtype=np.float32)
CASES = [
    pytest.param(GREY, RNG.standard_normal((5, 5)).astype(np.float32), id="grey"),
    pytest.param(COLOUR, RNG.standard_normal((5, 5, 3)).astype(np.float32), id="colour-stack"),
    pytest.param(COLOUR, RNG.standard_normal((5, 5)).astype(np.float32), id="colour-one-kernel"),
]


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize(("image", "kernel"), CASES)
def test_threads_match_scipy_and_one_thread(band_threads, image, kernel, stride):
    # padding 2 on every side centres a 5×5 window on each pixel, as ndimage does
    conv = Convolution(image, kernel, stride=stride, padding=2)
    threaded = conv.result()
    # a colour image goes plane by plane (one pool each) when the stride steps over columns
    assert_shared(band_threads, pools=3 if image.ndim == 3 and stride > 1 else 1)
    np.testing.assert_allclose(threaded, reference(image, kernel, stride), rtol=1e-5, atol=1e-5)
    single = one_thread(conv)
    assert threaded.dtype == single.dtype and threaded.shape == single.shape
    assert threaded.tobytes() == single.tobytes()


def test_threaded_steps_equal_result(band_threads):
    # 512 KB of output: two bands, one per thread
    image = RNG.random((512, 256), dtype=np.float32)
    conv = Convolution(image, RNG.standard_normal((5, 5)).astype(np.float32), padding="same")
    result = conv.result()
    values = np.array([step.value for step in conv.steps()], dtype=result.dtype).reshape(result.shape)
    # result() and steps() each start a pool
    assert_shared(band_threads, pools=2)
    assert values.tobytes() == result.tobytes()
    np.testing.assert_allclose(result, reference(image, conv.kernel, 1), rtol=1e-5, atol=1e-5)


def test_threads_only_for_large_work():
    # a megapixel with a 7×7 kernel runs in the calling thread; four megapixels share the cores (up to 8)
    ran: list[int] = []

    def counting(*args):
        ran.append(threading.get_ident())
        return SHIFT_ADD(*args)

    kernel = np.ones((7, 7), np.float32)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_shift_add", counting)
        patch.setattr(engine, "_CORES", 2)
        # (the frame of border rows and columns is summed apart, in the calling thread)
        Convolution(GREY, kernel, padding="same").result()
        assert set(ran) == {threading.get_ident()}
        ran.clear()
        Convolution(np.vstack([GREY, GREY]), kernel, padding="same").result()
        assert len(set(ran)) == 2


@pytest.mark.parametrize("image", [GREY[:300, :200], COLOUR[:200, :300]], ids=["grey", "colour"])
@pytest.mark.parametrize("size", [1, 4, 5])
def test_runs_of_rows_equal_slices(image, size):
    # stride 1 reads each tap as one run of whole padded rows; a padded array that is not C-ordered
    # takes the slice-by-slice path instead: both must give the same bits, in every band
    kernel = RNG.standard_normal((size, size)).astype(np.float32)
    before = size // 2  # where ndimage centres an even kernel
    conv = Convolution(image, kernel, padding=((before, size - 1 - before),) * 2)
    args = (conv._applied_kernel, conv.stride, conv.dilation)
    runs, slices = (np.empty(conv.output_shape + image.shape[2:], np.float32) for _ in range(2))
    engine.correlate(conv.padded, *args, runs)
    engine.correlate(np.asfortranarray(conv.padded), *args, slices)
    assert runs.tobytes() == slices.tobytes()
    np.testing.assert_allclose(runs, reference(image, kernel, 1), rtol=1e-5, atol=1e-5)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 40),
    cols=st.integers(1, 12),
    channels=st.integers(1, 4),
    size=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_stack_on_short_rows_sums_in_runs_with_the_same_bits(rows, cols, channels, size, seed):
    # a per-channel stack over rows of a few pixels (a strip of the border) reads each tap as one run of
    # whole rows, its weights repeating channel by channel: the same bits as the slice-by-slice path
    rng = np.random.default_rng(seed)
    source = rng.standard_normal((rows + size[0] - 1, cols + size[1] - 1, channels)).astype(np.float32)
    kernel = rng.standard_normal(size + (channels,)).astype(np.float32)
    runs, slices = (np.empty((rows, cols, channels), np.float32) for _ in range(2))
    in_runs: list[bool] = []

    def recording(source, weights, stride, out, band, starts, scratch):
        in_runs.append(len(scratch) == 2)  # scratch for runs holds the sums and the products
        return SHIFT_ADD(source, weights, stride, out, band, starts, scratch)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_shift_add", recording)
        engine.correlate(source, kernel, (1, 1), (1, 1), runs)
        # every other number of a wider array: the same values, not in runs
        engine.correlate(np.repeat(source, 2, axis=2)[..., ::2], kernel, (1, 1), (1, 1), slices)
    assert in_runs == [True, False]
    assert runs.tobytes() == slices.tobytes()
    expected = np.stack(
        [ndimage.correlate(source[..., c], kernel[..., c], mode="constant") for c in range(channels)], axis=-1
    )
    # ndimage centres the window; the valid part is where the window lies wholly inside
    top, left = size[0] // 2, size[1] // 2
    np.testing.assert_allclose(runs, expected[top : top + rows, left : left + cols], rtol=1e-5, atol=1e-5)
