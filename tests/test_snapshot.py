"""The build-time memory snapshot of the site's Python (site_builder/snapshot.py): made and
restored under Node by the build, cached, served checked like every runtime file, restored
by the worker, and never in the way: a damaged one, one that fails to restore, or a browser
without DecompressionStream all start Python cold with one console warning."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from browser_helpers import open_page, rewritten, runtime_config, serve_folder, sri
from conftest import ROOT
from site_builder import snapshot as snapshot_module
from site_builder.errors import BuildError
from site_builder.headers import load_headers
from site_builder.runtime import PYODIDE_FILES
from test_faults import settle, status

SCRATCHPAD = '[data-demo="python-scratchpad"]'
PYODIDE = ROOT / "node_modules" / "pyodide"


def start_of(browser, site: Path) -> tuple[str, str, list[str], list[str]]:
    """Open chapter 1 until its scratchpad is live: (how Python started, why, warnings, problems)."""
    with serve_folder(site, load_headers(ROOT / "netlify.toml")) as url:
        context, page, log = open_page(browser)
        warnings = []
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        page.goto(url + "motivation/")
        page.locator(SCRATCHPAD).scroll_into_view_if_needed()
        assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
        how = page.evaluate("[document.documentElement.dataset.pythonStart, document.documentElement.dataset.pythonStartReason]")
        context.close()
    return how[0], how[1], [w for w in warnings if "snapshot" in w], log.problems


# -- the build ---------------------------------------------------------------------------

def test_the_build_serves_a_checked_snapshot_of_the_runtime(built_site):
    _, config = runtime_config(built_site)
    entry = config["snapshot"]
    data = (built_site / entry["url"]).read_bytes()
    assert entry["url"].startswith("assets/py/") and entry["bytes"] == len(data) and entry["integrity"] == sri(data)
    heap = gzip.decompress(data)
    assert len(heap) == entry["raw_bytes"] and heap.startswith(b"\x00snp")   # Pyodide's snapshot header
    assert len(data) < 8e6                                                # at most 8 MB more to download


def test_a_warm_cache_skips_node_and_a_change_makes_a_new_snapshot(tmp_path, monkeypatch):
    digests = [hashlib.sha256((PYODIDE / n).read_bytes()).hexdigest() for n in PYODIDE_FILES]
    made = snapshot_module.Snapshot(b"heap", 4, ("py_runtime",))
    calls = []
    monkeypatch.setattr(snapshot_module, "make_snapshot", lambda *a: calls.append(a) or made)
    first = snapshot_module.cached_snapshot(PYODIDE, digests, b"wheel one", tmp_path)
    again = snapshot_module.cached_snapshot(PYODIDE, digests, b"wheel one", tmp_path)
    assert first == again == made and len(calls) == 1
    snapshot_module.cached_snapshot(PYODIDE, digests, b"wheel two", tmp_path)
    assert len(calls) == 2 and len(list(tmp_path.glob("*.gz"))) == 1            # the old one is gone


def test_a_snapshot_that_does_not_restore_fails_the_build_saying_why(tmp_path, monkeypatch):
    script = tmp_path / "snapshot.cjs"
    script.write_text('if (process.argv[2] === "check") { console.error("RuntimeError: BUILD_ID mismatch"); process.exit(1); }\n'
                      'require("fs").writeFileSync(process.argv[5], "x");\n'
                      'console.log(JSON.stringify({ bytes: 1, modules: [] }));\n')
    monkeypatch.setattr(snapshot_module, "SCRIPT", script)
    with pytest.raises(BuildError, match="restoring the Python snapshot failed") as caught:
        snapshot_module.make_snapshot(PYODIDE, b"not a wheel")
    assert "BUILD_ID mismatch" in str(caught.value)


def scratchpad_site(tiny, settings: str = ""):
    tiny.chapter("01-intro", "::demo python-scratchpad\n", front='demos = ["python-scratchpad"]\n')
    tiny.write_settings("\n[pyodide]\n" + settings)


def test_the_snapshot_setting_is_checked_and_can_be_turned_off(tiny):
    scratchpad_site(tiny, 'snapshot = "yes"\n')
    with pytest.raises(BuildError, match="'pyodide.snapshot' must be") as caught:
        tiny.build()
    assert caught.value.path.name == "site.toml" and caught.value.line
    scratchpad_site(tiny, "snapshot = false\ncompiled_stdlib = false\n")
    files = tiny.build()
    config = json.loads(next(v for k, v in files.items() if k.startswith("assets/runtime.")))
    assert "snapshot" not in config and not any("python-snapshot" in k for k in files)
    stdlib = next(v for k, v in files.items() if k.endswith("/python_stdlib.zip"))
    assert Path(stdlib).read_bytes() == (PYODIDE / "python_stdlib.zip").read_bytes()      # Pyodide's own


# -- the reader's browser ------------------------------------------------------------------

@pytest.mark.browser
def test_python_starts_from_the_snapshot_with_a_fresh_random_state(browser, built_site):
    draws = []
    with serve_folder(built_site, load_headers(ROOT / "netlify.toml")) as url:
        for _ in range(2):
            context, page, log = open_page(browser)
            page.goto(url + "motivation/")
            page.locator(SCRATCHPAD).scroll_into_view_if_needed()
            assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
            assert page.evaluate("document.documentElement.dataset.pythonStart") == "snapshot"
            editor = page.locator(f"{SCRATCHPAD} textarea")
            editor.fill("import random, sys\nprint(random.random(), 'py_runtime.demos.decoder_swap' in sys.modules)")
            editor.press("Control+Enter")
            output = page.locator(f"{SCRATCHPAD} .demo-live .cell-output")
            for _ in range(100):
                if "True" in output.inner_text() or "False" in output.inner_text():
                    break
                page.wait_for_timeout(100)
            value, imported = output.inner_text().split()[:2]
            draws.append(float(value))
            assert imported == "True"                  # the demos' modules came with the snapshot
            context.close()
            assert log.problems == []
    assert draws[0] != draws[1]                        # reseeded: not the numbers frozen at build time


@pytest.mark.browser
def test_a_damaged_snapshot_is_caught_and_python_starts_cold(browser, built_site, tmp_path):
    _, config = runtime_config(built_site)
    good = (built_site / config["snapshot"]["url"]).read_bytes()
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / config["snapshot"]["url"]).write_bytes(good[:1000] + bytes([good[1000] ^ 0xFF]) + good[1001:])
    how, reason, warnings, problems = start_of(browser, site)
    assert how == "cold" and "SHA-256" in reason
    assert len(warnings) == 1 and problems == []


@pytest.mark.browser
def test_a_snapshot_that_fails_to_restore_leaves_python_starting_cold(browser, built_site, tmp_path):
    _, config = runtime_config(built_site)
    garbage = gzip.compress(bytes(config["snapshot"]["raw_bytes"]), mtime=0)      # a heap of zeros, correctly signed
    site = rewritten(built_site, tmp_path / "site", snapshot=garbage)
    how, reason, warnings, problems = start_of(browser, site)
    assert how == "cold" and reason
    assert len(warnings) == 1 and problems == []


@pytest.mark.browser
def test_without_decompression_stream_python_starts_cold(browser, built_site, tmp_path):
    site = rewritten(built_site, tmp_path / "site", worker_prefix="delete globalThis.DecompressionStream;\n")
    how, reason, warnings, problems = start_of(browser, site)
    assert how == "cold" and "DecompressionStream" in reason
    assert len(warnings) == 1 and problems == []


@pytest.mark.browser
def test_a_slow_first_visit_starts_cold_and_the_next_visit_from_the_kept_snapshot(browser, built_site):
    """At 10 Mbps the 6.6 MB snapshot costs more than it saves: the worker measures that and
    starts cold; the offline copy then keeps the snapshot, and the next visit starts from it."""
    with serve_folder(built_site, load_headers(ROOT / "netlify.toml")) as url:
        context, page, log = open_page(browser, reduced_motion="reduce", service_workers="allow")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8})
        page.goto(url + "motivation/")
        page.locator(SCRATCHPAD).scroll_into_view_if_needed()
        assert settle(page, SCRATCHPAD, timeout_ms=240_000) == "ready", status(page, SCRATCHPAD)
        how = page.evaluate("[document.documentElement.dataset.pythonStart, document.documentElement.dataset.pythonStartReason]")
        assert how[0] == "cold" and "more than it saves" in how[1], how
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        page.wait_for_selector("html[data-offline=all]", state="attached", timeout=180_000)
        page.close()
        page = context.new_page()
        page.goto(url + "motivation/")
        page.locator(SCRATCHPAD).scroll_into_view_if_needed()
        assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
        how = page.evaluate("[document.documentElement.dataset.pythonStart, document.documentElement.dataset.pythonStartReason]")
        assert how == ["snapshot", "already here"], how
        context.close()
    assert log.problems == []
