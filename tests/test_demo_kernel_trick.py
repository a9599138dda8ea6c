"""kernel-trick on CPython: the lift, the 3-D projection, the best plane and line, sanitising."""
from __future__ import annotations

import itertools
import json
import math
import random

import numpy as np
import pytest

from py_runtime.demos import kernel_trick as demo


def test_lift_is_height_equal_to_squared_radius():
    for x, y in [(0, 0), (1, 0), (0.6, -0.8), (-2, 3)]:
        assert demo.lift(x, y) == (x, y, x * x + y * y)
    pts = demo.rings(1.0, 2.0, 0.0)
    assert all(demo.lift(x, y)[2] == pytest.approx(1.0 if label == 0 else 4.0) for x, y, label in pts)


def test_projection_is_a_rotation_like_numpy():
    rng = random.Random(1)
    for _ in range(50):
        az, el = rng.uniform(-180, 180), rng.uniform(-30, 90)
        a, e = math.radians(az), math.radians(el)
        rz = np.array([[math.cos(a), math.sin(a), 0], [-math.sin(a), math.cos(a), 0], [0, 0, 1]])
        tilt = np.array([[1, 0, 0], [0, math.sin(e), math.cos(e)], [0, -math.cos(e), math.sin(e)]])
        p = np.array([rng.uniform(-3, 3) for _ in range(3)])
        mine = np.array(demo.project(*p, az, el))
        assert np.allclose(mine, tilt @ rz @ p)
        assert np.linalg.norm(mine) == pytest.approx(np.linalg.norm(p))   # orthonormal: lengths kept
    assert demo.project(1, 2, 3, 0, 0) == pytest.approx((1, 3, -2))        # side view: z is up
    assert demo.project(1, 2, 3, 0, 90)[:2] == pytest.approx((1, 2))        # top view: the plane itself


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


def test_default_rings_plane_separates_and_no_line_does():
    state = demo.view(**demo.DEFAULTS)
    assert state["plane_correct"] == state["total"] == 2 * demo.N_PER_RING
    assert state["line_correct"] < state["total"] * 0.8
    assert demo.enclosed(0.9, 2.1, 0.15) == 0          # the inner ring sits inside the outer one's hull
    pts = demo.rings(0.9, 2.1, 0.15)
    c = state["c"]
    assert max(x * x + y * y for x, y, l in pts if l == 0) < c < min(x * x + y * y for x, y, l in pts if l == 1)
    # No line through any two points (or shifted slightly) separates the rings: a brute-force check.
    coords = [(x, y) for x, y, _ in pts]
    labels = [l for _, _, l in pts]
    for (x1, y1), (x2, y2) in itertools.combinations(coords[::3], 2):
        nx, ny = y2 - y1, x1 - x2
        side = [(x - x1) * nx + (y - y1) * ny > 0 for x, y in coords]
        assert not (all(s == bool(l) for s, l in zip(side, labels)) or all(s != bool(l) for s, l in zip(side, labels)))
    assert "x² + y² = " in state["readouts"] and "80 / 80" in state["readouts"]


def test_plane_height_moves_the_circle_and_misclassifies():
    low = demo.view(c=0.2)
    assert low["c"] == pytest.approx(0.2) and low["plane_correct"] == demo.N_PER_RING   # everything "outside"
    assert "radius 0.45" in low["readouts"]
    swapped = demo.view(r1=2.5, r2=0.6)                # ring 2 inside now: the plane still works
    assert swapped["plane_correct"] == swapped["total"] and demo.enclosed(2.5, 0.6, 0.15) == 1
    noisy = demo.view(r1=1.4, r2=1.6, noise=0.5)
    assert noisy["plane_correct"] < noisy["total"]


def test_bad_input_never_crashes():
    rng = random.Random(0)
    bad = [math.nan, math.inf, -math.inf, "", "x", None, 1e308, -1e308, [], {}]
    for _ in range(300):
        params = {k: rng.choice(bad + [rng.uniform(-500, 500)]) for k in demo.DEFAULTS if rng.random() < 0.6}
        state = demo.view(**params, unknown=1)
        json.dumps(state, allow_nan=False)
        for key, (low, high) in demo.LIMITS.items():
            assert low <= state["params"][key] <= high


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 2 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)
