"""The build cache's files: each written whole, replacing the entries it makes stale.

A file appears complete or not at all (written under a temporary name of this process, then
renamed), so a build that is killed, or two builds sharing the cache (`make site` while the
tests run), never leave or read half an entry."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

TMP = ".tmp"


def write_whole(file: Path, data: bytes) -> None:
    """Write `file` through a temporary name that no other process uses, then rename it."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}{TMP}")
    tmp.write_bytes(data)
    tmp.replace(file)


def store(file: Path, data: bytes, stale: str) -> None:
    """Write `file` whole, first removing the cache's `stale` entries (not files being written)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    for old in file.parent.glob(stale):
        if old != file and not old.name.endswith(TMP):     # `file` itself is replaced whole below
            old.unlink(missing_ok=True)
    write_whole(file, data)


def cached(file: Path, stale: str, make: Callable[[], bytes]) -> bytes:
    """`file`'s bytes, made (and stored, replacing `stale` entries) when it is not there."""
    try:
        return file.read_bytes()
    except FileNotFoundError:          # not made yet, or replaced as stale by another build just now
        pass
    data = make()
    store(file, data, stale)
    return data
