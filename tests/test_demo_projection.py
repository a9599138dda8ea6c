"""The projection demo's math on CPython: dot product, angle, projection, correlation = cos θ."""
from __future__ import annotations

import json
import math
import random
import re

import numpy as np
import pytest

from py_runtime.demos import projection as demo


def test_perpendicular_vectors_have_zero_dot_product_and_a_right_angle():
    state = demo.view(ax=2, ay=0, bx=0, by=1.5)
    assert state["dot"] == 0 and state["angle"] == pytest.approx(90)
    assert state["projection"] == [0, 0]
    assert abs(state["r"]) < 1e-12
    assert "⟂" in state["readouts"] and "90.0°" in state["readouts"]
    assert 'class="right-angle"' in state["vectors"]


@pytest.mark.parametrize("seed", range(20))
def test_dot_angle_projection_and_correlation_match_numpy(seed):
    rng = random.Random(seed)
    params = {k: rng.uniform(-3.5, 3.5) for k in demo.DEFAULTS}
    state = demo.view(**params)
    p = state["params"]
    a, b = np.array([p["ax"], p["ay"]]), np.array([p["bx"], p["by"]])
    assert state["dot"] == pytest.approx(float(a @ b))
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert state["angle"] == pytest.approx(math.degrees(math.acos(np.clip(cos, -1, 1))), abs=1e-9)
    shadow = (a @ b) / (a @ a) * a
    assert state["projection"] == pytest.approx(shadow.tolist())
    assert float((b - shadow) @ a) == pytest.approx(0, abs=1e-9)        # the residual is perpendicular to a
    x, y = (np.array(v) for v in demo.features(a.tolist(), b.tolist()))
    assert state["r"] == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-9)
    assert state["r"] == pytest.approx(cos, abs=1e-9)                     # correlation is a cosine
    assert x.std() == pytest.approx(np.linalg.norm(a)) and y.std() == pytest.approx(np.linalg.norm(b))
    slope = (x @ y) / (x @ x)
    assert slope == pytest.approx((a @ b) / (a @ a))                      # regression slope = projection coefficient


def test_parallel_and_opposite_vectors():
    assert demo.view(ax=1, ay=1, bx=2, by=2)["angle"] == pytest.approx(0, abs=1e-6)
    state = demo.view(ax=1, ay=0, bx=-3, by=0)
    assert state["angle"] == pytest.approx(180) and state["r"] == pytest.approx(-1)


def test_handles_snap_to_the_grid():
    assert demo.view(ax=1.234, ay=-0.06, bx=0.04, by=3.96)["params"] == {"ax": 1.2, "ay": -0.1, "bx": 0.0, "by": 3.8}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {}])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        assert all(abs(v) <= demo.LIMIT for v in state["params"].values())


def test_zero_vectors_do_not_crash():
    for params in ({"ax": 0, "ay": 0}, {"bx": 0, "by": 0}, {"ax": 0, "ay": 0, "bx": 0, "by": 0}):
        state = demo.view(**params)
        json.dumps(state, allow_nan=False)
        assert "undefined" in state["readouts"]


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert "<svg" in html and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)


def test_the_feature_view_says_its_samples_are_built_from_a_and_b():
    state = demo.view()
    assert "built from a and b" in state["scatter"]
    assert "computed from the samples" in state["readouts"] and "they are built" in state["readouts"]


def test_negative_numbers_use_a_real_minus_and_negative_factors_are_bracketed():
    readouts = demo.view(ax=3, ay=1, bx=-1, by=3)["readouts"]
    assert "3.0 × (−1.0) + 1.0 × 3.0 = 0.00" in readouts
    assert not re.search(r"-\d", demo.view(ax=-2.5, ay=0.5, bx=1, by=-2)["readouts"])
    assert "−" in demo.view(ax=-2.5, ay=0.5, bx=1, by=-2)["readouts"]
