"""One error type for everything a user can get wrong, always pointing at a file and line."""
from __future__ import annotations

import re
from pathlib import Path


class BuildError(Exception):
    """A problem in the input: printed as `path:line: message`, exit status 1, no traceback."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{display_path(self.path)}:{self.line}: " if self.line else f"{display_path(self.path)}: "
        return f"{where}{self.message}"


def display_path(path: Path) -> str:
    """Paths relative to the working directory when they are inside it: shorter and clickable."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def line_of(text: str, needle: str, start_line: int = 1) -> int | None:
    """The 1-based line of the first occurrence of `needle` in `text`, offset by `start_line - 1`.

    Markdown extensions see HTML trees, not source lines; searching the source for the
    offending snippet is how an error still names the line the author wrote.
    """
    index = text.find(needle)
    if index < 0:
        return None
    return text.count("\n", 0, index) + start_line


def line_of_key(text: str, key: str) -> int | None:
    """The line where a top-level TOML `key = ...` is set: unlike `line_of`, not fooled by the
    same word in a comment or a string above it."""
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def line_of_item(text: str, key: str, item: str) -> int | None:
    """The line of `"item"` in the list set by `key = [...]` (or of the key, if not found)."""
    start = line_of_key(text, key)
    if start is None:
        return None
    offset = sum(len(line) + 1 for line in text.split("\n")[: start - 1])
    return line_of(text[offset:], f'"{item}"', start) or start
