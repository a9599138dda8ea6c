"""Demo figures, printed (not asserted), all in one run in headless Chromium:

- time from navigation to the first demo `ready`, against a bare page that only boots
  Pyodide in a worker (goal: at most 1.2x); both read from the page's own performance
  timeline (navigation start to the mark), so the load event and polling do not count;
- median latency of one interaction per demo: the demo module's INTERACTION sent through
  the site's own worker (postMessage -> Python -> result), as a reader's slider move is;
  beside it the same call on CPython, pure Python and NumPy not used. A demo that draws a
  move in two calls (INTERACTION_AFTER: decoder-swap's frame, mask and composite after its
  swap) gets a second row, "(then)", timed after the first call.

    .venv/bin/python bench/bench_demos.py [--runs N] [--calls N]
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_helpers import launch, open_page, serve_folder  # noqa: E402
from site_builder.build import Builder, Project  # noqa: E402
from site_builder.headers import load_headers  # noqa: E402
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
STAGES = [("demos:loading", "demo starts loading"), ("worker:started", "worker running, settings received"),
          ("worker:pyodide-loaded", "Pyodide loaded (loadPyodide)"), ("worker:wheel-installed", "py_runtime wheel unpacked"),
          ("worker:imported", "py_runtime imported"), ("demos:python-ready", "page told Python is ready"),
          ("demos:weights", "weights fetched and verified"), ("demos:ui-imported", "demo UI module imported"),
          ("demos:first-ready", "first demo ready (mounted, drawn)")]


def interaction_cases(builder: Builder, calls: int) -> list[dict]:
    _, chapters, registries = builder.load()
    used = [n for c in chapters for n in c.demos]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    builder = Builder(Project.at(ROOT))
    cases = interaction_cases(builder, args.calls)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        write_atomic(builder.build(), site)
        pyodide = next((site / "assets" / "pyodide").iterdir()).relative_to(site).as_posix() + "/"
        worker = next((site / "assets" / "js").glob("worker.*.js")).relative_to(site).as_posix()
        config = next((site / "assets").glob("runtime.*.json")).relative_to(site).as_posix()
        (site / "bare.html").write_text(BARE_HTML)
        (site / "bare.js").write_text(BARE_JS.replace("PYODIDE", pyodide))
        (site / "bare-worker.js").write_text(BARE_WORKER)
        (site / "probe.html").write_text(PROBE_HTML.replace("CONFIG", config))
        (site / "probe.js").write_text(PROBE_JS.replace("WORKER", worker))
        (site / "probe-cases.json").write_text(json.dumps(cases))

        with serve_folder(site, load_headers(ROOT / "netlify.toml")) as url, sync_playwright() as playwright:
            browser = launch(playwright)
            bare, first, stages, bare_load = [], [], [], []
            for _ in range(args.runs):
                context, page, _ = open_page(browser)
                page.goto(url + "bare.html", wait_until="commit")
                page.wait_for_selector("#status[data-ready]", state="attached", timeout=120_000)
                bare.append(dict(page.evaluate(MARKS))["bare:ready"] / 1000)
                bare_load.append(json.loads(page.locator("#status").inner_text())["loadPyodide"])
                context.close()

                # Opened at chapter 1's demo, with no smooth scroll: in view from the first frame.
                context, page, _ = open_page(browser, reduced_motion="reduce")
                page.goto(url + "motivation/#demo-python-scratchpad", wait_until="commit")
                page.wait_for_selector("[data-demo][data-state=ready]", state="attached", timeout=120_000)
                stages.append(dict(page.evaluate(MARKS)))
                first.append(stages[-1]["demos:first-ready"] / 1000)
                context.close()

            context, page, log = open_page(browser)
            page.goto(url + "probe.html")
            page.wait_for_selector("#out[data-done]", state="attached", timeout=600_000)
            results = json.loads(page.locator("#out").inner_text())
            context.close()
            browser.close()

    print(f"Demos in headless Chromium (median of {args.runs} cold page loads)")
    print(f"  bare page, Pyodide booted            {statistics.median(bare) * 1000:7.0f} ms")
    print(f"  first demo ready (chapter 1)         {statistics.median(first) * 1000:7.0f} ms   "
          f"= {statistics.median(first) / statistics.median(bare):.2f}x the bare page (goal <= 1.2x)")
    print(f"  loadPyodide() alone: bare page {statistics.median(bare_load):.0f} ms, site's worker "
          f"{statistics.median([s['worker:pyodide-loaded'] - s['worker:started'] for s in stages]):.0f} ms")
    print("  where the first demo's time goes (median ms after navigation, from demos.js's marks):")
    for mark, meaning in STAGES:
        values = [s[mark] for s in stages if mark in s]
        if values:
            print(f"    {meaning:34} {statistics.median(values):7.0f} ms")
    print(f"\nOne interaction per demo (median of {args.calls} calls), through the site's worker")
    print(f"  {'demo':22} {'Pyodide':>10} {'CPython (pure Python)':>24}")
    for case in cases:
        result = results.get(case["name"], {})
        browser_ms = f"{result['median']:8.2f} ms" if "median" in result else f"error: {result.get('error', '?')[:60]}"
        print(f"  {case['name']:22} {browser_ms:>10} {cpython_latency(case, args.calls):21.2f} ms")


if __name__ == "__main__":
    main()
