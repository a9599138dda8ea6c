"""Shared helpers for the py_runtime and training tests (not a conftest: the lead owns that)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "weights"
MODELS = ("mnist-ae-2d", "mnist-ae-16d", "mnist-dae")


def mnist_dir():
    """The MNIST IDX directory, or skip: tests read the local copy and never download."""
    for candidate in (os.environ.get("MNIST_DIR"), REPO.parent / "shared" / "data" / "mnist"):
        if candidate and (Path(candidate) / "t10k-images-idx3-ubyte.gz").is_file():
            return Path(candidate)
    pytest.skip("MNIST IDX files not found (set MNIST_DIR)")


_cache = {}


def mnist():
    if "data" not in _cache:
        from training.mnist import load_mnist

        _cache["data"] = load_mnist(mnist_dir())
    return _cache["data"]


def test_digits(count=1000):
    """The first `count` MNIST test digits as (float32 array (count, 784), labels)."""
    from training.mnist import to_float

    data = mnist()
    return to_float(data["test_images"][:count]), data["test_labels"][:count]


test_digits.__test__ = False  # not a test, despite the name


def committed_manifest():
    import json

    path = WEIGHTS / "manifest.json"
    if not path.is_file():
        pytest.fail("weights/manifest.json is missing: run `python -m training all`")
    return json.loads(path.read_text())
