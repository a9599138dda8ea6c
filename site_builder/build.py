"""The build pipeline, stage by stage (`Builder.run`), each taking values and returning them:

    load -> collect_scripts -> collect_runtime -> build_time_python -> check_videos
         -> render_documents -> write_pages -> the offline list (sw.js)

`Builder.build()` returns every output file in memory ({site path: bytes or source Path});
`build_site()` writes them atomically. Rendering returns the asset files a chapter needs
with its HTML; the build only reads the source tree. The Builder keeps caches (rendered
chapters in site_builder/render_cache.py, file hashes) between calls, which is what makes
`serve` rebuild one chapter in milliseconds.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .assets import Assets, add_js_modules, pygments_css
from .chapters import ChapterServices, RenderedChapter, check_links, content_environment, prefix_ids, render_chapter
from .config import Site, load_site
from .content import Chapter, load_chapters, load_pages
from .embeds import content_asset, embedder
from .errors import BuildError
from .feeds import atom_feed, sitemap
from .fonts import add_fonts
from .cards import add_cards
from .headers import load_headers
from .icons import add_icons
from .output import write_atomic
from .prerender import is_facts, run_prerenders, sources_key
from .references import combined, load_bibliography
from .scholar import cite, last_commit_dates
from .search import FOLDER as SEARCH_FOLDER, add_search
from .registry import Registries, load_registries
from .render_cache import RenderCache
from .project import PACKAGE, Project
from .runtime import (add_pyodide, add_runtime, add_snapshot, add_weights, core_digests, download_sizes,
                      runtime_config)
from .snapshot import cached_snapshot, compiled_stdlib
from .typeset import Typesetter
from .offline import add_service_worker, module_preloads
from .videos import check_current

FACTS_USE = re.compile(r"""\bfacts\s*(?:\.\s*|\[\s*["'])([A-Za-z_]\w*)""")   # facts.bss, facts["bss"]
RUNTIME_VERSION = "0.1.0"
SEARCH_INTEGRITY_SLOT = b"__SEARCH_INTEGRITY__"     # known once the pages are indexed


@dataclass
class Builder:
    project: Project
    base_url: str | None = None
    dev: bool = False                       # serve mode: adds the live-reload script
    strict: bool = False                    # a stale video that cannot be re-rendered is an error
    warn: Callable[[str], None] = field(default=lambda m: print(f"warning: {m}", file=sys.stderr))
    _hash_cache: dict = field(default_factory=dict)
    _renders: RenderCache = field(init=False)

    def __post_init__(self) -> None:
        self._renders = RenderCache(self.project.cache / "chapters")     # rendered chapters, between builds

    # -- stage 1: load ---------------------------------------------------------------
    def load(self) -> tuple[Site, tuple[Chapter, ...], Registries]:
        site = load_site(self.project.site_toml)
        if self.base_url:
            site = site.with_base_url(self.base_url)
        if not self.project.chapters_dir.is_dir():
            raise BuildError("no chapters folder", self.project.chapters_dir)
        chapters = load_chapters(site, self.project.chapters_dir)
        registries = load_registries(self.project.demos_dir, self.project.scenes_toml, self.project.figures_dir)
        return site, chapters, registries

    def load_pages(self, site: Site, chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
        """The standalone pages (FAQ, glossary): outside the reading order, so loaded apart."""
        return load_pages(site, self.project.pages_dir, chapters)

    # -- the stages ------------------------------------------------------------------
    def build(self) -> dict[str, bytes | Path]:
        return self.run().files

    def run(self) -> "Built":
        """Load, collect assets, start the runtime, render, write pages, then the offline list."""
        site, chapters, registries = self.load()
        documents = chapters + self.load_pages(site, chapters)      # everything rendered from Markdown
        assets = Assets()
        scripts = self.collect_scripts(assets, site)
        runtime = self.collect_runtime(assets, site, documents, registries, worker=scripts.js["worker.js"])
        facts, figure_states = self.build_time_python(documents, registries)
        video_files = self.check_videos(documents, registries)
        bibliography = load_bibliography(self.project.bibliography, self.project.cache / "references")
        env = self._template_env()
        manifest = self._manifest()
        with Typesetter(self.project.root / "node_modules", self.project.cache / "math") as typesetter:
            services = self._services(site, documents, registries, scripts, runtime, facts, figure_states,
                                      manifest, env, bibliography, typesetter)
            key = self._context_key(assets, manifest, registries, runtime, facts, figure_states, video_files,
                                    bibliography, typesetter.version)
            rendered = self.render_documents(documents, services, key)
        for result in rendered.values():
            assets.include(result.assets)
        for warning in bibliography.unused({key for r in rendered.values() for key in r.citations}):
            self.warn(warning)
        style = self._stylesheet(assets, site, documents, rendered)
        cards = add_cards(assets, site, documents, registries, runtime.static_states, figure_states,
                          self.project.cache / "cards")
        files = self.write_pages(site, chapters, documents, rendered, registries, scripts, runtime, style, cards,
                                 assets, env, bibliography)
        files.update(assets.files)
        add_service_worker(files, assets.integrity, self._file_digest, self.dev)   # offline reading: sw.js
        return Built(site, files)

    def _services(self, site, documents, registries, scripts, runtime, facts, figure_states, manifest, env,
                  bibliography, typesetter) -> ChapterServices:
        """The builder's answers to what a chapter asks while it renders."""
        return ChapterServices(
            variables={"site": site, "manifest": manifest, "models": manifest.get("models", {}),
                       "download": runtime.download, "facts": facts},
            embed_html=embedder(env, registries, scripts.demos, runtime.static_states, figure_states, site),
            asset_url=content_asset(self.project.content),
            slug_of={c.stem: c.slug for c in documents},
            stem_of_file={c.path.resolve(): c.stem for c in documents},
            typeset=typesetter.typeset,
            bibliography=bibliography,
        )

    def collect_scripts(self, assets: Assets, site: Site) -> "Scripts":
        """The site's and the demos' ES modules, fingerprinted, and the icons."""
        js = add_js_modules(assets, self.project.static / "js", skip=() if self.dev else ("livereload.js",))
        demos = add_js_modules(assets, self.project.demos_dir, prefix="js/demos/")
        icons, web_manifest, favicon = add_icons(assets, site, self.project.cache / "icons")
        return Scripts(js, demos, icons, web_manifest, favicon)

    def collect_runtime(self, assets: Assets, site: Site, documents, registries: Registries,
                        worker: str) -> "Runtime":
        """Pyodide, the py_runtime wheel, the weights and the snapshot, when a page has a demo;
        and every demo's still picture, computed on CPython."""
        used = tuple(sorted({name for c in documents for name in c.demos if name in registries.demos}))
        if not used:
            return Runtime(None, download_sizes(assets, None, None, {}), {}, used)
        packages = site.pyodide.packages if site.pyodide.distribution else ()
        source = self.project.root / (site.pyodide.distribution or site.pyodide.package_dir)
        core = core_digests(source, self._file_digest)
        stdlib = compiled_stdlib(source, core, self.project.cache / "stdlib") if site.pyodide.compiled_stdlib else None
        pyodide = add_pyodide(assets, source, self._file_digest, packages,
                              {"python_stdlib.zip": stdlib} if stdlib else None)
        wheel = add_runtime(assets, self.project.py_runtime, RUNTIME_VERSION)
        weights = add_weights(assets, self.project.weights, {w for n in used for w in registries.demos[n].weights})
        snapshot = None
        if site.pyodide.snapshot:
            made = cached_snapshot(source, core, assets.files[wheel[0]], self.project.cache / "snapshot", stdlib)
            snapshot = add_snapshot(assets, made)
        config = runtime_config(assets, pyodide, wheel, weights, packages,
                                worker=worker, snapshot=snapshot)
        key = sources_key([self.project.py_runtime, self.project.weights / "manifest.json"])
        static_states = run_prerenders({n: registries.demos[n].prerender for n in used},
                                       self.project.root, self.project.cache / "prerender", key)
        return Runtime(config, download_sizes(assets, pyodide, wheel[0], weights, snapshot), static_states, used)

    def check_videos(self, documents, registries: Registries) -> list[str]:
        """The embedded scenes' renders: a stale one is a warning (an error when strict); the
        build never renders. Returns the digests of their files, for the render cache key."""
        used = [registries.videos[n] for n in sorted({v for c in documents for v in c.videos})
                if n in registries.videos]
        check_current(used, strict=self.strict, warn=self.warn)
        return [self._file_digest(f) for v in used for f in (v.mp4, v.poster, v.captions) if f.exists()]

    def render_documents(self, documents, services: ChapterServices, context_key: str) -> dict[str, RenderedChapter]:
        """Every chapter and page to HTML (from the render cache when nothing it reads changed)."""
        rendered = {c.stem: self._render(c, services, context_key) for c in documents}
        self._renders.prune()
        check_links(rendered)
        return rendered

    def write_pages(self, site, chapters, documents, rendered, registries, scripts, runtime, style, cards,
                    assets, env, bibliography) -> dict[str, bytes | Path]:
        """The HTML pages, the feeds, the search index and the site's root files."""
        files: dict[str, bytes | Path] = {}
        js = scripts.js
        page_scripts = [js["site.js"], js["search.js"]] + ([js["demos.js"]] if runtime.demos else []) + \
                       ([js["livereload.js"]] if self.dev else [])
        without_demos = [s for s in page_scripts if s != js["demos.js"]]
        site_pages = [rendered[d.stem] for d in documents[len(chapters):]]   # in the menu, not the reading order
        common = self._common_context(site, len(chapters), site_pages, registries, scripts, runtime, style, assets)
        pages = [rendered[c.stem] for c in chapters]
        total_minutes = sum(p.minutes for p in pages)
        updated = self._updated(site, documents)
        article_updated = max(updated[c.stem] for c in chapters)
        citations = {d.stem: cite(site, d.title, site.base_url + d.url, updated[d.stem],
                                  d.number if d.kind == "chapter" else None, d.slug) for d in documents}
        whole = cite(site, site.title, site.base_url, article_updated)

        def page(template: str, path: str, depth: int | None, **context) -> None:
            prefix = site.base_path if depth is None else "../" * depth
            url = lambda target: (prefix + target) or "./"
            here = path.removesuffix("index.html")
            html = env.get_template(template).render(
                url=url, canonical=site.base_url + here, current=here, **common, **context)
            files[path] = html.encode()

        def document(template: str, p: RenderedChapter, **context) -> None:
            demos = bool(p.chapter.demos)
            page(template, f"{p.chapter.slug}/index.html", 1, page=p, description=p.chapter.summary,
                 og_title=f"{p.chapter.title} · {site.title}", og_type="article",
                 scripts=page_scripts if demos else without_demos, runtime=runtime.config if demos else None,
                 citation=citations[p.chapter.stem], og_image=cards[p.chapter.stem], **context)

        page("index.html", "index.html", 0, chapters=pages, total_minutes=total_minutes,
             demo_count=len(runtime.demos), video_count=len({v for c in chapters for v in c.videos}),
             description=site.description or site.subtitle, og_title=site.title, og_type="website",
             scripts=without_demos, runtime=None, citation=whole, og_image=cards[""])
        for i, p in enumerate(pages):
            document("chapter.html", p, previous=pages[i - 1] if i else None,
                     next=pages[i + 1] if i + 1 < len(pages) else None)
        for p in site_pages:
            document("page.html", p)
        slugs = {p.chapter.slug for p in pages}
        htmls, references = combined([(prefix_ids(p.html, p.chapter.slug, slugs), p.citations) for p in pages],
                                     bibliography)
        page("all.html", "all/index.html", 1, parts=[{"page": p, "html": h} for p, h in zip(pages, htmls)],
             references=references, chapters=pages, total_minutes=total_minutes,
             description=f"All {len(pages)} chapters of {site.title} on one page.", og_title=site.title,
             og_type="article", scripts=page_scripts, runtime=runtime.config, citation=whole, og_image=cards[""])
        page("404.html", "404.html", None, chapters=pages, description="Page not found.", og_title=site.title,
             og_type="website", scripts=without_demos, runtime=None, citation=None, og_image=cards[""])

        files.update(root_files(site, pages, site_pages, updated, article_updated, scripts))
        self._add_search(files, [f"{p.chapter.slug}/index.html" for p in pages + site_pages], site)
        return files

    def _common_context(self, site, chapter_count, site_pages, registries, scripts, runtime, style, assets) -> dict:
        """What every page's template sees: the site, its stylesheet, scripts, icons and menu."""
        css, font_preload = style
        return {"site": site, "css": css, "font_preload": font_preload, "integrity": assets.integrity,
                "meta_csp": load_headers(self.project.netlify_toml).meta_csp,
                "chapter_count": chapter_count, "site_pages": site_pages, "icons": scripts.icons,
                "search_entry": f"{SEARCH_FOLDER}/pagefind.js", "theme_script": scripts.js["theme.js"],
                "preloads": module_preloads(registries.demos, scripts.demos, assets.files, assets.integrity,
                                            list(runtime.demos))}

    def _updated(self, site: Site, documents) -> dict:
        """Each document's "last updated" date: front matter, else its file's last commit."""
        committed = last_commit_dates([d.path for d in documents], self.project.root)
        return {d.stem: d.updated or max(committed.get(d.path, site.published), site.published) for d in documents}

    def _context_key(self, assets, manifest, registries, runtime, facts, figure_states, video_files,
                     bibliography, typesetter_version) -> str:
        """Everything besides its own source that a chapter's rendering reads: part of its cache key."""
        return hashlib.sha256(json.dumps(
            [sorted(assets.files), manifest, str(registries), runtime.static_states, facts, figure_states,
             video_files, bibliography.references, typesetter_version, self._tree_digest(self.project.templates),
             self._tree_digest(PACKAGE, "*.py")],
            sort_keys=True, default=str).encode()).hexdigest()

    def _stylesheet(self, assets: Assets, site: Site, documents, rendered) -> tuple[str, str]:
        """One stylesheet: the fonts (subset to what the pages use), the site's rules, each
        demo's own (demos/NAME.css), then code highlighting. Returns it and the font to preload."""
        texts = [r.html for r in rendered.values()] + [f"{d.title} {d.summary}" for d in documents] + \
            [site.title, site.subtitle, site.description, site.author] + \
            [t.read_text(encoding="utf-8") for t in sorted(self.project.templates.glob("*.html"))]
        fonts, preload = add_fonts(assets, self.project.root / "node_modules", texts, self.project.cache / "fonts")
        parts = [self.project.static / "style.css", *sorted(self.project.demos_dir.glob("*.css"))]
        css = fonts.encode() + b"\n".join(p.read_bytes() for p in parts) + pygments_css().encode()
        return assets.add("site.css", css), preload

    def _add_search(self, files: dict, indexed: list[str], site: Site) -> None:
        """Index the chapters and pages, then write the index's entry module's SRI value into
        every page (the pages are indexed first, so they carry a slot for it)."""
        integrity = add_search(files, {path: files[path] for path in indexed}, site.base_path, site.language,
                               self.project.cache / "search").encode()
        for path, content in files.items():
            if path.endswith(".html"):
                files[path] = content.replace(SEARCH_INTEGRITY_SLOT, integrity)

    # -- helpers ---------------------------------------------------------------------
    def _render(self, chapter: Chapter, services: ChapterServices, context_key: str) -> RenderedChapter:
        """Render a chapter, or reuse the last rendering of the same source in the same context."""
        key = (chapter.digest, str(chapter.path), chapter.number, context_key)
        return self._renders.get(key, lambda: render_chapter(chapter, services, content_environment()))

    def _manifest(self) -> dict:
        path = self.project.weights / "manifest.json"
        if not path.exists():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise BuildError(f"invalid JSON: {err.msg}", path, err.lineno) from None

    def _template_env(self) -> jinja2.Environment:
        self.project.cache.mkdir(parents=True, exist_ok=True)
        return jinja2.Environment(loader=jinja2.FileSystemLoader(self.project.templates),
                                  bytecode_cache=jinja2.FileSystemBytecodeCache(str(self.project.cache)),
                                  autoescape=True, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)

    def build_time_python(self, documents, registries: Registries) -> tuple[dict, dict]:
        """The facts every page may quote, and the pictures of the figures pages embed, computed
        by figures/*.py on CPython (cached by a key over their sources, py_runtime and the manifest)."""
        key = sources_key([self.project.py_runtime, self.project.figures_dir, self.project.weights / "manifest.json"])
        cache = self.project.cache / "figures"
        quoted = {m for c in documents for m in FACTS_USE.findall(c.body)}      # run only what the prose reads
        facts = run_prerenders({m: f for m, f in registries.facts.items() if m in quoted}, self.project.figures_dir.parent,
                               cache, key, what="facts", valid=is_facts)
        used = sorted({n for c in documents for n in c.figures if n in registries.figures})
        pictures = run_prerenders({n: registries.figures[n].function for n in used}, self.project.figures_dir.parent,
                                  cache, key, what="figure")
        return facts, pictures

    def _tree_digest(self, folder: Path, pattern: str = "*") -> str:
        """Changes with any file under `folder`: part of the render cache key."""
        return hashlib.sha256("".join(self._file_digest(p) for p in sorted(folder.rglob(pattern))
                                      if p.is_file() and "__pycache__" not in p.parts).encode()).hexdigest()

    def _file_digest(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self._hash_cache:
            self._hash_cache[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._hash_cache[key]


def root_files(site: Site, pages, site_pages, updated: dict, article_updated, scripts: "Scripts") -> dict[str, bytes]:
    """The sitemap, the Atom feed, the icons and robots.txt, at the site's root."""
    return {
        "sitemap.xml": sitemap(site, [("", article_updated), ("all/", article_updated)] +
                               [(p.chapter.url, updated[p.chapter.stem]) for p in pages + site_pages]),
        "feed.xml": atom_feed(site, [{"path": p.chapter.url, "title": p.chapter.title, "summary": p.chapter.summary,
                                      "updated": updated[p.chapter.stem], "html": p.html} for p in pages]),
        "favicon.ico": scripts.favicon,
        "manifest.webmanifest": scripts.web_manifest,
        "robots.txt": f"User-agent: *\nAllow: /\nSitemap: {site.base_url}sitemap.xml\n".encode(),
    }


@dataclass(frozen=True)
class Scripts:
    """The fingerprinted ES modules (logical name -> site path) and the icons."""
    js: dict[str, str]
    demos: dict[str, str]
    icons: dict
    web_manifest: bytes
    favicon: bytes


@dataclass(frozen=True)
class Runtime:
    """What the pages' demos need: the runtime config's path (None without demos), what it costs
    to download, every used demo's still picture and the used demos' names."""
    config: str | None
    download: dict
    static_states: dict
    demos: tuple[str, ...]


@dataclass(frozen=True)
class Built:
    site: Site
    files: dict[str, bytes | Path]


def build_site(project: Project, out: Path, base_url: str | None = None, verify: bool = True,
               strict: bool = False) -> dict:
    """Build and write atomically; with `verify`, check links and assets before the swap;
    with `strict`, a stale video render fails the build."""
    from .check import check_site
    built = Builder(project, base_url, strict=strict).run()

    def verify_folder(folder: Path) -> None:
        report = check_site(folder, budget=None, base_path=built.site.base_path, scan_cache=project.cache / "scans")
        if report.errors:
            raise BuildError("the built site has problems:\n  " + "\n  ".join(report.errors[:20]))

    write_atomic(built.files, out, verify_folder if verify else None)
    return built.files
