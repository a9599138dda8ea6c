"""`bss-unmix`: two sounds mixed by a matrix, and unmixed again by whitening + ICA.

Model. Two independent source signals s(t) = (s₁(t), s₂(t)), each with mean 0 and variance 1,
reach two microphones as

    x(t) = A · s(t)          A: the 2×2 mixing matrix the reader sets

Each sample (x₁, x₂) is a point. Bounded sources lie in a rectangle (half-widths √2 for a sine,
√3 for a sawtooth or uniform noise, 1 for a square wave: their ranges at variance 1), and fill
it when they are independent and each takes every value in its range; the mixtures lie in that rectangle mapped by A,
the parallelogram whose edges are A's columns.

Unmixing, from the microphones only, in two steps (_lib/ica.py derives them): centring and
whitening, z = Λ^(-1/2) Qᵀ x with C = E[x xᵀ] = Q Λ Qᵀ, which leaves the sources' rectangle
turned by an unknown angle; then ICA, the rotation φ that makes the outputs' kurtoses largest,
J(φ) = kurt(y₁)² + kurt(y₂)², found from the white data's five fourth moments.

The unmixing matrix is W = R(φ) Λ^(-1/2) Qᵀ and ŝ = W x. ICA recovers the sources only up
to order, sign and scale (W·A is a scaled permutation, and any such is as independent).
For display only, each output is then matched to the true source it correlates with best,
its sign flipped to agree and its scale set to the source's: a step that needs the true
sources, which a blind method never has (`match_to_sources`).

Two Gaussian sources. Their white cloud is round, J is flat up to sampling noise, and every
rotation of z gives independent outputs, so ICA cannot separate them. The warning tests
Gaussianity with a threshold set by the sample size: the score n/24 · (κ₄₀² + 4κ₃₁² + 6κ₂₂² +
4κ₁₃² + κ₀₄²) of the white data's fourth-order cumulants, approximately chi-square with 5
degrees of freedom (mean 5) for Gaussian data whatever the rotation (_lib/ica.cumulant_score).
The demo warns when the score is below the level that a chi-square with 5 degrees of freedom
exceeds with probability GAUSSIAN_MISS. At n = 2,000 real scores have a heavier tail than that chi-square (figures/bss.py measures it
at the 1 % point; a one-off run of 60,000 Gaussian pairs put 7 above the threshold), so a
Gaussian pair escapes the warning about once in ten thousand draws, not once in a million;
non-Gaussian pairs score far above it.
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

from ..backend import sumprod
from ..params import choice, integer, number
from ._lib.bss_unmix_draw import empty, scatter, static_html, trace
from ._lib.ica import (chi2_5_quantile, chi2_5_tail, cumulant_score, fourth_moments, ica_angle, kurtoses,
                       whitening)
from ._lib.linalg2 import apply, correlation, eigh2, matmul
from ._lib.svg import readouts_html

# The math comes from _lib; tests/test_demo_bss.py and figures/bss.py read some of it here.
__all__ = ["DEFAULTS", "GAUSSIAN_MISS", "ICA_SAMPLES", "KINDS", "WARNING_SCORE", "blind_unmix", "chi2_5_quantile",
           "chi2_5_tail", "clip", "cumulant_score", "eigh2", "fourth_moments", "mix", "mixed_kurtosis",
           "population_kurtosis", "prerender", "separate", "source", "subsample", "view"]

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


def _clean(params: dict) -> dict:
    """Every value through py_runtime.params (choice, number, integer): any input gives a valid setting."""
    out = {key: choice(params.get(key), KINDS, DEFAULTS[key]) for key in ("source1", "source2")}
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


mix = apply                     # x = A · s, sample by sample: mix(a, s1, s2) -> (x1, x2)


def _mean(v) -> float:
    return sum(v) / len(v)


def _centre(v):
    m = _mean(v)
    return [x - m for x in v]


def _r(u, v) -> float:
    """Pearson's r; 0 when either signal is constant (a microphone that hears nothing)."""
    return correlation(u, v) or 0.0


# ---------------------------------------------------------------- is there anything to find?

WARNING_SCORE = chi2_5_quantile(GAUSSIAN_MISS)


def looks_gaussian(score: float) -> bool:
    """True when the white cloud's fourth-order statistics are within sampling noise of a Gaussian's."""
    return score < WARNING_SCORE


# ---------------------------------------------------------------- the blind part, then the display

def blind_unmix(x1, x2) -> dict:
    """Whitening, then the ICA rotation, from the microphones alone."""
    mean = (_mean(x1), _mean(x2))
    xc1, xc2 = [v - mean[0] for v in x1], [v - mean[1] for v in x2]
    v, eigenvalues = whitening(xc1, xc2)
    out = {"mean": mean, "eigenvalues": eigenvalues, "V": v, "singular": v is None}
    if v is None:
        return out
    z1, z2 = apply(v, xc1, xc2)
    m = fourth_moments(z1, z2)
    phi = ica_angle(m)
    c, s = math.cos(phi), math.sin(phi)
    w = matmul([[c, s], [-s, c]], v)
    score = cumulant_score(m, len(z1))
    out.update({"z": (z1, z2), "phi": phi, "W": w, "kurtosis": list(kurtoses(m, phi)), "score": score,
                "flat": looks_gaussian(score), "outputs": apply(w, xc1, xc2)})
    return out


def match_to_sources(w, outputs, s1, s2) -> dict:
    """NOT blind, for display only: order, sign and scale of ICA's outputs set from the true
    sources (each output goes to the source it correlates with best)."""
    r = [[_r(y, src) for src in (s1, s2)] for y in outputs]
    swap = abs(r[0][1]) + abs(r[1][0]) > abs(r[0][0]) + abs(r[1][1])
    order = (1, 0) if swap else (0, 1)               # order[j]: which output matches source j
    signs = [1.0 if r[order[j]][j] >= 0 else -1.0 for j in (0, 1)]
    scales = [math.sqrt(sumprod(c, c) / len(c)) for c in map(_centre, (s1, s2))]
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
    out.update({"A": a, "r_mix": [[_r(x, s) for s in (s1, s2)] for x in (x1, x2)]})
    if out["singular"]:
        return out
    out.update(match_to_sources(out["W"], out.pop("outputs"), s1, s2))
    out["WA"] = matmul(out["W"], a)
    return out


def _key(p):
    return (p["source1"], p["source2"]) + tuple(p[k] for k in MATRIX_KEYS) + (p["seed"],)


# ---------------------------------------------------------------- figures

def source_outline(kind1: str, kind2: str):
    """The rectangle two bounded unit-variance sources fill; None when either is Gaussian."""
    h1, h2 = HALF_RANGE[kind1], HALF_RANGE[kind2]
    if math.isinf(h1) or math.isinf(h2):
        return None
    return [(-h1, -h2), (h1, -h2), (h1, h2), (-h1, h2)]


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
    panels = [scatter("Sources s", s1, s2, outline=source_outline(p["source1"], p["source2"])),
              scatter("Microphones x = A·s", x1, x2,
                       arrows=[(a[0][0], a[1][0], "A·e₁"), (a[0][1], a[1][1], "A·e₂")])]
    full = {"s1": _source(p["source1"], 0, seed)[:WINDOW], "s2": _source(p["source2"], 1, seed)[:WINDOW]}
    full["x1"], full["x2"] = mix(a, full["s1"], full["s2"])
    if sep["singular"]:
        panels += [empty("Whitened z", "A is singular: no whitening"), empty("Recovered ŝ", "nothing to recover")]
        full["y1"] = full["y2"] = [0.0] * WINDOW
    else:
        z1, z2 = sep["z"]
        phi = sep["phi"]
        ica_dirs = [(math.cos(phi), math.sin(phi)), (-math.sin(phi), math.cos(phi))]
        panels.append(scatter("Whitened z (ICA axes dashed)", z1[:k], z2[:k], lines=ica_dirs))
        mt, mean = sep["matched"], sep["mean"]
        y1, y2 = apply(mt, [v - mean[0] for v in x1], [v - mean[1] for v in x2])
        panels.append(scatter("Recovered ŝ (matched to s)", y1, y2))
        full["y1"], full["y2"] = apply(mt, [v - mean[0] for v in full["x1"]], [v - mean[1] for v in full["x2"]])
    traces = {key: trace(full[key], "trace-" + key[0], LABELS[key]) for key in SIGNALS}
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


def clip(which: str = "x1", **params) -> dict:
    """One signal as a playable clip: RATE samples a second, peak 0.8, 10 ms fades; empty if none."""
    p = _clean(params)
    which = choice(which, SIGNALS, "x1")
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
