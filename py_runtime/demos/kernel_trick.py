"""`kernel-trick`: two rings no line separates, the lift that makes a plane do it, and the kernel
that does the same without the lift.

The rings. Ring 1 (radius r1) and ring 2 (radius r2) share a centre (shift, 0), with Gaussian
radial noise. A straight line cannot put one ring on each side when one ring lies inside the
other's convex hull: a half-plane is convex, so one that holds the outer ring holds its hull.

The lift. φ(x, y) = (x, y, x² + y²) puts each point at a height equal to its squared distance
from the origin. A plane in the lifted space, z = 2a·x + 2b·y + (r² − a² − b²), meets that bowl
where (x − a)² + (y − b)² = r²: a circle of any centre (a, b) and radius r. A horizontal plane
(a = b = 0) is a circle about the origin; tilting the plane moves the circle's centre.

The kernel. A kernel perceptron (py_runtime.kernels) learns f(x) = Σᵢ αᵢ yᵢ k(xᵢ, x) + b from the
Gram matrix alone; its boundary f = 0 is drawn on a GRID × GRID grid, and its accuracy is
measured on the training rings and on a second, held-out draw of the same rings. The Gram matrix
of a few points is computed both ways, as ⟨φ(xᵢ), φ(xⱼ)⟩ and as k(xᵢ, xⱼ), to show they agree.

The 3-D view (_lib/kernel_trick_draw.project) is an orthographic projection: rotate the scene by the azimuth about
the z axis, tilt it by the elevation, drop the depth coordinate.
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

from .. import kernels as kt
from ..geometry import convex_hull, hulls_meet, inside_hull
from ..params import choice, integer, number
from ._lib.kernel_trick_draw import flat_figure, gram_figure, kernel_figure, lifted_figure
from ._lib.svg import readouts_html

N_PER_RING = 40
VIEW = 4.0                      # the 2-D panels span [-VIEW, VIEW]²
GRID = 40                       # the kernel boundary is evaluated on GRID × GRID points
PASSES = 40                     # the perceptron stops after this many passes over the data
LINE_DIRECTIONS = 180           # the best straight line is searched over this many directions
GRAM_PER_RING = 6               # the Gram tables show this many points of each ring
KERNEL_NAMES = {"linear": "x·y (linear)", "homogeneous": "(x·y)ᵈ", "inhomogeneous": "(x·y + 1)ᵈ",
                "rbf": "exp(−‖x − y‖² / 2σ²) (RBF)"}
DEFAULTS = {"r1": 0.9, "r2": 2.1, "noise": 0.15, "shift": 0.0, "azimuth": 30.0, "elevation": 25.0, "lift": 1.0,
            "cx": 0.0, "cy": 0.0, "radius": -1.0, "kernel": "inhomogeneous", "degree": 2, "sigma": 1.0}
LIMITS = {"r1": (0.2, 2.8), "r2": (0.2, 2.8), "noise": (0.0, 0.5), "shift": (-1.0, 1.0),
          "azimuth": (-180.0, 180.0), "elevation": (-30.0, 90.0), "lift": (0.0, 1.0),
          "cx": (-VIEW, VIEW), "cy": (-VIEW, VIEW), "radius": (-1.0, 2 * VIEW), "degree": (1, 6),
          "sigma": (0.1, 3.0)}


def _clean(params: dict) -> dict:
    """Every parameter a finite number in its range (or its default); radius < 0 means "fit the circle"."""
    out = {key: number(params.get(key, default), default, *LIMITS[key])
           for key, default in DEFAULTS.items() if key not in ("kernel", "degree")}
    out["degree"] = integer(params.get("degree", DEFAULTS["degree"]), DEFAULTS["degree"], *LIMITS["degree"])
    out["kernel"] = choice(params.get("kernel"), kt.KERNELS, DEFAULTS["kernel"])
    if out["radius"] < 0:
        out["radius"] = -1.0
    return out


# --- the data and the lift ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _base(seed: int):
    """Fixed angles and unit-normal radial jitters, so the sliders move the same points smoothly."""
    rng = random.Random(seed)
    return tuple(tuple((2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / N_PER_RING, rng.gauss(0.0, 1.0))
                       for i in range(N_PER_RING)) for _ in range(2))


@lru_cache(maxsize=64)
def rings(r1: float, r2: float, noise: float, shift: float = 0.0, seed: int = 8) -> tuple:
    """((x, y, label), ...): ring 0 of radius r1, ring 1 of radius r2, about (shift, 0), radial noise.
    seed 8 draws the training rings; another seed draws held-out points from the same rings."""
    out = []
    for label, (radius, base) in enumerate(zip((r1, r2), _base(seed))):
        for angle, g in base:
            r = abs(radius + noise * g)
            out.append((shift + r * math.cos(angle), r * math.sin(angle), label))
    return tuple(out)


def held_out(r1: float, r2: float, noise: float, shift: float = 0.0) -> tuple:
    return rings(r1, r2, noise, shift, seed=9)


def lift(x: float, y: float) -> tuple[float, float, float]:
    """φ(x, y) = (x, y, x² + y²)."""
    return x, y, x * x + y * y


def plane_height(x: float, y: float, cx: float, cy: float, radius: float) -> float:
    """The plane z = 2a·x + 2b·y + (r² − a² − b²): on the bowl z = x² + y² it is the circle (x−a)² + (y−b)² = r²."""
    return 2 * cx * x + 2 * cy * y + radius * radius - cx * cx - cy * cy


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
        above = zeros_below + (ones - ones_below)          # label 1 above the cut
        below = ones_below + (n - ones - zeros_below)      # label 1 below it
        for correct, ones_above in ((above, True), (below, False)):
            if correct > best["correct"] or (correct == best["correct"] and gap > best["gap"]):
                best = {"correct": correct, "threshold": (pairs[i][0] + pairs[i + 1][0]) / 2,
                        "ones_above": ones_above, "gap": gap}
    return best


@lru_cache(maxsize=64)
def best_line(key: tuple, directions: int = LINE_DIRECTIONS) -> dict:
    """The best straight line in 2-D among `directions` normal directions in [0°, 180°)."""
    pts = rings(*key)
    labels = [p[2] for p in pts]
    best = None
    for k in range(directions):
        a = math.pi * k / directions
        ca, sa = math.cos(a), math.sin(a)
        cut = best_threshold([x * ca + y * sa for x, y, _ in pts], labels)
        if best is None or cut["correct"] > best["correct"]:
            best = {**cut, "angle": a}
    return best


@lru_cache(maxsize=256)
def best_radius(key: tuple, cx: float, cy: float) -> dict:
    """The best circle about (cx, cy): the best cut on the squared distance from there. In the lifted
    space, the best plane among those with slope (2cx, 2cy), the tilt that centres its circle there."""
    pts = rings(*key)
    cut = best_threshold([(x - cx) ** 2 + (y - cy) ** 2 for x, y, _ in pts], [p[2] for p in pts])
    return {"cx": cx, "cy": cy, "radius": math.sqrt(max(cut["threshold"], 0.0)), "correct": cut["correct"],
            "inside_label": 0 if cut["ones_above"] else 1}


def radial_overlap(key: tuple) -> bool:
    """True when some point of one ring is farther from the rings' centre than some point of the
    other: then no circle about that centre (no horizontal plane, when it is the origin) separates them."""
    pts = rings(*key)
    centre = key[3]
    d = {label: [(x - centre) ** 2 + y * y for x, y, lab in pts if lab == label] for label in (0, 1)}
    inner, outer = (0, 1) if sum(d[0]) <= sum(d[1]) else (1, 0)
    return max(d[inner]) >= min(d[outer])


@lru_cache(maxsize=64)
def enclosed(key: tuple) -> int | None:
    """Which ring (0 or 1) lies wholly inside the other's convex hull, or None. When one does, no
    straight line separates the rings: a half-plane holding the outer ring holds its hull."""
    pts = rings(*key)
    for inner in (0, 1):
        hull = convex_hull([(x, y) for x, y, label in pts if label != inner])
        if all(inside_hull(hull, (x, y)) for x, y, label in pts if label == inner):
            return inner
    return None


@lru_cache(maxsize=64)
def hulls_overlap(key: tuple) -> bool:
    """Whether the two rings' convex hulls meet: then no straight line cuts the rings apart."""
    pts = rings(*key)
    return hulls_meet(*([(x, y) for x, y, label in pts if label == ring] for ring in (0, 1)))


# --- the kernel method --------------------------------------------------------------------------

def _signs(points) -> list[int]:
    """Perceptron labels: ring 2 (label 1) is +1, ring 1 is −1."""
    return [1 if label else -1 for _, _, label in points]


@lru_cache(maxsize=32)
def trained(key: tuple, name: str, degree: int, sigma: float) -> dict:
    """The kernel perceptron on the training rings, its accuracy there and on the held-out rings."""
    pts = rings(*key)
    xy = [(x, y) for x, y, _ in pts]
    ys = _signs(pts)
    k = kt.kernel(name, degree, sigma)
    model = kt.perceptron(kt.gram(xy, k), ys, passes=PASSES)
    support = [(p, y, a) for p, y, a in zip(xy, ys, model["alpha"]) if a]
    sv_points, sv_labels, sv_alpha = (list(t) for t in zip(*support)) if support else ([], [], [])

    def f(p):
        return kt.decision(p, sv_points, sv_labels, sv_alpha, model["bias"], k)

    test = held_out(*key)
    return {**model, "k": k, "support": support,
            "train_correct": sum((f(p) > 0) == (y > 0) for p, y in zip(xy, ys)),
            "test_correct": sum((f((x, y)) > 0) == (lab == 1) for x, y, lab in test),
            "train_wrong": [(f(p) > 0) != (y > 0) for p, y in zip(xy, ys)],
            "grid": decision_grid(support, model["bias"], name, degree, sigma)}


def grid_centres() -> list[float]:
    step = 2 * VIEW / GRID
    return [-VIEW + step * (i + 0.5) for i in range(GRID)]


def decision_grid(support, bias, name, degree, sigma) -> list[list[float]]:
    """f at the GRID × GRID cell centres, rows from the top: Σᵢ αᵢ yᵢ k(xᵢ, g) + b over the support.

    For the RBF kernel, k(xᵢ, g) = exp(−(u − xᵢ₁)²/2σ²) · exp(−(v − xᵢ₂)²/2σ²) at g = (u, v): the
    same kernel, with each factor computed once per column or row rather than once per cell."""
    us = grid_centres()
    vs = list(reversed(us))
    if not support:
        return [[float(bias)] * GRID for _ in vs]
    coef = [a * y for _, y, a in support]
    x1 = [p[0] for p, _, _ in support]
    x2 = [p[1] for p, _, _ in support]
    if name == "rbf":
        s = 1.0 / (2 * sigma * sigma)
        columns = [[math.exp(-(u - a) ** 2 * s) for a in x1] for u in us]
        rows = []
        for v in vs:
            w = [c * math.exp(-(v - b) ** 2 * s) for c, b in zip(coef, x2)]
            rows.append([kt.sumprod(w, col) + bias for col in columns])
        return rows
    offset = 1.0 if name == "inhomogeneous" else 0.0
    power = 1 if name == "linear" else degree
    rows = []
    for v in vs:
        base = [v * b + offset for b in x2]
        rows.append([kt.sumprod(coef, [(u * a + c) ** power for a, c in zip(x1, base)]) + bias for u in us])
    return rows


@lru_cache(maxsize=32)
def gram_both_ways(key: tuple, name: str, degree: int, sigma: float) -> dict:
    """The Gram matrix of a few training points, lifted first and by the kernel, and how far apart."""
    pts = rings(*key)
    step = N_PER_RING // GRAM_PER_RING
    chosen = [pts[ring * N_PER_RING + i * step][:2] for ring in (0, 1) for i in range(GRAM_PER_RING)]
    by_lift = kt.gram_of_lift(chosen, kt.lift(name, degree, sigma))
    by_kernel = kt.gram(chosen, kt.kernel(name, degree, sigma))
    values = kt.eigenvalues(by_kernel)
    return {"points": chosen, "lifted": by_lift, "kernel": by_kernel,
            "difference": kt.largest_difference(by_lift, by_kernel),
            "largest": max(abs(v) for row in by_kernel for v in row),
            "eigen_min": values[0], "eigen_max": values[-1], "size": kt.lift_size(name, degree)}


# --- the view -----------------------------------------------------------------------------------

def _circle(p: dict, key: tuple) -> dict:
    """The reader's circle; radius < 0 picks the best radius about its centre. `inside_label`: the
    ring that the best circle about this centre holds inside."""
    best = best_radius(key, p["cx"], p["cy"])
    return best if p["radius"] < 0 else {**best, "radius": p["radius"]}


def _kernel_label(name: str, degree: int, sigma: float) -> str:
    label = KERNEL_NAMES[name].replace("ᵈ", _superscript(degree))
    return label + (f", σ = {sigma:.2f}" if name == "rbf" else "")


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def minus(text: str) -> str:
    """Real minus signs in numbers shown to the reader."""
    return text.replace("-", "−")


def plane_equation(circle: dict) -> str:
    """z = 2a·x + 2b·y + (r² − a² − b²), written with real signs."""
    a, b, r = circle["cx"], circle["cy"], circle["radius"]
    terms = [(2 * a, "x"), (2 * b, "y"), (r * r - a * a - b * b, "")]
    text = "z = " + f"{terms[0][0]:.2f}x"
    for value, name in terms[1:]:
        text += f" {'−' if value < 0 else '+'} {abs(value):.2f}{name}"
    return minus(text)


def _lift_readouts(pts, circle, correct, line, key) -> dict:
    n = len(pts)
    inner = enclosed(key)
    if inner is not None:
        why = f"ring {inner + 1} lies inside the convex hull of ring {2 - inner}, so no straight line can cut them apart"
    elif hulls_overlap(key):
        why = "neither ring lies inside the other's convex hull, but the two hulls overlap, so no straight line can cut them apart"
    else:
        why = "the two rings' convex hulls do not meet, so some straight line cuts them apart"
    tilted = abs(circle["cx"]) > 1e-9 or abs(circle["cy"]) > 1e-9
    return {
        "circle": minus(f"centre ({circle['cx']:.2f}, {circle['cy']:.2f}), radius {circle['radius']:.2f}"),
        "the plane in 3-D": plane_equation(circle) + (" (tilted)" if tilted else " (horizontal)"),
        "plane classifies": f"{correct} / {n} correct ({100 * correct / n:.0f}%)",
        f"best straight line (of {LINE_DIRECTIONS} directions)": f"{line['correct']} / {n} correct "
                                                                 f"({100 * line['correct'] / n:.0f}%)",
        ("why no line works" if inner is not None or hulls_overlap(key) else "why a line can work"): why,
    }


def _kernel_readouts(p, model, gram, n) -> dict:
    passes = len(model["mistakes_per_pass"])
    mistakes = sum(model["mistakes_per_pass"])
    status = (f"converged after {passes} passes ({mistakes} mistakes)" if model["converged"]
              else f"still {model['mistakes_per_pass'][-1]} mistakes in pass {passes} of {PASSES}")
    cut = f" (cut at degree {kt.RBF_DEGREE})" if p["kernel"] == "rbf" else ""
    if p["kernel"] == "rbf" and gram["difference"] > 1e-6 * gram["largest"]:
        cut += ": too few for this σ"
    psd = "none below zero beyond rounding" if gram["eigen_min"] >= -1e-9 * max(gram["eigen_max"], 1.0) else "negative!"
    return {
        "kernel": _kernel_label(p["kernel"], p["degree"], p["sigma"]),
        "perceptron": status,
        "training points right": f"{model['train_correct']} / {n}",
        "held-out points right": f"{model['test_correct']} / {n}",
        "points with αᵢ > 0": str(len(model["support"])),
        "lift φ has": f"{gram['size']} coordinates{cut}",
        "largest |⟨φ(xᵢ), φ(xⱼ)⟩ − k(xᵢ, xⱼ)|": minus(f"{gram['difference']:.2g} (entries up to {gram['largest']:.3g})"),
        f"eigenvalues of the {2 * GRAM_PER_RING} × {2 * GRAM_PER_RING} table": minus(f"{gram['eigen_min']:.2g} to {gram['eigen_max']:.3g}") + f": {psd}",
    }


def kernel_spec(p: dict) -> tuple[str, int, float]:
    """(kernel, degree, σ) with the parameter a kernel ignores set to a constant, so moving the
    σ slider under a polynomial kernel (or the degree under the RBF one) reuses the cached model."""
    name = p["kernel"]
    degree = p["degree"] if name in ("homogeneous", "inhomogeneous") else 1
    return name, degree, p["sigma"] if name == "rbf" else 1.0


def view(**params) -> dict:
    p = _clean(params)
    key = (p["r1"], p["r2"], p["noise"], p["shift"])
    pts = rings(*key)
    circle = _circle(p, key)
    inside = [(x - circle["cx"]) ** 2 + (y - circle["cy"]) ** 2 <= circle["radius"] ** 2 for x, y, _ in pts]
    predicted = [circle["inside_label"] if i else 1 - circle["inside_label"] for i in inside]
    correct = sum(g == lab for g, lab in zip(predicted, (q[2] for q in pts)))
    line = best_line(key)
    spec = kernel_spec(p)
    model = trained(key, *spec)
    gram = gram_both_ways(key, *spec)
    n = len(pts)
    return {
        "flat": flat_figure(pts, predicted, circle, line, VIEW),
        "lifted": lifted_figure(p, pts, [lift(x, y)[2] for x, y, _ in pts], predicted, circle,
                                lambda x, y: plane_height(x, y, circle["cx"], circle["cy"], circle["radius"])),
        "kernel_svg": _kernel_svg(key, *spec),
        "gram_svg": _gram_svg(key, *spec),
        "readouts": readouts_html(_lift_readouts(pts, circle, correct, line, key)),
        "kernel_readouts": readouts_html(_kernel_readouts(p, model, gram, n)),
        "params": p, "circle": {k: circle[k] for k in ("cx", "cy", "radius")}, "plane_correct": correct,
        "line_correct": line["correct"], "total": n, "bounds": [-VIEW, VIEW, -VIEW, VIEW],
        "train_correct": model["train_correct"], "test_correct": model["test_correct"],
        "converged": model["converged"], "gram_difference": gram["difference"],
    }


@lru_cache(maxsize=32)
def _kernel_svg(key, name, degree, sigma) -> str:
    model = trained(key, name, degree, sigma)
    title = f"Kernel perceptron with k = {_kernel_label(name, degree, sigma)}: its boundary f(x) = 0"
    return kernel_figure(rings(*key), model["train_wrong"], model["grid"], grid_centres(), VIEW, title)


@lru_cache(maxsize=32)
def _gram_svg(key, name, degree, sigma) -> str:
    gram = gram_both_ways(key, name, degree, sigma)
    return gram_figure(gram["lifted"], gram["kernel"], GRAM_PER_RING)


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="kt-panels"><div class="demo-figure">{state["flat"]}</div>'
                    f'<div class="demo-figure">{state["lifted"]}</div></div>{state["readouts"]}'
                    f'<div class="kt-panels"><div class="demo-figure">{state["kernel_svg"]}</div>'
                    f'<div class="demo-figure">{state["gram_svg"]}</div></div>{state["kernel_readouts"]}'}


# One step of dragging the 3-D view round (the kernel panels come from the cache).
INTERACTION = ("view", {**DEFAULTS, "azimuth": 42.0, "elevation": 31.0})
