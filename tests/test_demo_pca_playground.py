"""pca-playground on CPython: 2-D PCA against NumPy, digit reconstruction, sanitising."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from py_runtime.demos._lib import mnist_data
from py_runtime.demos import pca_playground as demo


def _random_cloud(seed: int, n: int):
    rng = random.Random(seed)
    angle, sx, sy = rng.uniform(0, math.pi), rng.uniform(0.2, 2.5), rng.uniform(0.1, 1.5)
    pts = []
    for _ in range(n):
        u, v = rng.gauss(0, sx), rng.gauss(0, sy)
        pts.append([u * math.cos(angle) - v * math.sin(angle) + rng.uniform(-1, 1),
                    u * math.sin(angle) + v * math.cos(angle)])
    return pts


@pytest.mark.parametrize("seed", range(12))
def test_axes_and_eigenvalues_match_numpy(seed):
    pts = _random_cloud(seed, 3 + seed * 3)
    result = demo.pca2d(pts)
    data = np.array(pts)
    cov = np.cov(data.T)                                   # ddof = 1, like the demo
    values, vectors = np.linalg.eigh(cov)                  # ascending
    assert result["mean"] == pytest.approx(data.mean(axis=0).tolist(), abs=1e-12)
    assert np.allclose(result["cov"], cov, atol=1e-12)
    assert result["eigenvalues"] == pytest.approx([values[1], values[0]], abs=1e-10)
    for mine, theirs in zip(result["axes"], (vectors[:, 1], vectors[:, 0])):
        assert abs(abs(float(np.dot(mine, theirs))) - 1) < 1e-9  # the same axis, up to sign
        assert math.hypot(*mine) == pytest.approx(1.0)
    assert float(np.dot(result["axes"][0], result["axes"][1])) == pytest.approx(0.0, abs=1e-12)
    assert result["explained"][0] == pytest.approx(values[1] / values.sum())


def test_special_clouds():
    line = demo.pca2d([[t, 0.5 * t + 1] for t in range(-3, 4)])
    assert line["explained"][0] == pytest.approx(1.0) and line["eigenvalues"][1] == pytest.approx(0.0, abs=1e-12)
    assert line["axes"][0] == pytest.approx((2 / math.sqrt(5), 1 / math.sqrt(5)))
    vertical = demo.pca2d([[1.0, y] for y in range(5)])
    assert vertical["axes"][0] == pytest.approx((0.0, 1.0))
    ring = demo.pca2d(demo.PRESETS["round"])
    assert ring["explained"][0] == pytest.approx(0.5, abs=1e-3)
    same = demo.pca2d([[1.0, 1.0]] * 4)
    assert same["explained"] is None and same["eigenvalues"] == [0.0, 0.0]


def test_points_view_readouts_follow_the_points():
    state = demo.points_view(points=demo.PRESETS["line"], selected=0)
    assert "100.0% of the variance" in state["readouts"]
    moved = [p[:] for p in demo.DEFAULT_POINTS]
    moved[0] = [-3.2, 4.0]
    a, b = demo.points_view(points=demo.DEFAULT_POINTS)["axes"][0], demo.points_view(points=moved)["axes"][0]
    assert abs(a[0] * b[0] + a[1] * b[1]) < 0.999           # moving one point turned PC1
    assert "add at least two points" in demo.points_view(points=[[0, 0]])["readouts"]


def test_reconstruction_matches_numpy_and_improves_with_k():
    basis = mnist_data.pca_basis()
    mean, comps = np.array(basis["mean"]), np.array(basis["components"])
    x = np.array(mnist_data.digit(3, 0))
    for k in (1, 8, 64):
        expected = mean + comps[:k].T @ (comps[:k] @ (x - mean))
        assert np.allclose(demo.reconstruct(3, 0, k), expected, atol=1e-9)
        assert demo.digit_view(digit=3, sample=0, k=k)["mse"] == pytest.approx(float(np.mean((x - expected) ** 2)))
    for label in range(10):
        errors = [demo.digit_view(digit=label, sample=1, k=k)["mse"] for k in (1, 4, 16, 64)]
        assert errors[0] > errors[-1] and errors == sorted(errors, reverse=True)
    shares = basis["explained"]
    assert demo.digit_view(digit=0, k=10)["explained"] == pytest.approx(sum(shares[:10]))
    assert demo.digit_view(digit=0, k=64)["explained"] == pytest.approx(sum(shares))


BAD = [math.nan, math.inf, -math.inf, "", "abc", None, 1e308, -1e308, [], {}]


def test_bad_input_never_crashes():
    rng = random.Random(0)
    for _ in range(200):
        points = rng.choice([None, "x", 3, [], [[rng.choice(BAD), 1]], [[1, 2, 3]], [{"x": 1, "y": rng.choice(BAD)}],
                             [[rng.uniform(-1e9, 1e9), rng.choice(BAD + [0.5])] for _ in range(rng.randint(0, 80))]])
        state = demo.view(points=points, selected=rng.choice(BAD + [3, -5, 99]), digit=rng.choice(BAD + [4, 11]),
                          sample=rng.choice(BAD + [25]), k=rng.choice(BAD + [0, 65, 3.7]))
        text = json.dumps(state, allow_nan=False)
        assert len(state["points"]["points"]) <= demo.MAX_POINTS and "svg" in text
        assert all(abs(v) <= demo.VIEW for p in state["points"]["points"] for v in p)
    assert demo.preset(name="nope")["points"] == demo.DEFAULT_POINTS
    assert demo.preset(name=None)["points"] == demo.DEFAULT_POINTS


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert "<svg" in html and " style=" not in html and "<script" not in html and "data:" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)


@pytest.mark.parametrize("seed", range(8))
def test_covariance_in_the_pc_basis_is_diagonal_with_the_eigenvalues(seed):
    pts = _random_cloud(seed, 5 + 3 * seed)
    result = demo.pca2d(pts)
    rotated = demo.covariance_in_pc_basis(pts, result["mean"], result["axes"])
    assert rotated[0][1] == pytest.approx(0.0, abs=1e-9) and rotated[1][0] == pytest.approx(0.0, abs=1e-9)
    assert [rotated[0][0], rotated[1][1]] == pytest.approx(result["eigenvalues"], abs=1e-9)
    state = demo.points_view(points=pts)
    assert "covariance in (PC1, PC2) coordinates" in state["readouts"] and "0.00], [0.00" in state["readouts"]


def test_a_tie_leaves_pc1_undefined_and_a_near_tie_loose():
    square = demo.points_view(points=[[1, 0], [-1, 0], [0, 1], [0, -1]])
    assert "any direction: λ₁ = λ₂" in square["readouts"]
    ring = demo.points_view(points=demo.PRESETS["round"])
    assert "barely defined" in ring["readouts"]
    values = ring["eigenvalues"]
    assert (values[0] - values[1]) / sum(values) < demo.TIE_GAP
    for name in ("cloud", "line"):
        assert "barely defined" not in demo.points_view(points=demo.PRESETS[name])["readouts"]
    assert demo.pca2d(demo.PRESETS["line"])["explained"][0] == pytest.approx(1.0)
