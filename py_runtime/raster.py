"""Anti-aliased shapes on a pixel grid, the face renderer's drawing primitives (py_runtime.faces).

A picture shows part of a world SIZE units across through a View (pixel -> world, an affine
map: the whole frame at any resolution, or an aligned crop, turned and scaled). A Canvas holds
the picture's three colour channels and each pixel's coordinates in a face frame (u right,
v down, centred on the head and turned with it); it paints ellipses, elliptical rings and the
bands between two curves, each pixel covered by the fraction of it inside the shape (about
0.5 − its signed distance to the outline, in pixels, clamped to [0, 1]).
"""
from __future__ import annotations

import math
from typing import NamedTuple

SIZE = 64                       # the world is SIZE units across; the default picture SIZE pixels


def clamp01(v):
    """v limited to [0, 1]."""
    return 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)


class View(NamedTuple):
    """Which part of the 64-unit world a `size`×`size` picture shows, and how.

    Pixel coordinates (x, y) are continuous (pixel column 3 spans 3 ≤ x < 4, its centre is
    3.5); the world point under them is (a·x + b·y + c, d·x + e·y + f). The default is the
    64×64 frame, one pixel per world unit; ``frame_view(128)`` is the same frame twice as
    sharp, and ``crop_view(alignment)`` an aligned crop, rotated and scaled."""
    size: int = SIZE
    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 0.0
    e: float = 1.0
    f: float = 0.0

    def to_world(self, x, y):
        return self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f

    def to_pixel(self, wx, wy):
        det = self.a * self.e - self.b * self.d
        x, y = wx - self.c, wy - self.f
        return (self.e * x - self.b * y) / det, (self.a * y - self.d * x) / det

    def pixels_per_unit(self):
        return 1.0 / math.sqrt(abs(self.a * self.e - self.b * self.d))


FRAME = View()


def frame_view(size: int) -> View:
    """The whole 64-unit frame drawn at `size`×`size` pixels."""
    k = SIZE / size
    return View(size, k, 0.0, 0.0, 0.0, k, 0.0)


class Canvas:
    """Three channel lists plus the face frame: rotated coordinates of every pixel.

    Shapes are described in the face frame (u right, v down, in world units, centred on the
    head and turned with it); `k` pixels per unit sets how wide the anti-aliased edges are,
    so that a sharper view draws the same shapes with one-pixel edges."""

    def __init__(self, cx, cy, angle, view=FRAME):
        self.cx, self.cy, self.view = cx, cy, view
        self.size = n = view.size
        self.k = view.pixels_per_unit()
        self.c, self.s = math.cos(angle), math.sin(angle)
        c, s = self.c, self.s
        a, b, tc, d, e, tf = view.a, view.b, view.c, view.d, view.e, view.f
        # world coordinates of each pixel centre, then its face-frame coordinates
        centres = [i + 0.5 for i in range(n)]
        ax, dx = [a * x for x in centres], [d * x for x in centres]
        self.WX = [a_x + b * y + tc for y in centres for a_x in ax]
        self.WY = [d_x + e * y + tf for y in centres for d_x in dx]
        self.U = [c * (x - cx) + s * (y - cy) for x, y in zip(self.WX, self.WY)]
        self.V = [-s * (x - cx) + c * (y - cy) for x, y in zip(self.WX, self.WY)]
        self.R, self.G, self.B = [0.0] * (n * n), [0.0] * (n * n), [0.0] * (n * n)

    def box(self, u0, u1, v0, v1):
        """Pixel rows/columns covering a face-frame box (with a 1-px margin)."""
        c, s, n = self.c, self.s, self.size
        xs, ys = [], []
        for u in (u0, u1):
            for v in (v0, v1):
                x, y = self.view.to_pixel(self.cx + c * u - s * v, self.cy + s * u + c * v)
                xs.append(x)
                ys.append(y)
        x0, x1 = max(0, int(min(xs)) - 1), min(n, int(max(xs)) + 2)
        y0, y1 = max(0, int(min(ys)) - 1), min(n, int(max(ys)) + 2)
        return x0, x1, y0, y1

    def indices(self, u0, u1, v0, v1):
        x0, x1, y0, y1 = self.box(u0, u1, v0, v1)
        n = self.size
        return [i for y in range(y0, y1) for i in range(y * n + x0, y * n + x1)]

    def paint(self, i, a, col):
        if a <= 0.0:
            return
        R, G, B = self.R, self.G, self.B
        if a >= 1.0:
            R[i], G[i], B[i] = col
        else:
            R[i] += (col[0] - R[i]) * a
            G[i] += (col[1] - G[i]) * a
            B[i] += (col[2] - B[i]) * a

    def ellipse(self, eu, ev, rx, ry, col, clip=None):
        """A filled ellipse centred at (eu, ev) in the face frame; coverage is anti-aliased.

        `clip` = another ellipse (eu, ev, rx, ry): only its inside is painted (irises in eyes)."""
        if rx <= 0.05 or ry <= 0.05:
            return
        U, V, R, G, B = self.U, self.V, self.R, self.G, self.B
        inv_x, inv_y = 1.0 / rx, 1.0 / ry
        small = min(rx, ry) * self.k                   # the smaller radius, in pixels
        q_in = max(0.0, 1.0 - 0.5 / small) ** 2       # surely whole pixels inside
        q_out = (1.0 + 0.5 / small) ** 2               # surely outside
        k = self.k
        cr, cg, cb = col
        for i in self.indices(eu - rx, eu + rx, ev - ry, ev + ry):
            du, dv = U[i] - eu, V[i] - ev
            qx, qy = du * inv_x, dv * inv_y
            q = qx * qx + qy * qy
            if q >= q_out:
                continue
            if q <= q_in and clip is None:
                R[i], G[i], B[i] = cr, cg, cb
                continue
            a = ellipse_cover(du, dv, inv_x, inv_y, k)
            if clip is not None and a > 0.0:
                a *= ellipse_cover(U[i] - clip[0], V[i] - clip[1], 1.0 / clip[2], 1.0 / clip[3], k)
            if a > 0.0:
                R[i] += (cr - R[i]) * a
                G[i] += (cg - G[i]) * a
                B[i] += (cb - B[i]) * a

    def ring(self, eu, ev, rx, ry, width, col):
        """An elliptical frame (glasses): outer ellipse minus inner ellipse."""
        U, V, k = self.U, self.V, self.k
        ox, oy, ix, iy = 1.0 / (rx + width / 2), 1.0 / (ry + width / 2), 1.0 / (rx - width / 2), 1.0 / (ry - width / 2)
        # Pixels surely off the frame paint nothing (a <= 0), so skip them before the square roots:
        # 0.6 px beyond the outer outline its coverage is exactly 0, 0.6 px inside the inner one
        # the inner's is exactly 1 (a pixel's coverage is 0.5 − its distance to the outline, clamped).
        far = (1.0 + 0.6 / (k * min(rx, ry) + 0.5 * k * width)) ** 2
        lens = max(0.0, 1.0 - 0.6 / (k * min(rx, ry) - 0.5 * k * width)) ** 2
        for i in self.indices(eu - rx - width, eu + rx + width, ev - ry - width, ev + ry + width):
            du, dv = U[i] - eu, V[i] - ev
            if (du * ox) ** 2 + (dv * oy) ** 2 >= far or (du * ix) ** 2 + (dv * iy) ** 2 <= lens:
                continue
            a = ellipse_cover(du, dv, ox, oy, k) - ellipse_cover(du, dv, ix, iy, k)
            self.paint(i, a, col)

    def band(self, u0, half_w, top, bottom, col, alpha=1.0):
        """The region between two curves over u in [u0 - half_w, u0 + half_w].

        `top(t)` and `bottom(t)` give v for t = (u - u0) / half_w in [-1, 1] (v grows downwards)."""
        U, V, k = self.U, self.V, self.k
        vs = [top(t) for t in (-1.0, -0.5, 0.0, 0.5, 1.0)] + [bottom(t) for t in (-1.0, -0.5, 0.0, 0.5, 1.0)]
        inv = 1.0 / half_w
        margin = inv / k
        for i in self.indices(u0 - half_w, u0 + half_w, min(vs) - 1.0, max(vs) + 1.0):
            t = (U[i] - u0) * inv
            if t < -1.0 - margin or t > 1.0 + margin:
                continue
            v = V[i]
            a = (clamp01((v - top(t)) * k + 0.5) * clamp01((bottom(t) - v) * k + 0.5)
                 * clamp01((1.0 - abs(t)) * half_w * k + 0.5))
            self.paint(i, a * alpha, col)


def ellipse_cover(du, dv, inv_x, inv_y, k=1.0):
    """Approximate area of a pixel inside the ellipse (du/rx)² + (dv/ry)² <= 1 (k pixels per unit)."""
    qx, qy = du * inv_x, dv * inv_y
    q = qx * qx + qy * qy
    if q <= 1e-12:
        return 1.0
    r = math.sqrt(q)
    rho = math.sqrt(du * du + dv * dv)
    d = rho - rho / r          # signed distance to the outline along the ray from the centre
    return clamp01(0.5 - d * k)


def mix(a, b, t):
    """The colour a + (b − a)·t: a at t = 0, b at t = 1."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def scale(col, k):
    """A colour times k (darker for k < 1)."""
    return (col[0] * k, col[1] * k, col[2] * k)
