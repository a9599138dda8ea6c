"""Chapters 2 and 3: their verdicts follow the measured figures (figures/vectors.py), the
measures mean what the prose says, and each concept is defined before the prose uses it."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from figures import vectors
from py_runtime.demos._lib import mnist_data
from truth_helpers import prose as raw_prose

CH2, CH3 = "02-vectors-and-matrices", "03-orthogonality"


def prose(stem: str, patch=None) -> str:
    """The chapter after Jinja, its whitespace collapsed: sentences survive re-wrapping."""
    return " ".join(raw_prose(stem, patch).split())


def set_fact(**values):
    return lambda v: v["facts"]["vectors"].update(values)


def first(text: str, *needles: str) -> int:
    """Where the first of `needles` occurs in `text` (fails when none does)."""
    places = [text.find(n) for n in needles if n in text]
    assert places, needles
    return min(places)


# --- the measures -------------------------------------------------------------------------
def test_the_shift_matrix_moves_every_image_one_pixel_right():
    t = vectors.shift_matrix()
    rng = np.random.default_rng(0)
    image = rng.random((28, 28))
    expected = np.zeros((28, 28))
    expected[:, 1:] = image[:, :-1]                   # each pixel takes its left neighbour's value
    assert np.array_equal((t @ image.ravel()).reshape(28, 28), expected)


def test_shift_facts_describe_the_matrix():
    facts = vectors.facts()
    t = vectors.shift_matrix()
    assert facts["pixels"] == t.shape[0] == t.shape[1] == 784
    assert facts["shift_ones"] == int(t.sum()) == 28 * 27
    assert facts["shift_zero_rows"] == 28
    # rank-nullity: the images with ink only in the right-hand column are exactly what T sends to 0
    right_column = np.zeros((28, 28))
    right_column[:, 27] = 1.0
    assert not (t @ right_column.ravel()).any()
    assert facts["shift_rank"] == 784 - 28


def test_overlap_facts_agree_with_a_direct_count():
    facts = vectors.overlap_facts()
    x = np.array(mnist_data.digit(*vectors.SHIFTED_DIGIT)).reshape(28, 28)
    for k in range(vectors.MAX_SHIFT + 1):
        copy = np.zeros_like(x)
        copy[:, k:] = x[:, :28 - k]
        overlap = np.count_nonzero((x > 0) & (copy > 0))
        assert facts["shift_shared_ink"][k] == overlap
        assert (facts["shift_cosines"][k] == 0) == (overlap == 0)     # non-negative pixels: orthogonal iff no shared ink
    no_overlap = [k for k in range(vectors.MAX_SHIFT + 1) if facts["shift_shared_ink"][k] == 0]
    assert facts["first_orthogonal_shift"] == (no_overlap[0] if no_overlap else None)


def test_pair_facts_count_orthogonal_pairs_among_the_samples():
    facts = vectors.pair_facts()
    images = np.array([p for _, p in mnist_data.digits()])
    assert facts["min_pixel"] >= 0
    shared = (images > 0).astype(int) @ (images > 0).astype(int).T
    disjoint = int(np.count_nonzero(np.triu(shared == 0, 1)))
    assert facts["orthogonal_pairs"] == disjoint
    assert facts["pair_count"] == len(images) * (len(images) - 1) // 2
    assert 0 <= facts["least_cosine"] <= 1


@pytest.mark.parametrize("draw", [vectors.shift_matrix_figure, vectors.shift_overlap_figure])
def test_figures_are_self_contained_svg_with_a_description(draw):
    picture = draw()
    root = ET.fromstring(picture["svg"])                 # well-formed
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "<script" not in picture["svg"] and "href=\"http" not in picture["svg"]
    assert len(picture["alt"]) > 80


# --- verdicts follow the figures ----------------------------------------------------------
def test_the_shift_cannot_be_undone_because_its_rank_is_short():
    assert "no matrix can undo $T$" in prose(CH2)
    full = prose(CH2, set_fact(shift_rank=784))
    assert "no matrix can undo $T$" not in full and "another matrix undoes $T$" in full


def test_the_nonlinear_step_is_mentioned_only_when_the_layer_has_one():
    assert "and a nonlinear step" in prose(CH2)
    linear = prose(CH2, lambda v: v["models"]["mnist-ae-16d"]["encoder"][0].update(activation="linear"))
    assert "and a nonlinear step" not in linear


def test_orthogonal_pairs_verdict_follows_the_count():
    assert "none is orthogonal" in prose(CH3)
    some = prose(CH3, set_fact(orthogonal_pairs=3))
    assert "none is orthogonal" not in some and "3 are orthogonal" in some


def test_shift_orthogonality_verdict_follows_the_first_orthogonal_shift():
    k = vectors.facts()["first_orthogonal_shift"]
    assert f"After {k} pixels the copy shares no ink with the original" in prose(CH3)
    never = prose(CH3, set_fact(first_orthogonal_shift=None))
    assert "never vanishes" in never and "shares no ink with the original" not in never
    never_ch2 = prose(CH2, set_fact(first_orthogonal_shift=None))
    assert f"still share ink with it after {vectors.MAX_SHIFT} steps" in never_ch2 and "orthogonal to it after" not in never_ch2
    assert f"after {k} steps" in prose(CH2)


def test_the_square_root_of_two_is_explained_only_while_no_ink_is_lost():
    facts = vectors.facts()
    assert "because no ink has yet slid off the right edge" in prose(CH3)
    kept = list(facts["ink_kept"])
    kept[facts["first_orthogonal_shift"]] = 0.9
    assert "because no ink has yet slid off" not in prose(CH3, set_fact(ink_kept=kept))


def test_the_correlation_sample_count_is_the_demos():
    from py_runtime.demos import projection
    assert f"with {projection.SAMPLES} samples that it *builds*" in prose(CH3)
    assert "with 7 samples that it *builds*" in prose(CH3, set_fact(correlation_samples=7))


def test_equal_distance_verdict_needs_equal_distances():
    facts = vectors.facts()
    assert "is no further from the original" in prose(CH3)
    ratios = list(facts["distance_ratio"])
    ratios[facts["orthogonal_through"]] += 0.1                 # ink slid off the edge: the copy is nearer
    assert "is no further from the original" not in prose(CH3, set_fact(distance_ratio=ratios))


# --- what the issue fixed stays fixed -----------------------------------------------------
def test_eigenvectors_are_defined_by_their_line_not_their_direction():
    text = prose(CH2)
    assert "direction $M$ does not change" not in text and "does not turn" not in text
    assert "sends to a multiple of itself" in text
    assert "### Eigenvectors: the lines a matrix keeps" in text


def test_rotation_claims_carry_their_conditions():
    text = prose(CH2)
    assert "by any angle other than 0° and 180°" in text
    assert "Euler's rotation theorem" in text
    assert "special to the plane" not in text                  # false in four dimensions
    assert "In four, a rotation can turn two perpendicular planes at once" in text


def test_one_notation_for_the_basis():
    for stem in (CH2, CH3):
        assert not re.search(r"\\hat\{\\[ij]math\}|î|ĵ", prose(stem))


def test_concepts_are_defined_before_use():
    ch2, ch3 = prose(CH2), prose(CH3)
    assert first(ch2, "**transpose**") < first(ch2, "^\\top")
    assert first(ch2, "**outer product**") < first(ch2, "**rank**") < first(ch2, "rank 1")
    assert first(ch2, "**linearly independent**") < first(ch2, "rank–nullity")
    assert first(ch2, "**positive semidefinite**") > first(ch2, "**symmetric**")
    assert first(ch3, "**probability**") < first(ch3, "P(X")
    assert first(ch3, "E[") > first(ch3, "**expected value**") - 40        # first used in its definition
    assert first(ch3, "linearly independent") < first(ch3, "**orthonormal**")


def test_the_correlation_demo_says_it_builds_its_samples():
    text = prose(CH3)
    assert "that it *builds* from a and b" in text
    assert "because of that construction" in text
