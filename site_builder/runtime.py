"""What the browser needs to run Python: the Pyodide core, the py_runtime wheel, the weights,
and one JSON file that tells the worker where each of them is and how to verify it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .assets import Assets, HASH_LEN, digest, sri, sri_of_hex
from .errors import BuildError
from .wheel import build_wheel

# The files of the npm package that loadPyodide() fetches; the rest (Node glue, typings,
# source maps, demo consoles) never reaches a reader.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def core_digests(package_dir: Path, file_digests) -> list[str]:
    """SHA-256 (hex) of each of PYODIDE_FILES in `package_dir`, or a clear error if one is missing."""
    missing = [name for name in PYODIDE_FILES if not (package_dir / name).exists()]
    if missing:
        raise BuildError(f"the Pyodide core is missing {', '.join(missing)}: run `npm ci` "
                         "(make site does it) to install the pinned npm package", package_dir)
    return [file_digests(package_dir / name) for name in PYODIDE_FILES]


def add_pyodide(assets: Assets, package_dir: Path, file_digests, packages: tuple[str, ...] = (),
                replaced: dict[str, bytes] | None = None) -> str:
    """Copy the core, and the wheels of `packages` with what they depend on, into
    assets/pyodide/<hash>/; returns that folder's site path (ends with /).

    `package_dir` is the npm package (the core alone) or, to self-host packages such as
    NumPy, a full Pyodide distribution folder whose pyodide-lock.json lists them. `replaced`
    serves other bytes under a file's name (the compiled standard library)."""
    replaced = replaced or {}
    core_digests(package_dir, file_digests)
    files = list(PYODIDE_FILES) + package_files(package_dir, packages)
    digests = {name: hashlib.sha256(replaced[name]).hexdigest() if name in replaced else file_digests(package_dir / name)
               for name in files}
    combined = hashlib.sha256("".join(digests[n] for n in files).encode())
    folder = f"assets/pyodide/{combined.hexdigest()[:HASH_LEN]}/"
    for name in files:
        if name in replaced:
            assets.files[folder + name] = replaced[name]
        else:
            assets.copy(folder + name, package_dir / name)
        assets.integrity[folder + name] = sri_of_hex(digests[name])     # copied, not read: from the cached digest
    return folder


def package_files(distribution: Path, packages: tuple[str, ...]) -> list[str]:
    """Wheel files of `packages` and their dependencies, as pyodide-lock.json names them."""
    if not packages:
        return []
    lock_path = distribution / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]
    wanted, files = list(packages), []
    while wanted:
        name = wanted.pop()
        entry = lock.get(name)
        if entry is None:
            raise BuildError(f"package '{name}' is not in this Pyodide distribution's lock file", lock_path)
        if entry["file_name"] in files:
            continue
        if not (distribution / entry["file_name"]).exists():
            raise BuildError(f"package '{name}': {entry['file_name']} is not in the distribution folder "
                             "(point [pyodide] distribution at a full Pyodide release)", distribution)
        files.append(entry["file_name"])
        wanted += entry.get("depends", [])
    return sorted(files)


def add_runtime(assets: Assets, py_runtime_dir: Path, version: str) -> tuple[str, str]:
    """The py_runtime wheel, under a content-hashed folder; returns (site path, SRI)."""
    name, data = build_wheel(py_runtime_dir, version)
    path = f"assets/py/{digest(data)[:HASH_LEN]}/{name}"
    assets.files[path] = data
    assets.integrity[path] = sri(data)
    return path, sri(data)


def add_weights(assets: Assets, weights_dir: Path, names: set[str]) -> dict:
    """Weight and data files the demos on the site load, fingerprinted; plus the manifest itself.

    `names` are keys of the manifest's "models" (networks) or "data" (e.g. sample digits)."""
    manifest_path = weights_dir / "manifest.json"
    if not names:
        return {}
    if not manifest_path.exists():
        raise BuildError("demos need weights but weights/manifest.json is missing: run `make weights`",
                         manifest_path)
    manifest_bytes = manifest_path.read_bytes()
    manifest = json.loads(manifest_bytes)
    out = {"manifest": assets.add("weights/manifest.json", manifest_bytes), "manifest_integrity": sri(manifest_bytes),
           "models": {}}
    for name in sorted(names):
        entry = {**manifest.get("data", {}), **manifest.get("models", {})}.get(name)
        if entry is None:
            raise BuildError(f"a demo needs model '{name}', which weights/manifest.json does not list",
                             manifest_path)
        file = weights_dir / entry["file"]
        if not file.exists():
            raise BuildError(f"weights file {entry['file']} for model '{name}' is missing", manifest_path)
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise BuildError(f"{entry['file']} does not match the sha256 in the manifest: "
                             "retrain with `make weights` or restore the file", file)
        out["models"][name] = {"url": assets.add(f"weights/{entry['file']}", data), "file": entry["file"],
                               "integrity": sri(data), "sha256": entry["sha256"], "bytes": len(data)}
    return out


def add_snapshot(assets: Assets, snapshot) -> dict:
    """The gzipped memory snapshot (site_builder.snapshot), fingerprinted with the runtime files:
    what the worker needs to fetch it, check it and size its progress bar."""
    path = assets.add("py/python-snapshot.bin", snapshot.data)
    return {"url": path, "integrity": assets.integrity[path], "bytes": len(snapshot.data), "raw_bytes": snapshot.raw_bytes}


def runtime_config(assets: Assets, pyodide_dir: str, wheel: tuple[str, str], weights: dict,
                   packages: tuple[str, ...] = (), worker: str | None = None, snapshot: dict | None = None) -> str:
    """assets/runtime.<hash>.json: every URL relative to the site root, each with its SRI value.

    The page fetches this file with `integrity` (its SRI is on <body>), then the worker script
    with the integrity listed here, and starts the worker from those checked bytes: a Worker
    has no `integrity` attribute of its own."""
    config = {"pyodide": pyodide_dir, "runtime": {"url": wheel[0], "integrity": wheel[1]},
              "weights": weights, "packages": list(packages),
              "pyodide_files": {path[len(pyodide_dir):]: {"integrity": assets.integrity[path], "bytes": assets.size(path)}
                                for path in sorted(assets.files) if path.startswith(pyodide_dir)}}
    if worker:
        config["worker"] = {"url": worker, "integrity": assets.integrity[worker]}
    if snapshot:
        config["snapshot"] = snapshot
    return assets.add("runtime.json", json.dumps(config, indent=1, sort_keys=True).encode())


def download_sizes(assets: Assets, pyodide_dir: str | None, wheel: str | None, weights: dict,
                   snapshot: dict | None = None) -> dict:
    """What the demos cost a reader to download, in bytes, for figures quoted in the prose
    (`{{ download.pyodide }}`): measured on this build's files, so never out of date.

    pyodide: the Python interpreter (the core, and self-hosted packages if any), fetched once;
    py_runtime: the site's own Python package; weights: every model and data file the demos
    load (each demo fetches only its own), with the manifest that lists them; snapshot: the
    started interpreter's memory (site_builder.snapshot), fetched on a fast connection and
    always by the offline copy (0 without one)."""
    size = assets.size
    sizes = {
        "pyodide": sum(size(p) for p in assets.files if pyodide_dir and p.startswith(pyodide_dir)),
        "py_runtime": size(wheel) if wheel else 0,
        "weights": sum(size(m["url"]) for m in weights.get("models", {}).values())
                   + (size(weights["manifest"]) if "manifest" in weights else 0),
        "snapshot": snapshot["bytes"] if snapshot else 0,
    }
    return {**sizes, "total": sum(sizes.values())}
