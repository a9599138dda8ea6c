"""Offline figures, printed (not asserted): the size of the offline cache (pages and assets
kept at the first visit, then the Python runtime and weights once the page is idle), the
time of a second visit with the network cut (the server stopped), and the counts of fault
and fuzz cases run by the tests, none failing.

    .venv/bin/python bench/bench_offline.py [--no-tests]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from site_builder.build import Builder, Project  # noqa: E402
from site_builder.offline import precache_list  # noqa: E402
from site_builder.output import write_atomic  # noqa: E402

FAULT_TESTS = ["tests/test_faults.py", "tests/test_offline.py", "tests/test_security.py"]
FUZZ_TESTS = ["tests/test_fuzz_builder.py", "tests/test_fuzz_demos.py"]


def cache_sizes(site: Path) -> dict[str, int]:
    lists = precache_list((site / "sw.js").read_text(encoding="utf-8"))
    size = lambda path: (site / path / "index.html" if path == "" or path.endswith("/") else site / path).stat().st_size
    return {group: sum(size(p) for p, _ in lists[group]) for group in ("shell", "runtime")} | \
        {"files": sum(len(lists[g]) for g in ("shell", "runtime")), "media": sum(size(p) for p in lists["media"])}


def visits(site: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from browser_helpers import launch, open_page
    from test_faults import faulty_server, poll
    demo = '[data-demo="python-scratchpad"]'
    figures = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context, page, log = open_page(browser)
        with faulty_server(site) as (url, _, served):
            started = time.perf_counter()
            page.goto(url + "motivation/")
            page.locator(demo).scroll_into_view_if_needed()
            page.wait_for_selector(f'{demo}[data-state="ready"]', timeout=180_000)
            figures["first visit, demo ready (s)"] = time.perf_counter() - started
            poll(page, lambda: page.evaluate("document.documentElement.dataset.offline || ''") == "all", 120, 250)
            figures["first visit, everything cached (s)"] = time.perf_counter() - started
            figures["requests to the server"] = len(served)
        # The server is stopped: a second visit with the network cut.
        started = time.perf_counter()
        page.goto(url + "vectors-and-matrices/")
        figures["second visit offline, page loaded (s)"] = time.perf_counter() - started
        page.locator('[data-demo="matrix-transform"]').scroll_into_view_if_needed()
        page.wait_for_selector('[data-demo="matrix-transform"][data-state="ready"]', timeout=180_000)
        figures["second visit offline, demo ready (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        page.goto(url + "motivation/")
        page.locator(demo).scroll_into_view_if_needed()
        page.wait_for_selector(f'{demo}[data-state="ready"]', timeout=180_000)
        figures["another chapter offline, demo ready (s)"] = time.perf_counter() - started
        context.close()
        browser.close()
        assert not log.problems, log.problems
    return figures


def run_tests() -> dict[str, int]:
    counts_file = Path(tempfile.mkstemp(prefix="fuzz-counts-")[1])
    env = {**os.environ, "FUZZ_COUNTS_FILE": str(counts_file)}
    result = {}
    for label, files in (("fault and offline/security", FAULT_TESTS), ("fuzz", FUZZ_TESTS)):
        out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "--hypothesis-show-statistics", *files], cwd=ROOT, capture_output=True, text=True,
                             env=env)
        text = out.stdout
        result[f"{label} tests passed"] = int(m.group(1)) if (m := re.search(r"(\d+) passed", text)) else 0
        result[f"{label} tests failed"] = int(m.group(1)) if (m := re.search(r"(\d+) failed", text)) else 0
        if label == "fuzz":
            pairs = re.findall(r"(\d+) passing, (\d+) failing", text)
            result["hypothesis examples (passing)"] = sum(int(p) for p, _ in pairs)
            result["hypothesis examples (failing)"] = sum(int(f) for _, f in pairs)
    counts = dict(line.split() for line in counts_file.read_text().splitlines() if line.strip())
    result["extreme demo inputs"] = int(counts.get("demo-inputs", 0))
    counts_file.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-tests", action="store_true", help="skip running the fault and fuzz tests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "_site"
        write_atomic(Builder(Project.at(ROOT)).build(), site)
        sizes = cache_sizes(site)
        print(f"offline cache: {sizes['files']} files, {(sizes['shell'] + sizes['runtime']) / 1e6:.1f} MB "
              f"(pages and assets {sizes['shell'] / 1e6:.2f} MB at the first visit; Python runtime and weights "
              f"{sizes['runtime'] / 1e6:.1f} MB once the first page is idle; videos {sizes['media'] / 1e6:.1f} MB "
              "when played)")
        for name, value in visits(site).items():
            print(f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}")
    if not args.no_tests:
        for name, value in run_tests().items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
