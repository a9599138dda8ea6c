"""The site's formulas through Temml (what the build uses) and through latex2mathml (what it
used before): counts, automatic defect checks, time and size, printed (not asserted).

    .venv/bin/python bench/bench_math.py [--runs N]

The formulas are the built site's (each <math>'s TeX annotation), every chapter and page, so
Jinja has already put the figures in. latex2mathml is optional (`pip install latex2mathml`):
without it only Temml's rows are printed. For how they look, bench/math_screenshots.py.
"""
from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.build import Builder, Project  # noqa: E402
from site_builder.typeset import MATHML, Formula, Typesetter  # noqa: E402

M = f"{{{MATHML}}}"
MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
FUNCTIONS = re.compile(r"\\(?:operatorname|sin|cos|tan|tanh|log|ln|exp|det|max|min|lim|Pr)\b")
LIMITS = re.compile(r"\\(?:min|max|lim|sum|prod)_")


def site_formulas() -> list[tuple[str, Formula]]:
    """(page, formula) for every formula of the built site, /all/ left out (it repeats the chapters)."""
    files = Builder(Project.at(ROOT)).build()
    found = []
    for path, data in sorted(files.items()):
        if not path.endswith(".html") or path.startswith("all/"):
            continue
        text = data.read_text(encoding="utf-8") if isinstance(data, Path) else data.decode()
        for mathml in MATH.findall(text):
            tex = html.unescape(ANNOTATION.search(mathml).group(1))
            found.append((path, Formula(tex, 'display="block"' in mathml.split(">", 1)[0])))
    return found


def latex2mathml(formula: Formula) -> str:
    """As the build used it: with the TeX as an annotation, so that sizes compare."""
    from latex2mathml.converter import convert
    mathml = convert(formula.latex, display="block" if formula.display else "inline")
    tex = html.escape(formula.latex, quote=False)
    return re.sub(r"(<math[^>]*>)(.*)(</math>)$", lambda m: f"{m.group(1)}<semantics>{m.group(2)}"
                  f'<annotation encoding="application/x-tex">{tex}</annotation></semantics>{m.group(3)}', mathml, flags=re.S)


def defects(formula: Formula, mathml: str) -> set[str]:
    """What a reader would see wrong, found in the markup (a subset: the screenshots show the rest)."""
    found = set()
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return {"not well-formed XML"}
    operators = [mo.text or "" for mo in root.iter(M + "mo")]
    if any(re.fullmatch(r"[A-Za-z]{2,}", o.strip()) for o in operators):
        found.add("operator name as <mo> (stray spaces)")
    if FUNCTIONS.search(formula.latex) and "\u2061" not in operators:
        found.add("function name without function application (no space before its argument)")
    if formula.display and LIMITS.search(formula.latex.split("\\frac")[0]) \
            and root.find(f".//{M}munder") is None and root.find(f".//{M}munderover") is None:
        found.add("display limits beside, not under")       # (in a fraction, beside is right)
    if "&" in formula.latex and root.find(f".//{M}mtable") is None:
        found.add("aligned equations not in a table")
    if re.search(r"\sstyle=", mathml):
        found.add("inline style (blocked by the CSP)")
    if any(e.get("mathvariant") not in (None, "normal") for e in root.iter()):
        found.add("mathvariant Chromium ignores")
    if any(mi.get("mathvariant") != "normal" and (mi.text or "") in "ΓΔΘΛΞΠΣΥΦΨΩ" and mi.text
           for mi in root.iter(M + "mi")):
        found.add("capital Greek in italic")
    if any("\\" in (e.text or "") for e in root.iter() if e.tag != M + "annotation"):
        found.add("TeX left in the output")
    return found


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    found = site_formulas()
    unique = list(dict.fromkeys(f for _, f in found))
    pages = {p for p, _ in found}
    print(f"{len(found)} formulas on {len(pages)} pages ({sum(f.display for _, f in found)} display), "
          f"{len(unique)} different")

    def temml_cold() -> list:
        with tempfile.TemporaryDirectory() as cache, Typesetter(ROOT / "node_modules", Path(cache)) as typesetter:
            return typesetter.typeset("all", unique)

    results = temml_cold()
    with tempfile.TemporaryDirectory() as cache:
        with Typesetter(ROOT / "node_modules", Path(cache)) as typesetter:
            typesetter.typeset("all", unique)

        def temml_warm():
            with Typesetter(ROOT / "node_modules", Path(cache)) as typesetter:
                return typesetter.typeset("all", unique)
        warm = timed(temml_warm, args.runs)
    rows = {"Temml": ([r.mathml for r in results], timed(temml_cold, args.runs), warm)}
    print("(Temml cold: one Node process started, every formula converted; warm: a new build, all from the cache)")
    import importlib.util
    if importlib.util.find_spec("latex2mathml"):
        outputs = []
        for formula in unique:
            try:
                outputs.append(latex2mathml(formula))
            except Exception as err:       # noqa: BLE001
                outputs.append(f"<error>{err}</error>")
        rows["latex2mathml"] = (outputs, timed(lambda: [latex2mathml(f) for f in unique], args.runs), None)
    else:
        print("(latex2mathml is not installed: Temml only)")
    count = {f: sum(1 for _, g in found if g == f) for f in unique}
    for name, (outputs, cold, warm) in rows.items():
        size = sum(len(m.encode()) * count[f] for f, m in zip(unique, outputs))
        tally: dict[str, int] = {}
        example: dict[str, str] = {}
        for formula, mathml in zip(unique, outputs):
            for defect in defects(formula, mathml):
                tally[defect] = tally.get(defect, 0) + 1
                example.setdefault(defect, formula.latex)
        timing = f"{cold * 1000:.0f} ms" + (f" cold, {warm * 1000:.0f} ms warm" if warm is not None else "")
        print(f"\n{name}: {timing}; {size / 1024:.0f} KB of MathML over the pages")
        for defect, n in sorted(tally.items(), key=lambda t: -t[1]):
            print(f"  {n:4d} formulas: {defect}  (e.g. {example[defect][:70]!r})")
        if not tally:
            print("     no defect found by these checks")


if __name__ == "__main__":
    main()
