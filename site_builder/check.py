"""`check DIR`: is a built site whole and self-contained?

For every HTML page: each link, image, script, stylesheet, video and data URL resolves to a
file in DIR, each `#anchor` exists on its page, no resource comes from another origin, no
inline script, event handler or style attribute breaks the Content-Security-Policy, no
iframe; and the page's weight (HTML plus what it loads up front) is measured against a budget.
JS modules and the runtime JSON are followed too, so a missing worker or wheel is caught.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = {"href", "src", "poster", "data-script", "data-runtime-config"}
NAVIGATION = {"a"}                       # elements whose external URLs are links, not requests
UP_FRONT = {"link", "script", "img"}     # what a browser fetches before the reader does anything
JS_IMPORT = re.compile(r"""["']\./([\w./-]+\.m?js)["']""")


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    references: list[tuple[str, str, str, int]] = field(default_factory=list)  # (tag, attr, url, line)
    problems: list[tuple[int, str]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attributes = dict(attrs)
        if "id" in attributes:
            self.scan.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.scan.ids.add(attributes["name"])
        for name, value in attrs:
            if name.startswith("on"):
                self.scan.problems.append((line, f"inline event handler {name}= (blocked by the CSP)"))
            if name == "style":
                self.scan.problems.append((line, "inline style= attribute (blocked by the CSP)"))
            if name in URL_ATTRIBUTES and value is not None:
                # <link rel=canonical|alternate> names a URL; it does not load it.
                kind = "a" if tag == "link" and attributes.get("rel") in ("canonical", "alternate") else tag
                self.scan.references.append((kind, name, value, line))
        if tag == "iframe":
            self.scan.problems.append((line, "iframe: the site embeds nothing from elsewhere"))
        if tag == "script" and "src" not in attributes and attributes.get("type") not in ("application/json", "application/ld+json"):
            self._in_inline_script = True
            self.scan.problems.append((line, "inline <script> (blocked by the CSP: move it to a file)"))
        if tag == "style":
            self.scan.problems.append((line, "inline <style> (blocked by the CSP: use the stylesheet)"))


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)   # page -> bytes loaded up front
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_site(folder: Path, budget: int | None = None, base_path: str = "/") -> Report:
    """`budget`: bytes a page may load up front, or None not to check weight.
    `base_path`: the URL path the site is served under, for root-relative URLs ("/blog/")."""
    folder = folder.resolve()
    report = Report()
    scans = {}
    for page in sorted(folder.rglob("*.html")):
        scanner = _Scanner()
        scanner.feed(page.read_text(encoding="utf-8"))
        scans[page] = scanner.scan
    report.pages = len(scans)

    for page, scan in scans.items():
        name = page.relative_to(folder).as_posix()
        for line, problem in scan.problems:
            report.errors.append(f"{name}:{line}: {problem}")
        weight = page.stat().st_size
        for tag, attr, url, line in scan.references:
            parts = urlsplit(url)
            if parts.scheme == "data":          # inline bytes (a pre-rendered digit): no request
                continue
            if parts.scheme or parts.netloc:
                if tag not in NAVIGATION or parts.scheme not in ("http", "https", "mailto"):
                    report.errors.append(f"{name}:{line}: <{tag} {attr}> loads {url} from another origin")
                continue
            if parts.path.startswith("/"):      # root-relative, as on the 404 page
                if not parts.path.startswith(base_path):
                    report.errors.append(f"{name}:{line}: <{tag} {attr}=\"{url}\"> is outside the site's "
                                         f"base path {base_path}")
                    continue
                target = folder / unquote(parts.path[len(base_path):])
            elif parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
            else:
                target = page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(folder) or not target.is_file():
                report.errors.append(f"{name}:{line}: <{tag} {attr}=\"{url}\"> points at a missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                target_scan = scans.get(target)
                if target_scan is not None and unquote(parts.fragment) not in target_scan.ids:
                    report.errors.append(f"{name}:{line}: anchor #{parts.fragment} does not exist in "
                                         f"{target.relative_to(folder).as_posix()}")
            if tag in UP_FRONT and attr in ("href", "src") and not (tag == "a"):
                weight += target.stat().st_size
        report.weights[name] = weight
        if budget is not None and weight > budget:
            report.errors.append(f"{name}: page weight {weight / 1024:.0f} KB is over the budget of "
                                 f"{budget / 1024:.0f} KB")

    _check_modules(folder, report)
    return report


def _check_modules(folder: Path, report: Report) -> None:
    for module in sorted(folder.rglob("*.js")):
        for match in JS_IMPORT.finditer(module.read_text(encoding="utf-8")):
            if not (module.parent / match.group(1)).is_file():
                report.errors.append(f"{module.relative_to(folder).as_posix()}: imports ./{match.group(1)}, "
                                     "which is missing")
    for config in sorted(folder.glob("assets/runtime.*.json")):
        data = json.loads(config.read_text(encoding="utf-8"))
        paths = [data["runtime"]["url"], data["pyodide"] + "pyodide.mjs"]
        paths += [m["url"] for m in data.get("weights", {}).get("models", {}).values()]
        for path in paths:
            if not (folder / path).is_file():
                report.errors.append(f"{config.relative_to(folder).as_posix()}: {path} is missing")
