"""sitemap.xml and the Atom feed, written with ElementTree so they are always well-formed."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from .config import Site

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def sitemap(site: Site, pages: list[tuple[str, dt.date]]) -> bytes:
    """`pages`: (path relative to the site root, last modified)."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, modified in pages:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.base_url + path
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = modified.isoformat()
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(site: Site, entries: list[dict]) -> bytes:
    """`entries`: dicts with path, title, summary, updated (date), html (the chapter's content)."""
    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", site.title)
    if site.subtitle:
        sub(feed, "subtitle", site.subtitle)
    sub(feed, "id", site.base_url)
    sub(feed, "link", href=site.base_url)
    sub(feed, "link", rel="self", href=site.base_url + "feed.xml")
    sub(feed, "updated", _timestamp(max([site.published] + [e["updated"] for e in entries])))
    author = sub(feed, "author")
    sub(author, "name", site.author)
    for entry in entries:
        item = sub(feed, "entry")
        sub(item, "title", entry["title"])
        sub(item, "id", site.base_url + entry["path"])
        sub(item, "link", href=site.base_url + entry["path"])
        sub(item, "published", _timestamp(site.published))
        sub(item, "updated", _timestamp(entry["updated"]))
        sub(item, "summary", entry["summary"])
        # Chapter HTML uses page-relative URLs: xml:base says what they are relative to.
        sub(item, "content", entry["html"], type="html",
            **{"{http://www.w3.org/XML/1998/namespace}base": site.base_url + entry["path"]})
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
