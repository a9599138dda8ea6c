"""The "Cite this" BibTeX of a chapter: any title, author or site name gives an entry that
BibTeX tools read back (a title "{" once crashed the build: pybtex refuses unbalanced braces)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from pybtex.database import parse_string

from site_builder.scholar import cite

HOSTILE = ["{", "}}{", "a\\b", "Décodeur & {swap}", "%#$_~^", "\\}", "Plain title"]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_title_gives_a_bibtex_entry_that_reads_back(text):
    site = SimpleNamespace(published=dt.date(2026, 11, 22), author=f"The {text} authors", title=f"Site {text}",
                           language="en", reuse=SimpleNamespace(license_url=""), base_url="https://example.org/")
    citation = cite(site, text, "https://example.org/c/", dt.date(2026, 12, 1), chapter=3, slug="c")
    entry = next(iter(parse_string(citation.bibtex, "bibtex").entries.values()))
    assert entry.type == "misc" and entry.fields["year"] == "2026"
    assert {"title", "howpublished", "url"} <= set(entry.fields)
    if text == "Plain title":                  # an ordinary title is kept as written, its case protected
        assert entry.fields["title"] == "{Plain title}"
