"""Site build figures, printed (not asserted): full build, one-chapter rebuild under `serve`,
and MkDocs building the same Markdown in the same run.

    .venv/bin/python bench/bench_site.py [--runs N]
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.build import Builder, Project  # noqa: E402
from site_builder.output import sync, write_atomic  # noqa: E402

MKDOCS_YML = """site_name: {title}
theme: mkdocs
markdown_extensions: [tables, footnotes, attr_list, admonition, md_in_html, fenced_code, sane_lists, codehilite, toc]
nav:
{nav}
"""


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def mkdocs_project(folder: Path) -> Path:
    """The same chapters as an MkDocs site: front matter turned into a title heading."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    nav = []
    for chapter in sorted((ROOT / "content" / "chapters").glob("*.md")):
        text = chapter.read_text()
        title = re.search(r'^title = "(.*)"$', text, re.M).group(1)
        body = text.split("+++", 2)[2]
        (docs / chapter.name).write_text(f"# {title}\n{body}")
        nav.append(f"  - '{title}': {chapter.name}")
    (docs / "index.md").write_text("# Deepfakes Explained\n")
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(title="Deepfakes Explained", nav="\n".join(nav)))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Warm the prerender cache once, as an author's machine has it after the first build.
        subprocess.run([python, "-m", "site_builder", "build", "--out", str(tmp / "warm")], cwd=ROOT, check=True,
                       capture_output=True)
        ours = [timed([python, "-m", "site_builder", "build", "--out", str(tmp / "ours")], ROOT)
                for _ in range(args.runs)]
        # Cold: an empty cache, so every chapter is rendered and every demo pre-rendered again.
        cold = [timed([python, "-m", "site_builder", "build", "--out", str(tmp / "cold"),
                       "--cache", str(tmp / f"cache-{i}")], ROOT) for i in range(args.runs)]

        mkdocs = shutil.which("mkdocs", path=str(Path(python).parent)) or shutil.which("mkdocs")
        theirs = []
        if mkdocs:
            project = mkdocs_project(tmp / "mkdocs")
            theirs = [timed([mkdocs, "build", "-q", "-d", str(tmp / "mkdocs-out")], project)
                      for _ in range(args.runs)]

        # One-chapter rebuild, as `serve` does it: the Builder keeps its caches between builds.
        content = tmp / "content"
        shutil.copytree(ROOT / "content", content)
        builder = Builder(Project.at(ROOT, content), dev=True)
        out = tmp / "served"
        files = builder.build()
        write_atomic(files, out)
        chapter = content / "chapters" / "06-pca.md"
        rebuilds = []
        for i in range(args.runs * 4):
            chapter.write_text(chapter.read_text() + f"\nAn edit, number {i}.\n")
            started = time.perf_counter()
            new_files = builder.build()
            sync(new_files, out, files)
            rebuilds.append(time.perf_counter() - started)
            files = new_files

    chapters = len(list((ROOT / "content" / "chapters").glob("*.md")))
    print(f"Site build ({chapters} chapters, median of {args.runs} runs, each a fresh `python -m ...` process)")
    print(f"  full build, site_builder      {statistics.median(ours) * 1000:8.0f} ms   (goal < 2000 ms; "
          "render cache warm, as after a first build)")
    print(f"  full build, cold cache        {statistics.median(cold) * 1000:8.0f} ms   "
          "(every chapter rendered, every demo pre-rendered)")
    if theirs:
        print(f"  full build, MkDocs 1.6        {statistics.median(theirs) * 1000:8.0f} ms   "
              f"(site_builder is {statistics.median(theirs) / statistics.median(ours):.1f}x faster)")
    else:
        print("  full build, MkDocs            not installed (pip install mkdocs, or make bench)")
    print(f"  one-chapter rebuild (serve)   {statistics.median(rebuilds) * 1000:8.1f} ms   (goal < 150 ms; "
          f"median of {len(rebuilds)}, max {max(rebuilds) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
