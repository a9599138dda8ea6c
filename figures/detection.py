"""Chapter 13's one real trace: what the site's own face swap leaves in a picture, measured.

The swap's decoder cannot draw fine detail, so its pictures have too little power at high
spatial frequencies. A one-number detector reads that off the spectrum; this module measures
how well it separates swaps from true renders, and how easily it is fooled both ways (a
sharpened swap, a blurred real face). It also looks for the periodic peaks that the decoder's
pixel-shuffle upsampling could leave, and reports how far they stand out.

Everything is read from the manifest entry "faces-swap" (identities, decoder layers), so a
retrained model is measured afresh. Seeds are fixed: the same model gives the same numbers.

Definitions (what the prose quotes):
- luminance Y = 0.299 R + 0.587 G + 0.114 B, per pixel;
- spectrum: |FFT|² of (Y − mean Y) times a 2-D Hann taper (the taper stops the picture's
  edges, which do not wrap around, from posing as fine detail);
- fine-detail share: the spectrum's power at spatial frequencies above FINE cycles per pixel
  (patterns that repeat within 1/FINE pixels) over its power at all frequencies but zero;
- the detector flags a picture whose share is below the lowest share of any true render in a
  calibration set drawn with a different seed from the test set.
"""
from __future__ import annotations

import functools
import random

import numpy as np

from py_runtime import faces, pipeline, swap

CALIBRATION_SEED, TEST_SEED = 1301, 1302
CALIBRATION_SETS, TEST_SETS = 40, 80      # parameter sets; each calibration set renders both people
FINE = 0.25                                # cycles per pixel: detail finer than 4 pixels per cycle
SHARPEN = 1.0                              # unsharp-mask amount: x + SHARPEN · (x − blur(x))
LUMA = np.array([0.299, 0.587, 0.114])
# A worked example of Bayes' rule for the prose: a good detector on a stream where fakes are rare.
BASE_RATE = {"sensitivity": 0.99, "false_positive_rate": 0.01, "prevalence": 0.001}


# -- the measure ---------------------------------------------------------------------------

def _picture(pixels) -> np.ndarray:
    return np.asarray(pixels, dtype=float).reshape(faces.SIZE, faces.SIZE, 3)


@functools.cache
def _taper() -> np.ndarray:
    hann = np.hanning(faces.SIZE)
    return np.outer(hann, hann)


@functools.cache
def _radius() -> np.ndarray:
    """Each FFT bin's spatial frequency, in cycles per pixel (0 to √2/2)."""
    f = np.fft.fftfreq(faces.SIZE)
    return np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)


def spectrum(picture: np.ndarray) -> np.ndarray:
    """Power at each spatial frequency of the tapered, mean-free luminance."""
    y = picture @ LUMA
    return np.abs(np.fft.fft2((y - y.mean()) * _taper())) ** 2


def fine_detail_share(picture: np.ndarray) -> float:
    """Share of the picture's variation carried by detail finer than 1/FINE pixels (0 for a flat picture)."""
    if np.ptp(picture @ LUMA) < 1e-9:         # nothing varies: only rounding noise would be left
        return 0.0
    power, radius = spectrum(picture), _radius()
    return float(power[radius > FINE].sum() / power[radius > 0].sum())


def box_blur(picture: np.ndarray) -> np.ndarray:
    """Each pixel averaged with its 8 neighbours (edges repeated): a light blur."""
    padded = np.pad(picture, ((1, 1), (1, 1), (0, 0)), mode="edge")
    n = faces.SIZE
    return sum(padded[i:i + n, j:j + n] for i in range(3) for j in range(3)) / 9.0


def sharpen(picture: np.ndarray, amount: float = SHARPEN) -> np.ndarray:
    """Unsharp masking, the forger's one-line answer: add back `amount` times the detail a blur removes."""
    return np.clip(picture + amount * (picture - box_blur(picture)), 0.0, 1.0)


# -- the site's swap -----------------------------------------------------------------------

@functools.cache
def _model():
    return swap.load(backend="numpy")


def roles(model) -> tuple[str, str]:
    """(source, target): the swap draws the target's face on the source's performance."""
    names = list(model.identities)
    return names[0], names[-1]


def _faces(seed: int, count: int) -> list[dict]:
    """`count` parameter sets, each rendered for both people and swapped onto the target."""
    model = _model()
    source, target = roles(model)
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        params = faces.random_params(rng)
        driver = _picture(pipeline.aligned_crop(source, params).pixels)
        truth = _picture(pipeline.aligned_crop(target, params).pixels)
        rows.append({"driver": driver, "truth": truth,
                     "swap": _picture(model.swap(driver.ravel(), target)),
                     "rebuilt": _picture(model.swap(truth.ravel(), target))})
    return rows


def shuffle_lattice(model) -> list[tuple[int, int]]:
    """FFT bins where the target decoder's pixel shuffles would put periodic peaks.

    A shuffle from h×h to 2h×2h gives each 2×2 block four different filters, a pattern with a
    period of 2 pixels at 2h, that is SIZE/h pixels in the final picture: frequency index h."""
    _, target = roles(model)
    steps = [spec["input_hw"][0] for spec in model.entry["decoders"][target]
             if spec.get("pixel_shuffle", 1) > 1]
    if not steps:
        return []
    step = min(steps)
    return [(u, v) for u in range(0, faces.SIZE, step) for v in range(0, faces.SIZE, step) if (u, v) != (0, 0)]


def excess_db(made: np.ndarray, true: np.ndarray) -> np.ndarray:
    """How far the swaps' mean spectrum rises above the true renders' at each bin, in decibels,
    beyond the same rise at its ring of neighbours two bins away. Dividing by the truth takes
    out what faces have at that frequency; comparing with the neighbours leaves only a spike."""
    ratio = 10 * np.log10(made / true)
    ring = [np.roll(ratio, (a, b), axis=(0, 1)) for a in (-2, 0, 2) for b in (-2, 0, 2) if (a, b) != (0, 0)]
    return ratio - np.median(ring, axis=0)


def lattice_peaks(made: np.ndarray, true: np.ndarray, lattice) -> dict:
    """The largest excess at the shuffle lattice, and the largest anywhere else (the noise floor
    a lattice peak must beat to be a trace)."""
    excess = excess_db(made, true)
    on = np.zeros(excess.shape, dtype=bool)
    for u, v in lattice:
        on[u, v] = True
    on_or_zero = on.copy()
    on_or_zero[0, 0] = True
    return {"lattice": float(excess[on].max()) if on.any() else 0.0, "elsewhere": float(excess[~on_or_zero].max())}


@functools.cache
def measure() -> dict:
    """Shares for every test picture, the calibrated threshold, and the lattice peaks."""
    model = _model()
    calibration = _faces(CALIBRATION_SEED, CALIBRATION_SETS)
    threshold = min(fine_detail_share(row[k]) for row in calibration for k in ("driver", "truth"))
    test = _faces(TEST_SEED, TEST_SETS)
    groups = {
        "truth": [row["truth"] for row in test],
        "swap": [row["swap"] for row in test],
        "rebuilt": [row["rebuilt"] for row in test],
        "sharpened": [sharpen(row["swap"]) for row in test],
        "blurred": [box_blur(row["truth"]) for row in test],
    }
    shares = {k: np.array([fine_detail_share(p) for p in pictures]) for k, pictures in groups.items()}
    lattice = shuffle_lattice(model)
    made, true = (np.mean([spectrum(p) for p in groups[k]], axis=0) for k in ("swap", "truth"))
    return {"model": model, "threshold": threshold, "shares": shares, "example": test[0],
            "lattice": lattice, "peaks_db": lattice_peaks(made, true, lattice)}


def flagged(shares: np.ndarray, threshold: float) -> float:
    return float((shares < threshold).mean())


def facts() -> dict:
    m = measure()
    source, target = roles(m["model"])
    t, s = m["threshold"], m["shares"]
    return {
        "source": source, "target": target,
        "calibration_renders": 2 * CALIBRATION_SETS, "test_sets": TEST_SETS,
        "fine_cycles_per_pixel": FINE, "fine_pixels": round(1 / FINE),
        "threshold": round(t, 5),
        "median_share": {k: round(float(np.median(v)), 5) for k, v in s.items()},
        "flagged": {k: flagged(v, t) for k, v in s.items()},
        "sharpen_amount": SHARPEN,
        "shuffle_lattice_bins": len(m["lattice"]),
        "peak_db": {k: round(v, 2) for k, v in m["peaks_db"].items()},
        "base_rate": dict(BASE_RATE),
    }


# -- the figure ----------------------------------------------------------------------------

INK, MUTED, PAPER, EDGE = "#1f2023", "#5d5f66", "#fbfaf6", "#d9d4c7"
BLUE, ORANGE = "#0a5bb0", "#9a3b00"
ROWS = (  # group, label ({target} is the swap's target), colour
    ("truth", "{target}, rendered", BLUE),
    ("swap", "the swap", ORANGE),
    ("sharpened", "the swap, sharpened", ORANGE),
    ("blurred", "{target} rendered, then blurred", BLUE),
)


def _svg_text(x, y, text, size=13, anchor="start", colour=INK, weight="400") -> str:
    from html import escape
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
            f'font-weight="{weight}">{escape(text)}</text>')


def _face(x, y, pixels, label, size=80) -> str:
    uri = faces.data_uri(np.asarray(pixels).ravel().tolist(), scale=2)
    return (f'<image x="{x}" y="{y}" width="{size}" height="{size}" href="{uri}" image-rendering="pixelated"/>'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="none" stroke="{EDGE}"/>'
            + _svg_text(x + size / 2, y + size + 16, label, 12, "middle", MUTED))


def _strip_chart(m, target, left, top, width, row_height) -> str:
    """One row of dots per group on a log axis of fine-detail share; the threshold as a line."""
    shares, t = m["shares"], m["threshold"]
    everything = np.concatenate([shares[g] for g, _, _ in ROWS])
    low, high = np.log10(max(everything.min(), 1e-6)) - 0.1, np.log10(everything.max()) + 0.1
    to_x = lambda v: left + (np.log10(max(v, 1e-6)) - low) / (high - low) * width
    parts = []
    bottom = top + row_height * len(ROWS)
    for i, (group, label, colour) in enumerate(ROWS):
        y = top + row_height * (i + 0.5)
        parts.append(_svg_text(left - 10, y + 4, label.format(target=target), 12, "end"))
        jitter = np.random.default_rng(i).uniform(-0.28, 0.28, len(shares[group])) * row_height
        parts += [f'<circle cx="{to_x(v):.1f}" cy="{y + dy:.1f}" r="2.4" fill="{colour}" fill-opacity="0.55"/>'
                  for v, dy in zip(shares[group], jitter)]
        share = flagged(shares[group], t)
        parts.append(_svg_text(left + width + 10, y + 4, f"{round(100 * share)}% flagged", 12, "start", colour, "700"))
    x = to_x(t)
    parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" '
                 f'stroke-width="1.5" stroke-dasharray="5 3"/>')
    parts.append(_svg_text(x - 4, top - 12, "flagged ←", 12, "end", INK, "700"))
    parts.append(_svg_text(x + 4, top - 12, "→ passes", 12, "start", INK, "700"))
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + width}" y2="{bottom}" stroke="{MUTED}"/>')
    for exponent in range(int(np.ceil(low)), int(np.floor(high)) + 1):
        tick = to_x(10.0 ** exponent)
        parts.append(f'<line x1="{tick:.1f}" y1="{bottom}" x2="{tick:.1f}" y2="{bottom + 5}" stroke="{MUTED}"/>')
        parts.append(_svg_text(tick, bottom + 18, f"{100 * 10.0 ** exponent:g}%", 11, "middle", MUTED))
    parts.append(_svg_text(left + width / 2, bottom + 36,
                           f"share of variation in detail finer than {round(1 / FINE)} pixels (log scale)",
                           12, "middle", MUTED))
    return "".join(parts)


def fine_detail_figure() -> dict:
    """Three faces (the truth, the swap, the swap sharpened) and a strip chart of the measure."""
    m = measure()
    f = facts()
    example = m["example"]
    width, height = 760, 300
    parts = [f'<rect width="{width}" height="{height}" rx="14" fill="{PAPER}" stroke="{EDGE}"/>',
             '<g font-family="system-ui, \'DejaVu Sans\', sans-serif">',
             _svg_text(24, 26, f"{f['target']} making {f['source']}'s expression", 13, "start", INK, "700"),
             _face(24, 40, example["truth"], "rendered"),
             _face(114, 40, example["swap"], "the swap"),
             _face(204, 40, sharpen(example["swap"]), "swap, sharpened"),
             _svg_text(24, 178, f"Each dot: one of {f['test_sets']} held-out expressions.", 12, "start", MUTED),
             _svg_text(24, 196, "Dashed line: the lowest share among", 12, "start", MUTED),
             _svg_text(24, 214, f"{f['calibration_renders']} other true renders of "
                       f"{f['source']} and {f['target']}.", 12, "start", MUTED),
             _strip_chart(m, f["target"], left=470, top=52, width=170, row_height=44),
             "</g>"]
    rates = f["flagged"]
    alt = (f"Three faces: {f['target']} rendered, the swap that decoder {f['target']} draws from {f['source']}'s "
           f"face, and that swap sharpened. Beside them, one dot per picture for the share of its variation in "
           f"detail finer than {f['fine_pixels']} pixels. Below a threshold set on true renders, pictures are "
           f"flagged: {round(100 * rates['truth'])}% of true renders, {round(100 * rates['swap'])}% of swaps, "
           f"{round(100 * rates['sharpened'])}% of sharpened swaps and {round(100 * rates['blurred'])}% of "
           f"true renders after a light blur.")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">'
           f"<title>The swap's missing fine detail, and two ways to fool a detector that looks for it</title>"
           + "".join(parts) + "</svg>")
    return {"svg": svg, "alt": alt}
