"""Dense layers, y = activation(W x + b), once in plain Python and once in NumPy.

The pure-Python layer keeps W as a list of rows (one Python list of floats per
output unit), so each output is one `sumprod(row, x)`: the fastest shape for
CPython and Pyodide alike, with all conversion done once, at load time.
"""

import math
from operator import add

from .backend import sumprod


def relu(v):
    return v if v > 0.0 else 0.0


def sigmoid(v):
    # 1 / (1 + e^-v), written with tanh so that no input can overflow exp().
    return 0.5 + 0.5 * math.tanh(0.5 * v)


def identity(v):
    return v


PYTHON_ACTIVATIONS = {"relu": relu, "sigmoid": sigmoid, "tanh": math.tanh, "linear": identity}


class PythonDense:
    """A fully connected layer on lists of floats."""

    def __init__(self, rows, bias, activation):
        self.rows = [list(row) for row in rows]
        self.bias = list(bias)
        self.activation = activation
        self._act = PYTHON_ACTIVATIONS[activation]
        self.n_in, self.n_out = len(self.rows[0]), len(self.rows)

    def __call__(self, x):
        pre = list(map(add, [sumprod(row, x) for row in self.rows], self.bias))
        if self.activation == "relu":
            return [v if v > 0.0 else 0.0 for v in pre]
        if self.activation == "linear":
            return pre
        return list(map(self._act, pre))


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
            return 0.5 + 0.5 * np.tanh(0.5 * pre)
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
