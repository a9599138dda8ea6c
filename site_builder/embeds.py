"""What `::demo NAME`, `::video NAME`, `::figure NAME` and a content image become in a page:
the HTML, and the asset files it needs (returned, never added anywhere: the Builder collects
them from each rendered chapter)."""
from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import escape

from .assets import asset_path
from .chapters import Placed
from .config import Site
from .content import Chapter
from .errors import BuildError
from .registry import Registries


def embedder(env: jinja2.Environment, registries: Registries, demo_scripts: dict[str, str], static_states: dict,
             figure_states: dict, site: Site):
    """The chapters' `embed_html(kind, name, caption, chapter, line) -> Placed`."""
    def embed_html(kind: str, name: str, caption: str, chapter: Chapter, line: int) -> Placed:
        known = {"figure": registries.figures, "demo": registries.demos, "video": registries.videos}[kind]
        if name not in known:
            raise BuildError(f"unknown {kind} '{name}' (known: {', '.join(sorted(known)) or 'none'})",
                             chapter.path, line)
        if kind == "figure":
            picture, files = still_picture(figure_states.get(name, {}), f"figure-{name}", caption or name)
            return Placed(env.get_template("figure.html").render(name=name, picture=picture, caption=caption), files)
        if kind == "demo":
            demo = known[name]
            static, files = still_picture(static_states.get(name, {}), name, demo.title)
            html = env.get_template("demo.html").render(demo=demo, script="../" + demo_scripts[demo.script.name],
                                                        static=static, caption=caption)
            return Placed(html, files)
        return video_html(env, known[name], caption, site, chapter, line)
    return embed_html


def video_html(env: jinja2.Environment, video, caption: str, site: Site, chapter: Chapter, line: int) -> Placed:
    for file in (video.mp4, video.poster, video.captions):
        if not file.exists():
            raise BuildError(f"video '{video.name}' has no render {file.name}: run `make videos`", chapter.path, line)
    files = {kind: (asset_path(f"videos/{f.name}", data := f.read_bytes()), data)
             for kind, f in (("mp4", video.mp4), ("poster", video.poster), ("captions", video.captions))}
    html = env.get_template("video.html").render(video=video, caption=caption, language=site.language,
                                                 **{kind: "../" + path for kind, (path, _) in files.items()})
    return Placed(html, tuple(files.values()))


def still_picture(state: dict, name: str, title: str) -> tuple[str, tuple]:
    """A demo's or figure's still picture (computed at build time) as HTML, and the file it needs."""
    if "html" in state:
        return state["html"], ()
    if "png" in state:
        data, path = state["png"], asset_path(f"prerender/{name}.png", state["png"])
    elif "svg" in state:
        data = state["svg"].encode()
        path = asset_path(f"prerender/{name}.svg", data)
    else:
        return "", ()
    return f'<img src="../{path}" alt="{escape(state.get("alt", title))}" decoding="async">', ((path, data),)


def content_asset(content: Path):
    """The chapters' `asset_url(src, path, line) -> Placed`: an image relative to the chapter's
    file, which must be inside the content folder, fingerprinted under assets/images/."""
    def asset_url(src: str, path: Path, line: int | None) -> Placed:
        file = (path.parent / src.split("#")[0].split("?")[0]).resolve()
        if not file.is_relative_to(content):
            raise BuildError(f"asset {src} is outside the content folder", path, line)
        if not file.is_file():
            raise BuildError(f"missing asset: {src} (looked for {file})", path, line)
        rel = file.relative_to(content).as_posix()
        data = file.read_bytes()
        site_path = asset_path(rel if rel.startswith("images/") else f"images/{rel}", data)
        return Placed("../" + site_path, ((site_path, data),))
    return asset_url
