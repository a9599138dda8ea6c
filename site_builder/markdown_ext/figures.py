"""Numbered figures and cross-references.

Every demo, video, `::figure` and stand-alone image in a chapter is a figure, numbered in
order of appearance: "Figure 3.2" is the second in chapter 3 (on a page, outside the
chapters, just "Figure 2"). An image on a line of its own becomes a figure whose caption is
its title, `![what it shows](file.svg "Caption")`; the alt text stays the description.

Authors refer to a figure as `[@fig:NAME]`: NAME is a `::figure`'s name or an image's file
name without extension; `[@fig:demo-NAME]` and `[@fig:video-NAME]` name a demo or a video
(`[@fig:NAME]` also finds one, if only one of them is called NAME). It renders as a link,
"Figure 12.1". A name the chapter has no figure for is an error at its line.

The embeds' HTML is stashed by the blocks preprocessor, so the numbers are filled into
placeholders once Markdown has put the page together (a postprocessor), in document order.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import PurePosixPath

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..assets import HASH_LEN
from ..errors import BuildError

XREF = r"\[@fig:([A-Za-z0-9][\w.-]*)\]"
NUMBER_SLOT = re.compile(r'<span class="figure-number" data-figure="([^"]+)"></span>')
FINGERPRINT = re.compile(rf"\.[0-9a-f]{{{HASH_LEN}}}$")
XREF_SLOT = re.compile(r'<a class="xref" data-xref="([^"]+)">[^<]*</a>')


def number_slot(element_id: str) -> str:
    """What an embed's caption starts with: filled with "Figure N.M" after rendering."""
    return f'<span class="figure-number" data-figure="{element_id}"></span>'


class ImageFigures(Treeprocessor):
    """A paragraph that is one image becomes <figure id="figure-STEM"> with its caption."""

    def __init__(self, md, source):
        super().__init__(md)
        self.source = source

    def run(self, root):
        for p in list(root.iter("p")):
            image = p[0] if len(p) == 1 else None
            if image is None or image.tag != "img" or (p.text or "").strip() or (image.tail or "").strip():
                continue
            alt, caption = image.get("alt", ""), image.attrib.pop("title", "").strip()
            name = FINGERPRINT.sub("", PurePosixPath(image.get("src", "")).stem)     # links.py fingerprinted it
            if not caption:
                raise BuildError(f"image {name} on a line of its own is a figure and needs a caption: "
                                 f'![{alt[:30]}…](… "Caption")', self.source.path, self.source.line_of(f"![{alt}]"))
            p.tag, p.attrib = "figure", {"class": "figure image", "id": f"figure-{name}"}
            image.tail = None
            figcaption = etree.SubElement(p, "figcaption")
            slot = etree.SubElement(figcaption, "span", {"class": "figure-number", "data-figure": p.get("id")})
            slot.tail = f" {caption}"


class XrefProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        link = etree.Element("a", {"class": "xref", "data-xref": m.group(1)})
        link.text = "Figure"
        return link, m.start(0), m.end(0)


class FigureNumbers(Postprocessor):
    def __init__(self, md, source, chapter_number: int):
        super().__init__(md)
        self.source, self.chapter_number = source, chapter_number

    def run(self, text):
        numbers: dict[str, str] = {}
        prefix = f"{self.chapter_number}." if self.chapter_number else ""

        def fill(m):
            numbers[m.group(1)] = f"{prefix}{len(numbers) + 1}"
            return f'<span class="figure-number">Figure {numbers[m.group(1)]}</span>'

        text = NUMBER_SLOT.sub(fill, text)
        return XREF_SLOT.sub(lambda m: self._link(m.group(1), numbers), text)

    def _link(self, name: str, numbers: dict[str, str]) -> str:
        candidates = [i for i in (name, f"figure-{name}", f"demo-{name}", f"video-{name}") if i in numbers]
        exact = [i for i in candidates[:2] if i in numbers]
        if exact:
            target = exact[0]
        elif len(candidates) == 1:
            target = candidates[0]
        else:
            line = self.source.line_of(f"[@fig:{name}]")
            if candidates:
                raise BuildError(f"[@fig:{name}] could be {' or '.join('@fig:' + c for c in candidates)}: "
                                 "say which", self.source.path, line)
            known = ", ".join(sorted(n.split("-", 1)[1] if n.startswith("figure-") else n for n in numbers))
            raise BuildError(f"[@fig:{name}]: this page has no figure '{name}' (figures here: {known or 'none'})",
                             self.source.path, line)
        return f'<a class="xref" href="#{target}">Figure {numbers[target]}</a>'


class FiguresExtension(Extension):
    def __init__(self, source, chapter_number: int, **kwargs):
        self.source, self.chapter_number = source, chapter_number
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.inlinePatterns.register(XrefProcessor(XREF, md), "figure_xref", 181)
        # After the links extension (4) has checked and fingerprinted the image.
        md.treeprocessors.register(ImageFigures(md, self.source), "image_figures", 3)
        # After raw HTML (the stashed embeds) is put back (30).
        md.postprocessors.register(FigureNumbers(md, self.source, self.chapter_number), "figure_numbers", 15)
