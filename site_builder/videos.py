"""Manim scenes to committed videos: render only what changed, several at once, never lose a good render.

Each scene in animations/scenes.toml renders to animations/renders/NAME.mp4 (H.264, at most
1.5 MB), NAME.png (poster), NAME.vtt (captions from the scene's own `say()` narration) and
NAME.json, the stamp: the cache key the render was made from, its length and size.

The cache key hashes the scene's source, the shared animations/common.py, the files the scene
declares as `inputs` (weights it reads), the Manim version, the quality and this pipeline's
version. A render is fresh when its stamp carries the current key; `make videos` renders only
the stale ones.

The build never renders: a stale render is a warning naming the scene, and the build uses the
last render; with `--strict` it is an error. Rendering is `python -m site_builder videos` (`make
videos`), each scene in its own process (site_builder/video_worker.py). A scene that fails
to render is an error naming the scene (file and line, when the traceback points into it) with
Manim's output; the files of its last good render are left as they were.

    python -m site_builder videos [NAME ...] [--quality 720p|low] [--jobs N] [--force] [--list]
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

from .errors import BuildError
from .registry import Video

PIPELINE_VERSION = 1
QUALITIES = {"720p": (1280, 720, 24), "low": (854, 480, 15)}   # width, height, frames per second
DEFAULT_QUALITY = "720p"
MAX_BYTES = 1_500_000                                          # per MP4
CRF = 23                                                       # x264 quality; raised until under MAX_BYTES
OUTPUT_TAIL = 40                                               # lines of Manim's output in an error
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class RenderError(BuildError):
    """A scene failed to render: names the scene (file:line when known) and carries Manim's output."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None, scene: str = ""):
        super().__init__(message, path, line)
        self.scene = scene


@dataclass(frozen=True)
class RenderResult:
    name: str
    rendered: bool               # False: the render was fresh, nothing done
    seconds: float = 0.0         # wall time of the render
    duration: float = 0.0        # length of the video
    bytes: int = 0               # size of the MP4


# --- cache key and staleness -------------------------------------------------------------
def manim_version() -> str | None:
    """The installed Manim's version, or None when Manim is not installed."""
    try:
        import importlib.util
        if importlib.util.find_spec("manim") is None:
            return None
        return metadata.version("manim")
    except metadata.PackageNotFoundError:
        return None


def pinned_manim_version(root: Path = PROJECT_ROOT) -> str:
    """The version pyproject.toml's `video` extra pins: what the committed renders were made with."""
    try:
        match = re.search(r'"manim==([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"))
    except OSError:
        match = None
    return match.group(1) if match else "unknown"


def render_key(video: Video, quality: str = DEFAULT_QUALITY, manim: str | None = None) -> str:
    """Hash of everything a render depends on. `manim`: the version (default: installed, else pinned)."""
    manim = manim or manim_version() or pinned_manim_version()
    digest = hashlib.sha256()
    digest.update(json.dumps([PIPELINE_VERSION, manim, quality, QUALITIES[quality], video.scene_class],
                             ).encode())
    for path in (video.scene, *video.inputs):
        digest.update(b"\0" + str(path.name).encode() + b"\0")
        digest.update(input_bytes(path))
    return digest.hexdigest()


def input_bytes(path: Path) -> bytes:
    """A file's bytes; for `file.json#a.b`, only that entry of the JSON (canonical), so that adding
    another model to weights/manifest.json leaves the renders of the other models' scenes fresh."""
    name, _, entry = path.name.partition("#")
    file = path.with_name(name)
    if not file.is_file():
        return b"<missing>"
    if not entry:
        return file.read_bytes()
    value = json.loads(file.read_text(encoding="utf-8"))
    for key in entry.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return json.dumps(value, sort_keys=True).encode()


def read_stamp(video: Video) -> dict | None:
    try:
        return json.loads(video.stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def staleness(video: Video, quality: str = DEFAULT_QUALITY, manim: str | None = None) -> str | None:
    """None when the committed render is current, else why not (for messages)."""
    missing = [p.name for p in (video.mp4, video.poster, video.captions) if not p.exists()]
    if missing:
        return f"no render ({', '.join(missing)} missing)"
    stamp = read_stamp(video)
    if stamp is None:
        return "no render stamp"
    if stamp.get("key") != render_key(video, quality, manim):
        changed = []
        if stamp.get("quality") != quality:
            changed.append(f"quality {stamp.get('quality')} → {quality}")
        version = manim or manim_version() or pinned_manim_version()
        if stamp.get("manim") != version:
            changed.append(f"Manim {stamp.get('manim')} → {version}")
        return "changed since its render: " + (", ".join(changed) or "the scene's source or inputs")
    return None


# --- rendering ---------------------------------------------------------------------------
def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def render(videos: Iterable[Video], quality: str = DEFAULT_QUALITY, jobs: int | None = None,
           force: bool = False, log: Callable[[str], None] = print) -> list[RenderResult]:
    """Render the stale ones (all with `force`), up to `jobs` at once. Raises RenderError for the
    first scene that failed, after the others finished; the failed scene's old files stay."""
    videos = list(videos)
    manim = manim_version()
    if manim is None:
        raise BuildError("Manim is not installed: `make videos` installs it (pip install -e '.[video]')")
    todo = [v for v in videos if force or staleness(v, quality, manim)]
    results = {v.name: RenderResult(v.name, False) for v in videos if v not in todo}
    errors: list[RenderError] = []
    if todo:
        jobs = max(1, min(jobs or default_jobs(), len(todo)))
        log(f"rendering {len(todo)} scene(s) at {quality}, {jobs} at a time: {', '.join(v.name for v in todo)}")

        def one(video: Video) -> None:
            try:
                result = render_one(video, quality, manim)
            except RenderError as err:
                errors.append(err)
                log(f"  {video.name}: FAILED")
                return
            results[video.name] = result
            log(f"  {video.name}: {result.duration:.1f} s, {result.bytes / 1e6:.2f} MB, rendered in {result.seconds:.1f} s")

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(one, todo))
    if errors:
        if len(errors) > 1:
            errors[0].message += f"\n(also failed: {', '.join(e.scene for e in errors[1:])}; " \
                                 f"`python -m site_builder videos NAME` shows each one's output)"
        raise errors[0]
    return [results[v.name] for v in videos if v.name in results]


def render_one(video: Video, quality: str, manim: str) -> RenderResult:
    """Render one scene in a subprocess, encode, write poster, captions and stamp atomically."""
    started = time.perf_counter()
    key = render_key(video, quality, manim)      # before rendering: a source edited meanwhile reads as stale
    video.mp4.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"render-{video.name}-", dir=video.mp4.parent) as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, ANIMATION_CUES=str(tmp / "cues.json"), PYTHONPATH=str(PROJECT_ROOT),
                   NO_COLOR="1", TERM="dumb", COLUMNS="120", PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "site_builder.video_worker", str(video.scene.resolve()),
                   video.scene_class, quality, str(tmp / "media")]
        proc = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        output = (proc.stdout + proc.stderr).strip()
        raw = tmp / "media" / "scene.mp4"
        if proc.returncode != 0 or not raw.exists() or not (tmp / "cues.json").exists():
            raise _render_error(video, output or f"exit status {proc.returncode}, no output")
        info = json.loads((tmp / "cues.json").read_text(encoding="utf-8"))
        try:
            duration = _probe_duration(raw)
            _encode(raw, tmp / "out.mp4", duration)
            # `self.poster()` marks the end of an animation: the frame before is its last one.
            poster_at = info.get("poster")
            poster_at = duration * 0.6 if poster_at is None else poster_at - 1.0 / QUALITIES[quality][2]
            poster_at = min(max(poster_at, 0.0), duration - 0.05)
            _poster(raw, tmp / "out.png", poster_at)
        except subprocess.CalledProcessError as err:
            raise _render_error(video, f"ffmpeg failed:\n{err.stderr}") from None
        (tmp / "out.vtt").write_text(webvtt(info.get("cues", []), duration), encoding="utf-8")
        size = (tmp / "out.mp4").stat().st_size
        seconds = time.perf_counter() - started
        stamp = {"key": key, "scene": video.scene.name, "class": video.scene_class,
                 "quality": quality, "manim": manim, "duration": round(duration, 2), "bytes": size,
                 "render_seconds": round(seconds, 1)}
        (tmp / "out.json").write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        # The stamp goes last: an interrupted swap leaves a render that reads as stale, never as fresh.
        video.stamp.unlink(missing_ok=True)
        for suffix, target in ((".mp4", video.mp4), (".png", video.poster), (".vtt", video.captions),
                               (".json", video.stamp)):
            os.replace(tmp / f"out{suffix}", target)
    return RenderResult(video.name, True, seconds, duration, size)


def _render_error(video: Video, output: str) -> RenderError:
    lines = output.splitlines()
    line = None
    scene = str(video.scene.resolve())
    for text in lines:                           # the innermost frame in the scene's own file
        match = re.match(r'\s*File "(.+)", line (\d+)', text)
        if match and Path(match.group(1)).resolve() == Path(scene):
            line = int(match.group(2))
    tail = "\n".join("    " + t for t in lines[-OUTPUT_TAIL:])
    return RenderError(f"scene '{video.name}' ({video.scene_class}) failed to render; the last good render "
                       f"is kept. Manim's output:\n{tail}", video.scene, line, scene=video.name)


def _run(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _probe_duration(path: Path) -> float:
    return float(_run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                       str(path)]).strip())


def _encode(raw: Path, out: Path, duration: float) -> None:
    """H.264 for every browser, moov atom first; CRF raised (and the rate capped) until ≤ MAX_BYTES."""
    cap_kbps = int(MAX_BYTES * 8 * 0.9 / max(duration, 1.0) / 1000)
    for crf in (CRF, CRF + 3, CRF + 6, CRF + 10):
        _run(["ffmpeg", "-y", "-v", "error", "-i", str(raw), "-an", "-c:v", "libx264", "-preset", "slow",
              "-tune", "animation", "-crf", str(crf), "-maxrate", f"{cap_kbps}k", "-bufsize", f"{2 * cap_kbps}k",
              "-pix_fmt", "yuv420p", "-profile:v", "high", "-movflags", "+faststart",
              "-map_metadata", "-1", str(out)])
        if out.stat().st_size <= MAX_BYTES:
            return
    raise subprocess.CalledProcessError(1, "ffmpeg", stderr=f"{out.stat().st_size} bytes even at CRF {crf}: "
                                                            f"over {MAX_BYTES}")


def _poster(raw: Path, out: Path, at: float) -> None:
    """One frame as a palette PNG: flat colours compress to a fraction of a true-colour PNG."""
    _run(["ffmpeg", "-y", "-v", "error", "-ss", f"{at:.3f}", "-i", str(raw), "-frames:v", "1", "-vf",
          "split[a][b];[a]palettegen=max_colors=160:stats_mode=single[p];[b][p]paletteuse=dither=none",
          str(out)])


def webvtt(cues: list, duration: float) -> str:
    """WebVTT from [start, end, text] cues (end None: until the next cue or the end). Empty texts are
    pauses; a cue shorter than a second is stretched to one, never into the next cue."""
    def stamp(t: float) -> str:
        ms = int(round(max(t, 0.0) * 1000))
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    spoken = [(float(start), end, text) for start, end, text in cues if text]
    blocks = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(spoken, 1):
        following = spoken[number][0] if number < len(spoken) else duration
        end = min(duration if end is None else end, duration)
        end = max(end, min(start + 1.0, following, duration))
        blocks += [str(number), f"{stamp(start)} --> {stamp(end)}", text.replace("-->", "→"), ""]
    return "\n".join(blocks)


# --- what the build calls ----------------------------------------------------------------
def check_current(videos: Iterable[Video], quality: str = DEFAULT_QUALITY, strict: bool = False,
                  warn: Callable[[str], None] | None = None) -> list[str]:
    """The build never renders (it is read-only on the source tree): a stale render is a warning
    naming the scene and saying how to render it, an error with `strict` or when there is no
    render at all. Returns the names of the stale scenes."""
    warn = warn or (lambda message: print(f"warning: {message}", file=sys.stderr))
    stale = [(v, why) for v in videos if (why := staleness(v, quality))]
    for video, why in stale:
        message = f"video '{video.name}' is stale ({why}): `make videos` renders it"
        if strict or not video.mp4.exists():
            raise BuildError(message, video.scene)
        warn(message + "; using the last render")
    return [v.name for v, _ in stale]
