"""Line-aware block syntax: embed directives and display math, outside fenced code.

    ::demo matrix-transform
    ::video matrix-plane "The plane bends under a matrix"
    ::figure swap-example "One face through the shared encoder and the other decoder"

    $$
    \\mathbf{x}' = A\\mathbf{x}
    $$

Runs as a preprocessor on the raw lines, so every error names the line the author wrote.
The rendered HTML is stashed, so Markdown leaves it alone.
"""
from __future__ import annotations

import re
import shlex

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ..errors import BuildError

DIRECTIVE = re.compile(r"^::(?P<kind>[A-Za-z][\w-]*)(?:\s+(?P<args>.*?))?\s*$")
KINDS = ("demo", "video", "figure")
FENCE_OPEN = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")


class BlocksPreprocessor(Preprocessor):
    def __init__(self, md, source, embed, math):
        super().__init__(md)
        self.source = source
        self.embed = embed        # callable(kind, name, caption, line) -> html, raises BuildError
        self.math = math          # the MathExtension, which typesets display math with the inline

    def run(self, lines):
        out, fence, math_lines, math_start = [], None, None, 0
        for index, line in enumerate(lines):
            lineno = self.source.first_line + index
            if math_lines is not None:                        # inside $$ ... $$
                if line.strip() == "$$":
                    out += self._block("math", "\n".join(math_lines), math_start)
                    math_lines = None
                else:
                    math_lines.append(line)
                continue
            if fence:                                          # inside ``` ... ```
                if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                    fence = None
                out.append(line)
                continue
            if opened := FENCE_OPEN.match(line):
                fence = opened.group("fence")
                out.append(line)
                continue
            stripped = line.strip()
            if stripped == "$$":
                math_lines, math_start = [], lineno
                continue
            if len(stripped) > 4 and stripped.startswith("$$") and stripped.endswith("$$"):
                out += self._block("math", stripped[2:-2], lineno)
                continue
            if directive := DIRECTIVE.match(line):
                out += self._block(directive.group("kind"), directive.group("args") or "", lineno)
                continue
            out.append(line)
        if math_lines is not None:
            raise BuildError("display math opened with '$$' is never closed", self.source.path, math_start)
        return out

    def _block(self, kind, args, lineno):
        if kind == "math":            # typeset with the document's other formulas, once all are found
            return ["", self.math.formula(self.md, args, display=True, line=lineno), ""]
        if kind not in KINDS:
            raise BuildError(f"unknown directive '::{kind}' (known: {', '.join('::' + k for k in KINDS)})",
                             self.source.path, lineno)
        try:
            words = shlex.split(args)
        except ValueError as err:
            raise BuildError(f"cannot read '::{kind} {args}': {err}", self.source.path, lineno) from None
        if not 1 <= len(words) <= 2:
            raise BuildError(f"'::{kind}' takes a name and an optional quoted caption, got {args!r}",
                             self.source.path, lineno)
        html = self.embed(kind, words[0], words[1] if len(words) > 1 else "", lineno)
        return ["", self.md.htmlStash.store(html), ""]


class BlocksExtension(Extension):
    """`math`: the MathExtension that typesets the document's formulas."""

    def __init__(self, source, embed, math, **kwargs):
        self.source, self.embed, self.math = source, embed, math
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After whitespace normalisation (30), before fenced code (25) is stashed away.
        md.preprocessors.register(BlocksPreprocessor(md, self.source, self.embed, self.math), "embed_blocks", 28)
