"""How to cite the article and each chapter, and the metadata that lets others find it.

For every chapter (and the whole article): a byline with the dates, a short citation and a
BibTeX entry (written by pybtex), Google Scholar's `citation_*` meta tags and a JSON-LD
`ScholarlyArticle`. The dates come from the repository: first published is the site's
`published` date, "last updated" the date of the last commit that touched the file (a front
matter `updated` overrides it; outside a git checkout, the site's date stands).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Citation:
    what: str                        # "article", "chapter" or "page"
    short: str                       # one line, for the "cite this" block
    bibtex: str                      # a @misc entry, for the copy button
    meta: tuple[tuple[str, str], ...]   # (name, content) of the citation_* meta tags
    json_ld: str                     # a ScholarlyArticle, for <script type="application/ld+json">
    updated: dt.date


def last_commit_dates(paths: list[Path], root: Path) -> dict[Path, dt.date]:
    """The date of the last commit touching each file; {} outside a git checkout."""
    dates = {}
    for path in paths:
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=root,
                                 capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if out.returncode != 0:
            return {}
        if re.fullmatch(r"\d{4}-\d\d-\d\d", out.stdout.strip()):
            dates[path] = dt.date.fromisoformat(out.stdout.strip())
    return dates


def bibtex_key(site_title: str, slug: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", site_title.lower()).strip("-") + ("-" + slug if slug else "")


def bibtex_text(text: str) -> str:
    """`text` as a BibTeX field's letters: backslashes and braces written as LaTeX commands, so
    that a title such as "{" still gives an entry with balanced braces (pybtex refuses others)."""
    marks = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return re.sub(r"[\\{}]", lambda m: marks[m.group()], text)


def cite(site, title: str, url: str, updated: dt.date, chapter: int | None = None, slug: str = "") -> Citation:
    """The citation of the whole article (no `slug`), of chapter `chapter`, or of a page."""
    from pybtex.database import BibliographyData, Entry, Person
    from pybtex.database.output.bibtex import Writer      # to_string("bibtex") looks the writer up each call

    published, what = site.published, "article" if not slug else "chapter" if chapter else "page"
    where = {"article": "", "chapter": f" In {site.title}, chapter {chapter}.", "page": f" In {site.title}."}[what]
    short = f"{site.author} ({published.year}). {title}.{where} {url} (last updated {updated.isoformat()})."
    fields = {"title": "{" + bibtex_text(title) + "}", "year": str(published.year), "month": published.strftime("%b").lower(),
              "url": url, "urldate": updated.isoformat(), "note": f"Last updated {updated.isoformat()}"}
    if what != "article":
        fields["howpublished"] = (f"Chapter {chapter} of " if chapter else "In ") + "{" + bibtex_text(site.title) + "}"
    entry = Entry("misc", fields=fields, persons={"author": [Person("{" + bibtex_text(site.author) + "}")]})
    bibtex = Writer().to_string(BibliographyData({bibtex_key(site.title, slug): entry})).strip()
    meta = [("citation_title", title), ("citation_author", site.author),
            ("citation_publication_date", published.strftime("%Y/%m/%d")),
            ("citation_online_date", updated.strftime("%Y/%m/%d")),
            ("citation_fulltext_html_url", url), ("citation_language", site.language)]
    if what != "article":
        meta.insert(3, ("citation_inbook_title", site.title))
    ld = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": title, "name": title,
          "author": {"@type": "Organization", "name": site.author},
          "datePublished": published.isoformat(), "dateModified": updated.isoformat(),
          "inLanguage": site.language, "url": url, "mainEntityOfPage": url}
    if site.reuse.license_url:
        ld["license"] = site.reuse.license_url
    if what != "article":
        ld["isPartOf"] = {"@type": "CreativeWork", "name": site.title, "url": site.base_url}
    if chapter:
        ld["position"] = chapter
    # `</` cannot end the script element early: JSON allows the slash escaped.
    return Citation(what, short, bibtex, tuple(meta), json.dumps(ld, ensure_ascii=False).replace("</", "<\\/"), updated)
