"""A demo's state in the link: page/#demo-NAME?smile=0.8&yaw=-0.3 (site_builder/demos/kit.js).

On CPython: every value a link can set, as hostile as it gets (huge integers, ±1e400, NaN, "",
[], {}, markup, 10,000 characters), gives each demo's Python a normal picture; the drawing code
of autoencoder-draw goes there and back. In headless Chromium: a link opens a demo (scrolled to,
mounted) in that state, the same picture as CPython's for it; a hostile link to every demo still
ends `ready` with a picture and no page error; "Copy link to this view" writes a link (clipboard
and address bar, or a selected field without a clipboard) that restores the view in a fresh page.
"""
from __future__ import annotations

import html
import importlib
import json
import re
from urllib.parse import quote

import pytest

from browser_helpers import open_page
from demo_helpers import embedded_demos, set_range, until, wait_for, wait_until_settled

SETTLE_MS = 150_000                 # Python's first start on a loaded two-core machine
HUGE = 10 ** 400
BAD_VALUES = [HUGE, -HUGE, float("inf"), -float("inf"), float("nan"), "", [], {}, None, True,
              "<script>alert(1)</script>", "x" * 10_000, [[1e400, "a"], {"x": 1}], {"x": [1]}, "1e400",
              -1, 2 ** 63, "constructor", "__proto__"]

# What a link can set in each demo (its UI's fromLink defaults), and the Python entry functions
# those values reach, with the keys each takes.
LINK_KEYS = {
    "matrix-transform": ["angle", "scale_x", "scale_y", "shear", "vx", "vy"],
    "projection": ["ax", "ay", "bx", "by"],
    "pca-playground": ["points", "selected", "digit", "sample", "k"],
    "bss-unmix": ["source1", "source2", "a11", "a12", "a21", "a22", "seed"],
    "tesseract": ["xw", "yw", "zw", "dim", "yaw", "pitch", "label", "sample", "pixel", "source", "seed"],
    "kernel-trick": ["r1", "r2", "noise", "shift", "azimuth", "elevation", "lift", "cx", "cy", "radius", "kernel",
                     "degree", "sigma"],
    "neural-net": ["dataset", "hidden", "seed", "lr"],
    "latent-explorer": ["axes", "x", "y"],
    "interpolation": ["a_class", "a_index", "b_class", "b_index", "t"],
    "latent-arithmetic": ["a_class", "a_which", "b_class", "b_which", "c_class", "c_which", "k", "s", "method"],
    "decoder-swap": ["smile", "mouth_open", "eyes_open", "gaze_x", "gaze_y", "yaw", "pitch", "roll", "light", "k",
                     "driver", "colour"],
    "autoencoder-draw": ["noise", "seed", "drawing"],
}
ENTRIES = {
    "matrix-transform": [("matrix_transform", "view", LINK_KEYS["matrix-transform"])],
    "projection": [("projection", "view", LINK_KEYS["projection"])],
    "pca-playground": [("pca_playground", "points_view", ["points", "selected"]),
                       ("pca_playground", "digit_view", ["digit", "sample", "k"])],
    "bss-unmix": [("bss_unmix", "view", LINK_KEYS["bss-unmix"]), ("bss_unmix", "clip", LINK_KEYS["bss-unmix"])],
    "tesseract": [("tesseract", "view", ["xw", "yw", "zw", "dim", "yaw", "pitch"]),
                  ("tesseract", "digit_view", ["label", "sample", "pixel", "source", "seed"])],
    "kernel-trick": [("kernel_trick", "view", LINK_KEYS["kernel-trick"])],
    "neural-net": [("neural_net", "reset", LINK_KEYS["neural-net"]), ("neural_net", "train", ["lr"])],
    "latent-explorer": [("latent_explorer", "initial", LINK_KEYS["latent-explorer"])],
    "interpolation": [("interpolation", "view", LINK_KEYS["interpolation"])],
    "latent-arithmetic": [("latent_arithmetic", "view", LINK_KEYS["latent-arithmetic"])],
    "decoder-swap": [("decoder_swap", "swap", LINK_KEYS["decoder-swap"]),
                     ("decoder_swap", "finish", LINK_KEYS["decoder-swap"])],
    "autoencoder-draw": [("autoencoder_draw", "initial", LINK_KEYS["autoencoder-draw"])],
}
PICTURE_KEYS = {"svg", "slots", "html", "field", "panels", "digit", "input", "overlay", "samples", "flat", "body",
                "vectors"}


def test_every_demo_that_reads_links_is_listed():
    """The UI modules that call fromLink are exactly these (python-scratchpad never: a link
    must not run code); each reads the keys listed here."""
    from conftest import ROOT
    readers = {path.stem for path in (ROOT / "site_builder" / "demos").glob("*.js")
               if path.stem != "kit" and "fromLink(" in path.read_text()}
    assert readers == set(LINK_KEYS) and "python-scratchpad" not in readers
    assert set(LINK_KEYS) <= set(embedded_demos())
    for name, keys in LINK_KEYS.items():
        script = (ROOT / "site_builder" / "demos" / f"{name}.js").read_text()
        assert "linkButton(" in script, name
        if 'python.call(MODULE, "controls")' in script:    # its defaults are Python's: fromLink(root, spec.defaults)
            module = re.search(r'const MODULE = "([\w.]+)"', script).group(1)
            defaults = importlib.import_module(module).controls()["defaults"]
            assert "fromLink(root, spec.defaults)" in script and set(keys) <= set(defaults), (name, keys, defaults)
            continue
        for key in keys:
            assert re.search(rf"\b{key}:", script), (name, key)


def _check(result):
    assert isinstance(result, dict) and PICTURE_KEYS & set(result)
    json.dumps(result, allow_nan=False)            # what the worker sends on: no NaN, no infinity


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_python_cleans_every_hostile_link_value(name):
    for module, function, keys in ENTRIES[name]:
        func = getattr(importlib.import_module(f"py_runtime.demos.{module}"), function)
        for bad in BAD_VALUES:                     # every key at once
            _check(func(**{key: bad for key in keys}))
        if name == "decoder-swap":                 # slow: one key at a time only for two values
            for key in keys:
                _check(func(**{key: HUGE}))
                _check(func(**{key: ["<script>"]}))
            continue
        for key in keys:
            for bad in BAD_VALUES:
                _check(func(**{key: bad}))


def test_the_drawing_code_goes_there_and_back_and_refuses_anything_else():
    from py_runtime.demos import autoencoder_draw as ad
    code = ad.drawing_code(ad.rasterize(ad.SAMPLES["7"]), ad.SIZE)
    assert len(code) == ad.LINK_CHARS and re.fullmatch(r"[A-Za-z0-9_-]+", code)
    pixels = ad.drawing_pixels(code)
    assert len(pixels) == 28 * 28 and 0 <= min(pixels) and max(pixels) == 255
    assert ad.drawing_code(pixels, 28) == code     # a restored drawing links to itself
    state = ad.initial(drawing=code, noise=0.2)
    assert state["linked"] == pixels and state["drawing"] == code and state["params"]["noise"] == 0.2
    assert "7" in state["readouts"]
    for bad in [None, "", code[:-1], code + "A", code[:-1] + "=", code[:-1] + "é", "<" + code[1:], 7, [code], {}]:
        assert ad.drawing_pixels(bad) is None
        assert ad.initial(drawing=bad)["linked"] is None
    assert ad.initial(pixels=[1, 2], include_map="x")["linked"] is None       # no duplicate arguments


# -- in the browser --------------------------------------------------------------------------

def _page(browser, clipboard_for: str = "", **options):
    """A page that prefers reduced motion (nothing trains or animates by itself), allowed to use
    the clipboard on `clipboard_for`'s origin; a dialog (an alert a link managed to run) counts
    as a page error."""
    context, page, log = open_page(browser, viewport={"width": 1000, "height": 900}, reduced_motion="reduce", **options)
    if clipboard_for:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=clipboard_for.rstrip("/"))
    page.on("dialog", lambda dialog: (log.page_errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return context, page, log


def _open(browser, site_url, name, hash_, **options):
    """A fresh page on `name`'s chapter at `hash_`, without scrolling it: the page must bring the
    demo into view, mount it and settle. Returns (context, page, log, root)."""
    context, page, log = _page(browser, **options)
    page.goto(site_url + embedded_demos()[name] + hash_)
    root = page.locator(f'[data-demo="{name}"]')
    assert wait_until_settled(page, name, SETTLE_MS) == "ready", root.locator(".demo-status").inner_text()
    return context, page, log, root


def _in_view(page, root) -> bool:
    box = root.bounding_box()
    return bool(box) and box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0


def link(**state) -> str:
    return "?" + "&".join(f"{key}={quote(str(value), safe='[],:-.')}" for key, value in state.items())


def _slider(root, label):
    return root.get_by_role("slider", name=label, exact=True)


def _shown(root, label) -> str:
    return _slider(root, label).locator("xpath=following-sibling::output").inner_text()


def _dd(markup: str) -> list[str]:
    """The readout values of a readouts_html() block, as text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", v)).strip() for v in re.findall(r"<dd>(.*?)</dd>", markup, re.S)]


def _attributes(markup: str) -> list[tuple[str, str]]:
    """Every attribute of an SVG in order: the picture, whatever the serialiser's tag style."""
    return [(k, html.unescape(v)) for k, v in re.findall(r'\s([\w:-]+)="([^"]*)"', markup)]


@pytest.mark.browser
def test_a_link_opens_decoder_swap_in_its_state(browser, site_url):
    from py_runtime.demos import decoder_swap as demo
    from test_browser_demo_decoder_swap import close_to, swap_image
    state = {"smile": 0.8, "yaw": -0.3, "light": -0.5, "driver": "B", "colour": "none"}
    context, page, log, root = _open(browser, site_url, "decoder-swap", "#demo-decoder-swap" + link(**state))
    assert _in_view(page, root)                    # site.js scrolled to it: the browser could not
    assert _slider(root, "Smile").input_value() == "0.8" and _shown(root, "Smile") == "0.80"
    assert _slider(root, "Head turn").input_value() == "-0.3" and _shown(root, "Head turn") == "-0.30"
    assert _shown(root, "Light") == "-0.50" and _shown(root, "Mouth open") == "0.15"
    assert root.locator("[data-roles]").get_attribute("aria-pressed") == "true"
    assert root.get_attribute("data-driver") == "B"
    assert root.locator("[data-colour]").input_value() == "none"
    expected = demo.view(**{**demo.DEFAULTS, **state})
    shown = root.locator(".demo-live .swap-face.is-swap img").get_attribute("src")
    assert close_to(shown, swap_image(expected))
    assert root.locator(".demo-live .readouts dd").all_inner_texts() == _dd(expected["slots"]["readouts"])
    context.close()
    assert log.problems == []


@pytest.mark.browser
def test_a_link_opens_matrix_transform_and_projection_in_their_state(browser, site_url):
    from py_runtime.demos import matrix_transform, projection
    state = {"angle": 90, "scale_x": -1.5, "scale_y": 0.7, "shear": 0, "vx": 2, "vy": -1}
    context, page, log, root = _open(browser, site_url, "matrix-transform", "#demo-matrix-transform" + link(**state))
    assert _in_view(page, root)
    assert _shown(root, "Rotation θ") == "90°" and _shown(root, "Scale x") == "-1.50" and _shown(root, "Shear k") == "0.00"
    expected = matrix_transform.view(**state)
    assert _attributes(root.locator(".demo-live [data-figure]").inner_html()) == _attributes(expected["svg"])
    assert root.locator(".demo-live .readouts dd").all_inner_texts() == _dd(expected["readouts"])
    context.close()

    # Projection snaps to its 0.1 grid: Python's cleaned values are what the page shows.
    state = {"ax": 3, "ay": 0, "bx": 0.04, "by": 2.26}
    context, page, log2, root = _open(browser, site_url, "projection", "#demo-projection" + link(**state))
    assert _in_view(page, root)
    expected = projection.view(**state)
    assert expected["params"] == {"ax": 3.0, "ay": 0.0, "bx": 0.0, "by": 2.3}
    assert root.locator(".demo-live .readouts dd").all_inner_texts() == _dd(expected["readouts"])
    assert _attributes(root.locator(".demo-live [data-figure]").inner_html()) == _attributes(expected["vectors"])
    context.close()
    assert log.problems == log2.problems == []


@pytest.mark.browser
def test_a_link_carries_a_point_list_and_a_digit_into_pca_playground(browser, site_url):
    from py_runtime.demos import pca_playground as pca
    points = [[-2.3, -1.1], [-1, -0.3], [0.2, 0.2], [1.1, 0.7], [2.1, 1.3], [0.6, -0.8]]   # no readout near a rounding edge
    state = {"points": json.dumps(points, separators=(",", ":")), "selected": 2, "digit": 7, "sample": 4, "k": 20}
    context, page, log, root = _open(browser, site_url, "pca-playground", "#demo-pca-playground" + link(**state))
    assert _in_view(page, root)
    expected = pca.points_view(points=points, selected=2)
    assert root.locator(".demo-live [data-point-readouts] dd").all_inner_texts() == _dd(expected["readouts"])
    assert root.locator(".demo-live [data-figure] circle.point").count() == len(points)
    assert root.locator(".demo-live [data-figure] circle.selected").get_attribute("data-index") == "2"
    digit = pca.digit_view(digit=7, sample=4, k=20)
    assert root.locator(".demo-live [data-digit-readouts] dd").all_inner_texts() == _dd(digit["readouts"])
    assert root.locator("[data-digit]").input_value() == "7"
    assert _shown(root, "Example") == "5" and _shown(root, "Components k") == "20"
    context.close()
    assert log.problems == []


# Link values, by kind: numbers the page refuses (beyond a double, not decimal) or passes for
# Python to clamp; JSON garbage (for the point list, and for every other key); markup and names
# that are properties of every object; and 10,000 characters.
NUMBERS = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" + "0" * 400, "1e308", "-1e308", "4.9e-324",
           "9007199254740993", "-0", "0x10", "", " 1", "1e-400"]
JSON_GARBAGE = ["null", "true", "[]", "{}", '{"x":[1e400]}', '[[1e400,"<script>alert(1)</script>"],{"x":1},[null,null],[1,2,3],"a"]',
                "[" * 1000 + "]" * 1000, '[{"__proto__":{"polluted":1}}]', "[1,", '"a"', "[[" * 3 + "1" + "]]" * 3]
STRINGS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "constructor", "__proto__", "toString",
           "A" * 523, "%E0%A4%A", "\u0000", "1e308", "-1e308", "4.9e-324"]
TURNS = [NUMBERS, JSON_GARBAGE, STRINGS]


def hostile_link(keys, turn: int) -> str:
    """Every key a value of this turn's kind (a different one for each key), one key 10,000
    characters, and unknown and repeated keys; after the last kind, the whole link is longer
    than the page reads at all (20,000 characters)."""
    values = TURNS[turn % len(TURNS)]
    pairs = [(key, values[(i + turn) % len(values)]) for i, key in enumerate(keys)]
    pairs[-1] = (keys[-1], "x" * 10_000) if turn == 1 else pairs[-1]
    pairs += [("unknown", "<script>alert(1)</script>"), ("__proto__", '{"polluted":1}'), ("", "x"),
              (keys[0], "1")] + ([("padding", "x" * 20_000)] if turn >= len(TURNS) else [])
    return "?" + "&".join(f"{quote(k, safe='')}={v if v == '%E0%A4%A' else quote(v, safe='')}" for k, v in pairs)


def _sound(page, root) -> list[str]:
    """What is wrong with a live demo's picture and controls (nothing, for a sensible picture)."""
    problems = []
    if root.get_attribute("data-state") != "ready":
        problems.append(root.locator(".demo-status").inner_text())
    live = root.locator(".demo-live")
    if live.get_attribute("hidden") is not None or not live.locator("svg, img[src], canvas").count():
        problems.append("no live picture")
    for text in live.locator("output, dd").all_inner_texts():
        if re.search(r"\bNaN\b|Infinity|undefined", text):
            problems.append(f"shows {text!r}")
    if page.evaluate("() => Object.prototype.polluted !== undefined || ({}).polluted !== undefined"):
        problems.append("the link reached Object.prototype")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(LINK_KEYS))
def test_a_hostile_link_still_gives_a_sensible_picture(browser, site_url, name):
    keys = LINK_KEYS[name]
    context, page, log, root = _open(browser, site_url, name, f"#demo-{name}" + hostile_link(keys, 0))
    assert _in_view(page, root)
    assert _sound(page, root) == []
    for turn in range(1, len(TURNS) + 1):           # a new link while it is live: it mounts again and reads it
        _relink(page, root, name, f"#demo-{name}" + hostile_link(keys, turn))
        assert _sound(page, root) == []
    context.close()
    assert log.problems == []


def _relink(page, root, name, hash_) -> None:
    """A new link to the live demo: it mounts again (a new live part) and settles."""
    page.evaluate("() => window.scrollTo(0, 0)")
    live = root.locator(".demo-live").element_handle()
    page.evaluate("(h) => { location.hash = h; }", hash_)
    wait_for(page, lambda: not live.evaluate("(el) => el.isConnected"), 30_000)
    assert wait_until_settled(page, name, SETTLE_MS) == "ready", root.locator(".demo-status").inner_text()
    assert _in_view(page, root)                    # site.js scrolled to it again


@pytest.mark.browser
def test_a_hostile_point_list_still_gives_a_sensible_picture(browser, site_url):
    """The one list a link carries (pca-playground's points), given every kind of JSON garbage,
    as deep as the length limit allows (a Python json.loads that deep would overflow its stack)."""
    name = "pca-playground"
    context, page, log, root = _open(browser, site_url, name, f"#demo-{name}?points=" + quote(JSON_GARBAGE[0]))
    for value in JSON_GARBAGE[1:]:
        _relink(page, root, name, f"#demo-{name}?selected=1&points=" + quote(value, safe=""))
        assert _sound(page, root) == [], value[:40]
        # Not a list, or nested deeper than a point list can be: the page keeps its 12 points. A
        # list: Python keeps its [x, y] pairs of finite numbers, here none.
        refused = not value.startswith("[") or value == "[1," or value.startswith("[[[")
        assert root.locator(".demo-live [data-figure] circle.point").count() == (12 if refused else 0), value[:40]
    context.close()
    assert log.problems == []


def _copy(page, root) -> str:
    """Press "Copy link to this view"; returns what it announces once it has."""
    status = root.locator("[data-link-status]")
    before = status.inner_text()
    button = root.get_by_role("button", name="Copy link to this view")
    button.scroll_into_view_if_needed()
    button.click()
    wait_for(page, lambda: status.inner_text() not in ("", before))
    return status.inner_text()


def _open_live(browser, site_url, name):
    """A page that may use the clipboard, with demo `name` live: (context, page, log, root)."""
    context, page, log = _page(browser, clipboard_for=site_url)
    page.goto(site_url + embedded_demos()[name])
    root = page.locator(f'[data-demo="{name}"]')
    root.scroll_into_view_if_needed()
    assert wait_until_settled(page, name, SETTLE_MS) == "ready"
    return context, page, log, root


@pytest.mark.browser
def test_copy_link_restores_the_same_view_in_a_fresh_page(browser, site_url):
    name = "matrix-transform"
    context, page, log, root = _open_live(browser, site_url, name)
    figure = root.locator(".demo-live [data-figure]")
    set_range(_slider(root, "Rotation θ"), 123)
    set_range(_slider(root, "Shear k"), -1.35)
    figure.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowUp"):   # v from (1, 1) to (1.2, 1.1)
        page.keyboard.press(key)
    wait_for(page, lambda: "(1.20, 1.10)" in root.locator(".demo-live [data-readouts]").inner_text())
    assert _copy(page, root) == "Link copied"
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url                      # the address bar shows it too
    assert copied.startswith(site_url + embedded_demos()[name] + "#demo-matrix-transform?")
    assert "angle=123" in copied and "shear=-1.35" in copied and "vx=1.2" in copied and "vy=1.1" in copied
    before = figure.inner_html(), root.locator(".demo-live [data-readouts]").inner_text()

    other, fresh, log2 = _page(browser, clipboard_for=site_url)
    fresh.goto(copied)
    again = fresh.locator(f'[data-demo="{name}"]')
    assert wait_until_settled(fresh, name, SETTLE_MS) == "ready"
    assert _in_view(fresh, again)
    assert (again.locator(".demo-live [data-figure]").inner_html(),
            again.locator(".demo-live [data-readouts]").inner_text()) == before
    assert _shown(again, "Rotation θ") == "123°" and _shown(again, "Shear k") == "-1.35"
    other.close()

    # No clipboard: the link is shown selected in a read-only field, to copy by hand.
    page.evaluate("() => Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    assert _copy(page, root).startswith("Copy the selected link")
    field = root.locator("[data-link-field]")
    assert field.input_value() == copied and field.get_attribute("readonly") is not None
    assert field.evaluate("(el) => document.activeElement === el && el.selectionStart === 0 "
                          "&& el.selectionEnd === el.value.length")
    root.get_by_role("button", name="Copy link to this view").evaluate("(el) => { for (let i = 0; i < 20; i++) el.click(); }")
    assert root.locator("[data-link-field]").count() == 1 and field.input_value() == copied
    context.close()
    assert log.problems == log2.problems == []


@pytest.mark.browser
def test_copy_link_carries_a_drawing_and_the_settings(browser, site_url):
    from py_runtime.demos import autoencoder_draw as ad
    name = "autoencoder-draw"
    context, page, log, root = _open_live(browser, site_url, name)
    readouts = root.locator(".demo-live [data-readouts]")
    root.get_by_role("button", name="Draw a 7 on the pad").click()
    wait_for(page, lambda: "7 (" in readouts.inner_text(), 30_000)
    set_range(_slider(root, "Noise σ"), 0.2)
    wait_for(page, lambda: _shown(root, "Noise σ") == "0.20")
    wait_for(page, lambda: "noisy input's: " in readouts.inner_text())
    assert _copy(page, root) == "Link copied"
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert len(copied) < 2000
    code = re.search(r"drawing=([A-Za-z0-9_-]+)", copied).group(1)
    assert "noise=0.2" in copied and len(code) == ad.LINK_CHARS

    other, fresh, log2 = _page(browser, clipboard_for=site_url)
    fresh.goto(copied)
    again = fresh.locator(f'[data-demo="{name}"]')
    assert wait_until_settled(fresh, name, SETTLE_MS) == "ready"
    assert _in_view(fresh, again)
    expected = ad.view(ad.drawing_pixels(code), size=28, noise=0.2, seed=0)
    assert again.locator(".demo-live [data-input]").get_attribute("src") == expected["input"]
    assert again.locator(".demo-live [data-readouts] dd").all_inner_texts() == _dd(expected["readouts"])
    assert _shown(again, "Noise σ") == "0.20"
    assert "Nearest class centroid" in expected["readouts"] and "7 (" in again.locator(".demo-live [data-readouts]").inner_text()
    assert _copy(fresh, again) == "Link copied"    # the restored view links to itself
    assert fresh.evaluate("() => navigator.clipboard.readText()") == copied
    assert fresh.evaluate("() => !!document.querySelector('canvas[data-canvas]').getContext('2d')"
                          ".getImageData(0, 0, 280, 280).data.some((v, i) => i % 4 === 3 && v > 0)")
    other.close()
    context.close()
    assert log.problems == log2.problems == []


@pytest.mark.browser
def test_a_plain_demo_link_still_lands_on_the_demo(browser, site_url):
    """#demo-NAME is the figure's id: the browser scrolls to it itself (with JavaScript off too)."""
    context, page, log = _page(browser, java_script_enabled=False)
    page.goto(site_url + embedded_demos()["tesseract"] + "#demo-tesseract")
    until(lambda: _in_view(page, page.locator("#demo-tesseract")), 10)
    assert _in_view(page, page.locator("#demo-tesseract"))
    context.close()
