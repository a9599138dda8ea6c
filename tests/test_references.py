"""References from content/references.bib: `[@key]` citations numbered per chapter in reading
order with a card and a list at the end, one combined list on the read-it-all page, errors at
file:line (unknown key, malformed or repeated entry), a warning for an entry nobody cites;
and footnotes set again as sidenotes beside the line that cites them."""
from __future__ import annotations

import re

import pytest

from site_builder.errors import BuildError

BIB = r"""% The article's references.
@article{wang2004ssim,
  author  = {Wang, Zhou and Bovik, Alan C. and Sheikh, Hamid R. and Simoncelli, Eero P.},
  title   = {Image Quality Assessment: From Error Visibility to Structural Similarity},
  journal = {IEEE Transactions on Image Processing},
  volume  = {13}, number = {4}, pages = {600--612}, year = {2004},
  doi     = {10.1109/TIP.2003.819861},
}

@book{strang2023,
  author    = {Strang, Gilbert},
  title     = {Introduction to Linear Algebra},
  edition   = {6th},
  publisher = {Wellesley-Cambridge Press},
  year      = {2023},
}

@misc{perov2020dfl,
  author = {Perov, Ivan and Gao, Daiheng and others},
  title  = {{DeepFaceLab}: Integrated, flexible and extensible face-swapping framework},
  year   = {2020}, eprint = {2005.05535}, archiveprefix = {arXiv},
}
"""


def write_bib(tiny, text=BIB):
    path = tiny.content / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


def chapter_html(files, slug):
    return files[f"{slug}/index.html"].decode()


def test_citations_are_numbered_in_reading_order_with_cards_and_a_list(tiny):
    write_bib(tiny)
    tiny.chapter("01-one", "Text [@strang2023, ch. 4] then [@wang2004ssim; @strang2023] and [@wang2004ssim].\n")
    tiny.chapter("02-two", "Only [@perov2020dfl] here, then [@wang2004ssim].\n")
    warnings = []
    files = tiny.build(warn=warnings.append)
    one = chapter_html(files, "one")
    numbers = re.findall(r'data-cite="([^"]+)" href="#ref-\1">(\d+)</a>', one)
    assert numbers == [("strang2023", "1"), ("wang2004ssim", "2"), ("strang2023", "1"), ("wang2004ssim", "2")]
    assert ", ch. 4]" in one
    # each link's description is its entry in the list (which site.js also shows as a card)
    described = re.findall(r'aria-describedby="([^"]+)" class="cite-link" data-cite="([^"]+)"', one)
    assert described and all(ref == f"ref-{key}" for ref, key in described)
    assert "Gilbert Strang. <em>Introduction to Linear Algebra</em>. Wellesley-Cambridge Press, 6th edition, 2023." in one
    assert "cite-card" not in one                           # each reference is on the page once
    # the list: numbered entries with pybtex's links, as a section in the contents
    listed = re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', one)
    assert listed == [("strang2023", "1"), ("wang2004ssim", "2")]
    assert 'href="https://doi.org/10.1109/TIP.2003.819861"' in one
    assert 'href="#references"' in one                      # in the chapter's contents
    two = chapter_html(files, "two")
    assert re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', two) == [("perov2020dfl", "1"), ("wang2004ssim", "2")]
    assert "Ivan Perov, Daiheng Gao, et al." in two
    # the read-it-all page: one sequence, one list, no chapter lists
    whole = files["all/index.html"].decode()
    assert re.findall(r'data-cite="([^"]+)" href="#ref-\1">(\d+)</a>', whole) == [
        ("strang2023", "1"), ("wang2004ssim", "2"), ("strang2023", "1"), ("wang2004ssim", "2"),
        ("perov2020dfl", "3"), ("wang2004ssim", "2")]
    assert re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', whole) == [
        ("strang2023", "1"), ("wang2004ssim", "2"), ("perov2020dfl", "3")]
    assert whole.count('class="references"') == 1
    for ref in re.findall(r'aria-describedby="([^"]+)"', whole):
        assert f'id="{ref}"' in whole
    assert warnings == []


def test_an_unknown_key_is_an_error_at_its_line(tiny):
    write_bib(tiny)
    path = tiny.chapter("01-one", "Fine [@strang2023].\n\nBut [@wang2004sim, p. 3] is a typo.\n")
    with pytest.raises(BuildError) as caught:
        tiny.build()
    assert caught.value.path == path and caught.value.line == 7
    assert "no entry 'wang2004sim'" in caught.value.message and "did you mean @wang2004ssim" in caught.value.message


def test_citing_without_a_bibliography_says_so(tiny):
    path = tiny.chapter("01-one", "Text [@strang2023].\n")
    with pytest.raises(BuildError) as caught:
        tiny.build()
    assert caught.value.path == path and "no content/references.bib" in caught.value.message


def test_a_malformed_bib_file_is_an_error_at_its_line(tiny):
    bib = write_bib(tiny, BIB.replace("  year      = {2023},\n}", "  year      = {2023},\n"))
    tiny.chapter("01-one", "Text [@strang2023].\n")
    with pytest.raises(BuildError) as caught:
        tiny.build()
    assert caught.value.path == bib and caught.value.line is not None and caught.value.line >= 16
    assert caught.value.message.startswith("BibTeX: syntax error")


def test_a_repeated_entry_is_an_error_at_its_line(tiny):
    bib = write_bib(tiny, BIB + "\n@book{strang2023, title = {Again}, year = {2016}}\n")
    tiny.chapter("01-one", "Text [@strang2023].\n")
    with pytest.raises(BuildError) as caught:
        tiny.build()
    first = BIB.count("\n", 0, BIB.index("@book{strang2023")) + 1
    assert caught.value.path == bib and caught.value.line == BIB.count("\n") + 2
    assert caught.value.message == f"BibTeX: repeated bibliography entry: strang2023 (first at line {first})"


def test_an_entry_nobody_cites_is_a_warning_at_its_line(tiny):
    bib = write_bib(tiny)
    tiny.chapter("01-one", "Text [@strang2023] and [@wang2004ssim].\n")
    warnings = []
    tiny.build(warn=warnings.append)
    line = BIB.count("\n", 0, BIB.index("@misc{perov2020dfl")) + 1
    assert warnings == [f"{bib}:{line}: reference 'perov2020dfl' is cited nowhere"]


def test_brackets_that_are_not_citations_are_left_alone(tiny):
    write_bib(tiny)
    tiny.chapter("01-one", "A [link](https://example.org), [@ alone], mail [me@example.org] and [x @y].\n\n"
                           "Cited [@strang2023].\n")
    one = chapter_html(tiny.build(), "one")
    assert "[@ alone]" in one and "[me@example.org]" in one and "[x @y]" in one
    assert one.count('class="cite-link"') == 1


def test_footnotes_are_also_set_as_sidenotes_beside_their_line(tiny):
    write_bib(tiny)
    tiny.chapter("01-one", "A claim.[^why] Another.[^list]\n\n"
                           "[^why]: Because of [@strang2023], and *more*.\n"
                           "[^list]: A note with a list:\n\n    - one\n    - two\n")
    one = chapter_html(tiny.build(), "one")
    side = re.search(r'<sup id="fnref:why">.*?</sup><span class="sidenote" id="sn:why">(.*?)</span> Another', one)
    assert side, one
    assert '<span class="sidenote-number">1</span>' in side.group(1)
    assert "Because of" in side.group(1) and "<em>more</em>" in side.group(1)
    assert "footnote-backref" not in side.group(1) and "&#160;" not in side.group(1)
    assert 'id="sn:list"' not in one                         # a list cannot sit in a line: the end list only
    assert '<li class="in-margin" id="fn:why">' in one and '<li id="fn:list">' in one
    assert "all-in-margin" not in one
    # no id twice, although the note is on the page twice
    ids = re.findall(r'\sid="([^"]+)"', one)
    assert len(ids) == len(set(ids))


def test_figures_are_numbered_and_cross_references_resolve(tiny):
    (tiny.content / "images" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    tiny.chapter("01-one", "Intro.\n")
    tiny.chapter("02-two", 'See [@fig:pic], then [@fig:pic] again.\n\n'
                           '![A square, drawn](../images/pic.svg "The picture")\n\nAnd inline ![x](../images/pic.svg "t") stays.\n')
    two = chapter_html(tiny.build(), "two")
    assert re.search(r'<figure class="figure image" id="figure-pic"><img alt="A square, drawn" [^>]*>'
                     r'<figcaption><span class="figure-number">Figure 2.1</span> The picture</figcaption></figure>', two), two
    assert two.count('<a class="xref" href="#figure-pic">Figure 2.1</a>') == 2
    assert two.count("<figure") == 1                       # an image inside a sentence is not a figure
    whole = tiny.build()["all/index.html"].decode()
    assert '<a class="xref" href="#two--figure-pic">Figure 2.1</a>' in whole and 'id="two--figure-pic"' in whole


def test_an_unknown_figure_label_is_an_error_at_its_line(tiny):
    (tiny.content / "images" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    path = tiny.chapter("01-one", 'Intro.\n\n![A square](../images/pic.svg "The picture")\n\nSee [@fig:pix].\n')
    with pytest.raises(BuildError) as caught:
        tiny.build()
    assert caught.value.path == path and caught.value.line == 9
    assert "no figure 'pix' (figures here: pic)" in caught.value.message


def test_an_image_figure_needs_a_caption(tiny):
    (tiny.content / "images" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    path = tiny.chapter("01-one", "Intro.\n\n![A square](../images/pic.svg)\n")
    with pytest.raises(BuildError) as caught:
        tiny.build()
    assert caught.value.path == path and caught.value.line == 7 and "needs a caption" in caught.value.message


def test_every_figure_of_the_article_is_numbered_in_order(built_site):
    from conftest import ROOT
    from site_builder.config import load_site
    from site_builder.content import load_chapters
    site = load_site(ROOT / "content" / "site.toml")
    for chapter in load_chapters(site, ROOT / "content" / "chapters"):
        html = (built_site / chapter.slug / "index.html").read_text(encoding="utf-8")
        numbers = re.findall(r'<span class="figure-number">Figure (\d+)\.(\d+)</span>', html)
        embeds = len(chapter.demos) + len(chapter.videos) + len(chapter.figures)
        assert len(numbers) >= embeds, chapter.stem
        assert numbers == [(str(chapter.number), str(i)) for i in range(1, len(numbers) + 1)], chapter.stem
        assert 'data-figure="' not in html and 'data-xref="' not in html      # every slot filled


@pytest.mark.browser
def test_a_citation_shows_its_reference_on_focus_and_hover(browser, site_url):
    from browser_helpers import open_page
    context, page, log = open_page(browser, viewport={"width": 1000, "height": 800})
    page.goto(site_url + "pca/")
    link = page.locator(".prose .cite-link").first
    entry = page.locator(link.get_attribute("href")).inner_text()
    assert page.locator(".cite-card").count() == 0
    link.focus()
    card = page.locator(".cite-card").first
    assert card.is_visible() and card.inner_text() == entry
    assert entry.startswith("Karl Pearson")
    page.keyboard.press("Tab")                               # focus moves on: the card goes
    assert not card.is_visible()
    page.locator(".prose .cite-link").nth(1).hover()
    assert page.locator(".prose .cite-link").nth(1).locator("xpath=following-sibling::span[1]").is_visible()
    # without the card the link still says what it cites, to a screen reader
    assert link.get_attribute("aria-describedby") == link.get_attribute("href")[1:]
    context.close()
    assert log.problems == []


def test_the_formatted_bibliography_is_cached_by_the_file(tmp_path):
    from site_builder.references import load_bibliography
    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_bibliography(bib, cache)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert load_bibliography(bib, cache) == first
    bib.write_text(BIB.replace("{2023}", "{2024}"), encoding="utf-8")
    changed = load_bibliography(bib, cache)
    assert "2024" in changed.references["strang2023"].text and len(list(cache.glob("*.pickle"))) == 1
