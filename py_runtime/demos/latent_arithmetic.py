"""`latent-arithmetic`: a − b + c on the codes of a 16-D autoencoder, every step decoded.

Each operand is a latent code: either a real sample digit passed through the encoder,
or a class centroid (the mean code of that class's training digits, from the manifest).
The result scales the direction from b to c by an intensity k:

    r = a + k·(c − b)          (k = 1: a − b + c; k = 0: a itself)

and a second slider walks the path from a to r, straight (lerp) or along the arc
(slerp), to p. The distances from r and p to the ten class centroids say where in the
latent space they landed; the decoder says what it draws there.

Nothing labelled any latent axis during training: c − b is just a difference of codes.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

from .. import latent
from ..params import choice, integer, number
from ._lib import mnist_data, models
from ._lib.digits_view import img
from ._lib.svg import readouts_html

MODEL = "mnist-ae-16d"
CLASSES = 10
SAMPLES = 20
CENTROID = -1                     # `which` for "the class centroid" rather than a sample digit
OPERANDS = ("a", "b", "c")
METHODS = {"linear": latent.lerp, "spherical": latent.slerp}
DEFAULTS = {"a_class": 2, "a_which": 18, "b_class": 2, "b_which": CENTROID, "c_class": 3, "c_which": CENTROID,
            "k": 1.0, "s": 1.0, "method": "linear"}
LIMITS = {"k": (-1.0, 2.0), "s": (0.0, 1.0)}


def _clean(params: dict) -> dict:
    """Anything out of range, non-numeric or non-finite (a huge integer, NaN, a string, a list)
    falls back to a safe value, through params.integer / params.number."""
    out = {}
    for name in OPERANDS:
        out[f"{name}_class"] = integer(params.get(f"{name}_class"), DEFAULTS[f"{name}_class"], 0, CLASSES - 1)
        out[f"{name}_which"] = integer(params.get(f"{name}_which"), DEFAULTS[f"{name}_which"], CENTROID, SAMPLES - 1)
    for key, (low, high) in LIMITS.items():
        out[key] = round(number(params.get(key), DEFAULTS[key], low, high), 4)
    out["method"] = choice(params.get("method"), METHODS, DEFAULTS["method"])
    return out


def _model():
    return models.get(MODEL)


def centroids() -> dict:
    return _model().centroids


@lru_cache(maxsize=128)
def operand(label: int, which: int) -> tuple:
    """The latent code of an operand: a class centroid (which = −1) or an encoded sample digit."""
    if which == CENTROID:
        return tuple(centroids()[label])
    return tuple(_model().encode(mnist_data.digit(label, which)))


def describe(label: int, which: int) -> str:
    return f"centroid of {label}s" if which == CENTROID else f"{label}, sample {which + 1}"


@lru_cache(maxsize=128)
def _picture(label: int, which: int, cls: str) -> str:
    z = operand(label, which)
    return img(_model().decode(z), f"decoded {describe(label, which)}", cls)


def combine(a, b, c, k: float) -> list:
    """r = a + k·(c − b)."""
    return latent.add(a, latent.scale(latent.subtract(c, b), k))


def distances(z) -> dict:
    """Euclidean distance from z to each class centroid."""
    return {label: latent.distance(z, centre) for label, centre in sorted(centroids().items())}


def _nearest(dist: dict) -> int:
    return min(dist, key=dist.get)


def _term(html_img: str, name: str, caption: str, extra: str = "") -> str:
    return (f'<figure class="arith-term{extra}">{html_img}<figcaption><strong>{escape(name)}</strong> '
            f'<span>{escape(caption)}</span></figcaption></figure>')


def _table(dist_r: dict, dist_p: dict, s: float) -> str:
    near_r, near_p = _nearest(dist_r), _nearest(dist_p)
    rows = []
    for label in dist_r:
        cells = []
        for dist, near in ((dist_r, near_r), (dist_p, near_p)):
            mark = ' class="nearest"' if label == near else ""
            cells.append(f"<td{mark}>{dist[label]:.2f}{' ◀' if label == near else ''}</td>")
        row_mark = ' class="nearest-row"' if label == near_r else ""
        rows.append(f'<tr{row_mark}><th scope="row"><span class="centroid-label">'
                    f'{_picture(label, CENTROID, "digit digit-tiny")}<span>{label}</span></span></th>'
                    f'{"".join(cells)}</tr>')
    return ('<table class="arith-distances"><caption>Distance to each class centroid '
            '(Euclidean, in the 16-D latent space)</caption><thead><tr><th scope="col">centroid</th>'
            f'<th scope="col">from r</th><th scope="col">from p (s = {s:.2f})</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


NOTE = ("Honest caveat: c − b is only the difference between two codes. Training never labelled any "
        "direction of this space (there is no “slant” or “eight-ness” axis); the arithmetic works as far "
        "as the classes happen to sit in separate regions, and the decoder draws whatever it learned near "
        "the new point. Try a sample digit as a and see how much of its style survives.")


def _offset_note(p: dict, dist_a: dict, dist_r: dict) -> str:
    """With centroids for b and c and k = 1, r − c = a − b: a's offset from b carried over to c."""
    if p["b_which"] != CENTROID or p["c_which"] != CENTROID or p["k"] != 1.0:
        return ""
    b, c = p["b_class"], p["c_class"]
    return (f" Here r is exactly as far from the centroid of {c}s ({dist_r[c]:.2f}) as a is from the "
            f"centroid of {b}s ({dist_a[b]:.2f}): r − c = a − b, so a's offset from the average {b} is "
            f"carried over to the {c} in code space; whether that offset looks like thickness or slant "
            f"is for the decoder, and your eyes, to say.")


def view(**params) -> dict:
    p = _clean(params)
    keys = {name: (p[f"{name}_class"], p[f"{name}_which"]) for name in OPERANDS}
    za, zb, zc = (operand(*keys[name]) for name in OPERANDS)
    r = combine(za, zb, zc, p["k"])
    point = METHODS[p["method"]](za, r, p["s"])
    model = _model()
    r_pixels = model.decode(r)
    p_pixels = r_pixels if p["s"] == 1.0 else model.decode(point)
    dist_r, dist_p, dist_a = distances(r), distances(point), distances(za)
    near_r, near_p = _nearest(dist_r), _nearest(dist_p)
    k = p["k"]

    equation = ('<div class="arith-equation">'
                + _term(_picture(*keys["a"], "digit digit-term"), "a", describe(*keys["a"]))
                + f'<span class="arith-op">+ {k:.2f}·(</span>'
                + _term(_picture(*keys["c"], "digit digit-term"), "c", describe(*keys["c"]))
                + '<span class="arith-op">−</span>'
                + _term(_picture(*keys["b"], "digit digit-term"), "b", describe(*keys["b"]))
                + '<span class="arith-op">) =</span>'
                + _term(img(r_pixels, f"decoded result r, nearest the centroid of {near_r}s", "digit digit-term",
                            'data-result="r"'), "r", f"nearest centroid: {near_r}", " arith-result")
                + "</div>")
    verb = "lerp" if p["method"] == "linear" else "slerp"
    path = (f'<figure class="arith-point"><figcaption><strong>p = {verb}(a, r, s)</strong> '
            f'<span>s = {p["s"]:.2f}: {"a itself" if p["s"] == 0 else "r itself" if p["s"] == 1 else "on the way"}'
            f'</span></figcaption>'
            + img(p_pixels, f"decoded path point p at s = {p['s']:.2f}, nearest the centroid of {near_p}s",
                  "digit digit-large", 'data-result="p"')
            + "</figure>")
    step = latent.norm(latent.scale(latent.subtract(zc, zb), k))
    readouts = {
        "Nearest centroid to r": f"{near_r} (distance {dist_r[near_r]:.2f})",
        "Nearest centroid to p": f"{near_p} (distance {dist_p[near_p]:.2f})",
        "Step length ‖k·(c − b)‖": f"{step:.2f}",
        "For scale: a to its nearest centroid": f"{_nearest(dist_a)} (distance {dist_a[_nearest(dist_a)]:.2f})",
        "‖r‖ vs ‖a‖": f"{latent.norm(r):.2f} vs {latent.norm(za):.2f}",
    }
    return {
        "equation": equation,
        "body": f'<div class="arith-body">{path}{_table(dist_r, dist_p, p["s"])}</div>',
        "readouts": readouts_html(readouts),
        "note": f'<p class="arith-note">{escape(NOTE + _offset_note(p, dist_a, dist_r))}</p>',
        "result": r, "point": point, "nearest": near_r, "nearest_point": near_p,
        "distances": [dist_r[label] for label in sorted(dist_r)],
        "params": p,
    }


def prerender() -> dict:
    state = view(**DEFAULTS)
    return {"html": f'<div class="arith-view">{state["equation"]}{state["body"]}{state["readouts"]}'
                    f'{state["note"]}</div>'}


INTERACTION = ("view", {**DEFAULTS, "k": 1.35, "s": 0.6})
