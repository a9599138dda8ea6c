"""The bss-unmix demo's math on CPython: whitening, the ICA rotation, recovery up to order,
sign and scale, the audio clips, and robustness to any input."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from py_runtime.demos import bss as demo

NON_GAUSSIAN = ("sine", "square", "sawtooth", "noise")
MATRICES = [(1.0, 0.8, 0.6, 1.0), (0.8, 1.0, -1.0, 0.9), (1.0, -1.0, 1.0, 1.0), (2.0, 1.5, 1.0, 1.5),
            (-0.7, 0.9, 0.9, 0.6), (0.6, 1.2, 1.0, -0.8)]


def params(a, s1="sine", s2="sawtooth"):
    return {"source1": s1, "source2": s2, "a11": a[0], "a12": a[1], "a21": a[2], "a22": a[3]}


@pytest.mark.parametrize("a", MATRICES)
def test_recovered_sources_correlate_with_the_true_ones_and_the_mixtures_do_not(a):
    state = demo.view(**params(a))
    assert min(state["r_rec"]) > 0.99
    assert max(state["r_mix"]) < 0.9


@pytest.mark.parametrize("s1", NON_GAUSSIAN + ("gaussian",))
@pytest.mark.parametrize("s2", NON_GAUSSIAN)
def test_every_pair_with_at_most_one_gaussian_source_is_separated(s1, s2):
    for a in MATRICES[:3]:
        assert min(demo.view(**params(a, s1, s2))["r_rec"]) > 0.95, (s1, s2, a)


def test_separation_matches_numpy():
    a = MATRICES[1]
    sep = demo.separate("sine", "square", *a)
    s = np.array([demo.subsample(demo.source("sine", 0)), demo.subsample(demo.source("square", 1))])
    x = np.array(a).reshape(2, 2) @ s
    xc = x - x.mean(axis=1, keepdims=True)
    cov = xc @ xc.T / xc.shape[1]
    assert sorted(sep["eigenvalues"]) == pytest.approx(sorted(np.linalg.eigvalsh(cov)), rel=1e-9)
    v = np.array(sep["V"])
    assert v @ cov @ v.T == pytest.approx(np.eye(2), abs=1e-9)                 # whitened: identity covariance
    w = np.array(sep["W"])
    wa = w @ np.array(a).reshape(2, 2)                                           # a scaled permutation
    big = np.abs(wa).max(axis=1)
    assert (np.sort(np.abs(wa), axis=1)[:, 0] / big < 0.02).all()
    # the angle maximises the kurtosis contrast: compare with a brute-force scan in NumPy
    z = v @ xc
    def contrast(phi):
        y = np.array([[np.cos(phi), np.sin(phi)], [-np.sin(phi), np.cos(phi)]]) @ z
        k = (y ** 4).mean(axis=1) - 3
        return (k ** 2).sum()
    grid = np.linspace(0, np.pi / 2, 2001)
    best = max(contrast(p) for p in grid)
    assert contrast(sep["phi"]) >= best - 1e-6


def test_eigh2_matches_numpy():
    rng = np.random.default_rng(0)
    for _ in range(50):
        m = rng.normal(size=(2, 2))
        c = m @ m.T
        values, vectors = demo.eigh2(c.tolist())
        assert values == pytest.approx(sorted(np.linalg.eigvalsh(c), reverse=True))
        for lam, vec in zip(values, vectors):
            assert c @ np.array(vec) == pytest.approx(lam * np.array(vec), abs=1e-9)


def test_order_sign_and_scale_are_matched_for_display():
    state = demo.view(**params(MATRICES[0]))
    assert "order, sign" in state["readouts"] and "matched to the true sources" in state["readouts"]
    y1 = demo.clip("y1", **params(MATRICES[0]))["samples"]
    s1 = demo.clip("s1", **params(MATRICES[0]))["samples"]
    assert np.corrcoef(y1, s1)[0, 1] > 0.99                                     # same sign, same source


def test_singular_matrix_cannot_be_unmixed():
    p = params((1, 1, 1, 1))
    state = demo.view(**p)
    json.dumps(state, allow_nan=False)
    assert state["singular"] and "impossible" in state["readouts"]
    assert demo.clip("y1", **p)["samples"] == [] and demo.clip("x1", **p)["samples"]
    zero = params((0, 0, 0, 0))
    assert demo.view(**zero)["singular"] and demo.clip("x2", **zero)["samples"] == []


def test_two_gaussian_sources_are_flagged():
    state = demo.view(**params((1, 0.5, 0.5, 1), "gaussian", "gaussian"))
    assert "nearly Gaussian" in state["readouts"]


@pytest.mark.parametrize("which", demo.SIGNALS)
def test_clips_are_short_playable_and_json(which):
    c = demo.clip(which, **demo.DEFAULTS)
    json.dumps(c, allow_nan=False)
    assert c["rate"] == demo.RATE and len(c["samples"]) == demo.N
    assert max(abs(v) for v in c["samples"]) <= 0.8 + 1e-9
    assert c["samples"][0] == 0 and c["samples"][-1] == 0                      # fades: no click


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {}])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        assert all(abs(state["params"][k]) <= demo.LIMIT for k in demo.MATRIX_KEYS)
    json.dumps(demo.clip(bad, a11=bad, source1=bad), allow_nan=False)


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 10 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    state = getattr(demo, name)(**kwargs)
    json.dumps(state, allow_nan=False)
    assert min(state["r_rec"]) > 0.99 and not math.isnan(state["r_mix"][0])
