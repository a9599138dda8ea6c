"""Headless Chromium for the tests: Debian's chromium driven by Playwright, every request that
is not to this machine blocked and recorded, console errors and CSP violations collected."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_folder(folder: Path, headers=None):
    """Serve a built site on 127.0.0.1 with netlify.toml's headers; yields the base URL."""
    from site_builder.headers import HeaderRules
    from site_builder.serve import make_server
    server = make_server(folder, free_port(), headers or HeaderRules(()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageLog:
    """Everything a page did that a self-contained, error-free site must not do."""
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)                  # the page's (and its workers')
    service_worker_requests: list[str] = field(default_factory=list)   # the offline copy's

    @property
    def problems(self) -> list[str]:
        return ([f"blocked request: {u}" for u in self.blocked] + [f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors])


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_page(browser, **context_options):
    """A new page, in a context of its own, whose non-localhost requests are aborted and logged.
    The offline copy's service worker is blocked unless a test allows it (`service_workers=
    "allow"`: test_offline.py, test_snapshot.py): left to run, it would copy the whole site in
    the background of every test (123 requests, served by this process)."""
    context = browser.new_context(**{"service_workers": "block", **context_options})
    log = PageLog()

    def route(route_, request):
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            (log.service_worker_requests if request.service_worker else log.requests).append(request.url)
            return route_.continue_()
        log.blocked.append(request.url)
        return route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    return context, page, log


def runtime_config(site: Path) -> tuple[Path, dict]:
    path = next((site / "assets").glob("runtime.*.json"))
    return path, json.loads(path.read_text())


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def rewritten(site: Path, out: Path, snapshot: bytes | None = None, worker_prefix: str = "",
              without_snapshot: bool = False) -> Path:
    """A copy of the built site whose snapshot or worker script is replaced (or whose snapshot
    is left out), with every SRI that names them (the runtime settings, and the pages and
    service worker naming those) updated: wrong in content but passing every check, as a bad
    build would serve it; or the same site as built with `snapshot = false`."""
    shutil.copytree(site, out)
    path, config = runtime_config(out)
    old_config_sri = sri(path.read_bytes())
    if without_snapshot:
        gone = config.pop("snapshot")["url"]
        (out / gone).unlink()
        sw = out / "sw.js"                      # and out of the offline copy's list
        text = re.sub(r'\[\s*"' + re.escape(gone) + r'"\s*,\s*"[^"]*"\s*\],?\s*', "", sw.read_text())
        sw.write_text(re.sub(r'"' + re.escape(gone) + r'"\s*:\s*"[0-9a-f]+",?\s*', "", text))
    if snapshot is not None:
        (out / config["snapshot"]["url"]).write_bytes(snapshot)
        config["snapshot"].update(integrity=sri(snapshot), bytes=len(snapshot))
    if worker_prefix:
        worker = out / config["worker"]["url"]
        worker.write_text(worker_prefix + worker.read_text())
        config["worker"]["integrity"] = sri(worker.read_bytes())
    data = json.dumps(config, indent=1, sort_keys=True).encode()
    path.write_bytes(data)
    for page in [*out.rglob("*.html"), out / "sw.js"]:
        page.write_text(page.read_text().replace(old_config_sri, sri(data)))
    return out
