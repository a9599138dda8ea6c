"""The things a chapter can embed with a directive: demos, videos and figures, each listed in a TOML
registry; and the facts (numbers computed at build time) the prose can quote.

Demos: site_builder/demos/NAME.toml, one file per demo, its UI module (and styles) beside it.
Videos: animations/scenes.toml, one table per Manim scene (title, scene file and class, the files it
reads), its renders in animations/renders/ (made by site_builder.videos).
Figures and facts: figures/MODULE.toml beside figures/MODULE.py. `facts = "function"` names the
function whose dict the prose reads as {{ facts.MODULE.key }}; each [figure.NAME] table names the
function that draws figure NAME ({"png": bytes} or {"svg": str}, with "alt"), embedded with ::figure.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
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
    scene: Path | None = None             # the Manim scene's source file, in animations/
    scene_class: str = ""                 # the Scene subclass in it
    inputs: tuple[Path, ...] = ()         # other files the render depends on (common.py, weights; a
                                          # "file.json#a.b" path stands for one entry of that JSON file)
    chapter: str = ""                     # where it belongs (informative)

    @property
    def stamp(self) -> Path:
        """NAME.json beside the render: the cache key it was made from, its length and size."""
        return self.mp4.with_suffix(".json")


@dataclass(frozen=True)
class Figure:
    name: str
    function: str                 # "figures.MODULE:function", run on CPython at build time


@dataclass(frozen=True)
class Registries:
    demos: dict[str, Demo]
    videos: dict[str, Video]
    figures: dict[str, Figure] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)     # MODULE -> "figures.MODULE:function"


def load_registries(demos_dir: Path, scenes_toml: Path, figures_dir: Path | None = None) -> Registries:
    figures, facts = load_figures(figures_dir) if figures_dir else ({}, {})
    return Registries(demos=load_demos(demos_dir), videos=load_videos(scenes_toml), figures=figures, facts=facts)


FIGURE_KEYS = {"function"}


def load_figures(folder: Path) -> tuple[dict[str, Figure], dict[str, str]]:
    """figures/MODULE.toml: `facts = "function"` and [figure.NAME] tables, each checked."""
    figures, facts = {}, {}
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        module, text = path.stem, path.read_text(encoding="utf-8")
        if not (folder / f"{module}.py").is_file():
            raise BuildError(f"no {module}.py beside {path.name}", path, 1)
        try:
            entry = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise BuildError(f"invalid TOML: {err}", path, _toml_error_line(err)) from None
        for key in entry:
            if key not in ("facts", "figure"):
                raise BuildError(f"unknown key '{key}' (known: facts, figure)", path, line_of(text, key))
        qualified = f"{folder.name}.{module}"
        if "facts" in entry:
            facts[module] = f"{qualified}:{_require(entry, 'facts', module, path, text)}"
        tables = entry.get("figure", {})
        if not isinstance(tables, dict):
            raise BuildError("'figure' must be tables like [figure.NAME]", path, line_of(text, "figure"))
        for name, table in tables.items():
            where = line_of(text, f"[figure.{name}]")
            if not isinstance(table, dict):
                raise BuildError(f"'figure.{name}' must be a table", path, where)
            for key in table:
                if key not in FIGURE_KEYS:
                    raise BuildError(f"figure '{name}': unknown key '{key}' (known: function)", path, where)
            if name in figures:
                raise BuildError(f"figure '{name}' is also defined in {figures[name].function.split(':')[0]}",
                                 path, where)
            figures[name] = Figure(name, f"{qualified}:{_require(table, 'function', name, path, text)}")
    return figures, facts


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


VIDEO_KEYS = {"title", "scene", "class", "inputs", "chapter"}


def load_videos(path: Path) -> dict[str, Video]:
    data, text = _read_tables(path)
    folder = path.parent
    renders = folder / "renders"
    videos = {}
    for name, entry in data.items():
        for key in entry:
            if key not in VIDEO_KEYS:
                raise BuildError(f"'{name}': unknown key '{key}' (known: {', '.join(sorted(VIDEO_KEYS))})",
                                 path, line_of(text, f"{key} ="))
        scene = folder / _require(entry, "scene", name, path, text)
        if not scene.is_file():
            raise BuildError(f"'{name}': scene file {scene.name} does not exist", path,
                             line_of(text, f'"{entry["scene"]}"'))
        inputs = entry.get("inputs", [])
        if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
            raise BuildError(f"'{name}': 'inputs' must be a list of paths", path, line_of(text, "inputs"))
        for item in inputs:                    # "file" or "file.json#key.key": one entry of a JSON file
            if not (folder.parent / item.partition("#")[0]).is_file():
                raise BuildError(f"'{name}': input {item} does not exist", path, line_of(text, f'"{item}"'))
        shared = folder / "common.py"
        videos[name] = Video(
            name=name,
            title=_require(entry, "title", name, path, text),
            mp4=renders / f"{name}.mp4",
            poster=renders / f"{name}.png",
            captions=renders / f"{name}.vtt",
            scene=scene,
            scene_class=_require(entry, "class", name, path, text),
            inputs=tuple(([shared] if shared.exists() else []) + [folder.parent / i for i in inputs]),
            chapter=entry.get("chapter", ""),
        )
    return videos
