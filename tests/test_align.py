"""The stages around the swap network: views of the renderer, landmarks, the similarity fit,
the aligned crop, the mask, colour matching and the paste-back (py_runtime.align, .pipeline)."""
import cmath
import math
import random

import pytest

from py_runtime import align, faces, pipeline


def test_the_default_view_is_the_64_pixel_frame_and_a_sharper_view_agrees_with_it():
    params = faces.random_params(random.Random(4))
    small = faces.render("A", params)
    assert faces.render("A", params, faces.FRAME) == small
    big = faces.render("A", params, faces.frame_view(128))
    assert len(big) == 128 * 128 * 3
    # 2×2 blocks of the sharp frame average to (nearly) the 64-pixel frame
    err = []
    for y in range(64):
        for x in range(64):
            for c in range(3):
                block = [big[((2 * y + dy) * 128 + 2 * x + dx) * 3 + c] for dy in (0, 1) for dx in (0, 1)]
                err.append(abs(sum(block) / 4 - small[(y * 64 + x) * 3 + c]))
    assert sum(err) / len(err) < 0.02


def test_a_view_maps_pixels_to_the_world_and_back():
    view = faces.View(64, 0.4, -0.1, 10.0, 0.1, 0.4, 5.0)
    for x, y in ((0, 0), (12.5, 40.25), (64, 64)):
        assert view.to_pixel(*view.to_world(x, y)) == pytest.approx((x, y))
    assert view.pixels_per_unit() == pytest.approx(1 / math.sqrt(0.4 * 0.4 + 0.1 * 0.1))


def test_the_fit_recovers_a_known_similarity_exactly():
    alpha, beta = 2.3 * cmath.exp(0.4j), complex(5.0, -3.0)
    template = [complex(x * 64, y * 64) for x, y in align.TEMPLATE.values()]
    marks = {name: (((t - beta) / alpha).real, ((t - beta) / alpha).imag) for name, t in zip(align.TEMPLATE, template)}
    fit = align.fit(marks)
    assert fit.alpha == pytest.approx(alpha) and fit.beta == pytest.approx(beta)
    assert fit.scale == pytest.approx(2.3) and fit.degrees == pytest.approx(math.degrees(0.4))
    view = align.crop_view(fit)
    for name, t in zip(align.TEMPLATE, template):
        assert view.to_pixel(*marks[name]) == pytest.approx((t.real, t.imag))


@pytest.mark.parametrize("roll", [-1.0, -0.4, 0.0, 0.7, 1.0])
def test_alignment_undoes_the_heads_tilt(roll):
    params = dict(faces.DEFAULT_PARAMS, roll=roll)
    fit = align.fit(faces.landmarks("B", params))
    assert -fit.degrees == pytest.approx(faces.ROLL_DEGREES * roll, abs=0.5)


def test_landmarks_sit_on_what_the_renderer_drew():
    """The eye landmarks land on the dark iris (gaze straight ahead), the mouth's on the lips."""
    params = dict(faces.DEFAULT_PARAMS, gaze_x=0.0, gaze_y=0.0, eyes_open=1.0, smile=0.0, mouth_open=0.0)
    crop = pipeline.aligned_crop("B", params)

    def grey(name):
        x, y = crop.alignment.to_crop(*crop.marks[name])
        i = (int(y) * 64 + int(x)) * 3
        return sum(crop.pixels[i:i + 3]) / 3

    skin = sum(faces.IDENTITIES["B"]["skin"]) / 3
    assert grey("eye_left") < 0.5 * skin and grey("eye_right") < 0.5 * skin
    lips = faces.IDENTITIES["B"]["lips"]
    x, y = crop.alignment.to_crop(*crop.marks["mouth"])
    i = (int(y) * 64 + int(x)) * 3
    assert crop.pixels[i] > crop.pixels[i + 2] and abs(crop.pixels[i] - lips[0]) < 0.35


def test_the_crop_is_tight_and_the_same_for_any_expression():
    """The face fills the crop (eyes at a quarter of its height), whatever the smile or the gaze."""
    fits = [align.fit(faces.landmarks("A", dict(faces.DEFAULT_PARAMS, smile=s, gaze_x=g)))
            for s in (-1, 1) for g in (-1, 1)]
    assert all(f.alpha == pytest.approx(fits[0].alpha) for f in fits)
    assert 1.8 < fits[0].scale < 2.8                   # world units are pixels of the 64-px frame


def test_convex_hull_and_mask():
    hull = align.convex_hull([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 0.5)])
    assert sorted(hull) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    crop = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS)
    mask = align.face_mask(crop.marks, crop.alignment)
    assert len(mask) == 64 * 64 and min(mask) == 0.0 and max(mask) == 1.0
    assert mask[0] == 0.0 and mask[32 * 64 + 32] == 1.0          # corner out, centre in
    assert 0.3 < sum(mask) / len(mask) < 0.9
    soft = [v for v in mask if 0.0 < v < 1.0]
    assert soft                                                  # a feathered edge, not a hard one


def test_colour_matching_and_compositing():
    crop = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS)
    mask = align.face_mask(crop.marks, crop.alignment)
    grey = [0.5] * (64 * 64 * 3)
    assert align.match_colours(grey, crop.pixels, mask, "none") == grey
    shifted = align.match_colours(grey, crop.pixels, mask, "mean")
    assert align.colour_stats(shifted, mask)[0] == pytest.approx(align.colour_stats(crop.pixels, mask)[0], abs=1e-6)
    view = faces.frame_view(96)
    frame = faces.render("A", faces.DEFAULT_PARAMS, view)
    out = align.composite(frame, view, grey, mask, crop.alignment)
    assert out[:96 * 3] == frame[:96 * 3]                        # the top row is outside the face
    centre = (48 * 96 + 48) * 3
    assert out[centre:centre + 3] == pytest.approx([0.5] * 3, abs=1e-6)
    # pasting the crop itself back changes the frame only a little (resampling)
    back = align.composite(frame, view, crop.pixels, mask, crop.alignment)
    assert max(abs(a - b) for a, b in zip(back, frame)) < 0.5
    assert sum(abs(a - b) for a, b in zip(back, frame)) / len(frame) < 0.02


def test_bad_parameters_still_give_a_crop():
    for bad in (float("nan"), 1e308, "x", None, 10 ** 400):
        crop = pipeline.aligned_crop("B", {name: bad for name in faces.PARAM_NAMES})
        assert len(crop.pixels) == 64 * 64 * 3 and all(0.0 <= v <= 1.0 for v in crop.pixels)
