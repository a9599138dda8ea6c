"""autoencoder-draw's math on CPython: the pad's pixels become an MNIST-style input, the 2-D
autoencoder places and rebuilds it, the seeded noise and the denoising autoencoder, bad input."""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

import py_runtime
from py_runtime import canvas_to_mnist, png
from py_runtime.demos import autoencoder_draw as demo


def image(uri: str) -> np.ndarray:
    assert uri.startswith("data:image/png;base64,")
    width, height, rows = png.decode(base64.b64decode(uri.split(",", 1)[1]))
    assert (width, height) == (28, 28)
    return np.array(rows).ravel()


def test_rasterize_draws_a_thick_antialiased_line():
    ink = np.array(demo.rasterize([[(140, 40), (140, 240)]], size=56)).reshape(56, 56)
    assert ink.min() == 0 and ink.max() == 255
    column = ink[28]                                  # a row across the middle of the line
    covered = np.flatnonzero(column > 127)
    assert abs((covered[0] + covered[-1] + 1) / 2 - 28) <= 1          # centred on x = 140 / 5
    assert abs(len(covered) - demo.LINE_WIDTH / 5) <= 1.5                # 28 px wide = 5.6 cells
    assert ink[:5].max() == 0 and ink[-5:].max() == 0                  # nothing beyond its ends


def test_smooth_keeps_the_end_points():
    points = demo.smooth([(0, 0), (10, 0), (10, 10)])
    assert points[0] == (0, 0) and points[-1] == (10, 10) and len(points) > 3
    assert (10, 0) not in points                                        # the corner is cut


def test_the_input_is_the_mnist_recipe_applied_to_the_pad():
    pixels = demo.rasterize(demo.SAMPLES["7"])
    state = demo.view(pixels=pixels, size=demo.SIZE, noise=0)
    expected = np.array(canvas_to_mnist(pixels, demo.SIZE, invert=False))
    assert np.abs(image(state["input"]) - expected).max() <= 0.5 / 255 + 1e-9
    ys, xs = np.mgrid[0:28, 0:28]
    mass = expected.reshape(28, 28)
    assert (mass * (ys + 0.5)).sum() / mass.sum() == pytest.approx(14.5, abs=1)   # centre of mass in the middle
    assert (mass * (xs + 0.5)).sum() / mass.sum() == pytest.approx(14.5, abs=1)


def test_the_latent_point_and_rebuild_come_from_the_2d_autoencoder(pure_python):
    pixels = demo.rasterize(demo.SAMPLES["3"])
    state = demo.view(pixels=pixels)
    x = canvas_to_mnist(pixels, demo.SIZE, invert=False)
    reference = pure_python.load("mnist-ae-2d")              # the browser's pure-Python path
    z = reference.encode(x)
    assert state["latent"] == pytest.approx(z, abs=1e-3)
    assert np.abs(image(state["recon"]) - np.array(reference.decode(z))).max() <= 1.5 / 255
    label, distance = py_runtime.latent.nearest_centroid(z, reference.centroids)
    assert state["nearest"] == label == 3
    assert f"Nearest class centroid</dt><dd>{label} ({distance:.2f} away)" in state["readouts"]


@pytest.mark.parametrize("digit", ["1", "3", "7"])
def test_sample_digits_land_nearest_their_own_class(digit):
    assert demo.view(pixels=demo.rasterize(demo.SAMPLES[digit]))["nearest"] == int(digit)


def test_a_vertical_stroke_is_a_one():
    state = demo.view(pixels=demo.rasterize([[(150, 50), (146, 230)]]))
    assert state["nearest"] == 1 and "mostly 1" in state["readouts"]


def test_the_noise_is_seeded_gaussian_scaled_by_the_slider_and_clipped():
    field = np.array(demo.noise_field(0))
    assert field.shape == (784,) and abs(field.mean()) < 0.1 and abs(field.std() - 1) < 0.1
    assert demo.noise_field(0) == demo.noise_field(0) and demo.noise_field(0) != demo.noise_field(1)
    pixels = demo.rasterize(demo.SAMPLES["7"])
    x = np.array(canvas_to_mnist(pixels, demo.SIZE, invert=False))
    clean = demo.view(pixels=pixels, noise=0)
    assert clean["noisy"] == clean["input"]
    noisy = demo.view(pixels=pixels, noise=0.5, seed=4)
    assert np.abs(image(noisy["noisy"]) - np.clip(x + 0.5 * np.array(demo.noise_field(4)), 0, 1)).max() <= 0.5 / 255 + 1e-9
    assert noisy["noisy"] != demo.view(pixels=pixels, noise=0.5, seed=5)["noisy"]
    assert noisy["noisy"] == demo.view(pixels=pixels, noise=0.5, seed=4)["noisy"]


def test_the_denoiser_removes_most_of_the_noise(pure_python):
    pixels = demo.rasterize(demo.SAMPLES["3"])
    x = np.array(canvas_to_mnist(pixels, demo.SIZE, invert=False))
    state = demo.view(pixels=pixels, noise=0.5)
    reference = pure_python.load("mnist-dae")
    noisy = np.clip(x + 0.5 * np.array(demo.noise_field(0)), 0, 1)
    assert np.abs(image(state["denoised"]) - np.array(reference.reconstruct(noisy.tolist()))).max() <= 1.5 / 255
    assert ((image(state["denoised"]) - x) ** 2).mean() < 0.25 * ((noisy - x) ** 2).mean()


def test_an_empty_pad():
    for pixels in ([0] * demo.SIZE ** 2, None, [3] * demo.SIZE ** 2):
        state = demo.view(pixels=pixels)
        json.dumps(state, allow_nan=False)
        assert state["empty"] and state["nearest"] is None and state["latent"] is None
        assert "draw something" in state["readouts"] and "data-marker" not in state["overlay"]


BAD = [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {}, True]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input_gives_a_valid_answer(bad):
    good = demo.rasterize(demo.SAMPLES["1"])
    cases = [{"pixels": bad}, {"pixels": good, "size": bad}, {"pixels": good, "noise": bad},
             {"pixels": good, "seed": bad}, {"pixels": [bad] * demo.SIZE ** 2},
             {"pixels": good[:-1] + [bad]}, {"pixels": good, "include_map": bad}]
    for params in cases:
        state = demo.view(**params)
        json.dumps(state, allow_nan=False)
        p = state["params"]
        assert 0 <= p["noise"] <= 1 and demo.SIZES[0] <= p["size"] <= demo.SIZES[1] and p["seed"] >= 0


def test_other_pad_sizes_and_wrong_lengths():
    ink = demo.rasterize(demo.SAMPLES["7"], size=112)
    assert demo.view(pixels=ink, size=112)["nearest"] == 7
    assert demo.view(pixels=ink, size=56)["empty"]                  # wrong length: treated as nothing drawn


def test_only_the_changing_parts_travel():
    state = demo.view(pixels=demo.rasterize(demo.SAMPLES["3"]))
    assert "map" not in state and len(json.dumps(state)) < 6000
    assert "map" in demo.view(include_map=True)


def test_prerender_and_initial_state():
    html = demo.prerender()["html"]
    assert " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)
    for part in ("data-input", "data-recon", "data-noisy", "data-denoised", "data-map", "data-overlay", "latent-legend"):
        assert part in html
    first = demo.initial()
    json.dumps(first, allow_nan=False)
    assert "<canvas" in first["html"] and first["samples"].keys() == demo.SAMPLES.keys()
    assert first["nearest"] == int(demo.FIRST)


def test_the_benchmarked_interaction_answers_alike_in_pure_python(pure_python):
    """The call `make bench` times (bench/bench_demos.py measures its speed; no test does) gives
    the same answer in pure Python, as the browser runs it, as with NumPy."""
    func, args = demo.INTERACTION
    with_numpy = getattr(demo, func)(**args)
    pure_python.serve("mnist-ae-2d", "mnist-dae")
    in_python = getattr(demo, func)(**args)
    json.dumps(in_python, allow_nan=False)
    assert in_python["nearest"] == with_numpy["nearest"] and in_python.keys() == with_numpy.keys()
    assert np.allclose(in_python["latent"], with_numpy["latent"], atol=1e-3)
