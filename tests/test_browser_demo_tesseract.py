"""The tesseract demo in headless Chromium: zero rotation shows a cube inside a cube; 90° in the
xw plane makes the shadow's x show w and the x edges take the place of the w edges; the 3-D end
of the slider is a plain cube; spinning respects reduced motion; a pixel of the digit is one of
784 coordinates."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range

pytestmark = pytest.mark.browser

EDGES_JS = """(root, axis) => [...root.querySelectorAll(`.demo-live [data-figure] line.edge-${axis}`)]
  .map((l) => [[+l.getAttribute('x1'), +l.getAttribute('y1')], [+l.getAttribute('x2'), +l.getAttribute('y2')]]
  .sort((a, b) => a[0] - b[0] || a[1] - b[1])).sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1])"""


open_demo = partial(open_demo, name="tesseract")


def test_xw_rotation_swaps_x_and_w_and_zero_rotation_is_cube_in_cube(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    sliders = root.locator(".demo-live [data-controls] input[type=range]")
    assert readout(root, "shadow x shows") == "x"
    assert "a cube inside a cube" in readout(root, "w = +1 cell vs w = −1 cell")
    assert number(readout(root, "w = +1 cell vs w = −1 cell")) > 1.5
    w_edges = root.evaluate(EDGES_JS, "w")
    x_edges = root.evaluate(EDGES_JS, "x")
    assert len(w_edges) == 8

    set_range(sliders.nth(0), 90)                           # xw by 90°
    page.wait_for_timeout(500)
    assert readout(root, "shadow x shows") == "w" and readout(root, "hidden direction w′").startswith("−x")
    assert root.evaluate(EDGES_JS, "x") == w_edges          # the x edges now join the two cubes
    assert root.evaluate(EDGES_JS, "w") == x_edges

    root.locator("[data-reset]").click()
    page.wait_for_timeout(500)
    assert readout(root, "shadow x shows") == "x" and root.evaluate(EDGES_JS, "w") == w_edges

    set_range(sliders.nth(3), 3)                            # the 3-D end: an ordinary cube
    page.wait_for_timeout(500)
    assert "ordinary cube" in readout(root, "dimension")
    assert number(readout(root, "w = +1 cell vs w = −1 cell")) == pytest.approx(1.0)
    assert root.evaluate(EDGES_JS, "w") == []

    figure = root.locator(".demo-live [data-figure]")      # dragging and arrow keys turn the view
    before = root.evaluate(EDGES_JS, "x")
    figure.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    assert root.evaluate(EDGES_JS, "x") != before
    box = figure.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    page.wait_for_timeout(400)
    assert readout(root, "shadow x shows") == "x"           # turning the view is not a 4-D rotation
    context.close()
    assert log.problems == []


def test_spinning_and_reduced_motion(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    spin = root.locator("[data-spin]")
    xw = root.locator(".demo-live [data-controls] input[type=range]").nth(0)
    assert spin.inner_text() == "Spin in 4-D" and xw.input_value() == "0"
    page.wait_for_timeout(600)
    assert xw.input_value() == "0"                          # nothing moves by itself
    spin.click()
    page.wait_for_timeout(800)
    assert spin.get_attribute("aria-pressed") == "true" and float(xw.input_value()) > 5
    spin.click()
    page.wait_for_timeout(300)
    stopped = xw.input_value()
    page.wait_for_timeout(500)
    assert xw.input_value() == stopped and readout(root, "shadow x shows") != "x"
    context.close()

    context, page, log2, root = open_demo(browser, site_url, reduced_motion="reduce")
    spin = root.locator("[data-spin]")
    assert spin.inner_text() == "Step xw +15°"
    spin.click()
    page.wait_for_timeout(600)
    xw = root.locator(".demo-live [data-controls] input[type=range]").nth(0)
    assert xw.input_value() == "15"
    assert readout(root, "shadow x shows") == "0.97·x + 0.26·w"
    context.close()
    assert log.problems == [] and log2.problems == []


def test_a_pixel_is_a_coordinate(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert readout(root, "pixel → coordinate").startswith("row 14, column 14 → x[28·14 + 14] = x[406]")
    digit = root.locator(".demo-live [data-digit] svg")
    digit.scroll_into_view_if_needed()
    box = digit.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 10.5 / 28, box["y"] + box["height"] * 5.5 / 28)   # row 5, column 10
    page.wait_for_timeout(400)
    assert readout(root, "pixel → coordinate").startswith("row 5, column 10 → x[28·5 + 10] = x[150]")
    root.locator(".demo-live [data-digit]").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(400)
    assert readout(root, "pixel → coordinate").startswith("row 6, column 11 → x[28·6 + 11] = x[179]")
    root.locator(".demo-live [data-digit-controls] select").select_option("7")
    page.wait_for_timeout(400)
    assert readout(root, "digit") == "a handwritten 7, sample 1 of 20"
    assert "of 784" in readout(root, "non-zero coordinates")
    context.close()
    assert log.problems == []
