"""kernel-trick in headless Chromium: the plane separates the default rings and no line does;
dragging and keys turn the 3-D view; the 2-D view resizes and moves the circle (tilting the plane);
the kernel select retrains the perceptron; Flatten respects reduced motion. Every check waits for
the state it asserts."""
from __future__ import annotations

import pytest

from demo_helpers import number, open_demo, readout, until, visible_box

pytestmark = pytest.mark.browser
NAME = "kernel-trick"


def test_lift_turn_resize_move_and_kernels(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, NAME, reduced_motion="reduce")
    assert readout(root, "plane classifies").startswith("80 / 80")
    assert number(readout(root, "best straight line (of 180 directions)")) < 80
    assert "inside the convex hull" in readout(root, "why no line works")
    assert readout(root, "training points right") == "80 / 80"

    # Turn the 3-D view: a quarter width of drag is a quarter turn; an arrow key five degrees more.
    lifted = root.locator(".demo-live [data-figure]")
    azimuth = root.locator(".demo-live input[type=range]").nth(0)
    picture = lifted.inner_html()
    box = visible_box(lifted)
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.up()
    assert until(lambda: abs(float(azimuth.input_value()) - (30 - 90)) <= 3)
    assert until(lambda: lifted.inner_html() != picture)
    lifted.focus()
    page.keyboard.press("ArrowLeft")
    assert until(lambda: abs(float(azimuth.input_value()) - (-55)) <= 3)

    # The 2-D view spans [−4, 4]²: a press away from the centre sets the radius, here 0.45.
    flat = root.locator(".demo-live [data-figure-flat] svg")
    fbox = visible_box(flat)
    at = lambda x, y: (fbox["x"] + fbox["width"] * (x + 4) / 8, fbox["y"] + fbox["height"] * (4 - y) / 8)
    page.mouse.click(*at(0.45, 0.0))
    assert until(lambda: readout(root, "plane classifies").startswith("40 / 80"))   # all counted as ring 2
    root.get_by_role("button", name="Best radius").click()
    assert until(lambda: readout(root, "plane classifies").startswith("80 / 80"))
    assert "(horizontal)" in readout(root, "the plane in 3-D")

    # Dragging the centre moves the circle and tilts the plane; arrow keys move it further.
    page.mouse.move(*at(0.0, 0.0))
    page.mouse.down()
    page.mouse.move(*at(1.0, 0.0), steps=4)
    page.mouse.up()
    assert until(lambda: "(tilted)" in readout(root, "the plane in 3-D"))
    assert until(lambda: abs(number(readout(root, "circle")) - 1.0) < 0.1)
    root.locator(".demo-live [data-figure-flat]").focus()
    page.keyboard.press("ArrowLeft")
    assert until(lambda: abs(number(readout(root, "circle")) - 0.9) < 0.1)

    # Another kernel retrains the perceptron: no lift cannot separate the rings, the RBF kernel can.
    select = root.locator(".demo-live select")
    select.select_option("linear")
    assert until(lambda: readout(root, "perceptron").startswith("still"))
    assert number(readout(root, "training points right")) < 80
    select.select_option("rbf")
    assert until(lambda: readout(root, "perceptron").startswith("converged"))
    assert readout(root, "training points right") == "80 / 80"
    assert "coordinates (cut at degree" in readout(root, "lift φ has")

    lift = root.locator(".demo-live input[type=range]").nth(2)
    root.get_by_role("button", name="Flatten").click()               # reduced motion: at once
    assert until(lambda: float(lift.input_value()) == 0 and "Flat:" in lifted.inner_text())
    assert root.get_by_role("button", name="Lift").is_visible()
    context.close()
    assert log.problems == []
