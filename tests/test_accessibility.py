"""axe-core (node_modules/axe-core, a test tool only: nothing of it reaches _site/) on every
built page in headless Chromium, in the light and the dark colour scheme, with every demo on
the page live: zero violations of axe's default rules (WCAG 2.0-2.2 A and AA, best practices)
plus WCAG 2.2's target size (2.5.8, which axe ships switched off). Then every page again on a
wide screen with the demos' pictures pre-rendered, what a reader sees before Python starts or
without JavaScript."""
from __future__ import annotations

import re

import pytest

from browser_helpers import open_page
from conftest import PAGE_COUNT, ROOT
from demo_helpers import embedded_demos, until

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}
SCHEMES = ("light", "dark")
WIDE = {"width": 1440, "height": 900}                # over style.css's 84rem: the three-column layout

# axe.run's violations, trimmed to what says what to fix, and how many rules passed.
RUN = """async ([context, options]) => {
  const result = await axe.run(context ?? document, options);
  return { passed: result.passes.length, violations: result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 240),
                                 summary: n.failureSummary })) })) };
}"""
DEMO_STATES = "[...document.querySelectorAll('[data-demo]')].map((d) => d.dataset.state)"


def site_pages(site) -> list[str]:
    """Every built page as its path under the site's root: '' (the index), 'pca/', '404.html'."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        path = html.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html") if html.name == "index.html" else path)
    return pages


def axe(page, context=None) -> list[dict]:
    """axe's violations on the page as it is now. axe is injected once per document with an
    evaluate, which the DevTools protocol runs outside the page's CSP: the CSP refuses the inline
    <script> that add_script_tag would add."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is not installed: `make test` runs npm ci (package.json pins it)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(RUN, [context, OPTIONS])
    assert result["passed"] > 0, f"{page.url}: axe checked next to nothing: {result}"
    return result["violations"]


def report(failures: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in failures.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}\n      {node['html']}\n      "
                             + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def live_demos(page, timeout: float = 120.0) -> None:
    """Scroll to each demo in turn, as a reader would, until every one is live (ready)."""
    demos = page.locator("[data-demo]")
    for i in range(demos.count()):
        demos.nth(i).scroll_into_view_if_needed()
        until(lambda: page.evaluate(DEMO_STATES)[i] in ("ready", "error"), timeout)
    states = page.evaluate(DEMO_STATES)
    assert all(state == "ready" for state in states), f"{page.url}: demos not ready: {states}"
    page.evaluate("() => window.scrollTo(0, 0)")


def in_both_schemes(page, where: str, failures: dict) -> None:
    """axe on the page as it is, in the light scheme and then the dark one: the site's colours
    are CSS custom properties under prefers-color-scheme (the demos' figures' too), so a switch
    restyles the page as a reload in that scheme would."""
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(f"() => matchMedia('(prefers-color-scheme: {scheme})').matches")
        if violations := axe(page):
            failures[f"{where} ({scheme})"] = violations


def test_axe_finds_nothing_on_any_page_light_or_dark_with_the_demos_live(built_site, site_url, browser):
    pages = site_pages(built_site)
    assert len(pages) == PAGE_COUNT and "all/" in pages and "404.html" in pages, pages
    context, page, log = open_page(browser)
    failures, demos = {}, 0
    for path in pages:
        page.goto(site_url + path)
        live_demos(page)
        demos += page.locator("[data-demo]").count()
        in_both_schemes(page, f"/{path}", failures)
    context.close()
    assert demos == 2 * len(embedded_demos()), demos     # each on its chapter and on the all page
    assert not failures, "axe-core violations:\n" + report(failures)
    assert log.problems == []


def test_axe_finds_nothing_with_the_pre_rendered_demos_on_a_wide_screen(built_site, site_url, browser):
    """Before Python starts (here: never, the demos' loader is not served) each demo shows the
    picture Python drew at build time, the markup the live demo redraws, as a reader without
    JavaScript sees it (axe itself needs JavaScript: its queue runs on timers). On a screen
    wide enough for the three columns: contents on the left, notes in the right margin."""
    context, page, log = open_page(browser, viewport=WIDE, service_workers="block")
    page.route(re.compile(r"/assets/js/demos\.[0-9a-f]+\.js$"), lambda route: route.abort())
    failures, static = {}, 0
    for path in site_pages(built_site):
        page.goto(site_url + path)
        assert set(page.evaluate(DEMO_STATES)) <= {"static"}, path
        static += page.locator("[data-demo] .demo-static").count()
        in_both_schemes(page, f"/{path}, {WIDE['width']} px wide, demos pre-rendered", failures)
    context.close()
    assert static == 2 * len(embedded_demos()), static
    assert not failures, "axe-core violations:\n" + report(failures)
