"""autoencoder-draw in headless Chromium: a vertical stroke dragged with the mouse is encoded
next to the ones; the noise slider changes the noisy input; the keyboard pen and the sample
buttons draw without a pointer; touch draws too."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import open_demo, readout, set_range, wait_for, visible_box

pytestmark = pytest.mark.browser
NAME = "autoencoder-draw"


open_demo = partial(open_demo, name=NAME)


def clear(page, root):
    root.get_by_role("button", name="Clear the drawing pad").click()
    wait_for(page, lambda: readout(root, "Latent point z").startswith("—"))


def test_a_drawn_one_lands_nearest_the_ones_and_noise_changes_the_noisy_input(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert readout(root, "Nearest class centroid").startswith("3")      # the sample 3 the pad opens with
    clear(page, root)
    canvas = root.locator(".demo-live canvas")
    canvas.scroll_into_view_if_needed()
    box = visible_box(canvas)
    x = box["x"] + box["width"] * 0.52
    page.mouse.move(x, box["y"] + box["height"] * 0.18)
    page.mouse.down()
    page.mouse.move(x - box["width"] * 0.02, box["y"] + box["height"] * 0.82, steps=12)
    page.mouse.up()
    wait_for(page, lambda: readout(root, "Nearest class centroid").startswith("1"))
    assert readout(root, "10 nearest map dots").startswith("mostly 1")

    noisy = root.locator(".demo-live img[data-noisy]")
    clean_image = root.locator(".demo-live img[data-input]")
    slider = root.get_by_label("Noise σ")
    set_range(slider, 0)
    # No noise: the noisy picture is the input itself (compared at the same moment, since the
    # input may still be updating from the stroke when the slider moves).
    wait_for(page, lambda: noisy.get_attribute("src") == clean_image.get_attribute("src"))
    clean = clean_image.get_attribute("src")
    set_range(slider, 0.8)
    wait_for(page, lambda: noisy.get_attribute("src") != clean)
    strong = noisy.get_attribute("src")
    set_range(slider, 0.3)
    wait_for(page, lambda: noisy.get_attribute("src") not in (clean, strong))
    mild = noisy.get_attribute("src")
    root.get_by_role("button", name="New noise").click()
    wait_for(page, lambda: noisy.get_attribute("src") not in (clean, strong, mild))
    context.close()
    assert log.problems == []


def test_keyboard_pen_and_sample_buttons_draw_without_a_pointer(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, reduced_motion="reduce")
    clear(page, root)
    canvas = root.locator(".demo-live canvas")
    canvas.focus()
    assert root.locator("[data-pen]").is_visible()
    for _ in range(5):
        page.keyboard.press("ArrowUp")                     # pen up: moves without drawing
    assert readout(root, "Latent point z").startswith("—")
    page.keyboard.press("Space")                           # pen down
    assert "down" in root.locator("[data-pen-status]").inner_text()
    for _ in range(10):
        page.keyboard.press("ArrowDown")
    wait_for(page, lambda: readout(root, "Nearest class centroid").startswith("1"))

    root.get_by_role("button", name="Draw a 7 on the pad").click()
    wait_for(page, lambda: readout(root, "Nearest class centroid").startswith("7"))
    root.get_by_role("button", name="Draw a 0 on the pad").click()
    wait_for(page, lambda: readout(root, "10 nearest map dots").startswith("mostly 0"))
    context.close()
    assert log.problems == []


def test_touch_draws_on_the_pad(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, has_touch=True, is_mobile=True,
                                         viewport={"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360       # no sideways scrolling
    clear(page, root)
    canvas = root.locator(".demo-live canvas")
    canvas.scroll_into_view_if_needed()
    box = visible_box(canvas)
    cdp = context.new_cdp_session(page)
    x, top, bottom = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2, box["y"] + box["height"] * 0.8
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": top}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": top + (bottom - top) * i / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for(page, lambda: readout(root, "Nearest class centroid").startswith("1"))
    context.close()
    assert log.problems == []
