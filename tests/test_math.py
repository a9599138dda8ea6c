"""Formulas: Temml's MathML (site_builder/typeset.py) set as TeX would set them, fit for the
site's Content-Security-Policy, and rendered by Chromium in the site's math font."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from browser_helpers import open_page
from conftest import ROOT
from site_builder.typeset import MATHML, STYLE_CLASSES, Formula, Typesetter, polish

M = f"{{{MATHML}}}"
MATH = re.compile(r"<math\b.*?</math>", re.S)


@pytest.fixture(scope="module")
def typeset(tmp_path_factory):
    """One Temml process for the module: formula -> MathML (asserting it typesets)."""
    with Typesetter(ROOT / "node_modules", tmp_path_factory.mktemp("math")) as typesetter:
        def convert(latex: str, display: bool = False) -> str:
            [result] = typesetter.typeset("test", [Formula(latex, display)])
            assert not result.error, result.error
            return result.mathml
        yield convert


def tree(mathml: str) -> ET.Element:
    return ET.fromstring(mathml)


def words_in_mo(root: ET.Element) -> list[str]:
    return [mo.text for mo in root.iter(M + "mo") if mo.text and re.fullmatch(r"[A-Za-z]{2,}", mo.text.strip())]


def test_operator_names_are_identifiers_set_as_functions(typeset):
    for latex in (r"\operatorname{var}(x)", r"\operatorname{cov}(X, Y)", r"\max(0, a)", r"\det M", r"\log p",
                  r"\operatorname{proj}_{\mathbf{a}} \mathbf{b}"):
        root = tree(typeset(latex))
        assert not words_in_mo(root), latex
        names = [mi.text for mi in root.iter(M + "mi") if mi.text and len(mi.text) > 1]
        assert names and names[0] in latex, latex
        assert any(mo.text == "\u2061" for mo in root.iter(M + "mo")), latex      # function application
    # no stray space between the name and its parenthesis, a thin one before a letter
    assert '<mi>var</mi><mo>\u2061</mo><mrow><mo form="prefix" stretchy="false">(' in typeset(r"\operatorname{var}(x)")
    assert re.search(r"<mi>cos</mi><mo>\u2061</mo><mspace width=\"0.1667em\"></mspace></mrow><mi>θ</mi>",
                     typeset(r"\cos\theta"))


def test_operator_spacing_follows_tex(typeset):
    # a thin space after a script or a closing parenthesis before an operator name
    assert "</msub><mrow><mspace width=\"0.1667em\"></mspace><mi>cos</mi>" in typeset(r"s_1\cos\varphi")
    assert "</mrow><mrow><mspace width=\"0.1667em\"></mspace><mi>log</mi>" in typeset(r"(1 - y)\log(1 - p)")
    # none after one before a relation or at the end
    assert "<mi>det</mi><mo>\u2061</mo></mrow><mo>=</mo>" in typeset(r"\det = 0")
    assert "mspace" not in typeset(r"\tanh")
    # operators in scripts without space, as in TeX's script style
    sub = tree(typeset(r"\sum_{i=1}^{n} x_{i,j}", display=True))
    script_ops = [mo for mo in sub.iter(M + "mo") if mo.text in ("=", ",")]
    assert script_ops and all(mo.get("lspace") == "0" and mo.get("rspace") == "0" for mo in script_ops)
    assert tree(typeset("a = b")).find(f".//{M}mo").get("lspace") is None      # but not on the line
    # a sign after \bigl( is unary
    assert '<mo form="prefix">−</mo>' in typeset(r"\exp\bigl(-(s_1^2 + s_2^2)/2\bigr)")


def test_display_limits_aligned_equations_and_delimiters(typeset):
    display = tree(typeset(r"\sum_{i=1}^{n} a_i + \min_{\alpha} f + \lim_{n \to \infty} a_n", display=True))
    assert display.find(f".//{M}munderover/{M}mo").text == "∑"
    assert [u[0].text for u in display.iter(M + "munder")] == ["min", "lim"]      # limits under, not beside
    inline = tree(typeset(r"\sum_{i=1}^{n} a_i"))
    assert inline.find(f".//{M}munderover") is None and inline.find(f".//{M}msubsup/{M}mo").text == "∑"  # beside
    aligned = tree(typeset("\\begin{aligned} f(x) &= (x + 1)^2 \\\\ &= x^2 + 2x + 1 \\end{aligned}", display=True))
    rows = aligned.findall(f".//{M}mtable/{M}mtr")
    assert len(rows) == 2
    for row in rows:
        assert [td.get("class", "").split()[0] for td in row] == ["tml-right", "tml-left"]
    stretchy = [mo for mo in tree(typeset(r"\left( \frac{a}{b} \right)")).iter(M + "mo") if mo.text in "()"]
    assert [mo.get("stretchy") for mo in stretchy] == ["true", "true"]
    norm = [mo for mo in tree(typeset(r"\lVert \mathbf{x} \rVert")).iter(M + "mo")]
    assert [(mo.text, mo.get("form")) for mo in norm] == [("‖", "prefix"), ("‖", "postfix")]


def test_each_root_is_classed_by_the_radical_chromium_draws_for_it(typeset):
    """.tml-sqrt-short and .tml-sqrt-medium take back Chromium's gap after a root drawn with the
    base glyph and the first size variant; a taller root is left alone."""
    def size(latex, display=False):
        return tree(typeset(latex, display)).find(f".//{M}msqrt").get("class")
    assert size(r"\sqrt{2}") == size(r"\sqrt{x_i}") == size(r"\sqrt{d/2}") == "tml-sqrt-short"
    assert size(r"\sqrt{\tfrac{1}{4}(a - b)^2 + c_{12}^2}", display=True) == "tml-sqrt-medium"
    assert size(r"\sqrt{\lVert x \rVert^2}") == size(r"\sqrt{\sum_i x_i^2}") == "tml-sqrt-medium"
    assert size(r"\frac{1}{\sqrt{\sum_i x_i^2}}", display=True) == "tml-sqrt-medium"       # a fraction's part
    assert size(r"\sqrt{\textstyle \sum_{i=1}^{n} x_i^2}", display=True) == "tml-sqrt-medium"
    for tall in (r"\sqrt{\sum_{i=1}^{n} x_i^2}", r"\sqrt{\frac{a}{b}}", r"\sqrt{\left( \frac{a}{b} \right)}",
                 r"\sqrt{\begin{matrix} a \\ b \end{matrix}}"):
        assert size(tall, display=True) is None, tall


def test_letters_symbols_and_text(typeset):
    assert "<mi>ℝ</mi>" in typeset(r"\mathbb{R}^n")
    assert "<mi>𝐱</mi>" in typeset(r"\mathbf{x}")                   # math alphabets, not mathvariant
    assert "⊤" in typeset(r"A^\top") and "mathvariant" not in typeset(r"\mathbf{x}^\top")
    assert "<mtext> centred, neither all zero</mtext>" in typeset(r"x \text{ centred, neither all zero}").replace("\xa0", " ")
    assert '<mi mathvariant="normal">Σ</mi>' in typeset(r"\Sigma")              # upright, as in TeX


def test_every_formula_keeps_its_tex_and_no_inline_style(typeset):
    mathml = typeset(r"a < b \quad \hat{x} \quad \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", display=True)
    assert mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics>')
    assert '<annotation encoding="application/x-tex">a &lt; b \\quad' in mathml
    assert not re.search(r"\sstyle=", mathml) and "tml-prc" in mathml and "tml-md0" in mathml


def test_what_cannot_be_typeset_says_why(tmp_path):
    with Typesetter(ROOT / "node_modules", tmp_path) as typesetter:
        bad, unstyled, good = typesetter.typeset("t", [Formula(r"\frac{1}{", False), Formula(r"\color{red}{x}", False),
                                                       Formula("x", False)])
    assert bad.error.startswith("ParseError:") and "expected '}'" in bad.error
    assert "Content-Security-Policy" in unstyled.error
    assert good.mathml and not good.error
    assert not list(tmp_path.iterdir())                # a batch with errors is not cached


def test_a_document_typeset_again_comes_from_the_cache(tmp_path):
    formulas = [Formula("x^2", False), Formula(r"\frac{a}{b}", True)]
    with Typesetter(ROOT / "node_modules", tmp_path) as typesetter:
        first = typesetter.typeset("doc", formulas)
    with Typesetter(ROOT / "node_modules", tmp_path) as typesetter:
        again = typesetter.typeset("doc", formulas)
        assert typesetter._process is None                # no Node started
    assert again == first and len(list(tmp_path.glob("doc.*.json"))) == 1


def test_polish_rejects_what_the_site_cannot_serve():
    with pytest.raises(ValueError, match="well-formed"):
        polish("<math><mi>x</math>")
    with pytest.raises(ValueError, match="annotation"):
        polish(f'<math xmlns="{MATHML}"><mi>x</mi></math>')


# -- the built site ---------------------------------------------------------------------

def site_formulas(built_site) -> list[tuple[str, str]]:
    found = []
    for page in sorted(built_site.rglob("*.html")):
        found += [(str(page.relative_to(built_site)), m) for m in MATH.findall(page.read_text(encoding="utf-8"))]
    return found


def test_every_formula_of_the_site_is_well_formed_mathml_without_stray_words(built_site):
    formulas = site_formulas(built_site)
    assert len(formulas) > 1000
    for page, mathml in formulas:
        root = ET.fromstring(mathml)                         # well-formed XML, in the MathML namespace
        assert root.tag == M + "math", page
        assert root.find(f"{M}semantics/{M}annotation[@encoding='application/x-tex']") is not None, page
        assert not words_in_mo(root), (page, mathml[:200])
        assert not re.search(r"\sstyle=", mathml), page
        assert not any(e.get("mathvariant") not in (None, "normal") for e in root.iter()), page


def test_every_class_in_the_formulas_is_styled(built_site):
    css = next((built_site / "assets").glob("site.*.css")).read_text(encoding="utf-8")
    used = {c for _, m in site_formulas(built_site) for value in re.findall(r'class="([^"]+)"', m)
            for c in value.split()}
    assert used, "no formula has a class"
    unstyled = {c for c in used if not re.search(r"\." + re.escape(c) + r"\b", css)}
    assert not unstyled, sorted(unstyled)
    assert all(re.search(r"\." + re.escape(c) + r"\b", css) for c in set(STYLE_CLASSES.values()) - {""})


# -- in Chromium ------------------------------------------------------------------------

@pytest.mark.browser
def test_chromium_sets_formulas_in_the_math_font_with_roots_and_alignment(browser, site_url):
    context, page, log = open_page(browser)
    page.goto(site_url + "neural-networks/")
    page.evaluate("document.fonts.ready.then(() => true)")
    fonts = page.evaluate("""[...document.querySelectorAll('main math')].filter(m => m.getBoundingClientRect().width)
                             .map(m => getComputedStyle(m).fontFamily)""")
    assert fonts and all(f.startswith('"STIX Two Math"') for f in fonts), set(fonts)
    assert page.evaluate("document.fonts.check('16px \"STIX Two Math\"', '∑')")
    assert "STIX Two Math" in page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    # aligned equations: the relations of every row stand in one column
    columns = page.evaluate("""[...document.querySelectorAll('main .math-display mtable')]
        .filter(t => t.querySelector('mtd.tml-left')).map(t =>
        [...t.querySelectorAll('mtr')].map(r => Math.round(r.children[1].getBoundingClientRect().left)))""")
    assert columns and all(len(set(rows)) == 1 for rows in columns), columns
    # display math is a block, centred in its box
    assert page.evaluate("getComputedStyle(document.querySelector('.math-display math')).display") == "block math"
    page.goto(site_url + "all/")
    page.evaluate("document.fonts.ready.then(() => true)")
    # every radical's box ends with its overbar (Chromium's gap taken back, nothing overlapping),
    # and Chromium draws each one with the base glyph or a size variant, never the assembly
    # (whose top joins the overbar with a step): the roots of the whole article, in em
    roots = page.evaluate("""[...document.querySelectorAll('main msqrt')].filter(s => s.getBoundingClientRect().width).map(s => {
        const right = Math.max(...[...s.children].map(c => c.getBoundingClientRect().right));
        const size = parseFloat(getComputedStyle(s).fontSize);
        return { tex: s.closest('math').querySelector('annotation').textContent,
                 height: s.getBoundingClientRect().height / size,
                 gap: (s.getBoundingClientRect().right + parseFloat(getComputedStyle(s).marginRight) - right) / size }; })""")
    assert len(roots) >= 30, roots
    assert [r for r in roots if not -0.03 < r["gap"] < 0.06] == []
    assert [r for r in roots if r["height"] > 3.1] == []        # the largest variant's box: about 3em
    context.close()
    assert log.problems == []
