"""The tesseract demo in headless Chromium: zero rotation shows a cube inside a cube; 90° in the
xw plane makes the shadow's x show w and the x edges take the place of the w edges; the 3-D end
of the slider is a plain cube; three sliders make a double rotation; spinning respects reduced
motion; a pixel of the digit is one of 784 coordinates; a random 784-vector is static whose
pixels ignore their neighbours. Every check waits for the state it asserts."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range, wait_for, visible_box

pytestmark = pytest.mark.browser

EDGES_JS = """(root, axis) => [...root.querySelectorAll(`.demo-live [data-figure] line.edge-${axis}`)]
  .map((l) => [[+l.getAttribute('x1'), +l.getAttribute('y1')], [+l.getAttribute('x2'), +l.getAttribute('y2')]]
  .sort((a, b) => a[0] - b[0] || a[1] - b[1])).sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1])"""


open_demo = partial(open_demo, name="tesseract")


def signed(text: str) -> float:
    """The first number in a readout, real minus sign included."""
    return number(text.replace("−", "-"))


def shows(root, label: str) -> str:
    """The readout's text, or "" while the readouts are being redrawn."""
    try:
        return readout(root, label)
    except AssertionError:
        return ""


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
    wait_for(page, lambda: shows(root, "shadow x shows") == "w")
    assert shows(root, "hidden direction w′").startswith("−x")
    assert "simple: turns one plane by 90.0°" in shows(root, "4-D rotation")
    assert root.evaluate(EDGES_JS, "x") == w_edges          # the x edges now join the two cubes
    assert root.evaluate(EDGES_JS, "w") == x_edges

    set_range(sliders.nth(1), 40)                           # two sliders: still one plane
    wait_for(page, lambda: shows(root, "shadow y shows") != "y")
    assert shows(root, "4-D rotation").startswith("simple")
    set_range(sliders.nth(2), 50)                           # three: two planes at once
    wait_for(page, lambda: shows(root, "4-D rotation").startswith("double"))

    root.locator("[data-reset]").click()
    wait_for(page, lambda: shows(root, "shadow x shows") == "x" and shows(root, "shadow z shows") == "z")
    assert root.evaluate(EDGES_JS, "w") == w_edges

    set_range(sliders.nth(3), 3)                            # the 3-D end: an ordinary cube
    wait_for(page, lambda: "ordinary cube" in shows(root, "dimension"))
    assert number(readout(root, "w = +1 cell vs w = −1 cell")) == pytest.approx(1.0)
    assert root.evaluate(EDGES_JS, "w") == []

    figure = root.locator(".demo-live [data-figure]")      # dragging and arrow keys turn the view
    before = root.evaluate(EDGES_JS, "x")
    figure.focus()
    page.keyboard.press("ArrowLeft")
    wait_for(page, lambda: root.evaluate(EDGES_JS, "x") != before)
    turned = root.evaluate(EDGES_JS, "x")
    figure.hover()                                          # scrolled into view first: the page may have moved
    box = visible_box(figure)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    wait_for(page, lambda: root.evaluate(EDGES_JS, "x") != turned)
    assert readout(root, "shadow x shows") == "x"           # turning the view is not a 4-D rotation
    context.close()
    assert log.problems == []


def turn_view_and_wait(page, root):
    """Press an arrow key on the figure and wait for the redrawn picture: proof that the page
    has lived through more frames, without sleeping."""
    before = root.evaluate(EDGES_JS, "y")
    root.locator(".demo-live [data-figure]").focus()
    page.keyboard.press("ArrowUp")
    wait_for(page, lambda: root.evaluate(EDGES_JS, "y") != before)


def test_spinning_and_reduced_motion(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    spin = root.locator("[data-spin]")
    xw = root.locator(".demo-live [data-controls] input[type=range]").nth(0)
    assert spin.inner_text() == "Spin in 4-D" and xw.input_value() == "0"
    turn_view_and_wait(page, root)
    assert xw.input_value() == "0" and readout(root, "shadow x shows") == "x"   # nothing moves by itself
    spin.click()
    wait_for(page, lambda: float(xw.input_value()) > 5)
    assert spin.get_attribute("aria-pressed") == "true"
    spin.click()
    wait_for(page, lambda: spin.get_attribute("aria-pressed") == "false")
    stopped = xw.input_value()
    turn_view_and_wait(page, root)
    assert xw.input_value() == stopped and readout(root, "shadow x shows") != "x"   # stopped means stopped
    context.close()

    context, page, log2, root = open_demo(browser, site_url, reduced_motion="reduce")
    spin = root.locator("[data-spin]")
    assert spin.inner_text() == "Step xw +15°"
    spin.click()
    xw = root.locator(".demo-live [data-controls] input[type=range]").nth(0)
    wait_for(page, lambda: shows(root, "shadow x shows") == "0.97·x + 0.26·w")
    assert xw.input_value() == "15"
    context.close()
    assert log.problems == [] and log2.problems == []


def test_a_pixel_is_a_coordinate(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert readout(root, "pixel → coordinate").startswith("row 14, column 14 → x[28·14 + 14] = x[406]")
    digit = root.locator(".demo-live [data-digit] svg")
    digit.scroll_into_view_if_needed()
    box = visible_box(digit)
    page.mouse.click(box["x"] + box["width"] * 10.5 / 28, box["y"] + box["height"] * 5.5 / 28)   # row 5, column 10
    wait_for(page, lambda: shows(root, "pixel → coordinate").startswith("row 5, column 10 → x[28·5 + 10] = x[150]"))
    root.locator(".demo-live [data-digit]").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: shows(root, "pixel → coordinate").startswith("row 6, column 11 → x[28·6 + 11] = x[179]"))
    root.locator(".demo-live [data-digit-controls] select").select_option("7")
    wait_for(page, lambda: shows(root, "picture") == "a handwritten 7, sample 1 of 20")
    assert "of 784" in readout(root, "non-zero coordinates")
    context.close()
    assert log.problems == []


def test_a_random_784_vector_is_static(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    digit_r = signed(readout(root, "pixel vs right-hand neighbour"))
    button = root.locator("[data-random]")
    button.click()
    wait_for(page, lambda: shows(root, "picture").startswith("a random 784-vector (seed 1)"))
    assert button.get_attribute("aria-pressed") == "true"
    assert readout(root, "non-zero coordinates").startswith("784 of 784")
    static_r = signed(readout(root, "pixel vs right-hand neighbour"))
    assert abs(static_r) < 0.2 < digit_r                    # independent pixels against strokes
    near = number(readout(root, "within 0.05 of 0 or 1"))
    assert 30 < near < 140                                  # about a tenth of 784 (binomial: 78 ± 8)
    first = root.locator(".demo-live [data-digit] image").get_attribute("href")
    button.click()
    wait_for(page, lambda: shows(root, "picture").startswith("a random 784-vector (seed 2)"))
    assert root.locator(".demo-live [data-digit] image").get_attribute("href") != first
    root.locator(".demo-live [data-digit-controls] select").select_option("4")
    wait_for(page, lambda: shows(root, "picture") == "a handwritten 4, sample 1 of 20")
    assert button.get_attribute("aria-pressed") == "false"
    context.close()
    assert log.problems == []
