"""Chapter 4's numbers, computed from the bss-unmix demo's own code (py_runtime/demos/bss_unmix.py).

Kurtoses of the demo's sources and of their mixes, the whitening of the chapter's mixing
matrix worked through, the Gaussian+Gaussian warning's threshold with a simulation of how
often Gaussian data slip past it, and what the demo itself does for the settings the prose
tells the reader to try. All seeds are fixed.
"""
from __future__ import annotations

import math
import random

import numpy as np

from py_runtime.demos import bss_unmix as bss

SIMULATED_GAUSSIAN_PAIRS = 4000       # Monte Carlo draws of two Gaussian sources, n samples each
DEMO_SEEDS = (0, 1, 2)                # "New random samples" draws checked for every pair of sources
RANDOM_MATRICES = 40                  # "Random mixing matrix" presses checked
CHECKED_TAIL = 0.01                   # chi-square tail where the simulation checks the approximation


def default_matrix() -> np.ndarray:
    """The demo's starting mixing matrix A, the one the chapter works with."""
    return np.array([[bss.DEFAULTS["a11"], bss.DEFAULTS["a12"]], [bss.DEFAULTS["a21"], bss.DEFAULTS["a22"]]])


def kurtosis_facts() -> dict:
    """Each source's kurtosis and two 45° mixes (cos⁴ 45° = sin⁴ 45° = 1/4)."""
    k = {kind: bss.population_kurtosis(kind) for kind in bss.KINDS}
    half = math.pi / 4
    return {"kurt_sine": k["sine"], "kurt_square": k["square"], "kurt_sawtooth": k["sawtooth"],
            "kurt_uniform": k["noise"], "kurt_gaussian": k["gaussian"], "weight45": math.cos(half) ** 4,
            "mix45_sine_gaussian": bss.mixed_kurtosis(k["sine"], k["gaussian"], half),
            "mix45_uniform": bss.mixed_kurtosis(k["noise"], k["noise"], half)}


def whitening_facts() -> dict:
    """C = A Aᵀ for the demo's starting A (unit-variance sources), its eigenvalues and eigenvectors."""
    a = default_matrix()
    c = a @ a.T
    (l1, l2), (e1, _) = bss.eigh2(c.tolist())
    return {"a11": float(a[0, 0]), "a12": float(a[0, 1]), "a21": float(a[1, 0]), "a22": float(a[1, 1]),
            "det_a": float(np.linalg.det(a)), "c11": float(c[0, 0]), "c12": float(c[0, 1]), "c22": float(c[1, 1]), "trace_c": float(np.trace(c)),
            "det_c": float(np.linalg.det(c)), "lambda1": l1, "lambda2": l2,
            "eigvec1_deg": math.degrees(math.atan2(e1[1], e1[0])) % 180,
            "stretch1": 1 / math.sqrt(l1), "stretch2": 1 / math.sqrt(l2)}


def simulated_gaussian_scores(trials: int = SIMULATED_GAUSSIAN_PAIRS, n: int = bss.ICA_SAMPLES) -> np.ndarray:
    """The warning's score for `trials` fresh pairs of Gaussian sources mixed by the demo's A,
    whitened as the demo does (NumPy, vectorised: an independent re-implementation)."""
    rng = np.random.default_rng(2024)
    a = default_matrix()
    scores = []
    for start in range(0, trials, 500):
        x = a @ rng.normal(size=(min(500, trials - start), 2, n))
        x -= x.mean(axis=2, keepdims=True)
        values, vectors = np.linalg.eigh(x @ x.transpose(0, 2, 1) / n)
        z = (vectors / np.sqrt(values)[:, None, :]).transpose(0, 2, 1) @ x
        m = [(z[:, 0] ** p * z[:, 1] ** (4 - p)).mean(axis=1) for p in (4, 3, 2, 1, 0)]
        scores.append(n / 24 * ((m[0] - 3) ** 2 + 4 * m[1] ** 2 + 6 * (m[2] - 1) ** 2 + 4 * m[3] ** 2
                                + (m[4] - 3) ** 2))
    return np.concatenate(scores)


def threshold_facts() -> dict:
    """The warning: fires when the score is below the chi-square(5) level Gaussian data exceed
    with probability GAUSSIAN_MISS; and how often simulated Gaussian pairs actually exceed it.
    4,000 pairs cannot see a one-in-a-million tail, so the approximation is also checked where
    they can: the share above chi-square's 1 % point (real scores have the heavier tail)."""
    n = bss.ICA_SAMPLES
    scores = simulated_gaussian_scores()
    chi2_1pct = bss.chi2_5_quantile(CHECKED_TAIL)
    return {"n": n, "se_kurtosis": math.sqrt(24 / n), "warning_score": bss.WARNING_SCORE,
            "gaussian_miss": bss.GAUSSIAN_MISS, "chi2_dof": 5, "simulated_pairs": int(scores.size),
            "simulated_misses": int((scores >= bss.WARNING_SCORE).sum()),
            "simulated_median_score": float(np.median(scores)), "simulated_max_score": float(scores.max()),
            "checked_tail": CHECKED_TAIL, "chi2_checked_score": chi2_1pct,
            "simulated_tail_share": float((scores > chi2_1pct).mean())}


def _random_matrix(rng: random.Random) -> tuple:
    """What the demo's "Random mixing matrix" button draws: entries in [−1.5, 1.5] on a 0.05 grid."""
    return tuple(round((rng.random() * 3 - 1.5) * 20) / 20 for _ in range(4))


def demo_facts() -> dict:
    """What the demo shows for the settings the chapter tells the reader to try."""
    a = tuple(bss.DEFAULTS[k] for k in bss.MATRIX_KEYS)
    gg = bss.separate("gaussian", "gaussian", *a)
    others = [(k1, k2) for k1 in bss.KINDS for k2 in bss.KINDS if "gaussian" not in (k1, k2) or k1 != k2]
    scores = [bss.separate(k1, k2, *a, seed)["score"] for k1, k2 in others for seed in DEMO_SEEDS]
    rng = random.Random(4)
    random_r = [min(sep["r_rec"]) for sep in (bss.separate("sine", "sawtooth", *_random_matrix(rng))
                                               for _ in range(RANDOM_MATRICES)) if not sep["singular"]]
    default = bss.separate("sine", "sawtooth", *a)
    return {"demo_lambda1": default["eigenvalues"][0], "demo_lambda2": default["eigenvalues"][1],
            "gg_warns": gg["flat"], "gg_score": gg["score"], "gg_kurt1": gg["kurtosis"][0],
            "gg_kurt2": gg["kurtosis"][1], "min_nongaussian_score": min(scores),
            "nongaussian_settings": len(scores), "nongaussian_silent": min(scores) >= bss.WARNING_SCORE,
            "r_default": min(default["r_rec"]),
            "r_one_gaussian": min(bss.separate("sine", "gaussian", *a)["r_rec"]),
            "worst_random_r": min(random_r), "random_matrices": len(random_r)}


def facts() -> dict:
    return {**kurtosis_facts(), **whitening_facts(), **threshold_facts(), **demo_facts()}
