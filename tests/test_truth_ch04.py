"""Chapter 4 says what its figures say: each verdict flips when the figure behind it does, the
numbers are the demo's own, minus signs are real, and the video mixes with the chapter's A."""
from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

from conftest import ROOT
from figures import bss as figures_bss
from py_runtime.demos import bss_unmix as bss
from truth_helpers import prose, real_variables

STEM = "04-blind-source-separation"


def facts() -> dict:
    return real_variables()["facts"]["bss"]


def with_facts(**changes):
    return prose(STEM, lambda v: v["facts"]["bss"].update(changes))


@pytest.mark.parametrize("key, value, said, flipped", [
    ("mix45_sine_gaussian", 0.0, "farther from Gaussian than the noise", "as close to Gaussian as the noise or closer"),
    ("worst_random_r", 0.5, "the recovered signals do not", "the recovered signals change"),
    ("r_one_gaussian", 0.5, "separation still works", "separation fails"),
    ("nongaussian_silent", False, "the warning stays silent", "the warning can fire there too"),
    ("gg_warns", False, "the demo warns that every rotation looks alike", "the demo does not warn"),
    ("simulated_tail_share", 0.005, "The real tail is heavier", "Simulation bears the approximation out"),
    ("simulated_misses", 3, "None of them reached the threshold", "3 of them reached the threshold"),
])
def test_verdict_flips_with_its_figure(key, value, said, flipped):
    assert said in prose(STEM) and flipped not in prose(STEM)
    changed = with_facts(**{key: value})
    assert flipped in changed and said not in changed


def test_the_45_degree_mix_is_quoted_with_a_real_minus_sign():
    text = prose(STEM)
    assert f"kurtosis {facts()['mix45_sine_gaussian']:.3f}".replace("-", "−") in text
    assert with_facts(mix45_sine_gaussian=-0.5).count("−0.500") == 1


def test_prose_numbers_use_real_minus_signs():
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\(https?://[^)]*\)|\[doi:[^\]]*\]", " ", prose(STEM), flags=re.S)
    assert not re.findall(r"(?<![\w.])-\d", text)


def test_whitening_figures_are_the_eigen_decomposition_of_a_a_transpose():
    f = facts()
    a = np.array([[f["a11"], f["a12"]], [f["a21"], f["a22"]]])
    assert a.tolist() == [[bss.DEFAULTS[k] for k in ("a11", "a12")], [bss.DEFAULTS[k] for k in ("a21", "a22")]]
    assert sorted([f["lambda1"], f["lambda2"]]) == pytest.approx(np.linalg.eigvalsh(a @ a.T))
    assert f["lambda1"] * f["lambda2"] == pytest.approx(f["det_a"] ** 2)
    vector = np.array([math.cos(math.radians(f["eigvec1_deg"])), math.sin(math.radians(f["eigvec1_deg"]))])
    assert a @ a.T @ vector == pytest.approx(f["lambda1"] * vector)
    assert f["stretch2"] == pytest.approx(f["lambda2"] ** -0.5)
    sample = bss.separate("sine", "sawtooth", *a.ravel())["eigenvalues"]
    assert [f["demo_lambda1"], f["demo_lambda2"]] == pytest.approx(sample)
    assert f"{f['lambda1']:.3f}" in prose(STEM) and f"{f['demo_lambda1']:.3f}" in prose(STEM)


def test_threshold_facts_are_the_demos():
    f = facts()
    assert f["warning_score"] == bss.WARNING_SCORE and f["n"] == bss.ICA_SAMPLES
    assert f["se_kurtosis"] == pytest.approx(math.sqrt(24 / bss.ICA_SAMPLES))
    assert bss.chi2_5_tail(f["warning_score"]) == pytest.approx(f["gaussian_miss"], rel=1e-6)
    assert f["simulated_misses"] <= f["simulated_pairs"] * 1e-3
    assert 3.5 < f["simulated_median_score"] < 5.0                 # a chi-square(5) has median 4.35
    assert f["simulated_max_score"] < f["warning_score"] or f["simulated_misses"] > 0
    assert bss.chi2_5_tail(f["chi2_checked_score"]) == pytest.approx(f["checked_tail"], rel=1e-6)
    scores = figures_bss.simulated_gaussian_scores(1000)
    assert f["simulated_tail_share"] > 0 and 0 < (scores > f["chi2_checked_score"]).mean() < 0.05


def test_simulation_scores_like_the_demo():
    """figures/bss.py's vectorised NumPy score is the demo's cumulant_score on the same data."""
    rng = np.random.default_rng(5)
    s = rng.normal(size=(2, bss.ICA_SAMPLES))
    a = figures_bss.default_matrix()
    x1, x2 = (a @ s).tolist()
    demo_score = bss.blind_unmix(x1, x2)["score"]
    x = (a @ s)[None]
    x -= x.mean(axis=2, keepdims=True)
    values, vectors = np.linalg.eigh(x @ x.transpose(0, 2, 1) / bss.ICA_SAMPLES)
    z = (vectors / np.sqrt(values)[:, None, :]).transpose(0, 2, 1) @ x
    m = [(z[:, 0] ** p * z[:, 1] ** (4 - p)).mean(axis=1)[0] for p in (4, 3, 2, 1, 0)]
    assert bss.cumulant_score(m, bss.ICA_SAMPLES) == pytest.approx(demo_score, rel=1e-6)


def test_kurtosis_figures_are_the_sources():
    f = facts()
    assert f["kurt_sine"] == bss.population_kurtosis("sine")
    assert f["mix45_sine_gaussian"] == pytest.approx(f["weight45"] * (f["kurt_sine"] + f["kurt_gaussian"]))
    text = prose(STEM)
    for key in ("kurt_sine", "kurt_sawtooth", "kurt_square"):
        assert f"{f[key]:.1f}".replace("-", "−") + " for a" in text


def test_the_video_mixes_with_the_chapters_matrix():
    """animations/signal_unmixing.py (read, not imported: that needs Manim) uses the demo's A."""
    tree = ast.parse((ROOT / "animations" / "signal_unmixing.py").read_text(encoding="utf-8"))
    mix = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and any(getattr(t, "id", None) == "MIX" for t in node.targets))
    assert ast.literal_eval(mix.args[0]) == [[bss.DEFAULTS["a11"], bss.DEFAULTS["a12"]],
                                             [bss.DEFAULTS["a21"], bss.DEFAULTS["a22"]]]


def test_no_false_claims_come_back():
    text = prose(STEM)
    for claim in ("more Gaussian than their parts", "closer to Gaussian than either", "a square again",
                  "flat, bounded", "shears that square", "only if the sources are non-Gaussian"):
        assert claim not in text
    assert "Darmois–Skitovich theorem" in text and "a blind method cannot do" in text


def test_the_kurtosis_bound_carries_its_conditions():
    """The bound is stated for unit-variance mixes of independent sources, in kurtosis, with the
    equality case's exception (two kurtoses of 0: every mix ties), also in the takeaways."""
    text = " ".join(prose(STEM).split())
    assert r"\lvert \operatorname{kurt}(y) \rvert \le \max_i \lvert \operatorname{kurt}(s_i) \rvert" in text
    assert "unless both kurtoses are 0 only a source alone" in text
    assert text.count("unit-variance mix of independent sources is farther from Gaussian, in kurtosis") == 2
    assert "a Gaussian one reaching two would make them correlated" in text
