"""Dense layers, y = activation(W x + b), once in plain Python and once in NumPy.

The pure-Python layer keeps W as a list of rows (one Python list of floats per
output unit), so each output is one `sumprod(row, x)`: the fastest shape for
CPython and Pyodide alike, with all conversion done once, at load time. Its activations
(PYTHON_ACTIVATIONS) are the face-swap network's too (py_runtime.swap).
"""

import math
from functools import partial
from operator import add

from .backend import sumprod


# Activations on a whole layer's output at once (a list, or a tuple from a gather) -> a new
# list: one comprehension per layer, no call per value.
def relu(values):
    return [v if v > 0.0 else 0.0 for v in values]


def leaky_relu(values, slope):
    return [v if v > 0.0 else slope * v for v in values]


def sigmoid(z, tanh=math.tanh):
    """σ(z) = 1 / (1 + e⁻ᶻ), written as ½ + ½·tanh(z/2) so that no z can overflow exp(). One
    number; or a whole NumPy array with tanh=numpy.tanh (NumpyDense, py_runtime.swap). The
    only sigmoid in py_runtime: the demos' little network (demos/_lib/mlp.py) uses it too."""
    return 0.5 + 0.5 * tanh(0.5 * z)


def sigmoids(values):
    return list(map(sigmoid, values))


def tanh(values):
    return list(map(math.tanh, values))


def linear(values):
    return list(values)


PYTHON_ACTIVATIONS = {"relu": relu, "leaky_relu": leaky_relu, "sigmoid": sigmoids, "tanh": tanh, "linear": linear}


def python_activation(name, slope=None):
    """The list -> list function for activation `name`; a leaky ReLU with its negative `slope`."""
    if name not in PYTHON_ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(PYTHON_ACTIVATIONS)}")
    if name == "leaky_relu":
        if slope is None:
            raise ValueError("a leaky_relu needs its slope")
        return partial(leaky_relu, slope=slope)
    return PYTHON_ACTIVATIONS[name]


class PythonDense:
    """A fully connected layer on lists of floats."""

    def __init__(self, rows, bias, activation):
        self.rows = [list(row) for row in rows]
        self.bias = list(bias)
        self.activation = activation
        self.activate = python_activation(activation)
        self.n_in, self.n_out = len(self.rows[0]), len(self.rows)

    def __call__(self, x):
        return self.activate(list(map(add, [sumprod(row, x) for row in self.rows], self.bias)))


class NumpyDense:
    """The same layer on float32 arrays; x may be one vector or a batch of rows."""

    def __init__(self, weight, bias, activation):
        import numpy as np

        self.np = np
        self.weight_t = np.ascontiguousarray(np.asarray(weight, dtype=np.float32).T)  # (in, out)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.activation = activation
        self.n_in, self.n_out = self.weight_t.shape

    def __call__(self, x):
        np = self.np
        pre = x @ self.weight_t + self.bias
        if self.activation == "relu":
            return np.maximum(pre, 0.0)
        if self.activation == "sigmoid":
            return sigmoid(pre, np.tanh)
        if self.activation == "tanh":
            return np.tanh(pre)
        return pre


def build_dense(backend, shape, values, bias, activation):
    """One layer for `backend` from a flat row-major weight of `shape` = (out, in)."""
    n_out, n_in = shape
    if backend == "numpy":
        return NumpyDense(values.reshape(n_out, n_in), bias, activation)
    rows = [list(values[i * n_in:(i + 1) * n_in]) for i in range(n_out)]
    return PythonDense(rows, bias, activation)
