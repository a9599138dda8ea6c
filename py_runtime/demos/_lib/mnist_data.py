"""Real MNIST digits and the PCA basis, for the demos (weights/mnist-digits, weights/mnist-pca).

Read with the same safetensors reader as the models, from $PY_RUNTIME_WEIGHTS in the
browser or the repository's weights/ on CPython. Pixels are floats in [0, 1], ink = 1,
784 of them row by row.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ... import float16
from ...manifest import load_manifest
from ...model import default_weights_dir, read_weights


def _read(name: str):
    """The tensors of data file `name` (checked against the manifest) and its manifest entry."""
    directory = default_weights_dir()
    entry = load_manifest(os.path.join(directory, "manifest.json")).get("data", {})[name]
    return read_weights(entry, weights_dir=directory), entry


@lru_cache(maxsize=None)
def digits() -> tuple[tuple[int, tuple[float, ...]], ...]:
    """((label, 784 pixels), ...): 20 test digits per class, ordered 0..9 repeated."""
    tensors, _ = _read("mnist-digits")
    raw, labels = bytes(tensors["images"].data), bytes(tensors["labels"].data)
    return tuple((labels[i], tuple(b / 255 for b in raw[i * 784:(i + 1) * 784])) for i in range(len(labels)))


def digit(label: int, which: int = 0) -> tuple[float, ...]:
    """The `which`-th sample digit of class `label`."""
    return digits()[which * 10 + label][1]


@lru_cache(maxsize=None)
def pca_basis() -> dict:
    """{"mean": 784 floats, "components": [k rows of 784], "explained": k variance shares}."""
    tensors, entry = _read("mnist-pca")
    mean = float16.decode(bytes(tensors["mean"].data))
    flat = float16.decode(bytes(tensors["components"].data))
    k = tensors["components"].shape[0]
    return {"mean": mean, "components": [flat[i * 784:(i + 1) * 784] for i in range(k)],
            "explained": list(entry["explained_variance_ratio"])}
