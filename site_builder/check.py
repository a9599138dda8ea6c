"""`check DIR`: is a built site whole and self-contained?

For every HTML page: each link, image, script, stylesheet, video and data URL resolves to a
file in DIR, each `#anchor` exists on its page, no resource comes from another origin, no
inline script, event handler or style attribute breaks the Content-Security-Policy, no
iframe, object or embed, no tracker (a known tracking host anywhere, a `ping` attribute, a
form or refresh that sends the reader elsewhere); and the page's weight (HTML plus what it
loads up front) is measured against a budget. JS modules, the runtime JSON and the service
worker's list of files are followed too, so a missing worker, wheel or cached file is caught;
the site's own scripts and stylesheets must not name another origin either.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .cache import write_whole

URL_ATTRIBUTES = {"href", "src", "poster", "data-script", "data-runtime-config", "data", "action", "formaction",
                  "xlink:href", "background", "manifest", "cite"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
NAVIGATION = {"a"}                       # elements whose external URLs are links, not requests
NOT_LOADED = {"cite"}                    # attributes that name a URL without loading it
UP_FRONT = {"link", "script", "img"}     # what a browser fetches before the reader does anything
JS_IMPORT = re.compile(r"""["']\./([\w./-]+\.m?js)["']""")
EMBEDS = {"iframe": "iframe", "frame": "frame", "frameset": "frameset", "object": "<object>", "embed": "<embed>",
          "applet": "<applet>", "portal": "<portal>", "fencedframe": "<fencedframe>"}
# Hosts whose only business is following readers around. A link to one is as unwelcome as a
# request: content has no reason to name them.
TRACKER_HOSTS = ("google-analytics.com", "googletagmanager.com", "googlesyndication.com", "doubleclick.net",
                 "googleadservices.com", "facebook.net", "connect.facebook.com", "pixel.facebook.com",
                 "analytics.twitter.com", "ads-twitter.com", "static.ads-twitter.com", "bat.bing.com",
                 "clarity.ms", "hotjar.com", "hotjar.io", "segment.com", "segment.io", "mixpanel.com",
                 "amplitude.com", "heap.io", "heapanalytics.com", "fullstory.com", "mouseflow.com",
                 "newrelic.com", "nr-data.net", "quantserve.com", "scorecardresearch.com", "chartbeat.com",
                 "chartbeat.net", "stats.wp.com", "pixel.wp.com", "plausible.io", "simpleanalytics.com",
                 "usefathom.com", "matomo.cloud", "statcounter.com", "addthis.com", "sharethis.com",
                 "taboola.com", "outbrain.com", "criteo.com", "criteo.net", "adnxs.com", "yandex.ru/metrika",
                 "mc.yandex.ru", "mc.yandex.com", "tiktok.com/i18n/pixel", "analytics.tiktok.com", "linkedin.com/px",
                 "snap.licdn.com", "px.ads.linkedin.com", "sentry.io", "cloudflareinsights.com",
                 "static.cloudflareinsights.com", "cdn.mxpnl.com", "js.hs-analytics.net", "track.hubspot.com")
EXTERNAL = re.compile(r"""(?<![\w.-])(?:https?:)?//(?P<host>[a-z0-9.-]+\.[a-z]{2,})(?P<path>[^\s"'`)<>]*)""", re.I)
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?P<url>[^"')\s]+)""", re.I)


def tracker(url: str) -> str | None:
    """The known tracking host `url` points at, if any."""
    match = EXTERNAL.search(url)
    if not match:
        return None
    where = (match.group("host") + match.group("path")).lower()
    host = match.group("host").lower()
    for known in TRACKER_HOSTS:
        name, _, path = known.partition("/")
        if (host == name or host.endswith("." + name)) and where[len(host):].startswith("/" + path if path else ""):
            return known
    return None


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    references: list[tuple[str, str, str, int]] = field(default_factory=list)  # (tag, attr, url, line)
    problems: list[tuple[int, str]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

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
            if name == "ping":
                self.scan.problems.append((line, f"<{tag} ping> reports the reader's clicks to {value}"))
            if value is not None and (name in URL_ATTRIBUTES or name in SRCSET_ATTRIBUTES):
                known = tracker(value)
                if known:
                    self.scan.problems.append((line, f"<{tag} {name}> names the tracker {known}"))
            if name in URL_ATTRIBUTES and value is not None:
                # <link rel=canonical|alternate> names a URL; it does not load it.
                kind = "a" if tag == "link" and attributes.get("rel") in ("canonical", "alternate") else tag
                if name in NOT_LOADED:
                    kind = "a"
                self.scan.references.append((kind, name, value, line))
            if name in SRCSET_ATTRIBUTES and value:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.scan.references.append((tag, name, candidate.split()[0], line))
        if tag in EMBEDS:
            self.scan.problems.append((line, f"{EMBEDS[tag]}: the site embeds nothing from elsewhere"))
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            target = (attributes.get("content") or "").partition("url=")[2] or \
                     (attributes.get("content") or "").partition("URL=")[2]
            if EXTERNAL.search(target.strip("'\" ")):
                self.scan.problems.append((line, f"<meta http-equiv=refresh> sends the reader to {target.strip()}"))
        if tag == "base" and EXTERNAL.search(attributes.get("href") or ""):
            self.scan.problems.append((line, "<base href> points at another origin"))
        if tag == "script" and "src" not in attributes and attributes.get("type") not in ("application/json", "application/ld+json"):
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


def scan_page(data: bytes, cache: Path | None = None) -> PageScan:
    """Parse one page for ids, references and problems. Parsing is most of a check's time,
    so with a cache folder an unchanged page (same bytes) is never parsed twice."""
    cached = cache / (hashlib.sha256(data).hexdigest()[:32] + ".pickle") if cache else None
    if cached is not None and cached.exists():
        try:
            return pickle.loads(cached.read_bytes())
        except Exception:
            pass
    scanner = _Scanner()
    scanner.feed(data.decode("utf-8"))
    if cached is not None:
        write_whole(cached, pickle.dumps(scanner.scan))
    return scanner.scan


def _scan_pages(folder: Path, scan_cache: Path | None) -> dict:
    """Every page's scan (from the cache when the page's bytes are unchanged); the cache keeps
    only the scans of the pages just checked."""
    scans = {page: scan_page(page.read_bytes(), scan_cache) for page in sorted(folder.rglob("*.html"))}
    if scan_cache is not None:
        keep = {hashlib.sha256(p.read_bytes()).hexdigest()[:32] + ".pickle" for p in scans}
        for stale in scan_cache.glob("*.pickle"):
            if stale.name not in keep:
                stale.unlink(missing_ok=True)
    return scans


def check_site(folder: Path, budget: int | None = None, base_path: str = "/",
               page_budgets: dict[str, int] | None = None, scan_cache: Path | None = None) -> Report:
    """`budget`: bytes a page may load up front, or None not to check weight; `page_budgets`
    overrides it for named pages (the read-it-all page carries every chapter at once).
    `base_path`: the URL path the site is served under, for root-relative URLs ("/blog/")."""
    folder = folder.resolve()
    report = Report()
    scans = _scan_pages(folder, scan_cache)
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
        limit = (page_budgets or {}).get(name, budget)
        if limit is not None and weight > limit:
            report.errors.append(f"{name}: page weight {weight / 1024:.0f} KB is over the budget of "
                                 f"{limit / 1024:.0f} KB")

    _check_modules(folder, report)
    _check_service_worker(folder, report)
    _check_own_code(folder, report)
    return report


def _check_service_worker(folder: Path, report: Report) -> None:
    """Every file the offline cache will ask for exists (a missing one would make the service
    worker's install fail, and with it offline reading)."""
    from .offline import precache_list
    sw = folder / "sw.js"
    if not sw.is_file():
        return
    lists = precache_list(sw.read_text(encoding="utf-8"))
    if lists is None:
        return
    paths = [p for group in ("shell", "runtime") for p, _ in lists.get(group, [])] + list(lists.get("media", []))
    for path in paths:
        target = folder / unquote(path)
        if target.is_dir() or path == "" or path.endswith("/"):
            target = target / "index.html"
        if urlsplit(path).scheme or urlsplit(path).netloc:
            report.errors.append(f"sw.js: caches {path} from another origin")
        elif not target.is_file():
            report.errors.append(f"sw.js: caches {path}, which is missing")


def _check_own_code(folder: Path, report: Report) -> None:
    """The site's own scripts and stylesheets (not the vendored Pyodide) name no other origin."""
    own = sorted(folder.glob("assets/js/**/*.js")) + sorted(folder.glob("assets/*.css")) + \
        ([folder / "sw.js"] if (folder / "sw.js").is_file() else [])
    for file in own:
        text = file.read_text(encoding="utf-8", errors="replace")
        name = file.relative_to(folder).as_posix()
        if file.suffix == ".css":
            urls = [m.group("url") for m in CSS_URL.finditer(text)]
        else:
            code = re.sub(r"^\s*//.*$", "", text, flags=re.M)           # comments may cite sources
            urls = [m.group(0) for m in re.finditer(r"""(?<=["'`])(?:https?:)?//[^"'`\s]+""", code)]
            if re.search(r"\bsendBeacon\s*\(", code):
                report.errors.append(f"{name}: calls navigator.sendBeacon (the site reports nothing)")
        for url in urls:
            if EXTERNAL.match(url) or urlsplit(url).scheme in ("http", "https"):
                known = tracker(url)
                report.errors.append(f"{name}: " + (f"names the tracker {known}" if known
                                                    else f"loads {url} from another origin"))


def _check_modules(folder: Path, report: Report) -> None:
    # Pagefind's own bundle names "./pagefind_web_bg.js" as a key of WebAssembly imports, not a file.
    for module in sorted(m for m in folder.rglob("*.js") if m.relative_to(folder).parts[0] != "search"):
        for match in JS_IMPORT.finditer(module.read_text(encoding="utf-8")):
            if not (module.parent / match.group(1)).is_file():
                report.errors.append(f"{module.relative_to(folder).as_posix()}: imports ./{match.group(1)}, "
                                     "which is missing")
    for config in sorted(folder.glob("assets/runtime.*.json")):
        data = json.loads(config.read_text(encoding="utf-8"))
        paths = [data["runtime"]["url"]] + ([data["worker"]["url"]] if "worker" in data else [])
        paths += [data["pyodide"] + name for name in data.get("pyodide_files", {"pyodide.mjs": None})]
        paths += [m["url"] for m in data.get("weights", {}).get("models", {}).values()]
        for path in paths:
            if not (folder / path).is_file():
                report.errors.append(f"{config.relative_to(folder).as_posix()}: {path} is missing")
