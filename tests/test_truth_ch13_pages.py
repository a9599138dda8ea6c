"""Chapter 13, the FAQ and the glossary tell the truth: the swap's measured trace (figures/detection.py)
is what the prose says, every verdict over a figure flips when the figure does, and the pages say
what the laws and the models actually do."""
from __future__ import annotations

import re

import numpy as np
import pytest

from figures import detection
from truth_helpers import prose, real_variables

CHAPTER = "13-ethics-and-detection"


def set_detection(**changes):
    """A prose() patch: replace entries of facts.detection (nested dicts by "a.b" keys)."""
    def patch(variables):
        facts = variables["facts"]["detection"]
        for key, value in changes.items():
            *path, last = key.split(".")
            target = facts
            for part in path:
                target = target[part]
            target[last] = value
    return patch


def set_swap_metric(**changes):
    return lambda v: v["models"]["faces-swap"]["metrics"].update(changes)


def flat(text: str) -> str:
    """prose() already makes every run of whitespace one space; this keeps the tests readable either way."""
    return re.sub(r"\s+", " ", text)


# -- the measure ---------------------------------------------------------------------------

def picture(luminance: np.ndarray) -> np.ndarray:
    return np.repeat(luminance[:, :, None], 3, axis=2)


def test_fine_detail_share_sees_fine_and_coarse_patterns():
    y, x = np.mgrid[0:64, 0:64]
    checkerboard = picture(((x + y) % 2).astype(float))        # all its variation at the finest frequency
    slow_wave = picture(0.5 + 0.4 * np.sin(2 * np.pi * x / 32))  # a period of 32 pixels
    assert detection.fine_detail_share(checkerboard) > 0.95
    assert detection.fine_detail_share(slow_wave) < 0.01
    assert detection.fine_detail_share(picture(np.full((64, 64), 0.3))) == 0.0   # nothing varies


def test_blurring_removes_fine_detail_and_sharpening_adds_it_back():
    rng = np.random.default_rng(0)
    noisy = np.clip(0.5 + 0.1 * rng.standard_normal((64, 64, 3)), 0, 1)
    blurred = detection.box_blur(noisy)
    assert detection.fine_detail_share(blurred) < detection.fine_detail_share(noisy)
    assert detection.fine_detail_share(detection.sharpen(blurred)) > detection.fine_detail_share(blurred)
    flat_grey = np.full((64, 64, 3), 0.4)
    assert np.allclose(detection.box_blur(flat_grey), flat_grey) and np.allclose(detection.sharpen(flat_grey), flat_grey)


class FakeModel:
    """Just what shuffle_lattice and roles read: identities and the decoders' layer list."""

    def __init__(self, shuffle_inputs):
        self.identities = ["P", "Q"]
        layers = [{"type": "dense"}] + [{"type": "conv", "input_hw": [h, h], "pixel_shuffle": 2}
                                        for h in shuffle_inputs]
        self.entry = {"decoders": {"P": layers, "Q": layers}}


def test_the_shuffle_lattice_follows_the_decoder_in_the_manifest():
    assert detection.roles(FakeModel([16])) == ("P", "Q")
    assert len(detection.shuffle_lattice(FakeModel([16, 32]))) == 4 * 4 - 1      # multiples of 16
    assert len(detection.shuffle_lattice(FakeModel([8, 16, 32]))) == 8 * 8 - 1   # multiples of 8
    assert detection.shuffle_lattice(FakeModel([])) == []
    model = detection._model()
    steps = [s["input_hw"][0] for s in model.entry["decoders"][detection.roles(model)[1]] if s.get("pixel_shuffle", 1) > 1]
    assert len(detection.shuffle_lattice(model)) == (64 // min(steps)) ** 2 - 1


def test_a_spike_on_the_lattice_is_found_and_a_smooth_spectrum_has_none():
    rng = np.random.default_rng(1)
    true = np.exp(rng.normal(0, 0.05, (64, 64)))
    lattice = detection.shuffle_lattice(FakeModel([32]))
    calm = detection.lattice_peaks(true * np.exp(rng.normal(0, 0.05, (64, 64))), true, lattice)
    assert calm["lattice"] < calm["elsewhere"]
    spiked = true.copy()
    spiked[32, 32] *= 10                      # ten times the power at the period-2 pattern
    peaks = detection.lattice_peaks(spiked, true, lattice)
    assert peaks["lattice"] > peaks["elsewhere"] and peaks["lattice"] > 9


def test_the_facts_are_the_measurement():
    m, facts = detection.measure(), detection.facts()
    calibration = detection._faces(detection.CALIBRATION_SEED, detection.CALIBRATION_SETS)
    lowest = min(detection.fine_detail_share(row[k]) for row in calibration for k in ("driver", "truth"))
    assert m["threshold"] == lowest and facts["threshold"] == round(lowest, 5)
    assert facts["calibration_renders"] == 2 * detection.CALIBRATION_SETS
    for group, shares in m["shares"].items():
        assert len(shares) == detection.TEST_SETS
        assert facts["flagged"][group] == float(np.mean(shares < m["threshold"]))
    assert set(facts["flagged"]) == {"truth", "swap", "rebuilt", "sharpened", "blurred"}
    assert (facts["source"], facts["target"]) == tuple(detection._model().identities[i] for i in (0, -1))


def test_the_figure_shows_the_measured_rates():
    figure, facts = detection.fine_detail_figure(), detection.facts()
    assert figure["svg"].startswith("<svg") and figure["svg"].count("<circle") == 4 * detection.TEST_SETS
    assert figure["svg"].count('href="data:image/png;base64,') == 3
    for group in ("truth", "swap", "sharpened", "blurred"):
        assert f"{round(100 * facts['flagged'][group])}% flagged" in figure["svg"]
        assert f"{round(100 * facts['flagged'][group])}%" in figure["alt"]
    assert "style=" not in figure["svg"]


# -- chapter 13: the verdicts follow the figures --------------------------------------------

def test_chapter_13_quotes_the_measured_trace():
    text = flat(prose(CHAPTER))
    facts = real_variables()["facts"]["detection"]
    assert f"flags {round(100 * facts['flagged']['swap'])}% of {facts['test_sets']} held-out swaps" in text
    assert "::figure swap-fine-detail" in text


def test_the_missing_detail_is_claimed_only_while_it_is_missing():
    truth = real_variables()["facts"]["detection"]["median_share"]["truth"]
    blurry = flat(prose(CHAPTER, set_detection(**{"median_share.swap": 0.2 * truth})))
    assert "Its decoder cannot draw fine detail" in blurry and "a weak one" not in blurry
    sharp = flat(prose(CHAPTER, set_detection(**{"median_share.swap": 0.9 * truth})))
    assert "Its decoder cannot draw fine detail" not in sharp and "so the trace below is a weak one" in sharp


def test_the_base_rate_verdict_flips_when_fakes_are_common():
    assert "wrong about most of the videos it flags" in prose(CHAPTER)
    common = flat(prose(CHAPTER, set_detection(**{"base_rate.prevalence": 0.5})))
    assert "wrong about most of the videos it flags" not in common
    assert "Most of the videos it flags really are fake" in common
    assert "one video in 2 is a fake" in common


def test_the_crossover_prevalence_is_computed():
    text = flat(prose(CHAPTER, set_detection(**{"base_rate.false_positive_rate": 0.09,
                                                 "base_rate.sensitivity": 0.9})))
    assert "fewer than one video in 11 is fake" in text     # (0.9 + 0.09) / 0.09


def test_the_decoder_verdict_flips_when_rebuilds_pass():
    swap_rate = real_variables()["facts"]["detection"]["flagged"]["swap"]
    assert "the trace belongs to the decoder" in prose(CHAPTER, set_detection(**{"flagged.rebuilt": swap_rate}))
    text = flat(prose(CHAPTER, set_detection(**{"flagged.rebuilt": 0.05 * swap_rate})))
    assert "the trace belongs to the decoder" not in text and "own faces less often" in text


def test_sharpening_is_called_a_defeat_only_when_it_is_one():
    swap_rate = real_variables()["facts"]["detection"]["flagged"]["swap"]
    beaten = flat(prose(CHAPTER, set_detection(**{"flagged.sharpened": 0.1 * swap_rate})))
    assert re.search(r"and only \d+% are still flagged", beaten)
    holds = flat(prose(CHAPTER, set_detection(**{"flagged.sharpened": swap_rate})))
    assert "only" not in holds[holds.index("Sharpen each swap"):holds.index("are still flagged")]


def test_the_pixel_shuffle_verdict_flips_with_the_peaks():
    quiet = flat(prose(CHAPTER, set_detection(**{"peak_db.lattice": 1.0, "peak_db.elsewhere": 3.0})))
    assert "that trace does not stand out" in quiet and "a periodic trace" not in quiet
    loud = flat(prose(CHAPTER, set_detection(**{"peak_db.lattice": 10.0, "peak_db.elsewhere": 3.0})))
    assert "higher than anywhere else, a periodic trace" in loud and "does not stand out" not in loud
    assert "10.0 times its neighbours'" in loud


def test_the_laws_are_stated_as_they_are():
    text = flat(prose(CHAPTER))
    assert "19 May 2025" in text and "TAKE IT DOWN" in text
    assert "31 January 2024" in text and "Data (Use and Access) Act 2025" in text
    assert "2024/1385, Article 5" in text and "14 June 2027" in text
    ai_act = text[text.index("Article 50(4)"):]
    assert "2 August 2026" in ai_act[:200] and "disclose" in ai_act[:500] and "not a rule of consent" in ai_act[:700]
    assert "no signed record" not in text
    # The creating offence is dated by its Act and its commencement by the regulations that made it.
    uk = text[text.index("Data (Use and Access) Act 2025"):][:500]
    assert "19 June 2025" in uk and "in force since" not in uk
    assert "6 February 2026" in text and "Commencement No. 5" in text
    # The EU offence is producing *and then* making accessible, not either one.
    assert "and then make it accessible to the public" in text


def test_the_detection_claims_say_what_their_sources_say():
    text = flat(prose(CHAPTER))
    xray = text[text.index("Face X-ray"):][:600]
    assert "without fake images" in text and "blended into the frame" in xray and "no such seam" in xray
    blink = text[text.index("Li, Chang and Lyu"):][:800]
    assert "within months" not in blink and "closed eyes" in blink
    assert "note the share of flagged videos that are fake, and average those shares" in text
    assert "a watermark hidden in the pixels or a fingerprint computed from them" in text


# -- the FAQ -------------------------------------------------------------------------------

def test_the_faq_base_rate_follows_the_chapter_example():
    text = flat(prose("faq"))
    assert re.search(r"is right about only \d+% of the videos it flags", text)
    common = flat(prose("faq", set_detection(**{"base_rate.prevalence": 0.5})))
    assert "only" not in common[common.index("is right about"):common.index("of the videos it flags")]


def test_the_faq_blur_verdict_follows_the_ssims():
    autoencoder = flat(prose("faq", set_swap_metric(reconstruction_B_ssim=0.9, swap_ssim=0.88)))
    assert "most of the blur comes from the small autoencoder" in autoencoder
    swap = flat(prose("faq", set_swap_metric(reconstruction_B_ssim=0.99, swap_ssim=0.6)))
    assert "most of the blur comes from the small autoencoder" not in swap
    assert "the swap loses more than the autoencoder's own blur" in swap


def test_the_faq_says_only_the_face_models_extra_term_breaks_the_invariance():
    with_terms = flat(prose("faq"))
    assert "any invertible matrix" in with_terms and "The face model's extra terms do not change that" in with_terms
    assert "its spread-matching term is unchanged only by reordering, sign flips, one common scale and shifts, " \
           "its critic's best score by any invertible affine change, and no term mentions a smile" in with_terms
    training = lambda **changes: (lambda v: v["models"]["faces-swap"]["training"].update(changes))
    without = flat(prose("faq", training(latent_alignment_weight=0, latent_critic={"weight": 0})))
    assert "extra terms" not in without and "any invertible matrix" in without
    critic_only = flat(prose("faq", training(latent_alignment_weight=0)))
    assert "do not change that: its critic's best score is unchanged by any invertible affine change," in critic_only
    no_critic = flat(prose("faq", training(latent_critic={"weight": 0})))
    assert "one common scale and shifts, and no term mentions a smile" in no_critic


def test_the_faq_says_what_the_model_can_take_in_and_put_out():
    text = flat(prose("faq"))
    identities = real_variables()["models"]["faces-swap"]["identities"]
    assert "a photograph included" in text and f"learned to draw only {' and '.join(identities)}:" in text
    three = flat(prose("faq", lambda v: v["models"]["faces-swap"].update(identities=["A", "B", "C"])))
    assert "learned to draw only A and B and C:" in three
    for missing in ("adversarial losses", "diffusion", "identity embedding", "reenactment"):
        assert missing in text, missing


# -- the glossary --------------------------------------------------------------------------

def test_the_glossary_fixes_hold():
    text = flat(prose("glossary"))
    entry = lambda anchor: text[text.index("{#" + anchor + "}"):][:900]
    assert "stays on its own line" in entry("eigenvector") and "direction a matrix leaves unchanged" not in text
    assert "posterior mean" in entry("denoising-autoencoder") and "most plausible" not in entry("denoising-autoencoder")
    assert "signer" in entry("c2pa") and "asset's bytes" in entry("c2pa")
    assert "not the only one" in entry("bottleneck")
    assert "2016" in entry("deepfake")
    assert "tendency, not a guarantee" in entry("decoder-swap")
    assert "more Gaussian" not in text and "square" not in entry("whitening")
    smile = real_variables()["models"]["faces-swap"]["metrics"]["expression_error_by_parameter"]["smile"]
    assert f"off by {round(100 * smile)}% of the smile's range" in entry("ssim")
    assert "is the Moore–Aronszajn theorem" in entry("mercer") and "finite sets of points" in entry("mercer")
    assert "linear map plus an offset" in entry("activation-function")
    assert "tends to pack" in entry("vae") and "excess kurtosis" in entry("ica")


@pytest.mark.parametrize("anchor, section", [
    ("gram-matrix", "08-kernel-trick.md#kernels-are-inner-products"),
    ("transpose", "02-vectors-and-matrices.md#matrices-of-any-shape"),
    ("outer-product", "02-vectors-and-matrices.md#matrices-of-any-shape"),
    ("rank", "02-vectors-and-matrices.md#rank-and-column-space"),
    ("column-space", "02-vectors-and-matrices.md#rank-and-column-space"),
    ("linear-independence", "02-vectors-and-matrices.md#rank-and-column-space")])
def test_the_glossary_links_the_linear_algebra_terms_to_their_sections(anchor, section):
    text = prose("glossary")
    entry = text[text.index("{#" + anchor + "}") + 2:].split("{#")[0]
    assert f"(../chapters/{section})" in entry, entry


@pytest.mark.parametrize("anchor", [
    "svm", "margin", "rbf-kernel", "positive-semidefinite", "mercer", "cross-entropy", "sgd", "mini-batch",
    "learning-rate", "adam", "universal-approximation", "vae", "gan", "diffusion-model", "pixel-shuffle",
    "dssim", "base-rate", "liars-dividend", "watermark", "reenactment"])
def test_the_glossary_defines_the_terms_these_chapters_use(anchor):
    text = prose("glossary")
    assert "{#" + anchor + "}" in text
    entry = text[text.index("{#" + anchor + "}") + 2:].split("{#")[0]      # up to the next term
    assert re.search(r"\]\(\.\./chapters/\d\d-[a-z0-9-]+\.md#[a-z0-9-]+\)", entry), entry
