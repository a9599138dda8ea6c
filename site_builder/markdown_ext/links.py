"""Links between chapters and pages and to images, checked while rendering.

Authors link to content files by their path relative to the file they write in, as in an
editor: `[PCA](06-pca.md#covariance)` between chapters, `[latent space](../pages/glossary.md#latent-space)`
from a chapter to a page, `[PCA](../chapters/06-pca.md)` from a page. Each such link is
rewritten to the target's URL and recorded, so the builder can check the anchor once every
chapter and page is rendered. Images under content/ are fingerprinted through `asset_url`.
"""
from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..content import InternalLink
from ..errors import BuildError

CHAPTER_LINK = re.compile(r"^(?P<file>(?:[\w.-]+/)*[\w.-]+\.md)?(?:#(?P<anchor>.*))?$")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


class LinksTreeprocessor(Treeprocessor):
    def __init__(self, md, source, resolver):
        super().__init__(md)
        self.source, self.resolver = source, resolver

    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                element.set("href", self._link(element.get("href")))
            elif element.tag == "img" and element.get("src"):
                src = element.get("src")
                if not EXTERNAL.match(src):
                    element.set("src", self.resolver.asset_url(src, self.source.path, self.source.line_of(src)))
                if not element.get("alt"):
                    raise BuildError(f"image {src} needs alt text: ![what it shows]({src})",
                                     self.source.path, self.source.line_of(src))
                element.set("loading", "lazy")

    def _link(self, href: str) -> str:
        if EXTERNAL.match(href) or href.startswith("/"):
            return href
        match = CHAPTER_LINK.match(href)
        if not match:
            raise BuildError(f"link {href!r}: link to a chapter or page by its file, as 'NN-name.md#anchor' or "
                             "'../pages/name.md#anchor', or to a full URL", self.source.path, self.source.line_of(href))
        line = self.source.line_of(f"({href}")
        file = match.group("file")
        stem = self.resolver.stem_of(file, line) if file else self.source.stem
        return self.resolver.chapter_url(InternalLink(stem, match.group("anchor") or "", self.source.path, line))


class LinksExtension(Extension):
    def __init__(self, source, resolver, **kwargs):
        self.source, self.resolver = source, resolver
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(LinksTreeprocessor(md, self.source, self.resolver), "chapter_links", 4)
