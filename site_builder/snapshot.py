"""A memory snapshot of the site's Python, made at build time: the reader's worker restores it
instead of starting the interpreter and importing py_runtime itself. And the standard library
compiled to .pyc, which a start without the snapshot then reads instead of compiling it.

Made and checked with Node (site_builder/node/snapshot.mjs) from the very Pyodide files the
site serves (Pyodide refuses a snapshot from another build), gzipped, and cached under
.build-cache/snapshot/ by a key over those files, the wheel and the script, so a warm build
only reads it back. The build fails, saying why, if the snapshot cannot be made or restored.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from .cache import store, write_whole
from .errors import BuildError

SCRIPT = Path(__file__).parent / "node" / "snapshot.mjs"
TIMEOUT_S = 300


class Snapshot(NamedTuple):
    data: bytes            # gzipped heap, what the site serves
    raw_bytes: int         # the heap's size once decompressed
    modules: tuple         # the py_runtime modules already imported in it


def snapshot_key(pyodide_digests: list[str], *inputs: bytes) -> str:
    parts = [*pyodide_digests, *(hashlib.sha256(b).hexdigest() for b in inputs),
             hashlib.sha256(SCRIPT.read_bytes()).hexdigest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _node(args: list[str], what: str) -> dict:
    node = shutil.which("node")
    if node is None:
        raise BuildError("the Python snapshot needs Node.js (`make site` installs it with npm); "
                         "or set `snapshot = false` under [pyodide] in site.toml", SCRIPT)
    try:
        done = subprocess.run([node, str(SCRIPT), *args], capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{what} the Python snapshot took over {TIMEOUT_S} s", SCRIPT) from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n    ".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise BuildError(f"{what} the Python snapshot failed (exit {done.returncode}):\n    {tail}", SCRIPT)
    return json.loads(lines[-1])


def make_snapshot(pyodide_dir: Path, wheel: bytes, stdlib: bytes | None = None) -> Snapshot:
    """Make the heap with Node, restore it once as the worker will, and compress it. `stdlib`:
    the standard library zip the site serves, if not Pyodide's own."""
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        wheel_path, heap_path = Path(tmp) / "py_runtime-0-py3-none-any.whl", Path(tmp) / "heap.bin"
        wheel_path.write_bytes(wheel)
        extra = []
        if stdlib is not None:
            (Path(tmp) / "python_stdlib.zip").write_bytes(stdlib)
            extra = [str(Path(tmp) / "python_stdlib.zip")]
        made = _node(["make", str(pyodide_dir), str(wheel_path), str(heap_path), *extra], "making")
        checked = _node(["check", str(pyodide_dir), str(wheel_path), str(heap_path), *extra], "restoring")
        if checked["modules"] != made["modules"]:
            raise BuildError("the restored Python snapshot does not hold the modules it was made with", SCRIPT)
        heap = heap_path.read_bytes()
    return Snapshot(gzip.compress(heap, compresslevel=9, mtime=0), len(heap), tuple(made["modules"]))


def cached_snapshot(pyodide_dir: Path, pyodide_digests: list[str], wheel: bytes, cache: Path,
                    stdlib: bytes | None = None) -> Snapshot:
    """make_snapshot, or its copy from `cache` when nothing it depends on changed."""
    key = snapshot_key(pyodide_digests, wheel, *([stdlib] if stdlib is not None else []))
    data_file, info_file = cache / f"{key}.gz", cache / f"{key}.json"
    if data_file.exists() and info_file.exists():
        info = json.loads(info_file.read_text())
        return Snapshot(data_file.read_bytes(), info["raw_bytes"], tuple(info["modules"]))
    snapshot = make_snapshot(pyodide_dir, wheel, stdlib)
    store(data_file, snapshot.data, "*")
    write_whole(info_file, json.dumps({"raw_bytes": snapshot.raw_bytes, "modules": list(snapshot.modules)}).encode())
    return snapshot


def compiled_stdlib(pyodide_dir: Path, pyodide_digests: list[str], cache: Path) -> bytes:
    """Pyodide's standard library zip with every module compiled to .pyc inside Pyodide (so the
    magic number is its Python's) and no sources: a cold start reads the code instead of
    compiling it. Cached by a key of the Pyodide files and the script."""
    file = cache / f"{snapshot_key(pyodide_digests)}.zip"
    if file.exists():
        return file.read_bytes()
    with tempfile.TemporaryDirectory(prefix="stdlib-") as tmp:
        out = Path(tmp) / "python_stdlib.zip"
        _node(["stdlib", str(pyodide_dir), str(out)], "compiling the standard library for")
        data = out.read_bytes()
    store(file, data, "*.zip")
    return data
