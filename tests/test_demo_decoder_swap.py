"""decoder-swap demo on CPython: the whole pipeline (frame, aligned crop, swap, mask, composite),
the checks beside it and the latent bars, in two calls, with any input."""
import json
import re

import pytest

from py_runtime import align, faces, pipeline
from py_runtime.demos import decoder_swap as demo

np = pytest.importorskip("numpy")


def _images(html):
    return re.findall(r'(?:src|href)="(data:image/png;base64,[^"]+)"', html)


def test_view_shows_every_stage_and_the_latent_bars():
    state = demo.view(**demo.DEFAULTS)
    json.dumps(state, allow_nan=False)
    slots = state["slots"]
    assert set(demo.SLOTS) | {"latent", "readouts"} <= set(slots)
    for name in demo.SLOTS:
        assert len(_images(slots[name])) == 1, name
    assert 'class="crop-box"' in slots["frame"] and slots["frame"].count('class="landmark"') == len(align.TEMPLATE)
    assert slots["latent"].count('class="bar"') == 16 and slots["latent"].count('class="direction"') == 16
    assert len(state["latent"]) == 16 and state["driver"] == "A"
    assert "drives" in slots["readouts"] and "Alignment" in slots["readouts"] and state["psnr"] > 10


def test_the_swap_is_the_other_decoder_on_the_drivers_aligned_crop():
    params = dict(faces.DEFAULT_PARAMS, smile=-0.6, yaw=0.4)
    state = demo.view(**params)
    model = demo.model()
    crop = pipeline.aligned_crop("A", params).pixels
    z = model.encode(crop)
    assert np.allclose(state["latent"], z, atol=1e-5)
    swapped = np.asarray(model.decode(z, "B"))
    truth = np.asarray(pipeline.aligned_crop("B", params).pixels)
    assert state["psnr"] == pytest.approx(10 * np.log10(1 / np.mean((swapped - truth) ** 2)), abs=1e-6)
    other = demo.view(**params, driver="B")                 # roles swapped: B drives, A wears it
    assert other["driver"] == "B" and not np.allclose(other["latent"], state["latent"])
    assert "B drives" in other["slots"]["readouts"]


def test_swap_then_finish_is_the_same_as_one_view():
    params = dict(faces.DEFAULT_PARAMS, mouth_open=0.9, eyes_open=0.1)
    first, rest = demo.swap(**params), demo.finish(**params)
    whole = demo.view(**params)
    assert first["slots"]["swap"] == whole["slots"]["swap"] and rest["slots"]["composite"] == whole["slots"]["composite"]
    assert set(first["slots"]) == {"swap", "latent"}


def test_the_composite_is_the_frame_outside_the_mask_and_changes_inside():
    params = dict(faces.DEFAULT_PARAMS, smile=0.9)
    s = pipeline.swap_crop(demo.model(), "A", params, "B")
    done = pipeline.finish(s, demo.FRAME_SIZE, "mean")
    frame, out = np.asarray(done.frame).reshape(128, 128, 3), np.asarray(done.pixels).reshape(128, 128, 3)
    changed = np.abs(frame - out).max(axis=2) > 1e-6
    assert changed[0:8].sum() == 0 and changed[:, 0:8].sum() == 0        # the corners are A's frame, untouched
    assert changed[40:90, 40:90].mean() > 0.5                             # the face is replaced
    none = pipeline.finish(s, demo.FRAME_SIZE, "none")
    assert none.pixels != done.pixels and none.frame == done.frame


def test_colour_matching_moves_the_mean_under_the_mask():
    params = dict(faces.DEFAULT_PARAMS)
    s = pipeline.swap_crop(demo.model(), "A", params, "B")
    mask = align.face_mask(s.crop.marks, s.crop.alignment)
    for mode in ("mean", "mean-std"):
        matched = align.match_colours(s.pixels, s.crop.pixels, mask, mode)
        m_ref = align.colour_stats(s.crop.pixels, mask)[0]
        m_new = align.colour_stats(matched, mask)[0]
        assert max(abs(a - b) for a, b in zip(m_ref, m_new)) < 0.03, mode


def test_smile_direction_adds_k_times_the_direction():
    base = demo.view(**demo.DEFAULTS)
    moved = demo.view(**dict(demo.DEFAULTS, k=1.5))
    d = np.asarray(demo.model().smile_direction)
    assert np.allclose(np.asarray(moved["latent"]) - np.asarray(base["latent"]), 1.5 * d, atol=1e-4)
    assert moved["psnr"] is None and base["slots"]["swap"] != moved["slots"]["swap"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308,
                                 10 ** 400, [1], {"a": 1}])
def test_bad_input_is_sanitised(bad):
    params = {name: bad for name in demo.DEFAULTS}
    for fn in (demo.swap, demo.finish, demo.view):
        state = fn(**params)
        json.dumps(state, allow_nan=False)          # no NaN or infinity anywhere
        p = state["params"]
        assert p["driver"] == "A" and p["colour"] == "mean" and -2 <= p["k"] <= 2
        assert all(faces.PARAMS[n][0] <= p[n] <= faces.PARAMS[n][1] for n in faces.PARAM_NAMES)


def test_prerender_has_every_stage_and_no_inline_style_or_script():
    html = demo.prerender()["html"]
    assert len(_images(html)) == len(demo.SLOTS) and "<svg" in html and 'data-slot="composite"' in html
    assert " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)


def test_the_benchmarked_slider_move_answers_in_two_calls():
    """The two calls `make bench` times for one slider move (bench/bench_runtime.py and
    bench_demos.py measure their speed; no test does): the swap first, then the rest."""
    (first, args), (then, same) = demo.INTERACTION, demo.INTERACTION_AFTER
    assert same == args
    swapped, rest = getattr(demo, first)(**args), getattr(demo, then)(**args)
    for answer in (swapped, rest):
        json.dumps(answer, allow_nan=False)
    assert set(swapped["slots"]) == {"swap", "latent"}
    assert set(rest["slots"]) == set(demo.SLOTS) - {"swap"} | {"readouts"}
