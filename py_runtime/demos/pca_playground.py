"""`pca-playground`: principal axes of a point cloud you edit, and digits rebuilt from k components.

Panel 1, in 2-D. For points p₁…pₙ with mean m, the sample covariance is

    Σ = 1/(n−1) · Σᵢ (pᵢ − m)(pᵢ − m)ᵀ          (a symmetric 2×2 matrix)

and its eigenvectors are the principal axes; the eigenvalues λ₁ ≥ λ₂ ≥ 0 are the variances
along them, so PC1 "explains" λ₁ / (λ₁ + λ₂) of the total variance. Projecting every point
onto the line through the mean along PC1 is the best 1-D summary of the cloud (the least
squared distance). PC1 is only well defined when λ₁ > λ₂: at a tie every direction has
the same variance, and near one a small nudge swings it round, so the readout says so.
In the (PC1, PC2) coordinates, computed from the points themselves, the covariance comes
out diagonal: the new coordinates are uncorrelated.

Panel 2, in 784-D. An MNIST digit x is rebuilt from the mean digit and its first k
coordinates along the 64 leading principal components cᵢ of 55,000 training digits:

    x̂ₖ = mean + Σ_{i<k} ⟨x − mean, cᵢ⟩ · cᵢ

The share of variance those k components explain (over the training digits) is the sum of
their explained-variance ratios; the share of *this* digit's variation they capture is
1 − ‖x − x̂ₖ‖² / ‖x − mean‖².
"""
from __future__ import annotations

import math
from functools import lru_cache

from ..backend import sumprod
from ..params import choice, integer, number
from ._lib import mnist_data
from ._lib.linalg2 import covariance, eigh2
from ._lib.svg import Figure, readouts_html, run_rects

VIEW = 5.0                       # the 2-D panel spans [-VIEW, VIEW]²
TIE_GAP = 0.05                   # (λ₁ − λ₂)/(λ₁ + λ₂) below this: PC1 explains under 52.5%, "barely defined"
MAX_POINTS = 40
K_MAX = 64
SAMPLES = 20                     # examples of each digit the reader can pick
# A tilted, elongated cloud: PC1 points up and to the right and explains most of the variance.
DEFAULT_POINTS = [[-3.2, -2.1], [-2.5, -1.0], [-2.0, -2.0], [-1.4, -0.3], [-0.9, -1.1], [-0.4, 0.2],
                  [0.2, -0.5], [0.6, 0.9], [1.1, 0.1], [1.6, 1.5], [2.2, 0.9], [2.9, 2.2]]
DEFAULTS = {"points": DEFAULT_POINTS, "selected": 11, "digit": 3, "sample": 0, "k": 8}
PRESETS = {
    "cloud": DEFAULT_POINTS,
    "line": [[-3.0 + 0.6 * i, -1.5 + 0.3 * i] for i in range(11)],
    "round": [[round(2.5 * math.cos(2 * math.pi * i / 10), 2), round(2.5 * math.sin(2 * math.pi * i / 10), 2)]
              for i in range(10)],
}


# --- sanitising ---------------------------------------------------------------------------

def clean_points(points) -> list[list[float]]:
    """A list of [x, y] pairs inside the view; anything malformed is dropped, at most MAX_POINTS."""
    if not isinstance(points, (list, tuple)):
        return [list(p) for p in DEFAULT_POINTS]
    out = []
    for p in points[:MAX_POINTS]:
        if isinstance(p, dict):
            p = (p.get("x"), p.get("y"))
        if not isinstance(p, (list, tuple)) or len(p) != 2:
            continue
        x, y = number(p[0], math.nan, -VIEW, VIEW), number(p[1], math.nan, -VIEW, VIEW)
        if math.isfinite(x) and math.isfinite(y):
            out.append([x, y])
    return out


# --- PCA in 2-D -----------------------------------------------------------------------------

def mean_and_covariance(points) -> tuple[list[float], list[list[float]]]:
    """Mean and sample covariance (divided by n − 1, as numpy.cov and chapter 6) of 2-D points."""
    n = len(points)
    if n == 0:
        return [0.0, 0.0], [[0.0, 0.0], [0.0, 0.0]]
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    if n < 2:
        return [mx, my], [[0.0, 0.0], [0.0, 0.0]]
    return [mx, my], covariance([p[0] - mx for p in points], [p[1] - my for p in points], ddof=1)


def _orient(v):
    """Eigenvectors are defined up to sign: pick the one pointing right (or up when vertical)."""
    x, y = v
    if x < -1e-12 or (abs(x) <= 1e-12 and y < 0):
        x, y = -x, -y
    return (x + 0.0, y + 0.0)


def pca2d(points) -> dict:
    """Mean, covariance Σ, its eigenvalues λ₁ ≥ λ₂ (a λ₂ just below 0, by rounding, set to 0),
    the principal axes (eigh2's eigenvectors, each turned to point right) and each one's share."""
    mean, cov = mean_and_covariance(points)
    (l1, l2), axes = eigh2(cov)
    values, vectors = [l1, max(l2, 0.0) if l2 > -1e-12 else l2], [_orient(v) for v in axes]
    total = values[0] + values[1]
    explained = [v / total for v in values] if total > 1e-12 else None
    return {"mean": mean, "cov": cov, "eigenvalues": values, "axes": vectors, "explained": explained}


def covariance_in_pc_basis(points, mean, axes) -> list[list[float]]:
    """The sample covariance of the points' coordinates along (PC1, PC2), computed from the
    coordinates themselves: diagonal (up to rounding), with the eigenvalues on the diagonal."""
    coords = [[(x - mean[0]) * a[0] + (y - mean[1]) * a[1] for a in axes] for x, y in points]
    return mean_and_covariance(coords)[1]


def pc1_text(values, axis, fmt) -> str:
    """PC1's direction, flagged when a tie (or near tie) of the eigenvalues leaves it loose."""
    total = values[0] + values[1]
    gap = (values[0] - values[1]) / total if total > 1e-12 else 0.0
    if gap <= 1e-9:
        return "any direction: λ₁ = λ₂, every direction has the same variance"
    text = f"({fmt(axis[0])}, {fmt(axis[1])})"
    return text + (" — barely defined: λ₁ ≈ λ₂, a nudge can swing it" if gap < TIE_GAP else "")


def _ellipse(mean, values, vectors, scale=2.0, steps=48):
    """The curve mean + scale·(√λ₁ cos t · v₁ + √λ₂ sin t · v₂): two standard deviations."""
    s1, s2 = scale * math.sqrt(max(values[0], 0.0)), scale * math.sqrt(max(values[1], 0.0))
    (a, b), (c, d) = vectors
    return [(mean[0] + s1 * math.cos(t) * a + s2 * math.sin(t) * c,
             mean[1] + s1 * math.cos(t) * b + s2 * math.sin(t) * d)
            for t in (2 * math.pi * i / steps for i in range(steps))]


def _clip_line(mx, my, vx, vy):
    """The two ends of the line through (mx, my) along (vx, vy), reaching just past the view."""
    reach = 3 * VIEW
    return mx - reach * vx, my - reach * vy, mx + reach * vx, my + reach * vy


def points_view(points=None, selected=None, **_ignored) -> dict:
    """The 2-D panel: points, their mean, principal axes, 2σ ellipse and projections onto PC1."""
    pts = clean_points(DEFAULT_POINTS if points is None else points)
    sel = integer(selected, -1, -1, len(pts) - 1) if pts else -1
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=400, title="Points, their principal axes and their projections onto PC1")
    fig.grid(1.0, "grid")
    result = pca2d(pts)
    mean, values, axes, explained = result["mean"], result["eigenvalues"], result["axes"], result["explained"]
    n = len(pts)
    if n >= 2 and explained is not None:
        (v1x, v1y), (v2x, v2y) = axes
        fig.line(*_clip_line(mean[0], mean[1], v1x, v1y), "pc1-line")
        if values[1] > 1e-9:
            fig.polyline(_ellipse(mean, values, axes), "spread", closed=True)
        for x, y in pts:                        # each point's projection onto PC1
            t = (x - mean[0]) * v1x + (y - mean[1]) * v1y
            px, py = mean[0] + t * v1x, mean[1] + t * v1y
            fig.line(x, y, px, py, "residual")
            fig.circle(px, py, 2.5, "projection")
        s1, s2 = 2 * math.sqrt(max(values[0], 0.0)), 2 * math.sqrt(max(values[1], 0.0))
        if s1 > 1e-6:
            fig.arrow(mean[0], mean[1], mean[0] + s1 * v1x, mean[1] + s1 * v1y, "pc1")
            fig.text(mean[0] + s1 * v1x, mean[1] + s1 * v1y, "PC1", "label pc1-label", dx=6, dy=-6)
        if s2 > 1e-6:
            fig.arrow(mean[0], mean[1], mean[0] + s2 * v2x, mean[1] + s2 * v2y, "pc2")
            fig.text(mean[0] + s2 * v2x, mean[1] + s2 * v2y, "PC2", "label pc2-label", dx=6, dy=-6)
    for i, (x, y) in enumerate(pts):
        fig.circle(x, y, 9 if i == sel else 6, "point selected" if i == sel else "point",
                   f'data-index="{i}"')
    if n:
        fig.circle(mean[0], mean[1], 4, "mean")
    if n < 2:
        fig.text(0, VIEW - 0.8, "Click or tap to add points (at least two)", "hint", anchor="middle")

    def f(x):
        return f"{x:.2f}".replace("-0.00", "0.00")

    if n >= 2 and explained is not None:
        rotated = covariance_in_pc_basis(pts, mean, axes)
        readouts = {
            "points": str(n),
            "covariance Σ": f"[[{f(result['cov'][0][0])}, {f(result['cov'][0][1])}], "
                            f"[{f(result['cov'][1][0])}, {f(result['cov'][1][1])}]]",
            "λ₁, λ₂ (variances)": f"{f(values[0])}, {f(values[1])}",
            "PC1 direction": pc1_text(values, axes[0], f),
            "covariance in (PC1, PC2) coordinates": f"[[{f(rotated[0][0])}, {f(rotated[0][1])}], "
                                                    f"[{f(rotated[1][0])}, {f(rotated[1][1])}]]",
            "PC1 explains": f"{100 * explained[0]:.1f}% of the variance",
            "PC2 explains": f"{100 * explained[1]:.1f}%",
        }
    else:
        readouts = {"points": str(n), "covariance Σ": "—", "λ₁, λ₂ (variances)": "—", "PC1 direction": "—",
                    "covariance in (PC1, PC2) coordinates": "—",
                    "PC1 explains": "— (the points need some spread)" if n >= 2 else "— (add at least two points)",
                    "PC2 explains": "—"}
    return {"svg": fig.to_svg(), "readouts": readouts_html(readouts), "points": pts, "selected": sel,
            "bounds": [-VIEW, VIEW, -VIEW, VIEW], "mean": mean, "eigenvalues": values,
            "axes": [list(a) for a in axes], "explained": explained}


def preset(name="cloud", **_ignored) -> dict:
    pts = PRESETS[choice(name, PRESETS, "cloud")]
    return points_view(points=pts, selected=len(pts) - 1)


# --- PCA on MNIST -------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _digit_analysis(label: int, sample: int) -> dict:
    """Coefficients of one digit on the 64 components, and its squared error for every k."""
    basis = mnist_data.pca_basis()
    x = mnist_data.digit(label, sample)
    mean, components = basis["mean"], basis["components"]
    centred = [a - b for a, b in zip(x, mean)]
    coeffs = [sumprod(c, centred) for c in components]
    total = sumprod(centred, centred)
    recon = list(mean)
    errors = [total]                              # k = 0: the mean digit
    for c, comp in zip(coeffs, components):
        recon = [r + c * v for r, v in zip(recon, comp)]
        diff = [a - b for a, b in zip(x, recon)]
        errors.append(sumprod(diff, diff))
    return {"x": x, "coeffs": coeffs, "errors": errors, "total": total}


@lru_cache(maxsize=None)
def _cumulative_explained() -> list[float]:
    out, running = [0.0], 0.0
    for share in mnist_data.pca_basis()["explained"]:
        running += share
        out.append(running)
    return out


def reconstruct(label: int, sample: int, k: int) -> list[float]:
    basis = mnist_data.pca_basis()
    coeffs = _digit_analysis(label, sample)["coeffs"]
    recon = list(basis["mean"])
    for c, comp in zip(coeffs[:k], basis["components"][:k]):
        recon = [r + c * v for r, v in zip(recon, comp)]
    return recon


INK_LEVELS = 8


def _pixel_svg(fig: Figure, levels, left: float, top: float, size: float, label: str, signed=False) -> None:
    """28×28 quantised pixel levels as SVG rectangles (one per run of equal pixels in a row),
    coloured by CSS classes so the digit follows the light or dark theme. Positive levels are
    ink (or a component's positive weights), negative levels a component's negative weights."""
    x0, y0 = (float(v) for v in fig.px(left, top))
    cell = size / (fig.xmax - fig.xmin) * fig.width / 28
    ink = "pos" if signed else "ink"

    def kind(level):
        return None if level == 0 else f"{ink}-{level}" if level > 0 else f"neg-{-level}"

    rows = [levels[row * 28:(row + 1) * 28] for row in range(28)]
    fig.raw(f'<g class="pixels" role="img" aria-label="{label}">'
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{28 * cell:.1f}" height="{28 * cell:.1f}" class="paper"/>'
            + "".join(run_rects(rows, cell, kind, x0, y0, overlap=0.3, digits=1)) + "</g>")


def ink_levels(pixels) -> list[int]:
    """Pixels in [0, 1] (ink = 1) -> levels 0..INK_LEVELS."""
    return [min(max(int(round(v * INK_LEVELS)), 0), INK_LEVELS) for v in pixels]


@lru_cache(maxsize=None)
def _component_levels(i: int) -> tuple[int, ...]:
    """A component's signed weights -> levels -INK_LEVELS..INK_LEVELS, scaled by its largest weight."""
    comp = mnist_data.pca_basis()["components"][i]
    peak = max(abs(v) for v in comp) or 1.0
    return tuple(int(round(INK_LEVELS * v / peak)) for v in comp)


def digit_view(digit=None, sample=None, k=None, **_ignored) -> dict:
    """The MNIST panel: a digit, its reconstruction from k components, component k, and two curves."""
    label = integer(digit, DEFAULTS["digit"], 0, 9)
    which = integer(sample, DEFAULTS["sample"], 0, SAMPLES - 1)
    k = integer(k, DEFAULTS["k"], 1, K_MAX)
    analysis = _digit_analysis(label, which)
    recon = reconstruct(label, which, k)
    cumulative = _cumulative_explained()
    mse = analysis["errors"][k] / 784
    captured = 1 - analysis["errors"][k] / analysis["total"] if analysis["total"] > 0 else 1.0

    fig = Figure(0, 100, -50, 42, width=400, title=f"A {label}, rebuilt from {k} principal components")
    for left, levels, name, what in (
            (2, ink_levels(analysis["x"]), "original", f"the original {label}"),
            (35, ink_levels(recon), f"k = {k}", f"the {label} rebuilt from {k} components"),
            (68, _component_levels(k - 1), f"component {k}", f"principal component {k}")):
        _pixel_svg(fig, levels, left, 34, 30, what, signed=left == 68)
        fig.text(left + 15, 38, name, "label", anchor="middle", dy=-2)
    # Both curves rise with k: the share of all training digits' variance, and of this digit's.
    x0, x1, y0, y1 = 10, 96, -45, -6
    fig.line(x0, y0, x1, y0, "axis").line(x0, y0, x0, y1, "axis")
    for share in (0.5, 1.0):
        y = y0 + share * (y1 - y0)
        fig.line(x0, y, x1, y, "grid")
        fig.text(x0, y, f"{int(share * 100)}%", "tick", anchor="end", dx=-3, dy=4)
    fig.text(x0, y0, "0%", "tick", anchor="end", dx=-3, dy=4)

    def sx(j):
        return x0 + (x1 - x0) * j / K_MAX

    def sy(v):
        return y0 + (y1 - y0) * min(max(v, 0.0), 1.0)

    digit_curve = [(sx(j), sy(1 - e / analysis["total"] if analysis["total"] > 0 else 1.0))
                   for j, e in enumerate(analysis["errors"])]
    fig.polyline([(sx(j), sy(v)) for j, v in enumerate(cumulative)], "curve-all")
    fig.polyline(digit_curve, "curve-digit")
    fig.line(sx(k), y0, sx(k), y1, "k-marker")
    fig.circle(sx(k), sy(cumulative[k]), 3.5, "dot-all")
    fig.circle(sx(k), sy(captured), 3.5, "dot-digit")
    fig.text(x0, y0, "k = 0", "tick", anchor="middle", dy=14).text(x1, y0, "64", "tick", anchor="middle", dy=14)
    fig.line(14, 0, 20, 0, "curve-all").text(20, 0, "all training digits", "tick", dx=4, dy=4)
    fig.line(56, 0, 62, 0, "curve-digit").text(62, 0, "this digit", "tick", dx=4, dy=4)
    readouts = {
        "variance explained (training digits)": f"{100 * cumulative[k]:.1f}%",
        "of this digit's variation": f"{100 * captured:.1f}%",
        "reconstruction error (MSE)": f"{mse:.4f}",
    }
    return {"svg": fig.to_svg(), "readouts": readouts_html(readouts), "digit": label, "sample": which, "k": k,
            "mse": mse, "explained": cumulative[k], "captured": captured}


# --- both panels -------------------------------------------------------------------------------

def view(points=None, selected=None, digit=None, sample=None, k=None, **_ignored) -> dict:
    sel = DEFAULTS["selected"] if selected is None and points is None else selected
    return {"points": points_view(points=points, selected=sel), "digit": digit_view(digit=digit, sample=sample, k=k)}


def _panel_html(state) -> str:
    return f'<div class="demo-figure">{state["svg"]}</div>{state["readouts"]}'


def controls() -> dict:
    """What the UI is built from, so that the defaults and limits live only here: the starting
    points and digit, how many points it takes, the examples per digit, and the largest k."""
    return {"defaults": DEFAULTS, "max_points": MAX_POINTS, "samples": SAMPLES, "k_max": K_MAX,
            "bounds": [-VIEW, VIEW, -VIEW, VIEW]}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="pca-panels"><div class="pca-panel">{_panel_html(state["points"])}</div>'
                    f'<div class="pca-panel">{_panel_html(state["digit"])}</div></div>'}


# One drag step of a point: what follows the pointer.
INTERACTION = ("points_view", {"points": [p if i != 4 else [-0.5, -1.6] for i, p in enumerate(DEFAULT_POINTS)],
                               "selected": 4})
