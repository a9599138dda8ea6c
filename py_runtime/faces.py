"""Procedural fictional faces, 64×64 colour, drawn in plain Python (no NumPy needed).

No photograph of anyone is involved: a face is a handful of anti-aliased shapes (head,
ears, hair, eyes, brows, nose, mouth, glasses, beard) lit by one light. Two kinds of
numbers decide the picture:

- an *identity* (``IDENTITIES["A"]``, ``random_identity(seed)``): face shape, skin and
  hair tone, hair style, eye colour and spacing, nose, brows, glasses or beard;
- *parameters* shared by every identity (``PARAMS``): smile, mouth open, eyes open,
  gaze, head yaw/pitch/roll and the light's direction.

For any parameters every identity can be rendered, which is what gives a face swap its
ground truth: "B making A's expression" is simply ``render(IDENTITIES["B"], params_of_A)``.

    pixels = render(IDENTITIES["A"], {"smile": 0.8, "yaw": -0.3})   # 64*64*3 floats, HWC
    png_bytes = encode_rgb(pixels)

This is the one renderer: the training scripts (``training/faces.py``) call it too.
Pixels are row-major, channels last (R, G, B of pixel 0, then pixel 1, ...), in [0, 1].
"""
from __future__ import annotations

import math
import random
import struct
import zlib
from typing import NamedTuple

from .params import number
from .png import SIGNATURE, chunk

SIZE = 64

# name: (low, high, default); the order is the order of a parameter vector.
PARAMS = {
    "smile": (-1.0, 1.0, 0.35),
    "mouth_open": (0.0, 1.0, 0.15),
    "eyes_open": (0.0, 1.0, 0.8),
    "gaze_x": (-1.0, 1.0, 0.0),
    "gaze_y": (-1.0, 1.0, 0.0),
    "yaw": (-1.0, 1.0, 0.0),
    "pitch": (-1.0, 1.0, 0.0),
    "roll": (-1.0, 1.0, 0.0),
    "light": (-1.0, 1.0, 0.3),
}
PARAM_NAMES = tuple(PARAMS)
DEFAULT_PARAMS = {k: v[2] for k, v in PARAMS.items()}
ROLL_DEGREES = 14.0

# Two fixed, clearly different fictional people (the swap demo's A and B).
IDENTITIES = {
    "A": {
        "name": "A", "face_w": 15.0, "face_h": 19.5, "jaw": 0.55, "skin": (0.93, 0.76, 0.62),
        "hair": (0.42, 0.24, 0.10), "hair_style": "long", "hairline": -8.5, "eye_color": (0.20, 0.45, 0.65),
        "eye_dx": 6.6, "eye_y": -2.5, "eye_w": 3.5, "eye_h": 2.4, "brow": 1.1, "brow_y": -6.6,
        "nose": 5.5, "mouth_w": 6.0, "mouth_y": 8.8, "lips": (0.78, 0.36, 0.38),
        "glasses": True, "beard": False,
    },
    "B": {
        "name": "B", "face_w": 17.5, "face_h": 20.5, "jaw": 0.15, "skin": (0.55, 0.37, 0.25),
        "hair": (0.10, 0.08, 0.07), "hair_style": "short", "hairline": -11.0, "eye_color": (0.28, 0.17, 0.08),
        "eye_dx": 7.4, "eye_y": -2.0, "eye_w": 3.8, "eye_h": 2.2, "brow": 1.7, "brow_y": -6.4,
        "nose": 6.5, "mouth_w": 7.0, "mouth_y": 9.5, "lips": (0.45, 0.24, 0.22),
        "glasses": False, "beard": True,
    },
}

# A dark studio backdrop: every face is lighter than what surrounds it, as in most portraits,
# so an edge means the same thing on every person (an encoder shared by two people needs that).
BACKGROUND_TOP = (0.30, 0.34, 0.40)
BACKGROUND_BOTTOM = (0.14, 0.16, 0.20)


def random_identity(seed: int) -> dict:
    """A fictional person drawn at random, deterministically from `seed`."""
    rng = random.Random(seed)
    tone = rng.random()
    skin = (0.45 + 0.5 * tone, 0.30 + 0.48 * tone, 0.20 + 0.44 * tone)
    h = rng.random()
    hair = (0.08 + 0.6 * h, 0.06 + 0.4 * h * rng.random(), 0.05 + 0.2 * h * rng.random())
    return {
        "name": f"seed {seed}", "face_w": rng.uniform(14.5, 18.0), "face_h": rng.uniform(18.5, 21.0),
        "jaw": rng.uniform(0.0, 0.6), "skin": skin, "hair": hair,
        "hair_style": rng.choice(["short", "long"]), "hairline": rng.uniform(-11.5, -8.0),
        "eye_color": (rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.5), rng.uniform(0.05, 0.7)),
        "eye_dx": rng.uniform(6.2, 7.6), "eye_y": rng.uniform(-3.0, -1.5), "eye_w": rng.uniform(3.2, 4.0),
        "eye_h": rng.uniform(2.0, 2.6), "brow": rng.uniform(0.9, 1.8), "brow_y": rng.uniform(-7.0, -6.0),
        "nose": rng.uniform(5.0, 7.0), "mouth_w": rng.uniform(5.5, 7.5), "mouth_y": rng.uniform(8.5, 10.0),
        "lips": (skin[0] * 0.85, skin[1] * 0.5, skin[2] * 0.55),
        "glasses": rng.random() < 0.4, "beard": rng.random() < 0.3,
    }


def clean_params(params: dict | None) -> dict:
    """Every parameter present, a finite float, clamped to its range."""
    params = params or {}
    return {name: number(params.get(name, default), default, low, high)
            for name, (low, high, default) in PARAMS.items()}


def params_vector(params: dict) -> list:
    p = clean_params(params)
    return [p[name] for name in PARAM_NAMES]


def params_dict(vector) -> dict:
    return clean_params(dict(zip(PARAM_NAMES, (float(v) for v in vector))))


def random_params(rng: random.Random) -> dict:
    """Parameters drawn uniformly over their ranges (the training and test distribution)."""
    return {name: rng.uniform(low, high) for name, (low, high, _) in PARAMS.items()}


def _clamp01(v):
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


class _Canvas:
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
            a = _ellipse_cover(du, dv, inv_x, inv_y, k)
            if clip is not None and a > 0.0:
                a *= _ellipse_cover(U[i] - clip[0], V[i] - clip[1], 1.0 / clip[2], 1.0 / clip[3], k)
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
            a = _ellipse_cover(du, dv, ox, oy, k) - _ellipse_cover(du, dv, ix, iy, k)
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
            a = (_clamp01((v - top(t)) * k + 0.5) * _clamp01((bottom(t) - v) * k + 0.5)
                 * _clamp01((1.0 - abs(t)) * half_w * k + 0.5))
            self.paint(i, a * alpha, col)


def _ellipse_cover(du, dv, inv_x, inv_y, k=1.0):
    """Approximate area of a pixel inside the ellipse (du/rx)² + (dv/ry)² <= 1 (k pixels per unit)."""
    qx, qy = du * inv_x, dv * inv_y
    q = qx * qx + qy * qy
    if q <= 1e-12:
        return 1.0
    r = math.sqrt(q)
    rho = math.sqrt(du * du + dv * dv)
    d = rho - rho / r          # signed distance to the outline along the ray from the centre
    return _clamp01(0.5 - d * k)


def _mix(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def _scale(col, k):
    return (col[0] * k, col[1] * k, col[2] * k)


def head_pose(params: dict) -> tuple:
    """Where the head sits in the world: its centre (x, y) and its roll angle in radians."""
    p = clean_params(params)
    return 32.0 + 1.5 * p["yaw"], 33.0 + 1.5 * p["pitch"], math.radians(ROLL_DEGREES) * p["roll"]


def render_channels(identity: dict, params: dict | None = None, view: View = FRAME):
    """(R, G, B): three lists of size*size floats in [0, 1], row-major, for one `view`."""
    p = clean_params(params)
    ident = identity
    yaw, pitch = p["yaw"], p["pitch"]
    canvas = _Canvas(*head_pose(p), view)
    R, G, B, U, V, k = canvas.R, canvas.G, canvas.B, canvas.U, canvas.V, canvas.k
    # Light: azimuth from the `light` parameter, a little from above.
    az = 0.9 * p["light"]
    lx, ly, lz = math.sin(az) * 0.85, -0.35, math.cos(az) * 0.85
    norm = math.sqrt(lx * lx + ly * ly + lz * lz)
    lx, ly, lz = lx / norm, ly / norm, lz / norm

    # Background: a vertical gradient over the world's 64 units, brighter on the lit side.
    top, bottom = BACKGROUND_TOP, BACKGROUND_BOTTOM
    span, tilt = SIZE - 1, 0.2 * p["light"]
    ks = [0.92 + tilt * ((x - 0.5) / span - 0.5) for x in canvas.WX]
    ts = [_clamp01((y - 0.5) / span) for y in canvas.WY]
    for channel, t0, t1 in zip((R, G, B), top, bottom):      # _mix(top, bottom, t) * kx, one channel at a time
        step = t1 - t0
        channel[:] = [(t0 + step * t) * kx for t, kx in zip(ts, ks)]

    fw, fh = ident["face_w"], ident["face_h"]
    shift_u, shift_v = 5.0 * yaw, 3.5 * pitch     # features slide as the head turns
    hair = ident["hair"]
    long_hair = ident["hair_style"] == "long"

    # Hair behind the head, and ears.
    if long_hair:
        canvas.ellipse(-0.8 * yaw, 4.5, fw + 5.0, fh + 6.5, _scale(hair, 0.85))
    else:
        canvas.ellipse(-0.8 * yaw, -3.0, fw + 1.6, fh - 1.0, _scale(hair, 0.85))
    ear_skin = _scale(ident["skin"], 0.88)
    for side in (-1.0, 1.0):
        eu = side * (fw - 0.3) - 1.8 * yaw
        canvas.ellipse(eu, -0.5 + 0.8 * pitch, 2.6 - 0.9 * side * yaw, 4.0, ear_skin)
    if long_hair:  # locks falling over the ears
        for side in (-1.0, 1.0):
            canvas.ellipse(side * (fw - 0.5) - yaw, 0.5, 3.6, 10.0, hair)

    # The mouth's place (drawn below). A beard leaves a patch around it bare, the same for every
    # expression, so the lips always sit on skin.
    mw = ident["mouth_w"] * (1.0 + 0.12 * p["smile"]) * (1.0 - 0.15 * abs(yaw))
    my = ident["mouth_y"] + shift_v * 1.1
    mu = shift_u * 1.15
    bend = -2.6 * p["smile"]          # corners up for a smile
    gap = 4.2 * p["mouth_open"]
    bare_u, bare_v = 1.0 / (ident["mouth_w"] * 1.12 + 1.4), 1.0 / 4.3
    bare_c = my + 1.2

    # The head: skin, hairline and beard shaded by the light as a rounded surface.
    skin = ident["skin"]
    beard = ident["beard"]
    hairline = ident["hairline"] + 0.6 * shift_v
    beard_col = _scale(hair, 1.0)
    jaw = ident["jaw"]
    inv_h = 1.0 / fh
    lights = {}
    q_in = (1.0 - 0.5 / (k * min(fw * (1.0 - jaw * 0.32), fh))) ** 2
    sr, sg, sb = skin
    for i in canvas.indices(-fw, fw, -fh, fh):
        u, v = U[i], V[i]
        ty = v * inv_h
        w_here = fw * (1.0 - jaw * 0.32 * ty * ty) if ty > 0.0 else fw
        nu = u / w_here
        q = nu * nu + ty * ty
        if q >= 1.2:
            continue
        a = 1.0 if q <= q_in else _ellipse_cover(u, v, 1.0 / w_here, inv_h, k)
        if a <= 0.0:
            continue
        nz = math.sqrt(1.0 - q) if q < 1.0 else 0.0
        # the turned head: the surface normal swings with yaw and pitch
        dot = (nu - 0.35 * yaw * nz) * lx + (ty - 0.3 * pitch * nz) * ly + nz * lz
        shade = 0.5 + 0.6 * dot if dot > 0.0 else 0.5
        cr, cg, cb = sr, sg, sb
        if beard:
            bt = v - (4.5 + 0.4 * shift_v + 0.05 * (u - shift_u) ** 2)
            if bt > -0.5:
                du, dv = (u - mu) * bare_u, (v - bare_c) * bare_v
                bare = _clamp01((math.sqrt(du * du + dv * dv) - 1.0) * 4.0)
                cr, cg, cb = _mix((cr, cg, cb), beard_col, 0.9 * bare * _clamp01(bt * k + 0.5))
        ht = hairline - 0.04 * u * u - v
        if ht > -0.5:
            cr, cg, cb = _mix((cr, cg, cb), hair, _clamp01(ht * k + 0.5))
        if a >= 1.0:
            R[i], G[i], B[i] = cr, cg, cb
        else:
            R[i] += (cr - R[i]) * a
            G[i] += (cg - G[i]) * a
            B[i] += (cb - B[i]) * a
        lights[i] = 1.0 + (shade - 1.0) * a

    # Eyes: white, iris following the gaze, pupil; lids close with eyes_open.
    open_k = 0.12 + 0.88 * p["eyes_open"]
    ew, eh = ident["eye_w"], ident["eye_h"] * open_k
    ey = ident["eye_y"] + shift_v
    iris_r = min(ident["eye_h"] * 0.72, ew * 0.6)
    for side in (-1.0, 1.0):
        ex = side * ident["eye_dx"] + shift_u * (1.0 + 0.15 * side * yaw)
        ew_side = ew * (1.0 - 0.25 * side * yaw)
        eye = (ex, ey, ew_side, eh)
        canvas.ellipse(ex, ey, ew_side + 0.5, eh + 0.6, _scale(skin, 0.72))  # lid shadow
        canvas.ellipse(ex, ey, ew_side, eh, (0.96, 0.96, 0.94))
        ix = ex + p["gaze_x"] * (ew_side - iris_r * 0.8)
        iy = ey + p["gaze_y"] * 1.2
        canvas.ellipse(ix, iy, iris_r, iris_r, ident["eye_color"], clip=eye)
        canvas.ellipse(ix, iy, iris_r * 0.45, iris_r * 0.45, (0.05, 0.05, 0.06), clip=eye)
        # upper lash line
        lid = ey - eh
        canvas.band(ex, ew_side + 0.4, lambda t, lid=lid: lid - 0.5 + 0.6 * t * t,
                    lambda t, lid=lid: lid + 0.4 + 0.6 * t * t, (0.12, 0.08, 0.07))
        # brow, raised a little by wide eyes
        by = ident["brow_y"] + shift_v - 0.9 * (p["eyes_open"] - 0.5)
        th = ident["brow"]
        canvas.band(ex + 0.3 * side, ew_side + 1.2, lambda t, by=by, s=side: by + 1.2 * t * t - 0.5 * s * t,
                    lambda t, by=by, th=th, s=side: by + th + 1.2 * t * t - 0.5 * s * t, _scale(hair, 0.9))

    # Nose: a soft shadow on the side away from the light, and the tip.
    nose_u = shift_u * 1.35
    ny = 1.5 + shift_v * 1.2 + ident["nose"] * 0.5
    canvas.ellipse(nose_u - 1.4 * (1 if lx > 0 else -1) * 0.8, ny - 1.0, 1.1, ident["nose"] * 0.55,
                   _scale(skin, 0.8))
    canvas.ellipse(nose_u, ny + 0.5, 2.1, 1.4, _scale(skin, 0.9))
    for side in (-1.0, 1.0):
        canvas.ellipse(nose_u + side * 1.1, ny + 1.3, 0.55, 0.35, _scale(skin, 0.45))

    # Mouth: lips between two curves; the smile bends both, opening parts them.

    def upper(t):
        return my - 1.0 - 0.4 * gap * (1 - t * t) + bend * t * t

    def lower(t):
        return my + 0.9 + gap * (1 - t * t) + bend * t * t

    canvas.band(mu, mw, upper, lower, ident["lips"])
    if gap > 0.25:
        canvas.band(mu, mw - 0.8, lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2,
                    lambda t: my + gap * (1 - t * t) + bend * t * t - 0.2, (0.25, 0.06, 0.07))
        canvas.band(mu, (mw - 1.0) * 0.8, lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2,
                    lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2 + min(1.2, gap * 0.35),
                    (0.95, 0.94, 0.9))
    else:
        canvas.band(mu, mw - 0.3, lambda t: my - 0.35 + bend * t * t, lambda t: my + 0.35 + bend * t * t,
                    _scale(ident["lips"], 0.55))

    # Glasses on top.
    if ident["glasses"]:
        frame = (0.12, 0.12, 0.14)
        for side in (-1.0, 1.0):
            ex = side * ident["eye_dx"] + shift_u * (1.0 + 0.15 * side * yaw)
            canvas.ring(ex, ident["eye_y"] + shift_v + 0.3, (ew + 1.6) * (1.0 - 0.2 * side * yaw), 4.2, 0.9, frame)
        canvas.band(shift_u, max(0.5, ident["eye_dx"] - ew - 2.3), lambda t: ident["eye_y"] + shift_v - 1.2,
                    lambda t: ident["eye_y"] + shift_v - 0.3, frame)

    # Lighting over the head, then clamp.
    for i, k in lights.items():
        r, g, b = R[i] * k, G[i] * k, B[i] * k
        R[i] = r if r < 1.0 else 1.0
        G[i] = g if g < 1.0 else 1.0
        B[i] = b if b < 1.0 else 1.0
    return R, G, B


def landmarks(identity: dict | str, params: dict | None = None) -> dict:
    """Where the renderer drew the face's landmarks, in world coordinates: name -> (x, y).

    A real pipeline finds these with a face and landmark detector (faceswap's aligner of
    January 2018 fits 51 of 68 detected points to a mean face); here the renderer simply
    knows them. The same face-frame formulas as render_channels: eyes, nose tip, mouth centre,
    then the outline a face mask follows (brows and jaw, both sides)."""
    if isinstance(identity, str):
        identity = IDENTITIES[identity]
    p, ident = clean_params(params), identity
    cx, cy, angle = head_pose(p)
    c, s = math.cos(angle), math.sin(angle)
    yaw = p["yaw"]
    shift_u, shift_v = 5.0 * yaw, 3.5 * p["pitch"]
    face = {}
    for side, name in ((-1.0, "left"), (1.0, "right")):
        ex = side * ident["eye_dx"] + shift_u * (1.0 + 0.15 * side * yaw)
        face[f"eye_{name}"] = (ex, ident["eye_y"] + shift_v)
        face[f"brow_{name}"] = (ex + side * ident["eye_w"], ident["brow_y"] + shift_v - 1.0)
    face["nose"] = (shift_u * 1.35, 2.0 + shift_v * 1.2 + ident["nose"] * 0.5)
    face["mouth"] = (shift_u * 1.15, ident["mouth_y"] + shift_v * 1.1)
    fw, fh, jaw = ident["face_w"], ident["face_h"], ident["jaw"]
    for j, ty in enumerate((-0.15, 0.2, 0.5, 0.75, 0.92)):
        w_here = fw * (1.0 - jaw * 0.32 * ty * ty) if ty > 0.0 else fw
        half = w_here * math.sqrt(max(0.0, 1.0 - ty * ty))
        face[f"jaw_left_{j}"], face[f"jaw_right_{j}"] = (-half, ty * fh), (half, ty * fh)
    face["chin"] = (0.0, fh)
    return {name: (cx + c * u - s * v, cy + s * u + c * v) for name, (u, v) in face.items()}


def render(identity: dict | str, params: dict | None = None, view: View = FRAME) -> list:
    """view.size² × 3 floats in [0, 1], row-major with channels last (HWC)."""
    if isinstance(identity, str):
        identity = IDENTITIES[identity]
    R, G, B = render_channels(identity, params, view)
    out = [0.0] * (3 * view.size * view.size)
    out[0::3], out[1::3], out[2::3] = R, G, B
    return out


def encode_rgb(pixels, width: int = SIZE, scale: int = 1) -> bytes:
    """HWC floats in [0, 1] -> 8-bit RGB PNG bytes; `scale` enlarges by pixel repetition."""
    height = len(pixels) // (3 * width)
    try:                       # the fast path: values already in [0, 1] (renders, sigmoid outputs)
        data = bytes([int(v * 255.0 + 0.5) for v in pixels])
    except (ValueError, TypeError, OverflowError):
        data = bytes(max(0, min(255, int(v * 255.0 + 0.5))) if v == v else 0 for v in pixels)
    rows = []
    stride = 3 * width
    for y in range(height):
        row = data[y * stride:(y + 1) * stride]
        if scale > 1:
            row = b"".join(row[x * 3:x * 3 + 3] * scale for x in range(width))
        line = b"\x00" + row
        rows.extend([line] * scale)
    header = struct.pack(">IIBBBBB", width * scale, height * scale, 8, 2, 0, 0, 0)
    return SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")


def data_uri(pixels, width: int = SIZE, scale: int = 1) -> str:
    import base64
    return "data:image/png;base64," + base64.b64encode(encode_rgb(pixels, width, scale)).decode("ascii")
