"""The latent explorer's math on CPython: the map's axis stretch and its inverse, decoding the
point under the crosshair, the re-encoding check, the map layer, and bad input."""
from __future__ import annotations

import json
import math
import random
import re

import numpy as np
import pytest

import py_runtime
from py_runtime import png
from py_runtime.demos import latent_explorer as demo
from py_runtime.demos._lib import latent_map as lm


def test_the_stretched_axes_are_asinh_around_the_sample_median():
    entry = lm.model().entry
    points = np.array(entry["latent_sample"]["points"])
    for i, axis in enumerate(lm.axes_for("stretched")):
        centre = float(np.median(points[:, i]))
        assert axis.centre == pytest.approx(centre)
        low, high = entry["latent_range"]["min"][i], entry["latent_range"]["max"][i]
        span = high - low
        w = lambda z: np.arcsinh((z - centre) / lm.STRETCH)        # noqa: E731
        for z in (low, 0.0, centre, 1.7, high):
            expected = (w(z) - w(low - lm.PAD * span)) / (w(high + lm.PAD * span) - w(low - lm.PAD * span))
            assert axis.to_view(z) == pytest.approx(float(expected))


@pytest.mark.parametrize("mode", lm.AXES)
def test_view_and_latent_coordinates_are_inverses(mode):
    rng = random.Random(1)
    for _ in range(200):
        u, v = rng.random(), rng.random()
        assert lm.to_view(lm.to_latent(u, v, mode), mode) == pytest.approx((u, v), abs=1e-12)
    x0, x1, y0, y1 = lm.latent_bounds(mode)
    assert lm.to_view((x0, y0), mode) == pytest.approx((0, 0)) and lm.to_view((x1, y1), mode) == pytest.approx((1, 1))


def test_the_stretch_gives_the_crowded_classes_room():
    """2, 3, 5 and 8 sit within ~1 latent unit; to scale they are a few pixels apart, stretched many more."""
    c = lm.model().centroids
    def gap(mode):
        return min(math.dist(lm.to_view(c[a], mode), lm.to_view(c[b], mode)) for a in (2, 3, 5, 8) for b in (2, 3, 5, 8) if a < b)
    assert gap("stretched") > 4 * gap("linear")
    assert gap("stretched") * lm.WIDTH / (lm.BOUNDS[1] - lm.BOUNDS[0]) > 12    # pixels on the 400-px map


def test_the_picture_is_the_decoder_output_at_the_point_and_is_re_encoded(pure_python):
    state = demo.view(x=-1.5, y=-4.0)
    z = [state["params"]["x"], state["params"]["y"]]
    assert z == [-1.5, -4.0]
    reference = pure_python.load(lm.MODEL)                           # the browser's path
    picture = reference.decode(z)
    width, height, rows = png.decode(_png(state["digit"]))
    assert (width, height) == (28, 28)
    assert np.abs(np.array(rows).ravel() - np.array(picture)).max() <= 0.5 / 255 + 1e-9
    assert state["reencoded"] == pytest.approx(reference.encode(picture), abs=1e-3)
    label, _ = py_runtime.latent.nearest_centroid(state["reencoded"], lm.model().centroids)
    assert state["reencoded_class"] == label == 1
    assert "Re-encoded nearest class</dt><dd>1 " in state["readouts"]


@pytest.mark.parametrize("label", [0, 1, 2, 3, 4, 6, 7, 8, 9])
def test_at_a_class_centroid_the_decoded_digit_re_encodes_near_it(label):
    """(Not 5: its centroid lies where the decoder draws something the encoder files under 3.)"""
    u, v = lm.to_view(lm.model().centroids[label], "stretched")
    state = demo.view(axes="stretched", u=u, v=v)
    assert state["nearest"] == label and state["reencoded_class"] == label


def test_pointer_position_is_turned_back_into_the_latent_point():
    state = demo.view(axes="stretched", u=0.25, v=0.8)
    assert [state["params"]["x"], state["params"]["y"]] == pytest.approx(lm.to_latent(0.25, 0.8, "stretched"), abs=1e-4)
    linear = demo.view(axes="linear", u=0.25, v=0.8)
    assert linear["params"]["x"] != state["params"]["x"]


def test_moving_changes_the_picture():
    assert demo.view(u=0.2, v=0.3)["digit"] != demo.view(u=0.7, v=0.8)["digit"]


def test_nearest_dots_vote_matches_numpy():
    sample = lm.model().entry["latent_sample"]
    points, labels = np.array(sample["points"]), np.array(sample["labels"])
    for z in ([0.3, 1.0], [-7.0, -2.0], [5.0, 12.0]):
        nearest = labels[np.argsort(((points - z) ** 2).sum(axis=1))[:10]]
        top = np.bincount(nearest).max()
        assert lm.neighbours(z).startswith(f"mostly {np.bincount(nearest).argmax()} ({top} of 10)")


@pytest.mark.parametrize("mode", lm.AXES)
def test_the_map_layer(mode):
    layer = demo.view(axes=mode, include_map=True)["map"]
    svg = layer["svg"]
    assert svg.startswith("<svg") and " style=" not in svg and "<script" not in svg
    assert len(re.findall(r'<path class="dots c\d"', svg)) == 10
    dots = sum(part.count("h0") for part in re.findall(r'd="([^"]*)"', svg))
    assert 1900 <= dots <= 2000                                 # the sample, a few far outliers left out
    for k in range(10):
        assert f'data-class="{k}"' in svg
    assert set(layer["centroids"]) == {str(k) for k in range(10)}
    assert layer["bounds"] == list(lm.BOUNDS)
    assert len(svg) < 40_000


BAD = [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {}, True]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input_gives_a_valid_answer(bad):
    for params in ({"u": bad, "v": 0.5}, {"u": bad, "v": bad}, {"x": bad, "y": bad}, {"axes": bad},
                   {"axes": "linear", "u": 0.5, "v": bad, "x": bad}, {"include_map": bad}):
        state = demo.view(**params)
        json.dumps(state, allow_nan=False)
        p = state["params"]
        assert 0 <= p["u"] <= 1 and 0 <= p["v"] <= 1 and p["axes"] in lm.AXES


def test_far_outside_values_are_clamped_to_the_map():
    state = demo.view(u=1e308, v=-1e308)
    assert (state["params"]["u"], state["params"]["v"]) == (1, 0)
    x0, x1, y0, y1 = lm.latent_bounds("linear")
    state = demo.view(x=1e9, y=-1e9)
    assert (state["params"]["x"], state["params"]["y"]) == pytest.approx((x1, y0), abs=1e-3)


def test_prerender_and_initial_state():
    html = demo.prerender()["html"]
    assert " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)
    assert "data-map" in html and "data-overlay" in html and "data-digit" in html and "latent-legend" in html
    first = demo.initial()
    assert first["html"] == html                     # the static picture is the live first state
    json.dumps(first, allow_nan=False)


def test_the_benchmarked_interaction_answers_alike_in_pure_python(pure_python):
    """The call `make bench` times (bench/bench_demos.py measures its speed; no test does) gives
    the same answer in pure Python, as the browser runs it, as with NumPy."""
    func, args = demo.INTERACTION
    with_numpy = getattr(demo, func)(**args)
    pure_python.serve(lm.MODEL)
    in_python = getattr(demo, func)(**args)
    json.dumps(in_python, allow_nan=False)
    assert (in_python["nearest"], in_python["reencoded_class"]) == (with_numpy["nearest"], with_numpy["reencoded_class"])
    assert np.allclose(in_python["reencoded"], with_numpy["reencoded"], atol=1e-3)


def _png(uri: str) -> bytes:
    import base64
    assert uri.startswith("data:image/png;base64,")
    return base64.b64decode(uri.split(",", 1)[1])
