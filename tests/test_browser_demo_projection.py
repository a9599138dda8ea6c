"""The projection demo in headless Chromium: dragging the vectors perpendicular zeroes the dot
product and the correlation; the keyboard moves the chosen vector. Each step waits for the
readout it asserts, never for a fixed time."""
from __future__ import annotations

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, number, readout, wait_for, wait_until_settled, visible_box

pytestmark = pytest.mark.browser
VIEW = 4.0


def to_screen(box, x, y):
    return (box["x"] + (x + VIEW) / (2 * VIEW) * box["width"], box["y"] + (VIEW - y) / (2 * VIEW) * box["height"])


def drag(page, box, start, end):
    page.mouse.move(*to_screen(box, *start))
    page.mouse.down()
    page.mouse.move(*to_screen(box, *end), steps=5)
    page.mouse.up()


def shows(root, label, text):
    """A check for wait_for: the readout `label` reads `text`."""
    return lambda: readout(root, label) == text


def test_perpendicular_vectors_give_zero_dot_product_and_ninety_degrees(browser, site_url):
    context, page, log = open_page(browser)
    page.goto(site_url + embedded_demos()["projection"])
    root = page.locator('[data-demo="projection"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, "projection") == "ready"
    assert number(readout(root, "a · b").split("=")[-1]) == pytest.approx(3.5)
    box = visible_box(root.locator(".demo-live [data-figure] svg"))
    drag(page, box, (2.5, 0.5), (2.0, 0.0))                  # a onto the x axis
    wait_for(page, shows(root, "a", "(2.0, 0.0)"))
    drag(page, box, (1.0, 2.0), (0.0, 1.5))                  # b onto the y axis
    wait_for(page, shows(root, "b", "(0.0, 1.5)"))
    wait_for(page, lambda: readout(root, "correlation r").startswith("0.00"))
    assert number(readout(root, "a · b").split("=")[-1]) == 0
    assert readout(root, "angle θ").startswith("90.0°") and "⟂" in readout(root, "angle θ")
    assert number(readout(root, "correlation r")) == 0
    assert readout(root, "projection of b on a").startswith("0.00 · a")

    root.locator('[data-pick="b"]').click()                  # keyboard: tilt b towards a
    figure = root.locator(".demo-live [data-figure]")
    figure.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_for(page, shows(root, "b", "(0.5, 1.5)"))
    wait_for(page, lambda: not readout(root, "correlation r").startswith("0.00"))
    assert number(readout(root, "a · b").split("=")[-1]) == pytest.approx(1.0)
    assert number(readout(root, "angle θ")) == pytest.approx(71.6, abs=0.1)
    assert number(readout(root, "correlation r")) == pytest.approx(0.32, abs=0.005)
    context.close()
    assert log.problems == []
