"""neural-net in headless Chromium: training steps lower the loss on XOR past 90% accuracy;
reduced motion never starts training by itself; training stops off screen and when paused.
Every check waits for the state it asserts; "it stopped" is the state of a step count that
holds still, and "paused" is also proved by a +10 click that adds exactly ten."""
from __future__ import annotations

import math
import time
from functools import partial

import pytest

from demo_helpers import number, open_demo, readout, wait_for

pytestmark = pytest.mark.browser
NAME = "neural-net"


_open = partial(open_demo, name=NAME)


def steps(root) -> int:
    return int(number(readout(root, "steps")))


def wait_until_steady(read, quiet_s: float = 1.0, timeout_s: float = 15.0):
    """Wait until `read()` has returned the same value for `quiet_s`; fail if it never settles."""
    deadline = time.monotonic() + timeout_s
    value, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return value
    raise AssertionError(f"still changing after {timeout_s} s: {value}")


def test_steps_on_xor_lower_the_loss_and_learn_it(browser, site_url):
    context, page, log, root = _open(browser, site_url, reduced_motion="reduce")
    status = root.locator("[data-status]")
    wait_for(page, lambda: "Press Play" in status.inner_text())          # set where autoplay would start
    assert root.get_by_role("button", name="Play").is_visible() and steps(root) == 0
    first_loss = number(readout(root, "loss"))
    step = root.get_by_role("button", name="+10 steps")
    for _ in range(5):
        step.click()
    wait_for(page, lambda: steps(root) >= 50, 60_000)                      # five queued calls, on a busy machine too
    assert steps(root) == 50                                             # each click: exactly ten more
    assert number(readout(root, "loss")) < first_loss
    root.get_by_role("button", name="Play").click()
    wait_for(page, lambda: number(readout(root, "accuracy")) > 95 and steps(root) >= 300, timeout_ms=30_000)
    root.get_by_role("button", name="Pause").click()
    wait_for(page, lambda: root.get_by_role("button", name="Play").is_visible())
    paused = wait_until_steady(lambda: steps(root))                      # paused means paused…
    assert number(readout(root, "accuracy")) > 90 and number(readout(root, "loss")) < first_loss / 3
    step.click()
    wait_for(page, lambda: steps(root) >= paused + 10)
    assert wait_until_steady(lambda: steps(root), quiet_s=0.5) == paused + 10    # …and nothing else trains
    root.locator(".demo-live select[data-dataset]").select_option("spiral")
    wait_for(page, lambda: steps(root) == 0)
    assert number(readout(root, "accuracy")) < 80
    context.close()
    assert log.problems == []


def test_the_learning_rate_slider_spans_pythons_range(browser, site_url):
    from py_runtime.demos import neural_net
    context, page, log, root = _open(browser, site_url, reduced_motion="reduce")
    slider = root.get_by_label("Learning rate")
    low, high, step = neural_net.LR_SLIDER
    assert [float(slider.get_attribute(a)) for a in ("min", "max", "step")] == [low, high, step]
    assert float(slider.input_value()) == pytest.approx(math.log10(neural_net.DEFAULTS["lr"]), abs=step)
    context.close()
    assert log.problems == []


def test_plays_by_itself_only_while_on_screen(browser, site_url):
    context, page, log, root = _open(browser, site_url, viewport={"width": 360, "height": 700})
    wait_for(page, lambda: steps(root) > 0 and root.get_by_role("button", name="Pause").is_visible())
    page.evaluate("window.scrollTo(0, 0)")                       # the demo leaves the viewport
    stopped = wait_until_steady(lambda: steps(root))
    assert root.get_by_role("button", name="Pause").is_visible()          # still "playing", only waiting
    root.scroll_into_view_if_needed()
    wait_for(page, lambda: steps(root) > stopped)                         # and it resumes on screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
    assert log.problems == []
