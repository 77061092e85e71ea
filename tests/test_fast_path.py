"""The threaded shift-add in ``visualizer._shift_add``: same answer as SciPy, same bits as one thread.

The engine starts threads only for large work on a machine with several cores, so these tests
set the thresholds that decide it and check that the threads really ran.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from scipy import ndimage

from visualizer import Convolution
from visualizer import _shift_add as engine


@pytest.fixture
def band_threads(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Force two worker threads for any work; yields the ids of the threads that ran the shift-add."""
    monkeypatch.setattr(engine, "_CORES", 2)
    monkeypatch.setattr(engine, "_WORK_PER_THREAD", 1)
    ran: set[int] = set()
    shift_add = engine._shift_add

    def recording(*args):
        ran.add(threading.get_ident())
        return shift_add(*args)

    monkeypatch.setattr(engine, "_shift_add", recording)
    return ran


def one_thread(conv: Convolution) -> np.ndarray:
    """The same convolution computed by the calling thread alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_CORES", 1)
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
    # colour planes that go one by one start a pool each: its worker's id may or may not be reused
    assert len(band_threads) >= 2, "the work was not shared between threads"
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
    # result() and steps() each start a pool: its worker's id may or may not be reused
    assert len(band_threads) >= 2, "the work was not shared between threads"
    assert values.tobytes() == result.tobytes()
    np.testing.assert_allclose(result, reference(image, conv.kernel, 1), rtol=1e-5, atol=1e-5)


def test_threads_only_for_large_work():
    # a megapixel with a 7×7 kernel runs in the calling thread; four megapixels share the cores (up to 8)
    ran: list[int] = []
    shift_add = engine._shift_add

    def counting(*args):
        ran.append(threading.get_ident())
        return shift_add(*args)

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
