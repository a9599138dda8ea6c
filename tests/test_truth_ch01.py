"""Chapter 1 tells the truth: its figures come from the manifest and figures/swap.py, its verdicts
flip when the figures do, its swap figure is the site's own model at work, and the scratchpad's
example cell runs E, D_A and D_B and prints what they really give."""
from __future__ import annotations

import math
import random
import re
import xml.etree.ElementTree as ET

import pytest

from figures import swap as swap_figure
from py_runtime import faces, pipeline
from py_runtime import swap as swap_model
from py_runtime.demos import python_scratchpad as scratchpad
from py_runtime.manifest import load_manifest
from py_runtime.model import default_weights_dir
from site_builder.registry import load_demos, load_figures
from truth_helpers import prose, real_variables

from conftest import ROOT

STEM = "01-motivation"


def said(patch=None) -> str:
    """The chapter after Jinja, its line breaks and indents as single spaces."""
    return " ".join(prose(STEM, patch).split())


def manifest() -> dict:
    return load_manifest(f"{default_weights_dir()}/manifest.json")


def example_facts() -> dict:
    return real_variables()["facts"]["swap"]["example"]


def set_example(**values):
    return lambda v: v["facts"]["swap"]["example"].update(values)


# -- verdicts flip with their figures ----------------------------------------------------------
def test_the_autoencoder_beats_pca_only_while_its_error_is_lower():
    ae = manifest()["models"]["mnist-ae-2d"]
    assert ("the curved map beats it" in said()) == (ae["test_mse"] < ae["pca_test_mse"])
    worse = said(lambda v: v["models"]["mnist-ae-2d"].update(test_mse=2 * ae["pca_test_mse"]))
    assert "the curved map does not beat it" in worse and "the curved map beats it" not in worse
    better = said(lambda v: v["models"]["mnist-ae-2d"].update(test_mse=ae["pca_test_mse"] / 2))
    assert "the curved map beats it" in better and "does not beat it" not in better


def test_the_swap_verdict_follows_its_two_distances():
    far = example_facts()["rms_swap_to_driver"]
    cases = {0.25 * far: "less than half as far from B as from A", 0.75 * far: "nearer to B than to A, but not by much",
             1.5 * far: "no nearer to B than to A: this swap failed"}
    for to_truth, verdict in cases.items():
        text = said(set_example(rms_swap_to_truth=to_truth))
        assert verdict in text, to_truth
        assert sum(v in text for v in cases.values()) == 1
        assert f"making the face by {round(to_truth, 3)}," in text


def test_the_swap_verdict_as_built_matches_the_real_distances():
    e, text = example_facts(), said()
    if e["rms_swap_to_truth"] < e["rms_swap_to_driver"] / 2:
        assert "less than half as far from B" in text
    elif e["rms_swap_to_truth"] < e["rms_swap_to_driver"]:
        assert "nearer to B than to A, but not by much" in text
    else:
        assert "this swap failed" in text


def test_quoted_figures_follow_the_manifest_and_the_facts():
    text = said(lambda v: v["manifest"]["data"]["mnist-pca"]["components_for_variance"].update({"0.9": 123}))
    assert "the leading 123 of its 784 directions carry 90% of the variance" in text
    text = said(lambda v: v["facts"]["swap"]["original"].update(bottleneck=512, parameters=123_456_789))
    assert "into 512." in text and "about 123 million weights" in text
    text = said(lambda v: v["models"]["mnist-ae-2d"].update(test_mse=0.04, pca_test_mse=0.09))
    assert "off by 0.2 RMS" in text and "is off by 0.3." in text


# -- the original model, counted from its layer list -------------------------------------------
def test_the_parameter_counter_agrees_with_the_sites_own_model():
    entry = manifest()["models"]["faces-swap"]
    assert swap_figure.manifest_parameters(entry) == entry["parameters"]


def test_the_original_model_is_an_autoencoder_of_its_own_input():
    o = swap_figure.original_model()
    assert o["output_shape"] == list(swap_figure.ORIGINAL_INPUT)          # it rebuilds what it read
    assert o["bottleneck"] < o["input_numbers"] and o["bottleneck"] < o["decoder_input_numbers"]
    assert math.prod(o["decoder_input"]) == o["decoder_input_numbers"]
    assert o["parameters"] == o["encoder_parameters"] + 2 * o["decoder_parameters"]


def test_the_counter_follows_the_layer_list(monkeypatch):
    encoder = list(swap_figure.ORIGINAL_ENCODER)
    encoder[4] = ("dense", 256)
    monkeypatch.setattr(swap_figure, "ORIGINAL_ENCODER", tuple(encoder))
    o = swap_figure.original_model()
    assert o["bottleneck"] == 256
    # Flatten (4·4·1024) -> 256 and 256 -> 4·4·1024 replace the two 1024-wide dense layers.
    assert swap_figure.walk([("dense", 256)], (4, 4, 1024))[1] == 4 * 4 * 1024 * 256 + 256


# -- the figure: the site's own model at work --------------------------------------------------
def rms(u, v):
    return math.sqrt(sum((a - b) ** 2 for a, b in zip(u, v)) / len(u))


def test_the_figure_is_registered_and_embedded():
    figures, facts = load_figures(ROOT / "figures")
    assert figures["swap-example"].function == "figures.swap:swap_example"
    assert facts["swap"] == "figures.swap:facts"
    assert '::figure swap-example "' in (ROOT / "content/chapters" / f"{STEM}.md").read_text()


def test_the_example_facts_are_what_the_model_does(pure_python):
    """Recomputed here independently, in pure Python: encode A, decode with B, compare."""
    model = pure_python.load(loader=swap_model.load)
    params = faces.random_params(random.Random(swap_figure.EXAMPLE_SEED))
    x_a, truth = pipeline.aligned_crop("A", params).pixels, pipeline.aligned_crop("B", params).pixels
    z = model.encode(x_a)
    swapped, rebuilt = model.decode(z, "B"), model.decode(z, "A")
    e = swap_figure.example_facts()
    assert e["latent_dim"] == manifest()["models"]["faces-swap"]["latent_dim"] == len(z)
    assert e["rms_swap_to_truth"] == pytest.approx(rms(swapped, truth), abs=1e-3)
    assert e["rms_swap_to_driver"] == pytest.approx(rms(swapped, x_a), abs=1e-3)
    assert e["rms_reconstruction"] == pytest.approx(rms(rebuilt, x_a), abs=1e-3)


def test_the_figure_draws_the_face_the_code_and_three_decodings():
    picture = swap_figure.swap_example()
    svg = ET.fromstring(picture["svg"])
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f".//{ns}image")) == 4                          # x_A, D_A(z), D_B(z), B
    bars = [r for r in svg.iter(f"{ns}rect") if r.get("fill") == swap_figure.BLUE]
    assert len(bars) == manifest()["models"]["faces-swap"]["latent_dim"]
    assert not re.search(r"\sstyle=|<style|<script", picture["svg"])          # the CSP allows none of them
    assert picture["alt"] and str(len(bars)) in picture["alt"]


def test_the_figure_is_generic_over_the_model(monkeypatch):
    """A model that decodes everything to grey still gets a picture, and other distances."""
    class Grey:
        entry = {"latent_range": {}}

        def encode(self, pixels):
            return [0.0] * 3

        def decode(self, z, who):
            return [0.5] * (faces.SIZE * faces.SIZE * 3)
    monkeypatch.setattr(swap_figure.swap_model, "load", lambda: Grey())
    swap_figure.example.cache_clear()
    try:
        e = swap_figure.example_facts()
        assert e["latent_dim"] == 3 and e["rms_reconstruction"] == pytest.approx(e["rms_swap_to_driver"])
        assert "3 numbers" in swap_figure.swap_example()["alt"]
    finally:
        swap_figure.example.cache_clear()


def test_the_figure_is_deterministic():
    first = swap_figure.swap_example()["svg"]
    swap_figure.example.cache_clear()
    assert swap_figure.swap_example()["svg"] == first


# -- the scratchpad's example cell -------------------------------------------------------------
def test_the_example_cell_runs_the_encoder_and_both_decoders():
    code = scratchpad.EXAMPLE
    assert "swap.load()" in code and "model.encode(x_A)" in code
    assert 'model.decode(z, "A")' in code and 'model.decode(z, "B")' in code
    cell = scratchpad.run_cell(code, namespace={})
    assert cell["error"] is None, cell["error"]
    assert f"a code of {manifest()['models']['faces-swap']['latent_dim']}" in cell["stdout"]


def test_the_example_cell_prints_what_the_model_really_gives(pure_python):
    cell = scratchpad.run_cell(scratchpad.EXAMPLE, namespace={})
    printed = dict(re.findall(r"^(D_[AB]\(z\) against [AB]): ([\d.]+)$", cell["stdout"], re.M))
    pose = eval(re.search(r"^pose = (\{.*\})$", scratchpad.EXAMPLE, re.M).group(1))
    model = pure_python.load(loader=swap_model.load)
    x_a, truth = pipeline.aligned_crop("A", pose).pixels, pipeline.aligned_crop("B", pose).pixels
    z = model.encode(x_a)
    expected = {"D_A(z) against A": rms(model.decode(z, "A"), x_a),
                "D_B(z) against B": rms(model.decode(z, "B"), truth),
                "D_B(z) against A": rms(model.decode(z, "B"), x_a)}
    assert printed.keys() == expected.keys()
    for label, value in expected.items():
        assert float(printed[label]) == pytest.approx(value, abs=0.0015), label


def test_the_scratchpad_loads_the_weights_its_example_needs():
    demo = load_demos(ROOT / "site_builder" / "demos")["python-scratchpad"]
    assert "faces-swap" in demo.weights


@pytest.mark.parametrize("code", [None, "", 42, [], {}, 1e400, float("nan"), "1/0", "import sys; sys.exit(3)",
                                  "x = " + "9" * 5000 + "\nx % 7", "\x00"])
def test_the_cell_answers_any_input_without_raising(code):
    cell = scratchpad.run_cell(code, namespace={})
    assert set(cell) >= {"stdout", "result", "error"}
    assert all(cell[k] is None or isinstance(cell[k], str) for k in ("stdout", "result", "error"))


def test_the_set_up_of_the_sites_swap_is_disclosed_from_the_manifest():
    """The toy's kindnesses are said: how many settings draw a face, the shared spread of them,
    and the alignment term while training has one."""
    fs = manifest()["models"]["faces-swap"]
    text = said()
    assert f"drawn by a program from {len(fs['param_names'])} settings" in text
    assert "drawn with the same random spread of those settings" in text
    assert ("pulls the average and spread of A's and B's codes together" in text) == bool(
        fs["training"]["latent_alignment_weight"])
    fewer = said(lambda v: v["models"]["faces-swap"].update(param_names=["smile", "yaw"]))
    assert "drawn by a program from 2 settings" in fewer
    unaligned = said(lambda v: v["models"]["faces-swap"]["training"].update(latent_alignment_weight=0,
                                                                             latent_critic={"weight": 0}))
    assert "pulls the average and spread" not in unaligned and "spread of those settings (" in unaligned


def test_the_latent_critic_is_disclosed_while_training_has_one():
    assert "and another trains the encoder against a small second network that tries to tell A's codes from B's" in said()
    without = said(lambda v: v["models"]["faces-swap"]["training"].update(latent_critic={"weight": 0}))
    assert "second network" not in without and "pulls the average and spread" in without
    critic_only = said(lambda v: v["models"]["faces-swap"]["training"].update(latent_alignment_weight=0))
    assert "pulls the average" not in critic_only and "and a training term the 2017 code lacks trains the encoder" in critic_only
