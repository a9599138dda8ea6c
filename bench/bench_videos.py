"""Video figures, printed (not asserted): a full render of every scene, and a build whose renders
are all fresh (goal: no rendering at all), plus each committed video's length and size.

The full render goes to a temporary folder: the committed renders in animations/renders/ are
not touched. It takes minutes (`--quality low` for a quicker look, `--skip-full` to leave it out).

    .venv/bin/python bench/bench_videos.py [--quality 720p|low] [--jobs N] [--skip-full] [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder import videos  # noqa: E402
from site_builder.build import Builder, Project  # noqa: E402
from site_builder.registry import load_videos  # noqa: E402

SITE_TOML = """title = "Videos"
author = "Bench"
base_url = "https://example.org/"
published = 2026-01-01
chapters = ["01-videos"]
"""


def cached_build(registry: dict, folder: Path, runs: int) -> tuple[list[float], int]:
    """A site embedding every video, built `runs` times with fresh renders; counts renders started."""
    content = folder / "content"
    (content / "chapters").mkdir(parents=True)
    (content / "site.toml").write_text(SITE_TOML)
    names = sorted(registry)
    body = "\n\n".join(f'::video {n} "{registry[n].title}"' for n in names)
    (content / "chapters" / "01-videos.md").write_text(
        f'+++\ntitle = "Videos"\nsummary = "Every video."\nvideos = {names!r}\n+++\n'.replace("'", '"') + body + "\n")
    started_renders = []
    real = videos.render_one
    videos.render_one = lambda video, *a, **k: started_renders.append(video.name) or real(video, *a, **k)
    try:
        times = []
        for i in range(runs):
            builder = Builder(Project.at(ROOT, content, folder / f"cache-{i}"))   # a new process's view
            started = time.perf_counter()
            builder.build()
            times.append(time.perf_counter() - started)
    finally:
        videos.render_one = real
    return times, len(started_renders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", default=videos.DEFAULT_QUALITY, choices=sorted(videos.QUALITIES))
    parser.add_argument("--jobs", type=int, default=None, help="renders at once (default: the number of cores)")
    parser.add_argument("--skip-full", action="store_true", help="leave out the full render")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    registry = load_videos(ROOT / "animations" / "scenes.toml")

    print(f"Videos ({len(registry)} scenes, Manim {videos.manim_version() or 'not installed'}, "
          f"{videos.default_jobs()} cores)")
    stale = [n for n, v in registry.items() if videos.staleness(v)]
    checks = []
    for _ in range(args.runs * 4):
        started = time.perf_counter()
        videos.ensure_current(registry.values())
        checks.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        builds, renders = cached_build(registry, Path(tmp), args.runs)
    print(f"  freshness check of every scene  {statistics.median(checks) * 1000:8.1f} ms   "
          f"(hashes sources and weights; median of {len(checks)})")
    print(f"  build embedding every video     {statistics.median(builds) * 1000:8.0f} ms   "
          f"(renders fresh: {renders} rendered, goal 0; cold chapter cache, median of {len(builds)})")
    if stale:
        print(f"  (stale before the bench, so rendered by the first build: {', '.join(stale)})")

    print("\n  committed renders: scene, length, MP4 size, poster size, last render time")
    total_length = total_bytes = 0.0
    for name, video in registry.items():
        stamp = videos.read_stamp(video) or {}
        total_length += stamp.get("duration", 0)
        total_bytes += stamp.get("bytes", 0)
        print(f"    {name:24} {stamp.get('duration', 0):5.1f} s  {stamp.get('bytes', 0) / 1e6:5.2f} MB  "
              f"{video.poster.stat().st_size / 1e3 if video.poster.exists() else 0:5.0f} KB  "
              f"{stamp.get('render_seconds', 0):6.1f} s  ({stamp.get('quality', '?')})")
    print(f"    {'all':24} {total_length:5.1f} s  {total_bytes / 1e6:5.2f} MB")

    if args.skip_full:
        return
    with tempfile.TemporaryDirectory() as tmp:
        copies = [replace(v, mp4=Path(tmp) / f"{n}.mp4", poster=Path(tmp) / f"{n}.png", captions=Path(tmp) / f"{n}.vtt")
                  for n, v in registry.items()]
        started = time.perf_counter()
        results = videos.render(copies, args.quality, args.jobs, force=True, log=lambda m: None)
        wall = time.perf_counter() - started
    jobs = min(args.jobs or videos.default_jobs(), len(copies))
    print(f"\n  full render of all {len(results)} scenes at {args.quality}, {jobs} at a time: {wall:.0f} s wall "
          f"({sum(r.seconds for r in results):.0f} s of renders)")
    for r in sorted(results, key=lambda r: -r.seconds):
        print(f"    {r.name:24} {r.seconds:6.1f} s  for {r.duration:4.1f} s of video, {r.bytes / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
