"""Chapter 11's verdicts follow its measured figures (figures/latent.py), and the measures
themselves mean what the prose says they mean."""
from __future__ import annotations

import numpy as np

from figures import latent
from truth_helpers import prose

STEM = "11-latent-space-arithmetic"


def set_fact(**values):
    return lambda v: v["facts"]["latent"].update(values)


def test_slant_measures_lean_right_as_positive_and_upright_as_zero():
    image = np.zeros((28, 28))
    for row in range(4, 24):                         # a stroke whose top is to the right of its bottom
        image[row, 14 + (24 - row) // 4] = 1.0
    assert latent.slant(image.ravel()) > 0.2
    assert abs(latent.slant(np.fliplr(image).ravel()) + latent.slant(image.ravel())) < 1e-9
    upright = np.zeros((28, 28))
    upright[4:24, 14] = 1.0
    assert abs(latent.slant(upright.ravel())) < 1e-9


def test_the_facts_are_consistent_with_the_sample():
    facts = latent.facts()
    rows = latent.ones_to_sevens()
    assert facts["ones"] == len(rows) == 20
    assert facts["read_as_seven"] + facts["failures"] == facts["ones"]
    assert -1 <= facts["slant_correlation"] <= 1
    assert facts["neighbour_median"] <= facts["neighbour_p95"]
    assert set(facts["reach"]) == {"0.0", "0.5", "1.0", "1.5", "2.0"}


def test_the_slant_verdict_follows_the_correlation():
    text = prose(STEM)
    strong = latent.facts()["slant_correlation"] >= 0.7
    assert ("the slant *tends* to carry over" in text) == strong
    assert "the slant does not carry over" in prose(STEM, set_fact(slant_correlation=0.05))
    assert "the slant *tends* to carry over" in prose(STEM, set_fact(slant_correlation=0.9))
    assert "a weak tendency" in prose(STEM, set_fact(slant_correlation=0.5))


def test_the_failure_sentence_follows_the_count_and_the_offsets():
    assert "All 20 results read as 7s" in prose(STEM, set_fact(failures=0, failure_reads_as=[]))
    text = prose(STEM, set_fact(failures=2, failure_reads_as=[9, 9], failure_offset_min=12.0, success_offset_max=9.0))
    assert "2 of the 20 results read as 9" in text and "small offsets travel, large ones break" in text
    text = prose(STEM, set_fact(failures=1, failure_reads_as=[4], failure_offset_min=5.0, success_offset_max=9.0))
    assert "offset length alone does not predict which" in text


def test_the_reach_of_k_is_a_measurement_not_an_assumption():
    far = set_fact(reach={"0.0": 5.0, "0.5": 5.0, "1.0": 5.0, "1.5": 9.0, "2.0": 30.0}, neighbour_p95=8.0)
    assert "the decoder is drawing where it saw no examples" in prose(STEM, far)
    near = set_fact(reach={"0.0": 11.0, "0.5": 11.0, "1.0": 10.0, "1.5": 10.0, "2.0": 11.0}, neighbour_p95=12.0)
    assert "no more out of place than the bold 2" in prose(STEM, near)


def test_the_for_scale_verdict_compares_the_two_distances():
    far = set_fact(demo_a_to_its_centroid=20.0)
    assert "farther than the 4s' centroid" in prose(STEM, far)
    near = set_fact(demo_a_to_its_centroid=1.0)
    assert "no farther than the 4s' centroid" in prose(STEM, near)


def test_the_video_ones_verdict_compares_its_extra_lean_in_and_out():
    kept = set_fact(video_slant_in=0.3, mean_one_slant=0.0, video_slant_out=0.3, mean_seven_slant=0.0)
    assert "For this 1 the extra lean carries over." in prose(STEM, kept)
    lost = set_fact(video_slant_in=0.3, mean_one_slant=0.0, video_slant_out=0.05, mean_seven_slant=0.0)
    assert "the extra lean hardly carries over" in prose(STEM, lost)
    reversed_ = set_fact(video_slant_in=0.3, mean_one_slant=0.2, video_slant_out=0.0, mean_seven_slant=0.04)
    assert "its extra lean does not carry over" in prose(STEM, reversed_)
    upright = set_fact(slant_correlation=0.9, mean_abs_slant_in=0.2, mean_abs_slant_out=0.1)
    assert "more upright than the 1s went in" in prose(STEM, upright)
    assert "more upright" not in prose(STEM, set_fact(slant_correlation=0.9, mean_abs_slant_in=0.1,
                                                      mean_abs_slant_out=0.2))


def test_the_distance_formula_sums_over_the_models_latent_dimensions():
    def latent_dim(d):
        return lambda v: v["models"]["mnist-ae-16d"].update(latent_dim=d)
    assert r"\sum_{j=1}^{16 }" in prose(STEM, latent_dim(16))
    text = prose(STEM, latent_dim(32))
    assert r"\sum_{j=1}^{32 }" in text and r"$32 \times 32$ matrix $R$" in text and "(32 bars)" in text
