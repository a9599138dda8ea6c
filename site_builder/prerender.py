"""What Python computes at build time, on CPython: the static first state of each demo (by the
same py_runtime code the browser runs), the figures chapters embed and the facts they quote.

A demo's `prerender` function and a figure's function return {"png": bytes, "alt": str},
{"svg": str, "alt": str} or {"html": str}; a facts function returns a dict of JSON values.
Runs happen in a child process (fresh imports, so `serve` sees edited Python; a crash cannot
take the builder down) and are cached on disk by a key over the py_runtime and figures
sources, the weights manifest and the function's name.

    python -m site_builder.prerender module:function ...   (prints JSON; used by the builder)
"""
from __future__ import annotations

import base64
import hashlib
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Callable

from .cache import write_whole
from .errors import BuildError


def sources_key(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.exists() and "__pycache__" not in file.parts:
                h.update(file.as_posix().encode())
                h.update(file.read_bytes())
    return h.hexdigest()


def is_picture(result) -> bool:
    return isinstance(result, dict) and bool({"png", "svg", "html"} & set(result))


def is_facts(result) -> bool:
    return isinstance(result, dict) and all(isinstance(k, str) for k in result)


def run_prerenders(specs: dict[str, str], root: Path, cache_dir: Path, key: str, what: str = "demo",
                   valid: Callable[[object], bool] = is_picture) -> dict[str, dict]:
    """`specs`: name -> "module:function". Returns name -> result dict. `what` names the
    kind in errors; `valid` says whether a function's result is what that kind returns."""
    results, missing = {}, {}
    for name, spec in specs.items():
        cached = cache_dir / f"{hashlib.sha256((key + spec).encode()).hexdigest()[:24]}.json"
        if cached.exists():
            results[name] = _decode(json.loads(cached.read_text()))
        else:
            missing[name] = (spec, cached)
    if missing:
        process = subprocess.run(
            [sys.executable, "-m", "site_builder.prerender", *[spec for spec, _ in missing.values()]],
            cwd=root, capture_output=True, text=True, timeout=600,
        )
        if process.returncode != 0:
            raise BuildError(f"build-time Python ({what}s) failed:\n{process.stderr.strip()[-3000:]}")
        outputs = json.loads(process.stdout)
        cache_dir.mkdir(parents=True, exist_ok=True)
        for (name, (spec, cached)), output in zip(missing.items(), outputs):
            if "error" in output:
                raise BuildError(f"{what} '{name}': {spec} failed:\n{output['error']}")
            if not valid(output.get("result")):
                kind = "a dict with 'png', 'svg' or 'html'" if valid is is_picture else "a dict"
                raise BuildError(f"{what} '{name}': {spec} must return {kind}")
            output = output["result"]
            write_whole(cached, json.dumps(output).encode())
            results[name] = _decode(output)
    return results


def _decode(output: dict) -> dict:
    if isinstance(output.get("png"), str):
        output = {**output, "png": base64.b64decode(output["png"])}
    return output


def _run(spec: str) -> dict:
    import traceback
    module_name, _, function = spec.partition(":")
    try:
        result = getattr(importlib.import_module(module_name), function)()
        if isinstance(result, dict) and isinstance(result.get("png"), bytes):
            result = {**result, "png": base64.b64encode(result["png"]).decode()}
        json.dumps(result)                                  # a facts dict must survive the trip
        return {"result": result}
    except Exception:
        return {"error": traceback.format_exc(limit=-4)}


if __name__ == "__main__":
    json.dump([_run(spec) for spec in sys.argv[1:]], sys.stdout)
