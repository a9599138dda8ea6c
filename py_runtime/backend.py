"""Choose how the arithmetic is done: NumPy when it is there, plain Python when it is not.

Both backends compute the same functions; the NumPy one is faster on CPython, the
pure-Python one runs anywhere (including Pyodide without its NumPy wheel). A model
is built for the backend that is current when it is loaded.

    use_backend("python")          # force pure Python (tests, Pyodide)
    PY_RUNTIME_BACKEND=numpy ...   # or pick it from the environment
"""

import math
import operator
import os

BACKENDS = ("numpy", "python")

_current = None  # resolved lazily, so importing py_runtime never imports NumPy


def numpy_available():
    """True when `import numpy` works here (False in a bare Pyodide)."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def available_backends():
    return [name for name in BACKENDS if name != "numpy" or numpy_available()]


def use_backend(name):
    """Select "numpy", "python", or "auto" (NumPy if importable). Returns the name chosen."""
    global _current
    name = (name or "auto").strip().lower()
    if name == "auto":
        name = "numpy" if numpy_available() else "python"
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)} or 'auto'")
    if name == "numpy" and not numpy_available():
        raise ImportError("the numpy backend was requested but NumPy is not installed")
    _current = name
    return name


def current_backend():
    """The backend in force: the one chosen by use_backend, else $PY_RUNTIME_BACKEND, else auto."""
    if _current is None:
        use_backend(os.environ.get("PY_RUNTIME_BACKEND", "auto"))
    return _current


def _sumprod_fallback(a, b):
    return sum(map(operator.mul, a, b))


# math.sumprod (Python 3.12+) is a single C loop with extended precision: about
# twice as fast as sum(map(mul, ...)), which is what CPython 3.11 has to use.
sumprod = getattr(math, "sumprod", _sumprod_fallback)
