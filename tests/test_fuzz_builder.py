"""Property-based tests: random Markdown, front matter and directive arguments fed to the
builder. It either builds, or stops with a BuildError naming the file and line; never any
other exception, never a half-written `_site/`; and the command line prints `file:line:
message` with exit status 1, never a traceback."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from conftest import ROOT, TinySite
from site_builder.build import build_site
from site_builder.config import Site, load_site
from site_builder.errors import BuildError

KNOWN_DEMOS = ["python-scratchpad", "matrix-transform"]
NAMES = st.sampled_from(KNOWN_DEMOS + ["no-such-demo", "", "a b", "../etc/passwd", "DEMO", "π", "x" * 80])

FRAGMENTS = st.sampled_from([
    "# Title", "## Section {#sec}", "### Sub {: .cls }", "Plain prose.", "Some *emphasis* and **strong**.",
    "$x^2$", "$$", "$$\n\\frac{a}{b}\n$$", "\\$5 and $10", "$\\unknowncommand{x}$", "$\\frac{1}{$", "$$ \\begin{matrix} a",
    "{{ site.title }}", "{{ models['mnist-ae-2d'].test_mse | round(4) }}", "{{ nope.missing }}", "{{", "}}", "{% if %}",
    "{% for x in y %}", "{#", "```python", "```", "~~~", "    indented code", "`inline`", "``",
    "[next](02-other.md)", "[anchor](#nowhere)", "[ext](https://arxiv.org/abs/1312.6114)", "[bad](02-other.md#x)",
    "![alt](images/missing.png)", "![](images/x.png)", "<script>alert(1)</script>", '<div style="color:red">x</div>',
    '<p onclick="x()">x</p>', "<iframe src=https://x.example></iframe>", "| a | b |\n|---|---|\n| 1 | 2 |",
    "Footnote[^1].", "[^1]: The note.", "!!! note\n    An admonition.", "- item\n- item", "1. one\n2. two",
    "> quote", "***", "<!-- comment -->", "\u202e\u200b\ufeff", "\x00", "\\", "&amp; &#0; &nope;", "<", ">",
    "::demo python-scratchpad", '::demo python-scratchpad "A caption"', "::demo", "::demo no-such-demo",
    '::video intro "x"', "::widget foo", "::", ":: demo python-scratchpad", '::demo matrix-transform "unclosed',
    "+++", "---",
])


@st.composite
def directive(draw):
    kind = draw(st.sampled_from(["demo", "video", "widget", "", "DEMO"]))
    caption = draw(st.one_of(st.just(""), st.text(max_size=30).map(lambda t: f' "{t}"'), st.text(max_size=20)))
    return f"::{kind} {draw(NAMES)}{caption}"


WILD_BODY = st.lists(st.one_of(FRAGMENTS, directive(), st.text(max_size=40)), max_size=12).map("\n\n".join)
# Well-formed pieces, so that a good share of examples build and the whole pipeline runs.
TAME = st.sampled_from(["# Title", "## Section", "Plain prose with *emphasis*.", "$x^2 + y^2$", "$$\n\\frac{a}{b}\n$$",
                        "\\$5 and $10", "`code`", "```python\nprint(1)\n```", "| a | b |\n|---|---|\n| 1 | 2 |",
                        "- one\n- two", "> quote", "Footnote[^1].\n\n[^1]: The note.", "!!! note\n    Careful.",
                        "[ext](https://arxiv.org/abs/1312.6114)", "{{ site.title }}", "&amp; < >", "é 中 🙂"])
TAME_BODY = st.lists(st.one_of(TAME, st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)),
                     max_size=10).map("\n\n".join)
BODY = st.one_of(WILD_BODY, TAME_BODY)


@st.composite
def tame_front(draw):
    title = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
    return f"title = {json.dumps(title)}\nsummary = {json.dumps(draw(st.text(max_size=40)))}\n"


@st.composite
def wild_front(draw):
    lines = []
    if draw(st.booleans()):
        title = draw(st.sampled_from(['"T"', '""', "T", "1", '"' + "x" * 300 + '"', '"a \\" b"', "'single'"]))
        lines.append(f"title = {title}")
    if draw(st.booleans()):
        lines.append('summary = "S"')
    if draw(st.booleans()):
        demos = draw(st.lists(NAMES, max_size=3))
        lines.append("demos = [" + ", ".join(f'"{d}"' for d in demos) + "]")
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(['videos = ["intro"]', 'videos = "x"', "demos = 3", 'colour = "red"',
                                            'updated = 2026-13-45', 'updated = 2026-02-03', 'demos = ["a"',
                                            "title", "= 1", '[table]\nx = 1', 'summary = """multi\nline"""'])))
    lines.append(draw(st.text(max_size=15).filter(lambda t: "+++" not in t)) if draw(st.booleans()) else "")
    return "\n".join(lines) + "\n"


def front_matter():
    return st.one_of(tame_front(), wild_front())


def write_chapter(site: TinySite, stem: str, front: str, body: str) -> Path:
    path = site.content / "chapters" / f"{stem}.md"
    path.write_text(f"+++\n{front}+++\n{body}\n", encoding="utf-8")
    if stem not in site.stems:
        site.stems.append(stem)
    site.write_settings()
    return path


def assert_clear(err: BuildError, files: list[Path]) -> None:
    assert err.path is not None, f"no file named: {err}"
    absent = re.search(r"\b(missing|never|no|not declared)\b", err.message)   # nothing to point at but the file
    if err.path.resolve() in [f.resolve() for f in files] and not absent:
        assert err.line is not None and err.line >= 1, f"no line named: {err}"
    text = str(err)
    assert text.startswith(f"{err.path}") or re.match(r"^[^:]+(:\d+)?: ", text), text


# The build cache (pre-rendered demos, compiled templates), shared by every example and run.
SHARED_CACHE = Path(tempfile.gettempdir()) / "deepfakes-explained-fuzz-cache"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(front=front_matter(), body=BODY, second=st.booleans())
def test_random_chapters_build_or_fail_clearly_and_never_half_write(front, body, second):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-site-"))
    try:
        site = TinySite(folder)
        site.cache = SHARED_CACHE
        files = [write_chapter(site, "01-intro", front, body)]
        if second:
            files.append(write_chapter(site, "02-other", 'title = "Other"\nsummary = "S"\n', "# Other\n\n## X\n"))
        out = folder / "_site"
        out.mkdir()
        (out / "previous.txt").write_text("the previous site")
        try:
            build_site(site.project, out)
        except BuildError as err:
            event("stopped with a BuildError")
            assert_clear(err, files)
            assert (out / "previous.txt").read_text() == "the previous site"     # untouched
            assert sorted(p.name for p in out.iterdir()) == ["previous.txt"]
        else:
            event("built")
            assert not (out / "previous.txt").exists() and (out / "index.html").is_file()
            assert (out / "sw.js").is_file()
        assert [p.name for p in folder.iterdir() if p.name.startswith("._site")] == []   # no staging left behind
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=60, deadline=None)
@given(settings_text=st.lists(st.sampled_from([
    'title = "T"', 'subtitle = "S"', 'author = "A"', 'base_url = "https://example.org/blog/"', "base_url = 3",
    'base_url = "not a url"', "published = 2026-01-02", 'published = "yesterday"', 'chapters = ["01-intro"]',
    'chapters = ["01-missing"]', "chapters = []", 'colour = "red"', "[pyodide]", 'start = "interaction"',
    'start = "never"', "[check]", "page_budget_kb = -1", 'page_budget_kb = "big"', "= broken", '"unclosed',
    "[pyodide]\n[pyodide]", 'language = "en"']), unique=True, max_size=9))
# Two that build, so that every run checks a built site, not only the errors.
@example(settings_text=['title = "T"', 'subtitle = "S"', 'author = "A"', 'base_url = "https://example.org/blog/"',
                        "published = 2026-01-02", 'chapters = ["01-intro"]', "[pyodide]", 'start = "interaction"'])
@example(settings_text=['title = "T"', 'author = "A"', 'base_url = "https://example.org/blog/"', 'language = "en"',
                        "published = 2026-01-02", 'chapters = ["01-intro"]', "[check]", "page_budget_kb = -1"])
def test_random_site_settings_build_or_fail_clearly(settings_text):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-settings-"))
    try:
        site = TinySite(folder)
        site.cache = SHARED_CACHE
        chapter = write_chapter(site, "01-intro", 'title = "T"\nsummary = "S"\n', "# Hi\n")
        settings_file = site.content / "site.toml"
        settings_file.write_text("\n".join(settings_text) + "\n", encoding="utf-8")
        try:
            files = site.build()
        except BuildError as err:
            event("stopped with a BuildError")
            assert_clear(err, [settings_file, chapter])
        else:
            event("built")
            assert_built_as_set(files, load_site(settings_file))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_built_as_set(files: dict, site: Site) -> None:
    """A site that builds honours its settings: each chapter has its page and the index links it;
    the title, subtitle, author, language, base URL and publication date are where the pages and
    feeds show them; and with no demo, no page starts Python (pyodide.start goes nowhere)."""
    def text(path: str) -> str:
        data = files[path]
        return (data.read_bytes() if isinstance(data, Path) else data).decode("utf-8")

    index = text("index.html")
    pages = [path for path in files if path.endswith(".html")]
    assert {"index.html", "all/index.html", "404.html"} <= set(pages)
    for stem in site.chapters:
        slug = stem.split("-", 1)[1]
        assert f"{slug}/index.html" in files and f'href="{slug}/"' in index, stem
        chapter = text(f"{slug}/index.html")
        assert f'<link rel="canonical" href="{site.base_url}{slug}/">' in chapter
        assert f'<time datetime="{site.published.isoformat()}">' in chapter
    assert f"<h1>{escape(site.title)}</h1>" in index
    subtitle = f'<p class="subtitle">{escape(site.subtitle)}</p>'
    assert (subtitle in index) if site.subtitle else 'class="subtitle"' not in index
    for path in pages:
        page = text(path)
        assert f'<html lang="{site.language}">' in page.split("<head", 1)[0], path
        assert f'<meta name="author" content="{escape(site.author)}">' in page, path
        assert "data-start=" not in page, path
    feed = ET.fromstring(files["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}title") == site.title and feed.findtext(f"{atom}id") == site.base_url
    assert feed.findtext(f"{atom}author/{atom}name") == site.author
    assert [e.findtext(f"{atom}published") for e in feed.iter(f"{atom}entry")] == \
        [f"{site.published.isoformat()}T00:00:00Z"] * len(site.chapters)
    locs = [e.text for e in ET.fromstring(files["sitemap.xml"]).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(site.base_url) for loc in locs)
    assert f"Sitemap: {site.base_url}sitemap.xml" in text("robots.txt")


@settings(max_examples=6, deadline=None)
@given(front=front_matter(), body=BODY)
def test_the_command_line_prints_file_line_message_and_no_traceback(front, body):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    try:
        site = TinySite(folder)
        path = write_chapter(site, "01-intro", front, body)
        result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(ROOT),
                                 "--content", str(site.content), "--cache", str(SHARED_CACHE),
                                 "--out", str(folder / "_site")],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 1:
            first = result.stderr.splitlines()[0]
            assert re.match(r"^error: \S[^:]*(:\d+)?: .+", first), result.stderr
            if path.name in first:
                assert re.match(rf"^error: \S*{re.escape(path.name)}:\d+: ", first), first
            assert not (folder / "_site").exists()
        else:
            assert (folder / "_site" / "index.html").is_file()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
