"""Render one chapter's (or standalone page's) Markdown to an HTML fragment, its contents and its facts.

Order of work for a chapter or page:
  1. Jinja, with the weights manifest, the build-time facts and the site in scope, so figures
     quoted in the prose (`{{ models["mnist-ae-2d"].test_mse | round(4) }}`,
     `{{ facts.interpolation.blank_score }}`) come from data, not typing;
  2. Python-Markdown with tables, footnotes (also set as sidenotes), definition lists (the
     glossary), code highlighting, attribute lists, admonitions, table of contents, math, embed
     directives, numbered figures with cross-references (`[@fig:name]`) and citations
     (`[@key]`, from content/references.bib).
"""
from __future__ import annotations

import difflib
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .content import Chapter, InternalLink
from .errors import BuildError, line_of
from .references import EMPTY, Bibliography

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Source:
    """What the Markdown extensions need to point an error at a line."""
    path: Path
    stem: str
    text: str
    first_line: int

    def line_of(self, snippet: str) -> int | None:
        return line_of(self.text, snippet, self.first_line)


@dataclass(frozen=True)
class RenderedChapter:
    chapter: Chapter
    html: str
    toc: tuple[dict, ...]            # [{"id", "name", "level", "children": [...]}] from the toc extension
    words: int
    minutes: int
    links: tuple[InternalLink, ...]  # checked against `ids` of their targets once all chapters exist
    ids: frozenset[str]
    embeds: tuple[tuple[str, str], ...]   # ("demo", name), ("video", name) in order of appearance
    citations: tuple[str, ...] = ()       # bibliography keys, in the order of their numbers
    assets: tuple[tuple[str, bytes], ...] = ()   # (site path, bytes): images, videos, still pictures it embeds


@dataclass(frozen=True)
class Placed:
    """What an embed or an image becomes: its HTML (or URL) and the asset files it needs."""
    text: str
    files: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class ChapterServices:
    """The builder's answers to questions a chapter asks while rendering."""
    variables: dict                                          # figures available to the prose
    embed_html: Callable[[str, str, str, Chapter, int], Placed]    # kind, name, caption, chapter, line
    asset_url: Callable[[str, Path, int | None], Placed]           # src, file, line -> URL from a chapter page
    slug_of: dict[str, str]                                  # chapter or page stem -> slug
    stem_of_file: dict[Path, str]                            # resolved content file -> its stem
    typeset: Callable[[str, list], list]                     # stem, formulas -> MathML (site_builder/typeset.py)
    bibliography: Bibliography = EMPTY                       # content/references.bib, formatted


def content_environment() -> jinja2.Environment:
    # `{#` starts attribute lists like {#my-id} in Markdown, so comments use `{## ... ##}`.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                              comment_start_string="{##", comment_end_string="##}")


def render_chapter(chapter: Chapter, services: ChapterServices, env: jinja2.Environment) -> RenderedChapter:
    """Jinja, then Markdown, then the checks on the HTML, then the counts: stages that take and return values."""
    source = Source(chapter.path, chapter.stem, apply_variables(chapter, services.variables, env),
                    chapter.body_first_line)
    converted = convert(source, chapter, services)
    check_raw_html(converted.html, source)
    check_declared_embeds(chapter, converted.embeds)
    return summarise(chapter, converted)


@dataclass(frozen=True)
class Converted:
    """One document's HTML and what its Markdown extensions found on the way."""
    html: str
    toc: tuple[dict, ...]
    links: tuple[InternalLink, ...]
    embeds: tuple[tuple[str, str], ...]
    citations: tuple[str, ...]
    assets: tuple[tuple[str, bytes], ...]


@dataclass
class Found:
    """What the extensions report while one document converts; `convert` makes one and returns its values."""
    links: list[InternalLink] = field(default_factory=list)
    embeds: list[tuple[str, str]] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)      # asset files the HTML refers to

    def place(self, placed: Placed) -> str:
        self.files.update(placed.files)
        return placed.text


def convert(source: Source, chapter: Chapter, services: ChapterServices) -> Converted:
    """Markdown to HTML, with the links, embeds, citations and asset files it found."""
    found = Found()
    md = markdown_converter(source, chapter, services, found)
    try:
        html = md.convert(source.text)
    except BuildError:
        raise
    except Exception as err:  # a Markdown extension choking on odd input: still name the file
        raise BuildError(f"Markdown could not be rendered: {type(err).__name__}: {err}", chapter.path) from None
    return Converted(html=html, toc=tuple(md.toc_tokens), links=tuple(found.links), embeds=tuple(found.embeds),
                     citations=tuple(found.cited), assets=tuple(sorted(found.files.items())))


def markdown_converter(source: Source, chapter: Chapter, services: ChapterServices, found: Found):
    """A Python-Markdown instance with the site's extensions, reporting to `found`."""
    # Imported here: a build whose chapters all come from the render cache never needs them.
    import markdown
    from markdown.extensions.codehilite import CodeHiliteExtension
    from markdown.extensions.toc import TocExtension

    from .markdown_ext import (BlocksExtension, CitationsExtension, FiguresExtension, LinksExtension, MathExtension,
                               SidenotesExtension)

    math = MathExtension(source, services.typeset)
    return markdown.Markdown(
        extensions=[
            "tables", "footnotes", "def_list", "attr_list", "admonition", "md_in_html", "fenced_code", "sane_lists",
            CodeHiliteExtension(css_class="codehilite", guess_lang=False),
            TocExtension(permalink="¶", permalink_class="anchor", permalink_title="Link to this section",
                         toc_depth="2-3"),
            math,
            BlocksExtension(source, Embedder(chapter, services, found), math),
            LinksExtension(source, Resolver(chapter, services, found)),
            FiguresExtension(source, chapter.number),
            SidenotesExtension(),
            CitationsExtension(source, services.bibliography, found.cited),
        ],
        output_format="html",
    )


@dataclass(frozen=True)
class Resolver:
    """Answers the links extension: which document a file names, and the URLs of links and images."""
    chapter: Chapter
    services: ChapterServices
    found: Found

    def stem_of(self, file: str, line: int | None) -> str:
        """The chapter or page that `file`, relative to this chapter's folder, names."""
        stem = self.services.stem_of_file.get((self.chapter.path.parent / file).resolve())
        if stem is None:
            raise BuildError(f"link to {file}: no such chapter or page{_path_hint(file, self.chapter, self.services)}",
                             self.chapter.path, line)
        return stem

    def chapter_url(self, link: InternalLink) -> str:
        if link.target_stem not in self.services.slug_of:
            raise BuildError(f"link to {link.target_stem}.md: no such chapter or page", link.path, link.line)
        self.found.links.append(link)
        anchor = f"#{link.anchor}" if link.anchor else ""
        if link.target_stem == self.chapter.stem:
            return anchor or "./"
        return f"../{self.services.slug_of[link.target_stem]}/{anchor}"

    def asset_url(self, src: str, path: Path, line: int | None) -> str:
        return self.found.place(self.services.asset_url(src, path, line))


@dataclass(frozen=True)
class Embedder:
    """Answers the `::demo`, `::video` and `::figure` lines: their HTML, for names the front matter declares."""
    chapter: Chapter
    services: ChapterServices
    found: Found

    def __call__(self, kind: str, name: str, caption: str, line: int) -> str:
        declared = {"demo": self.chapter.demos, "video": self.chapter.videos, "figure": self.chapter.figures}
        html = self.found.place(self.services.embed_html(kind, name, caption, self.chapter, line))
        if name not in declared[kind]:
            raise BuildError(f"'::{kind} {name}' is not declared in the front matter's '{kind}s' list",
                             self.chapter.path, line)
        self.found.embeds.append((kind, name))
        return html


def check_declared_embeds(chapter: Chapter, embeds: tuple[tuple[str, str], ...]) -> None:
    """Every demo, video and figure the front matter declares is embedded somewhere in the text."""
    for kind in ("demo", "video", "figure"):
        used = {name for k, name in embeds if k == kind}
        for name in getattr(chapter, f"{kind}s"):
            if name not in used:
                raise BuildError(f"front matter declares {kind} '{name}' but the chapter never embeds it "
                                 f"(add a line '::{kind} {name}')", chapter.path,
                                 line_of(chapter.path.read_text(encoding="utf-8"), name))


def summarise(chapter: Chapter, converted: Converted) -> RenderedChapter:
    """The rendered document: its HTML with its contents, reading time, ids and what it embeds."""
    words = count_words(converted.html)
    return RenderedChapter(
        chapter=chapter, html=converted.html, toc=converted.toc, words=words,
        minutes=max(1, round(words / WORDS_PER_MINUTE)), links=converted.links,
        ids=frozenset(re.findall(r'\sid="([^"]+)"', converted.html)), embeds=converted.embeds,
        citations=converted.citations, assets=converted.assets,
    )


def _path_hint(file: str, chapter: Chapter, services: ChapterServices) -> str:
    """A file of that name elsewhere in the content folder: say how to reach it from here."""
    name = Path(file).name
    for target in services.stem_of_file:
        if target.name == name:
            return f" here (did you mean {Path(os.path.relpath(target, chapter.path.parent)).as_posix()}?)"
    return ""


# Raw HTML in a chapter that the Content-Security-Policy would block, or that embeds
# something from elsewhere: caught here, at the line the author wrote, not in the built page.
RAW_HTML_PROBLEMS = (
    (re.compile(r"<script\b(?![^>]*\bsrc=)", re.I), "inline <script>: the site runs no script from content"),
    (re.compile(r"<script\b", re.I), "<script>: scripts belong in site_builder/assets, not in content"),
    (re.compile(r"<style\b", re.I), "inline <style>: the Content-Security-Policy blocks it; use the stylesheet"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler: the Content-Security-Policy blocks it"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "inline style attribute: the Content-Security-Policy blocks it"),
    (re.compile(r"<(?:iframe|frame|object|embed|applet)\b", re.I), "embedded frame or object: the site embeds nothing"),
)


def check_raw_html(html: str, source: Source) -> None:
    """Markdown passes raw HTML through; stop at the first piece the site must not contain."""
    for pattern, problem in RAW_HTML_PROBLEMS:
        match = pattern.search(html)
        if match:
            snippet = match.group(0).split()[0] if match.group(0).startswith("<") else match.group(0)
            raise BuildError(problem, source.path, source.line_of(snippet) or source.line_of(snippet.lower()))


def apply_variables(chapter: Chapter, variables: dict, env: jinja2.Environment) -> str:
    if "{{" not in chapter.body and "{%" not in chapter.body:
        return chapter.body
    try:
        template = env.from_string(chapter.body)
        return template.render(**variables)
    except jinja2.TemplateSyntaxError as err:
        raise BuildError(f"template syntax: {err.message}", chapter.path,
                         chapter.body_first_line + (err.lineno or 1) - 1) from None
    except Exception as err:
        line = next((frame.lineno for frame in reversed(traceback.extract_tb(err.__traceback__))
                     if frame.filename == "<template>"), None)
        raise BuildError(f"figure variable failed: {type(err).__name__}: {err}", chapter.path,
                         chapter.body_first_line + line - 1 if line else None) from None


def count_words(html: str) -> int:
    """Words a reader reads: not math, code, the reference list, or the copies of notes that
    sidenotes repeat."""
    html = re.sub(r'<section class="references">.*?</section>', " ", without_spans(html, ("sidenote",)), flags=re.S)
    text = re.sub(r"<math.*?</math>|<pre.*?</pre>|<[^>]+>", " ", html, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9’']+", text))


SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>")


def without_spans(html: str, classes: tuple[str, ...]) -> str:
    """`html` without the `<span class="C">…</span>` elements of these classes (nested spans
    included): the builder's own markup, so a tag scan suffices."""
    opening = re.compile(r'<span class="(?:%s)"' % "|".join(map(re.escape, classes)))
    out, position = [], 0
    while (start := opening.search(html, position)) is not None:
        depth, end = 0, start.start()
        for tag in SPAN_TAG.finditer(html, start.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        out.append(html[position:start.start()])
        position = max(end, start.end())
    return "".join(out) + html[position:]


def check_links(rendered: dict[str, RenderedChapter]) -> None:
    """Every link between chapters and pages points at one that has the anchor it names."""
    for page in rendered.values():
        for link in page.links:
            target = rendered.get(link.target_stem)
            if target is None:          # a cached rendering linking to a file since removed
                raise BuildError(f"link to {link.target_stem}.md: no such chapter or page", link.path, link.line)
            if link.anchor and link.anchor not in target.ids:
                known = ", ".join(sorted(t["id"] for t in flatten_toc(target.toc))[:12]) or "none"
                close = difflib.get_close_matches(link.anchor, sorted(target.ids), n=1)
                hint = f"did you mean #{close[0]}? " if close else ""
                raise BuildError(f"link to {link.target_stem}.md#{link.anchor}: no such anchor "
                                 f"({hint}section ids there: {known})", link.path, link.line)


def flatten_toc(tokens) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(flatten_toc(token.get("children", [])))
    return flat


def prefix_ids(html: str, slug: str, slug_of_url: dict[str, str]) -> str:
    """A chapter's fragment made fit for the read-it-all page: ids unique per chapter,
    links to other chapters turned into in-page jumps."""
    html = re.sub(r'(\sid=")([^"]+)"', lambda m: f'{m.group(1)}{slug}--{m.group(2)}"', html)
    html = re.sub(r'(\shref=")#([^"]*)"', lambda m: f'{m.group(1)}#{slug}--{m.group(2)}"', html)
    html = re.sub(r'(\saria-describedby=")([^"]+)"', lambda m: f'{m.group(1)}{slug}--{m.group(2)}"', html)

    def other_chapter(m):
        target, anchor = m.group(2), m.group(3)
        return f'{m.group(1)}#{target}--{anchor}"' if anchor else f'{m.group(1)}#{target}"'
    return re.sub(r'(\shref=")\.\./([a-z0-9-]+)/(?:#([^"]*))?"',
                  lambda m: other_chapter(m) if m.group(2) in slug_of_url else m.group(0), html)
