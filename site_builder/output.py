"""Writing the site: all at once and atomically for `build`, file by file for `serve`.

`build` renders into a sibling temporary folder and swaps it in only when every file is
written, so a failing build leaves the previous site untouched. Large files that did not
change (the Pyodide core, weights, videos) are hard-linked from the previous site instead
of copied again.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

Files = dict[str, "bytes | Path"]


def write_atomic(files: Files, out: Path, verify=None) -> None:
    """Write `files` into a fresh folder, run `verify(folder)`, then swap it in for `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, content in files.items():
            _write(staging / rel, content, previous=out / rel)
        if verify is not None:
            verify(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    trash = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(trash, ignore_errors=True)
    out.rename(trash)
    staging.rename(out)
    shutil.rmtree(trash, ignore_errors=True)


def _write(target: Path, content, previous: Path | None = None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        if previous is not None and _same_file(content, previous):
            try:
                os.link(previous, target)
                return
            except OSError:
                pass
        shutil.copyfile(content, target)
    else:
        target.write_bytes(content)


def _same_file(source: Path, previous: Path) -> bool:
    try:
        a, b = source.stat(), previous.stat()
    except OSError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) <= int(b.st_mtime)


def sync(files: Files, out: Path, before: Files | None) -> list[str]:
    """Bring `out` in line with `files`, touching only what changed since `before`.

    For the dev server, where a rebuild must take milliseconds: each changed file is
    replaced atomically (write to a temp name, then rename), removed files are deleted.
    Returns the site paths that changed.
    """
    changed = []
    for rel, content in files.items():
        if before is not None and rel in before and before[rel] == content and (out / rel).exists():
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp")
        if isinstance(content, Path):
            shutil.copyfile(content, temp)
        else:
            temp.write_bytes(content)
        os.replace(temp, target)
        changed.append(rel)
    for rel in (before or {}):
        if rel not in files:
            (out / rel).unlink(missing_ok=True)
            changed.append(rel)
    return changed
