"""How much the page jumps while a reader scrolls through it and its demos turn live:
Cumulative Layout Shift, printed (not asserted) for every page that embeds a demo.

    .venv/bin/python bench/bench_layout_shift.py [--site _site] [--width 1280 --height 800]

A demo starts when it comes within 400 px of the viewport, and a live demo (its controls, its
readouts) is taller than its pre-rendered picture; fonts swap in too. Each page is scrolled
from top to bottom in 400 px steps, 400 ms apart, in headless Chromium, and the browser's own
`layout-shift` entries (those without recent input) are scored as Core Web Vitals scores them:
the largest session window (shifts less than 1 s apart, at most 5 s long). Below 0.1 is
what Web Vitals calls "good". The elements that moved most are named, so that a regression
can be traced to its demo.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_helpers import launch, open_page, serve_folder  # noqa: E402
from demo_helpers import embedded_demos  # noqa: E402
from site_builder.build import Builder, Project  # noqa: E402
from site_builder.headers import load_headers  # noqa: E402
from site_builder.output import write_atomic  # noqa: E402

RECORD = """window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    const moved = e.sources.map((s) => s.node?.closest?.('[data-demo]')?.dataset.demo
      || s.node?.className || s.node?.parentElement?.className || s.node?.nodeName || '?');
    window.__shifts.push({ value: e.value, time: e.startTime, moved });
  }
}).observe({ type: 'layout-shift', buffered: true });"""


def largest_window(shifts: list[dict]) -> float:
    """Web Vitals' CLS: the largest sum of shifts in a window with gaps < 1 s, at most 5 s long."""
    best = current = 0.0
    start = last = None
    for shift in sorted(shifts, key=lambda s: s["time"]):
        if start is None or shift["time"] - last >= 1000 or shift["time"] - start >= 5000:
            start, current = shift["time"], 0.0
        current += shift["value"]
        last = shift["time"]
        best = max(best, current)
    return best


def scroll_through(page, step_px: int = 400, pause_ms: int = 400) -> None:
    y, height = 0, page.evaluate("document.body.scrollHeight")
    while y < height:
        y += step_px
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(pause_ms)
        height = page.evaluate("document.body.scrollHeight")
    page.wait_for_timeout(3000)                       # the last demos finish turning live


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="bench/bench_layout_shift.py")
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "_site"
            write_atomic(Builder(Project.at(ROOT)).build(), site)
        pages = sorted(set(embedded_demos().values()))
        print(f"{'page':28} {'CLS':>7} {'all shifts':>10}  moved most")
        worst = 0.0
        with sync_playwright() as playwright, serve_folder(site, load_headers(ROOT / "netlify.toml")) as url:
            browser = launch(playwright)
            for path in pages:
                context, page, _ = open_page(browser, viewport={"width": args.width, "height": args.height})
                page.add_init_script(RECORD)
                page.goto(url + path)
                scroll_through(page)
                shifts = page.evaluate("window.__shifts")
                cls = largest_window(shifts)
                worst = max(worst, cls)
                top = sorted(shifts, key=lambda s: -s["value"])[:2]
                moved = "; ".join(f"{s['value']:.3f} {', '.join(dict.fromkeys(s['moved']))}" for s in top)
                print(f"{path:28} {cls:7.4f} {sum(s['value'] for s in shifts):10.4f}  {moved}")
                context.close()
            browser.close()
        print(f"largest CLS {worst:.4f} ({'good' if worst < 0.1 else 'needs improvement' if worst < 0.25 else 'poor'}"
              f" by Web Vitals' thresholds 0.1 / 0.25), viewport {args.width}x{args.height}")


if __name__ == "__main__":
    main()
