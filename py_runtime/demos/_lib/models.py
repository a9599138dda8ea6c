"""The models the demos use, loaded once per process.

On CPython (the build's pre-renderer, tests) they come from the repository's weights/;
in the browser the worker has already written the fetched, verified files into
/weights and pointed $PY_RUNTIME_WEIGHTS there. Either way: `models.get(name)`.
"""
from __future__ import annotations

import json
import os

from ... import load
from ...model import default_weights_dir

_models: dict = {}


def get(name: str):
    """The Autoencoder called `name` in weights/manifest.json."""
    if name not in _models:
        _models[name] = load(name)
    return _models[name]


def manifest() -> dict:
    with open(os.path.join(default_weights_dir(), "manifest.json"), "rb") as file:
        return json.loads(file.read())
