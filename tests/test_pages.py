"""Standalone pages (content/pages/, listed in site.toml's `pages`): the FAQ and the glossary.

They build at /NAME/ with the site's layout, sit in every page's menu, the index, the sitemap and
the offline cache, stay out of the reading order and the feed, link to and from chapters with
checked anchors, fail with file:line like chapters do, rebuild alone under `serve`; and the real
FAQ and glossary quote their figures from the manifest and the build."""
from __future__ import annotations

import html
import json
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, SITE
from site_builder.build import Builder
from site_builder.chapters import content_environment
from site_builder.errors import BuildError
from site_builder.output import sync
from truth_helpers import real_variables

GLOSSARY_BODY = """\
Terms, A to Z.

<nav class="glossary-az" aria-label="Terms by letter" markdown="1">
[L](#l) [P](#p)
</nav>

## L

Latent space {#latent-space}
:   The codes. See [chapter one](../chapters/01-one.md#one).

## P

PCA {#pca}
:   Directions of variance, not meaning. See [the FAQ](faq.md#why).
"""
FAQ_BODY = """\
## Why? {#why}

Because. The [latent space](glossary.md#latent-space) explains it, and [chapter two](../chapters/02-two.md).

## How?

Slowly.
"""


def add_page(tiny, name: str, body: str, title: str | None = None, summary: str = "A page summary.",
             front: str = "", listed: bool = True):
    """Write content/pages/NAME.md and (re)write site.toml with `pages` on line 7."""
    folder = tiny.content / "pages"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f'+++\ntitle = "{title or name.title()}"\nsummary = "{summary}"\n{front}+++\n'
                    + textwrap.dedent(body), encoding="utf-8")
    tiny.page_names = getattr(tiny, "page_names", [])
    if listed and name not in tiny.page_names:
        tiny.page_names.append(name)
    write_pages_setting(tiny, tiny.page_names)
    return path


def write_pages_setting(tiny, names) -> None:
    tiny.write_settings("pages = [" + ", ".join(f'"{n}"' for n in names) + "]\n")


def rewrite_chapter(tiny, stem: str, body: str, **kwargs):
    """`tiny.chapter` rewrites site.toml without `pages`: put them back."""
    path = tiny.chapter(stem, body, **kwargs)
    write_pages_setting(tiny, tiny.page_names)
    return path


@pytest.fixture
def site(tiny):
    """Two chapters linking to the glossary, and an FAQ and a glossary linking back."""
    tiny.chapter("01-one", "## One\n\nSee the [latent space](../pages/glossary.md#latent-space).\n")
    tiny.chapter("02-two", "## Two\n\nSecond chapter.\n")
    add_page(tiny, "faq", FAQ_BODY, title="Questions", front='nav = "FAQ"\n')
    add_page(tiny, "glossary", GLOSSARY_BODY, front="toc = false\n")
    return tiny


@pytest.fixture
def files(site):
    return site.build()


def text(files, path) -> str:
    return files[path].decode()


def error_of(tiny) -> BuildError:
    with pytest.raises(BuildError) as caught:
        tiny.build()
    return caught.value


# -- building ------------------------------------------------------------------------------

def test_pages_build_at_their_urls_with_title_and_headings(files):
    faq, glossary = text(files, "faq/index.html"), text(files, "glossary/index.html")
    assert "<h1>Questions</h1>" in faq and "<title>Questions · Test Site</title>" in faq
    assert re.search(r'<h2 id="why">Why\?', faq) and re.search(r'<h2 id="how">How\?', faq)
    assert 'aria-label="On this page"' in faq                        # contents box by default
    assert "<h1>Glossary</h1>" in glossary and 'aria-label="On this page"' not in glossary   # toc = false
    assert '<dt id="latent-space">Latent space</dt>' in glossary and '<dt id="pca">PCA</dt>' in glossary
    assert '<nav aria-label="Terms by letter" class="glossary-az">' in glossary
    assert '<link rel="canonical" href="https://example.org/blog/faq/">' in faq


def test_pages_are_in_the_menu_of_every_page_and_on_the_index(files):
    pages = [p for p in files if p.endswith(".html")]
    assert {"index.html", "404.html", "all/index.html", "one/index.html", "faq/index.html"} <= set(pages)
    for path in pages:
        menu = re.search(r'<nav aria-label="Site">(.*?)</nav>', text(files, path), re.S).group(1)
        prefix = "/blog/" if path == "404.html" else "../" * path.count("/")
        assert f'<a href="{prefix}faq/"' in menu and ">FAQ</a>" in menu, path      # the `nav` label
        assert f'<a href="{prefix}glossary/"' in menu and ">Glossary</a>" in menu, path
        footer = re.search(r'<footer class="site-footer">(.*?)</footer>', text(files, path), re.S).group(1)
        assert f'href="{prefix}faq/"' in footer and f'href="{prefix}glossary/"' in footer, path
    assert 'href="../faq/" aria-current="page"' in text(files, "faq/index.html")
    assert 'aria-current="page"' not in re.search(r'<nav aria-label="Site">.*?</nav>',
                                                  text(files, "one/index.html"), re.S).group(0)
    index = text(files, "index.html")
    reference = index[index.index('id="reference"'):]
    assert 'href="faq/"' in reference and "A page summary." in reference and 'href="glossary/"' in reference


def test_pages_are_in_the_sitemap_and_offline_cache_not_in_the_feed_or_reading_order(files):
    urls = [e.text for e in ET.fromstring(files["sitemap.xml"]).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/blog/faq/" in urls and "https://example.org/blog/glossary/" in urls
    feed = ET.fromstring(files["feed.xml"])
    ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert "https://example.org/blog/one/" in ids and not any("faq" in i or "glossary" in i for i in ids)
    assert '"faq/"' in text(files, "sw.js") and '"glossary/"' in text(files, "sw.js")
    for path in ("faq/index.html", "glossary/index.html"):
        assert 'rel="prev"' not in text(files, path) and 'rel="next"' not in text(files, path)
        assert "Chapter" not in re.search(r'<p class="kicker">(.*?)</p>', text(files, path)).group(1)
    last = text(files, "two/index.html")
    assert 'rel="next"' not in last, "the last chapter has no next page, not the FAQ"
    assert "Chapter 2 of 2" in last and "Chapter 1 of 2" in text(files, "one/index.html")
    everything = text(files, "all/index.html")
    assert "Second chapter." in everything and "Slowly." not in everything and "Directions of variance" not in everything
    assert "2 chapters" in text(files, "index.html")


def test_links_between_chapters_and_pages_are_rewritten(files):
    chapter, faq, glossary = text(files, "one/index.html"), text(files, "faq/index.html"), text(files, "glossary/index.html")
    assert 'href="../glossary/#latent-space"' in chapter
    assert 'href="../glossary/#latent-space"' in faq and 'href="../two/"' in faq
    assert 'href="../one/#one"' in glossary and 'href="../faq/#why"' in glossary and 'href="#l"' in glossary
    # The read-it-all page keeps links to pages as links, and they still resolve from /all/.
    assert 'href="../glossary/#latent-space"' in text(files, "all/index.html")


def test_a_page_may_embed_a_demo_and_then_starts_python(site):
    add_page(site, "faq", "## Why? {#why}\n\nTry it:\n\n::demo python-scratchpad\n",
             front='demos = ["python-scratchpad"]\n')
    files = site.build()
    faq = text(files, "faq/index.html")
    assert 'data-demo="python-scratchpad"' in faq and "data-runtime-config" in faq
    assert "data-runtime-config" not in text(files, "glossary/index.html")


# -- errors --------------------------------------------------------------------------------

def test_broken_links_to_and_from_pages_name_file_and_line(site):
    path = rewrite_chapter(site, "02-two", "## Two\n\nSee [pca](../pages/glossary.md#pcaa).\n")
    err = error_of(site)
    assert (err.path, err.line) == (path, 7) and "no such anchor" in err.message and "did you mean #pca" in err.message
    rewrite_chapter(site, "02-two", "## Two\n")
    glossary = add_page(site, "glossary", GLOSSARY_BODY.replace("01-one.md#one", "01-one.md#nowhere"))
    err = error_of(site)
    assert err.path == glossary and err.line == 14 and "01-one.md#nowhere: no such anchor" in err.message
    add_page(site, "glossary", GLOSSARY_BODY.replace("../chapters/01-one.md", "../chapters/07-gone.md"))
    err = error_of(site)
    assert err.path == glossary and err.line == 14 and "no such chapter or page" in err.message


def test_a_link_with_the_wrong_relative_path_suggests_the_right_one(site):
    path = rewrite_chapter(site, "02-two", "## Two\n\nSee [the glossary](glossary.md#pca).\n")
    err = error_of(site)
    assert (err.path, err.line) == (path, 7) and "did you mean ../pages/glossary.md?" in err.message
    rewrite_chapter(site, "02-two", "## Two\n")
    faq = add_page(site, "faq", "See [one](01-one.md).\n")
    err = error_of(site)
    assert (err.path, err.line) == (faq, 5) and "did you mean ../chapters/01-one.md?" in err.message


def test_a_listed_page_without_a_file_names_the_settings_line(site):
    (site.content / "pages" / "glossary.md").unlink()
    err = error_of(site)
    assert err.path.name == "site.toml" and err.line == 7
    assert "page 'glossary' is listed" in err.message and "does not exist" in err.message


def test_an_unlisted_page_file_is_an_error_naming_the_file(site):
    stray = add_page(site, "stray", "Not listed.\n", listed=False)
    err = error_of(site)
    assert err.path == stray and "not listed in site.toml's 'pages'" in err.message and '"stray"' in err.message


def test_a_page_cannot_take_a_chapters_url(site):
    add_page(site, "one", "Clash.\n")
    err = error_of(site)
    assert err.path.name == "site.toml" and err.line == 7
    assert "page 'one' would be published at /one/, the URL of chapter 01-one.md" in err.message


@pytest.mark.parametrize("setting, problem", [
    ('pages = ["FAQ"]', "lowercase letters"),
    ('pages = ["01-faq"]', "starting with a letter"),
    ('pages = "faq"', "'pages' must be a list"),
    ('pages = ["all"]', "reserved"),
    ('pages = ["search"]', "reserved"),          # the search index's folder
    ('pages = ["faq", "faq"]', "listed twice"),
])
def test_bad_pages_settings_name_the_line(site, setting, problem):
    site.write_settings(setting + "\n")
    err = error_of(site)
    assert err.path.name == "site.toml" and err.line == 7 and problem in err.message, err


def test_bad_page_front_matter_names_file_and_line(site):
    path = add_page(site, "faq", "Body.\n", front='demos = ["a"\n')
    err = error_of(site)
    assert (err.path, err.line) == (path, 4) and "malformed front matter" in err.message
    path = add_page(site, "faq", "Body.\n", front='colour = "red"\n')
    err = error_of(site)
    assert (err.path, err.line) == (path, 4) and "unknown front matter key 'colour'" in err.message
    path = add_page(site, "faq", "Body.\n", front="toc = 3\n")
    err = error_of(site)
    assert (err.path, err.line) == (path, 4) and "'toc' has the wrong type" in err.message
    path = add_page(site, "faq", "Fine\n\nThe error is {{ models['nope'].test_mse }}.\n")
    err = error_of(site)
    assert (err.path, err.line) == (path, 7) and "figure variable" in err.message


def test_nav_is_a_page_only_front_matter_key(site):
    path = rewrite_chapter(site, "02-two", "## Two\n", front='nav = "Two"\n')
    err = error_of(site)
    assert (err.path, err.line) == (path, 4) and "unknown front matter key 'nav'" in err.message


# -- serve ---------------------------------------------------------------------------------

def test_editing_a_page_rerenders_only_that_page(site, tmp_path, renders):
    builder = Builder(site.project)
    out = tmp_path / "out"
    first = builder.build()
    sync(first, out, None)
    assert sorted(renders) == ["01-one", "02-two", "faq", "glossary"]
    renders.clear()

    add_page(site, "faq", FAQ_BODY.replace("Slowly.", "Slowly, edited."), title="Questions", front='nav = "FAQ"\n')
    second = builder.build()
    changed = sync(second, out, first)
    assert renders == ["faq"]
    assert "faq/index.html" in changed and "one/index.html" not in changed and "glossary/index.html" not in changed
    assert "Slowly, edited." in (out / "faq" / "index.html").read_text()


def test_removing_a_linked_page_under_serve_is_a_clear_error(site):
    """The chapter linking to the glossary comes from the render cache; its link is still checked."""
    builder = Builder(site.project)
    builder.build()
    (site.content / "pages" / "glossary.md").unlink()
    site.page_names.remove("glossary")
    add_page(site, "faq", "No links.\n")
    with pytest.raises(BuildError) as caught:
        builder.build()
    assert caught.value.path.name == "01-one.md" and caught.value.line == 7
    assert "no such chapter or page" in caught.value.message


# -- the real FAQ and glossary -------------------------------------------------------------

FIGURE = re.compile(r"\{\{(.*?)\}\}", re.S)


def visible_text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<math.*?</math>|<[^>]+>", " ", markup, flags=re.S)))


def measured_download(built_site) -> dict:
    """What the reader downloads to run the demos, measured on the built files."""
    size = lambda files: sum(f.stat().st_size for f in files if f.is_file())
    sizes = {"pyodide": size((built_site / "assets" / "pyodide").rglob("*")),
             "py_runtime": size((built_site / "assets" / "py").rglob("*.whl")),
             "weights": size((built_site / "assets" / "weights").rglob("*")),
             "snapshot": size((built_site / "assets" / "py").glob("python-snapshot.*.bin"))}
    return {**sizes, "total": sum(sizes.values())}


@pytest.mark.parametrize("name", ["faq", "glossary"])
def test_every_figure_variable_renders_the_manifest_or_build_value(built_site, name):
    body = (ROOT / "content" / "pages" / f"{name}.md").read_text(encoding="utf-8").split("+++", 2)[2]
    page = visible_text((built_site / name / "index.html").read_text(encoding="utf-8"))
    manifest = json.loads((ROOT / "weights" / "manifest.json").read_text(encoding="utf-8"))
    download = measured_download(built_site)
    assert download["pyodide"] > 1_000_000 and download["weights"] > 100_000
    assert len(FIGURE.findall(body)) >= (8 if name == "faq" else 2)
    # Every value a `{{ }}` prints, in whichever branch of a verdict the figures choose, is on the page;
    # the download sizes are the built site's own, measured on its files.
    printed = []
    env = content_environment()
    env.finalize = lambda value: printed.append(str(value)) or value
    env.from_string(body).render(**{**real_variables(), "models": manifest["models"], "manifest": manifest,
                                    "download": download})
    for value in printed:
        text = visible_text(value).strip()
        assert text and text in page, value
    if name == "faq":
        assert "download.pyodide" in body and "download.total" in body
        assert re.search(r"\b\d+\.\d MB at most", page)


def test_the_faq_answers_its_questions_with_links_to_chapters(built_site):
    page = (built_site / "faq" / "index.html").read_text(encoding="utf-8")
    prose = page[page.index('<div class="prose">'):page.index("</article>")]
    questions = re.findall(r"<h2 id=\"([^\"]+)\">(.*?)<a class=\"anchor\"", prose)
    assert 8 <= len(questions) <= 12
    for (anchor, question), answer in zip(questions, re.split(r"<h2 id=", prose)[1:]):
        assert question.strip().endswith("?"), question
        assert 20 <= len(visible_text(answer).split()) <= 160, (question, len(visible_text(answer).split()))
    answers = re.split(r"<h2 id=", prose)[1:]
    linked = [a for a in answers if re.search(r'href="\.\./(?!glossary/)[a-z0-9-]+/', a)]
    assert len(linked) >= 2 * len(answers) / 3, "most answers link to the chapter that explains more"
    assert len(set(re.findall(r'href="\.\./([a-z0-9-]+)/', prose)) - {"glossary"}) >= 6, "links to many chapters"


def test_the_glossary_is_alphabetical_with_unique_anchors_and_checked_links(built_site):
    page = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    prose = page[page.index('<div class="prose">'):page.index("</article>")]
    terms = re.findall(r'<dt id="([^"]+)">(.*?)</dt>', prose)
    assert 30 <= len(terms) <= 80, len(terms)
    names = [html.unescape(t) for _, t in terms]
    assert names == sorted(names, key=str.casefold), "alphabetical"
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    for wanted in ("latent-space", "pca", "ica", "ssim", "slerp", "decoder-swap", "c2pa", "manifold", "whitening"):
        assert wanted in dict(terms), wanted
    letters = re.findall(r'<h2 id="([a-z])">', prose)
    assert letters == sorted({name[0].lower() for name in names})
    jump = re.search(r'<nav aria-label="Terms by letter" class="glossary-az">(.*?)</nav>', prose, re.S).group(1)
    assert re.findall(r'href="#([a-z])"', jump) == letters
    chapter_slugs = {p.parent.name for p in built_site.glob("*/index.html")} - {"all", "faq", "glossary"}
    for definition in re.findall(r"<dd>(.*?)</dd>", prose, re.S):
        links = re.findall(r'href="\.\./([a-z0-9-]+)/(?:#([^"]*))?"', definition)
        assert any(slug in chapter_slugs for slug, _ in links), f"no link to a chapter: {definition[:80]}"
        for slug, anchor in links:
            target = (built_site / slug / "index.html").read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in target, (slug, anchor)
        for anchor in re.findall(r'href="#([^"]+)"', definition):
            assert anchor in ids, anchor
        sentences = len(re.findall(r"[.!?](?:\s|$)", visible_text(definition).replace("e.g.", "")))
        assert sentences <= 4, definition[:80]


def test_the_real_site_links_pages_everywhere(built_site):
    for page in built_site.rglob("*.html"):
        markup = page.read_text(encoding="utf-8")
        menu = re.search(r'<nav aria-label="Site">(.*?)</nav>', markup, re.S).group(1)
        assert "faq/" in menu and "glossary/" in menu, page
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/faq/</loc>" in sitemap and "/glossary/</loc>" in sitemap
    feed = ET.fromstring((built_site / "feed.xml").read_bytes())
    entries = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")][1:]
    assert len(entries) == len(SITE.chapters) and not any(e.endswith(("/faq/", "/glossary/")) for e in entries)
    assert '"glossary/"' in (built_site / "sw.js").read_text(encoding="utf-8")
    assert 'href="../glossary/#autoencoder"' in (built_site / "motivation" / "index.html").read_text(encoding="utf-8")
