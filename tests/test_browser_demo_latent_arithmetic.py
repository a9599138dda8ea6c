"""The latent-arithmetic demo in headless Chromium: centroid 3 − centroid 3 + centroid 8 at k = 1
lands on the class-8 centroid, k moves the result, s and lerp/slerp move the path point, and the
controls work from the keyboard on a phone-sized screen."""
from __future__ import annotations


from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, set_range, until

pytestmark = pytest.mark.browser
NAME = "latent-arithmetic"


open_demo = partial(open_demo, name=NAME)


def choose(root, name: str, label: int, which: str) -> None:
    """Operand `name` = class `label`, 'centroid' or a sample index (0-based)."""
    selects = root.locator(f".demo-live select[aria-label^='Operand {name}:']")
    selects.nth(0).select_option(index=label)
    selects.nth(1).select_option(index=0 if which == "centroid" else int(which) + 1)


def result_src(root) -> str:
    return root.locator('.demo-live [data-result="r"]').get_attribute("src")


def test_three_minus_three_plus_eight_is_eight_and_k_moves_the_result(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    choose(root, "a", 3, "centroid")
    choose(root, "b", 3, "centroid")
    choose(root, "c", 8, "centroid")
    k, s = root.locator(".demo-live input[type=range]").nth(0), root.locator(".demo-live input[type=range]").nth(1)
    set_range(k, 1)
    assert until(lambda: readout(root, "Nearest centroid to r") == "8 (distance 0.00)")
    nearest = root.locator(".demo-live .arith-distances td.nearest").first
    assert nearest.inner_text().startswith("0.00")
    assert nearest.locator("xpath=..").locator("th").inner_text().strip() == "8"
    at_one = result_src(root)

    set_range(k, 0.5)                                # halfway from the 3 centroid to the 8 centroid
    assert until(lambda: result_src(root) != at_one)
    assert until(lambda: readout(root, "Step length ‖k·(c − b)‖") != "")
    half_step = number(readout(root, "Step length ‖k·(c − b)‖"))
    assert number(readout(root, "Nearest centroid to r").split("distance")[1]) > 0
    set_range(k, 0)                                  # no step at all: r = a = the 3 centroid
    assert until(lambda: readout(root, "Nearest centroid to r") == "3 (distance 0.00)")
    assert number(readout(root, "Step length ‖k·(c − b)‖")) == 0
    set_range(k, 1)
    assert until(lambda: result_src(root) == at_one)
    assert number(readout(root, "Step length ‖k·(c − b)‖")) == pytest.approx(2 * half_step, abs=0.02)

    set_range(s, 0)                                  # the path point starts at a
    assert until(lambda: readout(root, "Nearest centroid to p") == "3 (distance 0.00)")
    set_range(s, 0.5)
    assert until(lambda: "s = 0.50" in root.locator(".demo-live .arith-point figcaption").inner_text())
    linear = root.locator('.demo-live [data-result="p"]').get_attribute("src")
    root.locator(".demo-live input[type=radio][value=spherical]").check()
    assert until(lambda: "slerp" in root.locator(".demo-live .arith-point figcaption").inner_text())
    assert root.locator('.demo-live [data-result="p"]').get_attribute("src") != linear
    context.close()
    assert log.problems == []


def test_keyboard_and_a_narrow_screen(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, viewport={"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert root.locator(".demo-live .arith-equation img").count() == 4
    before = result_src(root)
    k = root.locator(".demo-live input[type=range]").nth(0)
    k.focus()
    page.keyboard.press("ArrowLeft")                 # 1.00 -> 0.95
    assert until(lambda: root.locator(".demo-live .control output").first.inner_text() == "0.95")
    assert until(lambda: result_src(root) != before)
    assert "0.95·(" in root.locator(".demo-live .arith-equation").inner_text()
    select = root.locator(".demo-live select[aria-label^='Operand c:']").first
    select.focus()
    page.keyboard.press("ArrowDown")                 # c: class 3 -> 4
    assert until(lambda: "centroid of 4s" in root.locator(".demo-live .arith-equation").inner_text())
    context.close()
    assert log.problems == []
