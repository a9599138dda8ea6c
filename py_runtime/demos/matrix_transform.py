"""`matrix-transform`: a 2×2 matrix as a machine that moves every point of the plane.

The reader sets rotation, scale and shear; the matrix is their product

    M = R(θ) · H(k) · S(sx, sy)     (scale first, then shear, then rotate)

and the view shows the grid, the unit square and a vector before and after M, with the
determinant (how areas scale), the rank (how many dimensions the outputs fill) and the
eigenvectors: the nonzero u with Mu = λu, which M sends to a multiple of themselves, so each
stays on its own line through the origin (stretched, shrunk, flipped when λ < 0, or
squashed to the origin when λ = 0).
"""
from __future__ import annotations

import math

from ..params import clean
from ._lib.svg import Figure, readouts_html

DEFAULTS = {"angle": 15.0, "scale_x": 1.6, "scale_y": 0.7, "shear": 0.5, "vx": 1.0, "vy": 1.0}
LIMITS = {"angle": (-180.0, 180.0), "scale_x": (-2.0, 2.0), "scale_y": (-2.0, 2.0), "shear": (-2.0, 2.0),
          "vx": (-3.5, 3.5), "vy": (-3.5, 3.5)}
VIEW = 4.0
EPS = 1e-9             # relative tolerance: below it, a quantity counts as zero (float round-off)


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


def apply(m, x, y):
    return m[0][0] * x + m[0][1] * y, m[1][0] * x + m[1][1] * y


def compose(angle: float, scale_x: float, scale_y: float, shear: float):
    theta = math.radians(angle)
    rotation = [[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]]
    shearing = [[1.0, shear], [0.0, 1.0]]
    scaling = [[scale_x, 0.0], [0.0, scale_y]]
    return matmul(rotation, matmul(shearing, scaling))


def determinant(m) -> float:
    return m[0][0] * m[1][1] - m[0][1] * m[1][0]


def _size(m) -> float:
    """The largest entry's size, at least 1: what "zero up to round-off" is measured against."""
    return max(1.0, *(abs(x) for row in m for x in row))


def rank(m) -> int:
    """How many dimensions M's outputs fill: 2 (the plane), 1 (a line: det = 0) or 0 (M = 0)."""
    size = _size(m)
    if all(abs(x) <= EPS * size for row in m for x in row):
        return 0
    return 1 if abs(determinant(m)) <= EPS * size * size else 2


def column_space_direction(m):
    """For a rank-1 M, a unit vector along the line all outputs lie on: its longer column."""
    columns = [(m[0][0], m[1][0]), (m[0][1], m[1][1])]
    x, y = max(columns, key=lambda c: math.hypot(*c))
    length = math.hypot(x, y)
    return x / length, y / length


def _canonical(v):
    """Unit length, first nonzero coordinate positive: u and −u span the same line."""
    length = math.hypot(*v)
    x, y = v[0] / length, v[1] / length
    if x < -EPS or (abs(x) <= EPS and y < 0):
        x, y = -x, -y
    return x + 0.0, y + 0.0


def null_direction(n):
    """A unit vector u with Nu = 0, for a 2×2 N of rank 1: perpendicular to N's longer row."""
    p, q = max(n, key=lambda row: math.hypot(*row))
    return _canonical((-q, p))


def eigen(m):
    """M's eigenvalues and its eigenvector lines: (kind, values, unit vectors).

    λ solves λ² − tr(M)·λ + det(M) = 0, and u spans the null line of M − λI. The kinds:
    "distinct" (two real λ, two lines), "every" (M = λI: every line is kept), "one-line"
    (λ repeats but M − λI ≠ 0, as in a shear: only one eigenvector line exists) and
    "complex" (no real λ: M moves every line through the origin off itself)."""
    (a, b), (c, d) = m
    trace, det = a + d, determinant(m)
    disc = trace * trace / 4 - det
    scale = _size(m) ** 2
    if disc < -EPS * scale:
        root = math.sqrt(-disc)
        return "complex", [complex(trace / 2, root), complex(trace / 2, -root)], []
    if disc <= EPS * scale:
        lam = trace / 2
        shifted = [[a - lam, b], [c, d - lam]]
        if rank(shifted) == 0:
            return "every", [lam, lam], [(1.0, 0.0), (0.0, 1.0)]
        return "one-line", [lam, lam], [null_direction(shifted)]
    root = math.sqrt(disc)
    values = [trace / 2 + root, trace / 2 - root]
    vectors = [null_direction([[a - lam, b], [c, d - lam]]) for lam in values]
    return "distinct", values, vectors


def _fmt(x: float) -> str:
    """Two decimals with a real minus sign, never "−0.00"."""
    return f"{x:.2f}".replace("-", "−") if abs(x) >= 0.005 else "0.00"


def _vec(v) -> str:
    return f"({_fmt(v[0])}, {_fmt(v[1])})"


def _what_it_does(lam: float, size: float) -> str:
    """What M does along an eigenvector line: λ = 0 squashes it, λ < 0 flips it."""
    if abs(lam) <= EPS * size:
        return " (squashed to the origin)"
    return " (flipped)" if lam < 0 else ""


def eigen_text(kind: str, values, vectors, size: float = 1.0) -> str:
    if kind == "complex":
        return (f"complex: {_fmt(values[0].real)} ± {_fmt(abs(values[0].imag))}i (no real eigenvector: "
                "M moves every line through the origin off itself)")
    if kind == "every":
        return f"λ = {_fmt(values[0])} twice: M = λI, so every line is an eigenvector line"
    if kind == "one-line":
        lam = values[0]
        if abs(lam) <= EPS * size:
            how = "M sends the plane onto this line and the line to the origin"
        else:
            how = "M is a shear along it" + ("" if abs(lam - 1) <= EPS * size else ", scaled by λ")
        return f"λ = {_fmt(lam)} twice, but only one eigenvector line, along {_vec(vectors[0])}: {how}"
    return "; ".join(f"λ = {_fmt(lam)} along {_vec(v)}{_what_it_does(lam, size)}"
                     for lam, v in zip(values, vectors))


def rank_text(r: int) -> str:
    return {2: "2 (the outputs fill the plane)",
            1: "1 (every output lies on one line, the column space; the grid collapses onto it)",
            0: "0 (every point goes to the origin)"}[r]


def det_text(det: float, r: int) -> str:
    text = f"{det:.3f}"
    if r < 2:
        return text + " (squashes the plane flat: no inverse)"
    return text + (" (flips orientation)" if det < 0 else "")


def plane_figure(m, p, kind, vectors, r) -> str:
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=440, title="The plane before and after the matrix")
    fig.grid(1.0, "grid")
    for i in range(-8, 9):                      # the transformed grid: images of the grid lines
        fig.line(*apply(m, i, -8), *apply(m, i, 8), "grid-moved")
        fig.line(*apply(m, -8, i), *apply(m, 8, i), "grid-moved")
    if r == 1:                                  # every output lies on this line
        ux, uy = column_space_direction(m)
        fig.line(-9 * ux, -9 * uy, 9 * ux, 9 * uy, "column-space")
    square = [apply(m, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
    fig.polyline(square, "area", closed=True)
    for v in vectors if kind != "every" else []:
        fig.line(-8 * v[0], -8 * v[1], 8 * v[0], 8 * v[1], "eigen")
    m1, m2 = apply(m, 1, 0), apply(m, 0, 1)
    fig.arrow(0, 0, *m1, "basis-i").arrow(0, 0, *m2, "basis-j")
    mv = apply(m, p["vx"], p["vy"])
    fig.arrow(0, 0, p["vx"], p["vy"], "vector-before")
    fig.arrow(0, 0, *mv, "vector-after")
    fig.text(*m1, "Me₁", "label", dx=6, dy=-4).text(*m2, "Me₂", "label", dx=6, dy=-4)
    fig.text(p["vx"], p["vy"], "v", "label", dx=10, dy=14).text(*mv, "Mv", "label", dx=6, dy=-6)
    fig.circle(p["vx"], p["vy"], 7, "handle", 'data-handle="v"')
    return fig.to_svg()


def view(**params) -> dict:
    p = clean(params, DEFAULTS, LIMITS)
    m = compose(p["angle"], p["scale_x"], p["scale_y"], p["shear"])
    det, r = determinant(m), rank(m)
    kind, values, vectors = eigen(m)
    mv = apply(m, p["vx"], p["vy"])
    readouts = {
        "M": f"[[{_fmt(m[0][0])}, {_fmt(m[0][1])}], [{_fmt(m[1][0])}, {_fmt(m[1][1])}]]",
        "det M": det_text(det, r),
        "rank": rank_text(r),
        "eigen": eigen_text(kind, values, vectors, _size(m)),
        "v → Mv": f"{_vec((p['vx'], p['vy']))} → {_vec(mv)}",
    }
    return {"svg": plane_figure(m, p, kind, vectors, r), "readouts": readouts_html(readouts), "matrix": m,
            "det": det, "rank": r, "eigen_kind": kind,
            "eigenvalues": [[complex(v).real, complex(v).imag] for v in values],
            "eigenvectors": [list(v) for v in vectors], "params": p, "view": VIEW, "size": 440}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="demo-figure">{state["svg"]}</div>{state["readouts"]}'}


# One slider move, as `make bench` times it in the browser.
INTERACTION = ("view", {"angle": 42.0, "scale_x": 1.2, "scale_y": 0.9, "shear": 0.3, "vx": 1.5, "vy": -0.5})
