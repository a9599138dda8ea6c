"""`tesseract`: picturing four dimensions, and a digit as one point in 784 of them.

Part 1, the hypercube. Its 16 vertices are (±1, ±1, ±1, ±1); two vertices share an edge
when they differ in exactly one coordinate (32 edges, 8 along each axis). To draw it:

1. the 3-D↔4-D slider d ∈ [3, 4] scales the w coordinate by t = d − 3: at t = 0 the
   tesseract is flattened into an ordinary cube, at t = 1 it is the full hypercube
   (just as a square extruded along z becomes a cube);
2. rotate in the xw, yw and zw planes (the three planes a 3-D creature cannot see).
   In the xw plane by angle α:  x′ = cos α·x + sin α·w,  w′ = −sin α·x + cos α·w,
   and likewise for yw and zw; each of these *simple* rotations turns one plane and leaves
   the perpendicular plane (here y and z) fixed. The full rotation is R = R_xw · R_yw · R_zw,
   and a product like that is in general no longer simple: a 4-D rotation can turn two
   perpendicular planes at once. At α = 90° the 3-D shadow's x coordinate shows what was
   w: x′ = w;
3. project 4-D → 3-D in perspective, from a viewpoint on the w axis at w = D₄:
   (x, y, z) · D₄ / (D₄ − w′). The w = +1 cube is nearer the viewpoint, so it comes out
   bigger (D₄/(D₄ − 1) against D₄/(D₄ + 1)): at zero rotation the picture is a cube inside
   a cube, joined corner to corner by the w edges;
4. turn the 3-D shadow by the viewing angles (yaw about y, pitch about x; the reader
   drags them) and project 3-D → 2-D with a mild perspective.

Edges are coloured by the axis they run along in the original hypercube, so rotating
shows which edges take over which role.

Part 2, an MNIST digit as a vector: its 28×28 pixels read row by row are the 784
coordinates x[28·row + column] of one point in R^784; the view shows the picture and
the same numbers as a 784-long bar chart, with one pixel and its coordinate highlighted.
For contrast, a *random* 784-vector: every pixel drawn uniformly from [0, 1], each on its
own (seeded, so a seed always gives the same picture). Both are points of the same cube;
what makes the random one look like static is that its pixels are independent, so a
pixel says nothing about its neighbour. The readouts measure exactly that: the
correlation, within one picture, between each pixel and the pixel to its right.
"""
from __future__ import annotations

import base64
import itertools
import math
import random
from functools import lru_cache

from .. import png
from ..backend import sumprod
from ..params import angle, choice, integer, number
from ._lib import mnist_data
from ._lib.linalg2 import correlation
from ._lib.svg import Figure, readouts_html

AXES = "xyzw"
DEFAULTS = {"xw": 0.0, "yw": 0.0, "zw": 0.0, "dim": 4.0, "yaw": -28.0, "pitch": 18.0}
LIMITS = {"xw": (-180.0, 180.0), "yw": (-180.0, 180.0), "zw": (-180.0, 180.0), "dim": (3.0, 4.0),
          "yaw": (-180.0, 180.0), "pitch": (-89.0, 89.0)}
D4 = 3.0            # 4-D camera distance on the w axis
D3 = 8.0            # 3-D camera distance
VIEW = 2.6          # the figure spans [-VIEW, VIEW]², plus room below for the axes gizmo
GIZMO_ROOM = 0.5
SIZE = 440

VERTICES = tuple(itertools.product((-1.0, 1.0), repeat=4))
EDGES = tuple((i, j, next(k for k in range(4) if VERTICES[i][k] != VERTICES[j][k]))
              for i in range(16) for j in range(i + 1, 16)
              if sum(a != b for a, b in zip(VERTICES[i], VERTICES[j])) == 1)


WRAPPED = ("xw", "yw", "zw", "yaw")       # angles that turn round instead of sticking at ±180°


def _clean(params: dict) -> dict:
    """Every value through py_runtime.params: the four angles wrap, the pitch and the dimension clamp."""
    return {key: (angle if key in WRAPPED else number)(params.get(key), default, *LIMITS[key]) + 0.0
            for key, default in DEFAULTS.items()}


# ---------------------------------------------------------------- 4-D rotation and projection

def plane_rotation(axis: int, degrees: float):
    """The 4×4 rotation in the (axis, w) plane: axis′ = c·axis + s·w, w′ = −s·axis + c·w."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    if abs(c) < 1e-12:
        c = 0.0
    if abs(s) < 1e-12:
        s = 0.0
    m = [[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)]
    m[axis][axis], m[axis][3], m[3][axis], m[3][3] = c, s, -s, c
    return m


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def rotation(xw: float, yw: float, zw: float):
    """R = R_xw · R_yw · R_zw."""
    return matmul(plane_rotation(0, xw), matmul(plane_rotation(1, yw), plane_rotation(2, zw)))


def rotation_angles(r) -> tuple[float, float]:
    """The two angles θ₁ ≥ θ₂ ≥ 0 (degrees) by which a 4-D rotation turns two perpendicular
    planes. Its eigenvalues are e^{±iθ₁}, e^{±iθ₂}, so with t = trace R and e₂ = the sum of
    the principal 2×2 minors = (t² − trace R²)/2, cos θ₁ + cos θ₂ = t/2 and
    cos θ₁ · cos θ₂ = (e₂ − 2)/4: the two cosines are the roots of a quadratic. θ₂ = 0 means
    a simple rotation, one plane turned and the perpendicular plane left fixed."""
    trace = sum(r[i][i] for i in range(4))
    trace_sq = sum(r[i][k] * r[k][i] for i in range(4) for k in range(4))
    e2 = (trace * trace - trace_sq) / 2
    half_sum, product = trace / 4, (e2 - 2) / 4
    root = math.sqrt(max(half_sum * half_sum - product, 0.0))
    cosines = [min(max(half_sum + sign * root, -1.0), 1.0) for sign in (-1, 1)]
    return tuple(math.degrees(math.acos(c)) for c in cosines)


def _rotation_text(r) -> str:
    big, small = rotation_angles(r)
    if big < 0.05:
        return "none: every direction stays put"
    if small < 0.05:
        return f"simple: turns one plane by {big:.1f}°, leaves the perpendicular plane fixed"
    return f"double: turns two perpendicular planes, by {big:.1f}° and {small:.1f}°"


def to_3d(point4, r, t: float):
    """Scale w by t, rotate by r, perspective-project 4-D → 3-D; also return w′."""
    p = (point4[0], point4[1], point4[2], point4[3] * t)
    q = [sum(r[i][k] * p[k] for k in range(4)) for i in range(4)]
    f = D4 / (D4 - q[3])
    return (q[0] * f, q[1] * f, q[2] * f), q[3]


def camera(yaw: float, pitch: float):
    cy, sy = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    cp, sp = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
    yaw_m = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]
    pitch_m = [[1, 0, 0], [0, cp, -sp], [0, sp, cp]]
    return matmul(pitch_m, yaw_m)


def to_2d(point3, cam):
    """Turn by the camera and perspective-project 3-D → 2-D; also return the depth."""
    q = [sum(cam[i][k] * point3[k] for k in range(3)) for i in range(3)]
    g = D3 / (D3 - q[2])
    return (q[0] * g, q[1] * g), q[2]


def _formula(row) -> str:
    """A row of R as what a shadow axis shows, e.g. 'w' or '0.71·x + 0.71·w'."""
    terms = [(c, AXES[k]) for k, c in enumerate(row) if abs(c) >= 0.005]
    if len(terms) == 1 and abs(abs(terms[0][0]) - 1) < 0.005:
        return ("−" if terms[0][0] < 0 else "") + terms[0][1]
    text = ""
    for c, name in terms:
        sign = "−" if c < 0 else "+"
        text += (f" {sign} " if text else ("−" if c < 0 else "")) + f"{abs(c):.2f}·{name}"
    return text or "0"


def _extent(points) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def view(**params) -> dict:
    p = _clean(params)
    t = p["dim"] - 3.0
    r = rotation(p["xw"], p["yw"], p["zw"])
    cam = camera(p["yaw"], p["pitch"])
    shadow = [to_3d(v, r, t) for v in VERTICES]
    flat = [to_2d(s, cam) for s, _ in shadow]

    fig = Figure(-VIEW, VIEW, -VIEW - GIZMO_ROOM, VIEW, width=SIZE, title="A tesseract's shadow: 4-D → 3-D → 2-D")
    order = sorted(EDGES, key=lambda e: flat[e[0]][1] + flat[e[1]][1])       # far edges first
    for i, j, axis in order:
        (x1, y1), (x2, y2) = flat[i][0], flat[j][0]
        if math.hypot(x2 - x1, y2 - y1) < 1e-6:
            continue                                     # a w edge squashed to nothing at 3-D
        fig.line(x1, y1, x2, y2, f"edge edge-{AXES[axis]}")
    for k, ((x, y), _) in enumerate(flat):
        fig.circle(x, y, 3.2, "vertex vertex-plus" if VERTICES[k][3] > 0 else "vertex vertex-minus")

    # a small gizmo: where the four original axes point after rotation and projection (no perspective)
    gx, gy, gl = -VIEW + 0.4, -VIEW - GIZMO_ROOM + 0.4, 0.3
    for k, name in enumerate(AXES):
        e = [1.0 if i == k else 0.0 for i in range(4)]
        e = (e[0], e[1], e[2], e[3] * t) if k == 3 else e
        q = [sum(r[i][m] * e[m] for m in range(4)) for i in range(3)]
        d = [sum(cam[i][m] * q[m] for m in range(3)) for i in range(2)]
        if math.hypot(*d) > 1e-3:
            fig.arrow(gx, gy, gx + gl * d[0], gy + gl * d[1], f"gizmo gizmo-{name}", head_px=5)
            fig.text(gx + gl * 1.25 * d[0], gy + gl * 1.25 * d[1], name, f"gizmo-label gizmo-label-{name}",
                     anchor="middle", dy=4)

    plus = [flat[k][0] for k in range(16) if VERTICES[k][3] > 0]
    minus = [flat[k][0] for k in range(16) if VERTICES[k][3] < 0]
    ratio = _extent(plus) / max(_extent(minus), 1e-9)
    readouts = {
        "shadow x shows": _formula(r[0]),
        "shadow y shows": _formula(r[1]),
        "shadow z shows": _formula(r[2]),
        "hidden direction w′": _formula(r[3]) + " (used only for the perspective)",
        "4-D rotation": _rotation_text(r),
        "w = +1 cell vs w = −1 cell": f"{ratio:.2f}× as wide" + (" (a cube inside a cube)" if ratio > 1.05 and
                                                                 max(abs(p["xw"]), abs(p["yw"]), abs(p["zw"])) < 1e-9
                                                                 else ""),
        "dimension": f"{p['dim']:.2f}: " + ("an ordinary cube (w squashed to 0)" if t < 0.005 else
                                            "the full tesseract: 16 vertices, 32 edges, 8 cubic cells" if t > 0.995
                                            else f"a cube extruded {t:.2f} of the way into w"),
    }
    return {"svg": fig.to_svg(), "readouts": readouts_html(readouts), "params": p, "rotation": r,
            "ratio": ratio, "view": VIEW}


# ---------------------------------------------------------------- a digit as a 784-vector

DIGIT_DEFAULTS = {"label": 3, "sample": 1, "pixel": 14 * 28 + 14, "source": "digit", "seed": 1}
SOURCES = ("digit", "random")
NEAR_SURFACE = 0.05         # "near the surface" of the cube [0, 1]^784: within this of 0 or 1, as in chapter 5
MAX_SEED = 2 ** 31 - 1


def _clean_digit(params: dict) -> dict:
    d = DIGIT_DEFAULTS
    return {"label": integer(params.get("label"), d["label"], 0, 9),
            "sample": integer(params.get("sample"), d["sample"], 1, 20),
            "pixel": integer(params.get("pixel"), d["pixel"], 0, 783),
            "source": choice(params.get("source"), SOURCES, d["source"]),
            "seed": integer(params.get("seed"), d["seed"], 0, MAX_SEED)}


@lru_cache(maxsize=16)
def random_vector(seed: int) -> tuple[float, ...]:
    """784 pixels, each uniform on [0, 1] and independent of the others: a random point of the cube."""
    rng = random.Random(seed)
    return tuple(rng.random() for _ in range(784))


def _pixels(p: dict) -> tuple[float, ...]:
    return random_vector(p["seed"]) if p["source"] == "random" else mnist_data.digit(p["label"], p["sample"] - 1)


def neighbour_correlation(pixels) -> float | None:
    """Within one picture: the correlation between each pixel and the pixel to its right, over
    the 28 × 27 such pairs. Near 1 when neighbours agree (strokes), near 0 for static; None
    for a picture with no variation at all."""
    left = [pixels[28 * r + c] for r in range(28) for c in range(27)]
    right = [pixels[28 * r + c + 1] for r in range(28) for c in range(27)]
    return correlation(left, right)


def near_surface(pixels) -> int:
    """How many coordinates lie within NEAR_SURFACE of 0 or 1."""
    return sum(1 for v in pixels if v <= NEAR_SURFACE or v >= 1 - NEAR_SURFACE)


def nonzero(pixels) -> int:
    """Coordinates that are not exactly 0. MNIST pixels are whole multiples of 1/255, so the
    faintest real ink, 1/255 ≈ 0.004, counts: no threshold drops it."""
    return sum(1 for v in pixels if v > 0)


@lru_cache(maxsize=64)
def _picture_png(source: str, label: int, sample: int, seed: int) -> str:
    pixels = _pixels({"source": source, "label": label, "sample": sample, "seed": seed})
    data = png.encode_gray(png.to_rows(list(pixels)))
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@lru_cache(maxsize=64)
def _bars(source: str, label: int, sample: int, seed: int) -> str:
    """The 784 coordinates as one SVG path of bars (only the non-zero ones need drawing)."""
    pixels = _pixels({"source": source, "label": label, "sample": sample, "seed": seed})
    fig = _vector_fig()
    return "".join("M{} {}V{}".format(*fig.px(k + 0.5, 0), fig.px(k + 0.5, v)[1])
                   for k, v in enumerate(pixels) if v > 0)


def _vector_fig(title: str = "The same picture as 784 numbers") -> Figure:
    fig = Figure(0, 784, -0.12, 1.08, width=480, title=title, css_class="plot vector-plot")
    fig.height = 130
    return fig


def _what(p: dict) -> str:
    if p["source"] == "random":
        return f"a random 784-vector (seed {p['seed']}): every pixel uniform on [0, 1], independently"
    return f"a handwritten {p['label']}, sample {p['sample']} of 20"


def _readouts(p: dict, pixels) -> dict:
    k = p["pixel"]
    row, col = divmod(k, 28)
    lo, hi = max(0, k - 3), min(784, k + 4)
    around = ", ".join(("[" + f"{pixels[i]:.2f}" + "]") if i == k else f"{pixels[i]:.2f}" for i in range(lo, hi))
    count = nonzero(pixels)
    near = near_surface(pixels)
    r = neighbour_correlation(pixels)
    return {
        "picture": _what(p),
        "pixel → coordinate": f"row {row}, column {col} → x[28·{row} + {col}] = x[{k}] = {pixels[k]:.2f}",
        "the vector": ("(" + ("…, " if lo > 0 else "") + around + (", …" if hi < 784 else "") + ")"),
        "non-zero coordinates": f"{count} of 784 ({100 * count / 784:.0f}%); the other {784 - count} are 0",
        "within 0.05 of 0 or 1": f"{near} of 784 coordinates ({100 * near / 784:.0f}%)",
        "pixel vs right-hand neighbour": ("correlation — (a blank picture)" if r is None else
                                          f"correlation {r:.2f} over the 756 pairs in this picture".replace("-", "−")),
        "length |x|": f"{math.sqrt(sumprod(pixels, pixels)):.2f}",
    }


def digit_view(**params) -> dict:
    p = _clean_digit(params)
    label, sample, k, seed = p["label"], p["sample"], p["pixel"], p["seed"]
    pixels = _pixels(p)
    row, col = divmod(k, 28)
    title = ("A random 784-vector: 28 × 28 pixels of static" if p["source"] == "random"
             else f"A handwritten {label} from MNIST, 28 × 28 pixels")

    pic = Figure(0, 28, 0, 28, width=280, title=title, css_class="plot digit-plot")
    pic.image(0, 28, 28, 28, _picture_png(p["source"], label, sample, seed), "digit-image")
    pic.polyline([(0, 28 - row), (28, 28 - row), (28, 27 - row), (0, 27 - row)], "row-band", closed=True)
    pic.polyline([(col, 28 - row), (col + 1, 28 - row), (col + 1, 27 - row), (col, 27 - row)], "pixel-mark", closed=True)

    vec = _vector_fig()
    vec.raw('<rect x="{}" y="0" width="{}" height="{}" class="row-band"/>'.format(
        vec.px(row * 28, 0)[0], round(28 * vec.width / 784, 2), vec.height))
    for r in range(0, 785, 28 * 7):
        vec.line(r, -0.12, r, 1.08, "row-tick")
    vec.line(0, 0, 784, 0, "axis")
    vec.raw(f'<path d="{_bars(p["source"], label, sample, seed)}" class="bars"/>')
    vec.line(k + 0.5, 0, k + 0.5, 1.08, "coord-mark")
    vec.circle(k + 0.5, pixels[k], 4, "coord-dot")
    for r in (0, 196, 392, 588, 784):
        vec.text(r, -0.12, str(r), "tick-label", anchor="middle" if 0 < r < 784 else ("start" if r == 0 else "end"), dy=-3)

    return {"digit": pic.to_svg(), "vector": vec.to_svg(), "readouts": readouts_html(_readouts(p, pixels)), "params": p,
            "neighbour_correlation": neighbour_correlation(pixels), "nonzero": nonzero(pixels),
            "near_surface": near_surface(pixels)}


INTERACTION = ("view", {"xw": 35.0, "yw": -20.0, "zw": 10.0, "dim": 3.7, "yaw": -28.0, "pitch": 18.0})


def prerender() -> dict:
    s, d = view(**DEFAULTS), digit_view(**DIGIT_DEFAULTS)
    return {"html": f'<div class="demo-figure tesseract-figure">{s["svg"]}</div>{s["readouts"]}'
                    f'<p class="digit-heading">A digit is a point in 784 dimensions</p>'
                    f'<div class="digit-views"><div class="digit-figure">{d["digit"]}</div>'
                    f'<div class="vector-figure">{d["vector"]}</div></div>{d["readouts"]}'}
