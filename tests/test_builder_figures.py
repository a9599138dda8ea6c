"""Build-time figures and facts: figures/MODULE.py with MODULE.toml beside it, run on CPython,
embedded with ::figure, quoted as {{ facts.MODULE.key }}; every mistake named at its file and line."""
from __future__ import annotations

import textwrap

import pytest

from site_builder.build import Builder, Project
from site_builder.errors import BuildError
from site_builder.registry import load_figures

from conftest import ROOT

PICS = '''
def facts():
    return {"answer": 6 * 7, "share": 0.25}

def dot():
    return {"svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><circle cx="2" cy="2" r="1"/></svg>',
            "alt": "A black dot"}

def broken():
    raise ValueError("no such data")

def wrong():
    return [1, 2]
'''
TOML = '''facts = "facts"

[figure.dot]
function = "dot"

[figure.broken]
function = "broken"

[figure.wrong]
function = "wrong"
'''


@pytest.fixture
def figured(tiny, tmp_path):
    folder = tmp_path / "figs" / "figures"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "pics.py").write_text(PICS)
    (folder / "pics.toml").write_text(TOML)
    tiny.figures = folder
    return tiny


def build(site) -> dict:
    return Builder(Project.at(ROOT, site.content, site.cache, figures=site.figures)).build()


def error_of(site) -> BuildError:
    with pytest.raises(BuildError) as caught:
        build(site)
    return caught.value


def test_a_figure_is_drawn_at_build_time_and_a_fact_is_quoted(figured):
    figured.chapter("01-intro", "The answer is {{ facts.pics.answer }}, a share of "
                    "{{ (facts.pics.share * 100) | round | int }}%.\n\n::figure dot \"One dot.\"\n",
                    front='figures = ["dot"]\n')
    files = build(figured)
    page = files["intro/index.html"].decode()
    assert "The answer is 42, a share of 25%." in page
    assert '<figure class="figure" id="figure-dot">' in page
    assert '<figcaption><span class="figure-number">Figure 1.1</span> One dot.</figcaption>' in page
    svg = next(p for p in files if p.startswith("assets/prerender/figure-dot") and p.endswith(".svg"))
    assert f'src="../{svg}"' in page and 'alt="A black dot"' in page
    assert b"<circle" in files[svg]


def test_unknown_undeclared_and_unembedded_figures_name_the_line(figured):
    path = figured.chapter("01-intro", "Text\n\n::figure nothing\n", front='figures = ["nothing"]\n')
    err = error_of(figured)
    assert (err.path, err.line) == (path, 8) and "unknown figure 'nothing'" in err.message and "dot" in err.message
    figured.chapter("01-intro", "Text\n\n::figure dot\n")
    err = error_of(figured)
    assert "not declared in the front matter" in err.message and err.line == 7
    figured.chapter("01-intro", "No figure.\n", front='figures = ["dot"]\n')
    assert "never embeds it" in error_of(figured).message


def test_a_failing_or_malformed_figure_or_fact_stops_the_build_clearly(figured):
    figured.chapter("01-intro", "::figure broken\n", front='figures = ["broken"]\n')
    err = error_of(figured)
    assert "figure 'broken'" in err.message and "no such data" in err.message
    figured.chapter("01-intro", "::figure wrong\n", front='figures = ["wrong"]\n')
    assert "must return a dict with 'png', 'svg' or 'html'" in error_of(figured).message
    (figured.figures / "pics.py").write_text(PICS.replace('return {"answer"', 'return ["answer"'))
    figured.chapter("01-intro", "{{ facts.pics.answer }}\n")
    assert "facts 'pics'" in error_of(figured).message


def test_only_the_facts_the_prose_quotes_are_computed(figured):
    (figured.figures / "pics.py").write_text(PICS.replace("return {\"answer\"", "raise RuntimeError('ran')\n    return {\"answer\""))
    figured.chapter("01-intro", "No facts here.\n")
    assert "intro/index.html" in build(figured)
    figured.chapter("01-intro", "{{ facts.nothing.x }}\n")
    err = error_of(figured)
    assert err.line == 5 and "nothing" in err.message


def test_the_figures_registry_is_checked(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "a.toml").write_text('facts = "facts"\n')
    with pytest.raises(BuildError) as caught:
        load_figures(folder)
    assert "no a.py beside a.toml" in caught.value.message
    (folder / "a.py").write_text("")
    (folder / "a.toml").write_text('facts = "facts"\ncolour = "red"\n')
    with pytest.raises(BuildError) as caught:
        load_figures(folder)
    assert (caught.value.line, "unknown key 'colour'" in caught.value.message) == (2, True)
    (folder / "a.toml").write_text(textwrap.dedent('''
        [figure.x]
        function = "x"
        size = 3
    '''))
    with pytest.raises(BuildError) as caught:
        load_figures(folder)
    assert "figure 'x': unknown key 'size'" in caught.value.message and caught.value.line == 2
    (folder / "a.toml").write_text('[figure.x]\nfunction = "x"\n')
    (folder / "b.py").write_text("")
    (folder / "b.toml").write_text('[figure.x]\nfunction = "y"\n')
    with pytest.raises(BuildError) as caught:
        load_figures(folder)
    assert "figure 'x' is also defined in figures.a" in caught.value.message
    (folder / "b.toml").write_text('[figure.y]\nfunction = ""\n')
    with pytest.raises(BuildError) as caught:
        load_figures(folder)
    assert "needs a string 'function'" in caught.value.message
    (folder / "b.toml").write_text('[figure.y]\nfunction = "y"\n')
    figures, facts = load_figures(folder)
    assert (figures["x"].function, figures["y"].function, facts) == ("figures.a:x", "figures.b:y", {})
