"""The decoder-swap demo in headless Chromium: every stage of the pipeline shows, dragging the
smile changes the swap's mouth, the browser's pure-Python swap agrees with CPython's, the
roles switch, the colour match and k act."""
from __future__ import annotations

import base64
import re

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, number, readout, set_range, wait_until_settled, visible_box

pytestmark = pytest.mark.browser


def slider(root, label):
    return root.get_by_role("slider", name=label, exact=True)


def eventually(page, check, timeout_ms=30_000):
    """Poll `check` (Python side: the CSP forbids string predicates) until it holds."""
    waited = 0
    while not check():
        assert waited < timeout_ms, "the demo did not update in time"
        page.wait_for_timeout(200)
        waited += 200


def image(root, cls):
    return root.locator(f".demo-live .swap-face.{cls} img").get_attribute("src")


def grey(uri):
    """A data-URI PNG as rows of grey values."""
    from py_runtime import png
    return png.decode(base64.b64decode(uri.split(",", 1)[1]))[2]


def region_change(a, b, rows, cols):
    """Mean absolute grey change between two pictures over a block of rows and columns."""
    ga, gb = grey(a), grey(b)
    values = [abs(ga[y][x] - gb[y][x]) for y in rows for x in cols]
    return sum(values) / len(values)


def swap_image(state):
    """The swap's data URI in a CPython `view` state."""
    return re.search(r'src="(data:image/png;base64,[^"]+)"', state["slots"]["swap"]).group(1)


def close_to(shown, wanted, tolerance=0.0001):
    """Whether the browser's picture is CPython's for the same settings (pure Python in both,
    so only float rounding may differ)."""
    return region_change(shown, wanted, range(64), range(64)) < tolerance


def drag(page, locator, fraction):
    """A real pointer drag of a range slider's thumb to `fraction` of its track."""
    box = visible_box(locator)
    low, high = float(locator.get_attribute("min")), float(locator.get_attribute("max"))
    value = float(locator.input_value())
    y = box["y"] + box["height"] / 2
    start = box["x"] + box["width"] * (value - low) / (high - low)
    page.mouse.move(start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
    page.mouse.up()


def test_the_pipeline_shows_and_the_smile_drag_moves_the_swaps_mouth(browser, site_url):
    from py_runtime import faces
    from py_runtime.demos import decoder_swap as demo

    context, page, log = open_page(browser, viewport={"width": 1000, "height": 1000})
    page.goto(site_url + embedded_demos()["decoder-swap"])
    root = page.locator('[data-demo="decoder-swap"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, "decoder-swap", timeout_ms=120_000) == "ready"
    for name in demo.SLOTS:
        assert root.locator(f'.demo-live [data-slot="{name}"] .swap-face').count() == 1, name
    assert root.locator(".demo-live .crop-box").count() == 2
    assert number(readout(root, "This swap vs. ground truth")) == pytest.approx(
        demo.view(**demo.DEFAULTS)["psnr"], abs=0.05)

    smile = slider(root, "Smile")
    smile.scroll_into_view_if_needed()
    set_range(smile, -1)
    frown = swap_image(demo.view(**dict(faces.DEFAULT_PARAMS, smile=-1)))
    eventually(page, lambda: close_to(image(root, "is-swap"), frown))
    frown = image(root, "is-swap")
    drag(page, smile, 1.0)                         # drag the thumb to the right end: a full smile
    eventually(page, lambda: float(smile.input_value()) == pytest.approx(1.0))
    # Wait for the end state itself: a state the drag passed through (smile -0.8) has a PSNR
    # within 0.05 dB of the full smile's, so the readout alone cannot say the drag is drawn.
    expected = demo.view(**dict(faces.DEFAULT_PARAMS, smile=1.0))
    beam = swap_image(expected)
    eventually(page, lambda: close_to(image(root, "is-swap"), beam))
    eventually(page, lambda: abs(number(readout(root, "This swap vs. ground truth")) - expected["psnr"]) < 0.05)
    beam = image(root, "is-swap")
    mouth = region_change(frown, beam, range(36, 54), range(16, 48))
    brow = region_change(frown, beam, range(0, 10), range(0, 64))
    assert mouth > 0.01 and mouth > 2 * brow, (mouth, brow)

    before = root.locator('.demo-live [data-slot="composite"] image').get_attribute("href")
    root.locator("[data-colour]").select_option("none")
    eventually(page, lambda: readout(root, "Colour match") == "none")
    assert root.locator('.demo-live [data-slot="composite"] image').get_attribute("href") != before

    root.locator("[data-roles]").click()           # B drives, A's decoder wears it
    eventually(page, lambda: readout(root, "Who drives").startswith("B drives"))
    assert root.get_attribute("data-driver") == "B"
    assert root.locator("[data-roles]").get_attribute("aria-pressed") == "true"

    set_range(slider(root, "Smile direction k"), 1.5)
    eventually(page, lambda: readout(root, "Smile direction k") == "+1.50")
    assert readout(root, "This swap vs. ground truth").startswith("—")
    assert root.get_attribute("data-state") == "ready"
    context.close()
    assert log.problems == []
