"""latent-explorer in headless Chromium: hovering a class's centroid decodes a digit the encoder
puts back near that centroid; moving elsewhere changes the picture; keyboard, the class menu,
the axes menu and touch all move the crosshair."""
from __future__ import annotations

import pytest

from demo_helpers import number, open_demo as open_named_demo, readout, wait_for, visible_box

pytestmark = pytest.mark.browser
NAME = "latent-explorer"


def open_demo(browser, site_url, **options):
    """The demo, with its map scrolled into view."""
    context, page, log, root = open_named_demo(browser, site_url, NAME, **options)
    root.locator(".demo-live [data-figure]").scroll_into_view_if_needed()
    return context, page, log, root


def centre(root, label):
    box = visible_box(root.locator(f'.demo-live circle.centroid[data-class="{label}"]'))
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_hovering_a_centroid_decodes_a_digit_of_that_class_and_moving_changes_it(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    digit = root.locator(".demo-live img[data-digit]")
    pictures = {digit.get_attribute("src")}
    for label in (0, 1, 7, 4, 6):
        page.mouse.move(*centre(root, label), steps=3)
        wait_for(page, lambda: readout(root, "Re-encoded nearest class").startswith(f"{label} "))
        assert readout(root, "Nearest class centroid") == str(label)
        picture = digit.get_attribute("src")
        assert picture not in pictures                   # every move draws a new picture
        pictures.add(picture)
    box = visible_box(root.locator(".demo-live [data-map] svg"))
    before = readout(root, "Latent point z")
    page.mouse.move(box["x"] + box["width"] * 0.95, box["y"] + box["height"] * 0.05)   # the top-right corner
    wait_for(page, lambda: readout(root, "Latent point z") != before)
    x, y = (number(part) for part in readout(root, "Latent point z").strip("()").split(","))
    assert x > 10 and y > 20                             # far out among the zeros
    assert digit.get_attribute("src") not in pictures
    context.close()
    assert log.problems == []


def test_keyboard_menus_and_axes(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    root.get_by_label("Go to centroid").select_option("7")
    wait_for(page, lambda: readout(root, "Nearest class centroid") == "7")
    assert readout(root, "Re-encoded nearest class").startswith("7 ")
    before = readout(root, "Latent point z")
    root.locator(".demo-live [data-figure]").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_for(page, lambda: readout(root, "Latent point z") != before)
    x0, y0 = (number(p) for p in before.strip("()").split(","))
    x1, y1 = (number(p) for p in readout(root, "Latent point z").strip("()").split(","))
    assert x1 > x0 and y1 == pytest.approx(y0, abs=0.01)
    page.keyboard.press("Shift+ArrowUp")
    wait_for(page, lambda: number(readout(root, "Latent point z").split(",")[1]) > y1)

    title = lambda: root.locator(".demo-live [data-map] svg title").text_content()   # noqa: E731
    assert "stretched" in title()
    point = readout(root, "Latent point z")
    root.get_by_label("Axes").select_option("linear")
    wait_for(page, lambda: "to scale" in title())
    assert readout(root, "Latent point z") == point      # the same latent point, now drawn to scale
    page.mouse.move(*centre(root, 1))
    wait_for(page, lambda: readout(root, "Nearest class centroid") == "1")
    context.close()
    assert log.problems == []


def test_touch_moves_the_crosshair_on_a_phone(browser, site_url):
    context, page, log, root = open_demo(browser, site_url, has_touch=True, is_mobile=True,
                                         viewport={"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360       # no sideways scrolling
    page.touchscreen.tap(*centre(root, 1))
    wait_for(page, lambda: readout(root, "Nearest class centroid") == "1")
    page.touchscreen.tap(*centre(root, 0))
    wait_for(page, lambda: readout(root, "Nearest class centroid") == "0")
    context.close()
    assert log.problems == []
