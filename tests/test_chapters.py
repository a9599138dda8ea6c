"""The article itself: every chapter builds with its headings, embeds and links, meets the
length and structure standard, and every figure it quotes is the manifest's value."""
from __future__ import annotations

import html
import re

import pytest

from conftest import ROOT
from site_builder.build import Builder, Project
from site_builder.chapters import content_environment
from truth_helpers import real_variables

PROJECT = Project.at(ROOT)
_, CHAPTERS, _ = Builder(PROJECT).load()
FIGURE = re.compile(r"\{\{(.*?)\}\}", re.S)
SET = re.compile(r"\{%-?\s*set\b.*?%\}", re.S)


def page_html(built_site, chapter) -> str:
    return (built_site / chapter.slug / "index.html").read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    text = re.sub(r"<math.*?</math>|<[^>]+>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(text))


def test_thirteen_chapters_in_order():
    assert [c.title for c in CHAPTERS] == [
        "The Motivation", "Vectors & Matrices", "Orthogonality", "Blind Source Separation",
        "High-Dimensional Data", "Dimensionality Reduction (PCA)", "The Limits of Linearity", "The Kernel Trick",
        "Neural Networks", "Autoencoders", "Latent-Space Arithmetic", "Deepfakes: the Decoder Swap",
        "Ethics & Detection"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_has_its_headings_and_embeds(built_site, chapter):
    page = page_html(built_site, chapter)
    for heading in re.findall(r"^## (.+)$", chapter.body, re.M):
        plain = re.sub(r"[*`]", "", heading).strip()
        assert re.search(r"<h2[^>]*>" + re.escape(html.escape(plain, quote=False)), page), heading
    for name in chapter.demos:
        assert f'data-demo="{name}"' in page
    for name in chapter.videos:
        assert f'id="video-{name}"' in page and "<track kind=\"captions\"" in page
    assert chapter.demos or chapter.videos or "<img" in page, "every chapter embeds a demo, a video or a figure"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_every_figure_variable_renders_the_manifest_value(built_site, chapter):
    """Every value a `{{ }}` prints, in whichever branch of a verdict the figures choose, is on the page
    (in its text, or in a formula's TeX source, which MathML keeps as an annotation)."""
    raw = page_html(built_site, chapter)
    tex = re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', raw, re.S)
    page = re.sub(r"\s+", " ", visible_text(raw) + " " + " ".join(html.unescape(t) for t in tex))
    printed = []
    env = content_environment()
    env.finalize = lambda value: printed.append(str(value)) or value
    env.from_string(chapter.body).render(**real_variables())
    for value in printed:
        text = visible_text(value).strip()
        assert text and text in page, value


def test_figure_variables_are_used_where_numbers_are_quoted():
    """At least the chapters about models quote their figures through variables."""
    uses = {c.stem: len(FIGURE.findall(c.body)) for c in CHAPTERS}
    assert uses["01-motivation"] >= 3


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_meets_the_standard(built_site, chapter):
    """800–3,600 words as the page counts them, key takeaways, references, no outline left."""
    page = page_html(built_site, chapter)
    words = int(re.search(r"(\d+) words", page).group(1))
    assert 800 <= words <= 3600, words
    headings = re.findall(r"^## (.+)$", chapter.body, re.M)
    assert headings[-1] == "Key takeaways"
    assert re.search(r'<section class="references"><h2 id="references">.*?<li id="ref-', page), \
        "cites its sources ([@key], from content/references.bib)"
    assert "This chapter is an outline" not in chapter.body
    assert chapter.body.count("$") >= 2, "formulas in LaTeX"
