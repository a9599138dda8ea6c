"""`$...$` inline math to MathML at build time, so formulas need no JavaScript.

Display math (`$$ ... $$` on lines of their own) is found by the line-aware BlocksExtension;
this module converts both. Rules for inline math follow Pandoc: the opening `$` must be
followed by a non-space, the closing `$` preceded by one and not followed by a digit,
so "$5 and $10" stays prose. `\\$` is a literal dollar.
"""
from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from ..errors import BuildError

INLINE_MATH = r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=[^\s\\])\$(?!\d)"


def latex_to_mathml(latex: str, display: bool) -> str:
    """MathML for one formula; raises ValueError with latex2mathml's reason on bad input."""
    from latex2mathml.converter import convert   # 80 ms to import: only when a chapter is rendered
    try:
        mathml = convert(latex.strip(), display="block" if display else "inline")
    except Exception as err:  # latex2mathml raises many types; all mean "this LaTeX is wrong"
        raise ValueError(f"cannot typeset ${latex}$: {type(err).__name__}: {err}") from None
    # Keep the source as an annotation: screen readers and copy-paste get the LaTeX.
    annotation = f'<annotation encoding="application/x-tex">{_escape(latex.strip())}</annotation>'
    return re.sub(r"(<math[^>]*>)(.*)(</math>)$",
                  lambda m: f"{m.group(1)}<semantics>{m.group(2)}{annotation}</semantics>{m.group(3)}",
                  mathml, flags=re.S)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class InlineMathProcessor(InlineProcessor):
    def __init__(self, pattern, md, source):
        super().__init__(pattern, md)
        self.source = source

    def handleMatch(self, m, data):
        latex = m.group(1)
        try:
            mathml = latex_to_mathml(latex, display=False)
        except ValueError as err:
            raise BuildError(str(err), self.source.path, self.source.line_of(f"${latex}$")) from None
        return self.md.htmlStash.store(mathml), m.start(0), m.end(0)


class MathExtension(Extension):
    """Needs `source`: an object with `.path` and `.line_of(snippet)` for error messages."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.ESCAPED_CHARS.append("$")
        # After code spans (190) so `$x$` in backticks stays code; before escapes (180) so \{ survives.
        md.inlinePatterns.register(InlineMathProcessor(INLINE_MATH, md, self.source), "math_inline", 185)
