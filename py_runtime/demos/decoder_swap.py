"""`decoder-swap`: a whole deepfake, live. One encoder, one decoder per person, and the stages
around them that real pipelines use.

The reader sets the driver's expression, pose and light. The driver's frame is rendered
(py_runtime.faces); its landmarks give an alignment and a tight aligned crop
(py_runtime.align); the shared encoder turns the crop into a latent vector, which the
driver's own decoder rebuilds and the other person's decoder turns into the swap; a mask
from the landmarks and a colour match paste the swap back into the driver's frame
(py_runtime.pipeline). Beside them, the ground truth: the other person really rendered with
the same parameters. A "smile direction" in the latent space can be added with strength k.

A slider move is two calls, so that the swap shows as soon as it exists: `swap` (crop,
encode, decode: the part the reader waits for) and then `finish` (the frame, the mask, the
composite, the checks), which reuses the swap `swap` just made.
"""
from __future__ import annotations

import math
from functools import lru_cache
from html import escape

from .. import align, faces, pipeline
from .. import swap as swap_model
from ..params import choice, number
from ._lib import models
from ._lib.svg import Figure, readouts_html

FRAME_SIZE = 128
DEFAULTS = {**faces.DEFAULT_PARAMS, "k": 0.0, "driver": "A", "colour": "mean"}
K_RANGE = (-2.0, 2.0)
COLOURS = {"mean": "mean colour", "mean-std": "mean and spread", "none": "none"}   # in the menu's order
SLIDER_LABELS = {"smile": "Smile", "mouth_open": "Mouth open", "eyes_open": "Eyes open",
                 "gaze_x": "Gaze left–right", "gaze_y": "Gaze up–down", "yaw": "Head turn",
                 "pitch": "Head nod", "roll": "Head tilt", "light": "Light"}
SLIDER_STEP, K_STEP = 0.05, 0.1
DRIVERS = ("A", "B")


def model():
    """E, D_A and D_B, loaded once into the demos' model cache (py_runtime.demos._lib.models)."""
    return models.get(swap_model.NAME)


def _clean(params: dict) -> dict:
    """Every value through py_runtime.params (faces.clean_params for the face's own settings)."""
    out = faces.clean_params(params)
    out["k"] = number(params.get("k"), DEFAULTS["k"], *K_RANGE)
    out["driver"] = choice(params.get("driver"), DRIVERS, DEFAULTS["driver"])
    out["colour"] = choice(params.get("colour"), COLOURS, DEFAULTS["colour"])
    return out


def _other(driver: str) -> str:
    return "B" if driver == "A" else "A"


def _key(p: dict) -> tuple:
    return (p["driver"], p["k"], *(p[name] for name in faces.PARAM_NAMES))


def _face_params(p: dict) -> dict:
    return {name: p[name] for name in faces.PARAM_NAMES}


def _psnr(a, b) -> float:
    mse = sum((x - y) * (x - y) for x, y in zip(a, b)) / len(a)
    return 10.0 * math.log10(1.0 / max(mse, 1e-10))


def _figure(pixels, size: int, caption: str, alt: str, cls: str) -> str:
    return (f'<figure class="swap-face {cls}"><img src="{faces.data_uri(pixels, size)}" width="{size}" '
            f'height="{size}" alt="{escape(alt)}"><figcaption>{caption}</figcaption></figure>')


def frame_svg(frame, view: faces.View, crop: pipeline.Crop, caption: str, cls: str = "is-frame") -> str:
    """The driver's frame with what detection and alignment found: landmarks and the crop box."""
    n = view.size
    corners = [view.to_pixel(*c) for c in align.crop_corners(crop.alignment)]
    box = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" class="landmark"/>'
                   for x, y in (view.to_pixel(*crop.marks[name]) for name in align.TEMPLATE))
    return (f'<figure class="swap-face {cls}"><svg viewBox="0 0 {n} {n}" role="img" '
            f'aria-label="{escape(caption)}, with its landmarks and the aligned crop\'s box">'
            f'<image href="{faces.data_uri(frame, n)}" width="{n}" height="{n}"/>'
            f'<polygon points="{box}" class="crop-box"/>{dots}</svg><figcaption>{caption}</figcaption></figure>')


def latent_svg(z, ranges, direction=None, title="The latent vector") -> str:
    """The latent vector as bars, each axis scaled by its 1st–99th percentile on held-out faces."""
    n = len(z)
    fig = Figure(0, n, -1.15, 1.15, width=440, title=title, css_class="plot swap-latent")
    fig.height = 120
    fig.line(0, 0, n, 0, "axis")
    lo, hi = ranges.get("min", [-1.0] * n), ranges.get("max", [1.0] * n)
    for i, v in enumerate(z):
        span = max(abs(lo[i]), abs(hi[i]), 1e-6)
        h = max(-1.1, min(1.1, v / span))
        fig.polyline([(i + 0.15, 0), (i + 0.85, 0), (i + 0.85, h), (i + 0.15, h)], "bar", closed=True)
        if direction is not None:
            d = max(-1.1, min(1.1, direction[i] / span))
            fig.line(i + 0.1, d, i + 0.9, d, "direction")
    return fig.to_svg()


def _latent_html(z, p, m) -> str:
    direction = m.smile_direction if p["k"] == 0 else None
    svg = latent_svg(z, m.entry.get("latent_range", {}), direction,
                     title="The shared latent vector, one bar per number")
    note = ("; orange ticks: the smile direction." if p["k"] == 0
            else f"; now shifted by {p['k']:+.1f} × the smile direction.")
    return (svg + '<p class="swap-latent-caption">The latent vector: one bar per number, each axis scaled to '
            f'its range on held-out faces{note}</p>')


@lru_cache(maxsize=1)
def _swap_for(key: tuple) -> pipeline.Swapped:
    """The swap for these cleaned settings (`_key`): the latest one only, for the `finish` that
    follows its `swap`."""
    driver, k, *face = key
    m = model()
    shift = [k * d for d in m.smile_direction] if k else None
    return pipeline.swap_crop(m, driver, dict(zip(faces.PARAM_NAMES, face)), _other(driver), shift)


def _swapped(p: dict, fresh: bool) -> pipeline.Swapped:
    """The swap for these settings: made anew by `swap` (every move does the work it shows),
    reused by the `finish` that follows it for the same settings."""
    if fresh:
        _swap_for.cache_clear()
    return _swap_for(_key(p))


def swap(**params) -> dict:
    """The first half of a slider move: the aligned crop through the encoder and the other
    person's decoder, and the latent bars. Everything a reader is waiting for."""
    p = _clean(params)
    driver, other = p["driver"], _other(p["driver"])
    s = _swapped(p, fresh=True)
    slots = {
        "swap": _figure(s.pixels, 64, f"through decoder {other}: the swap",
                        f"the swap: {driver}'s aligned crop drawn by {other}'s decoder", "is-swap"),
        "latent": _latent_html(s.latent, p, model()),
    }
    return {"slots": slots, "params": p, "latent": list(s.latent), "driver": driver}


def finish(**params) -> dict:
    """The second half: the driver's frame with its crop box, the aligned crop, its rebuild,
    the mask, the composite and the ground truth, with the readouts."""
    p = _clean(params)
    driver, other = p["driver"], _other(p["driver"])
    m = model()
    s = _swapped(p, fresh=False)
    done = pipeline.finish(s, FRAME_SIZE, p["colour"])
    own = m.decode(s.latent, driver)
    truth = pipeline.aligned_crop(other, _face_params(p)).pixels
    mask_rgb = [v for v in done.mask for _ in range(3)]
    slots = {
        "frame": frame_svg(done.frame, done.view, s.crop, f"{driver}’s frame"),
        "crop": _figure(s.crop.pixels, 64, "aligned crop", f"{driver}'s face, aligned and cropped", "is-input"),
        "own": _figure(own, 64, f"through decoder {driver}", f"{driver}'s crop rebuilt by decoder {driver}",
                       "is-own"),
        "mask": _figure(mask_rgb, 64, "mask from the landmarks", "the blending mask: white where the swap is used",
                        "is-mask"),
        "composite": frame_svg(done.pixels, done.view, s.crop, f"{driver}’s frame with {other}’s face",
                               "is-composite"),
        "truth": _figure(truth, 64, f"{other} really making it", f"ground truth: {other} rendered with the same "
                         "parameters, aligned and cropped", "is-truth"),
    }
    metrics = m.entry.get("metrics", {})
    psnr = _psnr(s.pixels, truth) if p["k"] == 0 else None
    readouts = {
        "Who drives": f"{driver} drives; decoder {other} wears the expression",
        "Alignment": f"turned {s.crop.alignment.degrees:+.1f}°, scaled ×{s.crop.alignment.scale:.2f}",
        "Latent vector": f"{len(s.latent)} numbers: " + ", ".join(f"{v:+.1f}" for v in s.latent[:4]) + ", …",
        "This swap vs. ground truth": (f"PSNR {psnr:.1f} dB" if psnr is not None
                                       else "— (the smile direction moves it off the ground truth)"),
        "Colour match": COLOURS[p["colour"]],
        "Held-out swaps (A→B)": (f"SSIM {metrics.get('swap_ssim', 0):.3f}, PSNR {metrics.get('swap_psnr', 0):.1f} dB; "
                                 f"pixel blend {metrics.get('blend_ssim', 0):.3f}, PCA {metrics.get('pca_ssim', 0):.3f}"),
        "Smile direction k": f"{p['k']:+.2f}",
    }
    slots["readouts"] = readouts_html(readouts)
    return {"slots": slots, "params": p, "psnr": psnr, "driver": driver}


def view(**params) -> dict:
    """Both halves at once (the pre-rendered state, tests, the command line)."""
    first, rest = swap(**params), finish(**params)
    return {**rest, "slots": {**first["slots"], **rest["slots"]}, "latent": first["latent"]}


SLOTS = ("frame", "crop", "swap", "mask", "composite", "own", "truth")


def figure_html(slots: dict) -> str:
    """The pipeline left to right, then the checks; the same markup live and pre-rendered."""
    arrow = '<span class="swap-arrow" aria-hidden="true">→</span>'
    stages = arrow.join(f'<div class="swap-stage" data-slot="{name}">{slots.get(name, "")}</div>'
                        for name in ("frame", "crop", "swap", "mask", "composite"))
    checks = "".join(f'<div class="swap-stage" data-slot="{name}">{slots.get(name, "")}</div>'
                     for name in ("own", "truth"))
    return (f'<div class="swap-pipeline">{stages}</div><div class="swap-checks">{checks}</div>'
            f'<div data-slot="latent">{slots.get("latent", "")}</div>')


def controls() -> dict:
    """What the UI is built from, so that the face's ranges and defaults live only here and in
    py_runtime.faces: each slider (label, key, min, max, step), the defaults, the colour modes."""
    sliders = [[SLIDER_LABELS[name], name, low, high, SLIDER_STEP] for name, (low, high, _) in faces.PARAMS.items()]
    return {"sliders": sliders, "k": ["Smile direction k", "k", *K_RANGE, K_STEP], "defaults": DEFAULTS,
            "colours": [[value, label[0].upper() + label[1:]] for value, label in COLOURS.items()]}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="demo-figure">{figure_html(state["slots"])}</div>{state["slots"]["readouts"]}'}


# One slider move (smile), as `make bench` times it in the browser: first the swap, then the rest.
INTERACTION = ("swap", {**faces.DEFAULT_PARAMS, "smile": -0.4, "yaw": 0.3, "k": 0.0, "driver": "A"})
INTERACTION_AFTER = ("finish", INTERACTION[1])


def bench_swap() -> dict:
    """One swap alone (encode A's default aligned crop, decode it with B), for timing it in the browser."""
    m = model()
    crop = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS).pixels
    out = m.swap(crop, "B")
    return {"pixels": len(out), "backend": m.backend}
