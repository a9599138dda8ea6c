"""The procedural face renderer (py_runtime.faces): fictional, deterministic, fast, shared parameters."""
import json
import math
import random
import struct
import zlib

import pytest

from py_runtime import faces


def test_a_face_is_64_by_64_rgb_in_range():
    pixels = faces.render("A")
    assert len(pixels) == 64 * 64 * 3
    assert all(0.0 <= v <= 1.0 for v in pixels)
    assert len(set(round(v, 2) for v in pixels)) > 50          # shaded, anti-aliased: many levels


def test_rendering_is_deterministic_and_identities_differ():
    params = faces.random_params(random.Random(5))
    a1, a2, b = faces.render("A", params), faces.render("A", params), faces.render("B", params)
    assert a1 == a2
    rms = math.sqrt(sum((x - y) ** 2 for x, y in zip(a1, b)) / len(a1))
    assert rms > 0.1
    assert faces.random_identity(7) == faces.random_identity(7) != faces.random_identity(8)


@pytest.mark.parametrize("name", faces.PARAM_NAMES)
def test_every_parameter_changes_the_face(name):
    low, high, default = faces.PARAMS[name]
    base = dict(faces.DEFAULT_PARAMS, mouth_open=0.5, eyes_open=0.7)
    one = faces.render("B", dict(base, **{name: low}))
    two = faces.render("B", dict(base, **{name: high}))
    assert max(abs(x - y) for x, y in zip(one, two)) > 0.2, name


def test_a_smile_lifts_the_mouth_corners():
    """Corners of a smiling mouth sit higher than a frowning one's: darker lip pixels move up."""
    def lip_rows(smile):
        px = faces.render("A", dict(faces.DEFAULT_PARAMS, smile=smile, mouth_open=0.0))
        ident = faces.IDENTITIES["A"]
        x = int(32 + ident["mouth_w"] * 0.8)           # near the right corner
        reds = [(px[(y * 64 + x) * 3] - px[(y * 64 + x) * 3 + 1], y) for y in range(30, 56)]
        return max(reds)[1]
    assert lip_rows(1.0) < lip_rows(-1.0)


def test_bad_parameters_are_cleaned():
    p = faces.clean_params({"smile": float("nan"), "yaw": 1e308, "roll": "x", "light": -5})
    assert p["smile"] == faces.DEFAULT_PARAMS["smile"] and p["yaw"] == 1.0 and p["light"] == -1.0
    assert p["roll"] == faces.DEFAULT_PARAMS["roll"]
    assert len(faces.render("A", {"smile": float("inf")})) == 12288
    assert faces.params_dict(faces.params_vector({"gaze_x": 0.25}))["gaze_x"] == 0.25


def test_png_encoding_round_trips():
    pixels = faces.render("B")
    data = faces.encode_rgb(pixels, scale=2)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (128, 128, 8, 2)
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    assert len(raw) == 128 * (1 + 128 * 3)
    assert raw[1] == round(pixels[0] * 255)
    assert faces.data_uri(pixels).startswith("data:image/png;base64,")


def test_training_batches_use_the_same_renderer():
    np = pytest.importorskip("numpy")
    from training.faces import params_array, render_batch, sample_params
    params = sample_params(3, seed=1)
    assert params == sample_params(3, seed=1)
    batch = render_batch("A", params)
    assert batch.shape == (3, 3, 64, 64) and batch.dtype == np.float32
    hwc = np.asarray(faces.render("A", params[1]), dtype=np.float32).reshape(64, 64, 3)
    assert np.array_equal(batch[1], hwc.transpose(2, 0, 1))
    assert params_array(params).shape == (3, len(faces.PARAM_NAMES))


def test_random_warp_bends_but_keeps_the_face():
    torch = pytest.importorskip("torch")
    from training.faces import random_warp, render_batch, sample_params
    x = torch.from_numpy(render_batch("B", sample_params(4, seed=2)))
    warped = random_warp(x, torch.Generator().manual_seed(0))
    assert warped.shape == x.shape
    diff = (warped - x).abs()
    assert 0.002 < float(diff.mean()) < 0.08
    assert float(random_warp(x, torch.Generator().manual_seed(0), strength=0.0).sub(x).abs().max()) < 1e-5
    json.dumps(faces.DEFAULT_PARAMS)


def test_feature_mask_covers_what_the_expression_changes():
    """The eyes-and-mouth priority mask is where smile, mouth, eyes and gaze move pixels, and
    little else: its geometry follows the renderer's through yaw, pitch and roll."""
    np = pytest.importorskip("numpy")
    from training.faces import feature_mask
    rng = random.Random(11)
    for who in ("A", "B"):
        for _ in range(6):
            p = faces.random_params(rng)
            q = dict(p, smile=-p["smile"], mouth_open=1 - p["mouth_open"], eyes_open=1 - p["eyes_open"],
                     gaze_x=-p["gaze_x"], gaze_y=-p["gaze_y"])
            one, two = (np.asarray(faces.render(who, x)).reshape(64, 64, 3) for x in (p, q))
            changed = np.abs(one - two).max(2) > 0.1
            mask = feature_mask(who, [p, q]).max(0)[0]
            assert changed.sum() > 20
            assert (mask[changed] > 0.5).mean() > 0.95, who
            assert (mask > 0.5).mean() < 0.2                 # a priority, not the whole face
