"""decoder-swap demo on CPython: the faces, the swap and the latent bars, with any input."""
import json
import re
import statistics
import time

import pytest

from py_runtime import faces
from py_runtime.demos import decoder_swap as demo

np = pytest.importorskip("numpy")


def _images(html):
    return re.findall(r'src="(data:image/png;base64,[^"]+)"', html)


def test_view_shows_four_faces_and_the_latent_bars():
    state = demo.view(**demo.DEFAULTS)
    json.dumps(state)
    assert len(_images(state["faces"])) == 4
    assert state["svg"].count('class="bar"') == 16 and state["svg"].count('class="direction"') == 16
    assert len(state["latent"]) == 16 and state["driver"] == "A"
    assert "drives" in state["readouts"] and state["psnr"] > 15


def test_the_swap_is_the_other_decoder_on_the_drivers_latent():
    params = dict(faces.DEFAULT_PARAMS, smile=-0.6, yaw=0.4)
    state = demo.view(**params)
    model = demo.model()
    z = model.encode(faces.render("A", params))
    assert np.allclose(state["latent"], z, atol=1e-5)
    swapped = np.asarray(model.decode(z, "B"))
    truth = np.asarray(faces.render("B", params))
    assert state["psnr"] == pytest.approx(10 * np.log10(1 / np.mean((swapped - truth) ** 2)), abs=1e-6)
    # roles swapped: B drives, A wears it
    other = demo.view(**params, driver="B")
    assert other["driver"] == "B" and not np.allclose(other["latent"], state["latent"])
    assert "B drives" in other["readouts"]


def test_smile_direction_adds_k_times_the_direction():
    base = demo.view(**demo.DEFAULTS)
    moved = demo.view(**dict(demo.DEFAULTS, k=1.5))
    d = np.asarray(demo.model().smile_direction)
    assert np.allclose(np.asarray(moved["latent"]) - np.asarray(base["latent"]), 1.5 * d, atol=1e-4)
    assert moved["psnr"] is None and base["faces"] != moved["faces"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1]])
def test_bad_input_is_sanitised(bad):
    params = {name: bad for name in demo.DEFAULTS}
    state = demo.view(**params)
    json.dumps(state, allow_nan=False)          # no NaN or infinity anywhere
    assert state["params"]["driver"] == "A" and -2 <= state["params"]["k"] <= 2
    assert all(-1 <= state["params"][n] <= 1 for n in faces.PARAM_NAMES)


def test_prerender_has_no_inline_style_or_script():
    html = demo.prerender()["html"]
    assert len(_images(html)) == 4 and "<svg" in html
    assert " style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)


def test_interaction_runs_and_times():
    name, kwargs = demo.INTERACTION
    fn = getattr(demo, name)
    json.dumps(fn(**kwargs))
    times = []
    for i in range(3):                     # uncached calls: a new smile each time
        start = time.process_time()
        fn(**dict(kwargs, smile=0.1 * i - 0.95))
        times.append(time.process_time() - start)
    assert statistics.median(times) < 2.0
