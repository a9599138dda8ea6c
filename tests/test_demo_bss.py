"""The bss-unmix demo's math on CPython: unit-variance sources, whitening (a turned rectangle),
the ICA rotation, recovery up to order, sign and scale, the kurtosis of mixes, the Gaussian
warning at any seed, the audio clips, and robustness to any input."""
from __future__ import annotations

import inspect
import json
import math

import numpy as np
import pytest

from py_runtime.demos import bss_unmix as demo

NON_GAUSSIAN = ("sine", "square", "sawtooth", "noise")
MATRICES = [(1.0, 0.8, 0.6, 1.0), (0.8, 1.0, -1.0, 0.9), (1.0, -1.0, 1.0, 1.0), (2.0, 1.5, 1.0, 1.5),
            (-0.7, 0.9, 0.9, 0.6), (0.6, 1.2, 1.0, -0.8)]
SEEDS = range(200)
PAIRS_WITH_AT_MOST_ONE_GAUSSIAN = [(k1, k2) for k1 in demo.KINDS for k2 in demo.KINDS
                                   if (k1, k2) != ("gaussian", "gaussian")]


def params(a, s1="sine", s2="sawtooth", seed=0):
    return {"source1": s1, "source2": s2, "a11": a[0], "a12": a[1], "a21": a[2], "a22": a[3], "seed": seed}


def sample_kurtosis(values) -> float:
    v = np.asarray(values, dtype=float)
    v = v - v.mean()
    return float((v ** 4).mean() / (v ** 2).mean() ** 2 - 3)


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


@pytest.mark.parametrize("kind", demo.KINDS)
def test_sources_have_mean_0_variance_1_and_their_stated_range(kind):
    values = np.array(demo.source(kind, 0))
    assert abs(values.mean()) < 0.05 and values.var() == pytest.approx(1.0, abs=0.05)
    if math.isfinite(demo.HALF_RANGE[kind]):
        assert np.abs(values).max() == pytest.approx(demo.HALF_RANGE[kind], rel=0.01)


@pytest.mark.parametrize("kind", demo.KINDS)
def test_population_kurtosis_matches_a_long_sample(kind):
    """The quadrature against 200,000 samples of the same source at random instants (NumPy)."""
    rng = np.random.default_rng(1)
    if kind == "gaussian":
        values = rng.normal(size=200_000)
    elif kind == "noise":
        values = rng.uniform(-math.sqrt(3), math.sqrt(3), size=200_000)
    else:
        values = [demo.waveform(kind, u) for u in rng.uniform(0, 1, size=200_000)]
    assert demo.population_kurtosis(kind) == pytest.approx(sample_kurtosis(values), abs=0.03)


@pytest.mark.parametrize("kinds", [("sine", "gaussian"), ("sawtooth", "square"), ("noise", "sine")])
@pytest.mark.parametrize("degrees", [0, 20, 45, 70])
def test_kurtosis_of_a_unit_variance_mix_has_cos4_weights_and_is_bounded(kinds, degrees):
    rng = np.random.default_rng(degrees)
    n = 400_000

    def draw(kind):
        if kind == "gaussian":
            return rng.normal(size=n)
        if kind == "noise":
            return rng.uniform(-math.sqrt(3), math.sqrt(3), size=n)
        return np.array([demo.waveform(kind, u) for u in rng.uniform(0, 1, size=n)])
    s1, s2 = draw(kinds[0]), draw(kinds[1])
    phi = math.radians(degrees)
    k1, k2 = (demo.population_kurtosis(k) for k in kinds)
    predicted = demo.mixed_kurtosis(k1, k2, phi)
    assert sample_kurtosis(math.cos(phi) * s1 + math.sin(phi) * s2) == pytest.approx(predicted, abs=0.03)
    assert abs(predicted) <= max(abs(k1), abs(k2)) + 1e-12


def test_a_mix_can_be_farther_from_gaussian_than_one_of_its_parts():
    """The false claim the chapter used to make: sine + Gaussian at 45° is not closer to Gaussian than the noise."""
    mix = demo.mixed_kurtosis(demo.population_kurtosis("sine"), demo.population_kurtosis("gaussian"), math.pi / 4)
    assert abs(mix) > abs(demo.population_kurtosis("gaussian")) + 0.3
    assert abs(mix) < abs(demo.population_kurtosis("sine"))


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


@pytest.mark.parametrize("a", MATRICES)
def test_whitening_turns_the_unit_variance_sources_without_stretching_them(a):
    """z = U s with U = V A nearly orthogonal: the white cloud is the sources' rectangle, turned."""
    sep = demo.separate("sine", "sawtooth", *a)
    u = np.array(sep["V"]) @ np.array(a).reshape(2, 2)
    assert u @ u.T == pytest.approx(np.eye(2), abs=0.1)                         # sampling error only
    assert np.linalg.svd(u, compute_uv=False) == pytest.approx([1, 1], abs=0.05)


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


def test_the_blind_step_sees_only_the_microphones():
    """blind_unmix is given the microphones alone, and its unmixing is the one the demo uses; the
    matching to the true sources happens afterwards, outside it."""
    sep = demo.separate("sine", "sawtooth", *MATRICES[0])
    s1, s2 = demo.subsample(demo.source("sine", 0)), demo.subsample(demo.source("sawtooth", 1))
    again = demo.blind_unmix(*demo.mix(sep["A"], s1, s2))
    assert np.array(again["W"]) == pytest.approx(np.array(sep["W"]))
    assert "r_rec" not in again and "matched" not in again
    assert list(inspect.signature(demo.blind_unmix).parameters) == ["x1", "x2"]


def test_singular_matrix_cannot_be_unmixed():
    p = params((1, 1, 1, 1))
    state = demo.view(**p)
    json.dumps(state, allow_nan=False)
    assert state["singular"] and "impossible" in state["readouts"] and not state["warning"]
    assert demo.clip("y1", **p)["samples"] == [] and demo.clip("x1", **p)["samples"]
    zero = params((0, 0, 0, 0))
    assert demo.view(**zero)["singular"] and demo.clip("x2", **zero)["samples"] == []


# ---------------------------------------------------------------- the Gaussian warning, at any seed

def test_chi2_5_tail_is_the_integral_of_its_density():
    def density(x):
        return x ** 1.5 * math.exp(-x / 2) / (2 ** 2.5 * math.gamma(2.5))
    for x in (0.5, 3.0, 5.0, 11.07, 20.0, demo.WARNING_SCORE):
        upper, steps = x + 200.0, 200_000
        h = (upper - x) / steps
        integral = sum(density(x + (i + 0.5) * h) for i in range(steps)) * h
        assert demo.chi2_5_tail(x) == pytest.approx(integral, rel=1e-6), x
    assert demo.chi2_5_tail(demo.WARNING_SCORE) == pytest.approx(demo.GAUSSIAN_MISS, rel=1e-6)


def test_score_does_not_depend_on_the_rotation():
    sep = demo.separate("sine", "gaussian", *MATRICES[0])
    z1, z2 = sep["z"]
    for degrees in (10, 33, 71):
        c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        turned = ([c * u + s * v for u, v in zip(z1, z2)], [-s * u + c * v for u, v in zip(z1, z2)])
        assert demo.cumulant_score(demo.fourth_moments(*turned), len(z1)) == pytest.approx(sep["score"], rel=1e-9)


def test_score_each_term_has_its_gaussian_variance():
    """For white Gaussian data, n·κ₄₀²/24, n·κ₃₁²/6 and n·κ₂₂²/4 each average 1 (NumPy, 4,000 draws)."""
    rng = np.random.default_rng(3)
    n = demo.ICA_SAMPLES
    z = rng.normal(size=(4000, 2, n))
    z -= z.mean(axis=2, keepdims=True)
    values, vectors = np.linalg.eigh(z @ z.transpose(0, 2, 1) / n)
    z = (vectors / np.sqrt(values)[:, None, :]).transpose(0, 2, 1) @ z
    k40 = (z[:, 0] ** 4).mean(axis=1) - 3
    k31 = (z[:, 0] ** 3 * z[:, 1]).mean(axis=1)
    k22 = (z[:, 0] ** 2 * z[:, 1] ** 2).mean(axis=1) - 1
    for k, variance in ((k40, 24), (k31, 6), (k22, 4)):
        assert (n * k ** 2 / variance).mean() == pytest.approx(1.0, abs=0.15)


def test_warning_fires_on_two_gaussian_sources_at_every_seed():
    scores = []
    for seed in SEEDS:
        sep = demo.separate("gaussian", "gaussian", *MATRICES[seed % len(MATRICES)], seed)
        assert sep["flat"], (seed, sep["score"])
        scores.append(sep["score"])
    assert 4.0 < np.mean(scores) < 6.0                                        # a chi-square with 5 degrees of freedom
    state = demo.view(**params(MATRICES[0], "gaussian", "gaussian", seed=7))
    assert state["warning"] and "<dt>warning</dt>" in state["readouts"] and "every rotation looks alike" in state["readouts"]


def test_warning_stays_silent_when_at_most_one_source_is_gaussian_at_every_seed():
    for seed in SEEDS:
        k1, k2 = PAIRS_WITH_AT_MOST_ONE_GAUSSIAN[seed % len(PAIRS_WITH_AT_MOST_ONE_GAUSSIAN)]
        sep = demo.separate(k1, k2, *MATRICES[seed % len(MATRICES)], seed)
        assert not sep["flat"], (k1, k2, seed, sep["score"])
        assert sep["score"] > 2 * demo.WARNING_SCORE                         # far from the line, not just over it
    state = demo.view(**params(MATRICES[0], "sine", "gaussian", seed=7))
    assert not state["warning"] and "<dt>warning</dt>" not in state["readouts"]


def test_noise_changes_with_the_seed_and_tones_do_not():
    assert demo.source("gaussian", 0, 1) != demo.source("gaussian", 0, 2)
    assert demo.source("gaussian", 0, 1) != demo.source("gaussian", 1, 1)
    assert demo.view(**params(MATRICES[0], seed=3))["params"]["seed"] == 3
    assert demo.sample_indices(1) != demo.sample_indices(2)


# ---------------------------------------------------------------- clips and robustness

@pytest.mark.parametrize("which", demo.SIGNALS)
def test_clips_are_short_playable_and_json(which):
    c = demo.clip(which, **demo.DEFAULTS)
    json.dumps(c, allow_nan=False)
    assert c["rate"] == demo.RATE and len(c["samples"]) == demo.N
    assert max(abs(v) for v in c["samples"]) <= 0.8 + 1e-9
    assert c["samples"][0] == 0 and c["samples"][-1] == 0                      # fades: no click


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308,
                                 10 ** 400, -10 ** 400, [1], {}, True])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        assert all(abs(state["params"][k]) <= demo.LIMIT for k in demo.MATRIX_KEYS)
        assert 0 <= state["params"]["seed"] <= demo.MAX_SEED
    json.dumps(demo.clip(bad, a11=bad, source1=bad, seed=bad), allow_nan=False)


def test_readouts_use_real_minus_signs():
    state = demo.view(**params((0.9, -0.7, 0.5, 1.1)))
    text = state["readouts"]
    assert "−0.70" in text and not any(ch == "-" and nxt.isdigit() for ch, nxt in zip(text, text[1:]))


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 10 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    state = getattr(demo, name)(**kwargs)
    json.dumps(state, allow_nan=False)
    assert min(state["r_rec"]) > 0.99 and not math.isnan(state["r_mix"][0])
