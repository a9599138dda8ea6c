"""Site search: a Pagefind index of the built pages, made at build time, searched in the browser.

Pagefind (its Python API, driving the pinned binary) indexes each page's `<main>`, leaving out
what a page repeats (sidenotes, demo pictures, the contents, "cite this"). Its
files are served under `search/` (Pagefind names the index's pieces by their hashes; its entry
files are revalidated like pages), and the offline copy keeps them. `assets/js/search.js` loads
them on the reader's first search, not before. The folder's name is fixed so that editing one
page changes that page's file and the index, not every page.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import hashlib
import pickle
from pathlib import Path

from .cache import store
from .errors import BuildError

EXCLUDE = (".sidenote", ".demo-stage", ".demo-status", ".page-toc", ".cite-this", ".anchor", ".kicker",
           ".meta", ".byline",
           ".skip", "nav")
FOLDER = "search"                  # one of config.RESERVED_NAMES: no page takes it
SERVED = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")       # plus the index and the WebAssembly


def _served(path: str) -> bool:
    return path in SERVED or path.endswith((".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter", ".pagefind"))


async def _index(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService
    config = IndexConfig(root_selector="main", exclude_selectors=list(EXCLUDE), force_language=language)
    # The service, not `async with PagefindIndex`, whose exit writes the index into the working
    # directory: the build keeps its files in memory and never writes into the source tree.
    service = await PagefindService().launch()
    try:
        index = await service.create_index(config)
        for url, html in pages.items():
            await index.add_html_file(content=html.decode("utf-8"), url=url)
        return {f["path"]: f["content"] for f in await index.get_files() if _served(f["path"])}
    finally:
        await service.close()


def search_files(pages: dict[str, bytes], language: str, cache: Path) -> dict[str, bytes]:
    """{path inside the search folder: bytes} for `pages` ({URL: HTML}), cached by their content."""
    key = hashlib.sha256(pickle.dumps(sorted(pages.items())) + language.encode()).hexdigest()[:32]
    file = cache / f"{key}.pickle"
    try:
        return pickle.loads(file.read_bytes())
    except (FileNotFoundError, pickle.UnpicklingError, EOFError):
        pass
    try:
        # In a thread of its own: the caller may be running an event loop (serve, Playwright).
        with ThreadPoolExecutor(1) as pool:
            files = pool.submit(lambda: asyncio.run(_index(pages, language.split("-")[0]))).result()
    except ImportError:
        raise BuildError("site search needs Pagefind: pip install 'pagefind[bin]' (make site installs it)") from None
    except Exception as err:                     # the binary missing or failing: say so, not a traceback
        raise BuildError(f"Pagefind could not index the site: {type(err).__name__}: {err}") from None
    store(file, pickle.dumps(files), "*.pickle")
    return files


def add_search(files: dict[str, bytes | Path], pages: dict[str, bytes], base_path: str, language: str,
               cache: Path) -> str:
    """Index `pages` ({site path: HTML}) and add the index under FOLDER; returns the SRI value
    of its entry module, pagefind.js."""
    from .assets import sri
    urls = {base_path + (path[: -len("index.html")] if path.endswith("index.html") else path): html
            for path, html in pages.items()}
    index = search_files(urls, language, cache)
    for path, data in index.items():
        files[f"{FOLDER}/{path}"] = data
    return sri(index["pagefind.js"])
