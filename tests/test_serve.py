"""`serve`: incremental rebuilds that touch only what changed, and live reload over SSE."""
from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
import urllib.request

from browser_helpers import free_port
from conftest import ROOT
from site_builder.build import Builder
from site_builder.output import sync


def test_one_chapter_change_rerenders_only_that_chapter(tiny, tmp_path, renders):
    tiny.chapter("01-one", "## One\n\nFirst.\n")
    tiny.chapter("02-two", "## Two\n\nSecond.\n")
    tiny.chapter("03-three", "## Three\n\nThird, see [one](01-one.md#one).\n")
    builder = Builder(tiny.project)

    out = tmp_path / "out"
    first = builder.build()
    assert sync(first, out, None) and renders == ["01-one", "02-two", "03-three"]
    renders.clear()

    tiny.chapter("02-two", "## Two\n\nSecond, edited.\n")
    second = builder.build()
    changed = sync(second, out, first)
    assert renders == ["02-two"]
    assert "two/index.html" in changed and "one/index.html" not in changed and "three/index.html" not in changed
    assert "Second, edited." in (out / "two" / "index.html").read_text()
    assert "Second, edited." in (out / "all" / "index.html").read_text()


def test_sync_removes_deleted_files(tmp_path):
    out = tmp_path / "out"
    sync({"a.html": b"a", "b/c.html": b"c"}, out, None)
    changed = sync({"a.html": b"a2"}, out, {"a.html": b"a", "b/c.html": b"c"})
    assert sorted(changed) == ["a.html", "b/c.html"]
    assert (out / "a.html").read_bytes() == b"a2" and not (out / "b" / "c.html").exists()


def _get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), dict(err.headers)


def test_serve_rebuilds_and_live_reloads(tiny, tmp_path):
    chapter = tiny.chapter("01-one", "## One\n\nOriginal text.\n")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--port", str(port), "--root", str(ROOT),
         "--content", str(tiny.content), "--out", str(tmp_path / "served")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: [lines.append(line) for line in process.stdout], daemon=True).start()
    try:
        deadline = time.time() + 30
        while not any("Serving" in line for line in lines):
            assert time.time() < deadline and process.poll() is None, "".join(lines)
            time.sleep(0.1)
        base = f"http://127.0.0.1:{port}/"
        status, html, headers = _get(base + "one/")
        assert status == 200 and "Original text." in html
        assert "livereload." in html                               # the dev-only reload script
        assert "Content-Security-Policy" in headers                 # served with the production headers
        assert _get(base + "nowhere/")[0] == 404

        events: list[bytes] = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/__livereload")
        stream = connection.getresponse()
        assert stream.getheader("Content-Type") == "text/event-stream"
        threading.Thread(target=lambda: events.append(stream.readline()) or events.append(stream.readline()),
                         daemon=True).start()
        time.sleep(0.3)

        chapter.write_text(chapter.read_text().replace("Original text.", "Edited text."))
        deadline = time.time() + 15
        while b"data: reload\n" not in events:
            assert time.time() < deadline, (events, lines)
            time.sleep(0.05)
        assert "Edited text." in _get(base + "one/")[1]
        assert any("rebuilt in" in line for line in lines)

        # A broken edit: the error is printed, the last good page stays served.
        chapter.write_text(chapter.read_text().replace("Edited text.", "Broken [link](09-nope.md)."))
        deadline = time.time() + 15
        while not any("no such chapter" in line for line in lines):
            assert time.time() < deadline, lines
            time.sleep(0.05)
        assert any("01-one.md:" in line for line in lines if "no such chapter" in line)
        assert "Edited text." in _get(base + "one/")[1]
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
