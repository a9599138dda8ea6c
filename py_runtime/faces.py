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

from .raster import FRAME, SIZE, Canvas, View, clamp01, ellipse_cover, frame_view, mix, scale
from .params import number
from .png import encode_rgb, rgb_data_uri as data_uri

# The drawing is raster.py's and the PNG encoding png.py's; these names are read from here.
__all__ = ["DEFAULT_PARAMS", "FRAME", "IDENTITIES", "PARAMS", "PARAM_NAMES", "ROLL_DEGREES", "SIZE", "View",
           "clean_params", "data_uri", "encode_rgb", "frame_view", "head_pose", "landmarks", "params_dict",
           "params_vector", "random_identity", "random_params", "render", "render_channels"]

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


def head_pose(params: dict) -> tuple:
    """Where the head sits in the world: its centre (x, y) and its roll angle in radians."""
    p = clean_params(params)
    return 32.0 + 1.5 * p["yaw"], 33.0 + 1.5 * p["pitch"], math.radians(ROLL_DEGREES) * p["roll"]


class _Face:
    """One identity with one set of parameters: where its parts go, in the face frame.

    The features slide as the head turns (by shift_u with yaw, shift_v with pitch); the light
    comes from an azimuth set by the `light` parameter, a little from above."""

    def __init__(self, identity: dict, p: dict):
        self.ident, self.p = identity, p
        self.yaw, self.pitch = p["yaw"], p["pitch"]
        self.shift_u, self.shift_v = 5.0 * self.yaw, 3.5 * self.pitch
        az = 0.9 * p["light"]
        lx, ly, lz = math.sin(az) * 0.85, -0.35, math.cos(az) * 0.85
        norm = math.sqrt(lx * lx + ly * ly + lz * lz)
        self.light = lx / norm, ly / norm, lz / norm
        # The mouth's place: its half width, centre (mu, my), the smile's bend (corners up) and
        # the opening. A beard leaves a patch around it bare (_head), so the lips sit on skin.
        self.mw = identity["mouth_w"] * (1.0 + 0.12 * p["smile"]) * (1.0 - 0.15 * abs(self.yaw))
        self.my = identity["mouth_y"] + self.shift_v * 1.1
        self.mu = self.shift_u * 1.15
        self.bend = -2.6 * p["smile"]
        self.gap = 4.2 * p["mouth_open"]

    def eye_u(self, side: float) -> float:
        """Where the eye on `side` (−1 left, +1 right) sits across the face."""
        return side * self.ident["eye_dx"] + self.shift_u * (1.0 + 0.15 * side * self.yaw)


def render_channels(identity: dict, params: dict | None = None, view: View = FRAME):
    """(R, G, B): three lists of size*size floats in [0, 1], row-major, for one `view`.

    Painted back to front: the backdrop, hair behind the head and the ears, the head (skin,
    hairline, beard), eyes and brows, nose, mouth, glasses; then the light over the head."""
    p = clean_params(params)
    face = _Face(identity, p)
    canvas = Canvas(*head_pose(p), view)
    _backdrop(canvas, p["light"])
    _hair_and_ears(canvas, face)
    shading = _head(canvas, face)
    _eyes(canvas, face)
    _nose(canvas, face)
    _mouth(canvas, face)
    if identity["glasses"]:
        _glasses(canvas, face)
    _light(canvas, shading)
    return canvas.R, canvas.G, canvas.B


def _backdrop(canvas: Canvas, light: float) -> None:
    """A vertical gradient over the world's 64 units, brighter on the lit side."""
    top, bottom = BACKGROUND_TOP, BACKGROUND_BOTTOM
    span, tilt = SIZE - 1, 0.2 * light
    ks = [0.92 + tilt * ((x - 0.5) / span - 0.5) for x in canvas.WX]
    ts = [clamp01((y - 0.5) / span) for y in canvas.WY]
    for channel, t0, t1 in zip((canvas.R, canvas.G, canvas.B), top, bottom):   # mix(top, bottom, t) * kx
        step = t1 - t0
        channel[:] = [(t0 + step * t) * kx for t, kx in zip(ts, ks)]


def _hair_and_ears(canvas: Canvas, face: _Face) -> None:
    """The hair behind the head, the ears, and long hair's locks falling over them."""
    ident, yaw = face.ident, face.yaw
    fw, fh, hair = ident["face_w"], ident["face_h"], ident["hair"]
    long_hair = ident["hair_style"] == "long"
    if long_hair:
        canvas.ellipse(-0.8 * yaw, 4.5, fw + 5.0, fh + 6.5, scale(hair, 0.85))
    else:
        canvas.ellipse(-0.8 * yaw, -3.0, fw + 1.6, fh - 1.0, scale(hair, 0.85))
    ear_skin = scale(ident["skin"], 0.88)
    for side in (-1.0, 1.0):
        eu = side * (fw - 0.3) - 1.8 * yaw
        canvas.ellipse(eu, -0.5 + 0.8 * face.pitch, 2.6 - 0.9 * side * yaw, 4.0, ear_skin)
    if long_hair:
        for side in (-1.0, 1.0):
            canvas.ellipse(side * (fw - 0.5) - yaw, 0.5, 3.6, 10.0, hair)


def _head(canvas: Canvas, face: _Face) -> dict:
    """The head: an ellipse narrowing towards the jaw, in skin, with the hairline and the beard
    blended in. Returns {pixel: its light factor}: the head shaded as a rounded surface whose
    normal swings with yaw and pitch, applied last (_light)."""
    ident, yaw, pitch, shift_u, shift_v = face.ident, face.yaw, face.pitch, face.shift_u, face.shift_v
    lx, ly, lz = face.light
    R, G, B, U, V, k = canvas.R, canvas.G, canvas.B, canvas.U, canvas.V, canvas.k
    fw, fh, jaw, hair, beard = ident["face_w"], ident["face_h"], ident["jaw"], ident["hair"], ident["beard"]
    hairline = ident["hairline"] + 0.6 * shift_v
    beard_col = scale(hair, 1.0)
    bare_u, bare_v = 1.0 / (ident["mouth_w"] * 1.12 + 1.4), 1.0 / 4.3      # the bare patch around the mouth
    bare_c, mu = face.my + 1.2, face.mu
    inv_h = 1.0 / fh
    lights = {}
    q_in = (1.0 - 0.5 / (k * min(fw * (1.0 - jaw * 0.32), fh))) ** 2
    sr, sg, sb = ident["skin"]
    for i in canvas.indices(-fw, fw, -fh, fh):
        u, v = U[i], V[i]
        ty = v * inv_h
        w_here = _head_width(fw, jaw, ty)
        nu = u / w_here
        q = nu * nu + ty * ty
        if q >= 1.2:
            continue
        a = 1.0 if q <= q_in else ellipse_cover(u, v, 1.0 / w_here, inv_h, k)
        if a <= 0.0:
            continue
        nz = math.sqrt(1.0 - q) if q < 1.0 else 0.0
        dot = (nu - 0.35 * yaw * nz) * lx + (ty - 0.3 * pitch * nz) * ly + nz * lz
        shade = 0.5 + 0.6 * dot if dot > 0.0 else 0.5
        cr, cg, cb = sr, sg, sb
        if beard:
            bt = v - (4.5 + 0.4 * shift_v + 0.05 * (u - shift_u) ** 2)
            if bt > -0.5:
                du, dv = (u - mu) * bare_u, (v - bare_c) * bare_v
                bare = clamp01((math.sqrt(du * du + dv * dv) - 1.0) * 4.0)
                cr, cg, cb = mix((cr, cg, cb), beard_col, 0.9 * bare * clamp01(bt * k + 0.5))
        ht = hairline - 0.04 * u * u - v
        if ht > -0.5:
            cr, cg, cb = mix((cr, cg, cb), hair, clamp01(ht * k + 0.5))
        if a >= 1.0:
            R[i], G[i], B[i] = cr, cg, cb
        else:
            R[i] += (cr - R[i]) * a
            G[i] += (cg - G[i]) * a
            B[i] += (cb - B[i]) * a
        lights[i] = 1.0 + (shade - 1.0) * a
    return lights


def _head_width(fw: float, jaw: float, ty: float) -> float:
    """The head's half width at height ty = v / face_h: fw above the centre, narrowing by the
    jaw below it."""
    return fw * (1.0 - jaw * 0.32 * ty * ty) if ty > 0.0 else fw


def _eyes(canvas: Canvas, face: _Face) -> None:
    """Each eye: lid shadow, white, the iris following the gaze, the pupil, the upper lash line
    (the lids close with eyes_open), and the brow, raised a little by wide eyes."""
    ident, p, yaw, shift_v = face.ident, face.p, face.yaw, face.shift_v
    skin, hair = ident["skin"], ident["hair"]
    open_k = 0.12 + 0.88 * p["eyes_open"]
    ew, eh = ident["eye_w"], ident["eye_h"] * open_k
    ey = ident["eye_y"] + shift_v
    iris_r = min(ident["eye_h"] * 0.72, ew * 0.6)
    for side in (-1.0, 1.0):
        ex = face.eye_u(side)
        ew_side = ew * (1.0 - 0.25 * side * yaw)
        eye = (ex, ey, ew_side, eh)
        canvas.ellipse(ex, ey, ew_side + 0.5, eh + 0.6, scale(skin, 0.72))  # lid shadow
        canvas.ellipse(ex, ey, ew_side, eh, (0.96, 0.96, 0.94))
        ix = ex + p["gaze_x"] * (ew_side - iris_r * 0.8)
        iy = ey + p["gaze_y"] * 1.2
        canvas.ellipse(ix, iy, iris_r, iris_r, ident["eye_color"], clip=eye)
        canvas.ellipse(ix, iy, iris_r * 0.45, iris_r * 0.45, (0.05, 0.05, 0.06), clip=eye)
        lid = ey - eh
        canvas.band(ex, ew_side + 0.4, lambda t, lid=lid: lid - 0.5 + 0.6 * t * t,
                    lambda t, lid=lid: lid + 0.4 + 0.6 * t * t, (0.12, 0.08, 0.07))
        by = ident["brow_y"] + shift_v - 0.9 * (p["eyes_open"] - 0.5)
        th = ident["brow"]
        canvas.band(ex + 0.3 * side, ew_side + 1.2, lambda t, by=by, s=side: by + 1.2 * t * t - 0.5 * s * t,
                    lambda t, by=by, th=th, s=side: by + th + 1.2 * t * t - 0.5 * s * t, scale(hair, 0.9))


def _nose(canvas: Canvas, face: _Face) -> None:
    """A soft shadow on the side away from the light, the tip and the nostrils."""
    ident, skin = face.ident, face.ident["skin"]
    nose_u = face.shift_u * 1.35
    ny = 1.5 + face.shift_v * 1.2 + ident["nose"] * 0.5
    canvas.ellipse(nose_u - 1.4 * (1 if face.light[0] > 0 else -1) * 0.8, ny - 1.0, 1.1, ident["nose"] * 0.55,
                   scale(skin, 0.8))
    canvas.ellipse(nose_u, ny + 0.5, 2.1, 1.4, scale(skin, 0.9))
    for side in (-1.0, 1.0):
        canvas.ellipse(nose_u + side * 1.1, ny + 1.3, 0.55, 0.35, scale(skin, 0.45))


def _mouth(canvas: Canvas, face: _Face) -> None:
    """Lips between two curves; the smile bends both, opening parts them (dark inside, teeth)."""
    mu, mw, my, bend, gap, lips = face.mu, face.mw, face.my, face.bend, face.gap, face.ident["lips"]

    def upper(t):
        return my - 1.0 - 0.4 * gap * (1 - t * t) + bend * t * t

    def lower(t):
        return my + 0.9 + gap * (1 - t * t) + bend * t * t

    canvas.band(mu, mw, upper, lower, lips)
    if gap > 0.25:
        canvas.band(mu, mw - 0.8, lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2,
                    lambda t: my + gap * (1 - t * t) + bend * t * t - 0.2, (0.25, 0.06, 0.07))
        canvas.band(mu, (mw - 1.0) * 0.8, lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2,
                    lambda t: my - 0.4 * gap * (1 - t * t) + bend * t * t + 0.2 + min(1.2, gap * 0.35),
                    (0.95, 0.94, 0.9))
    else:
        canvas.band(mu, mw - 0.3, lambda t: my - 0.35 + bend * t * t, lambda t: my + 0.35 + bend * t * t,
                    scale(lips, 0.55))


def _glasses(canvas: Canvas, face: _Face) -> None:
    """Two rims round the eyes and the bridge between them, on top of everything."""
    ident, yaw, shift_v = face.ident, face.yaw, face.shift_v
    frame, ew = (0.12, 0.12, 0.14), ident["eye_w"]
    for side in (-1.0, 1.0):
        canvas.ring(face.eye_u(side), ident["eye_y"] + shift_v + 0.3, (ew + 1.6) * (1.0 - 0.2 * side * yaw), 4.2,
                    0.9, frame)
    canvas.band(face.shift_u, max(0.5, ident["eye_dx"] - ew - 2.3), lambda t: ident["eye_y"] + shift_v - 1.2,
                lambda t: ident["eye_y"] + shift_v - 0.3, frame)


def _light(canvas: Canvas, shading: dict) -> None:
    """Each head pixel times its light factor, clamped to 1."""
    R, G, B = canvas.R, canvas.G, canvas.B
    for i, k in shading.items():
        r, g, b = R[i] * k, G[i] * k, B[i] * k
        R[i] = r if r < 1.0 else 1.0
        G[i] = g if g < 1.0 else 1.0
        B[i] = b if b < 1.0 else 1.0


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
    f = _Face(ident, p)
    face = {}
    for side, name in ((-1.0, "left"), (1.0, "right")):
        ex = f.eye_u(side)
        face[f"eye_{name}"] = (ex, ident["eye_y"] + f.shift_v)
        face[f"brow_{name}"] = (ex + side * ident["eye_w"], ident["brow_y"] + f.shift_v - 1.0)
    face["nose"] = (f.shift_u * 1.35, 2.0 + f.shift_v * 1.2 + ident["nose"] * 0.5)
    face["mouth"] = (f.mu, f.my)
    fw, fh, jaw = ident["face_w"], ident["face_h"], ident["jaw"]
    for j, ty in enumerate((-0.15, 0.2, 0.5, 0.75, 0.92)):
        half = _head_width(fw, jaw, ty) * math.sqrt(max(0.0, 1.0 - ty * ty))
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
