"""Footnotes as sidenotes: each note is also set beside the line that cites it.

Python-Markdown's footnotes extension writes the notes as a list at the end. This copies each
note into a `<span class="sidenote">` right after its reference mark, which the stylesheet
floats into the right margin on wide screens (Tufte's layout, no JavaScript). On narrow
screens and in print the copies are hidden and the list at the end is shown; on wide screens
the list hides the notes it has in the margin. A note holding blocks that cannot sit inside
a line (a list, a table, code) stays in the list only.
"""
from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor

PHRASING_ONLY = {"p"}        # the blocks a note may hold to be set in the margin


class SidenoteTreeprocessor(Treeprocessor):
    def run(self, root):
        notes = {li.get("id"): li for div in root.iter("div") if div.get("class") == "footnote"
                 for li in div.iter("li") if (li.get("id") or "").startswith("fn:")}
        if not notes:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        in_margin = 0
        for sup in [s for s in root.iter("sup") if (s.get("id") or "").startswith("fnref:")]:
            name = sup.get("id")[len("fnref:"):]
            note = notes.get(f"fn:{name}")
            if note is None or any(child.tag not in PHRASING_ONLY for child in note):
                continue
            number = "".join(sup.itertext())
            side = sidenote(note, name, number)
            parent = parents[sup]
            parent.insert(list(parent).index(sup) + 1, side)
            side.tail, sup.tail = sup.tail, None
            note.set("class", "in-margin")
            in_margin += 1
        if in_margin == len(notes):
            for div in root.iter("div"):
                if div.get("class") == "footnote":
                    div.set("class", "footnote all-in-margin")


def sidenote(note: etree.Element, name: str, number: str) -> etree.Element:
    """The note's paragraphs as spans (they sit inside the citing paragraph), without the
    back-link, which the reader does not need beside the line."""
    side = etree.Element("span", {"class": "sidenote", "id": f"sn:{name}"})
    mark = etree.SubElement(side, "span", {"class": "sidenote-number"})
    mark.text = number
    mark.tail = " "
    for paragraph in note:
        para = copy.deepcopy(paragraph)
        para.tag = "span"
        para.set("class", "sidenote-para")
        for back in [a for a in para.iter("a") if a.get("class") == "footnote-backref"]:
            holder = next(p for p in para.iter() if back in list(p))
            holder.remove(back)
        _strip_end(para)
        if para.text is not None or len(para):
            side.append(para)
    return side


def _strip_end(element: etree.Element) -> None:
    """Drop the non-breaking space the footnotes extension puts before its back-links."""
    last = element[-1] if len(element) else None
    if last is None:
        element.text = (element.text or "").replace(NBSP_PLACEHOLDER, "").rstrip() or None
    else:
        last.tail = (last.tail or "").replace(NBSP_PLACEHOLDER, "").rstrip() or None


class SidenotesExtension(Extension):
    def extendMarkdown(self, md):
        # After the footnotes are collected (50), reordered (19) and de-duplicated (15),
        # before the citations are numbered (10) so a note's citations get their own cards.
        md.treeprocessors.register(SidenoteTreeprocessor(md), "sidenotes", 12)
