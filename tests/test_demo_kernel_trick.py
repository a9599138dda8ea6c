"""kernel-trick on CPython: the lift and the tilted plane, the 3-D projection, the best cuts, the
kernels against their explicit lifts, the kernel perceptron, and sanitising."""
from __future__ import annotations

import itertools
import json
import math
import random

import numpy as np
import pytest

from py_runtime import kernels as kt
from py_runtime.demos import kernel_trick as demo
from py_runtime.demos._lib import kernel_trick_draw as draw

KEY = (demo.DEFAULTS["r1"], demo.DEFAULTS["r2"], demo.DEFAULTS["noise"], 0.0)
SHIFTED = KEY[:3] + (1.0,)
SPECS = [("linear", 1, 1.0), ("homogeneous", 2, 1.0), ("homogeneous", 5, 1.0), ("inhomogeneous", 1, 1.0),
         ("inhomogeneous", 2, 1.0), ("inhomogeneous", 6, 1.0), ("rbf", 1, 1.0), ("rbf", 1, 2.5)]


def random_points(count, seed, spread=2.5):
    rng = random.Random(seed)
    return [(rng.uniform(-spread, spread), rng.uniform(-spread, spread)) for _ in range(count)]


# --- the lift, the plane and the view -----------------------------------------------------------

def test_lift_is_height_equal_to_squared_radius():
    for x, y in [(0, 0), (1, 0), (0.6, -0.8), (-2, 3)]:
        assert demo.lift(x, y) == (x, y, x * x + y * y)
    pts = demo.rings(1.0, 2.0, 0.0)
    assert all(demo.lift(x, y)[2] == pytest.approx(1.0 if label == 0 else 4.0) for x, y, label in pts)


def test_a_tilted_plane_cuts_the_bowl_in_a_circle_about_any_centre():
    rng = random.Random(3)
    for _ in range(20):
        a, b, r = rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(0.1, 3)
        for t in (0.0, 1.0, 2.5):
            x, y = a + r * math.cos(t), b + r * math.sin(t)       # on the circle: on the plane and the bowl
            assert demo.plane_height(x, y, a, b, r) == pytest.approx(x * x + y * y)
        x, y = a + 1.1 * r, b                                     # outside the circle: the bowl is above the plane
        assert x * x + y * y > demo.plane_height(x, y, a, b, r)
    assert demo.plane_height(5.0, -7.0, 0.0, 0.0, 1.5) == pytest.approx(2.25)   # no tilt: z = r²


def test_projection_is_a_rotation_like_numpy():
    rng = random.Random(1)
    for _ in range(50):
        az, el = rng.uniform(-180, 180), rng.uniform(-30, 90)
        a, e = math.radians(az), math.radians(el)
        rz = np.array([[math.cos(a), math.sin(a), 0], [-math.sin(a), math.cos(a), 0], [0, 0, 1]])
        tilt = np.array([[1, 0, 0], [0, math.sin(e), math.cos(e)], [0, -math.cos(e), math.sin(e)]])
        p = np.array([rng.uniform(-3, 3) for _ in range(3)])
        mine = np.array(draw.project(*p, az, el))
        assert np.allclose(mine, tilt @ rz @ p)
        assert np.linalg.norm(mine) == pytest.approx(np.linalg.norm(p))   # orthonormal: lengths kept
        assert mine[2] == pytest.approx(np.dot(draw.towards_viewer(az, el), p))
    assert draw.project(1, 2, 3, 0, 0) == pytest.approx((1, 3, -2))        # side view: z is up
    assert draw.project(1, 2, 3, 0, 90)[:2] == pytest.approx((1, 2))        # top view: the plane itself


def test_clipping_keeps_the_part_of_the_plane_between_two_heights():
    square = [(-1, -1, -2.0), (1, -1, 0.0), (1, 1, 2.0), (-1, 1, 0.0)]       # z = x + y
    kept = draw.clip_to_heights(square, -1.0, 1.0)
    assert all(-1 - 1e-9 <= z <= 1 + 1e-9 for _, _, z in kept)
    assert all(z == pytest.approx(x + y) for x, y, z in kept)
    assert draw.clip_to_heights(square, 5.0, 6.0) == []


def test_the_points_in_front_of_a_tilted_plane_are_drawn_over_it():
    """Painter's order: a point is drawn after the plane exactly when it is nearer the viewer than the
    plane at the same spot on screen, found here by solving for that spot of the drawn plane."""
    from py_runtime.demos._lib.kernel_trick_draw import Z_DISPLAY, project
    key = (0.9, 2.1, 0.15, 1.0)
    pts = demo.rings(*key)
    zs = [demo.lift(x, y)[2] for x, y, _ in pts]
    a, b, r = 1.0, 0.0, 1.5
    scale, shift = Z_DISPLAY / max(zs), Z_DISPLAY * 0.4

    def scene(x, y, z):                                          # what lifted_figure draws, before projecting
        return np.array([x, y, z * scale - shift])

    for azimuth, elevation in [(8.0, 10.0), (-60.0, 5.0), (150.0, 40.0), (30.0, 25.0)]:
        p = {**demo.DEFAULTS, "azimuth": azimuth, "elevation": elevation, "lift": 1.0}
        circle = {"cx": a, "cy": b, "radius": r}
        svg = demo.lifted_figure(p, pts, zs, [lab for *_, lab in pts], circle,
                                 lambda x, y: demo.plane_height(x, y, a, b, r))
        before_plane = svg.split('class="plane"')[0]
        drawn_behind = [before_plane.count(f'class="ring{label}') for label in (0, 1)]
        view = np.array([project(*e, azimuth, elevation) for e in np.eye(3)]).T     # the projection's matrix
        origin = scene(0.0, 0.0, demo.plane_height(0.0, 0.0, a, b, r))
        ex = scene(1.0, 0.0, demo.plane_height(1.0, 0.0, a, b, r)) - origin          # the drawn plane's two
        ey = scene(0.0, 1.0, demo.plane_height(0.0, 1.0, a, b, r)) - origin          # directions
        behind = [0, 0]
        for (x, y, label), z in zip(pts, zs):
            q = view @ scene(x, y, z)
            u, w = np.linalg.solve((view @ np.array([ex, ey]).T)[:2], q[:2] - (view @ origin)[:2])
            plane_depth = (view @ (origin + u * ex + w * ey))[2]
            behind[label] += q[2] < plane_depth
        assert drawn_behind == behind, (azimuth, elevation)


# --- the best cuts ------------------------------------------------------------------------------

def test_best_threshold_is_the_best_of_all_cuts():
    rng = random.Random(2)
    for _ in range(30):
        values = [rng.uniform(0, 5) for _ in range(15)]
        labels = [rng.randint(0, 1) for _ in range(15)]
        best = demo.best_threshold(values, labels)
        brute = max(max(sum((v > t) == bool(y) for v, y in zip(values, labels)),
                        sum((v <= t) == bool(y) for v, y in zip(values, labels)))
                    for t in [-1.0] + values)
        assert best["correct"] == brute
        t = best["threshold"]
        assert sum((v > t) == bool(y) if best["ones_above"] else (v <= t) == bool(y)
                   for v, y in zip(values, labels)) == brute


def test_default_rings_a_plane_separates_and_no_line_does():
    state = demo.view(**demo.DEFAULTS)
    assert state["plane_correct"] == state["total"] == 2 * demo.N_PER_RING
    assert state["line_correct"] < state["total"]
    assert demo.enclosed(KEY) == 0                     # the inner ring sits inside the outer one's hull
    pts = demo.rings(*KEY)
    r = state["circle"]["radius"]
    assert max(x * x + y * y for x, y, l in pts if l == 0) < r * r < min(x * x + y * y for x, y, l in pts if l == 1)
    # No line through any two points (or shifted slightly) separates the rings: a brute-force check.
    coords = [(x, y) for x, y, _ in pts]
    labels = [l for _, _, l in pts]
    for (x1, y1), (x2, y2) in itertools.combinations(coords[::3], 2):
        nx, ny = y2 - y1, x1 - x2
        side = [(x - x1) * nx + (y - y1) * ny > 0 for x, y in coords]
        assert not (all(s == bool(l) for s, l in zip(side, labels)) or all(s != bool(l) for s, l in zip(side, labels)))
    assert "x² + y²" not in state["readouts"] and "80 / 80" in state["readouts"] and "(horizontal)" in state["readouts"]


def test_moving_the_rings_needs_a_tilted_plane():
    pts = demo.rings(*SHIFTED)
    assert demo.best_radius(SHIFTED, 0.0, 0.0)["correct"] < len(pts)          # no circle about the origin
    centred = demo.view(shift=1.0, cx=1.0, cy=0.0)
    assert centred["plane_correct"] == len(pts) and "(tilted)" in centred["readouts"]
    assert "z = 2.00x + 0.00y" in centred["readouts"]


def test_a_chosen_radius_and_overlapping_rings():
    small = demo.view(radius=0.45)
    assert small["circle"]["radius"] == pytest.approx(0.45)
    assert small["plane_correct"] == demo.N_PER_RING          # everything counted as ring 2: half right
    swapped = demo.view(r1=2.5, r2=0.6)                          # ring 2 inside now: the plane still works
    assert swapped["plane_correct"] == swapped["total"] and demo.enclosed((2.5, 0.6, 0.15, 0.0)) == 1
    overlap = (1.4, 1.6, 0.5, 0.0)
    assert demo.radial_overlap(overlap)
    assert demo.best_radius(overlap, 0.0, 0.0)["correct"] < 2 * demo.N_PER_RING
    assert not demo.radial_overlap(KEY)


def test_convex_hulls_meet_exactly_when_no_line_cuts_the_sets_apart():
    rng = random.Random(11)
    directions = [(math.cos(math.pi * k / 3600), math.sin(math.pi * k / 3600)) for k in range(3600)]
    seen = set()
    for _ in range(60):
        first = [(rng.gauss(0, 1), rng.gauss(0, 1)) for _ in range(rng.randint(1, 8))]
        dx, dy = rng.uniform(-4, 4), rng.uniform(-4, 4)
        second = [(dx + rng.gauss(0, 1), dy + rng.gauss(0, 1)) for _ in range(rng.randint(1, 8))]
        cut = any(max(x * c + y * s for x, y in first) < min(x * c + y * s for x, y in second)
                  or max(x * c + y * s for x, y in second) < min(x * c + y * s for x, y in first)
                  for c, s in directions)
        assert demo.hulls_meet(first, second) == (not cut)
        seen.add(cut)
    assert seen == {True, False}                                # both cases were tried
    assert demo.hulls_meet([(0, 0), (1, 0)], [(3, 0), (4, 0)]) is False      # on one line, apart
    assert demo.hulls_meet([(0, -1), (0, 1)], [(-1, 0), (1, 0)]) is True     # crossing segments
    assert demo.hulls_overlap(KEY) and demo.hulls_overlap((1.4, 1.6, 0.5, 0.0))
    overlap = demo.view(r1=1.4, r2=1.6, noise=0.5)["readouts"]
    assert demo.enclosed((1.4, 1.6, 0.5, 0.0)) is None and "the two hulls overlap" in overlap


# --- the kernels and their lifts ----------------------------------------------------------------

@pytest.mark.parametrize("name, degree, sigma", SPECS)
def test_gram_matrix_by_lift_equals_gram_matrix_by_kernel(name, degree, sigma):
    pts = random_points(30, seed=degree)
    cut = 60                                                   # the RBF lift, to degree 60: exact to rounding here
    by_kernel = np.array(kt.gram(pts, kt.kernel(name, degree, sigma)))
    by_lift = np.array(kt.gram_of_lift(pts, kt.lift(name, degree, sigma, rbf_degree=cut)))
    assert len(kt.lift(name, degree, sigma, cut)(pts[0])) == kt.lift_size(name, degree, rbf_degree=cut)
    assert np.allclose(by_lift, by_kernel, rtol=1e-9, atol=1e-9 * np.abs(by_kernel).max())
    assert np.allclose(by_kernel, by_kernel.T)
    eig = np.linalg.eigvalsh(by_kernel)
    assert eig.min() >= -1e-9 * eig.max()                     # positive semidefinite


def test_the_rbf_lift_needs_more_degrees_the_narrower_the_kernel():
    pts = random_points(12, seed=4, spread=2.0)

    def gap(sigma, degree):
        return kt.largest_difference(kt.gram(pts, kt.kernel("rbf", sigma=sigma)),
                                     kt.gram_of_lift(pts, kt.lift("rbf", sigma=sigma, rbf_degree=degree)))

    by_degree = [gap(1.0, d) for d in (2, 8, 16, 60)]
    assert by_degree == sorted(by_degree, reverse=True) and by_degree[0] > 0.1 and by_degree[-1] < 1e-9
    by_width = [gap(s, kt.RBF_DEGREE) for s in (0.3, 1.0, 3.0)]
    assert by_width == sorted(by_width, reverse=True) and by_width[0] > 0.1 and by_width[-1] < 1e-9
    assert kt.lift_size("rbf", rbf_degree=16) == len(kt.rbf_lift((0.3, 0.4), 1.0, 16)) == 153


def test_worked_example_of_the_chapter():
    x, y = (1.0, 2.0), (3.0, 4.0)
    assert kt.homogeneous_lift(x, 2) == pytest.approx([1, 2 * math.sqrt(2), 4])
    assert kt.homogeneous_lift(y, 2) == pytest.approx([9, 12 * math.sqrt(2), 16])
    assert kt.kernel("homogeneous", 2)(x, y) == 121
    assert kt.inhomogeneous_lift(x, 2) == pytest.approx([1, 2 * math.sqrt(2), 4, math.sqrt(2), 2 * math.sqrt(2), 1])


def test_eigenvalues_match_numpy_and_find_a_non_kernel():
    pts = random_points(10, seed=5)
    for name, degree, sigma in SPECS:
        K = kt.gram(pts, kt.kernel(name, degree, sigma))
        mine, theirs = kt.eigenvalues(K), np.linalg.eigvalsh(np.array(K))
        assert np.allclose(mine, theirs, atol=1e-8 * max(abs(theirs).max(), 1.0))
    distance = kt.gram(pts, lambda a, b: -((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2))
    assert kt.eigenvalues(distance)[0] < -1.0                   # −‖x − y‖² is no kernel
    c = [1.0, 1.0] + [0.0] * 8
    assert sum(ci * cj * kij for ci, row in zip(c, distance) for cj, kij in zip(c, row)) < 0


def test_centring_the_gram_matrix_centres_the_lifted_points():
    pts = random_points(15, seed=6)
    phi = kt.lift("inhomogeneous", 3)
    lifted = np.array([phi(p) for p in pts])
    centred_features = lifted - lifted.mean(axis=0)
    K = kt.gram(pts, kt.kernel("inhomogeneous", 3))
    assert np.allclose(kt.centred(K), centred_features @ centred_features.T, atol=1e-8 * np.abs(K).max())


# --- the kernel perceptron ----------------------------------------------------------------------

def test_perceptron_separates_what_a_plane_in_the_lift_separates():
    pts = random_points(60, seed=7)
    labels = [1 if x * x + 2 * y * y < 3 else -1 for x, y in pts]              # an ellipse: degree 2 suffices
    k = kt.kernel("homogeneous", 2)
    model = kt.perceptron(kt.gram(pts, k), labels, passes=500)
    assert model["converged"] and model["mistakes_per_pass"][-1] == 0
    assert sum(model["alpha"]) == sum(model["mistakes_per_pass"])
    assert model["bias"] == sum(a * y for a, y in zip(model["alpha"], labels))
    # The dual decision equals the primal one, w·φ(x) + b with w = Σ αᵢ yᵢ φ(xᵢ), built here once.
    phi = kt.lift("homogeneous", 2)
    w = np.sum([a * y * np.array(phi(p)) for p, y, a in zip(pts, labels, model["alpha"])], axis=0)
    for p, y in zip(pts, labels):
        f = kt.decision(p, pts, labels, model["alpha"], model["bias"], k)
        assert f == pytest.approx(w @ phi(p) + model["bias"])
        assert (f > 0) == (y > 0)


def test_perceptron_cannot_settle_where_no_plane_separates():
    xor = [(1, 1), (-1, -1), (1, -1), (-1, 1)]
    model = kt.perceptron(kt.gram(xor, kt.kernel("linear")), [1, 1, -1, -1], passes=25)
    assert not model["converged"] and len(model["mistakes_per_pass"]) == 25


def test_kernel_perceptron_on_the_rings():
    n = 2 * demo.N_PER_RING
    for name, degree in [("inhomogeneous", 2), ("homogeneous", 2), ("rbf", 1)]:
        model = demo.trained(KEY, name, degree, 1.0)
        assert model["converged"] and model["train_correct"] == n
        assert model["test_correct"] >= 0.9 * n                 # the held-out draw of the same rings
    assert not demo.trained(KEY, "linear", 1, 1.0)["converged"]   # no line separates the rings
    assert not demo.trained(SHIFTED, "homogeneous", 2, 1.0)["converged"]     # centred conics, moved rings
    assert demo.trained(SHIFTED, "inhomogeneous", 2, 1.0)["converged"]
    state = demo.view(kernel="rbf")
    assert state["train_correct"] == n and "converged after" in state["kernel_readouts"]


@pytest.mark.parametrize("name, degree, sigma", [("rbf", 1, 0.4), ("inhomogeneous", 3, 1.0), ("linear", 1, 1.0)])
def test_the_drawn_boundary_is_the_decision_function(name, degree, sigma):
    model = demo.trained(KEY, name, degree, sigma)
    points, labels, alpha = zip(*model["support"])
    centres = demo.grid_centres()
    for row, col in [(0, 0), (5, 30), (20, 20), (39, 1), (33, 17)]:
        g = (centres[col], centres[-1 - row])
        assert model["grid"][row][col] == pytest.approx(kt.decision(g, points, labels, alpha, model["bias"], model["k"]))


def test_the_gram_tables_agree_in_the_demo():
    for kernel in ("homogeneous", "inhomogeneous", "linear"):
        state = demo.view(kernel=kernel, degree=3)
        both = demo.gram_both_ways(KEY, kernel, 3, 1.0)
        assert state["gram_difference"] <= 1e-12 * both["largest"]
        assert both["eigen_min"] >= -1e-9 * both["eigen_max"]
    assert demo.view(kernel="rbf", sigma=0.2)["gram_difference"] > 0.1            # the cut-off lift falls short
    assert "too few for this σ" in demo.view(kernel="rbf", sigma=0.2)["kernel_readouts"]


# --- sanitising and pre-rendering ---------------------------------------------------------------

def test_bad_input_never_crashes():
    rng = random.Random(0)
    bad = [math.nan, math.inf, -math.inf, "", "x", None, 1e308, -1e308, [], {}, 10 ** 400, "rbf", True]
    keys = list(demo.DEFAULTS)
    for _ in range(150):
        params = {k: rng.choice(bad + [rng.uniform(-500, 500)]) for k in keys if rng.random() < 0.6}
        state = demo.view(**params, unknown=1)
        json.dumps(state, allow_nan=False)
        for key, (low, high) in demo.LIMITS.items():
            assert low <= state["params"][key] <= high
        assert state["params"]["kernel"] in kt.KERNELS
        assert state["params"]["radius"] == -1.0 or state["params"]["radius"] >= 0


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 4 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)
