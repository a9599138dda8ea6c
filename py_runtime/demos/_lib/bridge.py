"""The one door from the browser's worker into Python: call a demo function by name.

Arguments and results travel as JSON text, so the JavaScript side stays a dumb pipe and
every demo function is an ordinary Python function, testable on CPython.

The door checks the call, not the values. What it refuses, with a ValueError whose message is
one line naming the demo module, the function and the argument (the worker passes a Python
exception to the demo, which shows the message's last line): a module outside py_runtime, a
name that is not a public function defined in that module, arguments that are not a JSON
object (or not JSON at all), a key given twice, a required argument left out, and an answer
JSON cannot carry (NaN or ±inf, which the page's JSON.parse would choke on). The values are
the function's business: each demo cleans what it reads through py_runtime.params and answers
any value at all with a normal picture.

Unknown keyword arguments: a function that takes ``**params`` gets every key and reads only
those it knows. That is how the UIs call: they send back the cleaned `params` Python answered,
merged with their own state and a link's values (kit.js's fromLink), so a key one function
does not read is ordinary there and is ignored. A function with a closed signature (such as
python_scratchpad.run_cell) refuses a key it does not name: only a mistake in the UI can send
one, and silently dropping it would leave a control that does nothing.
"""
from __future__ import annotations

import importlib
import inspect
import json
import re

ALLOWED_PREFIX = "py_runtime."
MODULE_NAME = re.compile(r"py_runtime(\.[A-Za-z_][A-Za-z0-9_]*)+")
FUNCTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")       # public: no leading underscore


def call(module: str, function: str, arguments_json: str) -> str:
    """`function(**arguments)` from `module`, its answer as JSON text."""
    func = _function(module, function)
    where = f"{module}.{function}"
    arguments = _arguments(where, arguments_json)
    _check_names(where, func, arguments)
    result = func(**arguments)
    try:
        return json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where} answered something JSON cannot carry ({_line(error)})") from None


def _shown(value) -> str:
    """A name from the page as a message shows it: quoted, one line, not too long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "…" + text[-1]


def _line(error: Exception) -> str:
    return " ".join(str(error).split())


def _function(module, function):
    if not isinstance(module, str) or not module.startswith(ALLOWED_PREFIX) or not MODULE_NAME.fullmatch(module):
        raise ValueError(f"only py_runtime functions can be called, not {_shown(module)}")
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and (module == error.name or module.startswith(error.name + ".")):
            raise ValueError(f"there is no module {module}") from None
        raise
    func = None
    if isinstance(function, str) and FUNCTION_NAME.fullmatch(function):
        func = getattr(found, function, None)
    # Only what the module itself defines: not a class, a constant, or a name it imported.
    if not callable(func) or isinstance(func, type) or getattr(func, "__module__", None) != module:
        raise ValueError(f"{module} has no function {_shown(function)}")
    return func


def _unique(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Duplicate(next(key for key in keys if keys.count(key) > 1))
    return dict(pairs)


class _Duplicate(Exception):
    pass


def _arguments(where: str, text) -> dict:
    if not isinstance(text, (str, bytes, bytearray)):
        raise ValueError(f"{where}: the arguments must be JSON text, not {type(text).__name__}")
    try:
        arguments = json.loads(text, object_pairs_hook=_unique)
    except _Duplicate as duplicate:
        raise ValueError(f"{where}: the argument {_shown(duplicate.args[0])} is given twice") from None
    except RecursionError:
        raise ValueError(f"{where}: the arguments are nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"{where}: the arguments are not JSON ({_line(error)})") from None
    if not isinstance(arguments, dict):
        kind = "null" if arguments is None else type(arguments).__name__
        raise ValueError(f"{where}: the arguments must be a JSON object of named values, not {kind}")
    return arguments


def _check_names(where: str, func, arguments: dict) -> None:
    parameters = inspect.signature(func).parameters.values()
    named = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not any(p.kind is p.VAR_KEYWORD for p in parameters):
        for key in arguments:
            if key not in named:
                takes = ", ".join(named) if named else "none"
                raise ValueError(f"{where} takes no argument {_shown(key)} (it takes: {takes})")
    for p in parameters:
        if p.name in named and p.default is p.empty and p.name not in arguments:
            raise ValueError(f"{where} needs the argument {_shown(p.name)}")
