"""`python -m site_builder build|serve|check`. Exit status: 0 fine, 1 a problem in the input
or the built site (printed as file:line: message), 2 wrong usage."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import BuildError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder",
                                     description="Build the Deepfakes Explained static site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into a folder, atomically",
                                description="Render content/ into a self-contained static site. The previous "
                                            "output is replaced only if the whole build succeeds.")
    build.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--base-url", help="absolute URL the site is served from (default: site.toml's base_url)")
    build.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    build.add_argument("--content", type=Path, help="content folder (default: ROOT/content)")
    build.add_argument("--cache", type=Path, help="build cache folder (default: ROOT/.build-cache)")
    build.add_argument("--no-check", action="store_true", help="skip checking links and assets of the output")
    build.add_argument("--strict", action="store_true",
                       help="a stale video render is an error, not a warning (`make videos` renders)")

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild with live reload",
                                description="Build into --out, serve it with the production headers, rebuild "
                                            "and reload open pages when content, templates or assets change.")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site)")
    serve.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    serve.add_argument("--content", type=Path, help="content folder (default: ROOT/content)")
    serve.add_argument("--cache", type=Path, help="build cache folder (default: ROOT/.build-cache)")

    check = commands.add_parser("check", help="check a built site: links, anchors, assets, page weight",
                                description="Report broken links and anchors, missing assets, requests to other "
                                            "origins, CSP violations, and each page's weight against the budget.")
    check.add_argument("dir", type=Path, help="the built site folder")
    check.add_argument("--budget-kb", type=int, help="page weight budget in KB (default: site.toml's check.page_budget_kb)")
    check.add_argument("--base-path", help="URL path the site is served under (default: from site.toml's base_url)")
    check.add_argument("--root", type=Path, default=Path("."), help="project root, to read site.toml (default: .)")

    videos = commands.add_parser("videos", help="render the Manim scenes whose source, Manim or quality changed",
                                 description="Render animations/scenes.toml's scenes into animations/renders/ "
                                             "(MP4, poster, captions, stamp), only the stale ones unless --force.")
    videos.add_argument("names", nargs="*", help="scenes to render (default: all)")
    videos.add_argument("--quality", default=None, help="720p (default, what is committed) or low (480p, 15 fps)")
    videos.add_argument("--jobs", type=int, help="renders at once (default: the number of cores)")
    videos.add_argument("--force", action="store_true", help="render even when the render is fresh")
    videos.add_argument("--list", action="store_true", help="list the scenes and whether each render is fresh")
    videos.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")

    args = parser.parse_args(argv)
    try:
        return {"build": _build, "serve": _serve, "check": _check, "videos": _videos}[args.command](args)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def _project(args):
    from .build import Project
    return Project.at(args.root, args.content, args.cache)


def _build(args) -> int:
    from .build import build_site
    started = time.perf_counter()
    files = build_site(_project(args), args.out, args.base_url, verify=not args.no_check, strict=args.strict)
    print(f"built {len(files)} files into {args.out} in {time.perf_counter() - started:.2f} s")
    return 0


def _videos(args) -> int:
    from . import videos
    from .registry import load_videos
    quality = args.quality or videos.DEFAULT_QUALITY
    if quality not in videos.QUALITIES:
        print(f"error: unknown quality {quality!r} (known: {', '.join(videos.QUALITIES)})", file=sys.stderr)
        return 2
    registry = load_videos(args.root.resolve() / "animations" / "scenes.toml")
    unknown = [n for n in args.names if n not in registry]
    if unknown:
        print(f"error: unknown scene(s) {', '.join(unknown)} (known: {', '.join(registry)})", file=sys.stderr)
        return 2
    chosen = [registry[n] for n in (args.names or registry)]
    if args.list:
        for video in chosen:
            stamp = videos.read_stamp(video) or {}
            why = videos.staleness(video, quality)
            print(f"{video.name:28} {'fresh' if not why else 'STALE: ' + why}"
                  + (f"  ({stamp['duration']:.1f} s, {stamp['bytes'] / 1e6:.2f} MB)" if not why else ""))
        return 0
    started = time.perf_counter()
    results = videos.render(chosen, quality, args.jobs, force=args.force)
    done = [r for r in results if r.rendered]
    print(f"{len(done)} rendered, {len(results) - len(done)} fresh, in {time.perf_counter() - started:.1f} s")
    return 0


def _serve(args) -> int:
    from .serve import serve
    serve(_project(args), args.out, args.port, args.host)
    return 0


def _check(args) -> int:
    from .check import check_site
    from .config import CheckSettings, load_site
    if not args.dir.is_dir():
        print(f"error: {args.dir} is not a folder", file=sys.stderr)
        return 2
    site_toml = args.root / "content" / "site.toml"
    site = load_site(site_toml) if site_toml.exists() else None
    settings = site.check if site else CheckSettings()
    budget_kb = args.budget_kb or settings.page_budget_kb
    base_path = args.base_path or (site.base_path if site else "/")
    all_kb = settings.all_page_budget_kb
    report = check_site(args.dir, budget=budget_kb * 1024, base_path=base_path,
                        page_budgets={"all/index.html": all_kb * 1024})
    for name, weight in sorted(report.weights.items()):
        print(f"{weight / 1024:8.1f} KB  {name}")
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"checked {report.pages} pages: {'no problems' if report.ok else f'{len(report.errors)} problems'} "
          f"(budget {budget_kb} KB a page, {all_kb} KB for all/)")
    return 0 if report.ok else 1
