"""Shared fixtures: throwaway sites for builder tests, the real site built once, a local
server with the production headers, and headless Chromium."""
from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from site_builder.build import Builder, Project  # noqa: E402
from site_builder.config import load_site  # noqa: E402
from site_builder.headers import load_headers  # noqa: E402
from site_builder.output import write_atomic  # noqa: E402

SITE_TOML = """\
title = "Test Site"
subtitle = "A site made by a test"
author = "Tester"
base_url = "https://example.org/blog/"
published = 2026-01-02
chapters = [{chapters}]
"""


SITE = load_site(ROOT / "content" / "site.toml")     # the real site's settings: budgets, chapters, pages
BUDGETS = {"budget": SITE.check.page_budget_kb * 1024,
           "page_budgets": {"all/index.html": SITE.check.all_page_budget_kb * 1024}}
# Built pages: every chapter and standalone page, the index, the read-it-all page and the 404.
PAGE_COUNT = len(SITE.chapters) + len(SITE.pages) + 3


# The Python snapshot and the compiled standard library depend only on the Pyodide files and
# py_runtime (site_builder.snapshot), so every tiny site of a session shares one copy of each
# instead of making its own in Node.
NODE_CACHE = Path(tempfile.mkdtemp(prefix="node-cache-"))


class TinySite:
    """A content folder written by a test: site.toml plus chapters given as Markdown."""

    def __init__(self, folder: Path):
        self.cache = folder / "cache"
        self.cache.mkdir(parents=True)
        for name in ("snapshot", "stdlib"):
            (NODE_CACHE / name).mkdir(exist_ok=True)
            (self.cache / name).symlink_to(NODE_CACHE / name, target_is_directory=True)
        self.content = folder / "content"
        (self.content / "chapters").mkdir(parents=True)
        (self.content / "images").mkdir()
        self.stems: list[str] = []

    def chapter(self, stem: str, body: str, title: str = None, summary: str = "A summary.",
                front: str = "") -> Path:
        title = title or stem.split("-", 1)[1].replace("-", " ").title()
        text = f'+++\ntitle = "{title}"\nsummary = "{summary}"\n{front}+++\n' + textwrap.dedent(body)
        path = self.content / "chapters" / f"{stem}.md"
        path.write_text(text, encoding="utf-8")
        if stem not in self.stems:
            self.stems.append(stem)
        self.write_settings()
        return path

    def write_settings(self, extra: str = "") -> None:
        (self.content / "site.toml").write_text(
            SITE_TOML.format(chapters=", ".join(f'"{s}"' for s in self.stems)) + extra, encoding="utf-8")

    @property
    def project(self) -> Project:
        return Project.at(ROOT, self.content, self.cache)

    def build(self, **kwargs) -> dict:
        return Builder(self.project, **kwargs).build()


@pytest.fixture
def tiny(tmp_path) -> TinySite:
    return TinySite(tmp_path)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The stems of the chapters and pages the builder renders in this test, in order (a rendering
    reused from the render cache is not counted): the builder's render_chapter, wrapped."""
    import site_builder.build as build_module
    rendered, real = [], build_module.render_chapter
    monkeypatch.setattr(build_module, "render_chapter", lambda chapter, *a: rendered.append(chapter.stem)
                        or real(chapter, *a))
    return rendered


class PurePython:
    """Models as the browser runs them (the pure-Python backend, no NumPy), for one test."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def load(self, *args, loader=None):
        """`loader(*args, backend="python")` (py_runtime.load by default); the backend in force for
        everything else stays as it was."""
        from py_runtime import backend, load
        before = backend.current_backend()
        try:
            return (loader or load)(*args, backend="python")
        finally:
            backend.use_backend(before)

    def serve(self, *names: str) -> list:
        """Load these models in pure Python and swap them into the demos' model cache
        (py_runtime.demos._lib.models) until the test ends, so the demos compute with them."""
        from py_runtime.demos._lib import models
        loaded = [self.load(name) for name in names]
        for name, model in zip(names, loaded):
            self.monkeypatch.setitem(models._models, name, model)
        return loaded


@pytest.fixture
def pure_python(monkeypatch) -> PurePython:
    return PurePython(monkeypatch)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content, built once per test session."""
    out = tmp_path_factory.mktemp("site") / "_site"
    write_atomic(Builder(Project.at(ROOT)).build(), out)
    return out


@pytest.fixture(scope="session")
def site_url(built_site):
    from browser_helpers import serve_folder
    with serve_folder(built_site, load_headers(ROOT / "netlify.toml")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    from browser_helpers import CHROMIUM, launch
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: `make test` installs it")
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
