"""The interpolation demo's math on CPython: pixel blend, latent morph, the re-encoding score and its
controls (a blank page ranks below every real digit), pieces of ink, PNGs."""
from __future__ import annotations

import base64
import json
import random
import re

import numpy as np
import pytest

from py_runtime import png
from py_runtime.demos._lib import digits_view, mnist_data, models
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


def _numpy_score(picture) -> float:
    model = models.get(demo.MODEL)
    x, y = np.array(picture, dtype=float), np.array(model.reconstruct(picture), dtype=float)
    return float(((x - y) ** 2).sum() / ((x ** 2).sum() + (y ** 2).sum()))


def test_reencoding_score_is_the_changed_share_of_the_ink_energy():
    model = models.get(demo.MODEL)
    picture = demo.pixel_blend(mnist_data.digit(4, 1), mnist_data.digit(9, 1), 0.5)
    score, again = demo.reencode_score(picture)
    assert score == pytest.approx(_numpy_score(picture), rel=1e-6)
    assert np.allclose(again, model.reconstruct(picture))
    error, _ = demo.reencode_error(picture)
    assert error == pytest.approx(float(np.mean((np.array(picture) - np.array(again)) ** 2)), rel=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_the_score_lies_between_0_and_1_for_pictures_without_negative_pixels(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.random(784) * (rng.random(784) < 0.3), rng.random(784)
    share = demo.energy_share(x.tolist(), y.tolist())
    assert 0.0 <= share <= 1.0
    assert share == pytest.approx(1 - 2 * x @ y / (x @ x + y @ y))
    assert demo.energy_share(x.tolist(), x.tolist()) == 0.0                    # unchanged: 0
    disjoint = np.where(x > 0, 0.0, y)
    assert demo.energy_share(x.tolist(), disjoint.tolist()) == pytest.approx(1.0)   # no ink in common: 1
    assert demo.energy_share([0.0] * 784, [0.0] * 784) == 0.0


def test_a_blank_page_ranks_below_every_real_digit_on_the_score_but_above_them_on_the_raw_error():
    blank = [0.0] * 784
    digits = [pixels for _, pixels in mnist_data.digits()]
    blank_score, blank_raw = demo.reencode_score(blank)[0], demo.reencode_error(blank)[0]
    assert blank_score == pytest.approx(1.0)
    assert all(demo.reencode_score(d)[0] < blank_score for d in digits)
    noise = np.random.default_rng(0).random(784).tolist()                    # a second control
    assert all(demo.reencode_score(d)[0] < demo.reencode_score(noise)[0] for d in digits)
    # why the demo changed measure: in pixel units the blank page beats every real digit
    assert all(demo.reencode_error(d)[0] > blank_raw for d in digits)


@pytest.mark.parametrize("seed", range(12))
def test_the_midpoint_morph_scores_better_than_the_pixel_blend(seed):
    rng = random.Random(seed)
    a_class, b_class = rng.sample(range(10), 2)
    state = demo.view(a_class=a_class, a_index=rng.randrange(20), b_class=b_class, b_index=rng.randrange(20), t=0.5)
    assert state["morph_score"] < state["blend_score"]
    readouts = state["readouts"]
    assert f"{state['blend_score']:.4f}" in readouts and f"{state['morph_score']:.4f}" in readouts


def _picture(*cells) -> list[float]:
    pixels = [0.0] * 784
    for row, col, value in cells:
        pixels[row * 28 + col] = value
    return pixels


def test_ink_pieces_joins_pixels_that_touch_at_a_side_or_a_corner():
    assert demo.ink_pieces([0.0] * 784) == 0
    assert demo.ink_pieces(_picture((5, 5, 1.0), (5, 6, 1.0), (6, 7, 0.9))) == 1            # side, then corner
    assert demo.ink_pieces(_picture((5, 5, 1.0), (5, 7, 1.0))) == 2                         # a gap of one pixel
    assert demo.ink_pieces(_picture((5, 5, 1.0), (5, 6, 0.4), (5, 7, 1.0))) == 2            # too faint to join
    assert demo.ink_pieces(_picture((5, 5, 1.0), (5, 6, 0.4), (5, 7, 1.0)), threshold=0.3) == 1
    assert demo.ink_pieces(_picture((0, 27, 1.0), (1, 0, 1.0))) == 2                        # no wrap at the edge
    blobs = demo.ink_blobs(_picture((1, 1, 1.0), (20, 20, 1.0), (20, 21, 1.0)))
    assert [len(b) for b in blobs] == [2, 1]


def test_the_pieces_readout_counts_the_morph_shown():
    for a, b in ((1, 7), (0, 1), (3, 3)):
        state = demo.view(a_class=a, a_index=0, b_class=b, b_index=1, t=0.5)
        morph = _images(state["panels"])["latent"].reshape(-1)
        assert state["morph_pieces"] == demo.ink_pieces(morph.tolist())
        assert f"<dd>{demo._pieces_text(state['morph_pieces'])}</dd>" in state["readouts"]
    assert demo._pieces_text(1) == "1" and "broken" in demo._pieces_text(2) and demo._pieces_text(0).startswith("0")


def test_strip_covers_the_path_and_marks_the_current_step():
    state = demo.view(t=0.5)
    assert state["strip"].count("<img") == 2 * demo.STRIP
    assert state["strip"].count("current") == 2
    assert re.findall(r'data-t="([\d.]+)"', state["strip"])[:demo.STRIP] == [f"{i / 6:.4f}" for i in range(7)]
    ticks = re.search(r'strip-ticks.*', state["strip"]).group(0)
    assert re.findall(r"<span>([\d/]+)</span>", ticks) == ["0", "1/6", "1/3", "1/2", "2/3", "5/6", "1"]


def test_fast_png_matches_the_reference_encoder():
    rng = random.Random(1)
    pixels = [rng.random() for _ in range(784)]
    pixels[:4] = [0.0, 1.0, -0.5, 1.7]
    _, _, ours = png.decode(digits_view.encode(pixels))
    _, _, reference = png.decode(png.encode_gray(png.to_rows([min(max(v, 0), 1) for v in pixels])))
    assert np.abs(np.array(ours) - np.array(reference)).max() <= 1 / 255 + 1e-12


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, -3, [1], {},
                                 10 ** 400, -(10 ** 400), "1e400", "-1e400", True])
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
