"""The build pipeline: load content, render pages, collect assets, hand the files to output.

`Builder.build()` returns every output file in memory ({site path: bytes or source Path});
`build_site()` writes them atomically. The Builder keeps caches (rendered chapters, file
hashes) between calls, which is what makes `serve` rebuild one chapter in milliseconds.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .assets import Assets, add_js_modules, pygments_css
from .chapters import (ChapterServices, RenderedChapter, check_links, content_environment, prefix_ids,
                       render_chapter)
from .config import Site, load_site
from .content import Chapter, load_chapters, load_pages
from .errors import BuildError
from .feeds import atom_feed, sitemap
from .fonts import add_fonts
from .cards import cached_card
from .headers import load_headers
from .icons import add_icons
from .output import write_atomic
from .prerender import is_facts, run_prerenders, sources_key
from .references import combined, load_bibliography
from .scholar import cite, last_commit_dates
from .search import FOLDER as SEARCH_FOLDER, add_search
from .registry import Registries, load_registries
from .runtime import add_pyodide, add_runtime, add_snapshot, add_weights, core_digests, runtime_config
from .snapshot import cached_snapshot, compiled_stdlib
from .offline import add_service_worker, module_preloads

PACKAGE = Path(__file__).parent
FACTS_USE = re.compile(r"""\bfacts\s*(?:\.\s*|\[\s*["'])([A-Za-z_]\w*)""")   # facts.bss, facts["bss"]
RUNTIME_VERSION = "0.1.0"
SEARCH_INTEGRITY_SLOT = b"__SEARCH_INTEGRITY__"     # known once the pages are indexed


@dataclass(frozen=True)
class Project:
    """Where everything lives. `content` can point elsewhere (tests build throwaway sites)."""
    root: Path
    content: Path
    cache: Path                     # rendered chapters, pre-rendered demos, compiled templates
    figures: Path | None = None     # build-time figures and facts (default: root/figures)

    @classmethod
    def at(cls, root: Path, content: Path | None = None, cache: Path | None = None,
           figures: Path | None = None) -> "Project":
        root = root.resolve()
        return cls(root, (content or root / "content").resolve(), (cache or root / ".build-cache").resolve(),
                   figures.resolve() if figures else None)

    site_toml = property(lambda self: self.content / "site.toml")
    bibliography = property(lambda self: self.content / "references.bib")
    chapters_dir = property(lambda self: self.content / "chapters")
    pages_dir = property(lambda self: self.content / "pages")
    templates = property(lambda self: PACKAGE / "templates")
    static = property(lambda self: PACKAGE / "assets")
    demos_dir = property(lambda self: PACKAGE / "demos")
    scenes_toml = property(lambda self: self.root / "animations" / "scenes.toml")
    figures_dir = property(lambda self: self.figures or self.root / "figures")
    weights = property(lambda self: self.root / "weights")
    py_runtime = property(lambda self: self.root / "py_runtime")
    netlify_toml = property(lambda self: self.root / "netlify.toml")

    def watched(self) -> list[Path]:
        """Folders and files whose change means a rebuild (for `serve`)."""
        return [self.content, PACKAGE / "templates", PACKAGE / "assets", PACKAGE / "demos",
                self.py_runtime, self.figures_dir, self.weights, self.root / "animations", self.netlify_toml]


@dataclass
class Builder:
    project: Project
    base_url: str | None = None
    dev: bool = False                       # serve mode: adds the live-reload script
    strict: bool = False                    # a stale video that cannot be re-rendered is an error
    warn: Callable[[str], None] = field(default=lambda m: print(f"warning: {m}", file=sys.stderr))
    _chapter_cache: dict = field(default_factory=dict)
    _hash_cache: dict = field(default_factory=dict)

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

    # -- stages 2-4: assets, render, pages -------------------------------------------
    def build(self) -> dict[str, bytes | Path]:
        site, chapters, registries = self.load()
        extra_pages = self.load_pages(site, chapters)
        documents = chapters + extra_pages          # everything rendered from Markdown
        headers = load_headers(self.project.netlify_toml)
        assets = Assets()
        js = add_js_modules(assets, self.project.static / "js", skip=() if self.dev else ("livereload.js",))
        demo_scripts = add_js_modules(assets, self.project.demos_dir, prefix="js/demos/")
        icons, web_manifest, favicon = add_icons(assets, site, self.project.cache / "icons")
        manifest = self._manifest()

        used_demos = sorted({name for c in documents for name in c.demos if name in registries.demos})
        runtime = None
        static_states = {}
        download = download_sizes(assets, None, None, {})
        if used_demos:
            packages = site.pyodide.packages if site.pyodide.distribution else ()
            source = self.project.root / (site.pyodide.distribution or site.pyodide.package_dir)
            core = core_digests(source, self._file_digest)
            stdlib = compiled_stdlib(source, core, self.project.cache / "stdlib") if site.pyodide.compiled_stdlib else None
            pyodide = add_pyodide(assets, source, self._file_digest, packages,
                                  {"python_stdlib.zip": stdlib} if stdlib else None)
            wheel = add_runtime(assets, self.project.py_runtime, RUNTIME_VERSION)
            weights = add_weights(assets, self.project.weights,
                                  {w for n in used_demos for w in registries.demos[n].weights})
            snapshot = None
            if site.pyodide.snapshot:
                made = cached_snapshot(source, core, assets.files[wheel[0]], self.project.cache / "snapshot", stdlib)
                snapshot = add_snapshot(assets, made)
            runtime = runtime_config(assets, pyodide, wheel, weights, packages, worker=js["worker.js"],
                                     snapshot=snapshot)
            download = download_sizes(assets, pyodide, wheel[0], weights, snapshot)
            key = sources_key([self.project.py_runtime, self.project.weights / "manifest.json"])
            static_states = run_prerenders({n: registries.demos[n].prerender for n in used_demos},
                                           self.project.root, self.project.cache / "prerender", key)

        facts, figure_states = self.build_time_python(documents, registries)

        # Videos: re-render stale embedded scenes (Manim installed), else warn or, strict, fail.
        from .videos import ensure_current
        used_videos = [registries.videos[n] for n in sorted({v for c in documents for v in c.videos})
                       if n in registries.videos]
        ensure_current(used_videos, strict=self.strict, warn=self.warn)
        video_files = [self._file_digest(f) for v in used_videos for f in (v.mp4, v.poster, v.captions)
                       if f.exists()]

        bibliography = load_bibliography(self.project.bibliography, self.project.cache / "references")
        env = self._template_env()
        embed_html = self._embedder(env, registries, assets, demo_scripts, static_states, figure_states, site)
        services = ChapterServices(
            variables={"site": site, "manifest": manifest, "models": manifest.get("models", {}),
                       "download": download, "facts": facts},
            embed_html=embed_html,
            asset_url=lambda src, path, line: self._content_asset(assets, src, path, line),
            slug_of={c.stem: c.slug for c in documents},
            stem_of_file={c.path.resolve(): c.stem for c in documents},
            bibliography=bibliography,
        )
        context_key = hashlib.sha256(json.dumps(
            [sorted(assets.files), manifest, str(registries), static_states, facts, figure_states, video_files,
             bibliography.references, self._tree_digest(self.project.templates),
             self._tree_digest(PACKAGE, "*.py")],
            sort_keys=True, default=str).encode()).hexdigest()
        rendered = {c.stem: self._render(c, services, assets, context_key) for c in documents}
        self._prune_render_cache()
        check_links(rendered)
        css, font_preload = self._stylesheet(assets, site, documents, rendered)
        for warning in bibliography.unused({key for r in rendered.values() for key in r.citations}):
            self.warn(warning)

        files: dict[str, bytes | Path] = {}
        page_scripts = [js["site.js"], js["search.js"]] + ([js["demos.js"]] if used_demos else []) + \
                       ([js["livereload.js"]] if self.dev else [])
        without_demos = [s for s in page_scripts if s != js["demos.js"]]
        site_pages = [rendered[p.stem] for p in extra_pages]      # in the menu, not in the reading order
        common = {"site": site, "css": css, "font_preload": font_preload, "integrity": assets.integrity,
                  "meta_csp": headers.meta_csp,
                  "chapter_count": len(chapters), "site_pages": site_pages, "icons": icons,
                  "search_entry": f"{SEARCH_FOLDER}/pagefind.js", "theme_script": js["theme.js"],
                  "preloads": module_preloads(registries.demos, demo_scripts, assets.files, assets.integrity, used_demos)}
        pages = [rendered[c.stem] for c in chapters]
        total_minutes = sum(p.minutes for p in pages)
        committed = last_commit_dates([d.path for d in documents], self.project.root)
        updated = {d.stem: d.updated or max(committed.get(d.path, site.published), site.published) for d in documents}
        article_updated = max(updated[c.stem] for c in chapters)
        citations = {d.stem: cite(site, d.title, site.base_url + d.url, updated[d.stem],
                                  d.number if d.kind == "chapter" else None, d.slug) for d in documents}
        whole = cite(site, site.title, site.base_url, article_updated)
        card = self._cards(site, documents, registries, static_states, figure_states, assets)

        def page(template: str, path: str, depth: int | None, **context) -> None:
            prefix = site.base_path if depth is None else "../" * depth
            url = lambda target: (prefix + target) or "./"
            here = path.removesuffix("index.html")
            html = env.get_template(template).render(
                url=url, canonical=site.base_url + here, current=here, **common, **context)
            files[path] = html.encode()

        def scripts_for(document: Chapter) -> list[str]:
            return page_scripts if document.demos else without_demos

        page("index.html", "index.html", 0, chapters=pages, total_minutes=total_minutes,
             demo_count=len(used_demos), video_count=len({v for c in chapters for v in c.videos}),
             description=site.description or site.subtitle, og_title=site.title, og_type="website",
             scripts=without_demos, runtime=None, citation=whole, og_image=card[""])
        for i, p in enumerate(pages):
            has_demos = bool(p.chapter.demos)
            page("chapter.html", f"{p.chapter.slug}/index.html", 1, page=p,
                 previous=pages[i - 1] if i else None, next=pages[i + 1] if i + 1 < len(pages) else None,
                 description=p.chapter.summary, og_title=f"{p.chapter.title} · {site.title}", og_type="article",
                 scripts=scripts_for(p.chapter), runtime=runtime if has_demos else None,
                 citation=citations[p.chapter.stem], og_image=card[p.chapter.stem])
        for p in site_pages:
            page("page.html", f"{p.chapter.slug}/index.html", 1, page=p, description=p.chapter.summary,
                 og_title=f"{p.chapter.title} · {site.title}", og_type="article",
                 scripts=scripts_for(p.chapter), runtime=runtime if p.chapter.demos else None,
                 citation=citations[p.chapter.stem], og_image=card[p.chapter.stem])
        slugs = {p.chapter.slug for p in pages}
        htmls, references = combined([(prefix_ids(p.html, p.chapter.slug, slugs), p.citations) for p in pages],
                                     bibliography)
        parts = [{"page": p, "html": html} for p, html in zip(pages, htmls)]
        page("all.html", "all/index.html", 1, parts=parts, references=references, chapters=pages,
             total_minutes=total_minutes,
             description=f"All {len(pages)} chapters of {site.title} on one page.", og_title=site.title,
             og_type="article", scripts=page_scripts, runtime=runtime, citation=whole, og_image=card[""])
        page("404.html", "404.html", None, chapters=pages, description="Page not found.", og_title=site.title,
             og_type="website", scripts=without_demos, runtime=None, citation=None, og_image=card[""])

        files["sitemap.xml"] = sitemap(site, [("", article_updated), ("all/", article_updated)] +
                                       [(p.chapter.url, updated[p.chapter.stem]) for p in pages + site_pages])
        files["feed.xml"] = atom_feed(site, [{"path": p.chapter.url, "title": p.chapter.title,
                                              "summary": p.chapter.summary, "updated": updated[p.chapter.stem],
                                              "html": p.html} for p in pages])
        self._add_search(files, [f"{p.chapter.slug}/index.html" for p in pages + site_pages], site)
        files["favicon.ico"], files["manifest.webmanifest"] = favicon, web_manifest
        files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {site.base_url}sitemap.xml\n".encode()
        files.update(assets.files)
        add_service_worker(files, assets.integrity, self._file_digest, self.dev)   # offline reading: sw.js
        return files

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

    def _cards(self, site: Site, documents, registries, static_states, figure_states, assets) -> dict[str, str]:
        """Each document's social card (and the site's, under ""), as absolute URLs."""
        def picture(doc) -> bytes | None:
            posters = [registries.videos[v].poster for v in doc.videos if v in registries.videos]
            for poster in posters:
                if poster.is_file():
                    return poster.read_bytes()
            states = [figure_states.get(n, {}) for n in doc.figures] + [static_states.get(n, {}) for n in doc.demos]
            return next((state["png"] for state in states if "png" in state), None)

        cache, cards = self.project.cache / "cards", {}
        chapters = [d for d in documents if d.kind == "chapter"]
        for doc in documents:
            kicker = f"Chapter {doc.number} of {len(chapters)}" if doc.kind == "chapter" else site.title
            data = cached_card(cache, kicker, doc.title, site.title, picture(doc))
            cards[doc.stem] = site.base_url + assets.add(f"cards/{doc.slug}.png", data)
        first = next((p for p in map(picture, chapters) if p), None)
        cards[""] = site.base_url + assets.add("cards/site.png", cached_card(cache, site.subtitle or "", site.title,
                                                                               site.title, first))
        return cards

    # -- helpers ---------------------------------------------------------------------
    def _render(self, chapter: Chapter, services: ChapterServices, assets: Assets,
                context_key: str) -> RenderedChapter:
        """Render a chapter, or reuse the last rendering of the same source in the same context.

        Rendering adds assets (images, videos); a cached rendering replays what it added."""
        key = (chapter.digest, str(chapter.path), chapter.number, context_key)
        if key not in self._chapter_cache:
            cached = self._load_cached(key)
            if cached is None:
                before = set(assets.files)
                result = render_chapter(chapter, services, content_environment())
                added = {p: (assets.files[p], assets.integrity[p]) for p in set(assets.files) - before}
                cached = (result, added)
                self._cache_file(key).parent.mkdir(parents=True, exist_ok=True)
                self._cache_file(key).write_bytes(pickle.dumps(cached))
            # One rendering per chapter file is kept: the one for its current source.
            self._chapter_cache = {k: v for k, v in self._chapter_cache.items() if k[1] != key[1]}
            self._chapter_cache[key] = cached
        result, added = self._chapter_cache[key]
        for path, (data, integrity) in added.items():
            assets.files[path], assets.integrity[path] = data, integrity
        return result

    def _load_cached(self, key):
        file = self._cache_file(key)
        try:
            return pickle.loads(file.read_bytes())
        except FileNotFoundError:
            return None
        except Exception:                  # written by another version: render again
            file.unlink(missing_ok=True)
            return None

    def _cache_file(self, key) -> Path:
        return self.project.cache / "chapters" / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".pickle")

    def _prune_render_cache(self) -> None:
        """Keep on disk only the renderings this build used."""
        keep = {self._cache_file(key) for key in self._chapter_cache}
        for file in (self.project.cache / "chapters").glob("*.pickle"):
            if file not in keep:
                file.unlink(missing_ok=True)

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

    def _embedder(self, env, registries, assets, demo_scripts, static_states, figure_states, site):
        def embed_html(kind: str, name: str, caption: str, chapter: Chapter, line: int) -> str:
            if kind == "figure":
                if name not in registries.figures:
                    raise BuildError(f"unknown figure '{name}' (known: {', '.join(sorted(registries.figures)) or 'none'})",
                                     chapter.path, line)
                picture = self._static_html(figure_states.get(name, {}), f"figure-{name}", assets, caption or name)
                return env.get_template("figure.html").render(name=name, picture=picture, caption=caption)
            if kind == "demo":
                demo = registries.demos.get(name)
                if demo is None:
                    raise BuildError(f"unknown demo '{name}' (known: {', '.join(sorted(registries.demos)) or 'none'})",
                                     chapter.path, line)
                script = "../" + demo_scripts[demo.script.name]
                static = self._static_html(static_states.get(name, {}), name, assets, demo.title)
                return env.get_template("demo.html").render(demo=demo, script=script, static=static, caption=caption)
            video = registries.videos.get(name)
            if video is None:
                raise BuildError(f"unknown video '{name}' (known: {', '.join(sorted(registries.videos)) or 'none'})",
                                 chapter.path, line)
            for file in (video.mp4, video.poster, video.captions):
                if not file.exists():
                    raise BuildError(f"video '{name}' has no render {file.name}: run `make videos`", chapter.path, line)
            urls = {k: "../" + assets.add(f"videos/{f.name}", f.read_bytes())
                    for k, f in (("mp4", video.mp4), ("poster", video.poster), ("captions", video.captions))}
            return env.get_template("video.html").render(video=video, caption=caption, language=site.language, **urls)
        return embed_html

    @staticmethod
    def _static_html(state: dict, name: str, assets: Assets, title: str) -> str:
        from markupsafe import escape
        if "html" in state:
            return state["html"]
        if "png" in state:
            path = assets.add(f"prerender/{name}.png", state["png"])
        elif "svg" in state:
            path = assets.add(f"prerender/{name}.svg", state["svg"].encode())
        else:
            return ""
        return f'<img src="../{path}" alt="{escape(state.get("alt", title))}" decoding="async">'

    def _content_asset(self, assets: Assets, src: str, path: Path, line: int | None) -> str:
        file = (path.parent / src.split("#")[0].split("?")[0]).resolve()
        if not file.is_relative_to(self.project.content):
            raise BuildError(f"asset {src} is outside the content folder", path, line)
        if not file.is_file():
            raise BuildError(f"missing asset: {src} (looked for {file})", path, line)
        rel = file.relative_to(self.project.content).as_posix()
        return "../" + assets.add(rel if rel.startswith("images/") else f"images/{rel}", file.read_bytes())

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


def download_sizes(assets: Assets, pyodide_dir: str | None, wheel: str | None, weights: dict,
                   snapshot: dict | None = None) -> dict:
    """What the demos cost a reader to download, in bytes, for figures quoted in the prose
    (`{{ download.pyodide }}`): measured on this build's files, so never out of date.

    pyodide: the Python interpreter (the core, and self-hosted packages if any), fetched once;
    py_runtime: the site's own Python package; weights: every model and data file the demos
    load (each demo fetches only its own), with the manifest that lists them; snapshot: the
    started interpreter's memory (site_builder.snapshot), fetched on a fast connection and
    always by the offline copy (0 without one)."""
    size = assets.size
    sizes = {
        "pyodide": sum(size(p) for p in assets.files if pyodide_dir and p.startswith(pyodide_dir)),
        "py_runtime": size(wheel) if wheel else 0,
        "weights": sum(size(m["url"]) for m in weights.get("models", {}).values())
                   + (size(weights["manifest"]) if "manifest" in weights else 0),
        "snapshot": snapshot["bytes"] if snapshot else 0,
    }
    return {**sizes, "total": sum(sizes.values())}


def build_site(project: Project, out: Path, base_url: str | None = None, verify: bool = True,
               strict: bool = False) -> dict:
    """Build and write atomically; with `verify`, check links and assets before the swap;
    with `strict`, a stale video render that cannot be re-rendered fails the build."""
    from .check import check_site
    builder = Builder(project, base_url, strict=strict)
    files = builder.build()
    base_path = builder.load()[0].base_path

    def verify_folder(folder: Path) -> None:
        report = check_site(folder, budget=None, base_path=base_path, scan_cache=project.cache / "scans")
        if report.errors:
            raise BuildError("the built site has problems:\n  " + "\n  ".join(report.errors[:20]))

    write_atomic(files, out, verify_folder if verify else None)
    return files
