"""One error type for everything a user can get wrong, always pointing at a file and line."""
from __future__ import annotations

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
