"""Embedded videos: poster, captions track and files in the built site. The build never renders:
a stale render is a warning naming the scene (an error with --strict)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT
from site_builder import videos
from site_builder.build import Builder
from site_builder.errors import BuildError
from site_builder.registry import load_videos

REGISTRY = load_videos(ROOT / "animations" / "scenes.toml")
NAME = "pca-axes"


def embed(tiny, name=NAME, caption="Axes turning onto the variance"):
    return tiny.chapter("01-intro", f"Text.\n\n::video {name} \"{caption}\"\n", front=f'videos = ["{name}"]\n')


def test_embedded_video_has_poster_captions_and_its_files(tiny):
    embed(tiny)
    files = tiny.build()
    page = files["intro/index.html"].decode()
    video = REGISTRY[NAME]
    tag = re.search(r"<video [^>]*>", page).group(0)
    for attribute in ("controls", 'preload="none"', "playsinline", 'width="1280"', 'height="720"'):
        assert attribute in tag
    poster = re.search(r'poster="\.\./([^"]+)"', tag).group(1)
    mp4 = re.search(r'<source src="\.\./([^"]+)" type="video/mp4">', page).group(1)
    track = re.search(r'<track kind="captions" src="\.\./([^"]+)" srclang="(\w+)" label="Captions" default>', page)
    assert track, "a captions track"
    assert poster.endswith(".png") and mp4.endswith(".mp4") and track.group(1).endswith(".vtt")
    # The copied assets are the committed renders, fingerprinted.
    assert bytes(files[poster]) == video.poster.read_bytes()
    assert bytes(files[mp4]) == video.mp4.read_bytes()
    assert bytes(files[track.group(1)]) == video.captions.read_bytes()
    assert files[track.group(1)].startswith(b"WEBVTT")
    assert video.title in page and "Axes turning onto the variance" in page


def test_every_video_the_content_embeds_has_poster_and_captions():
    """The real chapters: each ::video names a registered scene with a complete, fresh render."""
    embedded = set()
    for chapter in (ROOT / "content" / "chapters").glob("*.md"):
        embedded |= set(re.findall(r"^::video\s+(\S+)", chapter.read_text(encoding="utf-8"), re.M))
    for name in sorted(embedded):
        assert name in REGISTRY, f"::video {name} is not in animations/scenes.toml"
        video = REGISTRY[name]
        assert video.poster.is_file() and video.captions.is_file() and video.mp4.is_file(), name
        assert videos.staleness(video, videos.DEFAULT_QUALITY, videos.pinned_manim_version()) is None, name


def test_built_site_video_tags_point_at_posters_and_captions(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<video [^>]*>.*?</video>", html, re.S):
            poster = re.search(r'poster="([^"]+)"', tag).group(1)
            captions = re.search(r'<track kind="captions" src="([^"]+)"', tag).group(1)
            assert (page.parent / poster).resolve().is_file()
            assert (page.parent / captions).resolve().is_file()


def test_fresh_renders_mean_no_rendering(tiny, monkeypatch):
    embed(tiny)
    monkeypatch.setattr(videos, "render", lambda *a, **k: pytest.fail("a fresh render was rendered again"))
    monkeypatch.setattr(videos, "manim_version", videos.pinned_manim_version)
    tiny.build()


def make_stale(monkeypatch, manim):
    real_key = videos.render_key
    monkeypatch.setattr(videos, "render_key", lambda v, *a, **k: "changed" if v.name == NAME else real_key(v, *a, **k))
    monkeypatch.setattr(videos, "manim_version", lambda: manim)


@pytest.mark.parametrize("manim", [None, "0.22.0"])
def test_a_stale_render_is_a_warning_naming_the_scene_and_the_build_never_renders(tiny, monkeypatch, manim):
    embed(tiny)
    make_stale(monkeypatch, manim)
    monkeypatch.setattr(videos, "render", lambda *a, **k: pytest.fail("the build rendered a video"))
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "animations" / "renders").iterdir()}
    warnings = []
    files = Builder(tiny.project, warn=warnings.append).build()
    assert len(warnings) == 1 and f"video '{NAME}' is stale" in warnings[0] and "`make videos`" in warnings[0]
    assert "intro/index.html" in files                       # built with the last render
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "animations" / "renders").iterdir()} == before


def test_stale_render_is_an_error_when_strict(tiny, monkeypatch):
    embed(tiny)
    make_stale(monkeypatch, "0.22.0")
    with pytest.raises(BuildError) as caught:
        Builder(tiny.project, strict=True).build()
    assert f"video '{NAME}' is stale" in caught.value.message
    assert caught.value.path == REGISTRY[NAME].scene


def test_strict_flag_on_the_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "site_builder", "build", "--help"], cwd=ROOT,
                         capture_output=True, text=True)
    assert "--strict" in out.stdout
    out = subprocess.run([sys.executable, "-m", "site_builder", "videos", "--list"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0
    assert all(name in out.stdout for name in REGISTRY)
