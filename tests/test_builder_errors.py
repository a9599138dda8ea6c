"""Bad input stops the build with file:line, a non-zero exit, and the previous site intact."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from site_builder.build import build_site
from site_builder.errors import BuildError


def error_of(tiny) -> BuildError:
    with pytest.raises(BuildError) as caught:
        tiny.build()
    return caught.value


def test_malformed_front_matter_names_file_and_line(tiny):
    path = tiny.chapter("01-intro", "Body\n", front='demos = ["a"\n')
    err = error_of(tiny)
    assert err.path == path and err.line == 4
    assert "malformed front matter" in str(err)
    assert str(err).startswith(f"{path}:4:") or "01-intro.md:4:" in str(err)


def test_unclosed_front_matter(tiny):
    path = tiny.content / "chapters" / "01-intro.md"
    tiny.chapter("01-intro", "x")
    path.write_text('+++\ntitle = "T"\nsummary = "S"\n\nNo closing fence\n')
    err = error_of(tiny)
    assert err.path == path and err.line == 1 and "never closed" in err.message


def test_unknown_front_matter_key_and_missing_title(tiny):
    tiny.chapter("01-intro", "x", front='colour = "red"\n')
    err = error_of(tiny)
    assert "unknown front matter key 'colour'" in err.message and err.line == 4
    path = tiny.content / "chapters" / "01-intro.md"
    path.write_text('+++\nsummary = "S"\n+++\nbody\n')
    assert "non-empty 'title'" in error_of(tiny).message


def test_unknown_directive_names_line(tiny):
    path = tiny.chapter("01-intro", "Intro\n\n::widget foo\n")
    err = error_of(tiny)
    assert err.path == path and err.line == 7
    assert "unknown directive '::widget'" in err.message


def test_unknown_demo_and_video_names_line(tiny):
    path = tiny.chapter("01-intro", "Text\n\n::demo no-such-demo\n", front='demos = ["no-such-demo"]\n')
    err = error_of(tiny)
    assert (err.path, err.line) == (path, 8) and "unknown demo 'no-such-demo'" in err.message
    assert "python-scratchpad" in err.message   # lists what is known
    tiny.chapter("01-intro", "Text\n\n\n::video no-such-video\n", front='videos = ["no-such-video"]\n')
    err = error_of(tiny)
    assert err.line == 9 and "unknown video 'no-such-video'" in err.message


def test_embed_must_be_declared_and_declared_must_be_embedded(tiny):
    tiny.chapter("01-intro", "::demo python-scratchpad\n")
    err = error_of(tiny)
    assert "not declared in the front matter" in err.message and err.line == 5
    tiny.chapter("01-intro", "No embed here.\n", front='demos = ["python-scratchpad"]\n')
    err = error_of(tiny)
    assert "never embeds it" in err.message and err.line == 4


def test_directive_inside_fenced_code_is_left_alone(tiny):
    tiny.chapter("01-intro", "```text\n::demo not-a-demo\n$$\n```\n")
    page = tiny.build()["intro/index.html"].decode()
    assert "::demo not-a-demo" in page


def test_broken_internal_link_names_line(tiny):
    tiny.chapter("01-intro", "# Hi\n\nSee [the next part](02-missing.md).\n")
    err = error_of(tiny)
    assert err.line == 7 and "02-missing.md: no such chapter" in err.message


def test_broken_anchor_names_line_and_lists_sections(tiny):
    tiny.chapter("01-intro", "## Start\n\nSee [later](02-more.md#nowhere).\n")
    tiny.chapter("02-more", "## Real section\n")
    err = error_of(tiny)
    assert err.line == 7 and "no such anchor" in err.message and "real-section" in err.message


def test_missing_image_names_line(tiny):
    tiny.chapter("01-intro", "Look:\n\n![a plot](../images/plot.png)\n")
    err = error_of(tiny)
    assert err.line == 7 and "missing asset" in err.message


def test_image_without_alt_text_is_an_error(tiny):
    (tiny.content / "images" / "plot.png").write_bytes(b"\x89PNG fake")
    tiny.chapter("01-intro", "![](../images/plot.png)\n")
    assert "needs alt text" in error_of(tiny).message


def test_unclosed_display_math(tiny):
    tiny.chapter("01-intro", "Text\n\n$$\nx^2\n")
    err = error_of(tiny)
    assert err.line == 7 and "never closed" in err.message


def test_bad_latex_names_file_and_line(tiny):
    path = tiny.chapter("01-intro", "Fine $x^2$ here.\n\nBut $\\frac{1}{$ is not.\n")
    err = error_of(tiny)
    assert err.path == path and err.line == 7
    assert err.message.startswith("cannot typeset $\\frac{1}{$: ParseError")
    path = tiny.chapter("01-intro", "Text\n\n$$\n\\frac{a}{b}\n$$\n\n$$\n\\unknowncommand{x}\n$$\n\nEnd $y$.\n")
    err = error_of(tiny)
    assert err.path == path and err.line == 11 and "\\unknowncommand" in err.message


def test_latex_styled_inline_is_refused(tiny):
    """A formula Temml can only style with an inline style, which the CSP would block."""
    tiny.chapter("01-intro", "Text\n\nSee $\\color{red}{x}$.\n")
    err = error_of(tiny)
    assert err.line == 7 and "Content-Security-Policy" in err.message


def test_unknown_figure_variable_names_line(tiny):
    tiny.chapter("01-intro", "Fine line\n\nThe error is {{ models['nope'].test_mse }}.\n")
    err = error_of(tiny)
    assert err.line == 7 and "figure variable" in err.message


def test_site_toml_errors(tiny):
    tiny.chapter("01-intro", "x")
    tiny.write_settings('colour = "red"\n')
    err = error_of(tiny)
    assert err.path.name == "site.toml" and err.line == 7 and "unknown setting 'colour'" in err.message
    tiny.write_settings("[pyodide\n")
    err = error_of(tiny)
    assert err.path.name == "site.toml" and err.line == 7 and "invalid TOML" in err.message


def test_chapter_not_listed_or_missing(tiny):
    tiny.chapter("01-intro", "x")
    (tiny.content / "chapters" / "02-stray.md").write_text('+++\ntitle = "S"\nsummary = "S"\n+++\n')
    assert "not listed" in error_of(tiny).message
    (tiny.content / "chapters" / "02-stray.md").unlink()
    tiny.stems.append("02-gone")
    tiny.write_settings()
    err = error_of(tiny)
    assert err.path.name == "site.toml" and "does not exist" in err.message and err.line == 6


def test_failed_build_leaves_previous_site_untouched(tiny, tmp_path):
    out = tmp_path / "_site"
    tiny.chapter("01-intro", "First version.\n")
    build_site(tiny.project, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tiny.chapter("01-intro", "Broken: [x](99-nope.md)\n")
    with pytest.raises(BuildError):
        build_site(tiny.project, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("._site")], "no staging folder left behind"


def test_cli_exit_status_and_message(tiny, tmp_path):
    path = tiny.chapter("01-intro", "Fine.\n\n::nonsense\n")
    run = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", str(tiny.content),
                          "--root", str(ROOT), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert f"{path.name}:7: unknown directive" in run.stderr and "Traceback" not in run.stderr
    usage = subprocess.run([sys.executable, "-m", "site_builder", "build", "--bogus"], capture_output=True,
                           text=True, cwd=ROOT)
    assert usage.returncode == 2
    for command in ("build", "serve", "check"):
        helped = subprocess.run([sys.executable, "-m", "site_builder", command, "--help"], capture_output=True,
                                text=True, cwd=ROOT)
        assert helped.returncode == 0 and "usage:" in helped.stdout


def test_raw_html_the_policy_would_block_names_the_line(tiny):
    """Found by the fuzzer: raw <script> in Markdown used to surface only as a check error."""
    path = tiny.chapter("01-intro", "Fine.\n\n<script>alert(1)</script>\n")
    err = error_of(tiny)
    assert (err.path, err.line) == (path, 7) and "inline <script>" in err.message
    tiny.chapter("01-intro", 'Fine.\n\n<p onclick="steal()">x</p>\n')
    err = error_of(tiny)
    assert err.line == 7 and "event handler" in err.message
    tiny.chapter("01-intro", "```html\n<script>alert(1)</script>\n```\n")   # shown as code: fine
    assert "alert" in tiny.build()["intro/index.html"].decode()
