"""The demos' contract, through the bridge as the browser's worker calls it.

Every (module, function) a demo's UI calls is found in site_builder/demos/*.js, so a new call
is covered without being listed here. Each argument it reads (its signature's names and, for a
``**params`` function, the keys its default answer echoes back in "params", or those READS
names) gets each HOSTILE value in turn, and the answer must be a normal one: no exception,
strict JSON (no NaN, no ±inf), the same top-level keys as the answer to the default call.

The arguments travel as json.dumps writes them: NaN, Infinity and a 400-digit integer literal,
which the bridge's json.loads reads back as they were. That is harsher than the browser, whose
JSON.stringify turns NaN and ±inf into null (also sent: None) and has no integers past 2**53.

Then the bridge itself: a call it cannot make (unknown function, private name, arguments that
are not a JSON object, a key given twice, an unknown key for a closed signature) is a one-line
error naming the module, the function and the argument, never a traceback from inside a demo.
"""
from __future__ import annotations

import importlib
import inspect
import json
import re

import pytest

from conftest import ROOT
from py_runtime.demos._lib import bridge

DEMOS_JS = ROOT / "site_builder" / "demos"
HOSTILE = {"10**400": 10 ** 400, "-10**400": -10 ** 400, "1e400": float("inf"), "-1e400": float("-inf"),
           "nan": float("nan"), "None": None, '""': "", "[]": [], "{}": {}, '"a string"': "a string", "True": True}

# Keys a **params function reads that its default answer does not echo in "params".
READS = {
    ("py_runtime.demos.bss_unmix", "clip"): lambda m: m.DEFAULTS,          # the mix it plays: view's settings
    ("py_runtime.demos.neural_net", "reset"): lambda m: m.KEYS,
    ("py_runtime.demos.neural_net", "train"): lambda m: m.KEYS,
    ("py_runtime.demos.autoencoder_draw", "initial"): lambda m: ["pixels", "size", "include_map"],  # view's own
    ("py_runtime.demos.latent_explorer", "initial"): lambda m: ["include_map"],                    # view's own
}
# Calls that need another first, with the same arguments, as the UI makes them: a network to
# train (reset), the swap that finish completes.
BEFORE = {("py_runtime.demos.neural_net", "train"): "reset", ("py_runtime.demos.decoder_swap", "finish"): "swap"}
# Calls that take about 0.2 s each (decoder-swap renders faces in pure Python): their keys get
# the hostile values together (see `sends`), not one call per key and value.
SLOW = {("py_runtime.demos.decoder_swap", "swap"), ("py_runtime.demos.decoder_swap", "finish")}
# Top-level keys an answer may add on request: the latent map's layer, for include_map=True (the
# latent-explorer UI asks for it when the axes change).
OPTIONAL = {"map"}


def ui_calls() -> list[tuple[str, str]]:
    """(module, function) for every python.call in the demos' UI modules."""
    calls = set()
    for path in sorted(DEMOS_JS.glob("*.js")):
        script = path.read_text(encoding="utf-8")
        constant = re.search(r'const MODULE = "([\w.]+)"', script)
        found = re.findall(r'python\.call\(\s*(MODULE|"[\w.]+")\s*,\s*"(\w+)"', script)
        assert len(found) == script.count("python.call("), f"{path.name}: a python.call this test cannot read"
        for target, name in found:
            assert target != "MODULE" or constant, f"{path.name} calls MODULE but names none"
            calls.add((constant.group(1) if target == "MODULE" else target.strip('"'), name))
    return sorted(calls)


CALLS = ui_calls()


def call(module: str, function: str, arguments: dict) -> dict:
    """Through the bridge, and back from strict JSON (a NaN or ±inf in the text fails here too)."""
    text = bridge.call(module, function, json.dumps(arguments))
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{module}.{function} answered {name}"))


def answer(module: str, function: str, arguments: dict) -> dict:
    before = BEFORE.get((module, function))
    if before:
        call(module, before, arguments)
    return call(module, function, arguments)


def keys_read(module: str, function: str, default: dict) -> list[str]:
    func = getattr(importlib.import_module(module), function)
    parameters = inspect.signature(func).parameters.values()
    keys = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        echoed = default.get("params") if isinstance(default, dict) else None
        keys += list(echoed) if isinstance(echoed, dict) else []
        keys += list(READS.get((module, function), lambda m: [])(importlib.import_module(module)))
    return list(dict.fromkeys(keys))


def test_the_ui_calls_are_found():
    assert len(CALLS) >= 15
    for expected in [("py_runtime.demos.decoder_swap", "swap"), ("py_runtime.demos.decoder_swap", "finish"),
                     ("py_runtime.demos.neural_net", "train"), ("py_runtime.demos.python_scratchpad", "run_cell"),
                     ("py_runtime.demos.pca_playground", "preset"), ("py_runtime.demos.bss_unmix", "clip")]:
        assert expected in CALLS
    assert set(READS) | set(BEFORE) | SLOW <= set(CALLS)     # no stale entries


def test_every_link_key_is_among_the_keys_sent():
    """tests/test_demo_links.py lists the keys a link reaches each function with: all are sent here."""
    from test_demo_links import ENTRIES
    for entries in ENTRIES.values():
        for short, function, link_keys in entries:
            module = f"py_runtime.demos.{short}"
            assert (module, function) in CALLS
            missing = set(link_keys) - set(keys_read(module, function, answer(module, function, {})))
            assert not missing, (module, function, missing)


def attempt(module: str, function: str, arguments: dict, expected: set) -> str | None:
    """None for a normal answer to these arguments, else what went wrong."""
    try:
        got = answer(module, function, arguments)
    except BaseException as error:                    # noqa: B036 - a test reports every kind
        return f"{type(error).__name__}: {' '.join(str(error).split())[:120]}"
    if not isinstance(got, dict) or set(got) - OPTIONAL != expected:
        return f"top-level keys {sorted(got) if isinstance(got, dict) else got!r}"
    return None


def sends(keys: list[str], slow: bool) -> list[dict[str, int]]:
    """Which hostile value (an index into HOSTILE) each call gives which key: every key alone with
    every value; for a SLOW function the same pairs in len(HOSTILE) calls, key j getting value
    (i + j) mod n in call i, since its keys are each cleaned on their own."""
    n = len(HOSTILE)
    if slow:
        return [{key: (i + j) % n for j, key in enumerate(keys)} for i in range(n)]
    return [{key: i} for key in keys for i in range(n)]


@pytest.mark.parametrize("module,function", CALLS, ids=[f"{m.rsplit('.', 1)[1]}.{f}" for m, f in CALLS])
def test_every_hostile_value_gets_a_normal_answer(module, function):
    default = answer(module, function, {})
    assert isinstance(default, dict)
    expected = set(default) - OPTIONAL
    keys = keys_read(module, function, default)       # none: the default call was the whole contract
    names, values = list(HOSTILE), list(HOSTILE.values())
    failures = []
    for chosen in sends(keys, (module, function) in SLOW):
        problem = attempt(module, function, {key: values[i] for key, i in chosen.items()}, expected)
        if problem is None:
            continue
        if len(chosen) > 1:                               # name the culprit: each key alone
            alone = {key: attempt(module, function, {key: values[i]}, expected) for key, i in chosen.items()}
            named = [f"{key}={names[chosen[key]]}: {why}" for key, why in alone.items() if why]
            together = ", ".join(f"{key}={names[i]}" for key, i in chosen.items())
            failures += named or [f"together ({together}): {problem}"]
        else:
            failures += [f"{key}={names[i]}: {problem}" for key, i in chosen.items()]
    assert not failures, f"{module}.{function}:\n  " + "\n  ".join(failures)


def test_all_hostile_at_once():
    """Every key hostile in one call (each value in turn), as a hostile link sends them."""
    for module, function in CALLS:
        default = answer(module, function, {})
        keys = keys_read(module, function, default)
        for value in HOSTILE.values():
            got = answer(module, function, dict.fromkeys(keys, value))
            assert set(got) - OPTIONAL == set(default) - OPTIONAL, (module, function, value)


# ---------------------------------------------------------------- the bridge's own refusals

DEMO = "py_runtime.demos.bss_unmix"
CELL = "py_runtime.demos.python_scratchpad"


def refused(module, function, arguments) -> str:
    with pytest.raises(ValueError) as caught:
        bridge.call(module, function, arguments)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300, message
    assert caught.value.__suppress_context__ or caught.value.__context__ is None      # no chained traceback
    return message


@pytest.mark.parametrize("function", ["nope", "_clean", "DEFAULTS", "Figure", "escape", "", "view()", "__init__",
                                      "a" * 5000])
def test_an_unknown_function_is_refused_by_name(function):
    message = refused(DEMO, function, "{}")
    assert DEMO in message and "no function" in message and repr(function)[:40] in message


@pytest.mark.parametrize("module", ["os", "py_runtime", "py_runtimes.x", "py_runtime..x", "py_runtime.demos.nope",
                                    "py_runtime.nope.deeper", None, 3])
def test_a_module_outside_py_runtime_or_missing_is_refused(module):
    message = refused(module, "view", "{}")
    assert "py_runtime" in message or "no module" in message


@pytest.mark.parametrize("text,why", [("[]", "not list"), ("null", "not null"), ("3", "not int"), ('"x"', "not str"),
                                      ("", "not JSON"), ("{'a': 1}", "not JSON"), ("{", "not JSON"),
                                      ("[" * 100_000 + "]" * 100_000, "nested too deeply")])
def test_arguments_that_are_not_a_json_object_are_refused(text, why):
    message = refused(DEMO, "view", text)
    assert f"{DEMO}.view" in message and why in message


def test_arguments_that_are_not_text_are_refused():
    assert "JSON text" in refused(DEMO, "view", None)


def test_a_key_given_twice_is_refused_by_name():
    message = refused(DEMO, "view", '{"a11": 1, "seed": 2, "a11": 3}')
    assert f"{DEMO}.view" in message and "'a11'" in message and "twice" in message


def test_unknown_keys_are_refused_by_a_closed_signature_and_ignored_by_params():
    message = refused(CELL, "run_cell", json.dumps({"code": "1", "cod": "2"}))
    assert f"{CELL}.run_cell" in message and "'cod'" in message and "code, namespace" in message
    assert call(DEMO, "view", {"no_such_key": 1, "seed": 3}) == call(DEMO, "view", {"seed": 3})


def test_a_missing_argument_is_refused_by_name():
    message = refused(CELL, "as_code", "{}")
    assert f"{CELL}.as_code" in message and "'value'" in message


def test_an_answer_json_cannot_carry_is_refused():
    message = refused("py_runtime.params", "number", '{"value": "x", "default": NaN, "low": 0, "high": 1}')
    assert "py_runtime.params.number" in message and "JSON" in message
    assert call("py_runtime.params", "number", {"value": "x", "default": 0.5, "low": 0, "high": 1}) == 0.5
