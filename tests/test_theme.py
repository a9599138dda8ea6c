"""The theme: the system's by default, light or dark by the reader's choice, remembered, and
applied before the page paints (a classic script in <head>, ahead of the stylesheet)."""
from __future__ import annotations

import re

import pytest

from browser_helpers import open_page

LIGHT_BG, DARK_BG = "rgb(252, 251, 247)", "rgb(19, 21, 24)"


def test_the_theme_script_runs_before_the_stylesheet_on_every_page(built_site):
    for page in built_site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        script = re.search(r'<script src="([^"]*theme\.[0-9a-f]+\.js)" integrity="sha256-[^"]+"></script>', head)
        assert script, page                                        # classic: no type=module, no defer
        assert head.index(script.group(0)) < head.index('rel="stylesheet"'), page


@pytest.mark.browser
@pytest.mark.parametrize("system", ["light", "dark"])
def test_the_reader_picks_a_theme_and_it_is_kept(browser, site_url, system):
    context, page, log = open_page(browser, color_scheme=system)
    page.goto(site_url + "orthogonality/")                         # has the projection demo
    button = page.locator("[data-theme-toggle]")
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert button.inner_text() == "Theme: system"
    assert background() == (DARK_BG if system == "dark" else LIGHT_BG)
    button.click()
    assert button.inner_text() == "Theme: light" and background() == LIGHT_BG
    button.click()
    assert button.inner_text() == "Theme: dark" and background() == DARK_BG
    # a demo's series colours follow the chosen theme, not the system's
    stroke = page.evaluate("""() => { const probe = document.createElementNS('http://www.w3.org/2000/svg', 'line');
        const host = document.querySelector('[data-demo="projection"] svg') || document.querySelector('svg');
        const group = document.createElementNS('http://www.w3.org/2000/svg', 'g'); group.setAttribute('class', 'vec-a');
        group.append(probe); host.append(group); const s = getComputedStyle(probe).stroke; group.remove(); return s; }""")
    assert stroke == "rgb(255, 123, 138)", stroke                  # --red-dark
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark" and background() == DARK_BG
    page.goto(site_url + "pca/")                                   # another page: the same choice
    assert background() == DARK_BG and page.locator("[data-theme-toggle]").inner_text() == "Theme: dark"
    page.locator("[data-theme-toggle]").click()                    # back to the system's
    assert page.evaluate("document.documentElement.dataset.theme || ''") == ""
    assert page.evaluate("localStorage.getItem('theme')") is None
    assert background() == (DARK_BG if system == "dark" else LIGHT_BG)
    context.close()
    assert log.problems == []
