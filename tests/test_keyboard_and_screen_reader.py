"""Every demo without a mouse, and what a screen reader hears of it: measured in headless
Chromium on each demo the site embeds, live.

- Keyboard alone: Tab reaches every control of the demo, in order, each with a visible focus
  ring; each control then does something from the keyboard: a slider's arrow key moves it, a
  picture that can be dragged (tabindex="0") moves its point with the arrow keys.
- Results: a slider moved in quick steps is announced once, after it rests, through the demo's
  polite live region (demos.js, announceResults), with the readouts' final values, and never
  while it moves.
- Pictures: every SVG, canvas and image the live demo shows has a text alternative, or is
  marked as decoration.
Reduced motion is checked demo by demo where a demo animates (the neural-net, kernel-trick,
tesseract, interpolation and autoencoder-draw tests)."""
from __future__ import annotations

import pytest

from demo_helpers import embedded_demos, open_demo, set_range, until

pytestmark = pytest.mark.browser

DEMOS = sorted(embedded_demos())
FOCUSABLE = ("a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, "
             "[tabindex]:not([tabindex='-1'])")

# The controls of a live demo that a reader can reach, in document order, each tagged so that
# the test can find it again: [{tag, kind, label}].
CONTROLS = """([root, selector]) => {
  const live = root.querySelector('.demo-live');
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  // A radio group is one Tab stop (its checked button, else its first); arrows move within it.
  const oneStop = (el) => el.type !== 'radio' || (el.checked || !live.querySelector(`input[type=radio][name="${el.name}"]:checked`))
    && el === [...live.querySelectorAll(`input[type=radio][name="${el.name}"]`)].find((r) => r.checked || !live.querySelector(`input[type=radio][name="${el.name}"]:checked`));
  return [...live.querySelectorAll(selector)].filter(shown).filter(oneStop).map((el, i) => {
    el.dataset.kbd = String(i);
    const kind = el.matches('input[type=range]') ? 'range' : el.matches('[tabindex="0"]:not(input, button, select, textarea, a)') ? 'surface' : el.tagName.toLowerCase();
    return { tag: String(i), kind, label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40) };
  });
}"""
FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return { tag: el.dataset.kbd ?? null, ring: ring || style.boxShadow !== 'none' };
}"""
UNNAMED_PICTURES = """(root) => {
  const live = root.querySelector('.demo-live');
  const named = (el) => el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
    || (el.tagName === 'IMG' && el.hasAttribute('alt')) || el.querySelector(':scope > title');
  return [...live.querySelectorAll('svg, canvas, img')]
    .filter((el) => !el.closest('[aria-hidden="true"]') && !(el.tagName.toLowerCase() === 'svg' && el.parentElement.closest('svg')))
    .filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 160));
}"""


def _focus_before(page, root) -> None:
    """Put the keyboard focus just before the demo's live part, as if the reader had tabbed there."""
    root.evaluate("""(root) => {
      const mark = document.createElement('button');
      mark.id = 'kbd-start'; mark.textContent = 'start';
      root.querySelector('.demo-live').before(mark);
      mark.focus();
    }""")


def _picture(root) -> str:
    return root.locator(".demo-live").evaluate("(el) => el.innerHTML")


@pytest.mark.parametrize("name", DEMOS)
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring_and_works_from_the_keyboard(browser, site_url, name):
    context, page, log, root = open_demo(browser, site_url, name)
    try:
        controls = page.evaluate(CONTROLS, [root.element_handle(), FOCUSABLE])
        assert controls, f"{name}: nothing in the live demo can take the keyboard focus"
        _focus_before(page, root)
        reached = []
        for _ in range(len(controls)):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_RING)
            assert focus["ring"], f"{name}: {focus['tag']} has the focus but no visible focus ring"
            reached.append(focus["tag"])
        assert reached == [c["tag"] for c in controls], f"{name}: Tab order {reached}, controls {controls}"

        for control in controls:
            element = root.locator(f'[data-kbd="{control["tag"]}"]')
            if control["kind"] == "range":
                before = element.input_value()
                element.focus()
                at_max = element.evaluate("(el) => Number(el.value) >= Number(el.max)")
                page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
                assert until(lambda: element.input_value() != before, 5), f"{name}: {control} ignores its arrow keys"
            elif control["kind"] == "surface":
                before = _picture(root)
                element.focus()
                for key in ("ArrowRight", "ArrowUp"):
                    page.keyboard.press(key)
                assert until(lambda: _picture(root) != before, 15), f"{name}: {control} ignores its arrow keys"
        assert until(lambda: root.get_attribute("data-state") == "ready", 15), root.locator(".demo-status").inner_text()
        assert log.problems == []
    finally:
        context.close()


# The scratchpad's results are its output, itself a polite live region (python-scratchpad.js).
ANNOUNCING = [name for name in DEMOS if name != "python-scratchpad"]


def _readouts(root) -> list[str]:
    return root.locator(".demo-live dl.readouts > div").evaluate_all(
        "(rows) => rows.map((r) => r.querySelector('dd').textContent.trim())")


def _one_gesture(page, root, name) -> None:
    """Something a reader does that changes the readouts, in quick steps: a slider swept from
    its minimum to its maximum in nine steps 100 ms apart (the first slider that moves a
    readout: some only turn a view), else nine arrow keys on the demo's draggable picture;
    neural-net trains for three seconds, its readouts changing with every frame."""
    if name == "neural-net":
        play = root.locator("[data-play]")
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
        page.wait_for_timeout(3000)
        play.click()
        return
    sliders = root.locator(".demo-live input[type=range]")
    for i in range(sliders.count()):
        slider, before = sliders.nth(i), _readouts(root)
        low, high = (float(slider.get_attribute(a) or d) for a, d in (("min", 0), ("max", 100)))
        for step in range(9):
            set_range(slider, str(low + (high - low) * step / 8))
            page.wait_for_timeout(100)
        if until(lambda: _readouts(root) != before, 10):
            return
    surface = root.locator('.demo-live [tabindex="0"]').first
    surface.focus()
    for _ in range(9):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)


@pytest.mark.parametrize("name", ANNOUNCING)
def test_a_gesture_is_announced_once_when_it_rests_with_the_final_readouts(browser, site_url, name):
    context, page, log, root = open_demo(browser, site_url, name)
    try:
        region = root.locator(".demo-announce")
        assert region.get_attribute("aria-live") == "polite"
        assert region.inner_text() == "", "the state the demo starts in is not announced"
        if name == "neural-net":               # it starts training by itself (motion allowed): pause it
            play = root.locator("[data-play]")
            for _ in range(3):                 # it may also pause itself meanwhile
                if play.get_attribute("aria-pressed") == "true":
                    play.click()
                page.wait_for_timeout(300)
            assert play.get_attribute("aria-pressed") == "false"
            page.wait_for_timeout(2000)        # its announcement of where it paused may come
        page.evaluate("""(root) => {
          window.__announced = [];
          new MutationObserver(() => window.__announced.push(root.querySelector('.demo-announce').textContent))
            .observe(root.querySelector('.demo-announce'), { childList: true, characterData: true, subtree: true });
        }""", root.element_handle())
        _one_gesture(page, root, name)
        assert until(lambda: page.evaluate("window.__announced.length") > 0, 20), f"{name}: nothing was announced"
        page.wait_for_timeout(1500)             # and nothing more comes once it has rested
        announced = page.evaluate("window.__announced")
        assert len(announced) == 1, f"{name}: announced {len(announced)} times: {announced}"
        readouts = _readouts(root)
        assert all(value in announced[0] for value in readouts), (announced[0], readouts)
        assert log.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("name", DEMOS)
def test_every_picture_in_a_live_demo_has_a_text_alternative(browser, site_url, name):
    context, page, log, root = open_demo(browser, site_url, name)
    try:
        assert root.evaluate(UNNAMED_PICTURES) == []
    finally:
        context.close()
