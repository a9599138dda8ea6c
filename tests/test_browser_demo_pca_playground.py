"""pca-playground in headless Chromium: dragging, clicking and keys move the principal axes;
more components rebuild a digit better."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range

pytestmark = pytest.mark.browser
NAME = "pca-playground"


_open = partial(open_demo, name=NAME)


def _to_screen(box, x, y, view=5.0):
    return box["x"] + (x + view) / (2 * view) * box["width"], box["y"] + (view - y) / (2 * view) * box["height"]


def test_points_move_the_axes_and_a_line_is_all_pc1(browser, site_url):
    context, page, log, root = _open(browser, site_url)
    figure = root.locator(".demo-live [data-figure]")
    box = figure.locator("svg").bounding_box()
    before = readout(root, "PC1 direction")
    assert number(readout(root, "PC1 explains")) == pytest.approx(96.1, abs=0.1)
    page.mouse.move(*_to_screen(box, 2.9, 2.2))            # drag the top-right point far down
    page.mouse.down()
    page.mouse.move(*_to_screen(box, 2.9, -3.5), steps=6)
    page.mouse.up()
    page.wait_for_timeout(400)
    assert readout(root, "PC1 direction") != before
    assert number(readout(root, "PC1 explains")) < 90

    root.get_by_role("button", name="Clear").click()
    page.wait_for_timeout(300)
    assert readout(root, "points") == "0"
    for t in (-3, -1.5, 0, 1, 2.5):                        # clicks along the line y = 0.5·x + 1
        page.mouse.click(*_to_screen(box, t, 0.5 * t + 1))
        page.wait_for_timeout(150)
    page.wait_for_timeout(300)
    assert readout(root, "points") == "5"
    assert number(readout(root, "PC1 explains")) == pytest.approx(100.0, abs=0.15)
    direction = readout(root, "PC1 direction")
    assert direction.startswith("(0.89") and direction.endswith("0.45)")

    figure.focus()                                         # keys: move the selected point off the line
    for _ in range(6):                                     # Shift: half a unit a press
        page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Enter")                           # and add one more
    page.wait_for_timeout(400)
    assert readout(root, "points") == "6"
    assert number(readout(root, "PC1 explains")) == pytest.approx(87.2, abs=0.1)
    context.close()
    assert log.problems == []


def test_more_components_rebuild_the_digit_better(browser, site_url):
    context, page, log, root = _open(browser, site_url, viewport={"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    root.locator(".demo-live select[data-digit]").select_option("7")
    k_slider = root.locator(".demo-live input[type=range]").nth(1)
    errors, shares = [], []
    for k in (1, 4, 16, 64):
        set_range(k_slider, k)
        page.wait_for_timeout(300)
        errors.append(number(readout(root, "reconstruction error (MSE)")))
        shares.append(number(readout(root, "variance explained (training digits)")))
    assert errors == sorted(errors, reverse=True) and errors[0] > 2 * errors[-1]
    assert shares == sorted(shares) and shares[0] == pytest.approx(9.7, abs=0.1) and shares[-1] == pytest.approx(86.2, abs=0.1)
    assert "the original 7" in root.locator(".demo-live").inner_html()
    context.close()
    assert log.problems == []
