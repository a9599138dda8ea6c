"""The bss-unmix demo in headless Chromium: ICA recovers the sources (|r| > 0.9) for the default
and other mixing matrices while the microphones do not; a singular matrix is refused; two
Gaussian sources raise the warning on every fresh draw of samples, one does not; the play
buttons play clips through Web Audio. Every check waits for the state it reads."""
from __future__ import annotations

import re

from functools import partial

import pytest

from demo_helpers import open_demo, readout, set_range, wait_for

pytestmark = pytest.mark.browser


def pair(text):
    return [float(v) for v in re.findall(r"\d+\.\d+", text)[:2]]


open_demo = partial(open_demo, name="bss-unmix")


def matrix_text(values):
    return "[[{:.2f}, {:.2f}], [{:.2f}, {:.2f}]]".format(*values).replace("-", "−")


def set_matrix(page, root, values):
    sliders = root.locator(".demo-live input[type=range]")
    for index, value in enumerate(values):
        set_range(sliders.nth(index), value)
    wait_for(page, lambda: readout(root, "mixing matrix A").startswith(matrix_text(values)))


def readouts_text(root) -> str:
    return root.locator(".demo-live .readouts").inner_text()


def has_warning(root) -> bool:
    return root.locator(".demo-live .readouts dt", has_text="warning").count() > 0


def choose(page, root, which, kind, expect):
    root.locator(".demo-live select").nth(which).select_option(kind)
    wait_for(page, expect)


def test_ica_recovers_the_sources_for_several_mixing_matrices(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9
    assert max(pair(readout(root, "|r| mixtures ↔ sources"))) < 0.9
    for matrix in ((0.8, 1.0, -1.0, 0.9), (-0.7, 0.9, 0.9, 0.6), (0.6, 1.2, 1.0, -0.8)):
        set_matrix(page, root, matrix)
        assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9, matrix
        assert max(pair(readout(root, "|r| mixtures ↔ sources"))) < 0.9, matrix
    before = readout(root, "ICA rotation")
    choose(page, root, 1, "square", lambda: readout(root, "ICA rotation") != before)
    assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9
    assert "order, sign" in readouts_text(root) and "matched to the true sources" in readouts_text(root)

    set_matrix(page, root, (1, 1, 1, 1))                    # singular: both microphones hear the same
    assert "impossible" in readout(root, "unmixing")
    assert root.locator('[data-play="y1"]').is_disabled()
    set_matrix(page, root, (1, 0.5, 0.3, 1))
    wait_for(page, lambda: root.locator('[data-play="y1"]').is_enabled())
    context.close()
    assert log.problems == []


def test_two_gaussian_sources_warn_on_every_draw_and_one_does_not(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert not has_warning(root)
    before = readout(root, "non-Gaussianity score")
    choose(page, root, 1, "gaussian", lambda: readout(root, "non-Gaussianity score") != before)
    assert not has_warning(root) and min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9
    choose(page, root, 0, "gaussian", lambda: has_warning(root))
    assert "every rotation looks alike" in readout(root, "warning")
    for draw in range(1, 6):                                 # fresh noise and instants each time
        root.locator("[data-resample]").click()
        wait_for(page, lambda: f"draw {draw})" in readout(root, "samples"))
        assert has_warning(root), draw
    choose(page, root, 0, "sawtooth", lambda: not has_warning(root))
    context.close()
    assert log.problems == []


def test_play_buttons_play_each_signal(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    status = root.locator("[data-audio-status]")
    for key, name in (("x1", "microphone 1"), ("y2", "recovered 2"), ("s1", "source 1")):
        button = root.locator(f'[data-play="{key}"]')
        button.click()
        wait_for(page, lambda: status.inner_text().startswith(f"Playing {name}"))
        assert button.get_attribute("aria-pressed") == "true"
        assert root.locator('[aria-pressed="true"]').count() == 1           # one clip at a time
    button.click()                                                          # pressing again stops it
    wait_for(page, lambda: status.inner_text() == "Stopped.")
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()                                                          # the keyboard works too
    page.keyboard.press("Enter")
    wait_for(page, lambda: button.get_attribute("aria-pressed") == "true")
    context.close()
    assert log.problems == []
