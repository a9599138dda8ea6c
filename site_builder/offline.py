"""Offline reading: `sw.js`, the service worker of one build, with the list of what it keeps.

The worker is generated from `assets/js/sw.js.template` with the build's content hash (its
cache name) and three lists baked in:

- shell: every page (by its URL: `motivation/`, not `motivation/index.html`) and every asset
  but the Python runtime, weights and videos, each asset with its SRI value, so the worker
  keeps only verified copies. Cached when the worker installs, on a reader's first visit.
- runtime: the Pyodide core (and self-hosted packages), the py_runtime wheel, the weights:
  cached once a page has started Python (the page asks), so the lazy start stays lazy.
- media: videos, cached the first time they are played.

`sw.js` is at the site's root (a service worker controls only URLs below its own) and is not
fingerprinted: browsers look for a new version of it on every visit, which is how a new build
replaces the old cache. A `serve` (dev) build gets a worker that removes itself and its
caches instead, so live reload never fights a cache.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .assets import sri_of_hex

TEMPLATE = Path(__file__).parent / "assets" / "js" / "sw.js.template"
SW_PATH = "sw.js"
RUNTIME_PREFIXES = ("assets/pyodide/", "assets/py/", "assets/weights/")
MEDIA_SUFFIXES = (".mp4", ".webm", ".m4v", ".mov")
NOT_CACHED = {"sitemap.xml", "robots.txt", "feed.xml", SW_PATH}
NOT_CACHED_FOLDERS = ("assets/cards/",)        # social cards: for sites that show a shared link, not readers
FILES_BLOCK = re.compile(r"/\*files\*/(?P<json>.*?)/\*end files\*/", re.S)

DEV_WORKER = """\
// `serve` build: no offline cache while developing. This worker removes itself and any cache
// an earlier production build left on this origin, so live reload always shows fresh files.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith("deepfakes-explained:")) await caches.delete(name);
  }
  await self.registration.unregister();
})()));
"""


ROOT_FILES = ("favicon.ico", "manifest.webmanifest")


def page_url(path: str) -> str:
    """`index.html` -> ``, `pca/index.html` -> `pca/`, `404.html` -> `404.html`."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def plan(files: dict[str, bytes | Path], integrity: dict[str, str], file_digest) -> dict:
    """What the worker keeps: {"shell": [[url, sri|None]], "runtime": [[url, sri]], "media": [url]},
    plus "digests" (url -> sha256 hex of the content) for the version hash."""
    shell, runtime, media, digests = [], [], [], {}
    for path in sorted(files):
        content = files[path]
        if path in NOT_CACHED or path.startswith(NOT_CACHED_FOLDERS):
            continue
        hex_digest = file_digest(content) if isinstance(content, Path) else hashlib.sha256(content).hexdigest()
        if path.endswith(".html"):
            url = page_url(path)
            shell.append([url, None])                # pages are the trust root: not checked against themselves
        elif path in ROOT_FILES or path.startswith("search/"):    # asked for by name: the icon, the
            url = path                                              # manifest, the search index
            shell.append([url, sri_of_hex(hex_digest)])
        elif path.startswith("assets/"):
            url = path
            if path.endswith(MEDIA_SUFFIXES):
                media.append(url)
            else:
                value = integrity.get(path) or sri_of_hex(hex_digest)
                (runtime if path.startswith(RUNTIME_PREFIXES) else shell).append([url, value])
        else:
            continue
        digests[url] = hex_digest
    return {"shell": shell, "runtime": runtime, "media": media, "digests": digests}


def service_worker(files: dict[str, bytes | Path], integrity: dict[str, str], file_digest,
                   dev: bool = False) -> bytes:
    """The text of `sw.js` for this build."""
    if dev:
        return DEV_WORKER.encode()
    lists = plan(files, integrity, file_digest)
    template = TEMPLATE.read_text(encoding="utf-8")
    version = hashlib.sha256(json.dumps([lists, template], sort_keys=True).encode()).hexdigest()[:16]
    baked = "{\n" + ",\n".join(
        f'"{group}": [' + ",".join("\n  " + json.dumps(entry, separators=(",", ":")) for entry in lists[group]) + "]"
        for group in ("shell", "runtime", "media")) + "\n}"
    return template.replace("__VERSION__", version).replace("__FILES__", baked).encode()


def add_service_worker(files: dict[str, bytes | Path], integrity: dict[str, str], file_digest,
                       dev: bool = False) -> None:
    """The hook `Builder.build()` calls last: adds `sw.js` to the output."""
    files[SW_PATH] = service_worker(files, integrity, file_digest, dev)


def precache_list(sw_text: str) -> dict | None:
    """The lists baked into a generated `sw.js` (for `check`), or None for a worker without them."""
    match = FILES_BLOCK.search(sw_text)
    if not match or match.group("json").strip() == "__FILES__":
        return None
    return json.loads(match.group("json"))


IMPORT = re.compile(r"""["']\./(?P<name>[\w./-]+\.m?js)["']""")


def module_preloads(demos: dict, demo_scripts: dict[str, str], files: dict[str, bytes | Path],
                    integrity: dict[str, str], used: list[str]):
    """For the page template: `preloads(names, url)` maps the URL of each UI module of those
    demos (all used demos when `names` is None), and of what they import, to its SRI value
    (as JSON text, for an attribute: the template escapes it).

    The page carries that map in `<body data-demo-modules>`; before importing a demo's UI, demos.js
    preloads these modules with `<link rel="modulepreload" integrity>`, and the `import()` of
    the same URL then uses the preloaded, checked copy: subresource integrity for modules,
    although `import()` itself has no `integrity` option."""
    def closure(path: str, seen: list[str]) -> None:
        if path in seen or not isinstance(files.get(path), bytes):
            return
        seen.append(path)
        folder = path.rsplit("/", 1)[0]
        for match in IMPORT.finditer(files[path].decode("utf-8", "replace")):
            closure(f"{folder}/{match.group('name')}", seen)

    def preloads(names, url) -> str:
        seen: list[str] = []
        for name in (used if names is None else names):
            demo = demos.get(name)
            if demo is not None and demo.script.name in demo_scripts:
                closure(demo_scripts[demo.script.name], seen)
        return json.dumps({url(path): integrity[path] for path in seen}, separators=(",", ":"))
    return preloads
