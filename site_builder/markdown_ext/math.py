"""`$...$` inline math to MathML at build time, so formulas need no JavaScript.

Display math (`$$ ... $$` on lines of their own) is found by the line-aware BlocksExtension,
which hands it to this one. Rules for inline math follow Pandoc: the opening `$` must be
followed by a non-space, the closing `$` preceded by one and not followed by a digit,
so "$5 and $10" stays prose. `\\$` is a literal dollar.

A document's formulas are typeset together, once Markdown has found them all: each is
stashed as a placeholder (its TeX, so the table of contents reads a formula in a heading as
its source), and a postprocessor hands the lot to `typeset` (site_builder/typeset.py: Temml,
in one Node process per build) and puts the MathML in the placeholders' place. A formula
Temml cannot typeset is a BuildError naming the file and the formula's line.
"""
from __future__ import annotations

from typing import Callable

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor

from ..errors import BuildError
from ..typeset import Formula, Typeset

INLINE_MATH = r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=[^\s\\])\$(?!\d)"

TypesetDocument = Callable[[str, list[Formula]], list[Typeset]]    # (document's stem, formulas) -> results


class InlineMathProcessor(InlineProcessor):
    def __init__(self, pattern, md, math: "MathExtension"):
        super().__init__(pattern, md)
        self.math = math

    def handleMatch(self, m, data):
        return self.math.formula(self.md, m.group(1), display=False), m.start(0), m.end(0)


class TypesetPostprocessor(Postprocessor):
    """Before the stash is put back into the HTML: every placeholder becomes its MathML."""

    def __init__(self, md, math: "MathExtension"):
        super().__init__(md)
        self.math = math

    def run(self, text):
        self.math.typeset_pending(self.md)
        return text


class MathExtension(Extension):
    """Needs `source` (an object with `.path`, `.stem` and `.line_of(snippet)`, for the cache and
    error messages) and `typeset`, which turns a document's formulas into MathML."""

    def __init__(self, source, typeset: TypesetDocument, **kwargs):
        self.source = source
        self.typeset = typeset
        self.pending: list[tuple[int, Formula, int | None]] = []     # (stash index, formula, line)
        super().__init__(**kwargs)

    def formula(self, md, latex: str, display: bool, line: int | None = None) -> str:
        """A placeholder for this formula (the stash's); filled in once the document is read."""
        latex = latex.strip()
        placeholder = md.htmlStash.store(f"<math>{_escape(latex)}</math>")
        self.pending.append((md.htmlStash.html_counter - 1, Formula(latex, display), line))
        return placeholder

    def typeset_pending(self, md) -> None:
        pending, self.pending = self.pending, []
        results = self.typeset(self.source.stem, [formula for _, formula, _ in pending])
        failed = []
        for (index, formula, line), result in zip(pending, results):
            if result.error:
                delimiter = "$$" if formula.display else "$"
                line = line or self.source.line_of(f"${formula.latex}$") or self.source.line_of(formula.latex)
                failed.append((line or 0, f"cannot typeset {delimiter}{formula.latex}{delimiter}: {result.error}"))
            elif formula.display:
                md.htmlStash.rawHtmlBlocks[index] = f'<div class="math-display">{result.mathml}</div>'
            else:
                md.htmlStash.rawHtmlBlocks[index] = result.mathml
        if failed:
            line, message = min(failed, key=lambda f: f[0] or float("inf"))
            raise BuildError(message, self.source.path, line or None)

    def extendMarkdown(self, md):
        md.ESCAPED_CHARS.append("$")
        # After code spans (190) so `$x$` in backticks stays code; before escapes (180) so \{ survives.
        md.inlinePatterns.register(InlineMathProcessor(INLINE_MATH, md, self), "math_inline", 185)
        # Before the stash is put back (raw_html, 30).
        md.postprocessors.register(TypesetPostprocessor(md, self), "math_typeset", 35)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
