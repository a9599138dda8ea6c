"""The matrix-transform demo in headless Chromium: the shear's repeated eigenvalue has one
eigenvector line, a zero scale gives rank 1 and its column space, a half turn keeps every line.
Each step waits for the readout it asserts (or any later state), never for a fixed time."""
from __future__ import annotations

import pytest

from demo_helpers import open_demo, readout, set_range, wait_for

pytestmark = pytest.mark.browser
ROTATION, SCALE_X, SCALE_Y, SHEAR = range(4)


def set_sliders(root, values: dict) -> None:
    sliders = root.locator("input[type=range]")
    for index, value in values.items():
        set_range(sliders.nth(index), value)


def test_shear_rank_and_half_turn(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, "matrix-transform")
    live = root.locator(".demo-live")
    set_sliders(root, {ROTATION: 0, SCALE_X: 1, SCALE_Y: 1, SHEAR: 1})
    wait_for(page, lambda: readout(root, "M") == "[[1.00, 1.00], [0.00, 1.00]]")        # the shear
    assert "only one eigenvector line" in readout(root, "eigen")
    assert readout(root, "eigen").count("(1.00, 0.00)") == 1
    assert readout(root, "v → Mv") == "(1.00, 1.00) → (2.00, 1.00)"
    assert "Me₁" in live.locator("svg").first.inner_html() and "î" not in live.inner_text()

    set_sliders(root, {SCALE_Y: 0})
    wait_for(page, lambda: readout(root, "rank").startswith("1 "))
    assert "no inverse" in readout(root, "det M")
    assert live.locator("svg .column-space").count() == 1

    set_sliders(root, {SCALE_Y: 1, SHEAR: 0, ROTATION: 180})
    wait_for(page, lambda: "λ = −1.00 twice" in readout(root, "eigen"))        # M = −I
    assert "every line" in readout(root, "eigen")
    assert readout(root, "rank").startswith("2 ") and live.locator("svg .column-space").count() == 0
    context.close()
    assert log.problems == []
