"""kernel-trick in headless Chromium: the plane separates the default rings and no line does;
dragging and keys turn the 3-D view; the 2-D view sets the circle; Flatten respects reduced motion."""
from __future__ import annotations

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, number, readout, wait_until_settled

pytestmark = pytest.mark.browser
NAME = "kernel-trick"


def test_lift_separates_turns_and_sets_the_circle(browser, site_url):
    context, page, log = open_page(browser, reduced_motion="reduce")
    page.goto(site_url + embedded_demos()[NAME])
    root = page.locator(f'[data-demo="{NAME}"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, NAME) == "ready", root.locator(".demo-status").inner_text()
    assert readout(root, "plane classifies").startswith("80 / 80")
    assert number(readout(root, "best straight line in 2-D")) < 70
    assert "inside the convex hull" in readout(root, "why no line works")

    lifted = root.locator(".demo-live [data-figure]")
    azimuth = root.locator(".demo-live input[type=range]").nth(0)
    picture = lifted.inner_html()
    box = lifted.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.up()
    page.wait_for_timeout(400)
    assert float(azimuth.input_value()) == pytest.approx(30 - 90, abs=3)     # a quarter width: a quarter turn
    assert lifted.inner_html() != picture
    lifted.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert float(azimuth.input_value()) == pytest.approx(-55, abs=3)

    flat = root.locator(".demo-live [data-figure-flat]")       # a small circle: the outer ring is all wrong
    fbox = flat.locator("svg").bounding_box()
    page.mouse.click(fbox["x"] + fbox["width"] * 0.53, fbox["y"] + fbox["height"] * 0.5)
    page.wait_for_timeout(400)
    assert number(readout(root, "plane z = c")) < 0.1
    assert readout(root, "plane classifies").startswith("40 / 80")
    root.get_by_role("button", name="Best plane").click()
    page.wait_for_timeout(400)
    assert readout(root, "plane classifies").startswith("80 / 80")

    lift = root.locator(".demo-live input[type=range]").nth(2)
    root.get_by_role("button", name="Flatten").click()               # reduced motion: at once
    page.wait_for_timeout(100)
    assert float(lift.input_value()) == 0
    assert "Flat:" in lifted.inner_text() and root.get_by_role("button", name="Lift").is_visible()
    context.close()
    assert log.problems == []
