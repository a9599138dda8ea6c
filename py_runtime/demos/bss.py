"""`bss-unmix`: two sounds mixed by a matrix, and unmixed again by whitening + ICA.

Model. Two independent source signals s(t) = (s₁(t), s₂(t)) reach two microphones as

    x(t) = A · s(t)          A: the 2×2 mixing matrix the reader sets

Each sample (x₁, x₂) is a point; the sources fill a square-ish region, the mixtures fill
that region pushed through A: the slanted parallelogram whose edges are A's columns.

Unmixing, in two steps (both pure Python, 2×2 algebra):

1. Centring and whitening. With C = E[x xᵀ] = E D Eᵀ (eigen-decomposition of the 2×2
   covariance), z = D^(-1/2) Eᵀ x has E[z zᵀ] = I: the parallelogram becomes a square
   again. But any rotation of z is still white, so decorrelation alone leaves one angle
   unknown ("why decorrelation is not enough").

2. ICA: the rotation. For y = R(φ) z, independence is found by making the outputs as
   non-Gaussian as possible (central limit theorem: a mix of independent signals is more
   Gaussian than either). FastICA with the cube nonlinearity g(u) = u³ converges to the
   extrema of the kurtosis kurt(y) = E[y⁴] − 3 (zero for a Gaussian). In 2-D we need not
   iterate: we maximise the contrast

       J(φ) = kurt(y₁)² + kurt(y₂)²,    y₁ = c z₁ + s z₂,  y₂ = −s z₁ + c z₂  (c = cos φ, s = sin φ)

   directly. E[y₁⁴] is a quartic form in (c, s) built from the five fourth moments
   m_pq = E[z₁^p z₂^q] (p + q = 4), computed once in O(n); then J at any angle costs O(1),
   so a fine grid over φ ∈ [0°, 90°) (J has period 90°: swapping or negating outputs does
   not change it) plus a golden-section refinement finds the global maximum robustly.

The unmixing matrix is W = R(φ) D^(-1/2) Eᵀ and ŝ = W x. ICA recovers the sources only up
to order, sign and scale (W·A is a scaled permutation, and any such is as independent),
so for display each output is matched to the true source it correlates with best, its
sign flipped to agree and its scale set to the source's.

If both sources are Gaussian every rotation is equally good: J is flat and ICA cannot
separate them (at most one Gaussian source is allowed).
"""
from __future__ import annotations

import math
import operator
import random
from functools import lru_cache
from html import escape

from .svg import Figure, readouts_html

RATE = 8000                     # samples per second for the audio clips
DURATION = 1.5                  # seconds
N = int(RATE * DURATION)
ICA_SAMPLES = 2000              # ICA and the correlations use 2,000 samples drawn at random (fixed seed)
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
DEFAULTS = {"source1": "sine", "source2": "sawtooth", "a11": 1.0, "a12": 0.8, "a21": 0.6, "a22": 1.0}
MATRIX_KEYS = ("a11", "a12", "a21", "a22")
LIMIT = 2.0
SIGNALS = ("s1", "s2", "x1", "x2", "y1", "y2")
LABELS = {"s1": "source 1", "s2": "source 2", "x1": "microphone 1", "x2": "microphone 2",
          "y1": "recovered 1", "y2": "recovered 2"}


def _clean(params: dict) -> dict:
    out = {}
    for key in ("source1", "source2"):
        value = params.get(key, DEFAULTS[key])
        out[key] = value if isinstance(value, str) and value in KINDS else DEFAULTS[key]
    for key in MATRIX_KEYS:
        value = params.get(key, DEFAULTS[key])
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = DEFAULTS[key]
        if not math.isfinite(value):
            value = DEFAULTS[key]
        out[key] = round(min(max(value, -LIMIT), LIMIT), 4) + 0.0
    return out


# ---------------------------------------------------------------- signals

@lru_cache(maxsize=None)
def source(kind: str, slot: int) -> tuple:
    """N samples of a source in [-1, 1]: a tone at FREQS[slot], or noise seeded by the slot."""
    f = FREQS[slot]
    if kind in ("noise", "gaussian"):
        rng = random.Random(1000 + slot)
        if kind == "noise":
            return tuple(rng.uniform(-1.0, 1.0) for _ in range(N))
        return tuple(max(-1.0, min(1.0, rng.gauss(0.0, 0.3))) for _ in range(N))
    phase0 = 0.1 + 0.37 * slot
    out = []
    for i in range(N):
        phase = (f * i / RATE + phase0) % 1.0
        if kind == "sine":
            v = math.sin(2 * math.pi * phase)
        elif kind == "square":
            v = 1.0 if phase < 0.5 else -1.0
        else:                                            # sawtooth
            v = 2.0 * phase - 1.0
        out.append(v)
    return tuple(out)


@lru_cache(maxsize=1)
def sample_indices() -> tuple:
    """A fixed random subset of the clip's samples: periodic signals sampled at a regular
    stride would trace a sparse Lissajous lattice instead of filling their joint range."""
    return tuple(sorted(random.Random(7).sample(range(N), ICA_SAMPLES)))


def subsample(signal) -> list:
    return [signal[i] for i in sample_indices()]


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
    """V = D^(-1/2) Eᵀ for centred x, or None when the covariance is (nearly) singular."""
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


def _apply(w, x1, x2):
    return [w[0][0] * u + w[0][1] * v for u, v in zip(x1, x2)], [w[1][0] * u + w[1][1] * v for u, v in zip(x1, x2)]


def _matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


@lru_cache(maxsize=32)
def separate(kind1: str, kind2: str, a11: float, a12: float, a21: float, a22: float) -> dict:
    """Everything the view and the audio clips need, for one setting (cached)."""
    a = [[a11, a12], [a21, a22]]
    s1 = subsample(source(kind1, 0))
    s2 = subsample(source(kind2, 1))
    x1, x2 = mix(a, s1, s2)
    mean = (_mean(x1), _mean(x2))
    xc1, xc2 = [v - mean[0] for v in x1], [v - mean[1] for v in x2]
    v, eigenvalues = whitening(xc1, xc2)
    out = {"A": a, "mean": mean, "eigenvalues": eigenvalues, "V": v, "singular": v is None,
           "r_mix": [[correlation(x, s) for s in (s1, s2)] for x in (x1, x2)]}
    if v is None:
        return out
    z1, z2 = _apply(v, xc1, xc2)
    m = fourth_moments(z1, z2)
    phi = ica_angle(m)
    c, s = math.cos(phi), math.sin(phi)
    rot = [[c, s], [-s, c]]
    w = _matmul(rot, v)
    y1, y2 = _apply(w, xc1, xc2)
    r = [[correlation(y, src) for src in (s1, s2)] for y in (y1, y2)]
    swap = abs(r[0][1]) + abs(r[1][0]) > abs(r[0][0]) + abs(r[1][1])
    order = (1, 0) if swap else (0, 1)               # order[j]: which output matches source j
    signs = [1.0 if r[order[j]][j] >= 0 else -1.0 for j in (0, 1)]
    scales = [math.sqrt(sum(t * t for t in _centre(src)) / len(src)) for src in (s1, s2)]
    # the matched unmixing rows: output j is source j's estimate, with its sign and scale
    matched = [[signs[j] * scales[j] * w[order[j]][k] for k in (0, 1)] for j in (0, 1)]
    out.update({"phi": phi, "W": w, "matched": matched, "swap": swap, "signs": signs, "z": (z1, z2),
                "kurtosis": list(kurtoses(m, phi)), "r_rec": [abs(r[order[j]][j]) for j in (0, 1)],
                "flat": max(abs(k) for k in kurtoses(m, phi)) < 0.15,
                "WA": _matmul(w, a)})
    return out


def _key(p):
    return (p["source1"], p["source2"]) + tuple(p[k] for k in MATRIX_KEYS)


# ---------------------------------------------------------------- figures

PANEL = 220


def _scatter(title: str, xs, ys, arrows=(), lines=(), square=None) -> str:
    reach = max([max(abs(v) for v in xs), max(abs(v) for v in ys), 1e-6] +
                [max(abs(px), abs(py)) for px, py, _ in arrows]) * 1.12
    fig = Figure(-reach, reach, -reach, reach, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-reach, 0, reach, 0, "axis").line(0, -reach, 0, reach, "axis")
    if square:
        fig.polyline(square, "outline", closed=True)
    for (dx, dy) in lines:
        fig.line(-reach * dx * 2, -reach * dy * 2, reach * dx * 2, reach * dy * 2, "ica-axis")
    fig.raw(f'<path d="{_dots(fig, xs, ys)}" class="dots"/>')
    for px, py, label in arrows:
        fig.arrow(0, 0, px, py, "column", head_px=7)
        fig.text(px, py, label, "label", dx=4, dy=-4)
    return {"title": title, "svg": fig.to_svg()}


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


def view(**params) -> dict:
    p = _clean(params)
    sep = separate(*_key(p))
    a = sep["A"]
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    k = SCATTER_SAMPLES
    s1 = subsample(source(p["source1"], 0))[:k]
    s2 = subsample(source(p["source2"], 1))[:k]
    x1, x2 = mix(a, s1, s2)
    panels = [_scatter("Sources s", s1, s2,
                       square=[(-1, -1), (1, -1), (1, 1), (-1, 1)]),
              _scatter("Microphones x = A·s", x1, x2,
                       arrows=[(a[0][0], a[1][0], "A·e₁"), (a[0][1], a[1][1], "A·e₂")])]
    full = {"s1": source(p["source1"], 0)[:WINDOW], "s2": source(p["source2"], 1)[:WINDOW]}
    full["x1"], full["x2"] = mix(a, full["s1"], full["s2"])
    if sep["singular"]:
        panels += [_empty("Whitened z", "A is singular: no whitening"), _empty("Recovered ŝ", "nothing to recover")]
        full["y1"] = full["y2"] = [0.0] * WINDOW
    else:
        z1, z2 = sep["z"]
        phi = sep["phi"]
        ica_dirs = [(math.cos(phi), math.sin(phi)), (-math.sin(phi), math.cos(phi))]
        panels.append(_scatter("Whitened z (ICA axes dashed)", z1[:k], z2[:k], lines=ica_dirs))
        mt = sep["matched"]
        y1, y2 = _apply(mt, [v - sep["mean"][0] for v in x1], [v - sep["mean"][1] for v in x2])
        panels.append(_scatter("Recovered ŝ", y1, y2))
        mean = sep["mean"]
        full["y1"], full["y2"] = _apply(mt, [v - mean[0] for v in full["x1"]], [v - mean[1] for v in full["x2"]])
    traces = {key: _trace(full[key], "trace-" + key[0], LABELS[key]) for key in SIGNALS}

    r_mix = [max(abs(r) for r in row) for row in sep["r_mix"]]
    readouts = {
        "mixing matrix A": f"{_matrix(a)}, det A = {det:.2f}",
        "microphones": f"x₁ = {a[0][0]:.2f}·s₁ + {a[0][1]:.2f}·s₂, x₂ = {a[1][0]:.2f}·s₁ + {a[1][1]:.2f}·s₂",
        "|r| mixtures ↔ sources": f"{r_mix[0]:.3f}, {r_mix[1]:.3f} (best match of each microphone)",
    }
    if sep["singular"]:
        readouts["unmixing"] = ("impossible: A is singular (det A ≈ 0), so both microphones record the same "
                                "mix and one dimension of the sources is lost")
    else:
        ev = sep["eigenvalues"]
        readouts["whitening"] = f"covariance eigenvalues {ev[0]:.3f}, {ev[1]:.3f} → both scaled to 1"
        readouts["ICA rotation"] = (f"φ = {math.degrees(sep['phi']):.1f}°, output kurtosis "
                                    f"{sep['kurtosis'][0]:.2f}, {sep['kurtosis'][1]:.2f} (Gaussian: 0)")
        readouts["|r| recovered ↔ sources"] = f"{sep['r_rec'][0]:.3f}, {sep['r_rec'][1]:.3f}"
        notes = []
        if sep["swap"]:
            notes.append("the outputs came out in swapped order")
        flips = [str(j + 1) for j in (0, 1) if sep["signs"][j] < 0]
        if flips:
            notes.append("source " + " and ".join(flips) + " came out upside down")
        what = "; ".join(notes) if notes else "here order and sign happened to match"
        readouts["up to order, sign, scale"] = (f"ICA cannot tell which source is which, nor their sign or "
                                                f"loudness: {what}; matched to the true sources for display")
        if sep["flat"]:
            readouts["warning"] = ("the outputs are nearly Gaussian: every rotation looks alike, so ICA "
                                   "cannot find the sources (at most one may be Gaussian)")
    return {"panels": panels, "traces": traces, "readouts": readouts_html(readouts), "params": p,
            "singular": sep["singular"], "r_rec": sep.get("r_rec"), "r_mix": r_mix,
            "labels": LABELS, "kinds": KINDS}


def _empty(title: str, message: str) -> str:
    fig = Figure(-1, 1, -1, 1, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-1, 0, 1, 0, "axis").line(0, -1, 0, 1, "axis")
    fig.text(0, 0.1, message, "label", anchor="middle")
    return {"title": title, "svg": fig.to_svg()}


def clip(which: str = "x1", **params) -> dict:
    """One signal as a playable clip: RATE samples a second, peak 0.8, 10 ms fades; empty if none."""
    p = _clean(params)
    which = which if isinstance(which, str) and which in SIGNALS else "x1"
    if which in ("s1", "s2"):
        values = list(source(p["source" + which[1]], int(which[1]) - 1))
    else:
        a = [[p["a11"], p["a12"]], [p["a21"], p["a22"]]]
        x1, x2 = mix(a, source(p["source1"], 0), source(p["source2"], 1))
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
        f'<div class="bss-group"><h4>{title}</h4>' + "".join(
            f'<div class="bss-row"><button type="button" class="secondary bss-play" disabled '
            f'aria-label="Play {LABELS[k]} (once Python has started)">▶</button><div class="bss-wavebox">'
            f'<span class="bss-row-label">{LABELS[k]}</span><div class="bss-wave">{s["traces"][k]}</div></div></div>'
            for k in keys)
        + "</div>" for title, keys in groups)
    return (f'<div class="bss-panels">{panels}</div><div class="bss-traces">{rows}</div>{s["readouts"]}')
