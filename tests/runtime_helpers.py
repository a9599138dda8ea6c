"""Shared helpers for the py_runtime and training tests."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "weights"
MODELS = ("mnist-ae-2d", "mnist-ae-16d", "mnist-dae")


def mnist_dir():
    """The full MNIST IDX directory ($MNIST_DIR, else ../shared/data/mnist), for the few tests that
    need all 70,000 digits (training, the split): they fail, never skip, without it, and never download.
    Every other test reads the committed sample (`sample_digits`)."""
    candidates = (os.environ.get("MNIST_DIR"), REPO.parent / "shared" / "data" / "mnist")
    for candidate in candidates:
        if candidate and (Path(candidate) / "t10k-images-idx3-ubyte.gz").is_file():
            return Path(candidate)
    pytest.fail("this test needs the full MNIST IDX files (train- and t10k-*-idx?-ubyte.gz), looked in "
                + ", ".join(str(c) for c in candidates if c) + ": set MNIST_DIR to their folder "
                "(`make test` finds them in ../shared/data/mnist; `python -m training NAME --download` fetches them)")


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


def sample_digits(count=None):
    """The committed sample, weights/mnist-digits.safetensors (checked against the manifest's size and
    sha256): 20 MNIST test digits of each class, in the order 0-9 repeated, as (float32 array
    (count, 784) in [0, 1], uint8 labels). All of them without `count`. No download, no skip."""
    import numpy as np

    from py_runtime.model import read_weights

    if "sample" not in _cache:
        tensors = read_weights(committed_manifest()["data"]["mnist-digits"], weights_dir=WEIGHTS)
        images = np.frombuffer(bytes(tensors["images"].data), dtype=np.uint8).reshape(-1, 784)
        _cache["sample"] = (images.astype(np.float32) / 255, np.frombuffer(bytes(tensors["labels"].data), np.uint8))
    images, labels = _cache["sample"]
    if count is not None and count > len(labels):
        pytest.fail(f"the committed sample has {len(labels)} digits, not {count}")
    return images[:count], labels[:count]


def committed_manifest():
    import json

    path = WEIGHTS / "manifest.json"
    if not path.is_file():
        pytest.fail("weights/manifest.json is missing: run `python -m training all`")
    return json.loads(path.read_text())
