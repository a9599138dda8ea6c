"""The interpolation demo in headless Chromium: t = 0 and t = 1 show digits a and b in both panels,
at t = 0.5 the latent morph scores better than the pixel blend and the pieces readout counts the
morph on screen, and the pickers, the keyboard and the strip all drive it."""
from __future__ import annotations

import base64

import numpy as np
from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range, until
from py_runtime import png
from py_runtime.demos import interpolation
from py_runtime.demos._lib import mnist_data

pytestmark = pytest.mark.browser
NAME = "interpolation"


def picture(root, selector: str) -> np.ndarray:
    src = root.locator(f".demo-live {selector}").get_attribute("src")
    assert src.startswith("data:image/png;base64,")
    width, height, rows = png.decode(base64.b64decode(src.split(",", 1)[1]))
    assert (width, height) == (28, 28)
    return np.array(rows)


def digit(label: int, which: int = 0) -> np.ndarray:
    return np.array(mnist_data.digit(label, which)).reshape(28, 28)


def shows(root, selector, target, other) -> bool:
    """The panel is much closer to `target` than to `other` (MSE), or equal to it for the pixel blend."""
    image = picture(root, selector)
    return np.mean((image - target) ** 2) < 0.25 * np.mean((image - other) ** 2)


open_demo = partial(open_demo, name=NAME)


def test_ends_show_a_and_b_and_the_morph_reencodes_better_at_the_midpoint(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    t = root.locator(".demo-live input[type=range]")
    a, b = digit(0), digit(1)                                   # the default pair: a 0 and a 1
    set_range(t, 0)
    assert until(lambda: np.abs(picture(root, '[data-panel="pixels"]') - a).max() <= 1 / 255 + 1e-9)
    assert shows(root, '[data-panel="latent"]', a, b)
    set_range(t, 1)
    assert until(lambda: np.abs(picture(root, '[data-panel="pixels"]') - b).max() <= 1 / 255 + 1e-9)
    assert shows(root, '[data-panel="latent"]', b, a)
    set_range(t, 0.5)
    assert until(lambda: np.allclose(picture(root, '[data-panel="pixels"]'), (a + b) / 2, atol=1 / 255 + 1e-9))
    blend = number(readout(root, "Re-encoding score, pixel blend"))
    morph = number(readout(root, "Re-encoding score, latent morph"))
    assert 0 <= morph < blend <= 1
    shown = picture(root, '[data-panel="latent"]').reshape(-1).tolist()         # the morph on screen
    pieces = f"Pieces of ink in the morph (pixels ≥ {interpolation.INK})"
    assert until(lambda: number(readout(root, pieces)) == interpolation.ink_pieces(shown))
    context.close()
    assert log.problems == []


def test_pickers_keyboard_and_strip_drive_the_demo(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, viewport={"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360          # no sideways scroll on a phone
    selects = root.locator(".demo-live select")                  # a: class, sample; b: class, sample
    selects.nth(0).select_option(value="4")
    selects.nth(2).select_option(value="9")
    selects.nth(3).select_option(index=2)                        # b = the third sample 9
    t = root.locator(".demo-live input[type=range]")
    set_range(t, 0)
    assert until(lambda: np.abs(picture(root, '[data-panel="pixels"]') - digit(4)).max() <= 1 / 255 + 1e-9)
    assert until(lambda: np.abs(picture(root, "[data-pickers] .digit-thumb >> nth=1") - digit(9, 2)).max()
                 <= 1 / 255 + 1e-9)
    t.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert until(lambda: "t = 0.02" in root.locator('.demo-live [data-panel="pixels"]').get_attribute("alt"))
    root.locator('.demo-live .strip-step[data-t]').nth(4).click()                # t = 4/6
    assert until(lambda: root.locator(".demo-live .control output").inner_text() == "0.67")
    assert until(lambda: root.locator(".demo-live .strip-step.current").count() == 2
                 and root.locator(".demo-live .strip-step.current").first.get_attribute("data-t") == "0.6667")
    root.locator(".demo-live button", has_text="Swap").click()
    assert until(lambda: np.abs(picture(root, '[data-panel="pixels"]')
                                - (digit(9, 2) / 3 + 2 * digit(4) / 3)).max() <= 2 / 255)
    context.close()
    assert log.problems == []


def test_reduced_motion_hides_the_play_button(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, reduced_motion="reduce")
    assert root.locator(".demo-live .interp-play").is_hidden()
    context.close()
    context, page, log, root = open_demo(browser, site_url)
    play = root.locator(".demo-live .interp-play")
    assert play.is_visible()
    play.click()
    assert until(lambda: root.locator(".demo-live .control output").inner_text() == "1.00", timeout=15)
    assert until(lambda: play.get_attribute("aria-pressed") == "false", timeout=5)   # it stopped by itself at t = 1
    context.close()
    assert log.problems == []
