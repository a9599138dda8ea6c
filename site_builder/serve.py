"""`serve`: build, serve on 127.0.0.1 with the production headers, rebuild on change, reload.

The watcher polls modification times (a few hundred files, a few milliseconds a pass), the
Builder re-renders only what changed, `output.sync` rewrites only changed files, and pages
listening on /__livereload (Server-Sent Events) reload themselves.
"""
from __future__ import annotations

import http.server
import sys
import threading
import time
from functools import partial
from pathlib import Path

from .build import Builder, Project
from .errors import BuildError
from .headers import HeaderRules, load_headers
from .output import sync, write_atomic

RELOAD_PATH = "/__livereload"
EXTRA_TYPES = {".mjs": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip",
               ".vtt": "text/vtt", ".webmanifest": "application/manifest+json", ".xml": "application/xml"}


class ReloadSignal:
    """A build counter that request threads can wait on."""

    def __init__(self):
        self.generation = 0
        self._condition = threading.Condition()

    def bump(self) -> None:
        with self._condition:
            self.generation += 1
            self._condition.notify_all()

    def wait_past(self, generation: int, timeout: float) -> int:
        with self._condition:
            self._condition.wait_for(lambda: self.generation > generation, timeout=timeout)
            return self.generation


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the headers netlify.toml gives them, and the 404 page for misses."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    header_rules: HeaderRules = HeaderRules(())
    reload_signal: ReloadSignal | None = None
    quiet = True

    def send_header(self, keyword, value):
        self._sent = getattr(self, "_sent", set()) | {keyword.lower()}
        super().send_header(keyword, value)

    def end_headers(self):
        path = self.path.split("?")[0]
        for name, value in self.header_rules.for_path(path).items():
            if name.lower() not in getattr(self, "_sent", set()):   # never two Content-Types
                self.send_header(name, value)
        self._sent = set()
        if not path.startswith("/assets/"):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        if self.reload_signal is not None and self.path == RELOAD_PATH:
            return self._event_stream()
        if self.translate_path(self.path) and not Path(self.translate_path(self.path)).exists():
            return self._not_found()
        return super().do_GET()

    def list_directory(self, path):
        """A folder without index.html is a 404 here, as on a static host: no listings."""
        self._not_found()
        return None

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.exists() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _event_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        generation = self.reload_signal.generation
        try:
            while True:
                new = self.reload_signal.wait_past(generation, timeout=15)
                self.wfile.write(b"data: reload\n\n" if new > generation else b": keep-alive\n\n")
                self.wfile.flush()
                generation = new
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(folder: Path, port: int, headers: HeaderRules, host: str = "127.0.0.1",
                reload_signal: ReloadSignal | None = None) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (SiteHandler,), {"header_rules": headers, "reload_signal": reload_signal})
    server = QuietServer((host, port), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    return server


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser closing a connection early is normal; anything else is still reported."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def snapshot(paths: list[Path]) -> dict[Path, int]:
    state = {}
    for root in paths:
        files = [root] if root.is_file() else (root.rglob("*") if root.is_dir() else [])
        for file in files:
            if "__pycache__" in file.parts or file.name.startswith("."):
                continue
            try:
                state[file] = file.stat().st_mtime_ns
            except FileNotFoundError:
                pass
    return state


def serve(project: Project, out: Path, port: int, host: str = "127.0.0.1", interval: float = 0.25) -> None:
    builder = Builder(project, base_url=f"http://{host}:{port}/", dev=True)
    files = builder.build()
    write_atomic(files, out)
    signal = ReloadSignal()
    server = make_server(out, port, load_headers(project.netlify_toml), host, signal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {out} at http://{host}:{port}/ (Ctrl+C to stop); watching for changes.", flush=True)

    seen = snapshot(project.watched())
    try:
        while True:
            time.sleep(interval)
            now = snapshot(project.watched())
            if now == seen:
                continue
            seen = now
            started = time.perf_counter()
            try:
                new_files = builder.build()
            except BuildError as err:
                print(f"error: {err}", file=sys.stderr, flush=True)
                continue
            changed = sync(new_files, out, files)
            files = new_files
            print(f"rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms: "
                  f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed", flush=True)
            if changed:
                signal.bump()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
