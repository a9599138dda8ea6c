"""The latent-arithmetic demo's math on CPython: a + k·(c − b), lerp/slerp paths, centroid distances."""
from __future__ import annotations

import json
import random
import re

import numpy as np
import pytest

from py_runtime.demos import latent_arithmetic as demo
from py_runtime.demos._lib import mnist_data, models

CENTROID = demo.CENTROID


def _centroids():
    model = models.get(demo.MODEL)
    return np.array([model.centroids[label] for label in range(10)])


def test_centroid_three_minus_three_plus_eight_lands_on_eight():
    state = demo.view(a_class=3, a_which=CENTROID, b_class=3, b_which=CENTROID, c_class=8, c_which=CENTROID, k=1)
    assert state["nearest"] == 8
    assert state["distances"][8] == pytest.approx(0, abs=1e-9)
    assert "8 (distance 0.00)" in state["readouts"]
    assert np.allclose(state["result"], _centroids()[8])


def test_changing_k_changes_the_result_along_c_minus_b():
    base = dict(a_class=3, a_which=CENTROID, b_class=3, b_which=CENTROID, c_class=8, c_which=CENTROID)
    c3, c8 = _centroids()[3], _centroids()[8]
    for k in (-1.0, 0.0, 0.5, 1.5, 2.0):
        state = demo.view(**base, k=k)
        assert np.allclose(state["result"], c3 + k * (c8 - c3))
    assert demo.view(**base, k=0)["nearest"] == 3
    assert demo.view(**base, k=0.5)["equation"] != demo.view(**base, k=1)["equation"]


@pytest.mark.parametrize("seed", range(10))
def test_result_and_distances_match_numpy(seed):
    rng = random.Random(seed)
    params = {f"{n}_class": rng.randrange(10) for n in "abc"}
    params |= {f"{n}_which": rng.randrange(-1, 20) for n in "abc"}
    params |= {"k": rng.uniform(-1, 2), "s": rng.uniform(0, 1), "method": rng.choice(["linear", "spherical"])}
    state = demo.view(**params)
    p = state["params"]
    model = models.get(demo.MODEL)

    def code(n):
        label, which = p[f"{n}_class"], p[f"{n}_which"]
        if which == CENTROID:
            return np.array(model.centroids[label])
        return np.array(model.encode(mnist_data.digit(label, which)))

    a, b, c = code("a"), code("b"), code("c")
    r = a + p["k"] * (c - b)
    assert np.allclose(state["result"], r, atol=1e-5)
    dist = np.linalg.norm(_centroids() - r, axis=1)
    assert np.allclose(state["distances"], dist, atol=1e-5)
    assert state["nearest"] == int(np.argmin(dist))
    s = p["s"]
    if p["method"] == "linear":
        expected = (1 - s) * a + s * r
    else:
        omega = np.arccos(np.clip(a @ r / (np.linalg.norm(a) * np.linalg.norm(r)), -1, 1))
        expected = (np.sin((1 - s) * omega) * a + np.sin(s * omega) * r) / np.sin(omega)
    assert np.allclose(state["point"], expected, atol=1e-4)


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_path_starts_at_a_and_ends_at_r(method):
    start = demo.view(s=0, method=method, k=1.5)
    end = demo.view(s=1, method=method, k=1.5)
    a = demo.operand(demo.DEFAULTS["a_class"], demo.DEFAULTS["a_which"])
    assert np.allclose(start["point"], a, atol=1e-6)
    assert np.allclose(end["point"], end["result"], atol=1e-6)


def test_slerp_and_lerp_differ_midway_and_keep_the_norm_more_steady():
    lin, sph = demo.view(s=0.5, method="linear"), demo.view(s=0.5, method="spherical")
    assert not np.allclose(lin["point"], sph["point"])
    a, r = np.array(demo.operand(2, 18)), np.array(lin["result"])
    assert np.linalg.norm(sph["point"]) >= np.linalg.norm(lin["point"]) - 1e-9   # the arc bulges out
    assert min(np.linalg.norm(a), np.linalg.norm(r)) - 1e-6 <= np.linalg.norm(sph["point"])


def test_every_operand_and_the_results_are_drawn_and_the_caveat_is_said():
    state = demo.view()
    assert state["equation"].count("<img") == 4                   # a, c, b and r, decoded
    assert state["body"].count('data-result="p"') == 1
    assert state["body"].count("<tr") == 11 and state["body"].count('class="nearest"') == 2
    assert "never labelled" in state["note"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, -7, [1], {}])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        p = state["params"]
        assert all(0 <= p[f"{n}_class"] <= 9 and -1 <= p[f"{n}_which"] < 20 for n in "abc")
        assert -1 <= p["k"] <= 2 and 0 <= p["s"] <= 1 and p["method"] in ("linear", "spherical")


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert len(html) > 1000 and " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)
    func, args = demo.INTERACTION
    json.dumps(getattr(demo, func)(**args), allow_nan=False)


def test_with_centroids_and_k_one_the_offset_from_b_is_carried_over_to_c():
    state = demo.view(a_class=2, a_which=18, b_class=2, b_which=CENTROID, c_class=3, c_which=CENTROID, k=1)
    a = np.array(demo.operand(2, 18))
    assert state["distances"][3] == pytest.approx(float(np.linalg.norm(a - _centroids()[2])), abs=1e-6)
    assert "r − c = a − b" in state["note"]
    assert "r − c = a − b" not in demo.view(k=0.5)["note"]
