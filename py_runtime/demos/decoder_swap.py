"""`decoder-swap`: the deepfake mechanism, live. One encoder, one decoder per person.

The reader sets the driver's expression and pose; the driver's face is rendered (the
procedural renderer, py_runtime.faces), encoded by the shared encoder into a 16-number
latent vector, and decoded twice: by the driver's own decoder (a reconstruction) and by
the other person's decoder (the swap). Beside them, the ground truth: the other person
really rendered with the same parameters, and how far the swap is from it. A "smile
direction" in the latent space (from labelled training faces) can be added with strength k.
"""
from __future__ import annotations

import math
from html import escape

from .. import faces
from .. import swap as swap_model
from .svg import Figure, readouts_html

DEFAULTS = {**faces.DEFAULT_PARAMS, "k": 0.0, "driver": "A"}
K_RANGE = (-2.0, 2.0)
LABELS = {
    "smile": "Smile", "mouth_open": "Mouth open", "eyes_open": "Eyes open", "gaze_x": "Gaze left–right",
    "gaze_y": "Gaze up–down", "yaw": "Head turn (yaw)", "pitch": "Head nod (pitch)", "roll": "Head tilt (roll)",
    "light": "Light direction",
}

_model = []


def model():
    if not _model:
        _model.append(swap_model.load())
    return _model[0]


def _clean(params: dict) -> dict:
    out = faces.clean_params(params)
    try:
        k = float(params.get("k", 0.0))
    except (TypeError, ValueError):
        k = 0.0
    out["k"] = min(max(k, K_RANGE[0]), K_RANGE[1]) if math.isfinite(k) else 0.0
    driver = params.get("driver", "A")
    out["driver"] = driver if driver in ("A", "B") else "A"
    return out


def _key(p: dict) -> tuple:
    return tuple(round(p[name], 4) for name in faces.PARAM_NAMES)


def _render(who: str, key: tuple) -> list:
    return faces.render(who, dict(zip(faces.PARAM_NAMES, key)))


def _decode(who: str, z) -> list:
    return model().decode(list(z), who)


def _psnr(a, b) -> float:
    mse = sum((x - y) * (x - y) for x, y in zip(a, b)) / len(a)
    return 10.0 * math.log10(1.0 / max(mse, 1e-10))


def _face(pixels, caption: str, alt: str, cls: str) -> str:
    return (f'<figure class="swap-face {cls}"><img src="{faces.data_uri(pixels)}" width="64" height="64" '
            f'alt="{escape(alt)}"><figcaption>{caption}</figcaption></figure>')


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


def view(**params) -> dict:
    p = _clean(params)
    m = model()
    driver = p["driver"]
    other = "B" if driver == "A" else "A"
    key = _key(p)
    face = _render(driver, key)
    truth = _render(other, key)
    z = m.encode(face)                      # no caching: every call does the full work it shows
    d = m.smile_direction
    if p["k"]:
        z = [zi + p["k"] * di for zi, di in zip(z, d)]
    own = _decode(driver, z)
    swapped = _decode(other, z)
    entry = m.entry
    metrics = entry.get("metrics", {})

    faces_html = (
        '<div class="swap-faces">'
        + _face(face, f"{driver}’s face (rendered)", f"{driver}'s face, rendered from the sliders", "is-input")
        + _face(own, f"through decoder {driver}", f"{driver}'s face rebuilt by decoder {driver}", "is-own")
        + _face(swapped, f"through decoder {other}: the swap", f"the swap: {other}'s decoder wearing "
                f"{driver}'s expression", "is-swap")
        + _face(truth, f"{other} really making it", f"ground truth: {other} rendered with the same parameters",
                "is-truth")
        + "</div>")
    svg = latent_svg(z, entry.get("latent_range", {}), d if p["k"] == 0 else None,
                     title="The shared latent vector, one bar per number")
    psnr = _psnr(swapped, truth) if p["k"] == 0 else None
    readouts = {
        "Who drives": f"{driver} drives; decoder {other} wears the expression",
        "Latent vector": f"{len(z)} numbers: " + ", ".join(f"{v:+.1f}" for v in z[:4]) + ", …",
        "This swap vs. ground truth": (f"PSNR {psnr:.1f} dB" if psnr is not None
                                       else "— (the smile direction moves it off the ground truth)"),
        "Held-out swaps (A→B)": (f"SSIM {metrics.get('swap_ssim', 0):.3f}, PSNR {metrics.get('swap_psnr', 0):.1f} dB; "
                                 f"pixel blend {metrics.get('blend_ssim', 0):.3f}, PCA {metrics.get('pca_ssim', 0):.3f}"),
        "Smile direction k": f"{p['k']:+.2f}",
    }
    svg += ('<p class="swap-latent-caption">The latent vector: one bar per number, each axis scaled to its range '
            'on held-out faces' + ('; orange ticks: the smile direction.</p>' if p["k"] == 0 else
                                   f'; now shifted by {p["k"]:+.1f} × the smile direction.</p>'))
    return {"faces": faces_html, "svg": svg, "readouts": readouts_html(readouts), "params": p,
            "latent": list(z), "psnr": psnr, "driver": driver}


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="demo-figure">{state["faces"]}{state["svg"]}</div>{state["readouts"]}'}


# One slider move (smile), as `make bench` times it in the browser.
INTERACTION = ("view", {**faces.DEFAULT_PARAMS, "smile": -0.4, "yaw": 0.3, "k": 0.0, "driver": "A"})


def bench_swap() -> dict:
    """One swap alone (encode A's default face, decode it with B), for timing it in the browser."""
    m = model()
    face = _render("A", _key(faces.DEFAULT_PARAMS))
    out = m.swap(face, "B")
    return {"pixels": len(out), "backend": m.backend}
