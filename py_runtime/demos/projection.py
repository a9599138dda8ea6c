"""`projection`: the dot product as a measure of alignment, and correlation as a cosine.

The reader drags two vectors a and b. The view shows

    a · b = a₁b₁ + a₂b₂ = |a| |b| cos θ          (θ: the angle between them)
    proj_a(b) = (a · b / a · a) a                (the shadow of b on the line through a)

and the dashed segment from b to its shadow, which is perpendicular to a: the residual
b − proj_a(b) is orthogonal to a. When a · b = 0 the shadow shrinks to the origin, θ = 90°.

A second view turns the same two vectors into two *features* on N = 60 samples that it
builds for the purpose. Centred feature columns are vectors in R^N, and Pearson's
correlation is the cosine of the angle between them:

    r = Σ xᵢyᵢ / (√Σxᵢ² √Σyᵢ²) = cos θ          (x, y centred)

We build feature columns x, y ∈ R^N whose lengths are |a|, |b| (as standard deviations)
and whose angle is the angle between a and b (from two fixed, centred, orthonormal
random directions u, v: x = |a|√N·u, y = |b|√N·(cos θ·u + sin θ·v)), plot the N samples
as a scatter, and compute r from the data. So r = cos θ holds by construction, and the
page says so (chapter 3 and the readout); real measurements give whatever r they give.
The least-squares line for y against x (through the origin, which is the fit with an
intercept too, since both columns are centred) has slope x·y / x·x: the same coefficient
as the projection of b on a.
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

from ..backend import sumprod as dot           # u·v = Σ uᵢvᵢ
from ..params import number
from ._lib.linalg2 import correlation as pearson
from ._lib.svg import Figure, readouts_html

DEFAULTS = {"ax": 2.5, "ay": 0.5, "bx": 1.0, "by": 2.0}
LIMIT = 3.8            # each coordinate stays within ±LIMIT
VIEW = 4.0             # the vector view spans [-VIEW, VIEW]²
SNAP = 0.1             # handles snap to a 0.1 grid, so exact values (e.g. perpendicular) are reachable
SAMPLES = 60
SIZE = 440


def _clean(params: dict) -> dict:
    """Numbers only, finite, within ±LIMIT, snapped to the grid; anything else -> the default."""
    out = {}
    for key, default in DEFAULTS.items():
        value = number(params.get(key, default), default, -LIMIT, LIMIT)
        out[key] = round(round(value / SNAP) * SNAP, 6) + 0.0      # + 0.0 turns -0.0 into 0.0
    return out


def norm(u) -> float:
    return math.sqrt(dot(u, u))


def angle_deg(u, v):
    """The angle between u and v in degrees, in [0, 180]; None if either is the zero vector.

    cos θ = u·v / (|u||v|) and sin θ = |u × v| / (|u||v|), so θ = atan2(|u × v|, u·v)."""
    nu, nv = norm(u), norm(v)
    if nu < 1e-12 or nv < 1e-12:
        return None
    cross = u[0] * v[1] - u[1] * v[0]
    return math.degrees(math.atan2(abs(cross), dot(u, v)))      # atan2 is accurate near 0° and 180°


def project(b, a):
    """The orthogonal projection of b on the line through a: (a·b / a·a) a; None if a = 0."""
    aa = dot(a, a)
    if aa < 1e-12:
        return None
    c = dot(a, b) / aa
    return [c * a[0], c * a[1]]


@lru_cache(maxsize=1)
def _directions():
    """Two centred, orthonormal directions u, v in R^N (Gram–Schmidt on fixed Gaussian draws)."""
    rng = random.Random(3)
    raw = [[rng.gauss(0, 1) for _ in range(SAMPLES)] for _ in range(2)]
    basis = []
    for w in raw:
        mean = sum(w) / SAMPLES
        w = [x - mean for x in w]                     # centring: orthogonal to (1, …, 1)
        for e in basis:
            c = dot(w, e)
            w = [x - c * y for x, y in zip(w, e)]
        n = norm(w)
        basis.append([x / n for x in w])
    return basis


def features(a, b):
    """N samples of two features whose centred columns are |a|, |b| long (as std) and θ apart."""
    u, v = _directions()
    la, lb = norm(a), norm(b)
    theta = math.radians(angle_deg(a, b) or 0.0) if la > 1e-12 and lb > 1e-12 else math.pi / 2
    root = math.sqrt(SAMPLES)
    x = [la * root * ui for ui in u]
    y = [lb * root * (math.cos(theta) * ui + math.sin(theta) * vi) for ui, vi in zip(u, v)]
    return x, y


def _f(x: float, digits: int = 2) -> str:
    """Fixed decimals with a real minus sign (−), never "−0.00"."""
    text = f"{x:.{digits}f}"
    return "0." + "0" * digits if text.lstrip("-") == "0." + "0" * digits else text.replace("-", "−")


def _factor(x: float) -> str:
    """One decimal, in brackets when negative: 3.0 × (−1.0), not 3.0×−1.0."""
    text = _f(x, 1)
    return f"({text})" if text.startswith("−") else text


def _vec(u) -> str:
    return f"({_f(u[0], 1)}, {_f(u[1], 1)})"


def _angle_arc(fig: Figure, a, b, radius: float, draw: bool = True):
    """A small arc from a's direction to b's direction (the short way round); where to label it."""
    ta, tb = math.atan2(a[1], a[0]), math.atan2(b[1], b[0])
    delta = (tb - ta + math.pi) % (2 * math.pi) - math.pi
    steps = max(2, int(abs(delta) / 0.08))
    pts = [(radius * math.cos(ta + delta * i / steps), radius * math.sin(ta + delta * i / steps))
           for i in range(steps + 1)]
    if draw:
        fig.polyline(pts, "angle-arc")
    mid = ta + delta / 2
    return (radius + 0.35) * math.cos(mid), (radius + 0.35) * math.sin(mid)


def _right_angle_mark(fig: Figure, a, b):
    """The little square that marks a right angle at the origin."""
    s = 0.32
    ua = [a[0] / norm(a) * s, a[1] / norm(a) * s]
    ub = [b[0] / norm(b) * s, b[1] / norm(b) * s]
    fig.polyline([tuple(ua), (ua[0] + ub[0], ua[1] + ub[1]), tuple(ub)], "right-angle")


def vector_figure(a, b) -> str:
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=SIZE, title="Two vectors, their angle and the projection of b on a")
    fig.grid(1.0, "grid")
    theta = angle_deg(a, b)
    shadow = project(b, a)
    if norm(a) > 1e-12:                              # the line through a, where the shadow lives
        ux, uy = a[0] / norm(a), a[1] / norm(a)
        fig.line(-9 * ux, -9 * uy, 9 * ux, 9 * uy, "span-a")
    if shadow is not None:
        fig.line(b[0], b[1], shadow[0], shadow[1], "drop")
    if theta is not None:
        right = abs(theta - 90) < 1e-9
        if right:
            _right_angle_mark(fig, a, b)
        lx, ly = _angle_arc(fig, a, b, 0.6, draw=not right)
        fig.text(lx, ly, f"{theta:.0f}°", "angle-label", anchor="middle", dy=4)
    fig.arrow(0, 0, a[0], a[1], "vec-a").arrow(0, 0, b[0], b[1], "vec-b")
    if shadow is not None:                           # on top of a, translucent: the shadow lies along it
        fig.arrow(0, 0, shadow[0], shadow[1], "shadow", head_px=12)
        fig.circle(shadow[0], shadow[1], 3.5, "shadow-dot")
    fig.text(a[0], a[1], "a", "label label-a", dx=9, dy=-6).text(b[0], b[1], "b", "label label-b", dx=9, dy=-6)
    if shadow is not None and norm(shadow) > 0.3:
        fig.text(shadow[0], shadow[1], "proj", "label", dx=6, dy=14)
    fig.circle(a[0], a[1], 8, "handle handle-a", 'data-handle="a"')
    fig.circle(b[0], b[1], 8, "handle handle-b", 'data-handle="b"')
    return fig.to_svg()


def scatter_figure(a, b, x, y) -> str:
    reach = 3.2 * max(norm(a), norm(b), 0.3)
    fig = Figure(-reach, reach, -reach, reach, width=SIZE, css_class="plot scatter",
                 title="Two features on 60 samples, built from a and b so that their angle is θ")
    fig.line(-reach, 0, reach, 0, "axis").line(0, -reach, 0, reach, "axis")
    xx = dot(x, x)
    if xx > 1e-12:                                   # least-squares line through the origin
        slope = dot(x, y) / xx
        if abs(slope) <= 1:
            fig.line(-reach, -reach * slope, reach, reach * slope, "fit")
        else:
            fig.line(-reach / slope, -reach, reach / slope, reach, "fit")
    path = "".join("M{}h0".format(" ".join(fig.px(xi, yi))) for xi, yi in zip(x, y))
    fig.raw(f'<path d="{path}" class="dots"/>')
    fig.text(reach, 0, "feature 1", "label", anchor="end", dy=-6)
    fig.text(0, reach, "feature 2", "label", dx=6, dy=14)
    fig.text(-reach, -reach, f"{SAMPLES} samples built from a and b; line: least-squares fit", "label", dx=6, dy=-8)
    return fig.to_svg()


def view(**params) -> dict:
    p = _clean(params)
    a, b = [p["ax"], p["ay"]], [p["bx"], p["by"]]
    d = dot(a, b)
    theta = angle_deg(a, b)
    shadow = project(b, a)
    x, y = features(a, b)
    r = pearson(x, y)
    xx = dot(x, x)
    slope = dot(x, y) / xx if xx > 1e-12 else None

    if theta is None:
        angle_text = "undefined: a zero vector has no direction"
    else:
        cos = d / (norm(a) * norm(b))
        angle_text = f"{theta:.1f}° (cos θ = a·b / (|a| |b|) = {_f(cos)})"
        if abs(d) < 1e-9:
            angle_text += ": a ⟂ b"
    if shadow is None:
        proj_text = "undefined: a is the zero vector"
    else:
        coef = d / dot(a, a)
        proj_text = f"{_f(coef)} · a = ({_f(shadow[0])}, {_f(shadow[1])}), length {_f(abs(d) / norm(a))}"
    readouts = {
        "a": _vec(a),
        "b": _vec(b),
        "a · b": f"{_factor(a[0])} × {_factor(b[0])} + {_factor(a[1])} × {_factor(b[1])} = {_f(d)}",
        "|a|, |b|": f"{_f(norm(a))}, {_f(norm(b))}",
        "angle θ": angle_text,
        "projection of b on a": proj_text,
        "correlation r": "undefined: a feature that never varies" if r is None
        else f"{_f(r)}, computed from the samples (= cos θ: they are built with a and b's angle)",
        "fitted slope": "undefined" if slope is None else f"{_f(slope)} (= a·b / a·a, the projection coefficient)",
    }
    return {"vectors": vector_figure(a, b), "scatter": scatter_figure(a, b, x, y),
            "readouts": readouts_html(readouts), "params": p, "dot": d, "angle": theta,
            "projection": shadow, "r": r, "view": VIEW, "size": SIZE}


INTERACTION = ("view", {"ax": 2.0, "ay": 1.3, "bx": -0.4, "by": 2.2})


def prerender() -> dict:
    s = view(**DEFAULTS)
    return {"html": f'<div class="projection-views"><div class="demo-figure">{s["vectors"]}</div>'
                    f'<div class="demo-figure scatter-figure">{s["scatter"]}</div></div>{s["readouts"]}'}
