"""Formulas to MathML at build time, with Temml (the pinned `temml` npm package) in Node.

Temml writes MathML Core as TeX would set it: operator names such as `\\operatorname{var}` as
`<mi>` followed by a function application, limits under `\\sum`, `\\min` and `\\lim` in display
math, `aligned` as an `<mtable>` whose cells are aligned, letters in the Unicode math
alphabets. One Node process per build converts them (site_builder/node/temml.mjs, a JSON line
of formulas in, one of results out), started at the first document whose formulas are not in
the cache and closed when the build has rendered every document. Each document's results are
cached under .build-cache/math/ by a key over its formulas, Temml's version, the script and
this file, so a build that renders a document again with the same formulas starts no Node.

Temml's output is then made fit for the site (`polish`): the inline `style` attributes it
writes, which the Content-Security-Policy (`style-src 'self'`) would block, become classes
the stylesheet styles (a style with no class here is a build error naming the formula), the
root `<math>` keeps only `xmlns` and `display`, the result must be well-formed XML, and the
spacing is TeX's where Chromium's MathML would differ. bench/math_screenshots.py shows every
formula as Chromium renders it; bench/bench_math.py compares Temml with latex2mathml.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from .cache import store
from .errors import BuildError

SCRIPT = Path(__file__).parent / "node" / "temml.mjs"
TEMML = Path("temml") / "dist" / "temml.mjs"        # under node_modules
MATHML = "http://www.w3.org/1998/Math/MathML"
TIMEOUT_S = 120                                      # for one document's formulas

# Each style declaration Temml writes, as the class that site_builder/assets/style.css gives it
# ("" when the stylesheet already does it without a class).
STYLE_CLASSES = {
    "display:block math": "",                 # <math display="block">: .math-display math
    "math-depth:0": "tml-md0",                # accents (\hat, \bar, \tilde) at the base's size
    "padding-left:0em": "tml-pl0", "padding-left:0pt": "tml-pl0", "padding-left:0": "tml-pl0",
    "padding-right:0em": "tml-pr0", "padding-right:0pt": "tml-pr0", "padding-right:0": "tml-pr0",
    "padding-left:5.9776pt": "tml-plc", "padding-right:5.9776pt": "tml-prc",    # \arraycolsep
    "padding-left:0.1389em": "tml-pls", "padding-right:0.1389em": "tml-prs",    # smallmatrix
    "padding-left:0.4em": "tml-pld", "padding-right:0.4em": "tml-prd",          # gathered, ...
    "padding-left:1em": "tml-pl1",            # cases, align: the gap between column pairs
    "padding:0": "tml-p0", "width:50%": "tml-w50", "width:100%": "tml-w100",     # \tag, align
}
# Temml's classes the site does without: its italic-correction padding on superscripts
# (Chromium already applies the correction the math font's MATH table gives, so the padding
# would only push primes and exponents away), and `mathcal` (STIX Two Math's script letters
# are the calligraphic ones); `tml-display`: .math-display math.
DROPPED_CLASSES = {"tml-display", "tml-sml-pad", "tml-med-pad", "tml-lrg-pad", "mathcal"}
# Temml marks fences and separators, which changes nothing in MathML Core's layout (the
# operator dictionary says the same of `(` and `,`): 15 KB of the read-it-all page.
UNUSED_ATTRIBUTES = ("fence", "separator")
# Chromium sizes <msqrt> for the radical's widest form, STIX Two Math's glyph assembly (1.212em;
# crbug.com/1339724), whatever form it draws: the base glyph (0.794em wide) leaves a gap of
# 0.418em after the root, the first size variant (1.041em) one of 0.171em, the larger ones under
# 0.05em. .tml-sqrt-short and .tml-sqrt-medium take the first two back, in Chromium only.
# Short: content no taller than a line of text (tokens, rows, and scripts on a single token),
# which always gets the base glyph. Medium: content in text style with scripts and text-style
# fractions, but no limits above or below, no display fraction and nothing stretched, which gets
# the first variant. tests/test_math.py measures every root's gap on the read-it-all page.
SHORT_ROOT = {"mi", "mn", "mo", "mtext", "mspace", "mrow", "msub", "msup"}
LARGE_OPERATORS = set("∑∏∐∫∬∭∮∯∰⋃⋂⋁⋀⨀⨁⨂⨄⨆")
APPLY = "\u2061"                               # function application, after an operator name
OPENERS, CLOSERS = set("([{⟨⌊⌈"), set(")]}⟩⌋⌉")
RELATIONS = set("=≠<>≤≥≈≡∼≃≅∝→←↦⇒⇔∈∉⊂⊆⊃⊇∣:")
PUNCTUATION = set(",;.")
SCRIPTS = {"msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mroot"}


class Formula(NamedTuple):
    latex: str
    display: bool


class Typeset(NamedTuple):
    """One formula's MathML, or why it has none (then `mathml` is empty)."""
    mathml: str = ""
    error: str = ""


def polish(mathml: str) -> str:
    """Temml's MathML as the site serves it; raises ValueError when it cannot be.

    Besides the styles and the root, three of TeX's spacing rules that Temml leaves to a
    browser which does not apply them: no space around operators in scripts and in the
    numerator and denominator of a text-style fraction (`\\sum_{i=1}`, `2^{d-1}`, `x_{i,j}`);
    a thin space before an operator name after a closing delimiter or a script (`(1-y)\\log`,
    `s_1\\cos`) and none after one before a relation, punctuation or the end (`\\det = 0`,
    `$\\tanh$`); and a sign right after `\\bigl(` is unary (`\\bigl(-x`).
    """
    try:
        root = ET.fromstring(mathml.strip())
    except ET.ParseError as err:
        raise ValueError(f"Temml's MathML is not well-formed XML ({err})") from None
    if root.tag != _q("math") or root.find(f"{_q('semantics')}/{_q('annotation')}") is None:
        raise ValueError("Temml's MathML has no <math> root with the TeX annotation")
    for element in root.iter():
        _classes(element)
        for attribute in UNUSED_ATTRIBUTES:
            element.attrib.pop(attribute, None)
    _script_spacing(root, script=False, display=root.get("display") == "block")
    for parent in list(root.iter()):
        _operator_names(parent)
        _unary_signs(parent)
    text_style = _text_style(root)
    for element in root.iter(_q("msqrt")):
        size = _root_size(element, text_style)
        if size:
            element.set("class", f"tml-sqrt-{size}")
    return _serialize(root, top=True)


def _q(name: str) -> str:
    return f"{{{MATHML}}}{name}"


def _name(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _classes(element: ET.Element) -> None:
    """Its style attribute as classes; Temml's classes the site does not use dropped."""
    classes = element.attrib.pop("class", "").split()
    for declaration in filter(None, (d.strip() for d in element.attrib.pop("style", "").split(";"))):
        declaration = re.sub(r"\s*:\s*", ":", declaration, count=1)
        if declaration not in STYLE_CLASSES:
            raise ValueError(f"Temml styles it with '{declaration}', which the Content-Security-Policy "
                             "blocks and the stylesheet has no class for (site_builder/typeset.py)")
        classes.append(STYLE_CLASSES[declaration])
    classes = list(dict.fromkeys(c for c in classes if c and c not in DROPPED_CLASSES))
    if classes:
        element.set("class", " ".join(classes))


def _script_spacing(element: ET.Element, script: bool, display: bool) -> None:
    """TeX sets operators in scripts (and in a text-style fraction's parts) without space."""
    name = _name(element)
    if (name == "mo" and script and "lspace" not in element.attrib and "rspace" not in element.attrib
            and (element.text or "").strip() not in LARGE_OPERATORS | {APPLY}):
        element.set("lspace", "0")
        element.set("rspace", "0")
    if name == "mstyle":
        display = element.get("displaystyle", "true" if display else "false") == "true"
        if element.get("scriptlevel") is not None:
            script = element.get("scriptlevel") not in ("0", "+0", "-1")
    elif name == "mtable":
        display = element.get("displaystyle") == "true"
    for index, child in enumerate(element):
        if name in SCRIPTS and index > 0:
            _script_spacing(child, True, False)
        elif name == "mfrac":
            _script_spacing(child, script or not display, False)
        else:
            _script_spacing(child, script, display)


def _operator_name(element: ET.Element | None) -> bool:
    """An operator name's token (`sin`, `var`), alone or with its scripts (`sin^2`, `max_i`)."""
    if element is None:
        return False
    if _name(element) in ("msub", "msup", "msubsup", "munder", "mover", "munderover") and len(element):
        element = element[0]
    return _name(element) == "mi" and len((element.text or "").strip()) > 1


def _is(element: ET.Element | None, name: str, width: str | None = None) -> bool:
    return element is not None and _name(element) == name and (width is None or element.get("width") == width)


def _ordinary(element: ET.Element | None) -> bool:
    """What TeX puts a thin space between and a following operator name: not an operator
    (but a closing delimiter), not a space."""
    if element is None or _name(element) == "mspace":
        return False
    if _name(element) == "mo":
        return element.get("form") == "postfix" or (element.text or "").strip() in CLOSERS | {"∇"}   # \nabla: Ord
    return True


def _tight_after(element: ET.Element | None) -> bool:
    """What TeX puts no thin space before after an operator name: a relation (which brings its
    own), punctuation, a closing delimiter, or nothing."""
    if element is None or _name(element) == "annotation":
        return True
    text = (element.text or "").strip()
    return _name(element) == "mo" and element.get("form") != "prefix" and (
        element.get("form") == "postfix" or text in RELATIONS | PUNCTUATION | CLOSERS)


def _operator_names(parent: ET.Element) -> None:
    children = list(parent)
    for index, child in enumerate(children):
        before = children[index - 1] if index > 0 else None
        lead = 1 if _name(child) == "mrow" and len(child) and _is(child[0], "mspace") else 0
        if _name(child) == "mrow" and len(child) >= lead + 2 and _operator_name(child[lead]) \
                and _is(child[lead + 1], "mo") and (child[lead + 1].text or "") == APPLY:   # Temml's \sin, \det
            if not lead and _ordinary(before):
                child.insert(0, _thin_space())
            after = children[index + 1] if index + 1 < len(children) else None
            if _is(child[-1], "mspace", THIN) and _tight_after(after):
                child.remove(child[-1])
        elif _operator_name(child) and index + 1 < len(children) and _is(children[index + 1], "mo") \
                and (children[index + 1].text or "") == APPLY and not _wrapper(parent):   # \operatorname, \max_i
            if _ordinary(before):
                parent.insert(list(parent).index(child), _thin_space())
            space = children[index + 2] if index + 2 < len(children) else None
            if _is(space, "mspace", THIN) and _tight_after(children[index + 3] if index + 3 < len(children) else None):
                parent.remove(space)


THIN = "0.1667em"


def _wrapper(element: ET.Element) -> bool:
    """Temml's row around an operator name (what follows it is outside)."""
    children = [c for c in element if not _is(c, "mspace")]
    return _name(element) == "mrow" and len(children) == 2 and _operator_name(children[0]) \
        and (children[1].text or "") == APPLY


def _thin_space() -> ET.Element:
    return ET.Element(_q("mspace"), {"width": THIN})


def _unary_signs(parent: ET.Element) -> None:
    """A sign right after an opening delimiter is unary, as Temml already marks it after `(`."""
    children = list(parent)
    for before, child in zip(children, children[1:]):
        if (_is(child, "mo") and "form" not in child.attrib and (child.text or "").strip() in ("−", "+", "±", "∓")
                and _is(before, "mo") and (before.text or "").strip() in OPENERS):
            child.set("form", "prefix")


def _root_size(root: ET.Element, text_style: set[int]) -> str:
    """"short", "medium" or "" (taller, or already classed): which form of the radical
    Chromium will draw for this <msqrt>, from what its content holds."""
    if root.get("class"):
        return ""
    if _short_root(root):
        return "short"
    return "medium" if _medium_root(root, text_style) else ""


def _short_root(root: ET.Element) -> bool:
    """Whether this <msqrt>'s content is no taller than a line of text."""
    for element in list(root.iter())[1:]:
        name = _name(element)
        if name not in SHORT_ROOT or (name == "mrow" and element.get("class")):      # \overline: taller
            return False
        if name == "mo" and _tall_operator(element):
            return False
        if name in ("msub", "msup") and _name(element[0]) not in ("mi", "mn"):
            return False
    return True


def _medium_root(root: ET.Element, text_style: set[int]) -> bool:
    """Whether this <msqrt>'s content is one line with scripts and text-style fractions and
    operators: no limits above or below, nothing stretched, nothing in display style."""
    for element in list(root.iter())[1:]:
        name = _name(element)
        if name in ("munder", "mover", "munderover", "mtable", "msqrt", "mroot") or (name == "mrow" and element.get("class")):
            return False
        if (name == "mfrac" or (name == "mo" and _tall_operator(element))) and id(element) not in text_style:
            return False
        if name == "mo" and (element.get("stretchy") == "true" or element.get("minsize")):
            return False
    return True


def _text_style(math: ET.Element) -> set[int]:
    """The ids of the elements set in text style or smaller: all of an inline formula; in a
    display formula, what \\textstyle marks, fractions' parts and scripts."""
    if math.get("display") != "block":
        return {id(e) for e in math.iter()}
    small = set()
    for element in math.iter():
        name = _name(element)
        if name == "mstyle" and element.get("displaystyle") == "false":
            small |= {id(e) for e in element.iter()}
        elif name == "mfrac" or name in SCRIPTS:
            for part in list(element)[0 if name == "mfrac" else 1:]:
                small |= {id(e) for e in part.iter()}
    return small


def _tall_operator(element: ET.Element) -> bool:
    return bool(element.get("minsize") or element.get("largeop") == "true"
                or (element.text or "").strip() in LARGE_OPERATORS)


def _serialize(element: ET.Element, top: bool = False) -> str:
    """MathML as Temml writes it: no prefixes, no whitespace added, every element closed."""
    name = _name(element)
    attributes = ([("xmlns", MATHML)] if top else []) + list(element.attrib.items())
    if top:     # the root keeps only xmlns and display
        attributes = [(k, v) for k, v in attributes if k in ("xmlns", "display")]
    text = "".join(f' {k}="{_escape(v, attribute=True)}"' for k, v in attributes)
    inner = _escape(element.text or "") + "".join(_serialize(child) + _escape(child.tail or "") for child in element)
    return f"<{name}{text}>{inner}</{name}>"


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


class Typesetter:
    """Typesets a build's formulas: `typeset(name, formulas)` per document, `close()` at the end."""

    def __init__(self, node_modules: Path, cache: Path):
        self.module = node_modules / TEMML
        self.cache = cache
        self._process: subprocess.Popen | None = None

    @cached_property
    def version(self) -> str:
        """Changes with Temml, the script and the polishing: part of every cache key."""
        package = self.module.parents[1] / "package.json"
        parts = [package.read_bytes() if package.is_file() else b"", SCRIPT.read_bytes(),
                 Path(__file__).read_bytes()]
        return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]

    def typeset(self, name: str, formulas: list[Formula]) -> list[Typeset]:
        """Each formula's MathML (or error), in order; `name` (the document's stem) names the cache entry."""
        if not formulas:
            return []
        key = hashlib.sha256(json.dumps([self.version, formulas]).encode()).hexdigest()[:32]
        file = self.cache / f"{name}.{key}.json"
        if file.is_file():
            return [Typeset(*result) for result in json.loads(file.read_text(encoding="utf-8"))]
        results = [self._polished(answer) for answer in self._convert(formulas)]
        if not any(r.error for r in results):
            store(file, json.dumps(results, ensure_ascii=False).encode(), f"{name}.*.json")
        return results

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            _stop(process)

    def __enter__(self) -> "Typesetter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def _polished(answer: dict) -> Typeset:
        if "error" in answer:
            return Typeset(error=answer["error"])
        try:
            return Typeset(mathml=polish(answer["mathml"]))
        except ValueError as err:
            return Typeset(error=str(err))

    def _convert(self, formulas: list[Formula]) -> list[dict]:
        process = self._start()
        watchdog = threading.Timer(TIMEOUT_S, process.kill)       # a batch that never ends fails the build
        watchdog.start()
        try:
            process.stdin.write(json.dumps([[f.latex, f.display] for f in formulas]) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
            answers = json.loads(line)
        except (OSError, ValueError):
            watchdog.cancel()
            self._process = None
            tail = "\n    ".join(_stop(process, kill=True).strip().splitlines()[-8:]) or "no answer"
            raise BuildError(f"Temml (Node) stopped typesetting (or took over {TIMEOUT_S} s):\n    {tail}", SCRIPT) from None
        watchdog.cancel()
        if len(answers) != len(formulas):
            raise BuildError("Temml (Node) answered for a different number of formulas", SCRIPT)
        return answers

    def _start(self) -> subprocess.Popen:
        if self._process is not None:
            return self._process
        node = shutil.which("node")
        if node is None:
            raise BuildError("typesetting formulas needs Node.js (`make site` installs what it needs)", SCRIPT)
        if not self.module.is_file():
            raise BuildError(f"{TEMML} is missing from node_modules: run `npm ci` (make site does)", SCRIPT)
        self._process = subprocess.Popen([node, str(SCRIPT), str(self.module)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         encoding="utf-8")
        return self._process


def _stop(process: subprocess.Popen, kill: bool = False) -> str:
    """End Node (closing its input ends it; `kill` when it may not be listening); its stderr."""
    try:
        process.stdin.close()
    except OSError:
        pass
    if kill:
        process.kill()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    errors = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    return errors
