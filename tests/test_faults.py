"""Faults in headless Chromium: a network that drops while Python or the weights load, a
damaged weights file, a Python worker that raises, hangs or dies, and a slow connection.
Each time the demo says what happened in place, offers a control that really retries, and
the text stays readable; nothing garbled is drawn.

The network is broken two ways: Playwright routing (aborting a request, serving altered
bytes), with service workers blocked so that every request really reaches the route, and a
test server that misbehaves itself (drops the connection half-way through a file, or sends
it slowly), which nothing in the browser can tell from a real network."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest

from browser_helpers import free_port, open_page
from conftest import ROOT
from scratchpad_helpers import shows_example
from site_builder.headers import load_headers

pytestmark = pytest.mark.browser
HEADERS = load_headers(ROOT / "netlify.toml")
SCRATCHPAD = '[data-demo="python-scratchpad"]'
DRAW = '[data-demo="autoencoder-draw"]'


# -- a server that misbehaves on purpose -------------------------------------------------------
@contextmanager
def faulty_server(folder: Path, faults: dict | None = None):
    """Serve `folder` like `serve_folder`, but a request whose path ends with a key of `faults`
    gets that fault: ("drop", fraction) sends that share of the file and closes the connection;
    ("slow", bytes_per_second) trickles it. `served` records every path asked for."""
    from site_builder.serve import QuietServer, SiteHandler
    faults = dict(faults or {})
    served: list[str] = []

    class Handler(SiteHandler):
        def do_GET(self):
            served.append(self.path)
            fault = next((f for suffix, f in faults.items() if self.path.split("?")[0].endswith(suffix)), None)
            if fault is None:
                return super().do_GET()
            data = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(self.path))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            kind, amount = fault
            try:
                if kind == "drop":
                    self.wfile.write(data[: int(len(data) * amount)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                elif kind == "slow":
                    step = max(1, int(amount / 20))
                    for start in range(0, len(data), step):
                        self.wfile.write(data[start:start + step])
                        self.wfile.flush()
                        time.sleep(0.05)
            except OSError:
                pass

    handler = type("Faulty", (Handler,), {"header_rules": HEADERS, "reload_signal": None})
    server = QuietServer(("127.0.0.1", free_port()), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", faults, served
    finally:
        server.shutdown()
        server.server_close()


def settle(page, selector: str, timeout_ms: int = 120_000) -> str:
    page.wait_for_selector(f'{selector}[data-state="ready"], {selector}[data-state="error"]',
                           timeout=timeout_ms, state="attached")
    return page.locator(selector).get_attribute("data-state")


def wait_for_error(page, selector: str, timeout_ms: int = 20_000) -> str:
    page.wait_for_selector(f'{selector}[data-state="error"]', timeout=timeout_ms, state="attached")
    return page.locator(f"{selector} .demo-status").inner_text()


def status(page, selector: str) -> str:
    return page.locator(f"{selector} .demo-status").inner_text()


def retry_button(page, selector: str):
    return page.locator(f"{selector} .demo-retry")


def text_is_readable(page) -> None:
    assert page.locator("h1").is_visible()
    assert page.locator("main p").first.is_visible()
    assert page.evaluate("document.querySelector('main').innerText.length") > 2000


def poll(page, predicate, timeout_s: float = 30, step_ms: int = 100) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        page.wait_for_timeout(step_ms)
    return predicate()


def without_expected(problems: list[str], *expected: str) -> list[str]:
    return [p for p in problems if not any(e in p for e in expected)]


# -- the network drops while Python loads ------------------------------------------------------
def test_network_drop_while_python_loads_then_retry(browser, site_url):
    context, page, log = open_page(browser, service_workers="block")
    broken = {"on": True}

    def wasm(route, request):
        if broken["on"]:
            return route.abort("connectionreset")
        return route.continue_()
    context.route("**/pyodide.asm.wasm", wasm)
    page.goto(site_url + "motivation/")
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "error"
    message = status(page, SCRATCHPAD)
    assert "Could not download Python" in message and "try again" in message.lower()
    button = retry_button(page, SCRATCHPAD)
    assert button.is_visible() and button.inner_text() == "Try again"
    assert page.locator(f"{SCRATCHPAD} .demo-static").is_visible()       # the pre-rendered picture stays
    text_is_readable(page)
    broken["on"] = False                                                  # the connection is back
    button.click()
    assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
    assert shows_example(page.locator(f"{SCRATCHPAD} .demo-live .cell-output").inner_text())
    assert not button.is_visible()
    context.close()
    assert without_expected(log.problems, "ERR_CONNECTION_RESET", "Failed to load resource") == []


def test_connection_cut_half_way_through_the_standard_library(browser, built_site):
    """The server sends half of python_stdlib.zip and hangs up: a real mid-download drop."""
    with faulty_server(built_site, {"python_stdlib.zip": ("drop", 0.5)}) as (url, faults, served):
        context, page, log = open_page(browser, service_workers="block")
        page.goto(url + "motivation/")
        page.locator(SCRATCHPAD).scroll_into_view_if_needed()
        assert settle(page, SCRATCHPAD) == "error"
        assert "Could not download Python" in status(page, SCRATCHPAD)
        text_is_readable(page)
        faults.clear()
        retry_button(page, SCRATCHPAD).click()
        assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
        context.close()
    assert without_expected(log.problems, "Failed to load resource", "ERR_") == []


# -- the network drops while the weights load --------------------------------------------------
def test_network_drop_while_weights_load_then_retry(browser, site_url):
    context, page, log = open_page(browser, service_workers="block")
    broken = {"on": True}
    context.route("**/*.safetensors", lambda route, request: route.abort("internetdisconnected")
                  if broken["on"] else route.continue_())
    page.goto(site_url + "autoencoders/")
    page.locator(DRAW).scroll_into_view_if_needed()
    assert settle(page, DRAW) == "error"
    message = status(page, DRAW)
    assert "Could not download the mnist-" in message and "weights" in message, message
    assert page.locator(f"{DRAW} .demo-live").is_hidden()                   # nothing half-made shown
    text_is_readable(page)
    broken["on"] = False
    retry_button(page, DRAW).click()
    assert settle(page, DRAW) == "ready", status(page, DRAW)
    assert page.locator(f"{DRAW} .demo-live").is_visible()
    context.close()
    assert without_expected(log.problems, "ERR_INTERNET_DISCONNECTED", "Failed to load resource") == []


# -- damaged files -------------------------------------------------------------------------------
def serve_damaged(context, pattern: str, damage) -> dict:
    """Answer requests matching `pattern` with damage(the real bytes) until the test sets
    state["damaged"] to False (the server is fixed); state["served"] counts damaged answers."""
    state = {"damaged": True, "served": 0}

    def answer(route, request):
        if not state["damaged"]:
            return route.continue_()
        response = route.fetch()
        state["served"] += 1
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return route.fulfill(status=200, body=damage(response.body()), headers=headers)
    context.route(pattern, answer)
    return state


def flipped(data: bytes, count: int, mask: int) -> bytes:
    """The same size, with `count` bytes in the middle flipped."""
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ mask for b in data[middle:middle + count]) + data[middle + count:]


def fix_and_retry(page, selector: str, state: dict) -> None:
    """The server is fixed: the demo's Try again downloads afresh and comes up ready."""
    state["damaged"] = False
    retry_button(page, selector).click()
    assert settle(page, selector) == "ready", status(page, selector)


@pytest.mark.parametrize("damage", ["corrupted", "truncated"])
def test_damaged_weights_are_caught_by_their_sha256(browser, site_url, damage):
    context, page, log = open_page(browser, service_workers="block")
    state = serve_damaged(context, "**/*.safetensors",      # a few flipped bytes in the floats, or a third
                          lambda data: flipped(data, 64, 0x5A) if damage == "corrupted" else data[: len(data) // 3])
    page.goto(site_url + "autoencoders/")
    page.locator(DRAW).scroll_into_view_if_needed()
    assert settle(page, DRAW) == "error"
    message = status(page, DRAW)
    assert state["served"] >= 1
    assert "damaged" in message and "SHA-256" in message, message
    # Nothing garbled drawn: the live view was never mounted, the pre-rendered picture stays.
    assert page.locator(f"{DRAW} .demo-live").is_hidden()
    assert page.locator(f"{DRAW} .demo-live").inner_html().strip() == ""
    assert page.locator(f"{DRAW} .demo-static").is_visible()
    text_is_readable(page)
    fix_and_retry(page, DRAW, state)
    context.close()
    assert log.problems == []


@pytest.mark.parametrize("file", ["pyodide.asm.mjs", "python_stdlib.zip"])
def test_a_damaged_pyodide_file_is_caught_by_its_sha256(browser, site_url, file):
    """Pyodide's own files are checked too: its script before it is imported, its standard
    library as it streams in; a mismatch ends the start and the worker is discarded."""
    context, page, log = open_page(browser, service_workers="block")
    state = serve_damaged(context, f"**/{file}", lambda data: flipped(data, 16, 0x20))
    page.goto(site_url + "motivation/")
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "error"
    message = status(page, SCRATCHPAD)
    assert state["served"] >= 1
    assert "damaged" in message and "SHA-256" in message and "Try again" in retry_button(page, SCRATCHPAD).inner_text(), message
    text_is_readable(page)
    fix_and_retry(page, SCRATCHPAD, state)
    context.close()
    assert without_expected(log.problems, "Failed to load resource") == []


def test_a_tampered_worker_script_is_never_run(browser, site_url):
    """The Python worker has no `integrity` attribute: the page checks its bytes against the
    SHA-256 in the (itself checked) runtime settings and starts it only from those bytes."""
    context, page, log = open_page(browser, service_workers="block")
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    state = serve_damaged(context, "**/assets/js/worker.*.js",
                          lambda code: code + b"\nself.postMessage({ type: 'ready', version: 'evil' });\n")
    page.goto(site_url + "motivation/")
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "error"
    message = status(page, SCRATCHPAD)
    assert state["served"] >= 1 and workers == []
    assert "Python worker was damaged" in message and "SHA-256" in message, message
    assert page.locator(f"{SCRATCHPAD} .demo-static").is_visible()
    text_is_readable(page)
    fix_and_retry(page, SCRATCHPAD, state)
    assert len(workers) == 1
    context.close()
    assert log.problems == []


# -- the worker hangs, raises or dies -----------------------------------------------------------
def open_scratchpad(browser, site_url, timeout_ms: int = 3000):
    context, page, log = open_page(browser)
    page.goto(site_url + "motivation/")
    page.evaluate(f"document.body.dataset.callTimeoutMs = '{timeout_ms}'")   # a shorter patience, for the test
    page.locator(SCRATCHPAD).scroll_into_view_if_needed()
    assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
    return context, page, log


def run_cell(page, code: str) -> None:
    editor = page.locator(f"{SCRATCHPAD} textarea")
    editor.fill(code)
    editor.press("Control+Enter")


def restart_and_check(page) -> None:
    button = retry_button(page, SCRATCHPAD)
    assert button.is_visible() and button.inner_text() == "Restart Python"
    button.click()
    assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
    output = page.locator(f"{SCRATCHPAD} .demo-live .cell-output")
    assert poll(page, lambda: shows_example(output.inner_text()))
    run_cell(page, "6 * 7")
    assert poll(page, lambda: output.inner_text().strip() == "42")


def test_endless_loop_is_stopped_and_the_worker_restarted(browser, site_url):
    context, page, log = open_scratchpad(browser, site_url)
    workers = []
    page.on("worker", lambda worker: workers.append(worker))
    run_cell(page, "while True:\n    pass")
    started = time.monotonic()
    message = wait_for_error(page, SCRATCHPAD)
    assert time.monotonic() - started < 15
    assert "endless loop" in message and "stopped" in message, message
    # The page stayed responsive while Python spun, and still is.
    assert page.evaluate("1 + 1") == 2
    restart_and_check(page)
    assert len(workers) == 1                      # a fresh worker was started for the restart
    context.close()
    assert log.problems == []


def test_python_exception_escaping_a_call_is_reported_and_restartable(browser, site_url):
    context, page, log = open_scratchpad(browser, site_url)
    run_cell(page, "raise KeyboardInterrupt('stop')")   # the one exception run_cell lets through
    assert "Python failed: KeyboardInterrupt: stop" in wait_for_error(page, SCRATCHPAD)
    restart_and_check(page)
    context.close()
    # The demo's own code gets the rejected call, as the runtime contract says.
    assert without_expected(log.problems, "KeyboardInterrupt") == []


def test_worker_that_dies_is_detected_and_replaced(browser, site_url):
    context, page, log = open_scratchpad(browser, site_url)
    # The interpreter exits under the call: the worker reports a crash at once.
    run_cell(page, "import os\nos._exit(3)")
    message = wait_for_error(page, SCRATCHPAD, 10_000)
    assert "Python crashed" in message, message
    restart_and_check(page)
    # The worker closes itself: it finishes this cell, then never answers again; the next
    # call runs into the per-call timeout.
    run_cell(page, "import js\njs.close()\n'closing'")
    output = page.locator(f"{SCRATCHPAD} .demo-live .cell-output")
    assert poll(page, lambda: "closing" in output.inner_text())
    run_cell(page, "1 + 1")
    assert "stopped" in wait_for_error(page, SCRATCHPAD)
    restart_and_check(page)
    context.close()
    assert without_expected(log.problems, "exit(3)", "ExitStatus", "Program terminated") == []


# -- a slow connection -------------------------------------------------------------------------
def test_slow_connection_shows_progress_and_the_page_stays_responsive(browser, built_site):
    rate = 2_500_000                                        # bytes a second: ~13 MB in ~6 s
    slow = {name: ("slow", rate) for name in ("pyodide.asm.wasm", "python_stdlib.zip")}
    with faulty_server(built_site, slow) as (url, faults, served):
        context, page, log = open_page(browser, service_workers="block")
        page.goto(url + "motivation/")
        demo = page.locator(SCRATCHPAD)
        demo.scroll_into_view_if_needed()
        progress = demo.locator(".demo-progress")
        assert poll(page, lambda: progress.is_visible() and float(progress.get_attribute("value") or 0) > 0, 30)
        assert demo.get_attribute("data-state") == "loading"
        assert "Downloading Python" in status(page, SCRATCHPAD)
        first = float(progress.evaluate("el => el.value"))
        # Responsive: script round trips, scrolling and a link all work while Python downloads.
        latencies = []
        for _ in range(10):
            started = time.perf_counter()
            page.evaluate("new Promise((resolve) => requestAnimationFrame(() => resolve(1)))")
            latencies.append(time.perf_counter() - started)
            page.wait_for_timeout(100)
        page.mouse.wheel(0, 400)
        later = float(progress.evaluate("el => el.value"))
        assert later > first, (first, later)
        assert sorted(latencies)[len(latencies) // 2] < 0.5, latencies
        assert progress.evaluate("el => el.getAttribute('aria-valuetext')").endswith("MB")
        assert settle(page, SCRATCHPAD) == "ready", status(page, SCRATCHPAD)
        assert progress.is_hidden()
        context.close()
    assert log.problems == []
