"""pca-playground in headless Chromium: dragging, clicking and keys move the principal axes; in
the new axes the covariance is diagonal; the ring preset warns that PC1 is barely defined; more
components rebuild a digit better. Every check waits for the state it asserts."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range, wait_for, visible_box
from py_runtime.demos import pca_playground

pytestmark = pytest.mark.browser
NAME = "pca-playground"


_open = partial(open_demo, name=NAME)


def _to_screen(box, x, y, view=5.0):
    return box["x"] + (x + view) / (2 * view) * box["width"], box["y"] + (view - y) / (2 * view) * box["height"]


def shows(root, label: str) -> str:
    """The readout's text, or "" while the readouts are being redrawn."""
    try:
        return readout(root, label)
    except AssertionError:
        return ""


def share(root, label: str) -> float:
    text = shows(root, label)
    return number(text) if text and text[0].isdigit() else -1.0


def test_points_move_the_axes_and_a_line_is_all_pc1(browser, site_url):
    context, page, log, root = _open(browser, site_url)
    figure = root.locator(".demo-live [data-figure]")
    box = visible_box(figure.locator("svg"))
    before = readout(root, "PC1 direction")
    expected = 100 * pca_playground.pca2d(pca_playground.DEFAULT_POINTS)["explained"][0]
    assert number(readout(root, "PC1 explains")) == pytest.approx(expected, abs=0.05)
    assert readout(root, "covariance in (PC1, PC2) coordinates").count("0.00") == 2   # uncorrelated
    page.mouse.move(*_to_screen(box, 2.9, 2.2))            # drag the top-right point far down
    page.mouse.down()
    page.mouse.move(*_to_screen(box, 2.9, -3.5), steps=6)
    page.mouse.up()
    wait_for(page, lambda: 0 <= share(root, "PC1 explains") < 90)
    assert readout(root, "PC1 direction") != before
    assert readout(root, "covariance in (PC1, PC2) coordinates").count("0.00") == 2

    root.get_by_role("button", name="Clear").click()
    wait_for(page, lambda: shows(root, "points") == "0")
    for n, t in enumerate((-3, -1.5, 0, 1, 2.5), start=1):  # clicks along the line y = 0.5·x + 1
        page.mouse.click(*_to_screen(box, t, 0.5 * t + 1))
        wait_for(page, lambda: shows(root, "points") == str(n))
    wait_for(page, lambda: share(root, "PC1 explains") == pytest.approx(100.0, abs=0.15))
    direction = readout(root, "PC1 direction")
    assert direction.startswith("(0.89") and direction.endswith("0.45)")

    figure.focus()                                         # keys: move the selected point off the line
    for _ in range(6):                                     # Shift: half a unit a press
        page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Enter")                           # and add one more
    wait_for(page, lambda: shows(root, "points") == "6")
    points = [[t, 0.5 * t + 1] for t in (-3, -1.5, 0, 1)] + [[2.5, 0.5 * 2.5 + 1 - 3.0]]
    points.append([points[-1][0] + 0.6, points[-1][1] + 0.4])
    expected = 100 * pca_playground.pca2d(points)["explained"][0]
    wait_for(page, lambda: share(root, "PC1 explains") == pytest.approx(expected, abs=0.2))
    context.close()
    assert log.problems == []


def test_the_ring_preset_leaves_pc1_barely_defined(browser, site_url):
    context, page, log, root = _open(browser, site_url)
    root.locator(".demo-live select[data-preset]").select_option("round")
    wait_for(page, lambda: "barely defined" in shows(root, "PC1 direction"))
    assert number(readout(root, "PC1 explains")) == pytest.approx(
        100 * pca_playground.pca2d(pca_playground.PRESETS["round"])["explained"][0], abs=0.05)
    root.locator(".demo-live select[data-preset]").select_option("line")
    wait_for(page, lambda: shows(root, "PC1 explains").startswith("100.0%"))
    assert "barely defined" not in readout(root, "PC1 direction")
    context.close()
    assert log.problems == []


def test_more_components_rebuild_the_digit_better(browser, site_url):
    context, page, log, root = _open(browser, site_url, viewport={"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    root.locator(".demo-live select[data-digit]").select_option("7")
    wait_for(page, lambda: "the original 7" in root.locator(".demo-live").inner_html())
    k_slider = root.locator(".demo-live input[type=range]").nth(1)
    errors, shares = [], []
    for k in (1, 4, 16, 64):
        set_range(k_slider, k)
        state = pca_playground.digit_view(digit=7, sample=0, k=k)
        wait_for(page, lambda: shows(root, "variance explained (training digits)") == f"{100 * state['explained']:.1f}%")
        errors.append(number(readout(root, "reconstruction error (MSE)")))
        shares.append(number(readout(root, "variance explained (training digits)")))
    assert errors == sorted(errors, reverse=True) and errors[0] > 2 * errors[-1]
    assert shares == sorted(shares)
    context.close()
    assert log.problems == []
