"""Chapters 9 and 10 tell the truth: every verdict flips when its figure does, the worked
examples agree with brute force, the demo's measured runs are the page's own, and the theorems
the prose states (the linear autoencoder is PCA up to an invertible mix; Tweedie's formula; the
three backpropagation lines) hold numerically."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from figures import networks
from py_runtime.demos import neural_net
from py_runtime.demos._lib.mlp import MLP, sigmoid
from truth_helpers import prose, real_variables

CH9, CH10 = "09-neural-networks", "10-autoencoders"


def facts(variables) -> dict:
    return variables["facts"]["networks"]


# --- the worked examples -------------------------------------------------------------------

def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_the_chain_example_matches_finite_differences():
    c = networks.CHAIN
    out = networks.chain_example(**c)
    loss = lambda **kw: networks.chain_forward(**{**{k: c[k] for k in ("x", "w1", "w2", "y")}, **kw})["loss"]
    assert out["grad"]["w1"] == pytest.approx(central_difference(lambda w: loss(w1=w), c["w1"]))
    assert out["grad"]["w2"] == pytest.approx(central_difference(lambda w: loss(w2=w), c["w2"]))
    assert out["nudged"]["rise"] == pytest.approx(out["grad"]["w1"] * c["nudge"], rel=0.01)
    assert out["step"]["loss"] < out["forward"]["loss"]


def test_the_fan_out_gradient_is_the_sum_over_paths_and_w_transpose_delta():
    c = networks.FAN
    out = networks.fan_example(**c)
    loss = lambda x: networks.fan_forward(x, c["w"], c["v"], c["y"])["loss"]
    assert out["grad"]["x"] == pytest.approx(central_difference(loss, c["x"]))
    W = np.array(c["w"]).reshape(2, 1)                                   # the layer x → (a₁, a₂)
    assert float((W.T @ np.array(out["grad"]["deltas"]))[0]) == pytest.approx(out["grad"]["x"])
    assert all(abs(p - out["grad"]["x"]) > 1e-3 for p in out["grad"]["paths"])   # no single path is the answer


def test_the_three_lines_are_what_the_demo_computes():
    """δ_out = (p − y)/B, ∂L/∂W = δ a_prevᵀ, δ_prev = (Wᵀδ) ⊙ (1 − a²), in NumPy, against MLP.gradients."""
    net = MLP((2, 5, 4, 1), seed=2)
    rng = random.Random(1)
    points = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(16)]
    labels = [float(x * y > 0) for x, y in points]
    _, dW, db = net.gradients(points, labels)
    acts = [np.array(points).T]                                          # one column per example
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        acts.append(np.tanh(np.array(W) @ acts[-1] + np.array(b)[:, None]))
    p = 1 / (1 + np.exp(-(np.array(net.weights[-1]) @ acts[-1] + np.array(net.biases[-1])[:, None])))
    delta = (p - np.array(labels)) / len(labels)
    for l in range(len(net.weights) - 1, -1, -1):
        assert np.allclose(np.array(dW[l]), delta @ acts[l].T) and np.allclose(np.array(db[l]), delta.sum(axis=1))
        if l:
            delta = (np.array(net.weights[l]).T @ delta) * (1 - acts[l] ** 2)


def test_sigmoid_and_cross_entropy_give_p_minus_y():
    for z, y in [(0.3, 1.0), (-2.0, 0.0), (4.0, 0.0)]:
        loss = lambda t: -(y * math.log(sigmoid(t)) + (1 - y) * math.log(1 - sigmoid(t)))
        assert central_difference(loss, z) == pytest.approx(sigmoid(z) - y, rel=1e-6)


# --- the demo's measured runs are the page's -------------------------------------------------

def test_run_trains_exactly_as_the_page_does(monkeypatch):
    monkeypatch.setattr(neural_net, "BUDGET_MS", 1e9)
    neural_net.reset("truth", dataset="rings", seed=3, lr=0.05)
    for _ in range(3):
        page = neural_net.train("truth", steps=10, lr=0.05)
    history = neural_net.run(30, every=10, dataset="rings", seed=3, lr=0.05)
    assert [s for s, _, _ in history] == [10, 20, 30]
    assert history[-1][1] == page["loss"] and history[-1][2] == page["accuracy"]


def test_run_stops_when_told():
    history = neural_net.run(500, every=10, dataset="xor", stop=lambda loss, accuracy: accuracy >= 0.9)
    assert history[-1][2] >= 0.9 and all(a < 0.9 for _, _, a in history[:-1])


def test_first_step():
    history = [(10, 0.6, 0.5), (20, 0.4, 0.8), (30, 0.1, 1.0)]
    assert networks.first_step(history, lambda loss, acc: loss < 0.5) == 20
    assert networks.first_step(history, lambda loss, acc: acc > 1) is None


# --- the verdicts flip with their figures ------------------------------------------------------

def setting(*changes):
    """A patch for prose(): each change is (path, value), the path a tuple of keys into the variables."""
    def patch(variables):
        for path, value in changes:
            target = variables
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
    return patch


NET = ("facts", "networks")
RUNS, AE = NET + ("runs",), NET + ("ae",)
AE2, AE16, DAE = ("models", "mnist-ae-2d"), ("models", "mnist-ae-16d"), ("models", "mnist-dae")


def flips(stem, cases):
    """cases: [(patch, phrase)]: each phrase is in the prose under its own patch and in no other's
    (a phrase None: that branch says none of the others)."""
    texts = [prose(stem, patch) for patch, _ in cases]
    for i, (_, phrase) in enumerate(cases):
        for j, text in enumerate(texts):
            if phrase is not None:
                assert (phrase in text) == (i == j), (phrase, i, j)


CH9_VERDICTS = {
    "one step lowers the loss": [
        (setting((NET + ("chain", "step", "loss"), 0.1)), "the loss has fallen from"),
        (setting((NET + ("chain", "step", "loss"), 9.0)), "the loss has not fallen from")],
    "the spirals' plateau": [
        (setting((RUNS + ("long_plateaus",), 3), (RUNS + ("spiral_seeds",), 3)), "In 3 of the first 3 runs it stayed above"),
        (setting((RUNS + ("long_plateaus",), 1), (RUNS + ("spiral_seeds",), 3)), "in the others for less"),
        (setting((RUNS + ("long_plateaus",), 0)), "runs it fell below")],
    "what the other spiral runs did": [
        (setting((RUNS + ("long_plateaus",), 2), (RUNS + ("spiral_seeds",), 3), (RUNS + ("shortest_plateau",), 450)),
         "for more than 1000 steps, in the other for 450"),
        (setting((RUNS + ("long_plateaus",), 3), (RUNS + ("spiral_seeds",), 5), (RUNS + ("shortest_plateau",), 450)),
         "in the others for as few as 450"),
        (setting((RUNS + ("long_plateaus",), 3), (RUNS + ("spiral_seeds",), 3)), None)],
    "the sudden drop": [
        (setting((RUNS + ("longest_drop",), 1), (RUNS + ("shortest_plateau",), 500)), "it dropped suddenly"),
        (setting((RUNS + ("longest_drop",), 900), (RUNS + ("shortest_plateau",), 500)), "came down gradually")],
    "the top learning rate": [
        (setting((RUNS + ("xor_top_stalled",), 1)), "XOR can stall with a wrong boundary"),
        (setting((RUNS + ("xor_top_stalled",), 0)), "XOR is still learned")],
    "one stall or several": [
        (setting((RUNS + ("xor_top_stalled",), 1)), "), 1 was still below"),
        (setting((RUNS + ("xor_top_stalled",), 2)), "), 2 were still below")],
    "the bottom learning rate": [
        (setting((RUNS + ("xor_bottom_accuracy",), 0.4), (RUNS + ("xor_default_accuracy",), 1.0)), "everything crawls"),
        (setting((RUNS + ("xor_bottom_accuracy",), 0.95), (RUNS + ("xor_default_accuracy",), 1.0)), "XOR still reaches")],
    "the spirals start on the plateau": [
        (setting((RUNS + ("early_above_plateau",), True)), "where the loss starts and sits, on a plateau"),
        (setting((RUNS + ("early_above_plateau",), False)), None)],
    "XOR within the limit": [
        (setting((RUNS + ("xor_steps_95",), 70)), "points within 70 steps, its boundary bending"),
        (setting((RUNS + ("xor_steps_95",), None)), f"still short of 95% accuracy on all the points after {networks.REACH_LIMIT} steps")],
    "rings within the limit": [
        (setting((RUNS + ("rings_steps_95",), 70)), "95% within 70 steps, and the network finds the circle"),
        (setting((RUNS + ("rings_steps_95",), None)), f"still short of 95% after {networks.REACH_LIMIT} steps")],
}


@pytest.mark.parametrize("name", CH9_VERDICTS)
def test_chapter_9_verdicts_flip(name):
    flips(CH9, CH9_VERDICTS[name])


def test_chapter_9_quotes_the_measured_runs():
    text, r, d = prose(CH9), facts(real_variables())["runs"], facts(real_variables())["demo"]
    assert f"of the first {r['spiral_seeds']} runs" in text
    assert f"each step uses {d['batch']} of the {d['points']} points" in text
    assert f"the network has {d['parameters']} parameters" in text
    assert f"Move the learning rate to its top, {d['lr_top']:.2f}" in text
    assert "at least four" not in text and "Two details differ" not in text and text.count("in practice") == 1


CLEAN = real_variables()["models"]["mnist-dae"]["test_mse_clean"]
SIGMA_HALF = real_variables()["facts"]["networks"]["ae"]["denoiser"]["0.5"]["denoised_mse"]
DRAWN2 = AE + ("map", "drawn", "2")

CH10_VERDICTS = {
    "2-D against PCA": [
        (setting((AE2 + ("test_mse",), 0.01), (AE2 + ("pca_test_mse",), 0.02)), "reach 0.0100, 50% lower"),
        (setting((AE2 + ("test_mse",), 0.03), (AE2 + ("pca_test_mse",), 0.02)), "reach 0.0300, 50% higher")],
    "the relative gap": [
        (setting((AE16 + ("test_mse",), 0.001)), "In relative terms the gap widens"),
        (setting((AE16 + ("test_mse",), 0.025)), "In relative terms the gap narrows")],
    "the absolute gap": [
        (setting((AE16 + ("pca_test_mse",), 0.06)), "in absolute terms it widens"),
        (setting((AE16 + ("pca_test_mse",), 0.02)), "in absolute terms it shrinks")],
    "the curve pays off": [
        (setting((AE16 + ("test_mse",), 0.001)), "a curved decoder can follow the surface"),
        (setting((AE16 + ("test_mse",), 0.5)), "the curve does not pay off everywhere")],
    "the takeaway on the curve": [
        (setting((AE16 + ("test_mse",), 0.001)), "and, here, rebuilds with less error"),
        (setting((AE16 + ("test_mse",), 0.5)), None)],
    "why the absolute gap shrinks": [
        (setting((AE16 + ("pca_test_mse",), 0.02)), "because PCA's error falls by more"),
        (setting((AE16 + ("pca_test_mse",), 0.06)), None)],
    "where the sample 2 lands": [
        (setting((DRAWN2 + ("z_norm",), 0.5), (AE + ("map", "crowd_radius"), 1.0)), "near the origin, where the centroids"),
        (setting((DRAWN2 + ("z_norm",), 5.0), (AE + ("map", "crowd_radius"), 1.0)), None)],
    "median against RMS": [
        (setting((AE + ("errors", "median_abs"), 0.0001)), "That is not what a typical pixel is off by"),
        (setting((AE + ("errors", "median_abs"), 0.15)), "so the error is spread widely")],
    "where the squared error sits": [
        (setting((AE + ("errors", "visible_error_share"), 0.99)), "nearly all of it comes from the pixels"),
        (setting((AE + ("errors", "visible_error_share"), 0.5)), None)],
    "the sample 2": [
        (setting((DRAWN2 + ("nearest",), "3"), (DRAWN2 + ("neighbours_mostly",), "2")), "even though the largest group"),
        (setting((DRAWN2 + ("nearest",), "3"), (DRAWN2 + ("neighbours_mostly",), "3")), "most of the ten nearest dots are 3s"),
        (setting((DRAWN2 + ("nearest",), "2")), "nearest centroid is the 2s'")],
    "zeros near the 6s": [
        (setting((AE + ("map", "zeros_nearer_6"), 0.2)), "lie nearer the 6s' centroid than their own"),
        (setting((AE + ("map", "zeros_nearer_6"), 0.0)), None)],
    "the sample 0": [
        (setting((AE + ("map", "drawn", "0", "nearest"), "6"), (AE + ("map", "zeros_nearer_6"), 0.2)),
         "and so does the demo's sample 0"),
        (setting((AE + ("map", "drawn", "0", "nearest"), "0"), (AE + ("map", "zeros_nearer_6"), 0.2)),
         "lie nearer the 6s' centroid than their own.")],
    "the 5s' centroid re-encoded": [
        (setting((AE + ("map", "reencoded", "5"), "3")), "lands nearest the 3s' centroid"),
        (setting((AE + ("map", "reencoded", "5"), "5")), "lands back nearest the 5s' centroid")],
    "beyond the training noise": [
        (setting((AE + ("denoiser", "1", "sigma"), 1.0)), "well beyond the"),
        (setting((AE + ("denoiser", "1", "sigma"), 0.5)), None)],
    "what the noise costs": [
        (setting((DAE + ("test_mse",), CLEAN * 1.1)), "so the noise costs it little"),
        (setting((DAE + ("test_mse",), CLEAN * 3)), "so the noise costs it a lot")],
    "twice the noise": [
        (setting((AE + ("denoiser", "1", "denoised_mse"), SIGMA_HALF * 3)), "more than doubles"),
        (setting((AE + ("denoiser", "1", "denoised_mse"), SIGMA_HALF * 1.5)), "the output's error grows to"),
        (setting((AE + ("denoiser", "1", "denoised_mse"), SIGMA_HALF)), "the output's error stays near")],
}


def _code_activation(name):
    def patch(variables):
        variables["models"]["mnist-ae-2d"]["encoder"][-1]["activation"] = name
    return patch


CH10_VERDICTS["the code's activation"] = [
    (_code_activation("linear"), "So nothing squashes the code into a fixed range"),
    (_code_activation("relu"), "So the code is squashed too")]


@pytest.mark.parametrize("name", CH10_VERDICTS)
def test_chapter_10_verdicts_flip(name):
    flips(CH10, CH10_VERDICTS[name])


def test_chapter_9_names_the_seeds_it_measured():
    text, r = prose(CH9), facts(real_variables())["runs"]
    assert f"(seeds 0 to {r['top_seeds'] - 1})" in text and "on average over the same seeds" in text
    assert "in more than two details" not in text
    assert "what the worked examples called $a$ and $h$" in text        # z and a, against the examples' a and h


def test_chapter_10_links_and_agrees_with_chapter_6():
    text = prose(CH10)
    assert "(06-pca.md#pca-is-the-best-linear-autoencoder)" in text
    assert "covariance matrix is invertible with distinct eigenvalues" in text
    assert "$C_k$ chapter 6's matrix of the first $k$ components" in text
    assert "covariance is invertible with distinct eigenvalues" in prose("06-pca")


def test_the_diffusion_sketch_adds_noise_at_each_step():
    assert "adding a little fresh noise at each" in prose(CH10)


def test_chapter_10_says_posterior_mean_not_most_plausible():
    text = prose(CH10)
    assert "posterior mean" in text and "most plausible digit" not in text
    assert "not the most plausible one among them" in text


def test_the_rms_is_not_the_median():
    errors = facts(real_variables())["ae"]["errors"]
    assert errors["median_abs"] <= errors["mean_abs"] <= errors["rms"]
    assert errors["stroke_error_share"] > errors["stroke_pixels"]         # the strokes carry more than their share
    assert sum(errors["per_class"].values()) / 10 == pytest.approx(errors["mse"], rel=1e-6)   # 20 of each class


def test_the_neighbour_vote_is_the_demos_readout():
    from py_runtime.demos import autoencoder_draw
    from py_runtime.demos._lib import latent_map
    entry = real_variables()["models"]["mnist-ae-2d"]
    points, labels = np.array(entry["latent_sample"]["points"]), np.array(entry["latent_sample"]["labels"])
    for strokes in autoencoder_draw.SAMPLES.values():
        z = autoencoder_draw.view(pixels=autoencoder_draw.rasterize(strokes))["latent"]
        top, count = networks.neighbour_vote(z, points, labels)
        assert latent_map.neighbours(z).startswith(f"mostly {top} ({count} of 10)")


def test_activations_group_the_layers():
    layers = [{"activation": a} for a in ("relu", "relu", "linear", "relu", "sigmoid")]
    assert networks.activations(layers) == {"relu": [1, 2, 4], "linear": [3], "sigmoid": [5]}


# --- the theorems chapter 10 states ----------------------------------------------------------

def test_a_linear_autoencoder_reconstructs_as_pca_but_is_not_pca():
    """Baldi & Hornik: at the minimum the decoder spans the top-k principal subspace; the code is the
    PCA coordinates mixed by an invertible k×k matrix, its axes neither ordered nor orthogonal."""
    rng = np.random.default_rng(0)
    d, k, n = 6, 2, 2000
    basis, _ = np.linalg.qr(rng.normal(size=(d, d)))
    X = (rng.normal(size=(n, d)) * np.sqrt([6.0, 3.0, 1.0, 0.5, 0.2, 0.1])) @ basis.T   # distinct variances
    X -= X.mean(axis=0)
    encoder, decoder = rng.normal(scale=0.5, size=(k, d)), rng.normal(scale=0.5, size=(d, k))
    for _ in range(4000):                                   # plain gradient descent on the mean squared error
        code = X @ encoder.T
        residual = code @ decoder.T - X
        grad_decoder = residual.T @ code / n
        grad_encoder = decoder.T @ residual.T @ X / n
        decoder -= 0.05 * grad_decoder
        encoder -= 0.05 * grad_encoder
    eigenvalues, vectors = np.linalg.eigh(X.T @ X / n)
    top = vectors[:, np.argsort(eigenvalues)[::-1][:k]]
    pca_mse = np.mean((X @ top @ top.T - X) ** 2)
    assert np.mean((X @ encoder.T @ decoder.T - X) ** 2) == pytest.approx(pca_mse, rel=1e-3)
    span = np.linalg.qr(decoder)[0]
    cosines = np.linalg.svd(span.T @ top, compute_uv=False)                 # of the principal angles
    assert cosines.min() > 0.999
    mix = top.T @ decoder                                                   # decoder = U C
    assert abs(np.linalg.det(mix)) > 1e-3
    assert not np.allclose(decoder.T @ decoder, np.eye(k), atol=0.05)       # axes not orthonormal: not PCA


def test_tweedies_formula():
    """E[x | x̃] = x̃ + σ² d/dx̃ log p_σ(x̃) for x̃ = x + σε, here x from a two-point-and-Gaussian mix."""
    sigma = 0.7
    grid = np.linspace(-6, 6, 24001)
    prior = 0.3 * np.exp(-(grid + 1.5) ** 2 / 0.02) + 0.7 * np.exp(-(grid - 1.0) ** 2 / 0.5)
    prior /= np.trapezoid(prior, grid) if hasattr(np, "trapezoid") else np.trapz(prior, grid)
    for noisy in (-2.0, -0.4, 0.3, 1.8):
        likelihood = np.exp(-(noisy - grid) ** 2 / (2 * sigma ** 2))
        posterior_mean = np.sum(grid * prior * likelihood) / np.sum(prior * likelihood)
        density = lambda t: np.sum(prior * np.exp(-(t - grid) ** 2 / (2 * sigma ** 2)))
        score = central_difference(lambda t: math.log(density(t)), noisy, h=1e-4)
        assert posterior_mean == pytest.approx(noisy + sigma ** 2 * score, abs=1e-5)
