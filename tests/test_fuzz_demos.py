"""Extreme input to every embedded demo, in headless Chromium, on the "read it all" page (one
Python worker for all of them, as a reader who reads everything has): values that make NaN
or infinity, strokes hundreds of pointer events long that run far outside the drawing,
rapid clicks, every option of every select, long key-repeat bursts, huge text. The demo must
stay `ready`, with no console error (tests/test_browser_demos.py adds 200 random inputs)."""
from __future__ import annotations

import os

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, set_range, wait_until_settled

pytestmark = pytest.mark.browser
DEMOS = sorted(embedded_demos())
BAD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-320", "-0", "", "abc", "0x1p3", "1e308"]
COUNTS = {"cases": 0}


@pytest.fixture(scope="module")
def all_page(browser, site_url):
    context, page, log = open_page(browser)
    page.goto(site_url + "all/")
    yield page, log
    context.close()
    if os.environ.get("FUZZ_COUNTS_FILE"):                 # for bench/bench_offline.py
        with open(os.environ["FUZZ_COUNTS_FILE"], "a") as out:
            out.write(f"demo-inputs {COUNTS['cases']}\n")


def extreme_inputs(page, root) -> int:
    cases = 0
    live = root.locator(".demo-live")
    # Values that make NaN or infinity, on every slider and number field, fired as fast as they come.
    for slider in live.locator("input[type=range]").all():
        for value in BAD_NUMBERS + [slider.get_attribute("min"), slider.get_attribute("max")]:
            set_range(slider, value)
            cases += 1
        slider.evaluate("""(el) => { for (let i = 0; i < 200; i++) { el.value = String(i % 2 ? el.max : el.min);
                             el.dispatchEvent(new Event('input', {bubbles: true})); } }""")
        cases += 1
    for field in live.locator("input[type=number], input[type=text]").all():
        if field.is_visible() and field.is_enabled():
            for value in BAD_NUMBERS:
                field.fill(value)
                field.dispatch_event("change")
                cases += 1
    # Huge strokes: hundreds of pointer events, from far outside the surface, across it and out again.
    for surface in live.locator("canvas, [data-figure], svg").all()[:1]:
        box = surface.bounding_box()
        if not box or not surface.is_visible():
            continue
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx - 3000, cy + 2000, steps=100)
        page.mouse.move(cx + 3000, cy - 2000, steps=200)
        page.mouse.move(cx, cy, steps=100)
        page.mouse.up()
        cases += 1
        if surface.get_attribute("tabindex") is not None:
            surface.focus()
            for key in ("ArrowLeft", "ArrowUp", "ArrowRight", "ArrowDown"):
                for _ in range(15):
                    page.keyboard.press(key)
            cases += 1
    # Rapid clicks: fifty synchronous clicks on every button, then every option of every select.
    for button in live.locator("button").all():
        if button.is_visible() and button.is_enabled():
            button.evaluate("(el) => { for (let i = 0; i < 50; i++) el.click(); }")
            cases += 1
    for select in live.locator("select").all():
        if select.is_visible():
            for index in range(select.locator("option").count()):
                select.select_option(index=index)
                cases += 1
    for area in live.locator("textarea").all():
        area.fill("x = float('nan')\nprint(x, x * 0, float('inf') - float('inf'))\n" + "#" * 100_000 + "\nx")
        area.press("Control+Enter")
        cases += 1
    return cases


@pytest.mark.parametrize("name", DEMOS)
def test_demo_stays_ready_under_extreme_input(all_page, name):
    page, log = all_page
    root = page.locator(f'[data-demo="{name}"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, name, 150_000) == "ready", root.locator(".demo-status").inner_text()
    before = list(log.problems)
    cases = extreme_inputs(page, root)
    page.wait_for_timeout(1500)
    assert cases >= 2
    COUNTS["cases"] += cases
    assert root.get_attribute("data-state") == "ready", root.locator(".demo-status").inner_text()
    assert log.problems == before == []
