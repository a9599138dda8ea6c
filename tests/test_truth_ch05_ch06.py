"""Chapters 5 and 6 say what their figures say: every verdict flips when its figure does, every
number comes from the manifest or from figures/pca.py, and those facts are what the demos' own
code and the data give."""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from figures import pca as figs
from py_runtime.demos import pca_playground, tesseract
from py_runtime.demos._lib import mnist_data
from truth_helpers import prose, real_variables

CH5, CH6 = "05-high-dimensional-data", "06-pca"


def data(v):
    return v["manifest"]["data"]["mnist-pca"]


def facts(v):
    return v["facts"]["pca"]


# --- chapter 5 ----------------------------------------------------------------------------------

def test_ch05_quotes_the_real_threshold_not_the_first_tabulated_count():
    pca = real_variables()["manifest"]["data"]["mnist-pca"]
    text = prose(CH5)
    k90 = pca["components_for_variance"]["0.9"]
    assert f"nine-tenths takes {k90}, which is {round(k90 / 784 * 100)}% of the 784 dimensions" in text
    assert str(k90) not in pca["cumulative_explained_variance"]            # not one of the tabulated counts
    moved = prose(CH5, lambda v: data(v)["components_for_variance"].update({"0.9": 123}))
    assert "nine-tenths takes 123" in moved and "123 of the 784 directions carry 90%" in moved


def test_ch05_small_part_of_the_space_is_a_verdict():
    assert "but it is a small part of the space" in prose(CH5)
    flipped = prose(CH5, lambda v: data(v)["components_for_variance"].update({"0.9": 500}))
    assert "but it is no small part of the space" in flipped and "but it is a small part" not in flipped


def test_ch05_neighbour_correlation_is_measured_and_judged():
    pca = real_variables()["manifest"]["data"]["mnist-pca"]
    text = prose(CH5)
    assert f"it is {pca['neighbour_pixel_correlation']:.2f}" in text
    assert "neighbouring pixels are strongly correlated" in text
    weak = prose(CH5, lambda v: data(v).update(neighbour_pixel_correlation=0.2))
    assert "neighbouring pixels are only weakly correlated" in weak and "it is 0.20" in weak
    assert "the strong relationship is between neighbours" in text
    same = prose(CH5, lambda v: data(v).update(pixel_pair_correlation=0.6))
    assert "the strong relationship is between neighbours" not in same and "the average is 0.60" in same


def test_ch05_static_comes_from_independence_not_from_the_surface():
    text = prose(CH5)
    assert "almost surely" not in text
    assert "real digits are nearer still" in text
    flipped = prose(CH5, lambda v: facts(v)["static"].update(digit_near_surface_share=0.05))
    assert "real digits are near it too, with 5% of their pixels" in flipped and "nearer still" not in flipped
    assert "even the least smooth digit" in text
    overlap = prose(CH5, lambda v: facts(v)["static"].update(digit_neighbour_r_min=0.01))
    assert "even the least smooth digit" not in overlap


def test_ch05_most_coordinates_are_zero_is_a_verdict():
    assert "the blank background that makes up most of the image" in prose(CH5)
    few = prose(CH5, lambda v: facts(v)["static"].update(digit_zero_share=0.3))
    assert "30% of the 784 coordinates are exactly 0, the blank background." in few


def test_ch05_fixes():
    text = prose(CH5)
    assert "nearer the light" not in text and "the first to pass 90 percent" not in text
    assert "The simplest rotations in four dimensions turn one *plane*" in text
    assert "turn two perpendicular planes at once" in text


# --- chapter 6 ----------------------------------------------------------------------------------

def test_ch06_the_autoencoder_comparison_is_a_verdict():
    text = prose(CH6)
    assert "The curved map does better" in text and "price of being linear" not in text
    worse = prose(CH6, lambda v: v["models"]["mnist-ae-16d"].update(test_mse=1.0))
    assert "The curved map does better" not in worse and "Here the curved map does no better" in worse


def test_ch06_blur_is_measured_for_both_and_judged():
    text = prose(CH6)
    rb = real_variables()["facts"]["pca"]["rebuild"]
    assert f"{round(rb['grey_pca'] * 100, 1)}% of the pixels of their rebuilds from {rb['k']} components" in text
    assert "also rebuilds greyer than the originals" in text and "though less grey than PCA" in text
    sharp = prose(CH6, lambda v: facts(v)["rebuild"].update(grey_autoencoder=0.0))
    assert "rebuilds about as sharply as the originals" in sharp and "also rebuilds greyer" not in sharp
    greyer = prose(CH6, lambda v: facts(v)["rebuild"].update(grey_autoencoder=0.9))
    assert "also rebuilds greyer" in greyer and "though less grey than PCA" not in greyer


def test_ch06_shares_verdicts_flip():
    text = prose(CH6)
    assert "No single direction dominates" in text and "carry just" in text
    big = prose(CH6, lambda v: data(v)["explained_variance_ratio"].__setitem__(0, 0.6))
    assert "One direction stands out: PC 1 explains 60.0%" in big and "No single direction" not in big
    fat_tail = prose(CH6, lambda v: data(v)["cumulative_explained_variance"].update({"200": 0.5}))
    assert "The last 584 directions still carry 50.0%" in fat_tail and "carry just" not in fat_tail


def test_ch06_thresholds_come_from_the_manifest():
    pca = real_variables()["manifest"]["data"]["mnist-pca"]
    counts = ", ".join(str(k) for k in pca["components_for_variance"].values())
    assert f"of the variance are {counts}." in prose(CH6)


def test_ch06_demo_curves_are_computed_and_judged():
    one = real_variables()["facts"]["pca"]["one_curve"]
    text = prose(CH6)
    assert (f"at every $k$ from 1 to {one['of']}" in text) == (one["above"] == one["of"])
    some = prose(CH6, lambda v: facts(v)["one_curve"].update(above=40))
    assert "at 40 of the 64 values of $k$" in some and "at every $k$ from 1" not in some
    none = prose(CH6, lambda v: facts(v)["eight_curve"].update(above=0))
    assert "For the 8 it runs below at every $k$" in none


def test_ch06_demo_presets_are_disclosed_and_judged():
    text = prose(CH6)
    assert "points placed by hand" in text and "built so that no direction is special" in text
    assert "the demo warns that PC 1 is barely defined" in text and "one number per point says everything" in text
    lopsided = prose(CH6, lambda v: facts(v)["presets"]["round"].update(pc1=0.7))
    assert "70.0% and 30.0%" in lopsided and "barely defined" not in lopsided
    bent = prose(CH6, lambda v: facts(v)["presets"]["line"].update(pc1=0.9))
    assert "one number per point says everything" not in bent


def test_ch06_defines_what_it_uses():
    text = prose(CH6)
    for term in ("**transpose**", "**outer product**", "**positive semidefinite**", "**autoencoder**"):
        assert term in text
    assert text.index("**outer product**") < text.index("(\\mathbf{x}_i - \\mathbf{m})(\\mathbf{x}_i - \\mathbf{m})^\\top")
    assert "03-orthogonality.md#uncorrelated-is-not-independent" in text
    assert "### PCA is the best linear autoencoder" in text
    assert "If $\\lambda_1 = \\lambda_2$" in text and "are also $\\geq 0$" in text
    assert "[^bessel]" in text


def test_ch06_worked_example_is_the_demo_code():
    w = real_variables()["facts"]["pca"]["worked"]
    points = np.array(figs.WORKED_POINTS, dtype=float)
    cov = np.cov(points.T)
    values = np.sort(np.linalg.eigvalsh(cov))[::-1]
    assert np.allclose(w["cov"], cov) and w["l1"] == pytest.approx(values[0]) and w["l2"] == pytest.approx(values[1])
    assert w["share1"] == pytest.approx(values[0] / values.sum())
    text = prose(CH6)
    assert f"$\\lambda_1 = {w['l1']:g}$" in text and f"= {w['total']:g}$" in text
    changed = prose(CH6, lambda v: facts(v)["worked"].update(l1=7.25))
    assert "$\\lambda_1 = 7.25$" in changed


# --- the facts behind the prose -----------------------------------------------------------------

def test_facts_are_deterministic_and_json():
    import json
    first, second = figs.facts(), figs.facts()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_static_and_digit_facts_match_the_demo_readouts():
    s = figs.static_versus_digits()
    digits = figs.sample_digits()
    assert s["digit_zero_share"] == pytest.approx(float(np.mean(digits == 0)))
    assert s["static_near_surface_share"] == pytest.approx(0.1, abs=0.01)          # 1 − 0.9 of each pixel
    assert s["digit_neighbour_r"] > 0.5 > abs(s["static_neighbour_r"])
    state = tesseract.digit_view(source="random", seed=1)
    assert state["neighbour_correlation"] == pytest.approx(tesseract.neighbour_correlation(tesseract.random_vector(1)))


def test_pixel_pairs_are_correlations_of_the_sample():
    pairs = figs.pixel_pairs()
    digits = figs.sample_digits()
    i = 28 * figs.PIXEL[0] + figs.PIXEL[1]
    assert pairs["neighbour_r"] == pytest.approx(np.corrcoef(digits[:, i], digits[:, i + 1])[0, 1])
    assert pairs["neighbour_r"] > pairs["far_r"]


def test_curve_crossings_follow_the_demo():
    one = figs.curve_crossings(1)
    above = sum(1 for k in range(1, 65) if pca_playground.digit_view(digit=1, sample=0, k=k)["captured"]
                > pca_playground.digit_view(digit=1, sample=0, k=k)["explained"])
    assert one["above"] == above and one["of"] == 64


def test_grey_share_counts_mid_grey_pixels():
    assert figs.grey_share([[0.0, 1.0, 0.5, 0.2, 0.8, 0.21]]) == pytest.approx(2 / 6)
    rb = figs.rebuild_greyness()
    assert rb["grey_pca"] > rb["grey_original"] and rb["k"] == real_variables()["models"]["mnist-ae-16d"]["latent_dim"]


@pytest.mark.parametrize("function", [figs.eigen_digits, figs.neighbour_pixels])
def test_figures_are_accessible_svg(function):
    picture = function()
    root = ET.fromstring(picture["svg"])
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title") is not None
    assert len(picture["alt"]) > 40 and "style=" not in picture["svg"] and "<script" not in picture["svg"]


def test_eigen_digit_figure_shows_the_basis():
    svg = figs.eigen_digits()["svg"]
    shares = mnist_data.pca_basis()["explained"]
    for i in range(figs.EIGEN_DIGITS):
        assert f"PC {i + 1}: {100 * shares[i]:.1f}%" in svg
    assert "mean digit" in svg


def test_manifest_thresholds_agree_with_its_own_tables():
    pca = real_variables()["manifest"]["data"]["mnist-pca"]
    table = {int(k): v for k, v in pca["cumulative_explained_variance"].items()}
    ratios = pca["explained_variance_ratio"]
    for share, k in pca["components_for_variance"].items():
        share = float(share)
        assert all(v < share + 1e-4 for n, v in table.items() if n < k)       # no smaller tabulated count reaches it
        assert all(v >= share - 1e-4 for n, v in table.items() if n >= k)
        if k <= len(ratios):                                                   # the stored spectrum agrees exactly
            assert sum(ratios[:k]) >= share - 1e-4 and sum(ratios[:k - 1]) < share + 1e-4
    assert 0 < pca["pixel_pair_correlation"] < pca["neighbour_pixel_correlation"] < 1
    assert 0 < pca["neighbour_pixel_pairs"] <= 28 * 27
    assert not math.isnan(pca["neighbour_pixel_correlation"])


def test_ch05_figure_caption_quotes_and_judges_its_correlations():
    pairs = real_variables()["facts"]["pca"]["pairs"]
    text = prose(CH5)
    assert f"left, correlation {pairs['neighbour_r']:.2f}" in text and "The neighbours rise and fall together" in text
    flat = prose(CH5, lambda v: facts(v)["pairs"].update(neighbour_r=0.1))
    assert "left, correlation 0.10" in flat and "rise and fall together" not in flat


def test_ch05_the_volume_is_far_from_the_centre_not_in_the_corners():
    text = prose(CH5)
    assert "In the corners." not in text and "Volume hides far from the centre" in text
    assert f"{(784 / 3) ** 0.5:.1f}$ from the centre" in text


def test_ch06_origin_step_is_measured():
    unc = real_variables()["facts"]["pca"]["uncentred"]
    assert unc["cosine_with_mean"] == pytest.approx(math.cos(math.radians(unc["angle_degrees"])))
    text = prose(CH6)
    assert "points almost exactly at their mean digit" in text
    away = prose(CH6, lambda v: facts(v)["uncentred"].update(angle_degrees=40.0))
    assert "points 40° away from their mean digit" in away and "almost exactly" not in away


def test_ch05_second_round_verdicts_flip():
    text = prose(CH5)
    assert "That is only a few directions" not in text
    few = prose(CH5, lambda v: data(v)["components_for_variance"].update({"0.9": 6}))
    assert "That is only a few directions." in few and "but it is a small part" not in few
    assert "the border is blank" in text
    frayed = prose(CH5, lambda v: facts(v)["static"].update(frame_zero_share=0.8))
    assert "the border is mostly blank" in frayed
    assert "their pixels are far from independent" in text
    weak = prose(CH5, lambda v: data(v).update(neighbour_pixel_correlation=0.2))
    assert "their pixels are not independent" in weak and "far from independent" not in weak
    assert "most of them background at exactly 0" in text
    inked = prose(CH5, lambda v: facts(v)["static"].update(digit_zero_share=0.2))
    assert "most of them background" not in inked
    tiny = prose(CH5, lambda v: facts(v)["static"].update(static_neighbour_r=-0.001))
    assert "random pictures it is 0.00;" in tiny and "−0.00" not in tiny


def test_ch05_links_what_it_uses_before_chapter_6():
    text = prose(CH5)
    first = text.index("standard deviation")
    assert text.index("06-pca.md#variance-and-covariance") > first > 0
    assert "03-orthogonality.md#uncorrelated-is-not-independent" in text


def test_ch06_soft_edges_are_a_verdict_and_best_has_its_limits():
    text = prose(CH6)
    assert "The rebuilds are soft-edged" in text and "yet its rebuilds are soft-edged" in text
    assert "soft edges are not peculiar to linear maps" in text
    crisp = prose(CH6, lambda v: facts(v)["rebuild"].update(grey_pca=0.01))
    assert "The rebuilds keep their edges" in crisp and "soft-edged" not in crisp
    assert "not peculiar to linear maps" not in crisp
    assert "every local minimum of a linear autoencoder's squared error is one of those best pairs" in text
    assert "best among *affine* maps" in text and "a network can beat it" not in text
    assert "02-vectors-and-matrices.md#matrices-of-any-shape" in text


def test_neighbour_figure_alt_is_measured():
    pairs = figs.pixel_pairs()
    digits = figs.sample_digits()
    i, j = 28 * figs.PIXEL[0] + figs.PIXEL[1], 28 * figs.FAR[0] + figs.FAR[1]
    a, b = digits[:, i], digits[:, i + 1]
    inked = (a != 0) | (b != 0)
    assert pairs["neighbour_near_diagonal"] == pytest.approx(np.mean(np.abs(a - b)[inked] <= figs.DIAGONAL))
    assert pairs["far_both_blank"] == int(np.sum((a == 0) & (digits[:, j] == 0)))
    alt = figs.neighbour_pixels()["alt"]
    assert f"{100 * pairs['neighbour_near_diagonal']:.0f}% lie within" in alt and "near the diagonal;" not in alt
    assert figs.near_diagonal([0, 0, 1], [0, 0.5, 1]) == pytest.approx(0.5)


@pytest.mark.parametrize("stem, slug", [(CH5, "high-dimensional-data"), (CH6, "pca")])
def test_every_printed_value_is_on_the_page_in_text_or_formula(built_site, stem, slug):
    """As tests/test_chapters.py checks, but a value printed inside $…$ is looked for in the
    formula's TeX annotation, since the visible text of a MathML formula is split into tokens."""
    import html
    import re
    from site_builder.build import Builder, Project
    from site_builder.chapters import content_environment
    from conftest import ROOT
    raw = (built_site / slug / "index.html").read_text(encoding="utf-8")
    tex = " ".join(html.unescape(t) for t in re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>',
                                                        raw, re.S))
    text = re.sub(r"<math.*?</math>|<[^>]+>", " ", raw, flags=re.S)
    page = re.sub(r"\s+", " ", html.unescape(text) + " " + tex)
    chapter = next(c for c in Builder(Project.at(ROOT)).load()[1] if c.stem == stem)
    printed = []
    env = content_environment()
    env.finalize = lambda value: printed.append(str(value)) or value
    env.from_string(chapter.body).render(**real_variables())
    for value in printed:
        shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()
        assert shown and shown in page, value
