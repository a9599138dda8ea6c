"""The demos' small linear algebra: two signals (two vectors in Rⁿ) and 2×2 matrices. Their
covariance and correlation, the eigen-decomposition of a symmetric 2×2 matrix, and a 2×2 matrix
applied to two signals (pca-playground, bss-unmix, projection, tesseract).

A pair of signals (u₁…uₙ), (v₁…vₙ) is two lists, one per coordinate: the points (uᵢ, vᵢ).
"""
from __future__ import annotations

import math

from ...backend import sumprod


def covariance(u, v, ddof: int = 0) -> list[list[float]]:
    """[[var u, cov], [cov, var v]] of two centred signals (the caller subtracts the means):

        cov(u, v) = 1/(n − ddof) · Σᵢ uᵢ vᵢ

    ddof = 0 divides by n, the average E[u v] over the samples (chapter 4's whitening, whose
    fourth moments are averages too); ddof = 1 divides by n − 1, the sample covariance
    (numpy.cov, and chapter 6's Σ)."""
    d = len(u) - ddof
    uv = sumprod(u, v) / d
    return [[sumprod(u, u) / d, uv], [uv, sumprod(v, v) / d]]


def correlation(u, v):
    """Pearson's r: the cosine of the angle between the two signals once centred,
    Σ dᵤᵢdᵥᵢ / (‖dᵤ‖ ‖dᵥ‖), kept in [−1, 1] against rounding; None when either is constant."""
    mu, mv = sum(u) / len(u), sum(v) / len(v)
    du, dv = [x - mu for x in u], [y - mv for y in v]
    su, sv = math.sqrt(sumprod(du, du)), math.sqrt(sumprod(dv, dv))
    if su < 1e-12 or sv < 1e-12:
        return None
    return max(-1.0, min(1.0, sumprod(du, dv) / (su * sv)))


def eigh2(c) -> tuple[list[float], list[tuple[float, float]]]:
    """Eigenvalues λ₁ ≥ λ₂ and orthonormal eigenvectors (e₁, e₂) of a symmetric [[a, b], [b, d]].

        λ = (a + d)/2 ± √(((a − d)/2)² + b²)

    λ₁'s eigenvector is along (λ₁ − d, b) and along (b, λ₁ − a); of the two, the one whose
    difference does not cancel (λ₁ − d when a ≥ d), so tiny b still gives an accurate vector.
    e₁ points up (e₁ᵧ ≥ 0, and e₁ = (1, 0) when it is horizontal) and e₂ = e₁ turned by +90°.
    When λ₁ = λ₂ (to 1e-12 of |a| + |d|: a multiple of the identity, up to rounding) every
    direction is an eigenvector, and the axes are returned."""
    a, b, d = c[0][0], c[0][1], c[1][1]
    mid, rad = (a + d) / 2, math.hypot((a - d) / 2, b)
    values = [mid + rad, mid - rad]
    if rad <= 1e-12 * (abs(a) + abs(d)):
        return values, [(1.0, 0.0), (0.0, 1.0)]
    v = (values[0] - d, b) if a >= d else (b, values[0] - a)
    if v[1] < 0:
        v = (-v[0], -v[1])
    n = math.hypot(*v)
    e1 = (v[0] / n, v[1] / n)
    return values, [e1, (-e1[1], e1[0])]


def apply(m, u, v):
    """The 2×2 matrix m applied to every point (uᵢ, vᵢ): the two new signals."""
    (m11, m12), (m21, m22) = m
    return [m11 * x + m12 * y for x, y in zip(u, v)], [m21 * x + m22 * y for x, y in zip(u, v)]


def matmul(a, b):
    """The 2×2 product a·b."""
    return [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
