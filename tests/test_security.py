"""Security: the strict CSP everywhere, subresource integrity on every script, stylesheet and
demo module, no request to another origin, nothing the reader draws or types sent anywhere,
and `check` flagging any external script, embed or tracker added to content."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_helpers import open_page
from conftest import ROOT
from site_builder.check import check_site, tracker
from site_builder.headers import load_headers
from test_faults import faulty_server, poll, settle
from demo_helpers import visible_box

SECRET = "Zq7-reader-secret-42"


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.json = {}
        self._json_id = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script" and dict(attrs).get("type") == "application/json":
            self._json_id = dict(attrs).get("id")

    def handle_data(self, data):
        if self._json_id:
            self.json[self._json_id] = data
            self._json_id = None


def resolve(site: Path, page: Path, url: str) -> Path:
    return site / url.lstrip("/") if url.startswith("/") else (page.parent / url).resolve()


def parse(page: Path) -> Tags:
    tags = Tags()
    tags.feed(page.read_text(encoding="utf-8"))
    return tags


# -- static: CSP and SRI ------------------------------------------------------------------------
def test_every_page_carries_the_strict_csp_as_a_meta_tag(built_site):
    headers = load_headers(ROOT / "netlify.toml")
    header = headers.csp
    for directive in ("script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self' blob:", "connect-src 'self'",
                      "default-src 'self'", "object-src 'none'"):
        assert directive in header
    assert "unsafe-inline" not in header and "'unsafe-eval'" not in header
    for page in built_site.rglob("*.html"):
        metas = [a for t, a in parse(page).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [headers.meta_csp], page


def test_every_script_stylesheet_and_demo_module_has_a_correct_integrity_value(built_site):
    checked = 0
    for page in built_site.rglob("*.html"):
        tags = parse(page)
        for tag, attrs in tags.tags:
            url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" and \
                attrs.get("rel") in ("stylesheet", "modulepreload", "preload") else None
            # no inline script at all; JSON-LD metadata is data, which no browser runs
            assert not (tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json"), page
            if url is None:
                continue
            assert "integrity" in attrs, (page, url)
            assert attrs["integrity"] == sri(resolve(built_site, page, url).read_bytes()), (page, url)
            checked += 1
        body = next((a for t, a in tags.tags if t == "body"), {})
        modules = json.loads(body.get("data-demo-modules") or "{}")
        for url, integrity in modules.items():
            assert integrity == sri(resolve(built_site, page, url).read_bytes()), (page, url)
            checked += 1
        # Every demo on the page has its UI module (and what it imports) in that map.
        for tag, attrs in tags.tags:
            if "data-script" in attrs:
                assert attrs["data-script"] in modules, (page, attrs["data-script"])
        for module in modules:                     # and what each of them imports
            text = resolve(built_site, page, module).read_text()
            for imported in re.findall(r"""from ["']\./([\w.-]+\.js)["']""", text):
                assert module.rsplit("/", 1)[0] + "/" + imported in modules, (page, module, imported)
    assert checked > 40


# -- check flags trackers, embeds and other origins ----------------------------------------------
@pytest.fixture
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def inject(path: Path, html: str) -> None:
    text = path.read_text()
    path.write_text(text.replace("</main>", html + "</main>", 1))


CASES = {
    '<script src="https://cdn.example.com/lib.js"></script>': "loads https://cdn.example.com/lib.js from another origin",
    '<img src="https://www.google-analytics.com/collect?v=1" alt="">': "names the tracker google-analytics.com",
    '<a href="https://arxiv.org/abs/1312.6114" ping="https://t.example.net/p">a paper</a>': "ping> reports",
    '<link rel="preconnect" href="https://fonts.example.com">': "loads https://fonts.example.com from another origin",
    '<link rel="dns-prefetch" href="//www.googletagmanager.com">': "names the tracker googletagmanager.com",
    '<meta http-equiv="refresh" content="0; url=https://elsewhere.example.org/">': "<meta http-equiv=refresh> sends",
    '<object data="https://x.example.com/a.swf"></object>': "<object>: the site embeds nothing",
    '<embed src="https://x.example.com/a.swf">': "<embed>: the site embeds nothing",
    '<iframe src="https://video.example.com/embed"></iframe>': "iframe: the site embeds nothing",
    '<form action="https://collect.example.com/"><input name="q"></form>': "<form action> loads https://collect.example.com/",
    '<img srcset="https://img.example.com/a.png 2x" alt="">': "<img srcset> loads https://img.example.com/a.png",
    '<a href="https://connect.facebook.net/en_US/fbevents.js">x</a>': "names the tracker facebook.net",
    '<svg><image href="https://img.example.com/b.png"/></svg>': "<image href> loads https://img.example.com/b.png",
    '<base href="https://evil.example.com/">': "<base href> points at another origin",
}


@pytest.mark.parametrize("html", sorted(CASES))
def test_check_flags_external_scripts_embeds_and_trackers(site_copy, html):
    inject(site_copy / "orthogonality" / "index.html", html)
    errors = check_site(site_copy).errors
    assert any(e.startswith("orthogonality/index.html:") and CASES[html] in e for e in errors), errors


def test_check_flags_other_origins_in_the_sites_own_code(site_copy):
    script = next((site_copy / "assets" / "js").glob("site.*.js"))
    script.write_text(script.read_text() + '\nfetch("https://stats.example.com/hit");\nnavigator.sendBeacon("/x");\n')
    css = next((site_copy / "assets").glob("site.*.css"))
    css.write_text(css.read_text() + '\n@import "https://fonts.example.com/font.css";\n'
                                     '.x { background: url(https://www.google-analytics.com/p.gif); }\n')
    errors = "\n".join(check_site(site_copy).errors)
    assert f"{script.relative_to(site_copy).as_posix()}: loads https://stats.example.com/hit" in errors
    assert "calls navigator.sendBeacon" in errors
    assert "loads https://fonts.example.com/font.css from another origin" in errors
    assert "names the tracker google-analytics.com" in errors


def test_links_to_papers_are_still_fine_and_the_clean_site_passes(built_site):
    assert tracker("https://arxiv.org/abs/1312.6114") is None
    assert tracker("https://www.google-analytics.com/analytics.js") == "google-analytics.com"
    assert tracker("https://notgoogle-analytics.com/") is None
    assert check_site(built_site).errors == []


# -- in the browser: nothing leaves --------------------------------------------------------------
@pytest.mark.browser
def test_using_the_demos_sends_nothing_anywhere(browser, built_site):
    """Every request that reaches the server (the page's, the workers', the service worker's)
    and every request the browser makes is a GET of a file of the site; none carries what the
    reader typed or drew; none goes to another origin."""
    site_files = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    with faulty_server(built_site) as (url, faults, served):
        context, page, log = open_page(browser)
        requests = []
        context.on("request", lambda r: requests.append((r.method, r.url, r.post_data)))
        page.goto(url + "motivation/")
        page.locator('[data-demo="python-scratchpad"]').scroll_into_view_if_needed()
        assert settle(page, '[data-demo="python-scratchpad"]') == "ready"
        code = page.locator('[data-demo="python-scratchpad"] textarea')
        code.fill(f"secret = '{SECRET}'\nprint(secret * 3)")
        code.press("Control+Enter")
        output = page.locator('[data-demo="python-scratchpad"] .demo-live .cell-output')
        assert poll(page, lambda: SECRET in output.inner_text())
        page.goto(url + "autoencoders/")
        demo = page.locator('[data-demo="autoencoder-draw"]')
        demo.scroll_into_view_if_needed()
        assert settle(page, '[data-demo="autoencoder-draw"]') == "ready"
        canvas = demo.locator("canvas").first
        box = visible_box(canvas)
        page.mouse.move(box["x"] + 10, box["y"] + 10)
        page.mouse.down()
        for i in range(60):
            page.mouse.move(box["x"] + 10 + i * box["width"] / 80, box["y"] + box["height"] * (0.2 + 0.6 * (i % 7) / 7))
        page.mouse.up()
        page.wait_for_timeout(1500)
        context.close()
    assert log.blocked == [] and log.problems == []
    assert requests and all(method == "GET" and body is None for method, _, body in requests), \
        [r for r in requests if r[0] != "GET" or r[2]]
    assert all(u.startswith(url) for _, u, _ in requests)
    for raw in served:
        path = raw.split("?")[0].lstrip("/")
        assert "?" not in raw and SECRET not in raw, raw
        assert path == "" or path in site_files or path + "index.html" in site_files, raw
    assert not any(SECRET in u for _, u, _ in requests)


@pytest.mark.browser
def test_a_tampered_demo_module_is_never_run(browser, site_url):
    """The UI module is served with one character changed: its SHA-256 no longer matches the
    page's, so the browser refuses it and the demo says so instead of running it."""
    context, page, log = open_page(browser, service_workers="block")
    ran = []

    def tamper(route, request):
        response = route.fetch()
        body = response.text().replace("export async function mount(root, python) {",
                                       "export async function mount(root, python) { globalThis.tampered = 1;", 1)
        ran.append(request.url)
        route.fulfill(response=response, body=body)
    context.route("**/assets/js/demos/python-scratchpad.*.js", tamper)
    page.goto(site_url + "motivation/")
    page.locator('[data-demo="python-scratchpad"]').scroll_into_view_if_needed()
    assert settle(page, '[data-demo="python-scratchpad"]') == "error"
    assert "does not match its SHA-256" in page.locator('[data-demo="python-scratchpad"] .demo-status').inner_text()
    assert ran and page.evaluate("globalThis.tampered === undefined")
    context.close()
    assert [p for p in log.problems if "integrity" not in p] == []
