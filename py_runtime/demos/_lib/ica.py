"""Blind source separation of two signals, the math of the bss-unmix demo (chapter 4): whitening,
the ICA rotation from fourth moments, and a test of whether there is anything to find. Pure
Python, 2×2 algebra (linalg2); the microphones x are centred before any of it.

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

Is there anything to find? Two Gaussian sources give a round white cloud, J is flat up to
sampling noise, and every rotation of z gives independent outputs, so ICA cannot separate
them (with at most one Gaussian source, Darmois–Skitovich leaves only the separating
rotations). The test of Gaussianity: the five fourth-order cumulants of the white data,
κ₄₀ = m₄₀ − 3, κ₃₁ = m₃₁, κ₂₂ = m₂₂ − 1, κ₁₃ = m₁₃, κ₀₄ = m₀₄ − 3, are 0 for a Gaussian, and
from n Gaussian samples, whitened by their own covariance, they scatter around 0 nearly
independently with variances about 24/n, 6/n, 4/n, 6/n, 24/n (the first is the familiar
standard error √(24/n) of a kurtosis estimate; without the whitening m₄₀ alone would scatter
by 96/n). So the score

    n/24 · (κ₄₀² + 4κ₃₁² + 6κ₂₂² + 4κ₁₃² + κ₀₄²)

is, for Gaussian data, approximately chi-square with 5 degrees of freedom (mean 5). It is the
squared size of the whole fourth-cumulant tensor, so it does not depend on the rotation and
ICA's search for the best angle cannot inflate it.
"""
from __future__ import annotations

import math

from .linalg2 import covariance, eigh2


def whitening(x1, x2):
    """V = Λ^(-1/2) Qᵀ for centred x (its covariance divided by n, as E[x xᵀ]), with the
    eigenvalues; V is None when the covariance is (nearly) singular."""
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
    """J(φ) = kurt(y₁)² + kurt(y₂)²."""
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
