"""The 2-D autoencoder's latent map, shared by `latent-explorer` and `autoencoder-draw`.

The map: the manifest's `latent_sample` (2,000 test digits passed through the encoder of
`mnist-ae-2d`), one dot per digit at its code z = (z1, z2), coloured by its true class,
with each class's centroid labelled by its digit.

The codes are very unevenly spread: zeros fill most of the range (z2 up to ~40) while
2, 3, 5 and 8 crowd within one unit of each other. Drawn to scale, nine classes are a
smudge. So by default each axis is stretched with the inverse hyperbolic sine around the
sample's median m (scale s = 1 latent unit):

    w(z) = asinh((z − m) / s)          (≈ linear within ±s of m, logarithmic far out)

and the map shows w linearly between w(lo) and w(hi), lo/hi being the manifest's
`latent_range` (a little padded). `to_view` / `to_latent` convert both ways, so the
pointer's position on the map is turned back into a latent point exactly.

Static parts (the dots, labels and ticks) are built once per axis mode and cached; the
part that moves (a marker, a crosshair) is a separate, small overlay SVG with the same
viewBox, laid on top by CSS.
"""
from __future__ import annotations

import base64
import math
import statistics
from functools import lru_cache

from ... import latent, png
from ...params import choice
from . import models
from .svg import Figure, format_number

MODEL = "mnist-ae-2d"
AXES = ("stretched", "linear")
WIDTH = 400                               # viewBox width (and height: the map is square)
BOUNDS = (-0.1, 1.02, -0.1, 1.02)         # the figure in view units: [0, 1]² is the map, the rest holds tick labels
STRETCH = 1.0                             # s in asinh((z − m) / s), latent units
PAD = 0.03                                # latent_range is widened by this share of its span
TICKS = (0, 10, -10, 1, -1, 20, -20, 5, -5, 2, -2, 30, 40, 3, -3, 50, -50, 15, -15, 7, -7)  # tried in this order
TICK_GAP = 0.075                          # minimum distance between tick marks, view units


def model():
    return models.get(MODEL)


class Axis:
    """One latent axis ↔ its position on the map, in [0, 1]."""

    def __init__(self, low: float, high: float, centre: float, warp: bool):
        self.centre, self.warp = centre, warp
        self.w_low, self.w_high = self._w(low), self._w(high)
        self.low, self.high = low, high

    def _w(self, z: float) -> float:
        return math.asinh((z - self.centre) / STRETCH) if self.warp else z

    def to_view(self, z: float) -> float:
        return (self._w(z) - self.w_low) / (self.w_high - self.w_low)

    def to_latent(self, u: float) -> float:
        w = self.w_low + u * (self.w_high - self.w_low)
        return self.centre + STRETCH * math.sinh(w) if self.warp else w


@lru_cache(maxsize=None)
def axes_for(mode: str) -> tuple[Axis, Axis]:
    entry = model().entry
    points = entry["latent_sample"]["points"]
    out = []
    for i in range(2):
        low, high = entry["latent_range"]["min"][i], entry["latent_range"]["max"][i]
        pad = PAD * (high - low)
        centre = statistics.median(p[i] for p in points)
        out.append(Axis(low - pad, high + pad, centre, mode == "stretched"))
    return tuple(out)


def to_view(z, mode: str) -> tuple[float, float]:
    ax, ay = axes_for(mode)
    return ax.to_view(z[0]), ay.to_view(z[1])


def to_latent(u: float, v: float, mode: str) -> list[float]:
    ax, ay = axes_for(mode)
    return [ax.to_latent(u), ay.to_latent(v)]


def latent_bounds(mode: str = "linear") -> tuple[float, float, float, float]:
    ax, ay = axes_for(mode)
    return ax.low, ax.high, ay.low, ay.high


def nearest(z) -> tuple[int, float]:
    """(class, distance) of the class centroid nearest to latent point z."""
    return latent.nearest_centroid(z, model().centroids)


@lru_cache(maxsize=None)
def _sample() -> tuple[tuple[float, float, int], ...]:
    sample = model().entry["latent_sample"]
    return tuple((float(z[0]), float(z[1]), int(label)) for z, label in zip(sample["points"], sample["labels"]))


def neighbours(z, k: int = 10) -> str:
    """Which classes the k map dots nearest to z belong to, e.g. "mostly 0 (7 of 10)".

    A local vote: a centroid can sit far from much of its class (the zeros spread over
    most of the map), the dots around a point say better whose territory it is in."""
    x, y = z[0], z[1]
    near = sorted(_sample(), key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)[:k]
    counts: dict[int, int] = {}
    for _, _, label in near:
        counts[label] = counts.get(label, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top, n = ranked[0]
    others = ", ".join(f"{label}: {c}" for label, c in ranked[1:3])
    return f"mostly {top} ({n} of {k})" + (f"; {others}" if others else "")


def map_figure(title: str = "", css_class: str = "plot latent-map") -> Figure:
    """An empty figure over the map's viewBox: the map, or an overlay laid exactly on it."""
    return Figure(*BOUNDS, width=WIDTH, title=title, css_class=css_class)


def _ticks(axis: Axis) -> list[float]:
    chosen: list[float] = []
    for value in TICKS:
        if not axis.low <= value <= axis.high:
            continue
        u = axis.to_view(value)
        if all(abs(u - axis.to_view(c)) >= TICK_GAP for c in chosen):
            chosen.append(value)
    return sorted(chosen)


@lru_cache(maxsize=None)
def map_svg(mode: str = "stretched") -> str:
    """The static layer: grid at round latent values, the sample's dots, the centroids."""
    mode = choice(mode, AXES, AXES[0])
    entry = model().entry
    ax, ay = axes_for(mode)
    scale = "stretched (asinh) axes" if mode == "stretched" else "axes to scale"
    fig = map_figure(f"Latent map of the 2-D autoencoder, {scale}: 2,000 test digits, each a dot at its code, "
                  "coloured by its class; digits mark the class centroids.")
    fig.polyline([(0, 0), (1, 0), (1, 1), (0, 1)], "map-frame", closed=True)
    for value in _ticks(ax):
        u = ax.to_view(value)
        fig.line(u, 0, u, 1, "axis" if value == 0 else "grid")
        fig.text(u, 0, format_number(value), "tick", anchor="middle", dy=14)
    for value in _ticks(ay):
        v = ay.to_view(value)
        fig.line(0, v, 1, v, "axis" if value == 0 else "grid")
        fig.text(0, v, format_number(value), "tick", anchor="end", dx=-4, dy=4)
    fig.text(1, 0, "z₁", "axis-name", anchor="end", dx=-3, dy=-5)
    fig.text(0, 1, "z₂", "axis-name", dx=5, dy=13)

    paths: dict[int, list[str]] = {k: [] for k in range(10)}
    sample = entry["latent_sample"]
    for z, label in zip(sample["points"], sample["labels"]):
        u, v = to_view(z, mode)
        if 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0:
            x, y = fig.px(u, v)
            paths[int(label)].append(f"M{x} {y}h0")
    for label, parts in paths.items():
        if parts:
            fig.raw(f'<path class="dots c{label}" d="{"".join(parts)}"/>')
    for label, centre in sorted(model().centroids.items()):
        u, v = to_view(centre, mode)
        fig.circle(u, v, 8, f"centroid c{label}", f'data-class="{label}"')
        fig.text(u, v, str(label), "centroid-label", anchor="middle", dy=4)
    return fig.to_svg()


def overlay_svg(z, mode: str, crosshair: bool = True, label: str = "") -> str:
    """The moving layer: a marker at latent point z (clamped to the map's edge), a crosshair."""
    u, v = to_view(z, mode)
    inside = 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0
    u, v = min(max(u, 0.0), 1.0), min(max(v, 0.0), 1.0)
    fig = map_figure(css_class="plot latent-overlay")
    if crosshair:
        fig.line(u, 0, u, 1, "crosshair").line(0, v, 1, v, "crosshair")
    fig.circle(u, v, 7, "marker" if inside else "marker off-map", 'data-marker=""')
    if label:
        fig.text(u, v, label, "marker-label", dx=10, dy=-8)
    return fig.to_svg().replace('role="img"', 'aria-hidden="true"', 1)


def legend_html() -> str:
    items = "".join(f'<li><span class="swatch c{k}" aria-hidden="true"></span>{k}</li>' for k in range(10))
    return f'<ul class="latent-legend" aria-label="Colour of each digit class">{items}</ul>'


def png_uri(pixels, width: int = 28) -> str:
    """A flat list of grey values in [0, 1] -> a data: URI of a greyscale PNG."""
    data = png.encode_gray(png.to_rows(pixels, width))
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def mse(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b)) / len(a)


def fmt_point(z) -> str:
    return f"({z[0]:.2f}, {z[1]:.2f})"


def map_layer(axes: str = "stretched") -> dict:
    """For the UI: the static map (sent once per axis mode) and what it needs to place the pointer."""
    mode = choice(axes, AXES, AXES[0])
    return {"svg": map_svg(mode), "bounds": list(BOUNDS), "axes": mode, "legend": legend_html(),
            "centroids": {str(k): list(to_view(c, mode)) for k, c in sorted(model().centroids.items())}}
