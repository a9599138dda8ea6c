"""The `kernel-trick` demo's pictures, as SVG: the rings and the circle in 2-D, the lift in a
rotatable 3-D view, the kernel perceptron's boundary, and the two Gram tables side by side.

Drawing only: the numbers come from py_runtime.demos.kernel_trick and py_runtime.kernels.
"""
from __future__ import annotations

import math

from .svg import Figure, contour_segments, field_rects

SCENE = 3.5                     # the 3-D floor spans [-SCENE, SCENE]²
Z_DISPLAY = 2.6                 # the highest lifted point is drawn this high in the 3-D view
HALF = 4.6                      # the 3-D panel spans [-HALF, HALF]² on screen


def project(x: float, y: float, z: float, azimuth: float, elevation: float) -> tuple[float, float, float]:
    """Orthographic view: rotate by the azimuth about z, tilt by the elevation; returns
    (screen x, screen y, depth towards the viewer). An orthonormal map, so lengths are kept."""
    a, e = math.radians(azimuth), math.radians(elevation)
    x1 = x * math.cos(a) + y * math.sin(a)
    y1 = -x * math.sin(a) + y * math.cos(a)
    sy = z * math.cos(e) + y1 * math.sin(e)
    depth = z * math.sin(e) - y1 * math.cos(e)
    return x1, sy, depth


def towards_viewer(azimuth: float, elevation: float) -> tuple[float, float, float]:
    """The unit vector v with v·p = the depth `project` gives p."""
    a, e = math.radians(azimuth), math.radians(elevation)
    return math.sin(a) * math.cos(e), -math.cos(a) * math.cos(e), math.sin(e)


def marker(fig: Figure, x, y, label, wrong, r=4.5):
    """Ring 1 as filled dots, ring 2 as hollow squares: told apart without colour."""
    cls = f"ring{label}" + (" wrong" if wrong else "")
    if label == 0:
        fig.circle(x, y, r, cls)
    else:
        a, b = (float(v) for v in fig.px(x, y))
        fig.raw(f'<rect x="{a - r:.1f}" y="{b - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" class="{cls}"/>')


def _circle_points(cx, cy, radius, count=96):
    return [(cx + radius * math.cos(2 * math.pi * i / count), cy + radius * math.sin(2 * math.pi * i / count))
            for i in range(count)]


# --- 2-D: the rings, the best line and the circle -----------------------------------------------

def flat_figure(pts, predicted, circle, line, view) -> str:
    fig = Figure(-view, view, -view, view, width=360,
                 title="The rings in 2-D, the best line found, and the plane's circle")
    fig.grid(1.0, "grid")
    ca, sa, t = math.cos(line["angle"]), math.sin(line["angle"]), line["threshold"]
    fig.line(t * ca - 12 * sa, t * sa + 12 * ca, t * ca + 12 * sa, t * sa - 12 * ca, "best-line")
    cx, cy, radius = circle["cx"], circle["cy"], circle["radius"]
    fig.polyline(_circle_points(cx, cy, radius), "boundary", closed=True)
    for (x, y, label), guess in zip(pts, predicted):
        marker(fig, x, y, label, guess != label)
    fig.circle(cx, cy, 6, "handle centre-handle")
    fig.circle(cx + radius * math.cos(math.radians(40)), cy + radius * math.sin(math.radians(40)), 7, "handle")
    fig.text(-view + 0.15, -view + 0.2, "dashed: best straight line found", "note", dy=-2)
    return fig.to_svg()


# --- 3-D: the lift, the plane and where they meet -----------------------------------------------

def clip_to_heights(polygon, low, high):
    """Sutherland–Hodgman: the part of a planar polygon [(x, y, z), ...] with low ≤ z ≤ high."""
    def clip(points, inside, cross_at):
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross_at(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross_at(previous, current))
        return out

    def crossing(level):
        def at(p, q):
            s = (level - p[2]) / (q[2] - p[2])
            return p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1]), level
        return at

    kept = clip(polygon, lambda p: p[2] >= low, crossing(low)) if polygon else []
    return clip(kept, lambda p: p[2] <= high, crossing(high)) if kept else []


FLOOR = ((-SCENE, -SCENE), (SCENE, -SCENE), (SCENE, SCENE), (-SCENE, SCENE))


class _LiftView:
    """The 3-D panel's camera: the reader's azimuth, elevation and lift t, with heights scaled
    so that the highest lifted point (`top`) is drawn Z_DISPLAY high."""

    def __init__(self, p, top):
        self.az, self.el, self.t = p["azimuth"], p["elevation"], p["lift"]
        self.top, self.zscale = top, Z_DISPLAY / top
        self.shift = Z_DISPLAY * 0.4              # centre the scene's height in the frame

    def screen(self, x, y, z):
        """(screen x, screen y, depth) of the lifted point (x, y, z)."""
        return project(x, y, z * self.zscale * self.t - self.shift, self.az, self.el)

    def floor(self, x, y):
        return project(x, y, -self.shift, self.az, self.el)[:2]


def lifted_figure(p, pts, zs, predicted, circle, plane) -> str:
    """`zs`: each point's lifted height; `plane(x, y)`: the height of the cutting plane there."""
    fig = Figure(-HALF, HALF, -HALF, HALF, width=360, title="The rings lifted by z = x² + y², and the plane that cuts the circle")
    view = _LiftView(p, max(max(zs), 1e-6))
    _floor_and_axes(fig, view)
    if view.t > 0.01:
        _bowl(fig, view, pts)
    _points_and_plane(fig, view, pts, zs, predicted, circle, plane)
    if view.t <= 0.02:
        fig.text(0, -HALF + 0.3, "Flat: raise “Lift” to lift the points", "note", anchor="middle")
    return fig.to_svg()


def _floor_and_axes(fig: Figure, view: _LiftView) -> None:
    """The floor z = 0 with its grid, and the x, y and z axes."""
    fig.polyline([view.floor(x, y) for x, y in FLOOR], "floor", closed=True)
    for i in range(-3, 4):
        fig.line(*view.floor(i, -SCENE), *view.floor(i, SCENE), "grid")
        fig.line(*view.floor(-SCENE, i), *view.floor(SCENE, i), "grid")
    fig.arrow(*view.floor(-SCENE, 0), *view.floor(SCENE + 0.5, 0), "axis3d")
    fig.arrow(*view.floor(0, -SCENE), *view.floor(0, SCENE + 0.5), "axis3d")
    fig.text(*view.floor(SCENE + 0.6, 0), "x", "axis-label", dx=2)
    fig.text(*view.floor(0, SCENE + 0.6), "y", "axis-label", dx=2)
    zaxis = project(0, 0, Z_DISPLAY + 0.6 - view.shift, view.az, view.el)
    fig.arrow(*view.floor(0, 0), zaxis[0], zaxis[1], "axis3d")
    fig.text(zaxis[0], zaxis[1], "z", "axis-label", dx=6, dy=4)
    fig.text(-HALF + 0.2, HALF - 0.5, "height z = x² + y²", "note")


def _bowl(fig: Figure, view: _LiftView, pts) -> None:
    """The bowl z = x² + y², as a few rings and spokes, out to just past the points."""
    rmax = min(max(math.hypot(x, y) for x, y, _ in pts) + 0.2, math.sqrt(1.15 * view.top))
    for r in [rmax * k / 4 for k in range(1, 5)]:
        ring = [view.screen(r * math.cos(2 * math.pi * i / 48), r * math.sin(2 * math.pi * i / 48), r * r)
                for i in range(48)]
        fig.polyline([(a, b) for a, b, _ in ring], "surface", closed=True)
    for k in range(8):
        a = 2 * math.pi * k / 8
        spoke = [view.screen(s * math.cos(a), s * math.sin(a), s * s) for s in (rmax * i / 10 for i in range(11))]
        fig.polyline([(u, v) for u, v, _ in spoke], "surface")


def _points_and_plane(fig: Figure, view: _LiftView, pts, zs, predicted, circle, plane) -> None:
    """Painter's algorithm: the points on the far side of the plane, the plane, then the near side.

    Drawn, the plane z = 2a·x + 2b·y + c has its heights scaled by s = zscale·t, so its upward
    normal is n = (−2a·s, −2b·s, 1); a point is on the viewer's side when (z − plane) has the sign of n·v."""
    cx, cy, radius = circle["cx"], circle["cy"], circle["radius"]
    v = towards_viewer(view.az, view.el)
    s = view.zscale * view.t
    facing = -2 * cx * s * v[0] - 2 * cy * s * v[1] + v[2] >= 0
    items = []
    for (x, y, label), guess, z in zip(pts, predicted, zs):
        sx, sy, depth = view.screen(x, y, z)
        items.append(((z > plane(x, y)) == facing, depth, sx, sy, label, guess))
    for _, _, sx, sy, label, guess in sorted((it for it in items if not it[0]), key=lambda it: it[1]):
        marker(fig, sx, sy, label, guess != label)
    if view.t > 0.02:
        corners = [(x, y, plane(x, y)) for x, y in FLOOR]
        visible = clip_to_heights(corners, 0.0, 1.15 * view.top)
        if len(visible) >= 3:
            outline = [view.screen(*q)[:2] for q in visible]
            fig.polyline(outline, "plane", closed=True)
        rim = [view.screen(x, y, x * x + y * y)[:2] for x, y in _circle_points(cx, cy, radius, 72)]
        fig.polyline(rim, "boundary-3d", closed=True)
    for _, _, sx, sy, label, guess in sorted((it for it in items if it[0]), key=lambda it: it[1]):
        marker(fig, sx, sy, label, guess != label)


# --- the kernel perceptron's boundary -----------------------------------------------------------

def boundary_segments(grid, centres):
    """The level f = 0 as segments (x1, y1, x2, y2) in data coordinates.
    grid[row][col] is f at (centres[col], centres[-1 - row]): rows from the top."""
    return contour_segments(grid, list(centres), list(reversed(centres)), 0.0)


def kernel_figure(pts, wrong, grid, centres, view, title) -> str:
    fig = Figure(-view, view, -view, view, width=360, title=title)
    n = len(centres)
    cell = fig.width / n
    fig.raw(field_rects([[f"side{int(val > 0)}" for val in row] for row in grid], cell))
    fig.grid(1.0, "grid")
    path = " ".join("M{},{} L{},{}".format(*fig.px(x1, y1), *fig.px(x2, y2))
                    for x1, y1, x2, y2 in boundary_segments(grid, centres))
    if path:
        fig.raw(f'<path d="{path}" class="kernel-boundary"/>')
    for (x, y, label), bad in zip(pts, wrong):
        marker(fig, x, y, label, bad)
    fig.text(-view + 0.15, -view + 0.2, "shaded: where f(x) > 0, the perceptron's “ring 2”", "note", dy=-2)
    return fig.to_svg()


# --- the Gram matrix, two ways ------------------------------------------------------------------

def _shade(value, scale) -> int:
    """0 … 8: strongly negative … zero (4) … strongly positive, on a square-root scale relative to
    the largest entry, so that small entries still show."""
    if scale <= 0:
        return 4
    return max(0, min(8, 4 + round(math.copysign(4 * math.sqrt(abs(value) / scale), value))))


def gram_figure(by_lift, by_kernel, per_ring) -> str:
    m = len(by_kernel)
    gap = 2
    fig = Figure(0, 2 * m + gap, -4.2, m + 0.5, width=360,
                 title=f"The Gram matrix of {m} points, computed two ways")
    scale = max(abs(v) for table in (by_lift, by_kernel) for row in table for v in row) or 1.0
    cell = fig.width / (2 * m + gap)
    rects = []
    for left, table in ((0, by_lift), (m + gap, by_kernel)):
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                a, b = (float(v) for v in fig.px(left + j, m - i))
                rects.append(f'<rect x="{a:.1f}" y="{b:.1f}" width="{cell:.1f}" height="{cell:.1f}" '
                             f'class="g{_shade(value, scale)}"/>')
    fig.raw('<g class="gram">' + "".join(rects) + "</g>")
    for left in (0, m + gap):
        fig.line(left + per_ring, 0, left + per_ring, m, "gram-split")
        fig.line(left, m - per_ring, left + m, m - per_ring, "gram-split")
        fig.polyline([(left, 0), (left + m, 0), (left + m, m), (left, m)], "gram-frame", closed=True)
    fig.text(m / 2, -1.0, "⟨φ(xᵢ), φ(xⱼ)⟩: lift, then dot", "note", anchor="middle", dy=2)
    fig.text(m + gap + m / 2, -1.0, "k(xᵢ, xⱼ): no lift", "note", anchor="middle", dy=2)
    fig.text(m + gap / 2, -2.4, f"rows and columns: {per_ring} points of ring 1, then {m - per_ring} of ring 2",
             "note", anchor="middle", dy=2)
    fig.text(m + gap / 2, -3.8, "orange: positive, blue: negative, darker: larger", "note", anchor="middle", dy=2)
    return fig.to_svg()
