"""The static first state of each demo, computed at build time by the same py_runtime code
the browser runs, on CPython.

A demo's `prerender` function returns {"png": bytes, "alt": str}, {"svg": str, "alt": str}
or {"html": str}. Runs happen in a child process (fresh imports, so `serve` sees edited
Python; a crash cannot take the builder down) and are cached on disk by a key over the
py_runtime sources, the weights manifest and the function's name.

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


def run_prerenders(specs: dict[str, str], root: Path, cache_dir: Path, key: str) -> dict[str, dict]:
    """`specs`: demo name -> "module:function". Returns demo name -> result dict."""
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
            raise BuildError(f"pre-rendering demos failed:\n{process.stderr.strip()[-3000:]}")
        outputs = json.loads(process.stdout)
        cache_dir.mkdir(parents=True, exist_ok=True)
        for (name, (spec, cached)), output in zip(missing.items(), outputs):
            if "error" in output:
                raise BuildError(f"demo '{name}': pre-render {spec} failed:\n{output['error']}")
            cached.write_text(json.dumps(output))
            results[name] = _decode(output)
    return results


def _decode(output: dict) -> dict:
    if "png" in output:
        output = {**output, "png": base64.b64decode(output["png"])}
    return output


def _run(spec: str) -> dict:
    import traceback
    module_name, _, function = spec.partition(":")
    try:
        result = getattr(importlib.import_module(module_name), function)()
        if not isinstance(result, dict) or not {"png", "svg", "html"} & set(result):
            return {"error": f"{spec} must return a dict with 'png', 'svg' or 'html'"}
        if "png" in result:
            result = {**result, "png": base64.b64encode(result["png"]).decode()}
        return result
    except Exception:
        return {"error": traceback.format_exc(limit=-4)}


if __name__ == "__main__":
    json.dump([_run(spec) for spec in sys.argv[1:]], sys.stdout)
