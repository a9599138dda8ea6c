"""What every scene shares: the palette, the base class that records narration, small helpers.

A scene subclasses `Narrated` and speaks with `self.say("...")`: each line is shown as a caption
from that moment until the next `say` (or the end), and the render pipeline writes those cues to
the WebVTT captions track. `self.poster()` marks the frame used as the video's poster.

Only `Text` (Pango) is used for lettering, never LaTeX: rendering needs Cairo, Pango and FFmpeg,
no TeX installation.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from manim import (LEFT, RIGHT, UP, ImageMobject, Rectangle, Scene, Text, ThreeDScene, VGroup, config)
from PIL.Image import Resampling

ROOT = Path(__file__).resolve().parents[1]

# Dark slate, the site's own dark theme: reads the same on a light or a dark page.
BG = "#1c1f24"
PANEL = "#262a31"
GRID = "#3a3f48"
TEXT = "#ece9e2"
MUTED = "#a3a6ad"
BLUE = "#82b8ff"
ORANGE = "#ffb27a"
GREEN = "#7fd8a0"
PINK = "#f49ac1"
YELLOW = "#f2d479"
PURPLE = "#c3a6ff"
CLASS_COLORS = [BLUE, ORANGE, GREEN, PINK, YELLOW, PURPLE, "#7fd4e0", "#e0876f", "#b8d66b", "#d0b49a"]

FONT = "DejaVu Sans"
MONO = "DejaVu Sans Mono"


def label(text: str, size: float = 30, color: str = TEXT, **kwargs) -> Text:
    """Lettering in the scenes' one font (DejaVu Sans covers the math symbols used)."""
    return Text(text, font=FONT, font_size=size, color=color, **kwargs)


_GLYPHS: dict = {}


def live_label(text: str, size: float = 28, color: str = TEXT) -> VGroup:
    """Monospaced lettering assembled from cached glyphs: for text redrawn every frame (numbers that
    change), where laying out a new `Text` each frame would cost ~70 ms."""
    key = (size, color)
    if key not in _GLYPHS:
        pair = Text("00", font=MONO, font_size=size, color=color)
        _GLYPHS[key] = {"advance": pair[1].get_x() - pair[0].get_x()}
    table = _GLYPHS[key]
    advance = table["advance"]
    group = VGroup()
    for k, ch in enumerate(text):
        if ch.isspace():
            continue
        if ch not in table:
            pair = Text("0" + ch, font=MONO, font_size=size, color=color)
            table[ch] = (pair[1], pair[1].get_center() - pair[0].get_center() - np.array([advance, 0, 0]))
        glyph, offset = table[ch]
        group.add(glyph.copy().move_to(np.array([k * advance, 0, 0]) + offset))
    return group


def title(text: str) -> Text:
    return label(text, 36, TEXT, weight="BOLD").to_edge(UP, buff=0.35)


class NarratedMixin:
    """Records `say()` calls against the renderer's clock; the worker saves them as cues."""

    def setup(self):
        super().setup()
        self.camera.background_color = BG
        self.cues: list[list] = []             # [start, end, text]
        self.poster_time: float | None = None

    @property
    def now(self) -> float:
        return float(self.renderer.time)

    def say(self, text: str) -> None:
        if self.cues and self.cues[-1][1] is None:
            self.cues[-1][1] = self.now
        self.cues.append([self.now, None, " ".join(text.split())])

    def poster(self) -> None:
        self.poster_time = self.now

    def tear_down(self):
        if self.cues and self.cues[-1][1] is None:
            self.cues[-1][1] = self.now
        out = os.environ.get("ANIMATION_CUES")
        if out:
            Path(out).write_text(json.dumps({"cues": self.cues, "poster": self.poster_time,
                                             "duration": self.now}), encoding="utf-8")
        super().tear_down()


class Narrated(NarratedMixin, Scene):
    pass


class Narrated3D(NarratedMixin, ThreeDScene):
    pass


def digit_image(pixels, height: float = 2.0, ink: str = TEXT, paper: str = PANEL) -> ImageMobject:
    """A 28x28 MNIST digit (784 floats in [0, 1], ink = 1) as a crisp, upscaled image."""
    values = np.clip(np.asarray(pixels, dtype=float).reshape(28, 28), 0, 1)[..., None]
    hexes = [np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)], dtype=float) for c in (paper, ink)]
    rgb = hexes[0] * (1 - values) + hexes[1] * values
    rgba = np.concatenate([rgb, np.full((28, 28, 1), 255.0)], axis=2).astype(np.uint8)
    image = ImageMobject(rgba, resampling_algorithm=Resampling.NEAREST)
    image.height = height
    return image


def framed(image: ImageMobject, color: str = GRID) -> Rectangle:
    return Rectangle(width=image.width, height=image.height, color=color, stroke_width=2).move_to(image)


def bracket_matrix(rows: list[list[str]], size: float = 30, color: str = TEXT) -> VGroup:
    """A matrix of entries between square brackets drawn with lines (no LaTeX)."""
    from manim import Line
    cells = VGroup(*[label(v, size, color) for row in rows for v in row])
    cells.arrange_in_grid(rows=len(rows), cols=len(rows[0]), buff=(0.5, 0.25))
    h, w = cells.height + 0.25, cells.width + 0.3
    left = VGroup(Line([0, h / 2, 0], [0, -h / 2, 0]), Line([0, h / 2, 0], [0.12, h / 2, 0]),
                  Line([0, -h / 2, 0], [0.12, -h / 2, 0])).set_stroke(color, 2.5)
    right = left.copy().flip(UP)
    left.move_to(cells.get_center() + LEFT * w / 2)
    right.move_to(cells.get_center() + RIGHT * w / 2)
    return VGroup(left, cells, right)


def mnist_digits():
    """Real test digits from weights/mnist-digits: ((label, 784 floats), ...)."""
    from py_runtime.demos._lib.mnist_data import digits
    return digits()


def load_model(name: str):
    import py_runtime
    return py_runtime.load(name)


def manifest() -> dict:
    return json.loads((ROOT / "weights" / "manifest.json").read_text(encoding="utf-8"))


__all__ = ["BG", "PANEL", "GRID", "TEXT", "MUTED", "BLUE", "ORANGE", "GREEN", "PINK", "YELLOW", "PURPLE",
           "CLASS_COLORS", "FONT", "MONO", "live_label", "ROOT", "Narrated", "Narrated3D", "label", "title", "digit_image", "framed",
           "bracket_matrix", "mnist_digits", "load_model", "manifest", "config"]
