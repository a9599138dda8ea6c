"""The bss-unmix demo in headless Chromium: ICA recovers the sources (|r| > 0.9) for the default
and other mixing matrices while the microphones do not; a singular matrix is refused; the play
buttons play clips through Web Audio."""
from __future__ import annotations

import re

from functools import partial

import pytest

from demo_helpers import open_demo, readout, set_range

pytestmark = pytest.mark.browser


def pair(text):
    return [float(v) for v in re.findall(r"\d+\.\d+", text)[:2]]


open_demo = partial(open_demo, name="bss-unmix")


def set_matrix(page, root, values):
    sliders = root.locator(".demo-live input[type=range]")
    for index, value in enumerate(values):
        set_range(sliders.nth(index), value)
    page.wait_for_timeout(600)


def test_ica_recovers_the_sources_for_several_mixing_matrices(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9
    assert max(pair(readout(root, "|r| mixtures ↔ sources"))) < 0.9
    for matrix in ((0.8, 1.0, -1.0, 0.9), (-0.7, 0.9, 0.9, 0.6), (0.6, 1.2, 1.0, -0.8)):
        set_matrix(page, root, matrix)
        assert readout(root, "mixing matrix A").startswith("[[{:.2f}, {:.2f}], [{:.2f}, {:.2f}]]".format(*matrix))
        assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9, matrix
        assert max(pair(readout(root, "|r| mixtures ↔ sources"))) < 0.9, matrix
    root.locator(".demo-live select").nth(1).select_option("square")
    page.wait_for_timeout(600)
    assert min(pair(readout(root, "|r| recovered ↔ sources"))) > 0.9
    assert "order, sign" in root.locator(".demo-live .readouts").inner_text()

    set_matrix(page, root, (1, 1, 1, 1))                    # singular: both microphones hear the same
    assert "impossible" in readout(root, "unmixing")
    assert root.locator('[data-play="y1"]').is_disabled()
    set_matrix(page, root, (1, 0.5, 0.3, 1))
    assert root.locator('[data-play="y1"]').is_enabled()
    context.close()
    assert log.problems == []


def test_play_buttons_play_each_signal(browser, site_url):
    context, page, log, root = open_demo(browser, site_url)
    status = root.locator("[data-audio-status]")
    for key, name in (("x1", "microphone 1"), ("y2", "recovered 2"), ("s1", "source 1")):
        button = root.locator(f'[data-play="{key}"]')
        button.click()
        page.wait_for_timeout(400)
        assert status.inner_text().startswith(f"Playing {name}"), status.inner_text()
        assert button.get_attribute("aria-pressed") == "true"
        assert root.locator('[aria-pressed="true"]').count() == 1           # one clip at a time
    button.click()                                                          # pressing again stops it
    page.wait_for_timeout(200)
    assert button.get_attribute("aria-pressed") == "false" and status.inner_text() == "Stopped."
    button.focus()                                                          # the keyboard works too
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-pressed") == "true"
    context.close()
    assert log.problems == []
