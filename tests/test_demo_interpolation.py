"""The interpolation demo's math on CPython: pixel blend, latent morph, re-encoding error, PNGs."""
from __future__ import annotations

import base64
import json
import random
import re

import numpy as np
import pytest

from py_runtime import png
from py_runtime.demos import digits_view, mnist_data, models
from py_runtime.demos import interpolation as demo


def _images(html: str) -> dict[str, np.ndarray]:
    """data-panel / data-again name -> the 28×28 picture in an <img> (values in [0, 1])."""
    out = {}
    for tag in re.findall(r"<img [^>]*>", html):
        name = re.search(r'data-(?:panel|again)="(\w+)"', tag)
        src = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
        width, height, rows = png.decode(base64.b64decode(src))
        assert (width, height) == (28, 28)
        if name:
            key = ("again-" if "data-again" in tag else "") + name.group(1)
            out[key] = np.array(rows)
    return out


def _digit(label, which):
    return np.array(mnist_data.digit(label, which)).reshape(28, 28)


def test_pixel_blend_is_the_weighted_average_of_the_two_images():
    a, b = mnist_data.digit(3, 2), mnist_data.digit(8, 5)
    for t in (0.0, 0.25, 0.5, 1.0):
        assert np.allclose(demo.pixel_blend(a, b, t), (1 - t) * np.array(a) + t * np.array(b))


def test_latent_morph_decodes_the_straight_line_between_the_codes():
    model = models.get(demo.MODEL)
    a, b = mnist_data.digit(0, 0), mnist_data.digit(1, 0)
    za, zb = np.array(model.encode(a)), np.array(model.encode(b))
    for t in (0.0, 0.3, 1.0):
        expected = model.decode((1 - t) * za + t * zb)
        assert np.allclose(demo.latent_morph(za.tolist(), zb.tolist(), t), expected, atol=1e-6)
    assert np.allclose(demo.latent_morph(za.tolist(), zb.tolist(), 0.0), model.reconstruct(a), atol=1e-6)


def test_ends_of_the_path_show_a_and_b_in_both_panels():
    for t, label, other in ((0.0, 0, 1), (1.0, 1, 0)):
        state = demo.view(a_class=0, a_index=0, b_class=1, b_index=0, t=t)
        pictures = _images(state["panels"])
        shown = _digit(label, 0)
        assert np.abs(pictures["pixels"] - shown).max() <= 1 / 255 + 1e-9      # the digit itself
        # the morph is the autoencoder's reconstruction: much closer to this digit than to the other
        err_same = np.mean((pictures["latent"] - shown) ** 2)
        err_other = np.mean((pictures["latent"] - _digit(other, 0)) ** 2)
        assert err_same < 0.25 * err_other


def test_reencoding_error_is_mse_against_the_reconstruction():
    model = models.get(demo.MODEL)
    picture = demo.pixel_blend(mnist_data.digit(4, 1), mnist_data.digit(9, 1), 0.5)
    error, again = demo.reencode_error(picture)
    assert error == pytest.approx(float(np.mean((np.array(picture) - np.array(model.reconstruct(picture))) ** 2)),
                                  rel=1e-6)
    assert np.allclose(again, model.reconstruct(picture))


@pytest.mark.parametrize("seed", range(12))
def test_the_midpoint_morph_is_more_digit_like_than_the_pixel_blend(seed):
    rng = random.Random(seed)
    a_class, b_class = rng.sample(range(10), 2)
    state = demo.view(a_class=a_class, a_index=rng.randrange(20), b_class=b_class, b_index=rng.randrange(20), t=0.5)
    assert state["morph_error"] < state["blend_error"]
    readouts = state["readouts"]
    assert f"{state['blend_error']:.4f}" in readouts and f"{state['morph_error']:.4f}" in readouts


def test_strip_covers_the_path_and_marks_the_current_step():
    state = demo.view(t=0.5)
    assert state["strip"].count("<img") == 2 * demo.STRIP
    assert state["strip"].count("current") == 2
    assert re.findall(r'data-t="([\d.]+)"', state["strip"])[:demo.STRIP] == [f"{i / 6:.4f}" for i in range(7)]


def test_fast_png_matches_the_reference_encoder():
    rng = random.Random(1)
    pixels = [rng.random() for _ in range(784)]
    pixels[:4] = [0.0, 1.0, -0.5, 1.7]
    _, _, ours = png.decode(digits_view.encode(pixels))
    _, _, reference = png.decode(png.encode_gray(png.to_rows([min(max(v, 0), 1) for v in pixels])))
    assert np.abs(np.array(ours) - np.array(reference)).max() <= 1 / 255 + 1e-12


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, -3, [1], {}])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        p = state["params"]
        assert 0 <= p["a_class"] <= 9 and 0 <= p["b_class"] <= 9
        assert 0 <= p["a_index"] < 20 and 0 <= p["b_index"] < 20 and 0 <= p["t"] <= 1


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert len(html) > 1000 and " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)
    assert "<button" not in html                            # the static picture has nothing to press
    func, args = demo.INTERACTION
    json.dumps(getattr(demo, func)(**args), allow_nan=False)
