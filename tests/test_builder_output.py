"""What a build produces: pages, navigation, Markdown features, math, feeds, assets."""
from __future__ import annotations

import hashlib
import re
import sys
import tomllib
import xml.etree.ElementTree as ET

import pytest

from conftest import BUDGETS, PAGE_COUNT, ROOT, SITE
from site_builder.check import check_site
from site_builder.headers import load_headers
from site_builder.runtime import PYODIDE_FILES

RICH = r"""
Intro paragraph with inline math $a^2 + b^2 = c^2$ and a price of $5 and $10.

## Tables and footnotes

| k | explained |
|---|-----------|
| 1 | 0.10 |

A claim that needs a source.[^src]

[^src]: A. Author, *A Book*, 2020.

## Code {#code-section}

```python
def square(x):
    return x * x
```

!!! note "Careful"
    Uncorrelated is not independent.

$$
\mathbf{x}' = A\mathbf{x}
$$

See [the second chapter](02-second.md#details) and [code](#code-section).

Escaped \$ stays a dollar; `$not math$` in code stays code.
"""


@pytest.fixture
def rich(tiny):
    tiny.chapter("01-first", RICH, title="First & Foremost", summary="The first summary.")
    tiny.chapter("02-second", "## Details\n\nMore.\n", summary="The second summary.")
    return tiny.build()


def page(files, path) -> str:
    return files[path].decode()


def test_pages_exist_with_pretty_urls(rich):
    for path in ("index.html", "first/index.html", "second/index.html", "all/index.html", "404.html",
                 "sitemap.xml", "feed.xml", "robots.txt", "favicon.ico", "manifest.webmanifest"):
        assert path in rich


def test_markdown_features(rich):
    html = page(rich, "first/index.html")
    assert "<table>" in html and "<th>explained</th>" in html
    assert 'class="footnote all-in-margin"' in html and 'href="#fn:src"' in html     # each note also a sidenote
    assert 'class="sidenote" id="sn:src"' in html
    assert 'class="codehilite"' in html and '<span class="k">def</span>' in html
    assert 'class="admonition note"' in html and "Careful" in html
    assert 'id="code-section"' in html and 'href="#code-section"' in html
    assert 'class="anchor"' in html                                        # section permalinks


def test_math_is_mathml_at_build_time(rich):
    html = page(rich, "first/index.html")
    assert html.count("<math") == 2 and '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert '<annotation encoding="application/x-tex">a^2 + b^2 = c^2</annotation>' in html
    assert "$5 and $10" in html                     # prices are not math
    assert "Escaped $ stays" in html and "<code>$not math$</code>" in html


def test_chapter_navigation_contents_and_reading_time(rich):
    first, second = page(rich, "first/index.html"), page(rich, "second/index.html")
    assert 'rel="next" href="../second/"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="../first/"' in second
    assert re.search(r'<nav class="page-toc".*href="#tables-and-footnotes"', first, re.S)
    assert re.search(r"\d+ min read · \d+ words", first)
    assert 'href="../second/#details"' in first      # .md links become page links
    assert "Chapter 1 of 2" in first


def test_index_lists_chapters_with_summaries(rich):
    html = page(rich, "index.html")
    assert html.index("First &amp; Foremost") < html.index("Second")
    assert "The first summary." in html and "The second summary." in html
    assert 'href="first/"' in html and 'href="all/"' in html


def test_read_it_all_page_has_every_chapter_with_unique_ids(rich):
    html = page(rich, "all/index.html")
    assert 'id="first"' in html and 'id="second"' in html
    assert 'id="first--code-section"' in html and 'href="#first--code-section"' in html
    assert 'href="#second--details"' in html            # cross-chapter links stay in the page
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_404_uses_base_path_urls(rich):
    html = page(rich, "404.html")
    assert 'href="/blog/first/"' in html and re.search(r'href="/blog/assets/site\.[0-9a-f]{10}\.css"', html)


def test_open_graph_and_canonical(rich):
    html = page(rich, "first/index.html")
    assert '<meta property="og:title" content="First &amp; Foremost · Test Site">' in html
    assert '<meta property="og:description" content="The first summary.">' in html
    assert '<meta property="og:url" content="https://example.org/blog/first/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<link rel="canonical" href="https://example.org/blog/first/">' in html


def test_sitemap_and_atom_feed_are_valid_xml(rich):
    sitemap = ET.fromstring(rich["sitemap.xml"])
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/blog/first/" in locs and "https://example.org/blog/" in locs
    feed = ET.fromstring(rich["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["First & Foremost", "Second"]
    assert entries[0].find(f"{atom}content").get("type") == "html"
    assert feed.find(f"{atom}updated").text == "2026-01-02T00:00:00Z"


def test_assets_are_fingerprinted_by_content(rich):
    css = [p for p in rich if p.startswith("assets/site.")]
    assert len(css) == 1
    digest = re.match(r"assets/site\.([0-9a-f]{10})\.css", css[0]).group(1)
    assert hashlib.sha256(rich[css[0]]).hexdigest()[:10] == digest
    assert b".codehilite .k" in rich[css[0]] and b"prefers-color-scheme: dark" in rich[css[0]]
    for path in rich:
        if path.startswith("assets/js/"):
            assert re.search(r"\.[0-9a-f]{10}\.js$", path), path


def test_stylesheet_and_scripts_carry_integrity(rich):
    html = page(rich, "first/index.html")
    for tag in re.findall(r"<(?:link rel=\"stylesheet\"|script(?! type=\"application/ld\+json\"))[^>]*>", html):
        assert 'integrity="sha256-' in tag, tag


def test_no_demo_means_no_python_on_the_page(rich):
    html = page(rich, "first/index.html")
    assert "data-runtime-config" not in html and "demos." not in html
    assert not [p for p in rich if p.startswith("assets/pyodide/")]


def test_real_site_builds_and_checks_clean(built_site):
    report = check_site(built_site, **BUDGETS)
    assert report.ok, report.errors
    assert report.pages == PAGE_COUNT
    index = (built_site / "index.html").read_text()
    assert index.count('<li>\n    <a href="') == len(SITE.chapters) + len(SITE.pages)   # chapters, then pages


def test_only_the_pyodide_files_a_browser_needs_are_copied(built_site):
    folders = list((built_site / "assets" / "pyodide").iterdir())
    assert len(folders) == 1 and re.fullmatch(r"[0-9a-f]{10}", folders[0].name)
    assert sorted(p.name for p in folders[0].iterdir()) == sorted(PYODIDE_FILES)
    for name in PYODIDE_FILES:
        if name != "python_stdlib.zip":                  # served compiled: test_the_standard_library_is_served_compiled
            assert (folders[0] / name).read_bytes() == (ROOT / "node_modules" / "pyodide" / name).read_bytes()


def test_the_standard_library_is_served_compiled(built_site):
    """Every module of Pyodide's standard library as a .pyc of Pyodide's Python (one magic
    number for all, not this CPython's), without its source; everything else as it was."""
    import importlib.util
    import zipfile
    served = zipfile.ZipFile(next((built_site / "assets" / "pyodide").iterdir()) / "python_stdlib.zip")
    source = zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip")
    names = set(served.namelist())
    compiled = [n for n in names if n.endswith(".pyc")]
    assert len(compiled) > 500
    assert {n[:-1] if n.endswith(".pyc") else n for n in names} == set(source.namelist())
    magics = {served.read(n)[:4] for n in compiled}
    assert len(magics) == 1 and magics.pop().endswith(b"\r\n")
    assert served.read(compiled[0])[:4] != importlib.util.MAGIC_NUMBER or sys.version_info[:2] == (3, 14)


def test_no_inline_script_style_or_handler_in_any_page(built_site):
    for html_file in built_site.rglob("*.html"):
        html = html_file.read_text()
        # a script without src is only ever JSON-LD metadata: data, which no browser runs
        assert not re.search(r"<script(?![^>]*\bsrc=)(?! type=\"application/ld\+json\")[^>]*>", html), html_file
        assert not re.search(r"\son[a-z]+=", html), html_file
        assert not re.search(r"\sstyle=", html), html_file
        assert "<style" not in html, html_file


def test_netlify_toml_policy():
    data = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert data["build"] == {"command": "make site", "publish": "_site"}
    rules = load_headers(ROOT / "netlify.toml")
    csp = rules.csp
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "default-src 'self'" in csp
    assert "frame-ancestors" not in rules.meta_csp
    assert rules.for_path("/assets/site.0123456789.css")["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Cache-Control" not in rules.for_path("/index.html")
    assert rules.for_path("/assets/pyodide/x/pyodide.asm.wasm")["Content-Type"] == "application/wasm"
    assert rules.for_path("/assets/pyodide/x/pyodide.mjs")["Content-Type"].startswith("text/javascript")
    assert any(r["status"] == 404 and r["to"] == "/404.html" for r in data["redirects"])


def test_every_page_carries_the_policy_as_meta(built_site):
    meta = load_headers(ROOT / "netlify.toml").meta_csp
    for html_file in built_site.rglob("*.html"):
        assert f'<meta http-equiv="Content-Security-Policy" content="{meta}">' in html_file.read_text().replace("&#39;", "'")
