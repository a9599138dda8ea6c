"""Self-hosted fonts: the text face and an OpenType MATH face, cut down to the glyphs used.

Source Serif 4 sets the prose and STIX Two Math the MathML, so formulas look the same on
every system instead of depending on the reader's math font. Both come from the pinned
`@fontsource` npm packages (SIL Open Font License). fontTools subsets each face to the
characters the pages use (the prose's for the text face, those inside `<math>` for the math
face, whose MATH table fontTools keeps, with the size variants and stretchy parts it names),
as WOFF2. The subsets are cached by their inputs. The stylesheet gets `@font-face` rules with
`font-display: swap`; pages preload the regular text face.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .cache import cached
from .errors import BuildError


@dataclass(frozen=True)
class Face:
    family: str
    file: str                 # under node_modules
    weight: int
    style: str
    math: bool = False        # subset to the characters of formulas

    @property
    def name(self) -> str:
        return f"{self.family.lower().replace(' ', '-')}-{self.weight}-{self.style}"


SERIF = "@fontsource/source-serif-4/files/source-serif-4-latin-{w}-{s}.woff2"
FACES = (
    Face("Source Serif 4", SERIF.format(w=400, s="normal"), 400, "normal"),
    Face("Source Serif 4", SERIF.format(w=400, s="italic"), 400, "italic"),
    Face("Source Serif 4", SERIF.format(w=700, s="normal"), 700, "normal"),
    Face("Source Serif 4", SERIF.format(w=700, s="italic"), 700, "italic"),
    Face("STIX Two Math", "@fontsource/stix-two-math/files/stix-two-math-latin-400-normal.woff2", 400, "normal",
         math=True),
)
PRELOADED = FACES[0]
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0–—‘’“”…·×−"   # what templates and readers type
# Glyphs MathML layout draws that no formula's text holds: the radical of <msqrt> and <mroot>.
MATH_ALWAYS = "\u221a"


def characters(htmls: list[str]) -> tuple[str, str]:
    """(the characters of the text outside formulas, those inside them) of these pages."""
    prose, math = set(ALWAYS), set(MATH_ALWAYS)
    for html in htmls:
        for part in re.split(r"(<math\b.*?</math>)", html, flags=re.S):
            target = math if part.startswith("<math") else prose
            text = re.sub(r"<annotation\b.*?</annotation>|<[^>]+>", " ", part, flags=re.S)
            target.update(_unescape(text))
    return "".join(sorted(prose)), "".join(sorted(math))


def _unescape(text: str) -> str:
    import html
    return html.unescape(text)


def subset(source: Path, text: str) -> bytes:
    from fontTools import subset as ft
    options = ft.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]          # kerning, ligatures, the math face's ssty and size variants
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = ft.load_font(str(source), options)
    subsetter = ft.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    ft.save_font(font, out, options)
    return out.getvalue()


def add_fonts(assets, node_modules: Path, htmls: list[str], cache: Path) -> tuple[str, str]:
    """Subset every face for these pages and add it under assets/fonts/; returns (the
    @font-face CSS, with URLs relative to the stylesheet in assets/; the preloaded face's path)."""
    prose, math = characters(htmls)
    rules, preload = [], ""
    for face in FACES:
        source = node_modules / face.file
        if not source.is_file():
            raise BuildError(f"font {face.file} is missing: run `npm ci` (make site does)", source)
        text = math if face.math else prose
        key = hashlib.sha256(source.read_bytes() + text.encode() + Path(__file__).read_bytes()).hexdigest()[:32]
        data = cached(cache / f"{face.name}.{key}.woff2", f"{face.name}.*.woff2", lambda: subset(source, text))
        path = assets.add(f"fonts/{face.name}.woff2", data)
        if face == PRELOADED:
            preload = path
        rules.append(f'@font-face {{ font-family: "{face.family}"; src: url("{path.removeprefix("assets/")}") '
                     f'format("woff2"); font-weight: {face.weight}; font-style: {face.style}; font-display: swap; }}')
    return "/* Fonts: subset by the build (site_builder/fonts.py) */\n" + "\n".join(rules) + "\n", preload
