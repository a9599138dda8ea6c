"""The article's references: content/references.bib, parsed and formatted by pybtex.

Authors cite in Markdown as `[@key]`, `[@key, p. 12]` or `[@a; @b]` (markdown_ext/citations.py);
each chapter gets a numbered list of what it cites, and the read-it-all page one combined list.
Formatting is pybtex's "unsrt" style with three changes: titles keep the case they were written
in, an author list ending in "and others" reads "et al.", and a paper in proceedings gives
its pages as "pages 1–9" with the year in the same sentence as its venue.
"""
from __future__ import annotations

import difflib
import hashlib
import pickle
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import store
from .errors import BuildError, display_path

ENTRY_START = re.compile(r"^[ \t]*@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.M)


@dataclass(frozen=True)
class Reference:
    key: str
    html: str          # the formatted entry with its links: the reference lists
    text: str          # the same as plain text
    line: int          # where the entry starts in the .bib file


@dataclass(frozen=True)
class Bibliography:
    path: Path | None
    references: dict[str, Reference]

    def get(self, key: str, path: Path, line: int | None) -> Reference:
        """The entry for a citation, or an error at the citation's line."""
        if key in self.references:
            return self.references[key]
        if self.path is None:
            raise BuildError(f"citation [@{key}]: there is no content/references.bib to cite from", path, line)
        close = difflib.get_close_matches(key, list(self.references), n=1)
        hint = f" (did you mean @{close[0]}?)" if close else ""
        raise BuildError(f"citation [@{key}]: no entry '{key}' in {self.path.name}{hint}", path, line)

    def unused(self, cited: set[str]) -> list[str]:
        """Warnings for entries nothing cites, each at its line in the .bib file."""
        return [f"{display_path(self.path)}:{ref.line}: reference '{key}' is cited nowhere"
                for key, ref in self.references.items() if key not in cited]


EMPTY = Bibliography(None, {})


def load_bibliography(path: Path, cache: Path | None = None) -> Bibliography:
    """Parse and format every entry; a malformed file is an error at its line. pybtex takes
    about a second for a hundred entries, so the result is cached by the file and this code."""
    if not path.is_file():
        return EMPTY
    if cache is not None:
        key = hashlib.sha256(path.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:32]
        file = cache / f"{key}.pickle"
        try:
            return replace(pickle.loads(file.read_bytes()), path=path)
        except (FileNotFoundError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
        bibliography = load_bibliography(path)
        store(file, pickle.dumps(bibliography), "*.pickle")
        return bibliography
    from pybtex.backends.html import Backend
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    text = path.read_text(encoding="utf-8")
    starts = [(m.group(2), text.count("\n", 0, m.start()) + 1) for m in ENTRY_START.finditer(text)]
    lines, first_lines = dict(starts), dict(reversed(starts))
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as err:
        raise BuildError(f"BibTeX: {_without_line(str(err))}", path, err.lineno) from None
    except PybtexError as err:
        line = _line_named_in(str(err), lines)      # a repeated key: the repeat's line
        first = _line_named_in(str(err), first_lines)
        also = f" (first at line {first})" if first and first != line else ""
        raise BuildError(f"BibTeX: {err}{also}", path, line) from None
    try:
        formatted = list(_style().format_entries(data.entries.values()))
    except PybtexError as err:                 # e.g. a required field missing: name the entry
        raise BuildError(f"BibTeX: {err}", path, _line_named_in(str(err), lines)) from None
    html = Backend()
    return Bibliography(path, {
        entry.key: Reference(entry.key, entry.text.render(html).replace("\n", " "),
                             entry.text.render_as("text"), lines.get(entry.key, 1))
        for entry in formatted})


def _without_line(message: str) -> str:
    return re.sub(r"^syntax error in line \d+: ", "syntax error: ", message)


def _line_named_in(message: str, lines: dict[str, int]) -> int | None:
    """pybtex names the entry, not the line: find the entry it names."""
    for key, line in lines.items():
        if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", message):
            return line
    return None


def _style():
    """pybtex's unsrt with the changes the module's docstring lists."""
    from pybtex.richtext import Text
    from pybtex.style.formatting.unsrt import Style, date, pages
    from pybtex.style.formatting import toplevel
    from pybtex.style.template import field, join, node, optional, optional_field, sentence, words

    @node
    def author_list(children, context, role):
        persons = context["entry"].persons.get(role)
        if persons is None:
            from pybtex.style.template import FieldIsMissing
            raise FieldIsMissing(role, context["entry"])
        style = context["style"]
        others = len(persons) > 1 and str(persons[-1]) == "others"
        names = [style.format_name(p, style.abbreviate_names) for p in (persons[:-1] if others else persons)]
        if others:
            return Text(join(sep=", ")[names].format_data(context), ", et al." if len(names) > 1 else " et al.")
        return join(sep=", ", sep2=" and ", last_sep=", and ")[names].format_data(context)

    class KeptCase(Style):
        def format_names(self, role, as_sentence=True):
            return sentence[author_list(role)] if as_sentence else author_list(role)

        def format_title(self, e, which_field, as_sentence=True):
            return sentence[field(which_field)] if as_sentence else field(which_field)

        def get_inproceedings_template(self, e):
            """As unsrt's, but the pages say "pages" and the year joins the venue's sentence."""
            return toplevel[
                sentence[self.format_names("author")],
                self.format_title(e, "title"),
                words["In", sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    optional[words["pages", pages]],
                    optional_field("address"), optional_field("organization"), optional_field("publisher"),
                    date,
                ]],
                sentence[optional_field("note")],
                self.format_web_refs(e),
            ]

    return KeptCase()


CITE_LINK = re.compile(r'<a\b[^>]*\bclass="cite-link"[^>]*>\d+</a>')
REFERENCE_SECTION = re.compile(r'<section class="references">.*?</section>', re.S)


def combined(parts: list[tuple[str, tuple[str, ...]]], bibliography: Bibliography) -> tuple[list[str], str]:
    """The read-it-all page: every chapter's citations numbered in one sequence and linked to
    one list at the end. `parts` are (chapter HTML, its citation keys in order); returns the
    parts without their own lists, and the combined list."""
    numbers: dict[str, int] = {}
    for _, keys in parts:
        for key in keys:
            numbers.setdefault(key, len(numbers) + 1)

    def relink(match: re.Match) -> str:
        tag = match.group(0)
        key = re.search(r'data-cite="([^"]+)"', tag).group(1)
        tag = re.sub(r'href="[^"]*"', f'href="#ref-{key}"', tag)
        tag = re.sub(r'aria-describedby="[^"]*"', f'aria-describedby="ref-{key}"', tag)
        return re.sub(r">\d+</a>$", f">{numbers[key]}</a>", tag)

    htmls = [CITE_LINK.sub(relink, REFERENCE_SECTION.sub("", html)) for html, _ in parts]
    return htmls, reference_section(numbers, bibliography)


def reference_items(numbers: dict[str, int], bibliography: Bibliography) -> str:
    """The numbered entries, as pybtex formatted them."""
    return "".join(f'<li id="ref-{key}" value="{n}">{bibliography.references[key].html}</li>'
                   for key, n in numbers.items())


def reference_section(numbers: dict[str, int], bibliography: Bibliography) -> str:
    if not numbers:
        return ""
    return (f'<section class="references"><h2 id="references">References</h2>'
            f'<ol class="reference-list">{reference_items(numbers, bibliography)}</ol></section>')
