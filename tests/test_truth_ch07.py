"""Chapter 7 tells the truth: its facts are what the demo's own code measures, and every verdict in its
prose follows its figure (change the figure and the verdict flips)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from figures import interpolation as fig
from py_runtime.demos import interpolation as demo
from py_runtime.demos._lib import mnist_data
from truth_helpers import prose, real_variables

STEM = "07-limits-of-linearity"


def facts_patch(**changes):
    return lambda v: v["facts"]["interpolation"].update(changes)


def real() -> dict:
    return real_variables()["facts"]["interpolation"]


# --- the facts are the demo's own measurements --------------------------------------------------
def test_batch_scores_match_the_demo_one_picture_at_a_time():
    images = np.array([mnist_data.digit(c, 3) for c in range(10)] + [[0.0] * 784])
    batch = fig.scores(images)
    assert batch == pytest.approx([demo.reencode_score(x.tolist())[0] for x in images], rel=1e-5)
    assert fig.raw_errors(images) == pytest.approx([demo.reencode_error(x.tolist())[0] for x in images], rel=1e-5)


def test_the_blank_page_facts():
    f = real()
    assert f["blank_score"] == pytest.approx(1.0)
    assert f["digits_score_worse_than_blank"] == 0 and f["digits_score_max"] < f["blank_score"]
    assert f["digits_raw_worse_than_blank"] == f["digit_count"] == 200       # the raw error's failure
    assert f["blank_raw_error"] < f["digits_raw_error_min"]


def test_the_video_facts_are_the_video_frames():
    f = real()
    a, b, which = fig.VIDEO_PAIRS[0]
    frames = fig.morph_frames(a, b, which)
    assert f["video_pieces"] == [demo.ink_pieces(x) for x in frames]
    assert [t for t, _ in fig.broken_steps(a, b, which)] == f["video_broken"]
    assert f["video_broken"] and all(n > 1 for n in f["video_broken_pieces"])
    assert fig.step_label(2) == "1/3" and fig.step_label(3) == "1/2" and fig.step_label(6) == "1"


def test_the_shift_argument_is_what_the_geometry_says():
    f = real()
    ink = f["shift_stroke_pixels"]
    assert f["shift_distances"][1] == pytest.approx(np.sqrt(ink))            # one column shared, two differ
    assert all(d == pytest.approx(np.sqrt(2 * ink)) for d in f["shift_distances"][2:])
    assert f["shift_equal_from"] == f["shift_no_overlap_from"] == 2
    assert f["shift_rank"] == f["shift_copies"] == 28 - fig.SHIFT_WIDTH + 1
    assert f["shift_flat_dimensions"] == f["shift_copies"] - 1
    assert 1 < f["shift_pca_for_90"] <= f["shift_flat_dimensions"]


def test_the_figure_outlines_exactly_the_broken_frames():
    picture = fig.morph_break()
    svg, broken = picture["svg"], real()["video_broken"]
    assert svg.startswith("<svg") and "<script" not in svg and " style=" not in svg
    assert svg.count(f'stroke="{fig.BROKEN}"') == 2 * len(broken)            # both rows of each broken frame
    assert all(f"t = {t}" in picture["alt"] for t in broken)
    assert len(re.findall(r"<image ", svg)) == fig.STEPS


def test_the_video_narration_follows_the_measurement():
    pytest.importorskip("manim")
    from animations import pixels_vs_manifold as scene
    assert "t = 1/3" in scene.first_verdict([2]) and "not every step" in scene.first_verdict([2])
    assert "unbroken" in scene.first_verdict([]) and "breaks" not in scene.first_verdict([])
    assert "breaks" in scene.second_verdict(0, 6, [5]) and "unbroken" in scene.second_verdict(0, 6, [])


# --- every verdict flips with its figure -----------------------------------------------------
def test_the_raw_error_verdict():
    assert "A blank page scores 0.0006, better than every one of the 200 real digits" in prose(STEM)
    flipped = prose(STEM, facts_patch(digits_raw_worse_than_blank=150))
    assert "better than every one" not in flipped and "better than 150 of the 200 real digits" in flipped


def test_the_normalised_score_verdict():
    assert "Every real digit scores better" in prose(STEM)
    flipped = prose(STEM, facts_patch(digits_score_worse_than_blank=3))
    assert "Every real digit scores better" not in flipped and "3 of the 200 real digits score as badly" in flipped
    assert "below all of them" in prose(STEM) and "below all but 3" in flipped


def test_the_noise_control_verdict():
    assert "also worse than every real digit" in prose(STEM)
    assert "also worse than every real digit" not in prose(STEM, facts_patch(digits_score_worse_than_noise=5))


def test_the_broken_video_frames_verdict():
    text = prose(STEM)
    assert "The video's frames at t = 1/3, 1/2 and 2/3 do not" in text
    assert "at t = 1/3, 1/2 and 2/3 the stroke comes apart" in text                 # the figure's caption
    whole = prose(STEM, facts_patch(video_broken=[], video_broken_pieces=[], video2_broken=[]))
    assert "do not: their ink falls into" not in whole and "So does every frame of the video's path." in whole
    assert "stroke comes apart" not in whole and "its stroke breaks" not in whole
    one = prose(STEM, facts_patch(video_broken=["1/2"], video_broken_pieces=[4]))
    assert "The video's frames at t = 1/2 do not: their ink falls into 4 pieces" in one


def test_the_video_caption_names_the_breaks_of_both_pairs():
    f = real()
    c, d, which = fig.VIDEO_PAIRS[1]
    assert f["video2_broken"] == [t for t, _ in fig.broken_steps(c, d, which)]
    text = prose(STEM, facts_patch(video_broken=["1/3"], video2_broken=["5/6"]))
    assert "from the 1 to the 7 its stroke breaks at t = 1/3, from the 0 to the 6 at t = 5/6." in text
    only_second = prose(STEM, facts_patch(video_broken=[], video_broken_pieces=[], video2_broken=["5/6"]))
    assert "redraws; from the 0 to the 6 its stroke breaks at t = 5/6." in only_second
    assert "from the 1 to the 7 its stroke" not in only_second


def test_the_shift_verdict():
    assert "every copy shifted by two or more pixels is equally far from the original" in prose(STEM)
    flipped = prose(STEM, facts_patch(shift_equal_from=3))
    assert "equally far from the original" not in flipped and "From a shift of 3 pixels on" in flipped


def test_the_linear_independence_verdict():
    assert "the 27 copies are linearly independent" in prose(STEM)
    flipped = prose(STEM, facts_patch(shift_rank=20))
    assert "linearly independent" not in flipped and "only 20 of them are independent" in flipped


def test_the_pca_comparison_verdict():
    assert "times worse" in prose(STEM)
    flipped = prose(STEM, lambda v: v["models"]["mnist-ae-16d"].update(pca_test_mse=0.001))
    assert "times worse" not in flipped and "no worse than the autoencoder" in flipped


def test_the_pairs_verdict():
    assert "For most pairs of digits of different classes, the halfway blend scores worse" in prose(STEM)
    flipped = prose(STEM, facts_patch(pairs_blend_worse_than_both=0.4))
    assert "For most pairs" not in flipped and "does not usually score worse than both" in flipped


def test_the_same_class_verdict():
    assert "no worse than the worse of the two digits" in prose(STEM)
    flipped = prose(STEM, facts_patch(same_class_blend_score=0.5))
    assert "no worse than the worse of the two digits" not in flipped
    assert "Even here the blend scores 0.5, worse than both" in flipped
    assert "And these two are an unusually close pair" in flipped and "But these two" not in flipped


def test_the_same_class_example_is_disclosed_as_unusually_close():
    f = real()
    assert f["same_class_pairs"] == 10 * 20 * 19 // 2
    assert f["same_class_pairs_closer"] < 0.05 * f["same_class_pairs"]      # the example is a close pair
    assert f["same_class_distance"] < f["same_class_median_distance"]
    flat = lambda text: " ".join(text.split())
    text = flat(prose(STEM))
    assert "But these two are an unusually close pair" in text
    assert f"only {f['same_class_pairs_closer']} of the 1,900 same-class pairs are closer" in text
    share = f"{round(f['same_class_blend_no_worse'] * 100, 1)}% of them"
    assert ("worse end in only " if f["same_class_blend_no_worse"] < 0.5 else "worse end in ") + share in text
    assert "worse end in 80.0% of them" in flat(prose(STEM, facts_patch(same_class_blend_no_worse=0.8)))
    assert "worse end in only 20.0% of them" in flat(prose(STEM, facts_patch(same_class_blend_no_worse=0.2)))


def test_the_square_control_verdict():
    f = real()
    square = fig._controls()["square"]
    assert f["square_score"] == pytest.approx(demo.reencode_score(square.tolist())[0], rel=1e-5)
    flat = lambda text: " ".join(text.split())
    if f["digits_score_worse_than_square"]:
        assert f"better than {f['digits_score_worse_than_square']} of the 200 real digits" in flat(prose(STEM))
    assert "worse than every real digit here" in flat(prose(STEM, facts_patch(digits_score_worse_than_square=0)))
    assert "better than 7 of the 200 real digits" in flat(prose(STEM, facts_patch(digits_score_worse_than_square=7)))


def test_the_blank_control_is_said_to_hold_by_construction():
    text = " ".join(prose(STEM).split())
    assert "the worst possible, by construction: this control tests the score, not the autoencoder" in text


def test_the_default_pair_and_crossing_verdicts():
    text = prose(STEM)
    assert "its ink is in more than one piece" in text and "neither of the two" in text
    assert "Start with the 0 and the 1 it shows" in text
    whole = prose(STEM, facts_patch(default_broken_from=None, default_broken_to=None, default_halfway_nearest=1))
    assert "more than one piece" not in whole and "neither of the two" not in whole
    assert "some paths pass close to a third class" in text
    flipped = prose(STEM, facts_patch(crossing_steps=0))
    assert "some paths pass close to a third class" not in flipped and "none of the paths" in flipped


def test_the_prose_has_no_typed_minus_and_no_unrendered_template():
    text = prose(STEM)
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"(?<![\w)])-\d", re.sub(r"\$[^$]*\$", "", text))       # numbers use a real minus


def test_the_right_angle_and_decoder_verdicts():
    text = prose(STEM)
    assert "each step is at right angles to the one before it" in text
    bent = prose(STEM, facts_patch(shift_step_cosines=[0.0, -0.5, 0.0]))
    assert "right angles" not in bent and "the path's direction keeps changing" in bent
    assert "even its reconstructions of the real digits, with no path involved, are one piece in only" in text
    clean = prose(STEM, facts_patch(reconstructions_one_piece=199))
    assert "Part of the blame" not in clean and "The decoder itself does not break strokes" in clean
    assert "(the other 3 are all 5s)" in text
    assert "are all" not in prose(STEM, facts_patch(digits_multi_piece_classes=[4, 5]))
    assert "worse than the halfway morph in every one of them" in text
    assert "every one of them" not in prose(STEM, facts_patch(pairs_morph_better_than_blend=0.97))
