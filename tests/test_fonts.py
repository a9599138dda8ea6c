"""Self-hosted fonts: Source Serif 4 for the text and STIX Two Math for the formulas, subset
to what the pages use (the math face keeping its MATH table), as WOFF2 with font-display:
swap, the regular text face preloaded, and the browser really using them."""
from __future__ import annotations

import re

import pytest
from fontTools.ttLib import TTFont

from browser_helpers import open_page
from site_builder.fonts import FACES, characters


def stylesheet(built_site) -> str:
    return next((built_site / "assets").glob("site.*.css")).read_text(encoding="utf-8")


def test_every_face_is_a_small_woff2_subset_declared_with_swap(built_site):
    css = stylesheet(built_site)
    rules = re.findall(r'@font-face \{ font-family: "([^"]+)"; src: url\("([^"]+)"\) format\("woff2"\); '
                       r'font-weight: (\d+); font-style: (\w+); font-display: swap; \}', css)
    assert len(rules) == len(FACES)
    for family, url, weight, style in rules:
        file = built_site / "assets" / url
        data = file.read_bytes()
        assert data[:4] == b"wOF2" and len(data) < 60_000, (url, len(data))
        font = TTFont(file)
        if family == "STIX Two Math":
            assert "MATH" in font                              # what MathML layout needs
    assert css.index("@font-face") < css.index(":root {")


def test_the_subsets_hold_every_character_the_pages_show(built_site):
    pages = [p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")]
    prose, math = characters([p.split("<main", 1)[1] for p in pages])
    css = stylesheet(built_site)
    files = dict(re.findall(r'font-family: "([^"]+)"; src: url\("([^"]+)"\) format\("woff2"\); font-weight: 400; '
                            r'font-style: normal', css))
    body = set(TTFont(built_site / "assets" / files["Source Serif 4"]).getBestCmap())
    formulas = set(TTFont(built_site / "assets" / files["STIX Two Math"]).getBestCmap())
    source = TTFont(str(next(iter(_sources("Source Serif 4", 400, "normal"))))).getBestCmap()
    # every character the full face has is kept; the rest falls back to the next font in the stack
    missing = {c for c in prose if ord(c) in source and ord(c) not in body and not c.isspace()}
    assert not missing, sorted(missing)
    assert {ord(c) for c in math if not c.isspace()} - formulas <= set(range(0x2061, 0x2065))   # invisible operators


def _sources(family, weight, style):
    from conftest import ROOT
    for face in FACES:
        if (face.family, face.weight, face.style) == (family, weight, style):
            yield ROOT / "node_modules" / face.file


def test_pages_preload_the_regular_text_face(built_site):
    css = stylesheet(built_site)
    regular = re.search(r'"Source Serif 4"; src: url\("([^"]+)"\) format\("woff2"\); font-weight: 400; font-style: normal', css)
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin integrity="sha256-', html)
        assert link and link.group(1).endswith(regular.group(1)), page


@pytest.mark.browser
def test_the_browser_sets_the_text_and_the_math_in_the_site_fonts(browser, site_url):
    context, page, log = open_page(browser)
    page.goto(site_url + "pca/")
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert "Source Serif 4" in loaded and "STIX Two Math" in loaded, loaded
    assert page.evaluate("getComputedStyle(document.querySelector('.prose p')).fontFamily").startswith('"Source Serif 4"')
    context.close()
    assert log.problems == []
