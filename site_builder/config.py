"""content/site.toml: the site's settings, validated once, then passed along read-only."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BuildError, line_of, line_of_item, line_of_key


@dataclass(frozen=True)
class PyodideSettings:
    package_dir: str = "node_modules/pyodide"   # the npm package (the core alone), relative to the project root
    distribution: str = ""                       # a full Pyodide distribution folder, to self-host packages too
    packages: tuple = ("numpy",)                 # packages taken from `distribution` and loaded at start
    start: str = "near-viewport"                 # "near-viewport" or "interaction"
    snapshot: bool = True                        # start the worker from a build-time memory snapshot
    compiled_stdlib: bool = True                 # serve the standard library compiled to .pyc


@dataclass(frozen=True)
class CheckSettings:
    page_budget_kb: int = 350        # HTML + CSS + JS + images a page loads up front
    all_page_budget_kb: int = 1200   # the same for the read-it-all page, which holds every chapter


@dataclass(frozen=True)
class ReuseSettings:
    license: str = ""                # e.g. "CC BY 4.0": shown under every chapter's citation
    license_url: str = ""            # the license's text
    note: str = ""                   # what the license covers, and what it does not
    corrections_url: str = ""        # where readers report an error (an issue tracker, a mailto: link)


@dataclass(frozen=True)
class Site:
    title: str
    subtitle: str
    author: str
    base_url: str                    # absolute, ends with "/"
    language: str
    published: dt.date
    chapters: tuple[str, ...]        # chapter file stems in reading order, e.g. "02-vectors-and-matrices"
    description: str = ""
    pages: tuple[str, ...] = ()      # standalone pages (content/pages/NAME.md, published at /NAME/), e.g. "faq"
    pyodide: PyodideSettings = field(default_factory=PyodideSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    source: Path | None = None

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/blog/"): used where relative URLs cannot be."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, base_url: str) -> "Site":
        return _replace(self, base_url=_normalise_base_url(base_url, self.source, None))


def _replace(site: Site, **changes) -> Site:
    from dataclasses import replace
    return replace(site, **changes)


_REQUIRED = {"title": str, "author": str, "base_url": str, "published": dt.date, "chapters": list}
_OPTIONAL = {"subtitle": str, "description": str, "language": str, "pages": list, "pyodide": dict, "check": dict,
             "reuse": dict}
# Folders of the built site that are not content pages (the read-it-all page, the assets, the
# search index): no chapter or page may take one over.
RESERVED_NAMES = ("all", "assets", "search")


def load_site(path: Path) -> Site:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildError("site settings not found (every site needs content/site.toml)", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BuildError(f"invalid TOML: {err}", path, _toml_error_line(err)) from None

    for key, kind in {**_REQUIRED, **_OPTIONAL}.items():
        if key in data and not isinstance(data[key], kind):
            raise BuildError(f"'{key}' must be a {_kind_name(kind)}", path, line_of_key(text, key) or line_of(text, key))
    for key in _REQUIRED:
        if key not in data:
            raise BuildError(f"missing required setting '{key}'", path)
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        key = sorted(unknown)[0]
        raise BuildError(f"unknown setting '{key}' (known: {', '.join(sorted({**_REQUIRED, **_OPTIONAL}))})",
                         path, line_of_key(text, key) or line_of(text, key))

    chapters = data["chapters"]
    if not chapters or not all(isinstance(c, str) and re.fullmatch(r"\d\d-[a-z0-9-]+", c) for c in chapters):
        raise BuildError("'chapters' must list chapter file names like \"02-vectors-and-matrices\"",
                         path, line_of(text, "chapters"))
    if len(set(chapters)) != len(chapters):
        dup = next(c for c in chapters if chapters.count(c) > 1)
        raise BuildError(f"chapter '{dup}' is listed twice", path, line_of(text, f'"{dup}"'))

    pages = _checked_pages(data.get("pages", []), path, text)

    return Site(
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        author=data["author"],
        base_url=_normalise_base_url(data["base_url"], path, line_of(text, "base_url")),
        language=data.get("language", "en"),
        published=data["published"],
        chapters=tuple(chapters),
        description=data.get("description", ""),
        pages=pages,
        pyodide=_checked_pyodide(_section(PyodideSettings, data.get("pyodide", {}), path, text, "pyodide"), path, text),
        check=_section(CheckSettings, data.get("check", {}), path, text, "check"),
        reuse=_section(ReuseSettings, data.get("reuse", {}), path, text, "reuse"),
        source=path,
    )


def _checked_pages(pages: list, path: Path, text: str) -> tuple[str, ...]:
    """Page names are the URL folders they are published at: lowercase words joined by hyphens,
    starting with a letter (so that no page name can look like a chapter file's "NN-" stem)."""
    line = line_of_key(text, "pages")
    if not all(isinstance(p, str) and re.fullmatch(r"[a-z][a-z0-9-]*", p) for p in pages):
        raise BuildError("'pages' must list page file names like \"faq\" (content/pages/faq.md): "
                         "lowercase letters, digits and hyphens, starting with a letter", path, line)
    for name in pages:
        where = line_of_item(text, "pages", name)
        if pages.count(name) > 1:
            raise BuildError(f"page '{name}' is listed twice", path, where)
        if name in RESERVED_NAMES:
            raise BuildError(f"page name '{name}' is reserved: /{name}/ is the site's own "
                             f"({', '.join(RESERVED_NAMES)} are taken)", path, where)
    return tuple(pages)


def _checked_pyodide(settings: PyodideSettings, path: Path, text: str) -> PyodideSettings:
    if settings.start not in ("near-viewport", "interaction"):
        raise BuildError(f"pyodide.start must be \"near-viewport\" or \"interaction\", not {settings.start!r}",
                         path, line_of(text, "start"))
    return settings


def _section(cls, values: dict, path: Path, text: str, name: str):
    known = cls.__dataclass_fields__
    for key, value in values.items():
        if key not in known:
            raise BuildError(f"unknown setting '{name}.{key}' (known: {', '.join(known)})", path, line_of(text, key))
        expected = type(known[key].default)
        if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            values = {**values, key: tuple(value)}
        elif not isinstance(value, expected):
            raise BuildError(f"'{name}.{key}' must be a {_kind_name(expected)}", path, line_of(text, key))
    return cls(**values)


def _normalise_base_url(url: str, path: Path | None, line: int | None) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(f"base_url must be an absolute http(s) URL, got {url!r}", path, line)
    return url if url.endswith("/") else url + "/"


def _toml_error_line(err: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"line (\d+)", str(err))
    return int(match.group(1)) if match else None


def _kind_name(kind) -> str:
    return {str: "string", list: "list", tuple: "list of strings", dict: "table", int: "whole number", dt.date: "date (YYYY-MM-DD)"}.get(kind, kind.__name__)
