"""`autoencoder-draw`: draw a digit and follow it through two autoencoders.

The page sends what is on the drawing pad (its ink, downsampled to `size`×`size`, 0..255).
Python then does what the chapter describes:

    1. MNIST-ify the drawing (`py_runtime.canvas_to_mnist`: crop to the ink, fit the longer
       side to 20 px, centre the centre of mass in a 28×28 field): the input x;
    2. the 2-D autoencoder: z = encode(x) is one point on the latent map, and
       x̂ = decode(z) is all the decoder can rebuild from those two numbers;
    3. the denoising autoencoder: x + σ·n (n a fixed, seeded field of standard Gaussian
       noise, clipped to [0, 1] as in its training) goes in, and out comes its estimate of
       E[x | noisy input]: the average of the clean digits that could lie under that noise,
       not the one most likely (trained with squared error, that average is what it learns).

The answer holds only what changes: four small PNGs (28×28), the latent marker as a small
overlay SVG, and the readouts; the map itself (`latent_map.map_svg`) is sent once.
"""
from __future__ import annotations

import base64
import binascii
import math
import random
from functools import lru_cache
from html import escape

from .. import canvas_to_mnist
from ..params import flag, integer, number, numbers
from ._lib import latent_map as lm
from ._lib import models
from ._lib.svg import readouts_html

DAE = "mnist-dae"
PAD = 280                     # the drawing pad's size in canvas pixels (CSS px at most)
LINE_WIDTH = 28               # stroke width on the pad, canvas pixels
SIZE = 56                     # the pad is sent downsampled to SIZE × SIZE
SIZES = (8, 140)              # accepted range for `size`
NOISE = (0.0, 1.0)
DEFAULTS = {"size": SIZE, "noise": 0.5, "seed": 0}
MAX_SEED = 10**6
FIRST = "3"                   # the sample on the pad when the demo opens
LINK_SIDE = 28                # a drawing in a link (#demo-autoencoder-draw?drawing=…): the pad at
LINK_LEVELS = 15              # 28 × 28 in 16 grey levels, two pixels a byte, base64url without
LINK_CHARS = 523              # padding: 392 bytes, always 523 characters

# Sample drawings, strokes of (x, y) points on the 280×280 pad: a reader without a pointer
# draws with them (or with the arrow-key pen), and the first one is the demo's first state.
SAMPLES = {
    "0": [[(150, 46), (110, 64), (88, 110), (86, 170), (110, 220), (150, 234), (188, 210), (204, 150),
           (196, 90), (176, 56), (150, 46)]],
    "1": [[(146, 46), (144, 100), (141, 160), (138, 234)]],
    "2": [[(86, 96), (100, 64), (134, 48), (172, 56), (192, 88), (186, 124), (156, 160), (118, 196),
           (82, 228), (130, 226), (180, 226), (208, 228)]],
    "3": [[(96, 70), (136, 48), (178, 62), (180, 100), (140, 128), (120, 132), (160, 138), (192, 168),
           (190, 210), (150, 236), (100, 232)]],
    "7": [[(78, 56), (136, 54), (202, 54), (178, 106), (152, 160), (132, 232)]],
}


def smooth(stroke, rounds: int = 2):
    """Chaikin's corner cutting: each corner becomes two points at 1/4 and 3/4 of its sides,
    so the sample strokes look hand-drawn rather than polygonal. End points stay put."""
    points = [(float(x), float(y)) for x, y in stroke]
    for _ in range(rounds):
        if len(points) < 3:
            break
        cut = [points[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            cut += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        points = cut + [points[-1]]
    return [(round(x, 1), round(y, 1)) for x, y in points]


def rasterize(strokes, size: int = SIZE) -> list[int]:
    """Strokes on the pad -> size×size ink values 0..255, row by row (an antialiased pen).

    Coverage of a pixel is how far its centre is inside the pen's radius, in units of one
    pixel: the same picture (up to the browser's own antialiasing) the page sends."""
    cell = PAD / size
    radius = LINE_WIDTH / 2
    ink = [0.0] * (size * size)
    for stroke in strokes:
        points = [(float(x), float(y)) for x, y in stroke]
        segments = list(zip(points, points[1:])) or [(points[0], points[0])]
        for (x0, y0), (x1, y1) in segments:
            dx, dy = x1 - x0, y1 - y0
            length2 = dx * dx + dy * dy
            reach = radius + cell
            c0 = max(0, int((min(x0, x1) - reach) / cell))
            c1 = min(size - 1, int((max(x0, x1) + reach) / cell))
            r0 = max(0, int((min(y0, y1) - reach) / cell))
            r1 = min(size - 1, int((max(y0, y1) + reach) / cell))
            for r in range(r0, r1 + 1):
                py = (r + 0.5) * cell
                for c in range(c0, c1 + 1):
                    px = (c + 0.5) * cell
                    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
                    d = math.hypot(px - x0 - t * dx, py - y0 - t * dy)
                    cover = min(1.0, max(0.0, (radius - d) / cell + 0.5))
                    if cover > ink[r * size + c]:
                        ink[r * size + c] = cover
    return [round(v * 255) for v in ink]


SAMPLES = {digit: [smooth(stroke) for stroke in strokes] for digit, strokes in SAMPLES.items()}


@lru_cache(maxsize=8)
def noise_field(seed: int) -> tuple[float, ...]:
    """784 standard normal values, the same for the same seed (so the slider only scales them)."""
    rng = random.Random(seed)
    return tuple(rng.gauss(0.0, 1.0) for _ in range(784))


def _clean(params: dict) -> dict:
    """Every value through py_runtime.params; pixels that do not fill the size × size pad are none."""
    size = integer(params.get("size"), SIZE, *SIZES)
    return {"size": size, "noise": round(number(params.get("noise"), DEFAULTS["noise"], *NOISE), 4),
            "seed": integer(params.get("seed"), DEFAULTS["seed"], 0, MAX_SEED),
            "pixels": numbers(params.get("pixels"), size * size, 0.0, 0.0, 255.0)}


def _resample(pixels, size: int, side: int = LINK_SIDE) -> list[float]:
    """size × size ink values -> side × side: each the mean of the block of pixels under it."""
    out = []
    for r in range(side):
        r0 = r * size // side
        r1 = max(r0 + 1, (r + 1) * size // side)
        for c in range(side):
            c0 = c * size // side
            c1 = max(c0 + 1, (c + 1) * size // side)
            block = [pixels[y * size + x] for y in range(r0, r1) for x in range(c0, c1)]
            out.append(sum(block) / len(block))
    return out


def drawing_code(pixels, size: int) -> str:
    """The pad (cleaned pixels, size × size) as the text a link carries; "" for no pixels."""
    if pixels is None:
        return ""
    levels = [min(LINK_LEVELS, max(0, round(v * LINK_LEVELS / 255))) for v in _resample(pixels, size)]
    packed = bytes(high << 4 | low for high, low in zip(levels[::2], levels[1::2]))
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def drawing_pixels(code) -> list[int] | None:
    """A link's drawing back as LINK_SIDE × LINK_SIDE ink values 0..255, or None for anything
    that is not exactly such a code (wrong type or length, a character outside base64url)."""
    if not isinstance(code, str) or len(code) != LINK_CHARS:
        return None
    try:
        packed = base64.b64decode(code + "=", altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        return None
    if len(packed) != LINK_SIDE * LINK_SIDE // 2:
        return None
    return [level * 255 // LINK_LEVELS for byte in packed for level in (byte >> 4, byte & 15)]


BLANK = [0.0] * 784


def view(pixels=None, include_map=False, **params) -> dict:
    p = _clean({**params, "pixels": pixels})
    ae, dae = lm.model(), models.get(DAE)
    pixels = p.pop("pixels")
    x = BLANK
    if pixels is not None and max(pixels) >= 8:              # anything visible on the pad
        x = canvas_to_mnist(pixels, p["size"], invert=False)
    empty = x is BLANK or not any(x)
    noise = noise_field(p["seed"])
    sigma = p["noise"]
    noisy = [min(1.0, max(0.0, v + sigma * n)) for v, n in zip(x, noise)]
    denoised = dae.reconstruct(noisy)
    if empty:
        z, recon, here = None, BLANK, None
        readouts = {"Latent point z": "— (draw something)", "Nearest class centroid": "—",
                    "10 nearest map dots": "—",
                    "2-D rebuild error": "—",
                    "Denoised error": f"MSE {lm.mse(denoised, x):.3f} (the noisy input's: {lm.mse(noisy, x):.3f})"}
    else:
        z = ae.encode(x)
        recon = ae.decode(z)
        here, distance = lm.nearest(z)
        readouts = {
            "Latent point z": lm.fmt_point(z),
            "Nearest class centroid": f"{here} ({distance:.2f} away)",
            "10 nearest map dots": lm.neighbours(z),
            "2-D rebuild error": f"MSE {lm.mse(recon, x):.3f}",
            "Denoised error": f"MSE {lm.mse(denoised, x):.3f} (the noisy input's: {lm.mse(noisy, x):.3f})",
        }
    state = {
        "input": lm.png_uri(x), "recon": lm.png_uri(recon),
        "noisy": lm.png_uri(noisy), "denoised": lm.png_uri(denoised),
        "overlay": overlay(z), "readouts": readouts_html(readouts),
        "latent": z, "nearest": here, "empty": empty, "params": p,
        "drawing": drawing_code(pixels, p["size"]),
    }
    if flag(include_map):
        state["map"] = lm.map_layer("stretched")
    return state


def overlay(z) -> str:
    if z is None:
        fig = lm.map_figure(css_class="plot latent-overlay")
        return fig.to_svg().replace('role="img"', 'aria-hidden="true"', 1)
    return lm.overlay_svg(z, "stretched", crosshair=False)


def _image(attr: str, state: dict, caption: str, alt: str) -> str:
    return (f'<div class="ad-image"><img {attr} src="{state[attr[5:]]}" alt="{escape(alt)}" width="28" height="28">'
            f'<span>{escape(caption)}</span></div>')


def layout(state: dict, pad: str) -> str:
    """The whole figure; `pad` is the drawing surface (a canvas live, a picture pre-rendered)."""
    return (
        '<div class="ad-layout">'
        f'<div class="ad-pad">{pad}<div class="ad-buttons" data-buttons></div></div>'
        '<div class="ad-results">'
        '<div class="ad-row">'
        + _image("data-input", state, "Input, 28×28", "The drawing as a 28×28 MNIST-style input")
        + _image("data-recon", state, "Rebuilt from 2 numbers", "The 2-D autoencoder's reconstruction")
        + '</div>'
        '<div class="ad-map" aria-label="Where the drawing lands on the 2-D latent map">'
        f'<div class="ad-layer" data-map>{lm.map_svg("stretched")}</div>'
        f'<div class="ad-overlay" data-overlay>{state["overlay"]}</div></div>'
        '<div class="ad-row">'
        + _image("data-noisy", state, "Input + noise", "The input with Gaussian noise added")
        + _image("data-denoised", state, "Denoised: an average guess",
                 "The denoising autoencoder's output: an average of the clean digits that fit the noisy input")
        + '</div></div></div>'
        f'<div data-readouts>{state["readouts"]}</div>'
        + lm.legend_html()
    )


def pad_picture(strokes) -> str:
    size = 140
    ink = rasterize(strokes, size)
    return (f'<img class="ad-canvas" src="{lm.png_uri([v / 255 for v in ink], size)}" width="{PAD}" height="{PAD}" '
            'alt="The drawing pad, with a sample digit drawn on it">')


def initial(drawing=None, **params) -> dict:
    """For the UI: the live layout (with the canvas), the samples and the pen's width. A link's
    `drawing` (drawing_code's text) is the first state instead of the sample, and comes back as
    `pad` (LINK_SIDE × LINK_SIDE ink values) for the page to put on the pad."""
    params = {key: value for key, value in params.items() if key not in ("pixels", "include_map")}
    pad = drawing_pixels(drawing)
    if pad is None:
        state = view(rasterize(SAMPLES[FIRST]), include_map=True, **{**DEFAULTS, **params})
    else:
        state = view(pad, include_map=True, **{**DEFAULTS, **params, "size": LINK_SIDE})
    canvas = (f'<canvas class="ad-canvas" data-canvas width="{PAD}" height="{PAD}"></canvas>'
              '<div class="ad-pen" data-pen hidden></div>')
    state["html"] = layout(state, canvas)
    state.update(samples={k: [[list(pt) for pt in s] for s in v] for k, v in SAMPLES.items()},
                 first=FIRST, line_width=LINE_WIDTH, size=SIZE, pad=PAD, linked=pad, linked_size=LINK_SIDE)
    return state


def prerender() -> dict:
    state = view(rasterize(SAMPLES[FIRST]), **DEFAULTS)
    return {"html": layout(state, pad_picture(SAMPLES[FIRST]))}


# One update while drawing (the pad's pixels after a stroke), as `make bench` times it.
INTERACTION = ("view", {"pixels": rasterize(SAMPLES["7"]), "size": SIZE, "noise": 0.5, "seed": 0})
