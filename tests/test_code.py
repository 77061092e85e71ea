"""op.code(library): every snippet runs in a fresh namespace and its ``result`` equals op.result().

The snippets compute with the libraries themselves (NumPy, SciPy, PyTorch, Keras), so each is
an independent reference written by another hand; the operations are held against SciPy and
PyTorch in their own tests. Keras runs when it imports (with the PyTorch backend unless
KERAS_BACKEND says otherwise); without it the Keras snippets are only parsed.
"""

from __future__ import annotations

import ast
import functools
import importlib
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import visualizer as vz
from visualizer.code import LIBRARIES

os.environ.setdefault("KERAS_BACKEND", "torch")
# Keras's PyTorch backend converts tensors with np.array(x, copy=False), which NumPy 2 warns about
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
RNG = np.random.default_rng(7)


def ints(shape, low=-3, high=4, dtype=np.int64):
    return RNG.integers(low, high, shape).astype(dtype)


def floats(shape, dtype=np.float64):
    return RNG.random(shape).astype(dtype)


@functools.cache
def library_module(library: str):
    """The library itself, or None when it does not import here."""
    try:
        return importlib.import_module(library)
    except Exception:  # keras without a backend raises more than ImportError
        return None


def present() -> list[str]:
    """The libraries whose snippets a sweep can check here (Keras's are at least parsed)."""
    return [library for library in LIBRARIES if library == "keras" or library_module(library) is not None]


def run(op, library: str) -> None:
    """Execute op.code(library) and compare its ``result`` with op.result()."""
    snippet = op.code(library)
    tree = ast.parse(snippet)
    last = tree.body[-1]
    assert isinstance(last, ast.Assign) and [t.id for t in last.targets] == ["result"], snippet[-200:]
    if library_module(library) is None:
        if library == "keras":
            return  # parsed: the syntax is all that can be checked without Keras
        pytest.skip(f"{library} is not installed")
    namespace: dict = {}
    exec(snippet, namespace)
    got, want = np.asarray(namespace["result"]), op.result()
    assert got.shape == want.shape, snippet
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    if want.dtype.kind in "iu":
        np.testing.assert_array_equal(got, want)
    else:
        tolerance = 1e-5 if want.dtype == np.float32 else 1e-9
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)


CONVOLUTIONS = {
    "grey uint8": lambda: vz.Convolution(ints((5, 6), 0, 256, np.uint8), ints((3, 3))),
    "grey float stride 2": lambda: vz.Convolution(floats((7, 6)), floats((3, 3)), stride=2),
    "float32": lambda: vz.Convolution(floats((6, 6), np.float32), floats((2, 3)), padding=1),
    "sums asked in float32": lambda: vz.Convolution(ints((5, 6), 0, 256, np.uint8), ints((3, 3)), dtype=np.float32),
    "int16": lambda: vz.Convolution(ints((5, 6), -900, 900, np.int16), ints((3, 3)), padding="same", clip="auto"),
    "colour, one kernel": lambda: vz.Convolution(floats((5, 6, 3)), floats((3, 3)), padding="same"),
    "colour, a kernel per channel": lambda: vz.Convolution(ints((5, 6, 3), 0, 256, np.uint8), ints((3, 2, 3))),
    "stride and dilation per axis": lambda: vz.Convolution(
        floats((9, 8)), floats((2, 3)), stride=(2, 3), dilation=(2, 1)
    ),
    "padding int": lambda: vz.Convolution(ints((4, 5)), ints((3, 3)), padding=2),
    "padding pair": lambda: vz.Convolution(ints((4, 5)), ints((3, 3)), padding=(1, 2)),
    "padding per side": lambda: vz.Convolution(ints((4, 5)), ints((3, 3)), padding=((0, 2), (3, 1))),
    "full": lambda: vz.Convolution(ints((4, 5)), ints((2, 3)), padding="full", dilation=2),
    "same, even kernel": lambda: vz.Convolution(ints((5, 5)), ints((4, 2)), padding="same"),
    "same, stride 2, odd size": lambda: vz.Convolution(ints((7, 7)), ints((3, 3)), stride=2, padding="same"),
    "same, stride 2, even size": lambda: vz.Convolution(ints((6, 8)), ints((3, 3)), stride=2, padding="same"),
    "same, stride 2, even kernel": lambda: vz.Convolution(floats((6, 7)), floats((4, 4)), stride=2, padding="same"),
    "same, stride and dilation 2": lambda: vz.Convolution(floats((8, 7, 2)), floats((3, 3)), 2, "same", dilation=2),
    "pad value": lambda: vz.Convolution(ints((4, 4)), ints((3, 3)), padding=1, pad_value=2.5),
    "same with a pad value": lambda: vz.Convolution(floats((5, 4)), floats((3, 3)), padding="same", pad_value=-1.0),
    "replicate": lambda: vz.Convolution(ints((4, 5, 3)), ints((3, 3)), padding=((2, 1), (0, 3)), pad_mode="replicate"),
    "reflect": lambda: vz.Convolution(floats((5, 5)), floats((3, 3)), padding="same", pad_mode="reflect"),
    "reflect past the edge": lambda: vz.Convolution(ints((3, 4)), ints((2, 2)), padding=4, pad_mode="reflect"),
    "circular": lambda: vz.Convolution(floats((4, 5, 2)), floats((3, 3, 2)), padding=(2, 1), pad_mode="circular"),
    "edge alias": lambda: vz.Convolution(ints((4, 5)), ints((3, 3)), padding="same", stride=2, pad_mode="edge"),
    "flip_kernel": lambda: vz.Convolution(ints((5, 5)), ints((2, 3)), padding="same", flip_kernel=True),
    "flip_kernel, colour stack": lambda: vz.Convolution(floats((5, 5, 3)), floats((3, 2, 3)), flip_kernel=True),
    "clip auto, uint8 blur": lambda: vz.Convolution(
        ints((6, 6), 0, 256, np.uint8), np.full((3, 3), 1 / 9), padding="same", clip="auto"
    ),
    "clip auto, uint8 sharpen": lambda: vz.Convolution(
        ints((6, 6), 0, 256, np.uint8), vz.KERNELS["sharpen"], clip="auto"
    ),
    "clip range": lambda: vz.Convolution(floats((5, 5)), floats((3, 3)) - 0.5, clip=(0, 1)),
    "clip fractional range on ints": lambda: vz.Convolution(ints((5, 5)), ints((2, 2)), clip=(0, 2.5)),
    "signal": lambda: vz.Convolution(ints(9), ints(3)),
    "signal, same, stride 2": lambda: vz.Convolution(floats(9), floats(4), stride=2, padding="same"),
    "signal, full, dilation": lambda: vz.Convolution(ints(7), ints(3), padding="full", dilation=2),
    "signal, ends, reflect": lambda: vz.Convolution(floats(6), floats(3), padding=(0, 3), pad_mode="reflect"),
    "signal, flipped, stride and dilation": lambda: vz.Convolution(
        ints(11), ints(3), stride=2, dilation=2, padding="same", flip_kernel=True
    ),
}

TRANSPOSED = {
    "grey": lambda: vz.TransposedConvolution(ints((3, 3)), ints((3, 3))),
    "stride 2, padding 1, output_padding 1": lambda: vz.TransposedConvolution(
        ints((3, 4)), ints((3, 3)), stride=2, padding=1, output_padding=1
    ),
    "per axis, dilation": lambda: vz.TransposedConvolution(
        floats((3, 4)), floats((2, 3)), stride=(2, 3), padding=(0, 1), output_padding=(1, 2), dilation=2
    ),
    "output_padding beyond the padding": lambda: vz.TransposedConvolution(
        floats((2, 3)), floats((2, 2)), stride=3, output_padding=2
    ),
    "colour, one kernel": lambda: vz.TransposedConvolution(floats((3, 3, 3)), floats((3, 2)), stride=2, padding=1),
    "colour stack, float32": lambda: vz.TransposedConvolution(
        floats((3, 4, 3), np.float32), floats((2, 3, 3)), stride=3, padding=2, output_padding=1
    ),
    "uint8, clip auto": lambda: vz.TransposedConvolution(
        ints((3, 3), 0, 256, np.uint8), ints((2, 2), 0, 3), 2, clip="auto"
    ),
    "clip range": lambda: vz.TransposedConvolution(floats((3, 3)), floats((2, 2)) - 0.5, clip=(0, 0.5)),
    "signal": lambda: vz.TransposedConvolution(floats(5), floats(3), stride=2, padding=1, output_padding=1),
    "signal, dilation": lambda: vz.TransposedConvolution(ints(4), ints(2), stride=2, dilation=3, output_padding=2),
}

POOLINGS = {
    "max uint8": lambda: vz.Pooling(ints((5, 7), 0, 256, np.uint8), 2),
    "max ceil_mode, padding, colour": lambda: vz.Pooling(
        ints((5, 7, 3), 0, 256, np.uint8), 3, stride=2, padding=1, ceil_mode=True
    ),
    "max negative ints, padding": lambda: vz.Pooling(ints((5, 5), -9, -1), 3, stride=2, padding=1),
    "max dilation": lambda: vz.Pooling(floats((7, 8)), 2, stride=1, dilation=2, padding=1),
    "max per axis": lambda: vz.Pooling(floats((6, 7)), (2, 3), stride=(1, 2), padding=(1, 0), ceil_mode=True),
    "max uint16 (PyTorch pools no uint16)": lambda: vz.Pooling(ints((5, 6), 0, 60000, np.uint16), 2, padding=1),
    "max int8": lambda: vz.Pooling(ints((5, 6), -100, 100, np.int8), 3, stride=2, padding=1),
    "max float16 (ndimage takes no float16)": lambda: vz.Pooling(floats((5, 6), np.float16), 2),
    "avg": lambda: vz.Pooling(ints((6, 6)), 2, mode="avg"),
    "avg count_include_pad": lambda: vz.Pooling(floats((5, 7)), 3, stride=2, padding=1, mode="avg"),
    "avg not counting the padding, ceil_mode": lambda: vz.Pooling(
        floats((5, 7, 3)), 3, stride=2, padding=1, ceil_mode=True, mode="avg", count_include_pad=False
    ),
    "avg float32, ceil_mode overhang": lambda: vz.Pooling(
        floats((6, 7), np.float32), (2, 3), stride=2, padding=1, ceil_mode=True, mode="avg"
    ),
    "signal max": lambda: vz.Pooling(ints(9), 3, stride=2, padding=1, ceil_mode=True),
    "signal avg": lambda: vz.Pooling(floats(9), 3, stride=2, padding=1, ceil_mode=True, mode="avg"),
}

LAYERS = {
    "dense": lambda: vz.ConvLayer(floats((5, 5, 3)), floats((3, 3, 3, 2))),
    "groups, bias, relu, same stride 2": lambda: vz.ConvLayer(
        ints((5, 6, 4)), ints((3, 3, 2, 6)), bias=ints(6), groups=2, activation="relu", padding="same", stride=2
    ),
    "depthwise, reflect per side, dilation, sigmoid": lambda: vz.ConvLayer(
        floats((5, 6, 3)),
        floats((3, 2, 1, 3)),
        groups=3,
        padding=((0, 2), (1, 0)),
        pad_mode="reflect",
        dilation=2,
        activation="sigmoid",
    ),
    "float32, stride and dilation 2, same, tanh": lambda: vz.ConvLayer(
        floats((7, 6, 2), np.float32),
        floats((3, 3, 2, 2)),
        bias=floats(2),
        stride=2,
        dilation=2,
        padding="same",
        activation="tanh",
    ),
    "pointwise, ints, sigmoid": lambda: vz.ConvLayer(ints((5, 6, 2)), ints((1, 1, 2, 3)), activation="sigmoid"),
    "replicate, pad per axis": lambda: vz.ConvLayer(
        ints((4, 5, 2), 0, 256, np.uint8), ints((2, 3, 2, 2)), padding=(1, 2), pad_mode="replicate"
    ),
    "pad value": lambda: vz.ConvLayer(ints((4, 4, 1)), ints((3, 3, 1, 1)), padding=1, pad_value=3),
    "same with a pad value, stride 2": lambda: vz.ConvLayer(
        floats((5, 6, 2)), floats((3, 3, 2, 1)), stride=2, padding="SAME", pad_value=0.5
    ),
}

TABLE = [(f"{kind}: {name}", make) for kind, cases in
         (("conv", CONVOLUTIONS), ("transposed", TRANSPOSED), ("pool", POOLINGS), ("layer", LAYERS))
         for name, make in cases.items()]  # fmt: skip


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize(("name", "make"), TABLE, ids=[name for name, _ in TABLE])
def test_the_snippet_computes_the_result(name: str, make, library: str) -> None:
    op = make()
    if library == "keras" and isinstance(op, vz.Pooling) and op.dilation not in (1, (1, 1)):
        with pytest.raises(ValueError, match="Keras's pooling has no dilation"):
            op.code(library)
        return
    run(op, library)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    signal=st.booleans(),
    channels=st.sampled_from([None, 1, 3]),
    stack=st.booleans(),
    integer=st.booleans(),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 2),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    pad_value=st.sampled_from([0, 0, -1.5, 2]),
    flip=st.booleans(),
)
def test_a_sweep_of_convolutions(data, signal, channels, stack, integer, stride, dilation, pad_mode, pad_value, flip):
    h, w = data.draw(st.integers(1, 7)), data.draw(st.integers(1, 7))
    m, n = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    pad = st.integers(0, 3)
    if signal:
        shape, kshape = (w,), (n,)
        padding = data.draw(st.one_of(st.sampled_from(["valid", "same", "full"]), pad, st.tuples(pad, pad)))
    else:
        shape = (h, w) if channels is None else (h, w, channels)
        kshape = (m, n, channels) if stack and channels else (m, n)
        padding = data.draw(
            st.one_of(
                st.sampled_from(["valid", "same", "full"]),
                pad,
                st.tuples(pad, pad),
                st.tuples(st.tuples(pad, pad), st.tuples(pad, pad)),
            )
        )
    image = ints(shape, 0, 256, np.uint8) if integer else floats(shape)
    try:
        op = vz.Convolution(
            image, ints(kshape), stride, padding, pad_mode, dilation, pad_value=pad_value, flip_kernel=flip
        )
    except ValueError:
        assume(False)  # the kernel does not fit this padded input
    for library in present():
        run(op, library)


def test_an_unknown_library_is_named_with_the_choices() -> None:
    conv = vz.Convolution(np.eye(3), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"'torch', 'numpy', 'scipy', 'keras'.*did you mean 'torch'"):
        conv.code("pytorch")
    with pytest.raises(ValueError, match="did you mean 'keras'"):
        vz.Pooling(np.eye(4)).code("kera")
    with pytest.raises(ValueError, match="library must be one of"):
        vz.ConvLayer(np.ones((3, 3, 1)), np.ones((1, 1, 1, 1))).code("matlab")
    with pytest.raises(TypeError, match="library must be one of"):
        vz.TransposedConvolution(np.eye(2), np.ones((2, 2))).code(None)
    assert "import torch" in conv.code("TORCH")


@pytest.mark.parametrize(
    "make",
    [
        lambda image: vz.Convolution(image, np.ones((3, 3))),
        lambda image: vz.TransposedConvolution(image, np.ones((3, 3))),
        lambda image: vz.Pooling(image, 2),
        lambda image: vz.ConvLayer(image, np.ones((3, 3, 4, 1))),
    ],
)
def test_a_large_input_is_refused_with_a_way_out(make) -> None:
    assert make(np.zeros((64, 64, 4))).code("numpy").startswith("import numpy as np")
    with pytest.raises(ValueError, match=r"65×64×4|16640 values.*np\.save\('image\.npy'"):
        make(np.zeros((65, 64, 4))).code("torch")


def test_the_generators_import_no_library_they_write_for() -> None:
    package = Path(vz.__file__).parent
    for module in ("code", "code_family", "code_layer"):
        tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
        names = {a.name for node in tree.body if isinstance(node, ast.Import) for a in node.names}
        names |= {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 0}
        assert names <= {"__future__", "difflib", "typing", "numpy"}, (module, names)


def test_torch_pads_unevenly_before_a_valid_convolution() -> None:
    # TensorFlow's "same" at stride 2 on an even size pads 0 on top and 1 at the bottom: PyTorch's
    # symmetric padding= cannot say that, so the snippet must pad first
    snippet = vz.Convolution(np.zeros((6, 6)), np.ones((3, 3)), stride=2, padding="same").code("torch")
    assert 'F.pad(x, (0, 1, 0, 1), mode="constant")' in snippet
    assert "padding=" not in snippet.split("F.conv2d", 1)[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    shape=st.sampled_from([(5,), (4, 6), (5, 5, 2)]),
    mode=st.sampled_from(["max", "avg"]),
    ceil_mode=st.booleans(),
    count_include_pad=st.booleans(),
)
def test_a_sweep_of_poolings(data, shape, mode, ceil_mode, count_include_pad) -> None:
    signal = len(shape) == 1
    axis = st.integers(1, 4)
    size = data.draw(axis if signal else st.tuples(axis, axis))
    stride = data.draw(st.one_of(st.none(), axis if signal else st.tuples(axis, axis)))
    padding = data.draw(st.integers(0, 2) if signal else st.tuples(st.integers(0, 2), st.integers(0, 2)))
    dilation = 1 if mode == "avg" else data.draw(st.integers(1, 2))
    image = floats(shape) if data.draw(st.booleans()) else ints(shape, 0, 256, np.uint8)
    try:
        op = vz.Pooling(image, size, stride, padding, mode, dilation, ceil_mode, count_include_pad)
    except ValueError:
        assume(False)  # padding over half the window, or a window larger than the padded input
    for library in present():
        if library == "keras" and dilation > 1:
            with pytest.raises(ValueError, match="no dilation"):  # Keras's pooling has none
                op.code(library)
        else:
            run(op, library)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    shape=st.sampled_from([(4,), (3, 4), (3, 3, 2)]),
    stack=st.booleans(),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
    output_padding=st.integers(0, 2),
    dilation=st.integers(1, 2),
)
def test_a_sweep_of_transposed_convolutions(data, shape, stack, stride, padding, output_padding, dilation) -> None:
    m, n = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    kshape = (n,) if len(shape) == 1 else (m, n, shape[2]) if stack and len(shape) == 3 else (m, n)
    try:
        op = vz.TransposedConvolution(ints(shape), ints(kshape), stride, padding, output_padding, dilation)
    except ValueError:
        assume(False)  # output_padding too large, or padding that leaves no output
    for library in present():
        run(op, library)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    groups=st.sampled_from([1, 2]),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 2),
    padding=st.sampled_from(["valid", "same", "full", 1, (0, 2), ((1, 0), (0, 2))]),
    pad_mode=st.sampled_from(["zeros", "replicate", "reflect", "circular"]),
    activation=st.sampled_from([None, "relu", "sigmoid", "tanh"]),
    bias=st.booleans(),
    integer=st.booleans(),
)
def test_a_sweep_of_layers(data, groups, stride, dilation, padding, pad_mode, activation, bias, integer) -> None:
    m, n, filters = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), 2 * data.draw(st.integers(1, 2))
    image = ints((5, 4, 4), 0, 256, np.uint8) if integer else floats((5, 4, 4))
    weights, offsets = ints((m, n, 4 // groups, filters)), ints(filters) if bias else None
    try:
        op = vz.ConvLayer(image, weights, offsets, stride, padding, pad_mode, dilation, groups, activation)
    except ValueError:
        assume(False)  # the kernel does not fit this padded input
    for library in present():
        run(op, library)
