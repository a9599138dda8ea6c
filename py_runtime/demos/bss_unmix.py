"""`bss-unmix`: two sounds mixed by a matrix, and unmixed again by whitening + ICA.

Model. Two independent source signals s(t) = (s₁(t), s₂(t)), each with mean 0 and variance 1,
reach two microphones as

    x(t) = A · s(t)          A: the 2×2 mixing matrix the reader sets

Each sample (x₁, x₂) is a point. Bounded sources lie in a rectangle (half-widths √2 for a sine,
√3 for a sawtooth or uniform noise, 1 for a square wave: their ranges at variance 1), and fill
it when they are independent and each takes every value in its range; the mixtures lie in that rectangle mapped by A,
the parallelogram whose edges are A's columns.

Unmixing, in two steps (both pure Python, 2×2 algebra). Only the microphones are used.

1. Centring and whitening. With C = E[x xᵀ] = Q Λ Qᵀ (eigen-decomposition of the 2×2
   covariance), z = Λ^(-1/2) Qᵀ x has E[z zᵀ] = I. Since E[s sᵀ] = I, the matrix
   M = Λ^(-1/2) Qᵀ A has M Mᵀ = I: z = M s is the sources' rectangle turned (or mirrored),
   not a square unless both sources have the same range. Any rotation of z is still white,
   so decorrelation alone leaves one angle unknown ("why decorrelation is not enough").

2. ICA: the rotation. For independent zero-mean unit-variance sources,
   kurt(s₁ cos φ + s₂ sin φ) = cos⁴φ kurt(s₁) + sin⁴φ kurt(s₂), where kurt(y) = E[y⁴] − 3 (the
   cross term 6 cos²φ sin²φ of E[y⁴] is exactly a Gaussian's). Hence |kurt(y)| ≤
   (cos⁴φ + sin⁴φ) max |kurt(sᵢ)| ≤ max |kurt(sᵢ)|, reached only by y = ±sᵢ (if that max is not 0):
   no unit-variance mix is farther from Gaussian, in kurtosis, than its least Gaussian source
   (it can be farther than a more Gaussian one: sine and Gaussian noise at 45° give −0.375,
   the noise alone 0). So we maximise the contrast

       J(φ) = kurt(y₁)² + kurt(y₂)²,    y₁ = c z₁ + s z₂,  y₂ = −s z₁ + c z₂  (c = cos φ, s = sin φ)

   which is largest exactly where the outputs are the sources (if at most one source has
   kurtosis 0). E[y₁⁴] is a quartic form in (c, s) built from the five fourth moments
   m_pq = E[z₁^p z₂^q] (p + q = 4), computed once in O(n); then J at any angle costs O(1),
   so a fine grid over φ ∈ [0°, 90°) (J has period 90°: swapping or negating outputs does
   not change it) plus a golden-section refinement finds the global maximum robustly.

The unmixing matrix is W = R(φ) Λ^(-1/2) Qᵀ and ŝ = W x. ICA recovers the sources only up
to order, sign and scale (W·A is a scaled permutation, and any such is as independent).
For display only, each output is then matched to the true source it correlates with best,
its sign flipped to agree and its scale set to the source's: a step that needs the true
sources, which a blind method never has (`match_to_sources`).

Two Gaussian sources. Their white cloud is round, J is flat up to sampling noise, and every
rotation of z gives independent outputs, so ICA cannot separate them (with at most one
Gaussian source, Darmois–Skitovich leaves only the separating rotations). The warning is a test of Gaussianity with a threshold set by the sample size: the
five fourth-order cumulants of the white data, κ₄₀ = m₄₀ − 3, κ₃₁ = m₃₁, κ₂₂ = m₂₂ − 1,
κ₁₃ = m₁₃, κ₀₄ = m₀₄ − 3, are 0 for a Gaussian, and from n Gaussian samples, whitened by
their own covariance, they scatter around 0 nearly independently with variances about 24/n,
6/n, 4/n, 6/n, 24/n (the first is the familiar standard error √(24/n) of a kurtosis estimate;
without the whitening m₄₀ alone would scatter by 96/n). So the score

    n/24 · (κ₄₀² + 4κ₃₁² + 6κ₂₂² + 4κ₁₃² + κ₀₄²)

is, for Gaussian data, approximately chi-square with 5 degrees of freedom (mean 5). It is the
squared size of the whole fourth-cumulant tensor, so it does not depend on the rotation and
ICA's search for the best angle cannot inflate it. The demo warns when the score is below the
level that a chi-square with 5 degrees of freedom exceeds with probability GAUSSIAN_MISS.
At n = 2,000 real scores have a heavier tail than that chi-square (figures/bss.py measures it
at the 1 % point; a one-off run of 60,000 Gaussian pairs put 7 above the threshold), so a
Gaussian pair escapes the warning about once in ten thousand draws, not once in a million;
non-Gaussian pairs score far above it.
"""
from __future__ import annotations

import math
import operator
import random
from functools import lru_cache
from html import escape

from ..params import integer, number
from ._lib.svg import Figure, readouts_html

RATE = 8000                     # samples per second for the audio clips
DURATION = 1.5                  # seconds
N = int(RATE * DURATION)
ICA_SAMPLES = 2000              # ICA and the correlations use 2,000 instants drawn at random (seeded)
SCATTER_SAMPLES = 500           # the scatter plots show the first 500 of them
WINDOW = 200                    # samples shown in the waveform traces (25 ms)
FREQS = (331.0, 207.0)          # source 1 and source 2 tones (Hz): coprime, so never in lock-step
KINDS = {
    "sine": "sine wave",
    "square": "square wave",
    "sawtooth": "sawtooth wave",
    "noise": "uniform noise",
    "gaussian": "Gaussian noise",
}
NOISE_KINDS = ("noise", "gaussian")
# Each source has mean 0 and variance 1; this is how far it swings (Gaussian noise: unbounded).
HALF_RANGE = {"sine": math.sqrt(2), "square": 1.0, "sawtooth": math.sqrt(3), "noise": math.sqrt(3),
              "gaussian": math.inf}
DEFAULTS = {"source1": "sine", "source2": "sawtooth", "a11": 1.0, "a12": 0.8, "a21": 0.6, "a22": 1.0, "seed": 0}
MATRIX_KEYS = ("a11", "a12", "a21", "a22")
LIMIT = 2.0
MAX_SEED = 10**6
GAUSSIAN_MISS = 1e-6            # chi-square tail beyond the warning threshold (real Gaussian scores pass it more often)
SIGNALS = ("s1", "s2", "x1", "x2", "y1", "y2")
LABELS = {"s1": "source 1", "s2": "source 2", "x1": "microphone 1", "x2": "microphone 2",
          "y1": "recovered 1", "y2": "recovered 2"}


def _kind(value, default: str) -> str:
    return value if isinstance(value, str) and value in KINDS else default


def _clean(params: dict) -> dict:
    """Every value through params.number / params.integer: any input gives a valid setting."""
    out = {key: _kind(params.get(key), DEFAULTS[key]) for key in ("source1", "source2")}
    for key in MATRIX_KEYS:
        out[key] = round(number(params.get(key, DEFAULTS[key]), DEFAULTS[key], -LIMIT, LIMIT), 4) + 0.0
    out["seed"] = integer(params.get("seed", DEFAULTS["seed"]), DEFAULTS["seed"], 0, MAX_SEED)
    return out


# ---------------------------------------------------------------- signals

def waveform(kind: str, phase: float) -> float:
    """A periodic source at `phase` ∈ [0, 1), scaled to variance 1 over a period."""
    if kind == "sine":
        return math.sqrt(2) * math.sin(2 * math.pi * phase)
    if kind == "square":
        return 1.0 if phase < 0.5 else -1.0
    return math.sqrt(3) * (2.0 * phase - 1.0)               # sawtooth


@lru_cache(maxsize=16)
def source(kind: str, slot: int, seed: int = 0) -> tuple:
    """N samples of a source (mean 0, variance 1): a tone at FREQS[slot], or noise seeded by
    slot and seed (a tone does not depend on the seed)."""
    if kind in NOISE_KINDS:
        rng = random.Random(1000 + slot + 2 * seed)
        if kind == "noise":
            return tuple(rng.uniform(-math.sqrt(3), math.sqrt(3)) for _ in range(N))
        return tuple(rng.gauss(0.0, 1.0) for _ in range(N))
    f, phase0 = FREQS[slot], 0.1 + 0.37 * slot
    return tuple(waveform(kind, (f * i / RATE + phase0) % 1.0) for i in range(N))


def _source(kind: str, slot: int, seed: int) -> tuple:
    return source(kind, slot, seed if kind in NOISE_KINDS else 0)


def population_kurtosis(kind: str, points: int = 20000) -> float:
    """E[s⁴] − 3 of the unit-variance source itself (not of a finite sample), by quadrature:
    a periodic wave at a uniformly random phase; uniform noise has the sawtooth's values; the
    Gaussian by integrating t⁴ against its density over ±12 standard deviations."""
    if kind == "gaussian":
        step = 24.0 / points
        ts = [-12.0 + (i + 0.5) * step for i in range(points)]
        density = [math.exp(-t * t / 2) / math.sqrt(2 * math.pi) * step for t in ts]
        m2 = sum(t ** 2 * p for t, p in zip(ts, density))
        m4 = sum(t ** 4 * p for t, p in zip(ts, density))
    else:
        shape = "sawtooth" if kind == "noise" else kind
        values = [waveform(shape, (i + 0.5) / points) for i in range(points)]
        m2 = sum(v ** 2 for v in values) / points
        m4 = sum(v ** 4 for v in values) / points
    return m4 / (m2 * m2) - 3.0


def mixed_kurtosis(k1: float, k2: float, phi: float) -> float:
    """kurt(cos φ · s₁ + sin φ · s₂) for independent zero-mean unit-variance sources: the
    cross term 6c²s² of E[y⁴] is exactly a Gaussian's, so only c⁴ and s⁴ survive."""
    return math.cos(phi) ** 4 * k1 + math.sin(phi) ** 4 * k2


@lru_cache(maxsize=8)
def sample_indices(seed: int = 0) -> tuple:
    """A random subset of the clip's instants: periodic signals sampled at a regular stride
    would trace a sparse Lissajous lattice instead of filling their joint range."""
    return tuple(sorted(random.Random(7 + seed).sample(range(N), ICA_SAMPLES)))


def subsample(signal, seed: int = 0) -> list:
    return [signal[i] for i in sample_indices(seed)]


def mix(a, s1, s2):
    """x = A · s, sample by sample."""
    (a11, a12), (a21, a22) = a
    return [a11 * u + a12 * v for u, v in zip(s1, s2)], [a21 * u + a22 * v for u, v in zip(s1, s2)]


def _dot(a, b) -> float:
    """Σ aᵢbᵢ: math.sumprod where it exists (Python ≥ 3.12, as in the browser), else map/mul."""
    return _sumprod(a, b) if _sumprod else sum(map(operator.mul, a, b))


_sumprod = getattr(math, "sumprod", None)


def _mean(v) -> float:
    return sum(v) / len(v)


def _centre(v):
    m = _mean(v)
    return [x - m for x in v]


def correlation(u, v):
    """Pearson's r; 0 when either signal is constant."""
    du, dv = _centre(u), _centre(v)
    su, sv = math.sqrt(_dot(du, du)), math.sqrt(_dot(dv, dv))
    if su < 1e-12 or sv < 1e-12:
        return 0.0
    return _dot(du, dv) / (su * sv)


# ---------------------------------------------------------------- whitening and ICA

def covariance(x1, x2):
    """E[x xᵀ] of centred signals: variances on the diagonal, the covariance off it."""
    n = len(x1)
    c12 = _dot(x1, x2) / n
    return [[_dot(x1, x1) / n, c12], [c12, _dot(x2, x2) / n]]


def eigh2(c):
    """Eigenvalues (descending) and unit eigenvectors of a symmetric 2×2 matrix [[a, b], [b, d]].

    λ = (a + d)/2 ± √(((a − d)/2)² + b²); the eigenvector of λ is along (b, λ − a), or an axis
    when b = 0."""
    a, b, d = c[0][0], c[0][1], c[1][1]
    mid, rad = (a + d) / 2, math.hypot((a - d) / 2, b)
    values = [mid + rad, mid - rad]
    if abs(b) > 1e-15 * max(1.0, abs(a), abs(d)):
        v = (b, values[0] - a)
        n = math.hypot(*v)
        e1 = (v[0] / n, v[1] / n)
    else:
        e1 = (1.0, 0.0) if a >= d else (0.0, 1.0)
    e2 = (-e1[1], e1[0])
    return values, [e1, e2]


def whitening(x1, x2):
    """V = Λ^(-1/2) Qᵀ for centred x, or None when the covariance is (nearly) singular."""
    values, (e1, e2) = eigh2(covariance(x1, x2))
    if values[0] <= 1e-12 or values[1] <= 1e-9 * values[0]:
        return None, values
    r1, r2 = 1 / math.sqrt(values[0]), 1 / math.sqrt(values[1])
    return [[r1 * e1[0], r1 * e1[1]], [r2 * e2[0], r2 * e2[1]]], values


def fourth_moments(z1, z2):
    """m_pq = E[z₁^p z₂^q] for p + q = 4, as [m40, m31, m22, m13, m04]."""
    m = [0.0] * 5
    for u, v in zip(z1, z2):
        uu, vv = u * u, v * v
        m[0] += uu * uu
        m[1] += uu * u * v
        m[2] += uu * vv
        m[3] += u * v * vv
        m[4] += vv * vv
    n = len(z1)
    return [x / n for x in m]


def kurtoses(m, phi: float):
    """Excess kurtosis of y₁ = c z₁ + s z₂ and y₂ = −s z₁ + c z₂ for white z, from its 4th moments."""
    c, s = math.cos(phi), math.sin(phi)
    m40, m31, m22, m13, m04 = m
    e1 = c**4 * m40 + 4 * c**3 * s * m31 + 6 * c * c * s * s * m22 + 4 * c * s**3 * m13 + s**4 * m04
    e2 = s**4 * m40 - 4 * s**3 * c * m31 + 6 * c * c * s * s * m22 - 4 * s * c**3 * m13 + c**4 * m04
    return e1 - 3.0, e2 - 3.0


def contrast(m, phi: float) -> float:
    k1, k2 = kurtoses(m, phi)
    return k1 * k1 + k2 * k2


def ica_angle(m, steps: int = 180) -> float:
    """The rotation φ ∈ [0, π/2) that maximises J: a grid, then golden-section search around the best."""
    grid = [(contrast(m, i * (math.pi / 2) / steps), i) for i in range(steps)]
    _, best = max(grid)
    h = (math.pi / 2) / steps
    lo, hi = (best - 1) * h, (best + 1) * h
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = contrast(m, a), contrast(m, b)
    for _ in range(40):
        if fa < fb:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = contrast(m, b)
        else:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = contrast(m, a)
    return ((lo + hi) / 2) % (math.pi / 2)


# ---------------------------------------------------------------- is there anything to find?

def cumulant_score(m, n: int) -> float:
    """n/24 · (κ₄₀² + 4κ₃₁² + 6κ₂₂² + 4κ₁₃² + κ₀₄²) for white data: each fourth-order cumulant
    squared over its variance for Gaussian data (24/n, 6/n, 4/n, 6/n, 24/n), so approximately
    chi-square with 5 degrees of freedom when the sources are Gaussian, whatever the rotation."""
    m40, m31, m22, m13, m04 = m
    k40, k31, k22, k13, k04 = m40 - 3.0, m31, m22 - 1.0, m13, m04 - 3.0
    return n / 24 * (k40 ** 2 + 4 * k31 ** 2 + 6 * k22 ** 2 + 4 * k13 ** 2 + k04 ** 2)


def chi2_5_tail(x: float) -> float:
    """P(χ²₅ > x) in closed form (odd degrees of freedom): erfc(√(x/2)) + √(2x/π) e^(−x/2) (1 + x/3)."""
    if x <= 0:
        return 1.0
    return math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2) * (1 + x / 3)


def chi2_5_quantile(tail: float) -> float:
    """The x with P(χ²₅ > x) = tail, by bisection (the tail falls monotonically)."""
    lo, hi = 0.0, 500.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if chi2_5_tail(mid) > tail else (lo, mid)
    return (lo + hi) / 2


WARNING_SCORE = chi2_5_quantile(GAUSSIAN_MISS)


def looks_gaussian(score: float) -> bool:
    """True when the white cloud's fourth-order statistics are within sampling noise of a Gaussian's."""
    return score < WARNING_SCORE


# ---------------------------------------------------------------- the blind part, then the display

def _apply(w, x1, x2):
    return [w[0][0] * u + w[0][1] * v for u, v in zip(x1, x2)], [w[1][0] * u + w[1][1] * v for u, v in zip(x1, x2)]


def _matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


def blind_unmix(x1, x2) -> dict:
    """Whitening, then the ICA rotation, from the microphones alone."""
    mean = (_mean(x1), _mean(x2))
    xc1, xc2 = [v - mean[0] for v in x1], [v - mean[1] for v in x2]
    v, eigenvalues = whitening(xc1, xc2)
    out = {"mean": mean, "eigenvalues": eigenvalues, "V": v, "singular": v is None}
    if v is None:
        return out
    z1, z2 = _apply(v, xc1, xc2)
    m = fourth_moments(z1, z2)
    phi = ica_angle(m)
    c, s = math.cos(phi), math.sin(phi)
    w = _matmul([[c, s], [-s, c]], v)
    score = cumulant_score(m, len(z1))
    out.update({"z": (z1, z2), "phi": phi, "W": w, "kurtosis": list(kurtoses(m, phi)), "score": score,
                "flat": looks_gaussian(score), "outputs": _apply(w, xc1, xc2)})
    return out


def match_to_sources(w, outputs, s1, s2) -> dict:
    """NOT blind, for display only: order, sign and scale of ICA's outputs set from the true
    sources (each output goes to the source it correlates with best)."""
    r = [[correlation(y, src) for src in (s1, s2)] for y in outputs]
    swap = abs(r[0][1]) + abs(r[1][0]) > abs(r[0][0]) + abs(r[1][1])
    order = (1, 0) if swap else (0, 1)               # order[j]: which output matches source j
    signs = [1.0 if r[order[j]][j] >= 0 else -1.0 for j in (0, 1)]
    scales = [math.sqrt(sum(t * t for t in _centre(src)) / len(src)) for src in (s1, s2)]
    matched = [[signs[j] * scales[j] * w[order[j]][k] for k in (0, 1)] for j in (0, 1)]
    return {"matched": matched, "swap": swap, "signs": signs, "r_rec": [abs(r[order[j]][j]) for j in (0, 1)]}


@lru_cache(maxsize=32)
def separate(kind1: str, kind2: str, a11: float, a12: float, a21: float, a22: float, seed: int = 0) -> dict:
    """Everything the view and the audio clips need, for one setting (cached)."""
    a = [[a11, a12], [a21, a22]]
    s1 = subsample(_source(kind1, 0, seed), seed)
    s2 = subsample(_source(kind2, 1, seed), seed)
    x1, x2 = mix(a, s1, s2)
    out = blind_unmix(x1, x2)
    out.update({"A": a, "r_mix": [[correlation(x, s) for s in (s1, s2)] for x in (x1, x2)]})
    if out["singular"]:
        return out
    out.update(match_to_sources(out["W"], out.pop("outputs"), s1, s2))
    out["WA"] = _matmul(out["W"], a)
    return out


def _key(p):
    return (p["source1"], p["source2"]) + tuple(p[k] for k in MATRIX_KEYS) + (p["seed"],)


# ---------------------------------------------------------------- figures

PANEL = 220


def _scatter(title: str, xs, ys, arrows=(), lines=(), outline=None) -> dict:
    reach = max([max(abs(v) for v in xs), max(abs(v) for v in ys), 1e-6] +
                [max(abs(px), abs(py)) for px, py, _ in arrows]) * 1.12
    fig = Figure(-reach, reach, -reach, reach, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-reach, 0, reach, 0, "axis").line(0, -reach, 0, reach, "axis")
    if outline:
        fig.polyline(outline, "outline", closed=True)
    for (dx, dy) in lines:
        fig.line(-reach * dx * 2, -reach * dy * 2, reach * dx * 2, reach * dy * 2, "ica-axis")
    fig.raw(f'<path d="{_dots(fig, xs, ys)}" class="dots"/>')
    for px, py, label in arrows:
        fig.arrow(0, 0, px, py, "column", head_px=7)
        fig.text(px, py, label, "label", dx=4, dy=-4)
    return {"title": title, "svg": fig.to_svg()}


def source_outline(kind1: str, kind2: str):
    """The rectangle two bounded unit-variance sources fill; None when either is Gaussian."""
    h1, h2 = HALF_RANGE[kind1], HALF_RANGE[kind2]
    if math.isinf(h1) or math.isinf(h2):
        return None
    return [(-h1, -h2), (h1, -h2), (h1, h2), (-h1, h2)]


def _scales(fig: Figure):
    return fig.width / (fig.xmax - fig.xmin), fig.height / (fig.ymax - fig.ymin)


def _dots(fig: Figure, xs, ys) -> str:
    """Points as one SVG path of zero-length round-capped strokes (what Figure.px does, but
    formatted in one go: hundreds of points on every slider move)."""
    sx, sy = _scales(fig)
    x0, y1 = fig.xmin, fig.ymax
    return "".join("M%.1f %.1fh0" % ((x - x0) * sx, (y1 - y) * sy) for x, y in zip(xs, ys))


def _trace(values, cls: str, label: str) -> str:
    peak = max(max(abs(v) for v in values), 1e-9)
    fig = Figure(0, len(values) - 1, -1.15, 1.15, width=360, css_class=f"plot bss-trace {cls}", title=label)
    fig.height = 44                                     # a flat strip: not to scale in y
    fig.line(0, 0, len(values) - 1, 0, "axis")
    sx, sy = _scales(fig)
    points = " ".join("%.1f,%.1f" % (i * sx, (fig.ymax - v / peak) * sy) for i, v in enumerate(values))
    fig.raw(f'<polyline points="{points}" class="wave"/>')
    return fig.to_svg()


def _matrix(m, digits=2) -> str:
    return "[[" + ", ".join(f"{v:.{digits}f}" for v in m[0]) + "], [" + ", ".join(f"{v:.{digits}f}" for v in m[1]) + "]]"


def signed(value: float, digits: int = 2) -> str:
    """A number with a real minus sign (−), as the prose writes it."""
    text = f"{value:.{digits}f}"
    return text.replace("-", "−") if value < 0 and text.strip("-0.") else text.lstrip("-")


def view(**params) -> dict:
    p = _clean(params)
    sep = separate(*_key(p))
    a = sep["A"]
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    k, seed = SCATTER_SAMPLES, p["seed"]
    s1 = subsample(_source(p["source1"], 0, seed), seed)[:k]
    s2 = subsample(_source(p["source2"], 1, seed), seed)[:k]
    x1, x2 = mix(a, s1, s2)
    panels = [_scatter("Sources s", s1, s2, outline=source_outline(p["source1"], p["source2"])),
              _scatter("Microphones x = A·s", x1, x2,
                       arrows=[(a[0][0], a[1][0], "A·e₁"), (a[0][1], a[1][1], "A·e₂")])]
    full = {"s1": _source(p["source1"], 0, seed)[:WINDOW], "s2": _source(p["source2"], 1, seed)[:WINDOW]}
    full["x1"], full["x2"] = mix(a, full["s1"], full["s2"])
    if sep["singular"]:
        panels += [_empty("Whitened z", "A is singular: no whitening"), _empty("Recovered ŝ", "nothing to recover")]
        full["y1"] = full["y2"] = [0.0] * WINDOW
    else:
        z1, z2 = sep["z"]
        phi = sep["phi"]
        ica_dirs = [(math.cos(phi), math.sin(phi)), (-math.sin(phi), math.cos(phi))]
        panels.append(_scatter("Whitened z (ICA axes dashed)", z1[:k], z2[:k], lines=ica_dirs))
        mt, mean = sep["matched"], sep["mean"]
        y1, y2 = _apply(mt, [v - mean[0] for v in x1], [v - mean[1] for v in x2])
        panels.append(_scatter("Recovered ŝ (matched to s)", y1, y2))
        full["y1"], full["y2"] = _apply(mt, [v - mean[0] for v in full["x1"]], [v - mean[1] for v in full["x2"]])
    traces = {key: _trace(full[key], "trace-" + key[0], LABELS[key]) for key in SIGNALS}
    r_mix = [max(abs(r) for r in row) for row in sep["r_mix"]]
    return {"panels": panels, "traces": traces, "readouts": readouts_html(_readouts(p, sep, det, r_mix)),
            "params": p, "singular": sep["singular"], "r_rec": sep.get("r_rec"), "r_mix": r_mix,
            "score": sep.get("score"), "warning": bool(sep.get("flat")), "labels": LABELS, "kinds": KINDS}


def _readouts(p, sep, det, r_mix) -> dict:
    a = sep["A"]
    readouts = {
        "mixing matrix A": f"{_matrix(a)}, det A = {det:.2f}".replace("-", "−"),
        "|r| mixtures ↔ sources": f"{r_mix[0]:.3f}, {r_mix[1]:.3f}",
        "samples": f"{ICA_SAMPLES:,} random instants (draw {p['seed']})",
    }
    if sep["singular"]:
        readouts["unmixing"] = ("impossible: A is singular (det A ≈ 0), so both microphones record the same "
                                "mix and one dimension of the sources is lost")
        return readouts
    ev, ku = sep["eigenvalues"], sep["kurtosis"]
    readouts["whitening"] = f"covariance eigenvalues {ev[0]:.3f}, {ev[1]:.3f} → both scaled to 1"
    readouts["ICA rotation"] = (f"φ = {math.degrees(sep['phi']):.1f}°, output kurtosis "
                                f"{signed(ku[0])}, {signed(ku[1])} (Gaussian: 0)")
    readouts["non-Gaussianity score"] = f"{sep['score']:.1f} (warning below {WARNING_SCORE:.1f}; Gaussian: about 5)"
    readouts["|r| recovered ↔ sources"] = f"{sep['r_rec'][0]:.3f}, {sep['r_rec'][1]:.3f}"
    notes = ["outputs swapped"] if sep["swap"] else []
    flips = [str(j + 1) for j in (0, 1) if sep["signs"][j] < 0]
    if flips:
        notes.append("source " + " and ".join(flips) + " upside down")
    what = ", ".join(notes) if notes else "order and sign happened to match"
    readouts["up to order, sign, scale"] = f"{what}; matched to the true sources for display, which a blind method cannot do"
    if sep["flat"]:
        readouts["warning"] = (f"the whitened cloud is as Gaussian as {ICA_SAMPLES:,} samples can tell (score "
                               f"below {WARNING_SCORE:.1f}): every rotation looks alike, so ICA cannot find the "
                               f"sources (it needs at most one Gaussian source)")
    return readouts


def _empty(title: str, message: str) -> dict:
    fig = Figure(-1, 1, -1, 1, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-1, 0, 1, 0, "axis").line(0, -1, 0, 1, "axis")
    fig.text(0, 0.1, message, "label", anchor="middle")
    return {"title": title, "svg": fig.to_svg()}


def clip(which: str = "x1", **params) -> dict:
    """One signal as a playable clip: RATE samples a second, peak 0.8, 10 ms fades; empty if none."""
    p = _clean(params)
    which = which if isinstance(which, str) and which in SIGNALS else "x1"
    seed = p["seed"]
    if which in ("s1", "s2"):
        values = list(_source(p["source" + which[1]], int(which[1]) - 1, seed))
    else:
        a = [[p["a11"], p["a12"]], [p["a21"], p["a22"]]]
        x1, x2 = mix(a, _source(p["source1"], 0, seed), _source(p["source2"], 1, seed))
        if which[0] == "x":
            values = x1 if which == "x1" else x2
        else:
            sep = separate(*_key(p))
            if sep["singular"]:
                return {"rate": RATE, "samples": [], "label": LABELS[which],
                        "note": "Nothing to play: a singular mixing matrix cannot be undone."}
            row = sep["matched"][int(which[1]) - 1]
            m0, m1 = sep["mean"]
            values = [row[0] * (u - m0) + row[1] * (v - m1) for u, v in zip(x1, x2)]
    peak = max(max(abs(v) for v in values), 1e-12)
    if peak < 1e-9:
        return {"rate": RATE, "samples": [], "label": LABELS[which], "note": "Nothing to play: this signal is silent."}
    fade = RATE // 100
    gain = 0.8 / peak
    samples = []
    for i, v in enumerate(values):
        envelope = min(1.0, i / fade, (len(values) - 1 - i) / fade)
        samples.append(round(v * gain * envelope, 4))
    return {"rate": RATE, "samples": samples, "label": LABELS[which], "note": ""}


INTERACTION = ("view", {"source1": "sine", "source2": "sawtooth", "a11": 0.9, "a12": -0.7, "a21": 0.5, "a22": 1.1})


def prerender() -> dict:
    s = view(**DEFAULTS)
    return {"html": static_html(s)}


def panel_html(panel) -> str:
    return (f'<div class="bss-panel-box">{panel["svg"]}'
            f'<div class="bss-panel-caption">{escape(panel["title"])}</div></div>')


def static_html(s) -> str:
    """The first state as HTML: the four scatter panels, the six traces, the readouts."""
    panels = "".join(panel_html(panel) for panel in s["panels"])
    groups = (("Sources", ("s1", "s2")), ("Microphones (the mixtures)", ("x1", "x2")), ("Recovered by ICA", ("y1", "y2")))
    rows = "".join(
        f'<div class="bss-group"><p class="bss-group-title">{title}</p>' + "".join(
            f'<div class="bss-row"><button type="button" class="secondary bss-play" disabled '
            f'aria-label="Play {LABELS[k]} (once Python has started)">▶</button><div class="bss-wavebox">'
            f'<span class="bss-row-label">{LABELS[k]}</span><div class="bss-wave">{s["traces"][k]}</div></div></div>'
            for k in keys)
        + "</div>" for title, keys in groups)
    return (f'<div class="bss-panels">{panels}</div><div class="bss-traces">{rows}</div>{s["readouts"]}')
