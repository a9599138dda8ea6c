"""The render cache: the last rendering of each chapter and page, in memory and on disk.

A rendering is stored under a key over its source and everything else it reads (the build's
context key); one rendering per file is kept, so `serve` re-renders only the file that changed,
and a fresh process reuses the renderings of the last build from `folder`.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cache import write_whole
from .chapters import RenderedChapter


@dataclass
class RenderCache:
    folder: Path                                      # the build cache's chapters/ folder
    _memory: dict = field(default_factory=dict)       # key -> RenderedChapter, one per file

    def get(self, key: tuple, render: Callable[[], RenderedChapter]) -> RenderedChapter:
        """The rendering stored under `key` (its second item is the file's path), else `render()`'s, stored."""
        if key not in self._memory:
            result = self._load(key)
            if result is None:
                result = render()
                write_whole(self._file(key), pickle.dumps(result))
            # One rendering per chapter file is kept: the one for its current source.
            self._memory = {k: v for k, v in self._memory.items() if k[1] != key[1]}
            self._memory[key] = result
        return self._memory[key]

    def prune(self) -> None:
        """Keep on disk only the renderings this build used."""
        keep = {self._file(key) for key in self._memory}
        for file in self.folder.glob("*.pickle"):
            if file not in keep:
                file.unlink(missing_ok=True)

    def _load(self, key: tuple) -> RenderedChapter | None:
        file = self._file(key)
        try:
            result = pickle.loads(file.read_bytes())
            return result if isinstance(result, RenderedChapter) else None
        except FileNotFoundError:
            return None
        except Exception:                  # written by another version: render again
            file.unlink(missing_ok=True)
            return None

    def _file(self, key: tuple) -> Path:
        return self.folder / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".pickle")
