"""Every demo in headless Chromium, every non-localhost request blocked: it turns live,
a scripted interaction changes its output the right way, and a few hundred random inputs
leave it ready with no console error."""
from __future__ import annotations

import zlib

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, number, random_inputs, readout, set_range, until, wait_until_settled, visible_box

pytestmark = pytest.mark.browser
PAGES = embedded_demos()
RANDOM_INPUTS = 200


def goto_demo(page, site_url, name):
    page.goto(site_url + PAGES[name])
    root = page.locator(f'[data-demo="{name}"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, name) == "ready", root.locator(".demo-status").inner_text()
    return root


@pytest.mark.parametrize("name", sorted(PAGES))
def test_demo_survives_random_input(browser, site_url, name):
    context, page, log = open_page(browser)
    root = goto_demo(page, site_url, name)
    assert root.locator(".demo-static").is_hidden() and root.locator(".demo-live").is_visible()
    done = random_inputs(page, root, RANDOM_INPUTS, seed=zlib.crc32(name.encode()))
    page.wait_for_timeout(1500)
    assert done > RANDOM_INPUTS // 2
    assert root.get_attribute("data-state") == "ready", root.locator(".demo-status").inner_text()
    context.close()
    assert log.problems == []


def test_matrix_transform_rotation_keeps_area_and_has_no_real_eigenvectors(browser, site_url):
    context, page, log = open_page(browser)
    root = goto_demo(page, site_url, "matrix-transform")
    sliders = root.locator("input[type=range]")
    det = lambda: number(readout(root, "det M"))
    for index, value in enumerate((90, 1, 1, 0)):        # rotation, scale x, scale y, shear
        set_range(sliders.nth(index), value)
    assert until(lambda: "no real eigenvector" in readout(root, "eigen")), readout(root, "eigen")
    assert det() == pytest.approx(1.0, abs=1e-3)
    set_range(sliders.nth(0), 0)
    set_range(sliders.nth(1), 2)                         # now a pure stretch: eigenvalues 2 and 1
    assert until(lambda: "λ = 2.00" in readout(root, "eigen") and "λ = 1.00" in readout(root, "eigen")), \
        readout(root, "eigen")
    assert det() == pytest.approx(2.0, abs=1e-3)
    box = visible_box(root.locator("[data-figure]"))   # drag v to the far right of the view
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    moved = lambda: [number(side) for side in readout(root, "v → Mv").split("→")]
    assert until(lambda: moved()[0] == pytest.approx(2.0, abs=0.1) and moved()[1] == pytest.approx(4.0, abs=0.2)), \
        readout(root, "v → Mv")
    context.close()
    assert log.problems == []


def test_every_demo_goes_live_after_a_fast_scroll_through_the_all_page(browser, site_url):
    """Scroll from demo to demo about every 200 ms, as the page scrolls (smoothly, so between
    two frames the viewport jumps over demos the near-viewport observer never sees), and stop
    at the last: every demo the reader passed, and the one in view, must go live. (Demos that
    go live during the scroll grow by 50-425 px each, so a smooth scroll aimed at the last demo
    stops short of it; the reader, like this test, then goes the rest of the way.)"""
    context, page, log = open_page(browser)
    page.goto(site_url + "all/")
    names = page.evaluate("[...document.querySelectorAll('[data-demo]')].map((d) => d.dataset.demo)")
    assert len(names) == len(PAGES)
    for i in range(len(names)):
        page.evaluate("(i) => document.querySelectorAll('[data-demo]')[i].scrollIntoView({ block: 'center' })", i)
        page.wait_for_timeout(200)
    page.wait_for_timeout(1000)
    page.evaluate("[...document.querySelectorAll('[data-demo]')].pop().scrollIntoView({ block: 'center', behavior: 'instant' })")
    states = "[...document.querySelectorAll('[data-demo]')].map((d) => d.dataset.demo + ' ' + d.dataset.state)"
    settled = until(lambda: all(s.endswith((" ready", " error")) for s in page.evaluate(states)), timeout=180)
    assert settled and all(s.endswith(" ready") for s in page.evaluate(states)), \
        [s for s in page.evaluate(states) if not s.endswith(" ready")]
    context.close()
    assert log.problems == []
