"""Citations: `[@key]`, `[@key, p. 12]`, `[@a; @b, ch. 2]`, numbered in reading order.

Each citation is a link to its entry in the chapter's reference list, and that entry is the
link's accessible description. On hover and focus site.js shows the entry as a card beside
the number (copied from the list, so the page carries each reference once); with JavaScript
off it is a plain link. The list itself, "References", is added at the end of the chapter,
before the table of contents is made, so it is a section like any other.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..references import reference_items

KEY = r"[A-Za-z0-9_][\w:.+/-]*"
ONE = rf"@(?!fig:){KEY}(?:,[^;\]\[]*)?"
CITATION = rf"\[({ONE}(?:\s*;\s*{ONE})*)\]"
PART = re.compile(rf"@({KEY})(?:,\s*([^;]*?))?\s*(?:;|$)")


class CitationProcessor(InlineProcessor):
    """`[@a, p. 3; @b]` → <span class="citation">[<a data-cite="a">…</a>, p. 3; <a data-cite="b">…</a>]</span>;
    the numbers and cards are filled in by CitationTreeprocessor, once the order is known."""

    def __init__(self, md, source, bibliography):
        super().__init__(CITATION, md)
        self.source, self.bibliography = source, bibliography

    def handleMatch(self, m, data):
        span = etree.Element("span", {"class": "citation"})
        span.text = "["
        last = None
        for i, part in enumerate(PART.finditer(m.group(1))):
            key, locator = part.group(1), (part.group(2) or "").strip()
            self.bibliography.get(key, self.source.path, self.source.line_of(f"@{key}"))
            if last is not None:
                last.tail = (last.tail or "") + "; "
            cite = etree.SubElement(span, "span", {"class": "cite", "data-cite": key})
            last = cite
            if locator:
                cite.tail = f", {locator}"
        last.tail = (last.tail or "") + "]"
        return span, m.start(0), m.end(0)


class CitationTreeprocessor(Treeprocessor):
    """Number the citations in reading order, give each its link, add the list."""

    def __init__(self, md, bibliography, cited: list[str]):
        super().__init__(md)
        self.bibliography, self.cited = bibliography, cited

    def run(self, root):
        numbers: dict[str, int] = {}
        for cite in [c for c in root.iter("span") if c.get("data-cite")]:
            key = cite.attrib.pop("data-cite")
            number = numbers.setdefault(key, len(numbers) + 1)
            link = etree.SubElement(cite, "a", {"class": "cite-link", "href": f"#ref-{key}", "data-cite": key,
                                                "aria-describedby": f"ref-{key}"})
            link.text = str(number)
        self.cited[:] = list(numbers)
        if numbers:
            root.append(reference_list(self.md, numbers, self.bibliography))


def reference_list(md, numbers: dict[str, int], bibliography) -> etree.Element:
    """The chapter's "References" section: a heading the table of contents sees, then the
    entries as pybtex formatted them (stashed, so Markdown leaves them alone)."""
    section = etree.Element("section", {"class": "references"})
    heading = etree.SubElement(section, "h2", {"id": "references"})
    heading.text = "References"
    ol = etree.SubElement(section, "ol", {"class": "reference-list"})
    ol.text = md.htmlStash.store(reference_items(numbers, bibliography))
    return section


class CitationsExtension(Extension):
    def __init__(self, source, bibliography, cited: list[str], **kwargs):
        self.source, self.bibliography, self.cited = source, bibliography, cited
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Above links (160) and footnote references (175): `[@key]` is never a link.
        md.inlinePatterns.register(CitationProcessor(md, self.source, self.bibliography), "citation", 180)
        # After inline patterns (20), before the table of contents (5) collects the headings.
        md.treeprocessors.register(CitationTreeprocessor(md, self.bibliography, self.cited), "citations", 10)
