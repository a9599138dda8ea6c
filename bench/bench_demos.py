"""Demo figures, printed (not asserted), all in one run in headless Chromium:

- time from navigation to the first demo `ready`, against a bare page that only boots
  Pyodide in a worker; both read from the page's own performance timeline (navigation start
  to the mark), so the load event and polling do not count. Side by side: the site as built
  (its worker restores the build-time memory snapshot when that pays), the same site built
  without a snapshot, and the bare page; on a cold visit, on a revisit (the offline copy
  in place), and cold over a throttled connection (10 Mbps, 40 ms, through CDP); with the
  download of a first visit and the size of the offline copy;
- median latency of one interaction per demo: the demo module's INTERACTION sent through
  the site's own worker (postMessage -> Python -> result), as a reader's slider move is;
  beside it the same call on CPython, pure Python and NumPy not used. A demo that draws a
  move in two calls (INTERACTION_AFTER: decoder-swap's frame, mask and composite after its
  swap) gets a second row, "(then)", timed after the first call. decoder-swap's first row is
  its first call of a slider move, up to the new swap on screen (budget: 100 ms).

    .venv/bin/python bench/bench_demos.py [--runs N] [--calls N] [--interactions-only] [--demos NAME ...]
"""
from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_helpers import launch, open_page, rewritten, runtime_config, serve_folder  # noqa: E402
from site_builder.build import Builder, Project  # noqa: E402
from site_builder.headers import load_headers  # noqa: E402
from site_builder.offline import precache_list  # noqa: E402
from site_builder.runtime import PYODIDE_FILES  # noqa: E402
from site_builder.output import write_atomic  # noqa: E402

BARE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="bare.js"></script></head><body><p id="status">booting</p></body></html>"""
BARE_JS = """const worker = new Worker(new URL("./bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => { performance.mark("bare:ready"); const s = document.getElementById("status"); s.textContent = data; s.dataset.ready = "1"; };
worker.postMessage(new URL("PYODIDE", location.href).href);"""
BARE_WORKER = """self.onmessage = async ({ data: indexURL }) => {
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const started = performance.now();
  const pyodide = await loadPyodide({ indexURL });
  const ms = performance.now() - started;
  postMessage(JSON.stringify({ version: pyodide.runPython("import sys; sys.version.split()[0]"), loadPyodide: ms }));
};"""
# Drives the site's own worker: init, load weights, then time INTERACTION calls.
PROBE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>probe</title>
<script type="module" src="probe.js"></script></head><body data-site-root="./" data-runtime-config="CONFIG">
<pre id="out">running</pre></body></html>"""
PROBE_JS = """const out = document.getElementById("out");
const cases = await (await fetch("probe-cases.json")).json();
const config = await (await fetch(document.body.dataset.runtimeConfig)).json();
const worker = new Worker(new URL("WORKER", location.href), { type: "module" });
let next = 1; const pending = new Map();
worker.onmessage = ({ data }) => {
  if (data.type === "ready") pending.get("boot")(data);
  else if (data.type === "boot-error") out.textContent = "error " + data.message;
  else if (pending.has(data.id)) { pending.get(data.id)(data); pending.delete(data.id); }
};
const request = (message) => new Promise((resolve) => { const id = next++; pending.set(id, resolve); worker.postMessage({ ...message, id }); });
await new Promise((resolve) => { pending.set("boot", resolve); worker.postMessage({ type: "init", config, siteRoot: new URL("./", location.href).href }); });
const results = {};
for (const c of cases) {
  if (c.weights.length) await request({ type: "load", names: c.weights });
  const times = [];
  for (let i = 0; i < c.calls; i++) {
    const t = performance.now();
    const reply = await request({ type: "call", module: c.module, func: c.func, args: c.args });
    if (reply.type !== "result") { results[c.name] = { error: reply.message }; break; }
    times.push(performance.now() - t);
  }
  if (!results[c.name]) { times.sort((a, b) => a - b); results[c.name] = { median: times[times.length >> 1], first: times[0] }; }
}
out.textContent = JSON.stringify(results); out.dataset.done = "1";"""


MARKS = "() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])"
START = "() => document.documentElement.dataset.pythonStart"
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}
FIRST_DEMO = "motivation/#demo-python-scratchpad"      # chapter 1's demo, in view from the first frame
STAGES = [("demos:loading", "demo starts loading"), ("worker:started", "worker running, settings received"),
          ("worker:snapshot-chosen", "snapshot chosen, its download starts"),
          ("worker:snapshot-ready", "snapshot fetched, checked, unpacked"),
          ("worker:pyodide-loaded", "Pyodide loaded (loadPyodide)"), ("worker:wheel-installed", "py_runtime wheel unpacked"),
          ("worker:imported", "py_runtime imported"), ("demos:python-ready", "page told Python is ready"),
          ("demos:weights", "weights fetched and verified"), ("demos:ui-imported", "demo UI module imported"),
          ("demos:first-ready", "first demo ready (mounted, drawn)")]


def interaction_cases(builder: Builder, calls: int, only=None) -> list[dict]:
    _, chapters, registries = builder.load()
    used = [n for c in chapters for n in c.demos if not only or n in only]
    cases = []
    for name in used:
        demo = registries.demos[name]
        module_name = demo.prerender.split(":")[0]
        module = importlib.import_module(module_name)
        if not hasattr(module, "INTERACTION"):
            continue
        func, args = module.INTERACTION
        cases.append({"name": name, "module": module_name, "func": func, "args": args,
                      "weights": list(demo.weights), "calls": calls})
        if hasattr(module, "INTERACTION_AFTER"):       # a move drawn in two calls: the rest, after the first
            func, args = module.INTERACTION_AFTER
            cases.append({"name": f"{name} (then)", "module": module_name, "func": func, "args": args,
                          "weights": list(demo.weights), "calls": calls})
    return cases


def cpython_latency(case: dict, calls: int) -> float:
    from py_runtime import use_backend
    use_backend("python")
    func = getattr(importlib.import_module(case["module"]), case["func"])
    func(**case["args"])
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        func(**case["args"])
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def throttled(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE)


def site_visit(browser, url: str, revisit: bool = False, throttle: bool = False) -> tuple[dict, str]:
    """(the page's marks, how Python started) for one visit at chapter 1's demo; a revisit is a
    second visit in the same browser profile once the offline copy holds everything."""
    context, page, _ = open_page(browser, reduced_motion="reduce")
    if throttle:
        throttled(context, page)
    if revisit:
        page.goto(url + FIRST_DEMO, wait_until="commit")
        page.wait_for_selector("[data-demo][data-state=ready]", state="attached", timeout=180_000)
        page.wait_for_selector("html[data-offline=all]", state="attached", timeout=180_000)
        page.close()                                   # a new tab: a real navigation, not a jump to #demo
        page = context.new_page()
    page.goto(url + FIRST_DEMO, wait_until="commit")
    page.wait_for_selector("[data-demo][data-state=ready]", state="attached", timeout=180_000)
    marks, how = dict(page.evaluate(MARKS)), page.evaluate(START)
    context.close()
    return marks, how


def bare_visit(browser, url: str, revisit: bool = False) -> tuple[float, float]:
    """(ms to the bare page's Python, ms of loadPyodide itself)."""
    context, page, _ = open_page(browser)
    for visit in range(2 if revisit else 1):
        if visit:
            page.close()
            page = context.new_page()
        page.goto(url + "bare.html", wait_until="commit")
        page.wait_for_selector("#status[data-ready]", state="attached", timeout=180_000)
    marks = dict(page.evaluate(MARKS))
    load = json.loads(page.locator("#status").inner_text())["loadPyodide"]
    context.close()
    return marks["bare:ready"], load


def startup(browser, url: str, cold_url: str, runs: int) -> dict:
    """Every start-up figure, each the median of `runs` visits, interleaved so that a busy
    moment of the machine hits all of them alike."""
    rows = {key: [] for key in ("bare", "bare revisit", "site", "site revisit", "no snapshot",
                                "no snapshot revisit", "site throttled", "no snapshot throttled")}
    hows = {key: set() for key in rows}
    stages = []
    for _ in range(runs):
        for key, revisit in (("bare", False), ("bare revisit", True)):
            rows[key].append(bare_visit(browser, url, revisit)[0])
        for key, where, revisit, throttle in (("site", url, False, False), ("site revisit", url, True, False),
                                              ("no snapshot", cold_url, False, False),
                                              ("no snapshot revisit", cold_url, True, False),
                                              ("site throttled", url, False, True),
                                              ("no snapshot throttled", cold_url, False, True)):
            marks, how = site_visit(browser, where, revisit, throttle)
            rows[key].append(marks["demos:first-ready"])
            hows[key].add(how)
            if key == "site":
                stages.append(marks)
    return {"median": {k: statistics.median(v) for k, v in rows.items()}, "how": hows, "stages": stages}


def print_startup(figures: dict, runs: int, sizes: dict) -> None:
    m, how = figures["median"], figures["how"]
    print(f"Start-up in headless Chromium (median of {runs} visits each; ms from navigation to the first demo ready)")
    print(f"  {'':24} {'cold visit':>12} {'revisit':>12} {'throttled cold':>16}")
    print(f"  {'bare page (Pyodide only)':24} {m['bare']:10.0f}   {m['bare revisit']:10.0f}")
    for label, key in (("site, as built", "site"), ("site without snapshot", "no snapshot")):
        throttled_ms = m[f"{key} throttled"]
        print(f"  {label:24} {m[key]:10.0f}   {m[key + ' revisit']:10.0f}   {throttled_ms:14.0f}   "
              f"(Python from: {'/'.join(sorted(how[key]))}, {'/'.join(sorted(how[key + ' revisit']))}, "
              f"{'/'.join(sorted(how[key + ' throttled']))})")
    print(f"  site as built / bare page: cold {m['site'] / m['bare']:.2f}x (goal <= 0.5x), "
          f"revisit {m['site revisit'] / m['bare']:.2f}x of the bare cold boot (goal <= 0.35x), "
          f"{m['site revisit'] / m['bare revisit']:.2f}x of the bare revisit")
    print(f"  throttled: as built {m['site throttled']:.0f} ms against {m['no snapshot throttled']:.0f} ms "
          f"without a snapshot ({m['site throttled'] / m['no snapshot throttled']:.2f}x; goal <= 1.0x)")
    print(f"  download, first demo of a first visit: {sizes['first'] / 1e6:.1f} MB without the snapshot, "
          f"{(sizes['first'] + sizes['snapshot']) / 1e6:.1f} MB with it (+{sizes['snapshot'] / 1e6:.1f} MB, "
          f"{sizes['raw'] / 1e6:.1f} MB unpacked); offline copy (pages, assets, runtime, "
          f"weights, snapshot; videos once played) {sizes['offline'] / 1e6:.1f} MB")


def download_sizes(site: Path) -> dict:
    """Bytes of what the first demo's start downloads, the snapshot, and the offline copy."""
    _, config = runtime_config(site)
    core = sum(f["bytes"] for f in config["pyodide_files"].values())
    wheel = (site / config["runtime"]["url"]).stat().st_size
    snapshot = config.get("snapshot", {})
    lists = precache_list((site / "sw.js").read_text())
    urls = [u for u, _ in lists["shell"] + lists["runtime"]]
    offline = sum((site / (u + "index.html" if u == "" or u.endswith("/") else u)).stat().st_size for u in urls)
    return {"first": core + wheel, "snapshot": snapshot.get("bytes", 0), "raw": snapshot.get("raw_bytes", 0),
            "offline": offline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--start-only", action="store_true", help="only the start-up figures")
    parser.add_argument("--interactions-only", action="store_true", help="only the interaction figures")
    parser.add_argument("--demos", nargs="+", metavar="NAME", help="time only these demos' interactions")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    builder = Builder(Project.at(ROOT))
    cases = [] if args.start_only else interaction_cases(builder, args.calls, args.demos)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        write_atomic(builder.build(), site)
        worker = next((site / "assets" / "js").glob("worker.*.js")).relative_to(site).as_posix()
        config = next((site / "assets").glob("runtime.*.json")).relative_to(site).as_posix()
        (site / "bare.html").write_text(BARE_HTML)
        # The bare page runs Pyodide's own files as npm ships them (its own standard library,
        # not the site's compiled one), as any page that just loads Pyodide would.
        bare = site / "bare-pyodide"
        bare.mkdir()
        for name in PYODIDE_FILES:
            shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, bare / name)
        (site / "bare.js").write_text(BARE_JS.replace("PYODIDE", "bare-pyodide/"))
        (site / "bare-worker.js").write_text(BARE_WORKER)
        (site / "probe.html").write_text(PROBE_HTML.replace("CONFIG", config))
        (site / "probe.js").write_text(PROBE_JS.replace("WORKER", worker))
        (site / "probe-cases.json").write_text(json.dumps(cases))

        cold_site = rewritten(site, Path(tmp) / "cold", without_snapshot=True)
        sizes = download_sizes(site)
        headers = load_headers(ROOT / "netlify.toml")
        with serve_folder(site, headers) as url, serve_folder(cold_site, headers) as cold_url, \
                sync_playwright() as playwright:
            browser = launch(playwright)
            figures = None if args.interactions_only else startup(browser, url, cold_url, args.runs)
            bare_load = [] if args.interactions_only else [bare_visit(browser, url)[1] for _ in range(args.runs)]
            results = {}
            if cases:
                context, page, log = open_page(browser)
                page.goto(url + "probe.html")
                page.wait_for_selector("#out[data-done]", state="attached", timeout=600_000)
                results = json.loads(page.locator("#out").inner_text())
                context.close()
            browser.close()

    if figures:
        print_startup_figures(figures, args.runs, sizes, bare_load)
    if not cases:
        return
    print(f"\nOne interaction per demo (median of {args.calls} calls), through the site's worker")
    print(f"  {'demo':22} {'Pyodide':>10} {'CPython (pure Python)':>24}")
    for case in cases:
        result = results.get(case["name"], {})
        browser_ms = f"{result['median']:8.2f} ms" if "median" in result else f"error: {result.get('error', '?')[:60]}"
        print(f"  {case['name']:22} {browser_ms:>10} {cpython_latency(case, args.calls):21.2f} ms")


def print_startup_figures(figures: dict, runs: int, sizes: dict, bare_load: list) -> None:
    stages = figures["stages"]
    print_startup(figures, runs, sizes)
    print(f"  loadPyodide() alone: bare page {statistics.median(bare_load):.0f} ms, site's worker "
          f"{statistics.median([s['worker:pyodide-loaded'] - s['worker:started'] for s in stages]):.0f} ms "
          "(restoring the snapshot, with its download)")
    print("  where the site's first demo's time goes on a cold visit (median ms after navigation, demos.js's marks):")
    for mark, meaning in STAGES:
        values = [s[mark] for s in stages if mark in s]
        if values:
            print(f"    {meaning:34} {statistics.median(values):7.0f} ms")


if __name__ == "__main__":
    main()
