"""neural-net in headless Chromium: training steps lower the loss on XOR past 90% accuracy;
reduced motion never starts training by itself; training stops off screen and when paused."""
from __future__ import annotations

from functools import partial

import pytest

from demo_helpers import number, open_demo, readout

pytestmark = pytest.mark.browser
NAME = "neural-net"


_open = partial(open_demo, name=NAME)


def test_steps_on_xor_lower_the_loss_and_learn_it(browser, site_url):
    context, page, log, root = _open(browser, site_url, reduced_motion="reduce")
    page.wait_for_timeout(800)
    assert readout(root, "steps") == "0"                       # nothing moves by itself
    assert root.get_by_role("button", name="Play").is_visible()
    first_loss = number(readout(root, "loss"))
    step = root.get_by_role("button", name="+10 steps")
    for _ in range(5):
        step.click()
    for _ in range(50):
        page.wait_for_timeout(100)
        if readout(root, "steps") == "50":
            break
    assert readout(root, "steps") == "50"                      # each click: exactly ten more
    assert number(readout(root, "loss")) < first_loss
    root.get_by_role("button", name="Play").click()
    for _ in range(100):
        page.wait_for_timeout(200)
        if number(readout(root, "accuracy")) > 95 and number(readout(root, "steps")) >= 300:
            break
    root.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(300)
    steps = readout(root, "steps")
    assert number(readout(root, "accuracy")) > 90 and number(readout(root, "loss")) < first_loss / 3
    page.wait_for_timeout(600)
    assert readout(root, "steps") == steps                       # paused means paused
    root.locator(".demo-live select[data-dataset]").select_option("spiral")
    page.wait_for_timeout(500)
    assert readout(root, "steps") == "0" and number(readout(root, "accuracy")) < 80
    context.close()
    assert log.problems == []


def test_plays_by_itself_only_while_on_screen(browser, site_url):
    context, page, log, root = _open(browser, site_url, viewport={"width": 360, "height": 700})
    page.wait_for_timeout(1000)
    assert number(readout(root, "steps")) > 0 and root.get_by_role("button", name="Pause").is_visible()
    page.evaluate("window.scrollTo(0, 0)")                       # the demo leaves the viewport
    page.wait_for_timeout(600)
    steps = readout(root, "steps")
    page.wait_for_timeout(800)
    assert readout(root, "steps") == steps
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
    assert log.problems == []
