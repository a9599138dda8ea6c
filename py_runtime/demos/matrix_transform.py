"""`matrix-transform`: a 2×2 matrix as a machine that moves every point of the plane.

The reader sets rotation, scale and shear; the matrix is their product

    M = R(θ) · H(k) · S(sx, sy)     (scale first, then shear, then rotate)

and the view shows the grid, the unit square and a vector before and after M, with the
determinant (how areas scale) and the eigenvectors (directions M only stretches).
"""
from __future__ import annotations

import math

from .params import clean
from .svg import Figure, readouts_html

DEFAULTS = {"angle": 15.0, "scale_x": 1.6, "scale_y": 0.7, "shear": 0.5, "vx": 1.0, "vy": 1.0}
LIMITS = {"angle": (-180.0, 180.0), "scale_x": (-2.0, 2.0), "scale_y": (-2.0, 2.0), "shear": (-2.0, 2.0),
          "vx": (-3.5, 3.5), "vy": (-3.5, 3.5)}
VIEW = 4.0


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


def eigen(m):
    """Eigenvalues of a 2×2 matrix, and unit eigenvectors when they are real.

    λ solves λ² − tr(M)·λ + det(M) = 0; a negative discriminant means M rotates every
    direction, so no real eigenvector exists."""
    (a, b), (c, d) = m
    trace, det = a + d, determinant(m)
    disc = trace * trace / 4 - det
    if disc < -1e-12:
        root = math.sqrt(-disc)
        return [complex(trace / 2, root), complex(trace / 2, -root)], []
    root = math.sqrt(max(disc, 0.0))
    values = [trace / 2 + root, trace / 2 - root]
    vectors = []
    for lam in values:
        if abs(b) > 1e-9:
            v = (b, lam - a)
        elif abs(c) > 1e-9:
            v = (lam - d, c)
        else:                                  # diagonal: the axes themselves
            v = (1.0, 0.0) if abs(lam - a) <= abs(lam - d) else (0.0, 1.0)
        norm = math.hypot(*v)
        vectors.append((v[0] / norm, v[1] / norm))
    if abs(values[0] - values[1]) < 1e-9 and abs(b) < 1e-9 and abs(c) < 1e-9:
        vectors = [(1.0, 0.0), (0.0, 1.0)]     # a multiple of the identity: every direction
    return values, vectors


def _fmt(x: float) -> str:
    return f"{x:+.2f}".replace("+", " ").strip() if abs(x) >= 0.005 else "0.00"


def view(**params) -> dict:
    p = clean(params, DEFAULTS, LIMITS)
    m = compose(p["angle"], p["scale_x"], p["scale_y"], p["shear"])
    det = determinant(m)
    values, vectors = eigen(m)
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=440, title="The plane before and after the matrix")

    fig.grid(1.0, "grid")
    for i in range(-8, 9):                      # the transformed grid: images of the grid lines
        fig.line(*apply(m, i, -8), *apply(m, i, 8), "grid-moved")
        fig.line(*apply(m, -8, i), *apply(m, 8, i), "grid-moved")
    square = [apply(m, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
    fig.polyline(square, "area", closed=True)
    for v in vectors:
        fig.line(-8 * v[0], -8 * v[1], 8 * v[0], 8 * v[1], "eigen")
    mi, mj = apply(m, 1, 0), apply(m, 0, 1)
    fig.arrow(0, 0, *mi, "basis-i").arrow(0, 0, *mj, "basis-j")
    mv = apply(m, p["vx"], p["vy"])
    fig.arrow(0, 0, p["vx"], p["vy"], "vector-before")
    fig.arrow(0, 0, *mv, "vector-after")
    fig.text(*mi, "Mî", "label", dx=6, dy=-4).text(*mj, "Mĵ", "label", dx=6, dy=-4)
    fig.text(p["vx"], p["vy"], "v", "label", dx=10, dy=14).text(*mv, "Mv", "label", dx=6, dy=-6)
    fig.circle(p["vx"], p["vy"], 7, "handle", 'data-handle="v"')

    if vectors:
        eig_text = "; ".join(f"λ = {lam:.2f} along ({v[0]:.2f}, {v[1]:.2f})" for lam, v in zip(values, vectors))
    else:
        eig_text = f"complex: {values[0].real:.2f} ± {abs(values[0].imag):.2f}i (no real eigenvector: M rotates every direction)"
    readouts = {
        "M": f"[[{_fmt(m[0][0])}, {_fmt(m[0][1])}], [{_fmt(m[1][0])}, {_fmt(m[1][1])}]]",
        "det M": f"{det:.3f}" + (" (flips orientation)" if det < 0 else "") + (" (squashes the plane flat)" if abs(det) < 1e-3 else ""),
        "eigen": eig_text,
        "v → Mv": f"({p['vx']:.2f}, {p['vy']:.2f}) → ({mv[0]:.2f}, {mv[1]:.2f})",
    }
    return {"svg": fig.to_svg(), "readouts": readouts_html(readouts), "matrix": m, "det": det,
            "eigenvalues": [[complex(v).real, complex(v).imag] for v in values],
            "eigenvectors": [list(v) for v in vectors], "params": p, "view": VIEW, "size": fig.width}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="demo-figure">{state["svg"]}</div>{state["readouts"]}'}


# One slider move, as `make bench` times it in the browser.
INTERACTION = ("view", {"angle": 42.0, "scale_x": 1.2, "scale_y": 0.9, "shear": 0.3, "vx": 1.5, "vy": -0.5})
