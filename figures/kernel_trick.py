"""Chapter 8: the numbers the prose quotes about the rings, the lift and the kernel perceptron.

Every one is what the `kernel-trick` demo's own code (py_runtime.demos.kernel_trick and
py_runtime.kernels) computes on the demo's rings: the default rings (radii 0.9 and 2.1, noise
0.15, 40 points each), the same rings moved one unit to the right (a data set built so that a
centred boundary is wrong), and two rings that overlap (radii 1.4 and 1.6, noise 0.5).
"""
from __future__ import annotations

import math

from py_runtime import kernels
from py_runtime.demos import kernel_trick as demo

DEFAULT = (demo.DEFAULTS["r1"], demo.DEFAULTS["r2"], demo.DEFAULTS["noise"], 0.0)
SHIFTED = (DEFAULT[0], DEFAULT[1], DEFAULT[2], 1.0)
OVERLAP = (1.4, 1.6, 0.5, 0.0)
NARROW_SIGMA = 0.3              # an RBF width narrow enough to fit the overlapping rings' noise
KERNELS = {"linear": ("linear", 1, 1.0), "square": ("homogeneous", 2, 1.0),
           "square_plus_one": ("inhomogeneous", 2, 1.0), "rbf": ("rbf", 1, 1.0)}


def rings(key) -> dict:
    """What lines and circles do on one set of rings."""
    centre = key[3]
    return {"r1": key[0], "r2": key[1], "noise": key[2], "centre": centre,
            "line_correct": demo.best_line(key)["correct"],
            "inside_hull": demo.enclosed(key) is not None,
            "origin_circle_correct": demo.best_radius(key, 0.0, 0.0)["correct"],
            "centred_circle_correct": demo.best_radius(key, centre, 0.0)["correct"],
            "centred_circle_test_correct": circle_on_held_out(key),
            "radial_overlap": demo.radial_overlap(key)}


def circle_on_held_out(key) -> int:
    """How many held-out points the best circle about the rings' centre, fitted on the training
    rings, puts on the right side: what a boundary of the right shape does on points it never saw."""
    best = demo.best_radius(key, key[3], 0.0)
    inside = best["inside_label"]
    return sum(((x - key[3]) ** 2 + y * y <= best["radius"] ** 2) == (label == inside)
               for x, y, label in demo.held_out(*key))


def perceptron(key, name, degree, sigma) -> dict:
    model = demo.trained(key, name, degree, sigma)
    return {"train_correct": model["train_correct"], "test_correct": model["test_correct"],
            "converged": model["converged"], "passes": len(model["mistakes_per_pass"]),
            "last_pass_mistakes": model["mistakes_per_pass"][-1], "support": len(model["support"])}


def gram_gap(key, name, degree, sigma) -> dict:
    """How far apart ⟨φ(xᵢ), φ(xⱼ)⟩ and k(xᵢ, xⱼ) are on the demo's 12 points: the difference is
    below 10 ** below_power_of_ten."""
    both = demo.gram_both_ways(key, name, degree, sigma)
    return {"difference": both["difference"], "largest": both["largest"], "coordinates": both["size"],
            "below_power_of_ten": math.floor(math.log10(max(both["difference"], 1e-300))) + 1,
            "eigen_min": both["eigen_min"], "eigen_max": both["eigen_max"]}


def worked_example() -> dict:
    """x = (1, 2), y = (3, 4): the lift's inner product and the squared dot product."""
    x, y = (1.0, 2.0), (3.0, 4.0)
    phi = kernels.lift("homogeneous", 2)
    return {"dot": x[0] * y[0] + x[1] * y[1], "kernel": kernels.kernel("homogeneous", 2)(x, y),
            "lifted_dot": kernels.sumprod(phi(x), phi(y))}


def facts() -> dict:
    per_ring = demo.N_PER_RING
    return {
        "n": 2 * per_ring, "per_ring": per_ring, "line_directions": demo.LINE_DIRECTIONS,
        "passes": demo.PASSES, "grid": demo.GRID, "gram_points": 2 * demo.GRAM_PER_RING,
        "rbf_degree": kernels.RBF_DEGREE,
        "default": rings(DEFAULT), "shifted": rings(SHIFTED), "overlap": rings(OVERLAP),
        "perceptron": {label: perceptron(DEFAULT, *spec) for label, spec in KERNELS.items()},
        "shifted_perceptron": {label: perceptron(SHIFTED, *KERNELS[label]) for label in ("square", "square_plus_one")},
        "overlap_perceptron": {"rbf": perceptron(OVERLAP, *KERNELS["rbf"]),
                               "rbf_narrow": perceptron(OVERLAP, "rbf", 1, NARROW_SIGMA)},
        "narrow_sigma": NARROW_SIGMA,
        "gram": {**{label: gram_gap(DEFAULT, *spec) for label, spec in KERNELS.items()},
                 "rbf_narrow": gram_gap(DEFAULT, "rbf", 1, NARROW_SIGMA)},
        "rbf_at_1": math.exp(-1 / 2), "rbf_at_3": math.exp(-9 / 2),
        "example": worked_example(),
    }
