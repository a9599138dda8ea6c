"""Chapter 12's verdicts follow the faces-swap manifest entry (its metrics, verdicts and
targets) and the pipeline's build-time facts: change a figure across its threshold and the
sentence that judges it flips. Also: figures/pipeline.py draws its figure and returns sane facts."""
from __future__ import annotations

import json
import math

import pytest

from truth_helpers import prose

STEM = "12-decoder-swap"


def entry(v: dict) -> dict:
    return v["models"]["faces-swap"]


def patched(*changes):
    """A prose() patch applying each change(entry, variables) to the faces-swap entry."""
    def patch(v):
        e = entry(v)
        for change in changes:
            change(e, v)
    return patch


def metrics(**values):
    return lambda e, v: e["metrics"].update(values)


def verdicts(**values):
    return lambda e, v: e["verdicts"].update(values)


def identity(key, **shares):
    return lambda e, v: e["metrics"]["identity"][key].update(shares)


def text(*changes) -> str:
    return prose(STEM, patched(*changes))


def test_no_goal_is_spoken_of_whatever_the_figures():
    variants = [(), (verdicts(swap_ssim=True, swap_reverse_ssim=True, smile=True, floor=True),),
                (verdicts(swap_ssim=False, swap_reverse_ssim=False, smile=False, floor=False),)]
    for changes in variants:
        assert "goal" not in text(*changes).lower()


def test_the_anchors_other_pages_link_to_are_kept():
    page = text()
    for heading in ("## One encoder, two decoders", "## Training each decoder on its own face",
                    "## The swap, live", "## How good is the swap?"):
        assert heading in page


def test_the_baseline_verdict_is_computed():
    assert "It beats both baselines" in text(metrics(swap_ssim=0.9, blend_ssim=0.5, pca_ssim=0.5))
    assert "It beats one of the two baselines" in text(metrics(swap_ssim=0.6, blend_ssim=0.5, pca_ssim=0.7))
    assert "It beats neither baseline" in text(metrics(swap_ssim=0.4, blend_ssim=0.5, pca_ssim=0.5))
    assert "B → A, it beats both." in text(metrics(swap_reverse_ssim=0.9, blend_reverse_ssim=0.5,
                                                          pca_reverse_ssim=0.5))
    assert "B → A, it beats neither" in text(metrics(swap_reverse_ssim=0.1, blend_reverse_ssim=0.5,
                                                     pca_reverse_ssim=0.5))


def test_the_ssim_verdict_follows_the_manifest():
    def ssim(swap, rebuild):
        return lambda v: v["models"]["faces-swap"]["metrics"].update(swap_ssim=swap, reconstruction_B_ssim=rebuild)
    assert "comes within 0.010 of it (within 0.02)" in prose(STEM, ssim(0.88, 0.89))
    assert "less than the rebuild itself loses" in prose(STEM, ssim(0.80, 0.85))
    assert "crossing over to the other person" in prose(STEM, ssim(0.69, 0.89))


def test_figures_are_quoted_from_the_manifest():
    page = text(metrics(swap_ssim=0.7771, swap_psnr=20.0, pca_reconstruction_B_ssim=0.81))
    assert "0.777" in page
    assert "at 0.810)" in page                              # three decimals, like the table
    assert "10.0% of full brightness" in page              # 10^(-20/20): the RMS the mean PSNR stands for


def test_a_parameter_transfers_only_when_its_verdict_says_so():
    yes = text(verdicts(smile=True))
    no = text(verdicts(smile=False))
    assert "The smile transfers" in yes and "The smile does not transfer" not in yes
    assert "The smile does not transfer" in no
    assert "| smile |" in yes and yes.split("| smile |")[1].split("|")[5].strip() == "yes"
    assert no.split("| smile |")[1].split("|")[5].strip() == "no"


def test_the_carried_over_list_and_the_video_caption_follow_the_verdicts():
    def all_verdicts(value):
        return lambda e, v: e["verdicts"].update({n: value for n in e["param_names"]})
    everything = text(all_verdicts(True))
    assert "the swap carries over all nine settings" in everything
    assert "following A's head turn and light" in everything
    nothing = text(all_verdicts(False))
    assert "the swap carries over none of the nine settings" in nothing
    assert "following A's head turn" not in nothing
    def correlations(value):
        return lambda e, v: e["metrics"]["expression"]["swap"]["correlation"].update({n: value for n in e["param_names"]})
    assert "Yet the reading follows A's value" in text(all_verdicts(False), correlations(0.95))
    assert "Yet the reading follows" not in text(all_verdicts(False), correlations(0.1))
    some = text(all_verdicts(False), verdicts(smile=True, light=True))
    assert "the swap carries over smile and light direction, but not mouth opening, eye opening," in some
    # gaze is judged by r alone: a gaze setting that fails cannot "follow with larger errors"
    gaze_only = text(all_verdicts(False), correlations(0.1),
                     lambda e, v: e["metrics"]["expression"]["swap"]["correlation"].update(gaze_x=0.95),
                     lambda e, v: e["targets"].update(gaze_correlation=0.97))
    assert "Yet the reading follows" not in gaze_only


def test_the_identity_verdict_flips():
    both = text(identity("swap", A=0.02, B=0.95, other=0.03), identity("swap_reverse", A=0.9, B=0.05, other=0.05))
    assert "Identity transfers both ways" in both
    assert "95% of the swaps A → B as B" in both
    one = text(identity("swap", A=0.02, B=0.95, other=0.03), identity("swap_reverse", A=0.1, B=0.9, other=0.0))
    assert "Identity transfers from A to B but not back" in one
    none = text(identity("swap", A=0.9, B=0.05, other=0.05), identity("swap_reverse", A=0.1, B=0.9, other=0.0))
    assert "Identity does not transfer" in none
    people = text(identity("swap", people=40))
    assert "tell 40 fictional people apart (A, B and 38 random others)" in people


def test_the_reader_floor_and_the_smile_direction_verdicts_flip():
    assert "The reader is sharp enough to judge by" in text(verdicts(floor=True))
    assert "The reader itself is not sharp on everything" in text(verdicts(floor=False))
    assert "raises the smile the reader sees by +0.30" in text(metrics(smile_shift_full=0.3, smile_rises_full=0.9))
    assert "does not raise the smile" in text(metrics(smile_shift_full=-0.01, smile_rises_full=0.4))
    few = text(metrics(smile_shift_full=0.05, smile_rises_full=0.3))
    assert "raises the smile the reader sees on only 30% of them" in few and "does not raise" not in few


def test_the_tilt_reading_follows_the_reader_figures():
    def roll(floor, control):
        def change(e, v):
            e["metrics"]["expression"]["floor"]["error"]["roll"] = floor
            e["metrics"]["expression"]["reconstruction"]["error"]["roll"] = control
        return change
    sharp = text(roll(0.02, 0.30))
    assert "the reader reads it on B's own faces" in sharp
    assert "B's own autoencoder already loses that cue (control 30.0%)" in sharp
    kept = text(roll(0.02, 0.03))
    assert "already loses that cue" not in kept
    assert "the reader reads it only roughly even on B's own faces" in text(roll(0.2, 0.3))


def test_the_architecture_sentence_follows_the_layer_list():
    page = text()
    assert "1 shared upscale block takes it to 16×16" in page
    assert "adds 2 upscale blocks of its own, up to 64×64" in page
    none_shared = text(lambda e, v: e.update(shared_upscale_blocks=0))
    assert "0 shared upscale blocks take it to 8×8" in none_shared
    assert "adds 3 upscale blocks of its own" in none_shared


def test_the_tilt_verdict_follows_the_pipeline_facts():
    def tilt(error):        # degrees, against a tilt range of 2 × 14°; the criterion is the pose one (6%)
        return lambda e, v: (v["facts"]["pipeline"]["alignment"].update(tilt_error_mean_degrees=error, roll_degrees=14.0),
                             e["targets"].update(pose_light_error=0.06))
    assert "tilt is carried by the pipeline, not by the code" in text(tilt(1.5))
    assert "5.4% of the tilt's range" in text(tilt(1.5))          # 1.5 / 28
    assert "too rough to say the pipeline carries the tilt" in text(tilt(2.0))


# -- figures/pipeline.py -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pipeline_module():
    from figures import pipeline
    return pipeline


def test_the_pipeline_facts_are_sane(pipeline_module):
    facts = pipeline_module.facts()
    json.dumps(facts)                                         # they must survive the trip to the build
    a = facts["alignment"]
    assert a["fits"] == 2 * a["parameter_sets"] >= 100
    assert 0 <= a["tilt_error_mean_degrees"] <= a["tilt_error_max_degrees"] < 5     # the fit finds the tilt
    assert a["tilt_mean_degrees"] > 2 * a["tilt_error_mean_degrees"]
    for who in ("A", "B"):
        assert 1.0 < facts["scale"][who] < 4.0
        assert math.isclose(facts["crop_units"][who] * facts["scale"][who], facts["crop_pixels"], rel_tol=0.01)
        assert 0.3 < facts["mask_share"][who] < 0.95
    assert facts["fit_landmarks"] < facts["landmarks"]
    assert facts["template"]["nose"] == [50.0, 50.0]
    assert abs(facts["example"]["alignment_degrees"] + facts["example"]["roll_degrees"]) < 5


def test_the_pipeline_figure_is_drawn(pipeline_module):
    figure = pipeline_module.pipeline_figure()
    svg = figure["svg"]
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("data:image/png;base64,") == 5           # frame, crop, swap, mask, composite
    assert len(figure["alt"]) > 200 and "landmarks" in figure["alt"] and "mask" in figure["alt"]


def critic_accuracy(value):
    return lambda e, v: e["training"]["history"][-1].update(critic_accuracy=value)


def test_the_latent_critic_is_described_while_training_has_one_and_its_verdict_follows_its_accuracy():
    page = text()
    assert "DeepFaceLab's \"True Face\" option (off by default)" in page and "nothing of it ships" in page
    assert "not the same distribution" in text(critic_accuracy(0.7))
    hardly = text(critic_accuracy(0.51))
    assert "could hardly tell them apart" in hardly and "not the same distribution" not in hardly
    assert "51% of the time" in hardly
    without = text(lambda e, v: e["training"].update(latent_critic={"weight": 0}))
    assert "nothing of it ships" not in without and "Its nearest analogue is DeepFaceLab's" in without
    assert "plus the\ncritic's term" not in without


def test_the_chapter_says_when_b_s_own_rebuild_already_misses_the_expression_criterion():
    from conftest import ROOT
    fs = json.loads((ROOT / "weights" / "manifest.json").read_text())["models"]["faces-swap"]
    ex, factor = fs["metrics"]["expression"], fs["targets"]["expression_error_over_floor"]
    misses = any(ex["reconstruction"]["error"][n] > factor * ex["floor"]["error"][n] for n in fs["targets"]["expression"])
    assert ("already misses that error criterion for" in text()) == misses
    def rebuild(error):
        def change(e, v):
            for n in e["targets"]["expression"]:
                e["metrics"]["expression"]["reconstruction"]["error"][n] = error * e["metrics"]["expression"]["floor"]["error"][n]
        return change
    assert "already misses that error criterion for smile, mouth opening and eye opening" in text(rebuild(3.0))
    assert "already misses that error criterion" not in text(rebuild(1.5))
