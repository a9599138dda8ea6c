"""Kernels, their explicit lifts, Gram matrices and a kernel perceptron, in plain Python.

A kernel k(x, y) is an inner product ⟨φ(x), φ(y)⟩ computed without building the lift φ.
Each kernel here comes with its lift written out, so the two can be compared entry by entry:

    linear            k = x·y                 φ(x) = (x₁, x₂)
    homogeneous       k = (x·y)ᵈ              φ(x)ⱼ = √C(d, j) · x₁ʲ x₂ᵈ⁻ʲ                 (d + 1 coordinates)
    inhomogeneous     k = (x·y + 1)ᵈ          φ(x)ᵢⱼ = √(d! / (i! j! (d−i−j)!)) · x₁ⁱ x₂ʲ   ((d+1)(d+2)/2)
    RBF               k = exp(−‖x − y‖² / 2σ²)
                        = exp(−‖x‖²/2σ²) · exp(−‖y‖²/2σ²) · Σₙ (x·y / σ²)ⁿ / n!

The RBF sum runs over every degree n, each term a homogeneous kernel with its own lift, so its
φ has infinitely many coordinates; `rbf_lift` stops at degree `rbf_degree`, and the gap between
the two Gram matrices is what that cut costs.

The kernel perceptron learns f(x) = Σᵢ αᵢ yᵢ k(xᵢ, x) + b with labels yᵢ = ±1: on each training
point it gets wrong (yᵢ f(xᵢ) ≤ 0) it adds 1 to αᵢ and yᵢ to b. That is Rosenblatt's perceptron
on the lifted points (φ(x), 1), with the weight vector w = Σᵢ αᵢ yᵢ φ(xᵢ) never built.
"""
from __future__ import annotations

import math
import random
from itertools import combinations

from .backend import sumprod

KERNELS = ("linear", "homogeneous", "inhomogeneous", "rbf")
RBF_DEGREE = 16                  # where the RBF lift is cut when it is built explicitly


# --- the kernels, evaluated directly ------------------------------------------------------------

def kernel(name: str, degree: int = 2, sigma: float = 1.0):
    """k(x, y) for 2-D points, as a function of two (x₁, x₂) pairs."""
    if name == "homogeneous":
        return lambda x, y: (x[0] * y[0] + x[1] * y[1]) ** degree
    if name == "inhomogeneous":
        return lambda x, y: (x[0] * y[0] + x[1] * y[1] + 1.0) ** degree
    if name == "rbf":
        scale = 1.0 / (2.0 * sigma * sigma)
        return lambda x, y: math.exp(-((x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2) * scale)
    return lambda x, y: x[0] * y[0] + x[1] * y[1]


# --- the same kernels as explicit lifts ---------------------------------------------------------

def homogeneous_lift(x, degree: int) -> list[float]:
    """All degree-d monomials x₁ʲ x₂ᵈ⁻ʲ, weighted by √C(d, j) so their inner product is (x·y)ᵈ."""
    return [math.sqrt(math.comb(degree, j)) * x[0] ** j * x[1] ** (degree - j) for j in range(degree, -1, -1)]


def inhomogeneous_lift(x, degree: int) -> list[float]:
    """All monomials x₁ⁱ x₂ʲ of degree ≤ d, weighted by the multinomial coefficient's root:
    (x·y + 1)ᵈ = Σ d!/(i! j! k!) (x₁y₁)ⁱ (x₂y₂)ʲ 1ᵏ over i + j + k = d."""
    out = []
    for total in range(degree, -1, -1):
        for i in range(total, -1, -1):
            j = total - i
            coefficient = math.factorial(degree) // (math.factorial(i) * math.factorial(j) * math.factorial(degree - total))
            out.append(math.sqrt(coefficient) * x[0] ** i * x[1] ** j)
    return out


def rbf_lift(x, sigma: float, rbf_degree: int = RBF_DEGREE) -> list[float]:
    """The RBF lift up to degree `rbf_degree`: e^(−‖x‖²/2σ²) · √(1/n!) · (homogeneous lift of x/σ, degree n)."""
    u = (x[0] / sigma, x[1] / sigma)
    damping = math.exp(-(u[0] * u[0] + u[1] * u[1]) / 2.0)
    out = []
    for n in range(rbf_degree + 1):
        weight = damping / math.sqrt(math.factorial(n))
        out.extend(weight * value for value in homogeneous_lift(u, n))
    return out


def lift(name: str, degree: int = 2, sigma: float = 1.0, rbf_degree: int = RBF_DEGREE):
    """φ for the kernel `name`: a function of one point returning its coordinates in the lifted space."""
    if name == "homogeneous":
        return lambda x: homogeneous_lift(x, degree)
    if name == "inhomogeneous":
        return lambda x: inhomogeneous_lift(x, degree)
    if name == "rbf":
        return lambda x: rbf_lift(x, sigma, rbf_degree)
    return lambda x: [float(x[0]), float(x[1])]


def lift_size(name: str, degree: int = 2, rbf_degree: int = RBF_DEGREE) -> int:
    """How many coordinates φ has (for the RBF kernel: after the cut)."""
    return {"linear": 2, "homogeneous": degree + 1, "inhomogeneous": (degree + 1) * (degree + 2) // 2,
            "rbf": (rbf_degree + 1) * (rbf_degree + 2) // 2}.get(name, 2)


# --- Gram matrices, both ways -------------------------------------------------------------------

def gram(points, k) -> list[list[float]]:
    """K[i][j] = k(xᵢ, xⱼ): the kernel evaluated on every pair, no lift."""
    return [[k(a, b) for b in points] for a in points]


def gram_of_lift(points, phi) -> list[list[float]]:
    """K[i][j] = ⟨φ(xᵢ), φ(xⱼ)⟩: lift every point first, then take inner products."""
    lifted = [phi(p) for p in points]
    return [[sumprod(a, b) for b in lifted] for a in lifted]


def largest_difference(a, b) -> float:
    return max((abs(x - y) for row_a, row_b in zip(a, b) for x, y in zip(row_a, row_b)), default=0.0)


def centred(K) -> list[list[float]]:
    """The Gram matrix of the lifted points minus their mean, from K alone (kernel PCA needs it):
    K̃ = K − 1K − K1 + 1K1, with 1 the n × n matrix whose entries are all 1/n."""
    n = len(K)
    row = [sum(r) / n for r in K]
    total = sum(row) / n
    return [[K[i][j] - row[i] - row[j] + total for j in range(n)] for i in range(n)]


def eigenvalues(K, sweeps: int = 30) -> list[float]:
    """The eigenvalues of a symmetric matrix, smallest first (cyclic Jacobi rotations): a
    symmetric K is positive semidefinite exactly when none is negative."""
    a = [list(map(float, r)) for r in K]
    n = len(a)
    for _ in range(sweeps):
        off = sum(a[i][j] ** 2 for i, j in combinations(range(n), 2))
        if off <= 1e-22 * max(1.0, sum(a[i][i] ** 2 for i in range(n))):
            break
        for p, q in combinations(range(n), 2):
            if abs(a[p][q]) < 1e-300:
                continue
            theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q])
            t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
            c = 1.0 / math.sqrt(t * t + 1.0)
            s = t * c
            for k in range(n):                  # rotate columns p and q, then rows p and q
                akp, akq = a[k][p], a[k][q]
                a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
            for k in range(n):
                apk, aqk = a[p][k], a[q][k]
                a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
    return sorted(a[i][i] for i in range(n))


# --- the kernel perceptron ----------------------------------------------------------------------

def perceptron(K, labels, passes: int = 40, seed: int = 0) -> dict:
    """Train on the Gram matrix K (labels ±1), visiting the points in one fixed shuffled order.

    Keeps the scores fᵢ = Σⱼ αⱼ yⱼ (K[j][i] + 1) up to date, so a pass costs n checks plus n
    additions per mistake. Stops after a pass without mistakes (`converged`), or after `passes`."""
    n = len(labels)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    alpha, bias = [0] * n, 0
    scores = [0.0] * n
    mistakes_per_pass = []
    for _ in range(passes):
        mistakes = 0
        for i in order:
            if labels[i] * scores[i] <= 0:
                alpha[i] += 1
                bias += labels[i]
                mistakes += 1
                y, row = labels[i], K[i]
                scores = [s + y * (kij + 1.0) for s, kij in zip(scores, row)]
        mistakes_per_pass.append(mistakes)
        if mistakes == 0:
            break
    return {"alpha": alpha, "bias": bias, "mistakes_per_pass": mistakes_per_pass,
            "converged": bool(mistakes_per_pass) and mistakes_per_pass[-1] == 0}


def decision(x, points, labels, alpha, bias, k) -> float:
    """f(x) = Σᵢ αᵢ yᵢ k(xᵢ, x) + b: only the points with αᵢ > 0 take part."""
    return sum(a * y * k(p, x) for p, y, a in zip(points, labels, alpha) if a) + bias
