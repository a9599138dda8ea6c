"""`kernel-trick`: two rings no line separates in 2-D, lifted by z = x² + y² until a plane does.

A straight line a·x + b·y = t cannot put one ring on each side: the inner ring lies inside
the outer ring's convex hull, and a half-plane holding the whole outer ring holds its hull.
The lift φ(x, y) = (x, y, x² + y²) puts every point at a height equal to its squared
distance from the origin, so the inner ring sits low and the outer ring high, and the
horizontal plane z = c between them separates them. Back in 2-D that plane is the circle
x² + y² = c: a linear cut in the lifted space is a curved boundary in the original one.

The 3-D view is an orthographic projection computed here: rotate the scene by the azimuth
φ about the z axis, tilt it by the elevation θ, and drop the depth coordinate.
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

from .params import number
from .svg import Figure, readouts_html

N_PER_RING = 40
VIEW = 3.5                      # the 2-D panel spans [-VIEW, VIEW]²
SCENE = 3.0                     # the 3-D floor spans [-SCENE, SCENE]²
Z_DISPLAY = 2.6                 # the highest lifted point is drawn this high in the 3-D view
DEFAULTS = {"r1": 0.9, "r2": 2.1, "noise": 0.15, "azimuth": 30.0, "elevation": 25.0, "lift": 1.0, "c": -1.0}
LIMITS = {"r1": (0.2, 2.8), "r2": (0.2, 2.8), "noise": (0.0, 0.5), "azimuth": (-180.0, 180.0),
          "elevation": (-30.0, 90.0), "lift": (0.0, 1.0), "c": (-1.0, 12.0)}


def _clean(params: dict) -> dict:
    out = {}
    for key, default in DEFAULTS.items():
        out[key] = number(params.get(key, default), default, *LIMITS[key])
    if out["c"] < 0:
        out["c"] = -1.0                    # any negative height means "choose the best plane"
    return out


# --- the data and the lift ----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _base():
    """Fixed random angles and unit-normal radial jitters, so sliders move the same points smoothly."""
    rng = random.Random(8)
    return tuple(tuple((2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / N_PER_RING, rng.gauss(0.0, 1.0))
                       for i in range(N_PER_RING)) for _ in range(2))


@lru_cache(maxsize=64)
def rings(r1: float, r2: float, noise: float) -> tuple[tuple[float, float, int], ...]:
    """((x, y, label), ...): ring 0 of radius r1, ring 1 of radius r2, radial Gaussian noise."""
    out = []
    for label, (radius, base) in enumerate(zip((r1, r2), _base())):
        for angle, g in base:
            r = abs(radius + noise * g)
            out.append((r * math.cos(angle), r * math.sin(angle), label))
    return tuple(out)


def lift(x: float, y: float) -> tuple[float, float, float]:
    """φ(x, y) = (x, y, x² + y²)."""
    return x, y, x * x + y * y


def project(x: float, y: float, z: float, azimuth: float, elevation: float) -> tuple[float, float, float]:
    """Orthographic view: rotate by the azimuth about z, tilt by the elevation; returns
    (screen x, screen y, depth towards the viewer). An orthonormal map, so lengths are kept."""
    a, e = math.radians(azimuth), math.radians(elevation)
    x1 = x * math.cos(a) + y * math.sin(a)
    y1 = -x * math.sin(a) + y * math.cos(a)
    sy = z * math.cos(e) + y1 * math.sin(e)
    depth = z * math.sin(e) - y1 * math.cos(e)
    return x1, sy, depth


# --- the best cuts ------------------------------------------------------------------------------

def best_threshold(values, labels) -> dict:
    """The cut v = t that classifies most points (label 1 above or below it, whichever is better).

    Among cuts with the same count, the one in the widest gap (largest margin) wins."""
    pairs = sorted(zip(values, labels))
    n, ones = len(pairs), sum(labels)
    best = {"correct": max(ones, n - ones), "threshold": pairs[0][0] - 1.0 if pairs else 0.0,
            "ones_above": ones >= n - ones, "gap": 0.0}
    zeros_below = ones_below = 0
    for i in range(n - 1):
        zeros_below += pairs[i][1] == 0
        ones_below += pairs[i][1] == 1
        gap = pairs[i + 1][0] - pairs[i][0]
        if gap <= 1e-12:
            continue
        # ones above the cut: zeros below are right, ones above are right
        above = zeros_below + (ones - ones_below)
        below = ones_below + (n - ones - zeros_below)
        for correct, ones_above in ((above, True), (below, False)):
            if correct > best["correct"] or (correct == best["correct"] and gap > best["gap"]):
                best = {"correct": correct, "threshold": (pairs[i][0] + pairs[i + 1][0]) / 2,
                        "ones_above": ones_above, "gap": gap}
    return best


@lru_cache(maxsize=64)
def best_line(r1: float, r2: float, noise: float, directions: int = 180) -> dict:
    """The best straight line in 2-D found by trying `directions` normal directions in [0°, 180°)."""
    pts = rings(r1, r2, noise)
    labels = [p[2] for p in pts]
    best = None
    for k in range(directions):
        a = math.pi * k / directions
        ca, sa = math.cos(a), math.sin(a)
        cut = best_threshold([x * ca + y * sa for x, y, _ in pts], labels)
        if best is None or cut["correct"] > best["correct"]:
            best = {**cut, "angle": a}
    return best


@lru_cache(maxsize=64)
def best_plane(r1: float, r2: float, noise: float) -> dict:
    """The best horizontal plane z = c in the lifted space (a threshold on x² + y²)."""
    pts = rings(r1, r2, noise)
    return best_threshold([lift(x, y)[2] for x, y, _ in pts], [p[2] for p in pts])


def _cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points):
    """Andrew's monotone chain; counter-clockwise, no repeated end point."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def inside_hull(hull, p) -> bool:
    return len(hull) >= 3 and all(_cross(hull[i], hull[(i + 1) % len(hull)], p) > 0 for i in range(len(hull)))


@lru_cache(maxsize=64)
def enclosed(r1: float, r2: float, noise: float) -> int | None:
    """Which ring (0 or 1) lies wholly inside the other's convex hull, or None: when one does,
    no straight line can separate the rings."""
    pts = rings(r1, r2, noise)
    for inner in (0, 1):
        hull = convex_hull([(x, y) for x, y, label in pts if label != inner])
        if all(inside_hull(hull, (x, y)) for x, y, label in pts if label == inner):
            return inner
    return None


# --- the figures --------------------------------------------------------------------------------

def _marker(fig: Figure, x, y, label, wrong, r=5.0):
    """Ring 0 as filled dots, ring 1 as hollow squares: told apart without colour."""
    cls = f"ring{label}" + (" wrong" if wrong else "")
    if label == 0:
        fig.circle(x, y, r, cls)
    else:
        a, b = (float(v) for v in fig.px(x, y))
        fig.raw(f'<rect x="{a - r:.1f}" y="{b - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" class="{cls}"/>')


def _flat_figure(p, pts, predicted, c, line) -> str:
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=360, title="The rings in 2-D, the best straight line and the circle x² + y² = c")
    fig.grid(1.0, "grid")
    # The best straight line: normal (cos a, sin a), offset t.
    ca, sa, t = math.cos(line["angle"]), math.sin(line["angle"]), line["threshold"]
    fig.line(t * ca - 9 * sa, t * sa + 9 * ca, t * ca + 9 * sa, t * sa - 9 * ca, "best-line")
    radius = math.sqrt(max(c, 0.0))
    circle = [(radius * math.cos(2 * math.pi * i / 96), radius * math.sin(2 * math.pi * i / 96)) for i in range(96)]
    fig.polyline(circle, "boundary", closed=True)
    for (x, y, label), guess in zip(pts, predicted):
        _marker(fig, x, y, label, guess != label, r=4.5)
    fig.circle(radius * math.cos(math.radians(40)), radius * math.sin(math.radians(40)), 7, "handle")
    fig.text(-VIEW + 0.15, -VIEW + 0.2, "dashed: best straight line", "note", dy=-2)
    return fig.to_svg()


def _lifted_figure(p, pts, predicted, c, zscale) -> str:
    az, el, t = p["azimuth"], p["elevation"], p["lift"]
    half = 4.4
    fig = Figure(-half, half, -half, half, width=360, title="The rings lifted by z = x² + y², and the plane z = c")
    shift = Z_DISPLAY * 0.4                       # centre the scene's height in the frame

    def to_screen(x, y, z):
        sx, sy, depth = project(x, y, z * zscale * t - shift, az, el)
        return sx, sy, depth

    def floor_pt(x, y):
        sx, sy, _ = project(x, y, -shift, az, el)
        return sx, sy

    # The floor (z = 0) and its axes, then the paraboloid z = x² + y² as a few rings and spokes.
    floor = [floor_pt(x, y) for x, y in ((-SCENE, -SCENE), (SCENE, -SCENE), (SCENE, SCENE), (-SCENE, SCENE))]
    fig.polyline(floor, "floor", closed=True)
    for i in range(-3, 4):
        fig.line(*floor_pt(i, -SCENE), *floor_pt(i, SCENE), "grid")
        fig.line(*floor_pt(-SCENE, i), *floor_pt(SCENE, i), "grid")
    fig.arrow(*floor_pt(-SCENE, 0), *floor_pt(SCENE + 0.5, 0), "axis3d")
    fig.arrow(*floor_pt(0, -SCENE), *floor_pt(0, SCENE + 0.5), "axis3d")
    fig.text(*floor_pt(SCENE + 0.6, 0), "x", "axis-label", dx=2)
    fig.text(*floor_pt(0, SCENE + 0.6), "y", "axis-label", dx=2)
    top = project(0, 0, Z_DISPLAY + 0.6 - shift, az, el)
    fig.arrow(*floor_pt(0, 0), top[0], top[1], "axis3d")
    fig.text(top[0], top[1], "z", "axis-label", dx=6, dy=4)
    fig.text(-half + 0.2, half - 0.5, "height z = x² + y²", "note")
    rmax = min(max(math.hypot(x, y) for x, y, _ in pts) + 0.2, math.sqrt(1.15 * Z_DISPLAY / zscale))
    if t > 0.01:
        for r in [rmax * k / 4 for k in range(1, 5)]:
            ring = [to_screen(r * math.cos(2 * math.pi * i / 48), r * math.sin(2 * math.pi * i / 48), r * r)
                    for i in range(48)]
            fig.polyline([(a, b) for a, b, _ in ring], "surface", closed=True)
        for k in range(8):
            a = 2 * math.pi * k / 8
            spoke = [to_screen(s * math.cos(a), s * math.sin(a), s * s) for s in (rmax * i / 10 for i in range(11))]
            fig.polyline([(u, v) for u, v, _ in spoke], "surface")

    # Points below the plane, then the plane, then points above it (seen from above; the
    # reverse from below), each group far to near: the painter's algorithm.
    items = []
    for (x, y, label), guess in zip(pts, predicted):
        z = lift(x, y)[2]
        sx, sy, depth = to_screen(x, y, z)
        items.append((z > c, depth, sx, sy, label, guess))
    from_above = el >= 0
    behind = [it for it in items if it[0] != from_above]
    in_front = [it for it in items if it[0] == from_above]
    for group in (behind, None, in_front):
        if group is None:
            if t > 0.02:
                corners = [to_screen(x, y, c)[:2] for x, y in ((-SCENE, -SCENE), (SCENE, -SCENE), (SCENE, SCENE), (-SCENE, SCENE))]
                fig.polyline(corners, "plane", closed=True)
                fig.text(*corners[1], f"z = {c:.2f}", "plane-label", dx=4, dy=-4)
            continue
        for _, _, sx, sy, label, guess in sorted(group, key=lambda it: it[1]):
            _marker(fig, sx, sy, label, guess != label, r=4.5)
    if t <= 0.02:
        fig.text(0, -half + 0.3, "Flat: raise “Lift” to lift the points", "note", anchor="middle")
    return fig.to_svg()


def view(**params) -> dict:
    p = _clean(params)
    key = (p["r1"], p["r2"], p["noise"])
    pts = rings(*key)
    labels = [lab for _, _, lab in pts]
    plane = best_plane(*key)
    line = best_line(*key)
    # Which ring sits low: the one the best plane puts below the cut.
    low_label = 0 if plane["ones_above"] else 1
    c = plane["threshold"] if p["c"] < 0 else p["c"]
    c = max(c, 0.0)
    zs = [lift(x, y)[2] for x, y, _ in pts]
    predicted = [low_label if z <= c else 1 - low_label for z in zs]
    correct = sum(g == lab for g, lab in zip(predicted, labels))
    zscale = Z_DISPLAY / max(max(zs), c, 1e-6)
    n = len(pts)
    inner = enclosed(*key)
    if inner is not None:
        why = (f"ring {inner + 1} lies inside the convex hull of ring {2 - inner}, "
               "so no straight line can cut them apart")
    else:
        why = "neither ring lies inside the other's convex hull here: a line may do well"
    readouts = {
        "plane z = c": f"c = {c:.2f}" + (" (the best)" if p["c"] < 0 else ""),
        "in 2-D it is the circle": f"x² + y² = {c:.2f} (radius {math.sqrt(c):.2f})",
        "plane classifies": f"{correct} / {n} correct ({100 * correct / n:.0f}%)",
        "best straight line in 2-D": f"{line['correct']} / {n} correct ({100 * line['correct'] / n:.0f}%)",
        "why no line works": why,
    }
    return {"flat": _flat_figure(p, pts, predicted, c, line), "lifted": _lifted_figure(p, pts, predicted, c, zscale),
            "readouts": readouts_html(readouts), "params": p, "c": c, "plane_correct": correct,
            "line_correct": line["correct"], "total": n, "bounds": [-VIEW, VIEW, -VIEW, VIEW],
            "best_c": plane["threshold"], "c_max": LIMITS["c"][1]}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="kt-panels"><div class="demo-figure">{state["flat"]}</div>'
                    f'<div class="demo-figure">{state["lifted"]}</div></div>{state["readouts"]}'}


# One step of dragging the 3-D view round.
INTERACTION = ("view", {**DEFAULTS, "azimuth": 42.0, "elevation": 31.0})
