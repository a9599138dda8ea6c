"""Which demos the site embeds, where, and how to drive one in the browser."""
from __future__ import annotations

import random
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ROOT
from site_builder.build import Project
from site_builder.config import load_site
from site_builder.content import load_chapters
from site_builder.registry import load_demos


def embedded_demos() -> dict[str, str]:
    """demo name -> the chapter page (site path) that embeds it."""
    project = Project.at(ROOT)
    chapters = load_chapters(load_site(project.site_toml), project.chapters_dir)
    return {name: f"{chapter.slug}/" for chapter in chapters for name in chapter.demos}


def registered_demos():
    return load_demos(Project.at(ROOT).demos_dir)


def wait_until_settled(page, demo, timeout_ms: int = 90_000) -> str:
    selector = f'[data-demo="{demo}"][data-state="ready"], [data-demo="{demo}"][data-state="error"]'
    page.wait_for_selector(selector, timeout=timeout_ms, state="attached")
    return page.locator(f'[data-demo="{demo}"]').get_attribute("data-state")


def set_range(locator, value) -> None:
    """Set a slider the way a user's drag ends: the value changes, then 'input' fires."""
    locator.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); "
                     "el.dispatchEvent(new Event('change', {bubbles: true})); }", value)


CELLS = ["1/0", "x = ", "print('a' * 5000)", "import math\nmath.sqrt(-1)", "[i * i for i in range(2000)]",
         "def f(n):\n    return f(n + 1)\nf(0)", "raise SystemExit(3)", "None", "'\u00e9\u4e2d' * 3", "", "import sys; sys.version"]


def random_inputs(page, root, count: int, seed: int = 0) -> int:
    """Random slider values (extremes included), clicks, drags and key presses on a demo."""
    rng = random.Random(seed)
    done = 0
    ranges = root.locator("input[type=range]")
    surfaces = root.locator(".demo-live [data-figure], .demo-live canvas, .demo-live svg")
    buttons = root.locator(".demo-live button, .demo-live select")
    texts = root.locator(".demo-live textarea")
    kinds = (["range", "range"] if ranges.count() else []) + (["pointer", "drag", "key"] if surfaces.count() else []) \
        + (["button"] if buttons.count() else []) + (["text", "text"] if texts.count() else [])
    assert kinds, "the demo offers nothing to interact with"
    for _ in range(count):
        kind = rng.choice(kinds)
        if kind == "text":
            texts.first.fill(rng.choice(CELLS) + rng.choice(["", "\n" + "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(20))]))
            texts.first.press("Control+Enter")
        elif kind == "range":
            slider = ranges.nth(rng.randrange(ranges.count()))
            low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
            value = rng.choice([low, high, rng.uniform(low, high), "NaN", "", "1e308"])
            set_range(slider, value)
        elif kind in ("pointer", "drag") and surfaces.count():
            box = surfaces.first.bounding_box()      # re-rendered under the pointer at any moment: may be None
            if not box:
                continue
            x, y = box["x"] + rng.uniform(-5, box["width"] + 5), box["y"] + rng.uniform(-5, box["height"] + 5)
            page.mouse.move(x, y)
            page.mouse.down()
            if kind == "drag":
                for _ in range(rng.randint(2, 8)):
                    page.mouse.move(x + rng.uniform(-300, 300), y + rng.uniform(-300, 300), steps=2)
            page.mouse.up()
        elif kind == "key" and surfaces.count():
            surfaces.first.focus() if surfaces.first.get_attribute("tabindex") is not None else None
            page.keyboard.press(rng.choice(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Enter", "Space"]))
        elif kind == "button" and buttons.count():
            button = buttons.nth(rng.randrange(buttons.count()))
            if button.is_visible() and button.is_enabled():
                try:
                    if button.evaluate("el => el.tagName") == "SELECT":
                        options = button.locator("option")
                        button.select_option(index=rng.randrange(options.count()), timeout=5_000)
                    else:
                        button.click(timeout=5_000)
                except PlaywrightTimeout:
                    # The demo disabled it between the check and the click (bss-unmix disables
                    # play while its mixing matrix is singular): a state, not a failure.
                    if button.is_enabled():
                        raise
        else:
            continue
        done += 1
    return done


def readout(root, label: str) -> str:
    """The value shown next to a readout label."""
    for row in root.locator(".demo-live .readouts div").all():
        if row.locator("dt").inner_text().strip() == label:
            return row.locator("dd").inner_text().strip()
    raise AssertionError(f"no readout {label!r}")


def number(text: str) -> float:
    """The first number in a readout; readouts print a real minus sign (−)."""
    return float(re.search(r"-?\d+(?:\.\d+)?", text.replace("−", "-")).group(0))


def open_demo(browser, site_url, name: str, **options):
    """A new page on the chapter that embeds `name`, scrolled to the demo, waited until ready.
    Returns (context, page, log, root)."""
    from browser_helpers import open_page
    context, page, log = open_page(browser, **options)
    page.goto(site_url + embedded_demos()[name])
    root = page.locator(f'[data-demo="{name}"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, name) == "ready", root.locator(".demo-status").inner_text()
    return context, page, log, root


def visible_box(locator):
    """The element's box once it is scrolled into view: a demo that turns live is taller than
    its still picture, so what was in view when the page settled may have moved out of it."""
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


def until(check, timeout: float = 10.0):
    """Poll `check` (a Python callable reading the page; the CSP forbids string
    wait_for_function) until it is truthy; returns its last value."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def wait_for(page, check, timeout_ms: int = 10_000) -> None:
    """Like `until`, but fails the test when `check` never becomes true."""
    assert until(check, timeout_ms / 1000)
