"""Offline reading: the service worker the build generates, and what it does in Chromium.

After a first visit (of any page: Python need not have started), every chapter and every demo
works with the server gone, and Pyodide is not downloaded again; a new build installs a new cache and
deletes the old one; with service workers not allowed, or JavaScript off, the site reads
the same."""
from __future__ import annotations

import re
import shutil
import time

import pytest

from browser_helpers import open_page
from conftest import ROOT
from site_builder import offline
from site_builder.build import Builder, Project
from site_builder.check import check_site
from site_builder.output import write_atomic
from test_faults import faulty_server, poll, settle

SCRATCHPAD = '[data-demo="python-scratchpad"]'
DRAW = '[data-demo="autoencoder-draw"]'


# -- the generated worker (no browser) ----------------------------------------------------------
def test_the_build_writes_a_service_worker_listing_every_page_and_asset(built_site):
    text = (built_site / "sw.js").read_text()
    lists = offline.precache_list(text)
    shell = dict(lists["shell"])
    runtime = dict(lists["runtime"])
    pages = {offline.page_url(p.relative_to(built_site).as_posix()) for p in built_site.rglob("*.html")}
    assert pages <= set(shell) and all(shell[p] is None for p in pages)
    assert any(p.startswith("assets/js/worker.") for p in shell) and any(p.endswith(".css") for p in shell)
    assert {p.rsplit("/", 1)[1] for p in runtime if p.startswith("assets/pyodide/")} >= {
        "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
    assert any(p.startswith("assets/py/") and p.endswith(".whl") for p in runtime)
    assert any(p.endswith(".safetensors") for p in runtime)
    # Every asset is cached with its SHA-256, and that value is right.
    import base64
    import hashlib
    for path, integrity in list(runtime.items()) + [(p, i) for p, i in shell.items() if i]:
        digest = base64.b64encode(hashlib.sha256((built_site / path).read_bytes()).digest()).decode()
        assert integrity == "sha256-" + digest, path
    assert re.search(r'const VERSION = "[0-9a-f]{16}"', text)
    assert not re.search(r"https?://", text)


def test_the_version_follows_the_content_and_dev_builds_get_no_cache(tiny):
    tiny.chapter("01-intro", "# Intro\n\nSome text.\n")
    first = tiny.build()["sw.js"].decode()
    again = tiny.build()["sw.js"].decode()
    tiny.chapter("01-intro", "# Intro\n\nOther text.\n")
    changed = tiny.build()["sw.js"].decode()
    version = lambda text: re.search(r'const VERSION = "(\w+)"', text).group(1)
    assert version(first) == version(again) != version(changed)
    assert ["intro/", None] in offline.precache_list(first)["shell"]
    dev = tiny.build(dev=True)["sw.js"].decode()
    assert "unregister" in dev and offline.precache_list(dev) is None


def test_check_catches_a_cached_file_that_is_missing(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    wheel = next((copy / "assets" / "py").rglob("*.whl"))
    wheel.unlink()
    errors = check_site(copy).errors
    assert any(e.startswith("sw.js: caches assets/py/") and "missing" in e for e in errors), errors


# -- in the browser -----------------------------------------------------------------------------


OFFLINE_LEVELS = ("none", "pages", "all")           # the order site.js moves through


def wait_offline_ready(page, level: str = "all", timeout_s: float = 90) -> None:
    """Wait until the offline copy holds `level` or more: it may already be past it."""
    def reached():
        now = page.evaluate("document.documentElement.dataset.offline || 'none'")
        return now in OFFLINE_LEVELS and OFFLINE_LEVELS.index(now) >= OFFLINE_LEVELS.index(level)
    assert poll(page, reached, timeout_s, 250), page.evaluate("document.documentElement.dataset.offline || 'none'")


@pytest.mark.browser
def test_after_opening_the_site_every_page_and_demo_works_with_the_network_cut(browser, built_site):
    context, page, log = open_page(browser, service_workers="allow")
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    with faulty_server(built_site) as (url, faults, served):
        page.goto(url)                                  # the front page: no demo, Python never starts
        wait_offline_ready(page, "all")                 # pages first, then the runtime and weights
        assert workers == [] and page.evaluate("document.documentElement.dataset.demos") is None
        assert "Saved for reading offline, demos included" in page.locator(".site-footer").inner_text()
        # A second visit while online: a demo starts, and nothing of Python is downloaded again.
        before = len(served)
        page.goto(url + "autoencoders/")
        page.locator(DRAW).scroll_into_view_if_needed()
        assert settle(page, DRAW) == "ready"
        assert [p for p in served[before:] if "/assets/" in p] == []
    # The server is gone: every page, and demos on pages never opened before, still work.
    for path in ("", "all/", "pca/", "vectors-and-matrices/", "motivation/"):
        response = page.goto(url + path)
        assert response.ok and response.from_service_worker, path
        assert page.locator("h1").count() >= 1
    started = time.perf_counter()
    page.goto(url + "vectors-and-matrices/")
    demo = '[data-demo="matrix-transform"]'
    page.locator(demo).scroll_into_view_if_needed()
    assert settle(page, demo) == "ready", page.locator(f"{demo} .demo-status").inner_text()
    print(f"offline second visit: matrix-transform ready in {time.perf_counter() - started:.1f} s")
    context.close()
    assert log.problems == []


@pytest.mark.browser
def test_the_offline_copy_waits_until_the_first_demo_has_started(browser, built_site):
    """The service worker's downloads and SHA-256 checks would slow Python's start down, so on a
    page whose demo starts at once it is registered only after that demo is ready."""
    # Opened at the demo, with no smooth scrolling: the demo is in view from the first frame.
    context, page, log = open_page(browser, reduced_motion="reduce", service_workers="allow")
    with faulty_server(built_site) as (url, faults, served):
        page.goto(url + "motivation/#demo-python-scratchpad")
        assert settle(page, SCRATCHPAD) == "ready"
        wait_offline_ready(page, "all")
        marks = dict(page.evaluate("performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])"))
    context.close()
    assert marks["demos:loading"] < marks["demos:first-ready"] < marks["offline:register"], marks
    assert log.problems == []


@pytest.mark.browser
def test_a_new_build_replaces_the_old_cache(browser, tmp_path):
    builder = Builder(Project.at(ROOT))
    files = builder.build()
    out = tmp_path / "site"
    write_atomic(files, out)
    with faulty_server(out) as (url, faults, served):
        context, page, log = open_page(browser, service_workers="allow")
        page.goto(url + "motivation/")
        page.locator(SCRATCHPAD).scroll_into_view_if_needed()
        assert settle(page, SCRATCHPAD) == "ready"
        wait_offline_ready(page, "all")
        old = page.evaluate("caches.keys()")
        assert len(old) == 1
        # A new build: one page changed, so a new version; the Python runtime did not change.
        new_files = dict(files)
        page_html = new_files["motivation/index.html"].decode()
        new_files["motivation/index.html"] = page_html.replace("</h1>", " (second edition)</h1>", 1).encode()
        offline.add_service_worker(new_files, {}, builder._file_digest)
        assert new_files["sw.js"] != files["sw.js"]
        write_atomic(new_files, out)
        before = len(served)
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        assert poll(page, lambda: len(keys := page.evaluate("caches.keys()")) == 1 and keys != old, 60, 250)
        new = page.evaluate("caches.keys()")
        assert len(new) == 1 and new != old                       # the old cache is gone
        assert not [p for p in served[before:] if "pyodide" in p or ".safetensors" in p]   # copied, not downloaded
    page.goto(url + "motivation/")                                 # server gone: the new edition, from the cache
    assert "(second edition)" in page.locator("h1").inner_text()
    wait_offline_ready(page, "all", 30)
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "ready"
    context.close()
    assert log.problems == []


@pytest.mark.browser
def test_without_service_workers_the_site_and_its_demos_work(browser, site_url):
    context, page, log = open_page(browser, service_workers="block")
    page.goto(site_url + "motivation/")
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "ready"
    assert page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.controller : null") is None
    assert "Saved for reading offline" not in page.locator(".site-footer").inner_text()
    context.close()
    assert log.problems == []


@pytest.mark.browser
def test_with_javascript_off_every_page_and_prerendered_demo_reads(browser, site_url, built_site):
    context, page, log = open_page(browser, java_script_enabled=False)
    for html in sorted(built_site.rglob("*.html")):
        path = offline.page_url(html.relative_to(built_site).as_posix())
        page.goto(site_url + path)
        assert page.locator("h1").count() >= 1, path
        for demo in page.locator("[data-demo]").all():
            assert demo.get_attribute("data-state") == "static"
            assert demo.locator(".demo-static").inner_html().strip(), (path, demo.get_attribute("data-demo"))
    context.close()
    assert log.problems == []


@pytest.mark.browser
def test_a_video_is_kept_when_played_and_then_served_in_ranges_offline(browser, built_site):
    lists = offline.precache_list((built_site / "sw.js").read_text())
    if not lists["media"]:
        pytest.skip("this build embeds no video")
    video = lists["media"][0]
    data = (built_site / video).read_bytes()
    context, page, log = open_page(browser, service_workers="allow")
    with faulty_server(built_site) as (url, faults, served):
        page.goto(url)
        wait_offline_ready(page, "pages")
        page.reload()                                   # now controlled by the service worker
        # What a <video> does when the reader presses play: a range request.
        first = page.evaluate("(u) => fetch(u, {headers: {Range: 'bytes=0-99'}}).then((r) => r.status)", url + video)
        assert first in (200, 206)
        assert poll(page, lambda: page.evaluate(
            "(u) => caches.keys().then((k) => caches.open(k[0])).then((c) => c.match(u)).then((r) => !!r)",
            url + video), 30, 200)
    got = page.evaluate("""(u) => fetch(u, {headers: {Range: 'bytes=10-29'}}).then(async (r) =>
        [r.status, r.headers.get('content-range'), Array.from(new Uint8Array(await r.arrayBuffer()))])""", url + video)
    assert got[0] == 206 and got[1] == f"bytes 10-29/{len(data)}" and bytes(got[2]) == data[10:30]
    tail = page.evaluate("(u) => fetch(u, {headers: {Range: 'bytes=-5'}}).then(async (r) => "
                         "Array.from(new Uint8Array(await r.arrayBuffer())))", url + video)
    assert bytes(tail) == data[-5:]
    context.close()
    assert log.problems == []
