"""The scene registry matches the scene files, every committed render is complete, current and
within its budget, and the cache key changes with whatever a render depends on."""
from __future__ import annotations

import ast
import json
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from site_builder import videos
from site_builder.errors import BuildError
from site_builder.registry import load_videos

ANIMATIONS = ROOT / "animations"
REGISTRY = load_videos(ANIMATIONS / "scenes.toml")
HELPERS = {"__init__.py", "common.py"}


def scene_classes(path: Path) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in ast.parse(path.read_text()).body if isinstance(node, ast.ClassDef)}


def test_registry_lists_every_scene_file_and_nothing_else():
    assert len(REGISTRY) >= 10
    files = {p.name for p in ANIMATIONS.glob("*.py")} - HELPERS
    listed = {v.scene.name for v in REGISTRY.values()}
    assert listed == files, f"unregistered: {files - listed}; missing: {listed - files}"
    assert len(listed) == len(REGISTRY), "two registry entries share a scene file"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_scene_class_exists_narrates_and_names_its_inputs(name):
    video = REGISTRY[name]
    classes = scene_classes(video.scene)
    assert video.scene_class in classes, f"{video.scene.name} defines no class {video.scene_class}"
    bases = {ast.unparse(b) for b in classes[video.scene_class].bases}
    assert bases & {"Narrated", "Narrated3D"}, "scenes narrate through animations.common.Narrated"
    source = video.scene.read_text()
    assert source.count("self.say(") >= 3, "the narration (captions) lives in the scene's self.say() lines"
    assert ANIMATIONS / "common.py" in video.inputs
    for path in video.inputs:
        assert path.with_name(path.name.partition("#")[0]).is_file(), path
        assert videos.input_bytes(path) not in (b"<missing>", b"null"), path
    # A scene that reads trained weights declares them, so retraining makes its render stale.
    if "load_model(" in source:
        assert any(p.parent.name == "weights" and p.suffix == ".safetensors" for p in video.inputs), name
    if "mnist_digits(" in source:
        assert ROOT / "weights" / "mnist-digits.safetensors" in video.inputs, name


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def vtt_cues(text: str) -> list[tuple[float, float, str]]:
    def seconds(stamp):
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        start, end = lines[1].split(" --> ")
        cues.append((seconds(start), seconds(end), " ".join(lines[2:])))
    return cues


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_committed_render_is_complete_current_and_within_budget(name):
    video = REGISTRY[name]
    for path in (video.mp4, video.poster, video.captions, video.stamp):
        assert path.is_file(), f"{path.name} missing: run `make videos`"
    stamp = json.loads(video.stamp.read_text())
    # Current for the committed quality and the pinned Manim (what `make videos` installs).
    assert stamp["key"] == videos.render_key(video, videos.DEFAULT_QUALITY, videos.pinned_manim_version()), \
        f"{name}: its render is stale, run `make videos`"
    assert stamp["quality"] == "720p" and stamp["bytes"] == video.mp4.stat().st_size
    assert video.mp4.stat().st_size <= videos.MAX_BYTES
    assert 10 <= stamp["duration"] <= 40
    head = video.mp4.read_bytes()[:200_000]
    assert head[4:8] == b"ftyp" and b"avc1" in head and b"moov" in head[:100_000], "H.264 MP4, moov first"
    assert png_size(video.poster) == (1280, 720)
    text = video.captions.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    cues = vtt_cues(text)
    assert len(cues) >= 3
    assert all(0 <= a < b <= stamp["duration"] + 0.01 for a, b, _ in cues)
    assert all(a[1] <= b[0] + 1e-3 for a, b in zip(cues, cues[1:])), "cues overlap"
    # The captions are the scene's own narration.
    narration = " ".join(node.value for node in ast.walk(ast.parse(video.scene.read_text()))
                         if isinstance(node, ast.Constant) and isinstance(node.value, str))
    for _, _, words in cues:
        assert words.split()[0].strip("…") in narration


def test_cache_key_changes_with_source_inputs_manim_and_quality(tmp_path):
    scene = tmp_path / "scene.py"
    scene.write_text("class S:\n    pass\n")
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"\x00" * 8)
    video = replace(REGISTRY["matrix-plane"], scene=scene, scene_class="S", inputs=(weights,))
    key = videos.render_key(video, "720p", "0.22.0")
    assert key == videos.render_key(video, "720p", "0.22.0"), "deterministic"
    scene.write_text("class S:\n    pass  # edited\n")
    edited = videos.render_key(video, "720p", "0.22.0")
    assert edited != key
    assert videos.render_key(video, "low", "0.22.0") != edited
    assert videos.render_key(video, "720p", "0.23.0") != edited
    assert videos.render_key(replace(video, scene_class="T"), "720p", "0.22.0") != edited
    weights.write_bytes(b"\x01" * 8)
    assert videos.render_key(video, "720p", "0.22.0") != edited


def test_a_json_entry_input_ignores_the_rest_of_the_file(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"models": {"a": {"x": 1}, "b": {"y": 2}}}')
    scene = tmp_path / "scene.py"
    scene.write_text("class S: pass\n")
    video = replace(REGISTRY["matrix-plane"], scene=scene, scene_class="S", inputs=(tmp_path / "manifest.json#models.a",))
    key = videos.render_key(video, "720p", "0.22.0")
    manifest.write_text('{"models": {"b": {"y": 3}, "c": {}, "a": {"x": 1}}}')     # others change, a does not
    assert videos.render_key(video, "720p", "0.22.0") == key
    manifest.write_text('{"models": {"a": {"x": 2}}}')
    assert videos.render_key(video, "720p", "0.22.0") != key


def test_staleness_names_what_changed(tmp_path):
    source = REGISTRY["matrix-plane"]
    renders = tmp_path / "renders"
    renders.mkdir()
    scene = tmp_path / source.scene.name
    scene.write_bytes(source.scene.read_bytes())
    video = replace(source, scene=scene, mp4=renders / "m.mp4", poster=renders / "m.png", captions=renders / "m.vtt")
    assert "no render" in videos.staleness(video)
    for src, dst in ((source.mp4, video.mp4), (source.poster, video.poster), (source.captions, video.captions),
                     (source.stamp, video.stamp)):
        dst.write_bytes(src.read_bytes())
    pinned = videos.pinned_manim_version()
    assert videos.staleness(video, "720p", pinned) is None
    assert "quality 720p → low" in videos.staleness(video, "low", pinned)
    assert "Manim 0.22.0 → 9.9" in videos.staleness(video, "720p", "9.9")
    scene.write_text(scene.read_text() + "\n# edited\n")
    assert "the scene's source or inputs" in videos.staleness(video, "720p", pinned)


def write_registry(tmp_path, body: str) -> Path:
    (tmp_path / "a.py").write_text("class A:\n    pass\n")
    path = tmp_path / "scenes.toml"
    path.write_text(body)
    return path


@pytest.mark.parametrize("body, message, line", [
    ('[a]\ntitle = "A"\nscene = "a.py"\nclass = "A"\ncolour = "red"\n', "unknown key 'colour'", 5),
    ('[a]\ntitle = "A"\nscene = "nope.py"\nclass = "A"\n', "scene file nope.py does not exist", 3),
    ('[a]\ntitle = "A"\nscene = "a.py"\n', "needs a string 'class'", None),
    ('[a]\nscene = "a.py"\nclass = "A"\n', "needs a string 'title'", None),
    ('[a]\ntitle = "A"\nscene = "a.py"\nclass = "A"\ninputs = "w.bin"\n', "'inputs' must be a list", 5),
])
def test_registry_errors_name_the_line(tmp_path, body, message, line):
    with pytest.raises(BuildError) as caught:
        load_videos(write_registry(tmp_path, body))
    assert message in caught.value.message
    if line:
        assert caught.value.line == line


def test_webvtt_from_cues():
    text = videos.webvtt([[0.0, 2.5, "One."], [2.5, 2.6, "Short --> cue."], [2.6, None, ""], [3.0, None, "Last."]],
                         5.0)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nOne.\n")
    assert "00:00:02.500 --> 00:00:03.000\nShort → cue." in text       # stretched up to the next cue, arrow escaped
    assert "3\n00:00:03.000 --> 00:00:05.000\nLast." in text           # open cue runs to the end
