"""`latent-explorer`: walk over the 2-D autoencoder's latent map and watch the decoder draw.

Every point z = (z1, z2) of the plane is a code the decoder can turn into a 28×28 picture,
also where no training digit landed. The reader moves a crosshair over the map of 2,000
encoded test digits (coloured by class; see `latent_map`) and sees decode(z), large.

A check on what was drawn: the picture is passed through the encoder again. If the
decoder drew a digit the encoder recognises, it lands back near z, and near the centroid
of the class whose territory z is in:

    z  →  decode(z)  →  encode(decode(z)) = z'      nearest class centroid of z'

The pointer arrives in map units (u, v) ∈ [0, 1]², which `latent_map.to_latent` turns
back into z through the map's axis stretch; the keyboard and the class menu send z itself.
"""
from __future__ import annotations

import math
from html import escape

from ..params import choice, flag, number
from ._lib import latent_map as lm
from ._lib.svg import readouts_html

START = (-6.5, -3.0)               # the first point: a clear 7, beside (not on) its centroid label
DEFAULTS = {"axes": "stretched", "u": None, "v": None, "x": None, "y": None}


def _default_point() -> list[float]:
    return list(START)


def _clean(params: dict) -> dict:
    """Map position (u, v) wins when both are finite numbers; else latent (x, y); else the default.

    Everything is clamped to the map, so NaN, ±inf, strings and 1e308 all give a picture."""
    axes = choice(params.get("axes"), lm.AXES, lm.AXES[0])
    u, v = number(params.get("u"), math.nan, 0.0, 1.0), number(params.get("v"), math.nan, 0.0, 1.0)
    if u == u and v == v:                                    # both finite
        z = lm.to_latent(u, v, axes)
    else:
        default = _default_point()
        x0, x1, y0, y1 = lm.latent_bounds(axes)
        z = [number(params.get("x"), default[0], x0, x1), number(params.get("y"), default[1], y0, y1)]
        u, v = lm.to_view(z, axes)
    return {"axes": axes, "u": round(u, 5), "v": round(v, 5), "x": round(z[0], 4), "y": round(z[1], 4)}


def view(include_map: bool = False, **params) -> dict:
    p = _clean(params)
    model = lm.model()
    z = [p["x"], p["y"]]
    picture = model.decode(z)
    again = model.encode(picture)
    here, _ = lm.nearest(z)
    back, back_distance = lm.nearest(again)
    readouts = {
        "Latent point z": lm.fmt_point(z),
        "Nearest class centroid": str(here),
        "10 nearest map dots": lm.neighbours(z),
        "Re-encoded nearest class": f"{back} (z′ = {lm.fmt_point(again)}, {back_distance:.2f} from its centroid)",
    }
    state = {
        "overlay": lm.overlay_svg(z, p["axes"], crosshair=True),
        "digit": lm.png_uri(picture),
        "digit_alt": f"The decoder's picture at z = {lm.fmt_point(z)}",
        "readouts": readouts_html(readouts),
        "nearest": here, "reencoded": again, "reencoded_class": back,
        "params": p,
    }
    if flag(include_map):
        state["map"] = lm.map_layer(p["axes"])
    return state


def layout(state: dict) -> str:
    """The whole figure; the live UI uses the same markup and swaps the changing parts."""
    p = state["params"]
    return (
        '<div class="le-layout">'
        f'<div class="le-map demo-figure" data-figure>'
        f'<div class="le-layer" data-map>{lm.map_svg(p["axes"])}</div>'
        f'<div class="le-overlay" data-overlay>{state["overlay"]}</div></div>'
        '<div class="le-side">'
        f'<img class="le-digit" data-digit src="{state["digit"]}" alt="{escape(state["digit_alt"])}" width="28" height="28">'
        f'<div data-readouts>{state["readouts"]}</div></div></div>'
        f'{lm.legend_html()}'
    )


def initial(**params) -> dict:
    params.pop("include_map", None)                          # the first answer always brings the map
    state = view(include_map=True, **params)
    state["html"] = layout(state)
    return state


def prerender() -> dict:
    return {"html": layout(view(**DEFAULTS))}


# One pointer move over the map, as `make bench` times it.
INTERACTION = ("view", {"axes": "stretched", "u": 0.43, "v": 0.37})
