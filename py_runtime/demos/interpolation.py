"""`interpolation`: blending two digits in pixel space (ghosts) beside a morph in latent space.

The reader picks two real MNIST digits a and b and a mix t in [0, 1]. Two answers to
"what is halfway between a and b?":

    pixel blend    (1 − t)·a + t·b                      (a straight line between two images)
    latent morph   decode((1 − t)·z_a + t·z_b)           (z = encode(image), 16-D autoencoder)

The pixel blend is two faint digits on top of each other: a ghost. The morph is the
decoder's picture of a point between the two codes, which usually looks like one digit.
How "digit-like" each picture is gets a number: pass it through the autoencoder again
and measure how much it changes (mean squared error per pixel). The autoencoder was
trained to reproduce real digits, so a picture it reproduces badly is unlike them.
"""
from __future__ import annotations

import math
from functools import lru_cache
from html import escape

from .. import latent
from . import mnist_data, models
from .digits_view import img, mse
from .svg import readouts_html
from .params import integer as _int

MODEL = "mnist-ae-16d"
CLASSES = 10
SAMPLES = 20                      # sample digits per class in mnist-digits
STRIP = 7                         # steps shown for the whole path, t = 0, 1/6, …, 1
DEFAULTS = {"a_class": 0, "a_index": 0, "b_class": 1, "b_index": 0, "t": 0.5}


def _clean(params: dict) -> dict:
    """Anything out of range, non-numeric or non-finite falls back to a safe value."""
    out = {}
    for side in ("a", "b"):
        out[f"{side}_class"] = _int(params.get(f"{side}_class"), DEFAULTS[f"{side}_class"], 0, CLASSES - 1)
        out[f"{side}_index"] = _int(params.get(f"{side}_index"), DEFAULTS[f"{side}_index"], 0, SAMPLES - 1)
    try:
        t = float(params.get("t", DEFAULTS["t"]))
    except (TypeError, ValueError):
        t = DEFAULTS["t"]
    out["t"] = round(min(max(t, 0.0), 1.0), 3) if math.isfinite(t) else DEFAULTS["t"]
    return out


def _model():
    return models.get(MODEL)


@lru_cache(maxsize=64)
def _digit(label: int, which: int):
    """(pixels, latent code, reconstruction error) of one sample digit, computed once."""
    pixels = mnist_data.digit(label, which)
    z = _model().encode(pixels)
    return pixels, z, mse(pixels, _model().decode(z))


def pixel_blend(a, b, t: float) -> list:
    return [(1.0 - t) * x + t * y for x, y in zip(a, b)]


def latent_morph(z_a, z_b, t: float) -> list:
    return _model().decode(latent.lerp(z_a, z_b, t))


def reencode_error(pixels) -> tuple[float, list]:
    """(MSE between a picture and the autoencoder's reconstruction of it, the reconstruction)."""
    again = _model().reconstruct(pixels)
    return mse(pixels, again), again


def _name(label: int, which: int) -> str:
    return f"{label}, sample {which + 1}"


@lru_cache(maxsize=16)
def _strip(a_key: tuple, b_key: tuple) -> tuple:
    """The whole path in STRIP steps, both ways, as <img> tags: (pixel blends, latent morphs)."""
    a, z_a, _ = _digit(*a_key)
    b, z_b, _ = _digit(*b_key)
    ts = [i / (STRIP - 1) for i in range(STRIP)]
    blends = tuple(img(pixel_blend(a, b, t), f"pixel blend, t = {t:.2f}", "digit digit-strip") for t in ts)
    morphs = tuple(img(latent_morph(z_a, z_b, t), f"latent morph, t = {t:.2f}", "digit digit-strip") for t in ts)
    return blends, morphs


@lru_cache(maxsize=64)
def _thumb(label: int, which: int) -> str:
    return img(_digit(label, which)[0], f"digit {_name(label, which)}", "digit digit-thumb")


def _frame(a_key: tuple, b_key: tuple, t: float) -> dict:
    a, z_a, _ = _digit(*a_key)
    b, z_b, _ = _digit(*b_key)
    blend = pixel_blend(a, b, t)
    morph = latent_morph(z_a, z_b, t)
    blend_error, blend_again = reencode_error(blend)
    morph_error, morph_again = reencode_error(morph)
    return {"blend": blend, "morph": morph, "blend_error": blend_error, "morph_error": morph_error,
            "blend_again": blend_again, "morph_again": morph_again}


def _panel(kind: str, title: str, formula: str, pixels, again, error: float, t: float) -> str:
    return (f'<figure class="interp-panel interp-{kind}">'
            f'<figcaption><strong>{escape(title)}</strong> <span class="interp-formula">{escape(formula)}</span></figcaption>'
            + img(pixels, f"{title} at t = {t:.2f}", "digit digit-large", f'data-panel="{kind}"')
            + '<div class="interp-again">'
            + img(again, f"the autoencoder's reconstruction of the {title.lower()}", "digit digit-small",
                  f'data-again="{kind}"')
            + f'<span>after the autoencoder (error {error:.4f})</span></div></figure>')


def _strip_html(a_key, b_key, t: float, interactive: bool) -> str:
    blends, morphs = _strip(a_key, b_key)
    nearest = round(t * (STRIP - 1))
    rows = []
    for kind, label, images in (("pixels", "pixel blend", blends), ("latent", "latent morph", morphs)):
        cells = []
        for i, picture in enumerate(images):
            step_t = i / (STRIP - 1)
            current = " current" if i == nearest else ""
            if interactive:
                cells.append(f'<button type="button" class="strip-step{current}" data-t="{step_t:.4f}" '
                             f'aria-label="Show t = {step_t:.2f}">{picture}</button>')
            else:
                cells.append(f'<span class="strip-step{current}">{picture}</span>')
        rows.append(f'<div class="strip-row"><span class="strip-label">{label}</span>'
                    f'<div class="strip-cells">{"".join(cells)}</div></div>')
    ticks = "".join(f"<span>{i}/{STRIP - 1}</span>" if 0 < i < STRIP - 1 else f"<span>{i // (STRIP - 1)}</span>"
                    for i in range(STRIP))
    return (f'<div class="interp-strip" role="group" aria-label="The whole path from a to b in {STRIP} steps">'
            + "".join(rows)
            + f'<div class="strip-row strip-ticks" aria-hidden="true"><span class="strip-label">t</span>'
            f'<div class="strip-cells">{ticks}</div></div></div>')


def view(**params) -> dict:
    p = _clean(params)
    a_key, b_key, t = (p["a_class"], p["a_index"]), (p["b_class"], p["b_index"]), p["t"]
    a_error, b_error = _digit(*a_key)[2], _digit(*b_key)[2]
    frame = _frame(a_key, b_key, t)
    panels = ('<div class="interp-panels">'
              + _panel("pixels", "Pixel blend", "(1−t)·a + t·b", frame["blend"], frame["blend_again"],
                       frame["blend_error"], t)
              + _panel("latent", "Latent morph", "decode((1−t)·z_a + t·z_b)", frame["morph"], frame["morph_again"],
                       frame["morph_error"], t)
              + "</div>")
    ratio = frame["blend_error"] / max(frame["morph_error"], 1e-9)
    readouts = {
        "Re-encoding error, pixel blend": f"{frame['blend_error']:.4f}",
        "Re-encoding error, latent morph": f"{frame['morph_error']:.4f}",
        "For scale: the real digits a, b": f"{a_error:.4f}, {b_error:.4f}",
        "Ghost factor (blend ÷ morph)": f"{ratio:.1f}×" if ratio < 1000 else "over 1000×",
    }
    return {
        "panels": panels,
        "strip": _strip_html(a_key, b_key, t, interactive=True),
        "readouts": readouts_html(readouts),
        "a_img": _thumb(*a_key),
        "b_img": _thumb(*b_key),
        "blend_error": frame["blend_error"], "morph_error": frame["morph_error"],
        "params": p,
    }


def prerender() -> dict:
    state = view(**DEFAULTS)
    p = state["params"]
    static_strip = _strip_html((p["a_class"], p["a_index"]), (p["b_class"], p["b_index"]), p["t"], interactive=False)
    caption = (f'<p class="interp-static-note">a: {escape(_name(p["a_class"], p["a_index"]))} · '
               f'b: {escape(_name(p["b_class"], p["b_index"]))} · t = {p["t"]:.2f}</p>')
    return {"html": f'<div class="interp-view">{caption}{state["panels"]}{state["readouts"]}{static_strip}</div>'}


INTERACTION = ("view", {**DEFAULTS, "t": 0.37})
