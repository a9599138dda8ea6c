"""The build cache's files: each written whole, replacing the entries it makes stale."""
from __future__ import annotations

from pathlib import Path
from typing import Callable


def store(file: Path, data: bytes, stale: str) -> None:
    """Write `file` whole (through a temporary name), first removing the cache's `stale` entries."""
    file.parent.mkdir(parents=True, exist_ok=True)
    for old in file.parent.glob(stale):
        old.unlink(missing_ok=True)
    tmp = file.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(file)


def cached(file: Path, stale: str, make: Callable[[], bytes]) -> bytes:
    """`file`'s bytes, made (and stored, replacing `stale` entries) when it is not there."""
    if file.is_file():
        return file.read_bytes()
    data = make()
    store(file, data, stale)
    return data
