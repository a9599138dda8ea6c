"""Finding and sharing. Site search: a Pagefind index made at build time, under search/, loaded
by the header's box on first use, holding every glossary term and every demo title, and kept
by the offline copy (its folder's name is fixed: editing one page must not change every page).
Social cards: one 1200×630 picture per page, not kept offline."""
from __future__ import annotations

import re

import pytest

from browser_helpers import open_page
from demo_helpers import registered_demos, wait_for
from site_builder.assets import sri
from site_builder.offline import precache_list


def search_folder(built_site):
    return built_site / "search"


def test_every_page_points_at_the_index_with_its_integrity(built_site):
    folder = search_folder(built_site)
    entry = folder / "pagefind.js"
    assert entry.is_file() and (folder / "pagefind-entry.json").is_file()
    assert list(folder.glob("wasm.*.pagefind")) and list(folder.glob("fragment/*.pf_fragment"))
    pages = list(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "__SEARCH" not in html, page
        form = re.search(r'<form class="site-search"[^>]*data-search="([^"]+)" data-search-integrity="([^"]+)"', html)
        assert form, page
        target = built_site / form.group(1)[1:] if form.group(1).startswith("/") else page.parent / form.group(1)
        assert target.resolve() == entry.resolve(), page          # the 404 page links from the site root
        assert form.group(2) == sri(entry.read_bytes())


def test_the_offline_copy_keeps_the_index(built_site):
    folder = search_folder(built_site).relative_to(built_site).as_posix()
    lists = precache_list((built_site / "sw.js").read_text(encoding="utf-8"))
    kept = {url for url, _ in lists["shell"]}
    served = {p.relative_to(built_site).as_posix() for p in search_folder(built_site).rglob("*") if p.is_file()}
    assert served and served <= kept, served - kept
    assert all(s.startswith(folder) for s in served)


def glossary_terms(built_site) -> list[str]:
    html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<dt[^>]*>(.*?)</dt>", html, re.S)]
    assert len(terms) > 20
    return terms


@pytest.mark.browser
def test_search_loads_on_first_use_and_finds_terms_and_demos(browser, site_url, built_site):
    context, page, log = open_page(browser)
    page.goto(site_url + "pca/")
    page.wait_for_load_state("load")
    assert not any("/search/" in url for url in log.requests)        # nothing until the reader asks
    page.keyboard.press("/")
    box = page.locator("#search-box")
    assert box.evaluate("b => b === document.activeElement")
    box.type("eigenvector")
    results = page.locator("[data-results] li a")
    wait_for(page, lambda: results.count() > 0, 20_000)
    assert any("Glossary" in t for t in results.all_inner_texts()), results.all_inner_texts()
    assert page.locator("[data-results] mark").count() > 0
    assert page.locator("[data-search-status]").inner_text().endswith(("found.", "shown."))
    # Every glossary term and every demo's title finds the page that holds it.
    url = box.evaluate("() => document.querySelector('form[data-search]').dataset.search")
    found = page.evaluate("""async ([url, queries]) => {
        const pagefind = await import(new URL(url, document.baseURI).href);
        const out = {};
        for (const q of queries) {
            const r = await pagefind.search(q);
            out[q] = await Promise.all(r.results.slice(0, 10).map(async (x) => (await x.data()).url));
        }
        return out;
    }""", [url, glossary_terms(built_site) + [d.title for d in registered_demos().values()]])
    for term in glossary_terms(built_site):
        assert any(u.endswith("/glossary/") for u in found[term]), (term, found[term])
    for demo in registered_demos().values():
        assert found[demo.title], demo.title
    box.press("Escape")
    wait_for(page, lambda: results.count() == 0)
    context.close()
    assert log.problems == [] and log.blocked == []


def test_every_page_has_a_social_card_of_its_own(built_site):
    from PIL import Image
    seen = {}
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)">', html)
        assert image and re.search(r'<meta name="twitter:image" content="%s">' % re.escape(image.group(1)), html), page
        path = image.group(1).split("/", 3)[3]           # absolute URL -> site path
        with Image.open(built_site / path) as card:
            assert card.size == (1200, 630)
        seen[page.relative_to(built_site).as_posix()] = path
    chapters = [p for p in seen if p.count("/") == 1 and p not in ("all/index.html",)]
    assert len({seen[p] for p in chapters}) == len(chapters)          # one card per chapter and page
    lists = precache_list((built_site / "sw.js").read_text(encoding="utf-8"))
    assert not any("cards/" in url for url, _ in lists["shell"])      # not part of the offline copy


def test_indexing_writes_nothing_outside_the_build(tmp_path, monkeypatch):
    """Pagefind's Python API writes its index into the working directory when an index is
    closed as a context manager; the build keeps the files in memory instead."""
    from site_builder.search import search_files
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    page = b"<html lang='en'><body><main><h1>Kernels</h1><p>The Gram matrix of a kernel.</p></main></body></html>"
    files = search_files({"/kernels/": page}, "en", tmp_path / "cache")
    assert "pagefind.js" in files and any(p.endswith(".pf_fragment") for p in files)
    assert list(work.iterdir()) == []
    assert search_files({"/kernels/": page}, "en", tmp_path / "cache") == files      # cached
