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

from demo_helpers import embedded_demos, open_demo, until

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


@pytest.fixture(scope="module")
def live(request, browser, site_url):
    """One live page per demo (the tests name it by indirect parametrization, and pytest runs a
    demo's tests together, in the order of this file), for tests that do only what a reader
    does: first a gesture and its announcement (nothing is announced before it), then the
    pictures' text alternatives are read, then the keyboard test tabs through the controls
    and presses their keys."""
    context, page, log, root = open_demo(browser, site_url, request.param)
    yield request.param, page, log, root
    context.close()


# The scratchpad's results are its output, itself a polite live region (python-scratchpad.js).
ANNOUNCING = [name for name in DEMOS if name != "python-scratchpad"]


def _readouts(root) -> list[str]:
    return root.locator(".demo-live dl.readouts > div").evaluate_all(
        "(rows) => rows.map((r) => r.querySelector('dd').textContent.trim())")


ANNOUNCE_MS = 900          # demos.js: a result is announced this long after the last change and input
# Nine steps 100 ms apart, sent inside the page (no round trip to the test between steps, which
# a loaded machine can stretch past ANNOUNCE_MS); returns when each step was sent (ms).
SWEEP = """async ([slider, steps]) => {
  const low = Number(slider.min || 0), high = Number(slider.max || 100), sent = [];
  for (let i = 0; i < steps; i++) {
    slider.value = String(low + (high - low) * i / (steps - 1));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    sent.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return sent;
}"""
KEYS = """async ([surface, steps]) => {
  surface.focus();
  const sent = [];
  for (let i = 0; i < steps; i++) {
    surface.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
    sent.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return sent;
}"""


def _one_gesture(page, root, name) -> list[float]:
    """Something a reader does that changes the readouts, in quick steps: a slider swept from
    its minimum to its maximum in nine steps 100 ms apart (the first slider that moves a
    readout: some only turn a view), else nine arrow keys on the demo's draggable picture;
    neural-net trains for three seconds, its readouts changing with every frame. Returns the
    page's times of the gesture's inputs, in ms."""
    if name == "neural-net":
        play = root.locator("[data-play]")
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
        page.wait_for_timeout(3000)
        play.click()
        return [page.evaluate("performance.now()")]         # training is one movement until it stops
    sliders = root.locator(".demo-live input[type=range]")
    for i in range(sliders.count()):
        before = _readouts(root)
        sent = page.evaluate(SWEEP, [sliders.nth(i).element_handle(), 9])
        if until(lambda: _readouts(root) != before, 10):
            return sent
    return page.evaluate(KEYS, [root.locator('.demo-live [tabindex="0"]').first.element_handle(), 9])


@pytest.mark.parametrize("live", ANNOUNCING, indirect=True)
def test_a_gesture_is_announced_once_when_it_rests_with_the_final_readouts(live):
    name, page, log, root = live
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
        until(lambda: region.inner_text() != "", 5)     # where it paused is announced, if it had moved
        page.wait_for_timeout(ANNOUNCE_MS + 600)
    page.evaluate("""(root) => {
      window.__announced = [];
      new MutationObserver(() => window.__announced.push([performance.now(), root.querySelector('.demo-announce').textContent]))
        .observe(root.querySelector('.demo-announce'), { childList: true, characterData: true, subtree: true });
    }""", root.element_handle())
    sent = _one_gesture(page, root, name)
    assert until(lambda: any(t > sent[-1] for t, _ in page.evaluate("window.__announced")), 20), \
        f"{name}: nothing was announced after the gesture: {page.evaluate('window.__announced')}"
    page.wait_for_timeout(1500)             # and nothing more comes once it has rested
    announced = page.evaluate("window.__announced")
    # While it moves, nothing is said, unless the machine held a step back for ANNOUNCE_MS:
    # then the reader did pause, and an announcement is due.
    pauses = [(a, b) for a, b in zip(sent, sent[1:]) if b - a >= ANNOUNCE_MS]
    early = [text for t, text in announced if t <= sent[-1] and not any(a < t < b for a, b in pauses)]
    assert early == [], f"{name}: announced while the gesture moved: {early} (inputs at {sent})"
    after = [text for t, text in announced if t > sent[-1]]
    assert len(after) == 1, f"{name}: announced {len(after)} times after the gesture: {after}"
    readouts = _readouts(root)
    assert all(value in after[0] for value in readouts), (after[0], readouts)
    assert log.problems == []


@pytest.mark.parametrize("live", DEMOS, indirect=True)
def test_every_picture_in_a_live_demo_has_a_text_alternative(live):
    name, page, log, root = live
    assert root.evaluate(UNNAMED_PICTURES) == [], name


@pytest.mark.parametrize("live", DEMOS, indirect=True)
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring_and_works_from_the_keyboard(live):
    name, page, log, root = live
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
