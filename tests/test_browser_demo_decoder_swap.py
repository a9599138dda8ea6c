"""The decoder-swap demo in headless Chromium: sliders re-render the driver and the swap, the
browser's pure-Python swap agrees with CPython's, the roles switch, and k moves the latent."""
from __future__ import annotations

import re

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, number, readout, set_range, wait_until_settled

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


def test_sliders_drive_the_swap_and_roles_switch(browser, site_url):
    from py_runtime import faces
    from py_runtime.demos import decoder_swap as demo

    context, page, log = open_page(browser, viewport={"width": 900, "height": 900})
    page.goto(site_url + embedded_demos()["decoder-swap"])
    root = page.locator('[data-demo="decoder-swap"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, "decoder-swap", timeout_ms=120_000) == "ready"
    assert root.locator(".demo-live .swap-face img").count() == 4
    first_swap, first_input = image(root, "is-swap"), image(root, "is-input")
    assert number(readout(root, "This swap vs. ground truth")) == pytest.approx(
        demo.view(**demo.DEFAULTS)["psnr"], abs=0.05)

    set_range(slider(root, "Smile"), -1)
    set_range(slider(root, "Head turn"), 0.5)
    expected = demo.view(**dict(faces.DEFAULT_PARAMS, smile=-1, yaw=0.5))
    latent = re.search(r"<dt>Latent vector</dt>\s*<dd>(.*?)</dd>", expected["readouts"]).group(1)
    assert latent != re.search(r"<dt>Latent vector</dt>\s*<dd>(.*?)</dd>", demo.view(**demo.DEFAULTS)["readouts"]).group(1)
    # The code of the new face (as CPython computes it) shows up: the page has redrawn for it.
    eventually(page, lambda: readout(root, "Latent vector") == latent)
    assert abs(number(readout(root, "This swap vs. ground truth")) - expected["psnr"]) < 0.05
    assert image(root, "is-swap") != first_swap and image(root, "is-input") != first_input

    smile = slider(root, "Smile")                  # the keyboard moves a slider too
    smile.focus()
    before = image(root, "is-swap")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert float(smile.input_value()) == pytest.approx(-0.8)
    eventually(page, lambda: image(root, "is-swap") != before)

    root.locator("[data-roles]").click()           # B drives, A's decoder wears it
    eventually(page, lambda: readout(root, "Who drives").startswith("B drives"))
    assert root.get_attribute("data-driver") == "B"
    assert root.locator("[data-roles]").get_attribute("aria-pressed") == "true"
    assert "B’s face" in root.locator(".demo-live .swap-face.is-input figcaption").inner_text()

    set_range(slider(root, "Smile direction k"), 1.5)
    eventually(page, lambda: readout(root, "Smile direction k") == "+1.50")
    assert readout(root, "This swap vs. ground truth").startswith("—")
    assert root.get_attribute("data-state") == "ready"
    context.close()
    assert log.problems == []
