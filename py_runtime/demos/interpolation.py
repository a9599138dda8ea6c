"""`interpolation`: blending two digits in pixel space (ghosts) beside a morph in latent space.

The reader picks two real MNIST digits a and b and a mix t in [0, 1]. Two answers to
"what is halfway between a and b?":

    pixel blend    (1 − t)·a + t·b                      (a straight line between two images)
    latent morph   decode((1 − t)·z_a + t·z_b)           (z = encode(image), 16-D autoencoder)

The pixel blend is two faint digits on top of each other: a ghost. The morph is the
decoder's picture of a point between the two codes: one shape, though not always a whole
one. Two numbers judge each picture:

    re-encoding score   s(x) = ‖x − AE(x)‖² / (‖x‖² + ‖AE(x)‖²)     (AE = decode ∘ encode)
    pieces of ink       how many separate blobs the pixels ≥ INK form

The plain re-encoding error, the mean of (x − AE(x))², is in pixel units: a picture with
little ink has little to get wrong, and a blank page can beat every real digit. The score
divides by the ink energy of the picture and of its reconstruction, so it asks what share
of the two differs. Pixels are ≥ 0, so x·AE(x) ≥ 0 and, from
‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y, the score lies in [0, 1]: 0 when the autoencoder returns
the picture unchanged, 1 when the two share no ink, which is what a blank page scores.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from html import escape

from .. import latent
from ..params import integer, number
from ._lib import mnist_data, models
from ._lib.digits_view import img, mse
from ._lib.svg import readouts_html

MODEL = "mnist-ae-16d"
CLASSES = 10
SAMPLES = 20                      # sample digits per class in mnist-digits
SIDE = 28
STRIP = 7                         # steps shown for the whole path, t = 0, 1/6, …, 1
INK = 0.5                         # a pixel at least half inked is ink, when counting pieces
DEFAULTS = {"a_class": 0, "a_index": 0, "b_class": 1, "b_index": 0, "t": 0.5}


def _clean(params: dict) -> dict:
    """Anything out of range, non-numeric or non-finite falls back to a safe value."""
    out = {}
    for side in ("a", "b"):
        out[f"{side}_class"] = integer(params.get(f"{side}_class"), DEFAULTS[f"{side}_class"], 0, CLASSES - 1)
        out[f"{side}_index"] = integer(params.get(f"{side}_index"), DEFAULTS[f"{side}_index"], 0, SAMPLES - 1)
    out["t"] = round(number(params.get("t"), DEFAULTS["t"], 0.0, 1.0), 3)
    return out


def _model():
    return models.get(MODEL)


@lru_cache(maxsize=64)
def _digit(label: int, which: int):
    """(pixels, latent code, re-encoding score) of one sample digit, computed once."""
    pixels = mnist_data.digit(label, which)
    return pixels, _model().encode(pixels), reencode_score(pixels)[0]


def pixel_blend(a, b, t: float) -> list:
    return [(1.0 - t) * x + t * y for x, y in zip(a, b)]


def latent_morph(z_a, z_b, t: float) -> list:
    return _model().decode(latent.lerp(z_a, z_b, t))


def reencode_error(pixels) -> tuple[float, list]:
    """(mean squared difference per pixel between a picture and its reconstruction, the reconstruction).
    Kept to show why the demo does not use it: it rewards pictures with little ink."""
    again = _model().reconstruct(pixels)
    return mse(pixels, again), again


def energy_share(x, y) -> float:
    """‖x − y‖² / (‖x‖² + ‖y‖²): in [0, 1] for pictures with pixels ≥ 0; 0 for two empty pictures."""
    diff = sum((float(p) - float(q)) ** 2 for p, q in zip(x, y, strict=True))
    total = sum(float(p) ** 2 for p in x) + sum(float(q) ** 2 for q in y)
    return diff / total if total > 0 else 0.0


def reencode_score(pixels) -> tuple[float, list]:
    """(s(x) = ‖x − AE(x)‖² / (‖x‖² + ‖AE(x)‖²), AE(x)): how much of the picture the autoencoder
    changes, as a share of the ink energy, so that a faint or empty picture cannot score well by
    having little to get wrong. 0 is unchanged; 1 means no ink in common (a blank page)."""
    again = _model().reconstruct(pixels)
    return energy_share(pixels, again), again


def ink_blobs(pixels, threshold: float = INK) -> list[list[int]]:
    """The separate pieces of ink, largest first, as lists of pixel indices: pixels ≥ threshold,
    joined when they touch at a side or a corner."""
    ink = {i for i, v in enumerate(pixels) if v >= threshold}
    blobs = []
    while ink:
        blob, stack = [], [ink.pop()]
        while stack:
            here = stack.pop()
            blob.append(here)
            row, col = divmod(here, SIDE)
            for r in (row - 1, row, row + 1):
                for c in (col - 1, col, col + 1):
                    if 0 <= r < SIDE and 0 <= c < SIDE and r * SIDE + c in ink:
                        ink.discard(r * SIDE + c)
                        stack.append(r * SIDE + c)
        blobs.append(sorted(blob))
    return sorted(blobs, key=len, reverse=True)


def ink_pieces(pixels, threshold: float = INK) -> int:
    """How many separate pieces the ink falls into. A handwritten digit is nearly always one piece;
    a morph in two or more has a broken stroke."""
    return len(ink_blobs(pixels, threshold))


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
    blend_score, blend_again = reencode_score(blend)
    morph_score, morph_again = reencode_score(morph)
    return {"blend": blend, "morph": morph, "blend_score": blend_score, "morph_score": morph_score,
            "blend_again": blend_again, "morph_again": morph_again, "morph_pieces": ink_pieces(morph)}


def _panel(kind: str, title: str, formula: str, pixels, again, score: float, t: float) -> str:
    return (f'<figure class="interp-panel interp-{kind}">'
            f'<figcaption><strong>{escape(title)}</strong> <span class="interp-formula">{escape(formula)}</span></figcaption>'
            + img(pixels, f"{title} at t = {t:.2f}", "digit digit-large", f'data-panel="{kind}"')
            + '<div class="interp-again">'
            + img(again, f"the autoencoder's reconstruction of the {title.lower()}", "digit digit-small",
                  f'data-again="{kind}"')
            + f'<span>after the autoencoder (score {score:.4f})</span></div></figure>')


def _pieces_text(pieces: int) -> str:
    if pieces == 0:
        return "0 (no pixel at half ink)"
    return "1" if pieces == 1 else f"{pieces}: a broken stroke"


def _fraction(i: int, n: int) -> str:
    """i/n in lowest terms, as the chapter's figure and video label the steps: 0, 1/6, 1/3, 1/2, …, 1."""
    t = Fraction(i, n)
    return str(t.numerator) if t.denominator == 1 else f"{t.numerator}/{t.denominator}"


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
    ticks = "".join(f"<span>{_fraction(i, STRIP - 1)}</span>" for i in range(STRIP))
    return (f'<div class="interp-strip" role="group" aria-label="The whole path from a to b in {STRIP} steps">'
            + "".join(rows)
            + f'<div class="strip-row strip-ticks" aria-hidden="true"><span class="strip-label">t</span>'
            f'<div class="strip-cells">{ticks}</div></div></div>')


def view(**params) -> dict:
    p = _clean(params)
    a_key, b_key, t = (p["a_class"], p["a_index"]), (p["b_class"], p["b_index"]), p["t"]
    a_score, b_score = _digit(*a_key)[2], _digit(*b_key)[2]
    frame = _frame(a_key, b_key, t)
    panels = ('<div class="interp-panels">'
              + _panel("pixels", "Pixel blend", "(1−t)·a + t·b", frame["blend"], frame["blend_again"],
                       frame["blend_score"], t)
              + _panel("latent", "Latent morph", "decode((1−t)·z_a + t·z_b)", frame["morph"], frame["morph_again"],
                       frame["morph_score"], t)
              + "</div>")
    ratio = frame["blend_score"] / max(frame["morph_score"], 1e-9)
    readouts = {
        "Re-encoding score, pixel blend": f"{frame['blend_score']:.4f}",
        "Re-encoding score, latent morph": f"{frame['morph_score']:.4f}",
        "For scale: the real digits a, b": f"{a_score:.4f}, {b_score:.4f}",
        "Ghost factor (blend ÷ morph)": f"{ratio:.1f}×" if ratio < 1000 else "over 1000×",
        f"Pieces of ink in the morph (pixels ≥ {INK})": _pieces_text(frame["morph_pieces"]),
    }
    return {
        "panels": panels,
        "strip": _strip_html(a_key, b_key, t, interactive=True),
        "readouts": readouts_html(readouts),
        "a_img": _thumb(*a_key),
        "b_img": _thumb(*b_key),
        "blend_score": frame["blend_score"], "morph_score": frame["morph_score"],
        "morph_pieces": frame["morph_pieces"],
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
