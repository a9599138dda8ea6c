"""The models the demos use, loaded once per process.

On CPython (the build's pre-renderer, tests) they come from the repository's weights/;
in the browser the worker has already written the fetched, verified files into
/weights and pointed $PY_RUNTIME_WEIGHTS there. Either way: `models.get(name)`, the
face-swap model included (decoder_swap.model()).

State in py_runtime.demos comes in three kinds, each kept one way, so that a demo holds no
one-element lists or ad-hoc globals:
- what is loaded once and never changes (the models): `_models` below, one dict keyed by the
  manifest's name, which bounds it. A dict and not an lru_cache so that a test can put a
  model of its own in it (tests/conftest.py's pure_python.serve swaps in pure-Python ones).
- what is computed from cleaned settings (pictures, fits, the latest swap): a function of
  those settings under functools.lru_cache, always with a maxsize.
- what the reader builds up between calls (neural_net's networks): one module-level dict
  keyed by session id, bounded (neural_net.MAX_SESSIONS, least recently used dropped). The
  scratchpad's variables are its one namespace dict: the page has one scratchpad.
"""
from __future__ import annotations

import json
import os

from ... import load, swap
from ...model import default_weights_dir

_models: dict = {}


def get(name: str):
    """The model called `name` in weights/manifest.json, loaded the first time: the face-swap
    model (py_runtime.swap) or an Autoencoder."""
    if name not in _models:
        _models[name] = swap.load() if name == swap.NAME else load(name)
    return _models[name]


def manifest() -> dict:
    with open(os.path.join(default_weights_dir(), "manifest.json"), "rb") as file:
        return json.loads(file.read())
