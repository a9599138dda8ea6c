"""Chapters and standalone pages: TOML front matter between `+++` lines, then Markdown.

    +++
    title = "Vectors & Matrices"
    summary = "Lists of numbers, and the machines that move them."
    demos = ["matrix-transform"]
    videos = ["matrix-plane"]
    +++
    ## A vector is a list of numbers
    ...

TOML because site.toml is TOML and Python reads it with the standard library.

Standalone pages (content/pages/faq.md, listed in site.toml's `pages`) have the same format,
are rendered the same way and live at /faq/, but are not in the reading order: no number, no
previous/next, not in the feed. They may also set `nav`, a short label for the site's menu.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import RESERVED_NAMES, Site, _toml_error_line
from .errors import BuildError, line_of, line_of_item

FENCE = "+++"


@dataclass(frozen=True)
class Chapter:
    """A chapter, or a standalone page (kind "page", number 0): one content file."""
    number: int                 # 1-based position in the reading order; 0 for a page
    stem: str                   # "02-vectors-and-matrices", "faq"
    slug: str                   # "vectors-and-matrices": the page lives at /vectors-and-matrices/
    path: Path
    title: str
    summary: str
    demos: tuple[str, ...]
    videos: tuple[str, ...]
    updated: dt.date | None
    body: str                   # Markdown after the front matter
    body_first_line: int        # line number of the body's first line in the file
    digest: str                 # sha256 of the file: the render cache key
    kind: str = "chapter"       # "chapter" or "page"
    nav: str = ""               # a page's label in the site menu (its title if not set)
    toc: bool = True            # show the in-page contents
    figures: tuple[str, ...] = ()   # build-time pictures it embeds with ::figure (figures/*.toml)

    @property
    def url(self) -> str:
        return f"{self.slug}/"


_FIELDS = {"title": str, "summary": str, "demos": list, "videos": list, "figures": list, "updated": dt.date, "toc": bool}
_PAGE_FIELDS = {**_FIELDS, "nav": str}
_REQUIRED = ("title", "summary")


@dataclass(frozen=True)
class InternalLink:
    """A link from a chapter or page to one (itself included), checked once all are rendered."""
    target_stem: str        # the chapter or page linked to
    anchor: str             # "" for the top of the page
    path: Path
    line: int | None


def load_chapters(site: Site, chapters_dir: Path) -> tuple[Chapter, ...]:
    """Every chapter listed in site.toml, in that order; every file on disk must be listed."""
    on_disk = {p.stem: p for p in chapters_dir.glob("*.md")}
    for stem, path in sorted(on_disk.items()):
        if stem not in site.chapters:
            raise BuildError("chapter file is not listed in site.toml's 'chapters'", path)
    chapters = []
    for number, stem in enumerate(site.chapters, start=1):
        if stem not in on_disk:
            raise BuildError(f"chapter '{stem}' is listed but {chapters_dir / (stem + '.md')} does not exist",
                             site.source, line_of(site.source.read_text(encoding="utf-8"), f'"{stem}"') if site.source else None)
        chapters.append(parse_chapter(on_disk[stem], number))
    slugs = [c.slug for c in chapters]
    for chapter in chapters:
        if slugs.count(chapter.slug) > 1:
            raise BuildError(f"two chapters share the page name '{chapter.slug}'", chapter.path)
        if chapter.slug in RESERVED_NAMES:
            raise BuildError(f"the page name '{chapter.slug}' is reserved for the site's own /{chapter.slug}/",
                             chapter.path)
    return tuple(chapters)


def load_pages(site: Site, pages_dir: Path, chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
    """Every page listed in site.toml's `pages`, in that order; every file on disk must be listed,
    and no page may take a chapter's URL."""
    on_disk = {p.stem: p for p in pages_dir.glob("*.md")} if pages_dir.is_dir() else {}
    settings = site.source.read_text(encoding="utf-8") if site.source else ""
    for stem, path in sorted(on_disk.items()):
        if stem not in site.pages:
            raise BuildError(f"page file is not listed in site.toml's 'pages' (add \"{stem}\" there, "
                             "or remove the file)", path)
    chapter_of_slug = {c.slug: c for c in chapters}
    pages = []
    for name in site.pages:
        where = line_of_item(settings, "pages", name)
        if name not in on_disk:
            raise BuildError(f"page '{name}' is listed but {pages_dir / (name + '.md')} does not exist",
                             site.source, where)
        if name in chapter_of_slug:
            raise BuildError(f"page '{name}' would be published at /{name}/, the URL of chapter "
                             f"{chapter_of_slug[name].path.name}: rename the page", site.source, where)
        pages.append(parse_chapter(on_disk[name], 0, kind="page"))
    return tuple(pages)


def parse_chapter(path: Path, number: int, kind: str = "chapter") -> Chapter:
    """Read one content file (a chapter, or with kind="page" a standalone page)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BuildError("not valid UTF-8 text", path, line) from None
    text = text.replace("\r\n", "\n")
    meta, body, body_first_line = split_front_matter(text, path)

    fields = _PAGE_FIELDS if kind == "page" else _FIELDS
    for key, value in meta.items():
        if key not in fields:
            raise BuildError(f"unknown front matter key '{key}' (known: {', '.join(fields)})", path,
                             line_of(text, key))
        if not isinstance(value, fields[key]):
            raise BuildError(f"front matter '{key}' has the wrong type", path, line_of(text, key))
    for key in _REQUIRED:
        if not str(meta.get(key, "")).strip():
            raise BuildError(f"front matter needs a non-empty '{key}'", path, 2)
    for key in ("demos", "videos", "figures"):
        names = meta.get(key, [])
        if not all(isinstance(n, str) and n for n in names):
            raise BuildError(f"front matter '{key}' must be a list of names", path, line_of(text, key))

    stem = path.stem
    slug = re.sub(r"^\d+-", "", stem)
    return Chapter(
        number=number, stem=stem, slug=slug, path=path,
        title=meta["title"].strip(), summary=meta["summary"].strip(),
        demos=tuple(meta.get("demos", [])), videos=tuple(meta.get("videos", [])),
        figures=tuple(meta.get("figures", [])),
        updated=meta.get("updated"), body=body, body_first_line=body_first_line,
        digest=hashlib.sha256(raw).hexdigest(), kind=kind,
        nav=str(meta.get("nav", "")).strip() or meta["title"].strip(), toc=meta.get("toc", True),
    )


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise BuildError(f"a chapter or page starts with front matter: a line '{FENCE}', TOML, then '{FENCE}'", path, 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise BuildError(f"front matter opened on line 1 is never closed with '{FENCE}'", path, 1) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as err:
        line = _toml_error_line(err)
        # "at end of document" has no line: the problem is on the last line before the fence.
        raise BuildError(f"malformed front matter: {err}", path, line + 1 if line else end) from None
    return meta, "\n".join(lines[end + 1:]), end + 2
