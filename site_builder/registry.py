"""The things a chapter can embed with a directive: demos and videos, each listed in a TOML registry.

Demos: site_builder/demos/NAME.toml, one file per demo, its UI module (and styles) beside it.
Videos: animations/scenes.toml, one table per Manim scene, its renders in animations/renders/.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import _toml_error_line
from .errors import BuildError, line_of


@dataclass(frozen=True)
class Demo:
    name: str
    title: str
    description: str
    script: Path                  # the thin JS UI module (ES module exporting `mount`)
    prerender: str                # "module:function" run on CPython at build time for the static first state
    weights: tuple[str, ...]      # models from weights/manifest.json the demo loads in the browser


@dataclass(frozen=True)
class Video:
    name: str
    title: str
    mp4: Path
    poster: Path
    captions: Path


@dataclass(frozen=True)
class Registries:
    demos: dict[str, Demo]
    videos: dict[str, Video]


def load_registries(demos_dir: Path, scenes_toml: Path) -> Registries:
    return Registries(demos=load_demos(demos_dir), videos=load_videos(scenes_toml))


def _read_tables(path: Path) -> tuple[dict, str]:
    if not path.exists():
        return {}, ""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BuildError(f"invalid TOML: {err}", path, _toml_error_line(err)) from None
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise BuildError(f"'{name}' must be a table like [{name}]", path, line_of(text, name))
    return data, text


def _require(entry: dict, key: str, name: str, path: Path, text: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise BuildError(f"'{name}' needs a string '{key}'", path, line_of(text, key))
    return value


def load_demos(folder: Path) -> dict[str, Demo]:
    demos = {}
    for path in sorted(folder.glob("*.toml")):
        name, text = path.stem, path.read_text(encoding="utf-8")
        try:
            entry = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise BuildError(f"invalid TOML: {err}", path, _toml_error_line(err)) from None
        script = folder / _require(entry, "script", name, path, text)
        if not script.exists():
            raise BuildError(f"script {script.name} does not exist", path, line_of(text, "script"))
        demos[name] = Demo(
            name=name,
            title=_require(entry, "title", name, path, text),
            description=entry.get("description", ""),
            script=script,
            prerender=_require(entry, "prerender", name, path, text),
            weights=tuple(entry.get("weights", [])),
        )
    return demos


def load_videos(path: Path) -> dict[str, Video]:
    data, text = _read_tables(path)
    renders = path.parent / "renders"
    return {
        name: Video(
            name=name,
            title=_require(entry, "title", name, path, text),
            mp4=renders / f"{name}.mp4",
            poster=renders / f"{name}.png",
            captions=renders / f"{name}.vtt",
        )
        for name, entry in data.items()
    }
