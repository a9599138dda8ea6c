"""End to end, as CI does it: render one short scene at low quality through the pipeline, then
check the cache, a broken scene's error and that its last good render survives."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from site_builder import videos
from site_builder.registry import Video

pytestmark = pytest.mark.slow

SCENE = '''from manim import Circle, Create, FadeOut
from animations.common import BLUE, Narrated


class Tiny(Narrated):
    def construct(self):
        self.say("A circle appears.")
        circle = Circle(color=BLUE)
        self.play(Create(circle), run_time=1)
        self.poster()
        self.say("And it goes.")
        self.play(FadeOut(circle), run_time=0.6)
'''


@pytest.fixture
def tiny_video(tmp_path) -> Video:
    pytest.importorskip("manim", reason="`make test` installs Manim (the video extra) for this test")
    scene = tmp_path / "tiny.py"
    scene.write_text(SCENE)
    renders = tmp_path / "renders"
    return Video(name="tiny", title="Tiny", mp4=renders / "tiny.mp4", poster=renders / "tiny.png",
                 captions=renders / "tiny.vtt", scene=scene, scene_class="Tiny",
                 inputs=(ROOT / "animations" / "common.py",))


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,pix_fmt",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"][0]


def test_render_one_scene_end_to_end(tiny_video):
    [result] = videos.render([tiny_video], "low", jobs=1, log=lambda m: None)
    assert result.rendered and 1.4 <= result.duration <= 2.0
    stream = probe(tiny_video.mp4)
    assert (stream["codec_name"], stream["width"], stream["height"], stream["pix_fmt"]) == ("h264", 854, 480, "yuv420p")
    assert tiny_video.poster.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    vtt = tiny_video.captions.read_text()
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:01.000\nA circle appears." in vtt
    assert "00:00:01.000 --> " in vtt and "And it goes." in vtt
    stamp = json.loads(tiny_video.stamp.read_text())
    assert stamp["quality"] == "low" and stamp["key"] == videos.render_key(tiny_video, "low")
    assert videos.staleness(tiny_video, "low") is None

    # Cached: nothing to do. At another quality: stale.
    [again] = videos.render([tiny_video], "low", log=lambda m: None)
    assert not again.rendered
    assert "quality low → 720p" in videos.staleness(tiny_video, "720p")

    # A broken scene: the error names the scene, file and line, and carries Manim's output;
    # the last good render is left as it was.
    before = {p: p.read_bytes() for p in (tiny_video.mp4, tiny_video.poster, tiny_video.captions, tiny_video.stamp)}
    source = SCENE.replace('        self.say("And it goes.")\n', '        self.say("And it goes.")\n        1 / 0\n')
    tiny_video.scene.write_text(source)
    with pytest.raises(videos.RenderError) as caught:
        videos.render([tiny_video], "low", log=lambda m: None)
    err = caught.value
    assert "scene 'tiny' (Tiny) failed to render" in err.message and "ZeroDivisionError" in err.message
    assert err.path == tiny_video.scene and err.line == source.splitlines().index("        1 / 0") + 1
    assert {p: p.read_bytes() for p in before} == before
    assert not list(tiny_video.mp4.parent.glob("render-*")), "no temporary folder left behind"
