"""The matrix-transform demo's math on CPython: M = R·H·S, its determinant and rank, and its
eigenvectors (nonzero u with Mu = λu), including the repeated, flipped, squashed and complex cases."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from py_runtime.demos import matrix_transform as demo


def state(**params):
    return demo.view(**params)


@pytest.mark.parametrize("seed", range(40))
def test_eigenpairs_determinant_and_rank_match_numpy(seed):
    rng = random.Random(seed)
    params = {k: rng.uniform(*demo.LIMITS[k]) for k in demo.DEFAULTS}
    if seed % 4 == 0:
        params["scale_y"] = 0.0                          # rank 1 on a quarter of the draws
    s = state(**params)
    m = np.array(s["matrix"])
    assert s["det"] == pytest.approx(params["scale_x"] * params["scale_y"], abs=1e-12)
    assert s["rank"] == np.linalg.matrix_rank(m, tol=1e-9)
    numpy_values = np.linalg.eigvals(m)
    ours = [complex(re, im) for re, im in s["eigenvalues"]]
    assert sorted(ours, key=lambda z: (z.real, z.imag)) == pytest.approx(
        sorted(numpy_values, key=lambda z: (z.real, z.imag)), abs=1e-6)
    if s["eigen_kind"] == "complex":
        assert s["eigenvectors"] == [] and all(abs(z.imag) > 0 for z in ours)
    for (lam, _), u in zip(s["eigenvalues"], s["eigenvectors"]):
        u = np.array(u)
        assert np.linalg.norm(u) == pytest.approx(1.0)
        assert m @ u == pytest.approx(lam * u, abs=1e-9)        # M sends u to a multiple of itself


def test_a_shear_has_a_repeated_eigenvalue_with_one_eigenvector_line():
    s = state(angle=0, scale_x=1, scale_y=1, shear=1)
    assert s["eigen_kind"] == "one-line"
    assert [complex(*v) for v in s["eigenvalues"]] == [1, 1]
    assert s["eigenvectors"] == [[1.0, 0.0]]
    assert "only one eigenvector line, along (1.00, 0.00)" in s["readouts"]
    assert s["readouts"].count("(1.00, 0.00)") == 1                      # said once, not printed twice
    assert s["svg"].count('class="eigen"') == 1


def test_multiples_of_the_identity_keep_every_line():
    for angle, lam in ((0, "1.00"), (180, "−1.00"), (-180, "−1.00")):
        s = state(angle=angle, scale_x=1, scale_y=1, shear=0)
        assert s["eigen_kind"] == "every", angle
        assert f"λ = {lam} twice" in s["readouts"] and "every line" in s["readouts"]


@pytest.mark.parametrize("angle", [1, 45, 90, 135, 179, -30, -90])
def test_rotations_other_than_0_and_180_degrees_have_no_real_eigenvector(angle):
    s = state(angle=angle, scale_x=1, scale_y=1, shear=0)
    assert s["eigen_kind"] == "complex" and s["eigenvectors"] == []
    assert "no real eigenvector" in s["readouts"]


def test_negative_and_zero_eigenvalues_are_named():
    flipped = state(angle=0, scale_x=-1.5, scale_y=1, shear=0)
    assert "λ = −1.50 along (1.00, 0.00) (flipped)" in flipped["readouts"]
    squashed = state(angle=0, scale_x=1.6, scale_y=0, shear=0.5)
    assert "λ = 0.00 along (0.00, 1.00) (squashed to the origin)" in squashed["readouts"]


def test_rank_one_collapses_onto_the_column_space():
    s = state(angle=30, scale_x=1.2, scale_y=0, shear=0.4)
    assert s["rank"] == 1 and "no inverse" in s["readouts"]
    assert 'class="column-space"' in s["svg"]
    direction = np.array(demo.column_space_direction(s["matrix"]))
    for x, y in ((1, 0), (0, 1), (2.5, -1.5)):
        out = np.array(demo.apply(s["matrix"], x, y))
        assert abs(out[0] * direction[1] - out[1] * direction[0]) < 1e-12      # every output on that line
    full = state(angle=30, scale_x=1.2, scale_y=0.05, shear=0.4)
    assert full["rank"] == 2 and 'class="column-space"' not in full["svg"] and "no inverse" not in full["readouts"]
    assert state(scale_x=0, scale_y=0)["rank"] == 0


def test_basis_vectors_use_the_chapters_notation():
    svg = state()["svg"]
    assert "Me₁" in svg and "Me₂" in svg and "î" not in svg and "ĵ" not in svg


def test_nothing_prints_minus_zero():
    for params in ({"angle": 90, "scale_x": 0, "scale_y": 1, "shear": 0}, {"angle": 180}, {"angle": -90}):
        assert "-0.00" not in state(**params)["readouts"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 10 ** 400, -1e308, [1], {}])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        s = state(**{key: bad})
        json.dumps(s, allow_nan=False)
        low, high = demo.LIMITS[key]
        assert low <= s["params"][key] <= high


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert "<svg" in html and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)
