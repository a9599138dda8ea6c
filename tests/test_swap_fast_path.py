"""py_runtime.swap's pure-Python fast path against a plain convolution written out loop by loop
(math.fsum, every tap, the zero padding included) and against the NumPy path: every border
case, stride 2, the pixel shuffle, non-square maps; the 42-bit rounding that makes every
product exact; and the committed model, pure Python against NumPy, on rendered faces."""
import math
import random
from fractions import Fraction

import pytest

from py_runtime import faces, float16, pipeline, swap

SLOPE = 0.1


def _f16(rng, n, scale):
    """n random float16 values (as Python floats), the way the weights ship."""
    return list(float16.decode(float16.encode([rng.uniform(-scale, scale) for _ in range(n)])))


def _spec(h, w, c_in, c_out, stride, shuffle, activation):
    return {"type": "conv", "in": c_in, "out": c_out, "kernel": 3, "padding": 1, "stride": stride,
            "pixel_shuffle": shuffle, "input_hw": [h, w], "activation": activation}


def _reference(spec, weight, bias, x):
    """The convolution as PyTorch defines it, on HWC lists, each sum correctly rounded."""
    (h, w), c_in, c_out, s, r = spec["input_hw"], spec["in"], spec["out"], spec["stride"], spec["pixel_shuffle"]
    h_out, w_out = h // s, w // s
    out = [0.0] * (h_out * w_out * c_out)
    for oy in range(h_out):
        for ox in range(w_out):
            for o in range(c_out):
                terms = [bias[o]]
                for ci in range(c_in):
                    for ky in range(3):
                        for kx in range(3):
                            y, xx = oy * s + ky - 1, ox * s + kx - 1
                            value = x[(y * w + xx) * c_in + ci] if 0 <= y < h and 0 <= xx < w else 0.0
                            terms.append(weight[((o * c_in + ci) * 3 + ky) * 3 + kx] * value)
                v = math.fsum(terms)
                if spec["activation"] == "leaky_relu":
                    v = v if v > 0 else SLOPE * v
                elif spec["activation"] == "sigmoid":
                    v = 1.0 / (1.0 + math.exp(-v))
                out[(oy * w_out + ox) * c_out + o] = v
    if r == 1:
        return out
    c = c_out // (r * r)                  # PyTorch: out[ch, r·y + dy, r·x + dx] = in[ch·r² + dy·r + dx, y, x]
    return [out[((y // r) * w_out + x // r) * c_out + ch * r * r + (y % r) * r + x % r]
            for y in range(h_out * r) for x in range(w_out * r) for ch in range(c)]


SHAPES = [  # h, w, c_in, c_out, stride, shuffle, activation
    (6, 6, 3, 4, 2, 1, "leaky_relu"),
    (4, 6, 2, 8, 1, 2, "leaky_relu"),
    (6, 4, 3, 4, 2, 1, "linear"),
    (2, 2, 5, 4, 1, 2, "sigmoid"),
    (1, 3, 2, 3, 1, 1, "leaky_relu"),
    (8, 8, 6, 12, 1, 2, "sigmoid"),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_conv_layer_matches_the_plain_convolution_and_numpy(shape):
    h, w, c_in, c_out, stride, shuffle, activation = shape
    rng = random.Random(hash(shape) & 0xFFFF)
    spec = _spec(h, w, c_in, c_out, stride, shuffle, activation)
    weight, bias = _f16(rng, c_out * c_in * 9, 0.5), _f16(rng, c_out, 0.2)
    x = [rng.uniform(-1.0, 1.0) for _ in range(h * w * c_in)]
    expected = _reference(spec, weight, bias, x)
    got = swap.PythonLayer(spec, weight, bias, SLOPE)(x)
    assert isinstance(got, list) and len(got) == len(expected)
    assert max(abs(a - b) for a, b in zip(got, expected)) < 1e-12
    np = pytest.importorskip("numpy")
    numpy_layer = swap.NumpyLayer(spec, np.asarray(weight, dtype=np.float32), np.asarray(bias, dtype=np.float32),
                                  SLOPE)
    assert np.abs(numpy_layer(x) - np.asarray(expected)).max() < 1e-5


def test_dense_layer_matches_the_plain_sum():
    rng = random.Random(4)
    spec = {"type": "dense", "in": 20, "out": 7, "activation": "leaky_relu"}
    weight, bias = _f16(rng, 140, 0.5), _f16(rng, 7, 0.2)
    x = [rng.uniform(-3.0, 3.0) for _ in range(20)]
    got = swap.PythonLayer(spec, weight, bias, SLOPE)(x)
    for o, v in enumerate(got):
        s = math.fsum([bias[o]] + [weight[o * 20 + i] * x[i] for i in range(20)])
        assert v == pytest.approx(s if s > 0 else SLOPE * s, abs=1e-12)


def test_rounding_to_42_bits_makes_every_float16_product_exact():
    rng = random.Random(7)
    values = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-6, 3) for _ in range(2000)] + [0.0, -0.0, 1.0, -2.5]
    weights = _f16(rng, len(values), 4.0)
    rounded = swap._round_to_42_bits(values)
    for v, r, wt in zip(values, rounded, weights):
        assert abs(r - v) <= abs(v) * 2.0 ** -42
        assert Fraction(r) * Fraction(wt) == Fraction(r * wt)        # the double product is exact
        assert (Fraction(math.frexp(r)[0]) * 2 ** 42).denominator == 1   # 42 significant bits at most


def test_shared_layers_are_built_once(pure_python):
    model = pure_python.load(loader=swap.load)
    shared = [spec.get("shared", False) for spec in model.entry["decoders"]["A"]]
    for is_shared, a, b in zip(shared, model.decoders["A"], model.decoders["B"]):
        assert (a is b) == is_shared


def test_committed_model_pure_python_matches_numpy_on_faces():
    np = pytest.importorskip("numpy")
    python, numpy_model = swap.load(backend="python"), swap.load(backend="numpy")
    rng = random.Random(9)
    for params in (faces.DEFAULT_PARAMS, faces.random_params(rng), faces.random_params(rng)):
        for driver, target in (("A", "B"), ("B", "A")):
            crop = pipeline.aligned_crop(driver, params).pixels
            z_py, z_np = python.encode(crop), numpy_model.encode(crop)
            assert np.abs(np.asarray(z_py) - z_np).max() < 1e-3 * max(1.0, np.abs(z_np).max())
            assert np.abs(np.asarray(python.decode(z_py, target)) - numpy_model.decode(z_py, target)).max() < 1e-4
