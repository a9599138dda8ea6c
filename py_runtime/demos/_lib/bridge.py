"""The one door from the browser's worker into Python: call a demo function by name.

Arguments and results travel as JSON text, so the JavaScript side stays a dumb pipe and
every demo function is an ordinary Python function, testable on CPython.
"""
from __future__ import annotations

import importlib
import json

ALLOWED_PREFIX = "py_runtime."


def call(module: str, function: str, arguments_json: str) -> str:
    if not module.startswith(ALLOWED_PREFIX):
        raise ValueError(f"only py_runtime functions can be called, not {module}")
    func = getattr(importlib.import_module(module), function)
    return json.dumps(func(**json.loads(arguments_json)))
