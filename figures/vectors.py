"""Chapters 2 and 3: a matrix acting on an image, and what orthogonality means for images.

Shifting a 28×28 image one pixel to the right is a 784×784 matrix T: for c ≥ 1, row 28r + c of
T has a single 1 in column 28r + c − 1 (pixel (r, c) takes the value of its left neighbour), and
the 28 rows of the left-most column (c = 0) are all zero (blank paper comes in at the left,
the right-most column falls off). We build T explicitly and apply it by matrix product,
so every number here is what that matrix does to a real digit.

Pixel values are never negative, so a dot product of two images, a sum of products
xᵢyᵢ ≥ 0, is zero exactly when no pixel has ink in both: images are orthogonal exactly
when their ink never overlaps. The facts measure that on the sample digits the site ships
(weights/mnist-digits: 20 MNIST test digits of each class).
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np

from py_runtime.demos import projection
from py_runtime.demos._lib import mnist_data

SIDE = 28
PIXELS = SIDE * SIDE
SHIFTED_DIGIT = (1, 0)            # (class, index) of the sample digit shifted in the figures
MAX_SHIFT = 8                     # shifts tried when looking for the first orthogonal copy
PALETTE = {"paper": "#fbfaf6", "edge": "#d9d4c7", "text": "#1f2023", "muted": "#6b6b6b",
           "one": "#0a5bb0", "x": "#0a5bb0", "shifted": "#d1495b", "both": "#6a2c91"}
FONT = "system-ui, 'DejaVu Sans', sans-serif"


# --- the matrix -------------------------------------------------------------------------
def shift_matrix(side: int = SIDE) -> np.ndarray:
    """The (side²)×(side²) matrix that moves a side×side image one pixel to the right."""
    n = side * side
    t = np.zeros((n, n))
    for r in range(side):
        for c in range(1, side):
            t[side * r + c, side * r + c - 1] = 1.0
    return t


@lru_cache(maxsize=1)
def _t() -> np.ndarray:
    return shift_matrix()


def shifted(x: np.ndarray, k: int) -> np.ndarray:
    """T^k x: the image moved k pixels right, by k matrix products."""
    for _ in range(k):
        x = _t() @ x
    return x


def digit(label: int, which: int) -> np.ndarray:
    return np.array(mnist_data.digit(label, which), dtype=float)


def cosine(x: np.ndarray, y: np.ndarray) -> float:
    """x·y / (|x||y|); 0 when either is blank (a blank image points nowhere)."""
    nx, ny = np.linalg.norm(x), np.linalg.norm(y)
    return float(x @ y / (nx * ny)) if nx > 0 and ny > 0 else 0.0


def shared_ink(x: np.ndarray, y: np.ndarray) -> int:
    """How many pixels have ink in both images."""
    return int(np.count_nonzero((x > 0) & (y > 0)))


# --- facts ------------------------------------------------------------------------------
def shift_facts() -> dict:
    """What T is: its size, its ones, its rank (less than 784: T cannot be undone)."""
    t = _t()
    zero_rows = int(np.count_nonzero(~t.any(axis=1)))
    return {"pixels": PIXELS, "shift_ones": int(t.sum()), "shift_zero_rows": zero_rows,
            "shift_rank": int(np.linalg.matrix_rank(t))}


def overlap_facts() -> dict:
    """The sample digit against its own shifted copies: cosine, shared ink, distance.

    `first_orthogonal_shift` is the smallest k ≤ MAX_SHIFT with x · T^k x = 0 (None if none),
    `orthogonal_through` the largest j ≤ MAX_SHIFT with x · T^i x = 0 for every i from k to j;
    `distance_ratio` lists |x − T^k x| / |x|, which stops growing once the copies are orthogonal
    (it is then √(1 + |T^k x|²/|x|²), √2 while no ink has slid off the right edge)."""
    x = digit(*SHIFTED_DIGIT)
    copies = [shifted(x, k) for k in range(MAX_SHIFT + 1)]
    dots = [float(x @ y) for y in copies]
    first = next((k for k, d in enumerate(dots) if d == 0.0), None)
    through = first
    while through is not None and through < MAX_SHIFT and dots[through + 1] == 0.0:
        through += 1
    return {"shifted_label": SHIFTED_DIGIT[0],
            "shift_cosines": [cosine(x, y) for y in copies],
            "shift_shared_ink": [shared_ink(x, y) for y in copies],
            "distance_ratio": [float(np.linalg.norm(x - y) / np.linalg.norm(x)) for y in copies],
            "first_orthogonal_shift": first, "orthogonal_through": through,
            "ink_kept": [float(np.linalg.norm(y) / np.linalg.norm(x)) for y in copies]}


def pair_facts() -> dict:
    """Every pair of distinct sample digits: how many are orthogonal, and the least aligned pair."""
    samples = mnist_data.digits()
    images = np.array([pixels for _, pixels in samples], dtype=float)
    labels = [label for label, _ in samples]
    norms = np.linalg.norm(images, axis=1)
    cos = images @ images.T / np.outer(norms, norms)
    upper = np.triu_indices(len(images), 1)
    dots = (images @ images.T)[upper]
    least = int(np.argmin(cos[upper]))
    i, j = int(upper[0][least]), int(upper[1][least])
    return {"sample_count": len(images), "pair_count": int(dots.size),
            "orthogonal_pairs": int(np.count_nonzero(dots == 0.0)),
            "least_cosine": float(cos[i, j]), "least_pair": [labels[i], labels[j]],
            "least_pair_shared_ink": shared_ink(images[i], images[j]),
            "min_pixel": float(images.min())}


def facts() -> dict:
    """Every number chapters 2 and 3 quote, plus the projection demo's sample count."""
    return {**shift_facts(), **overlap_facts(), **pair_facts(), "correlation_samples": projection.SAMPLES}


# --- drawing ----------------------------------------------------------------------------
def _text(x, y, label, size=13, anchor="middle", fill=None, weight="normal") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill or PALETTE["text"]}">{escape(str(label))}</text>')


def _cell_grid(x0, y0, rows, cols, size, labels, heading) -> str:
    """A rows×cols table of cells with a label in each (blank for ''), and a heading above."""
    parts = [_text(x0 + cols * size / 2, y0 - 8, heading, 12, fill=PALETTE["muted"])]
    for r in range(rows):
        for c in range(cols):
            label = labels[r][c]
            filled = PALETTE["paper"] if label in ("", "0") else "#e4edf8"
            parts.append(f'<rect x="{x0 + c * size:g}" y="{y0 + r * size:g}" width="{size}" height="{size}" '
                         f'fill="{filled}" stroke="{PALETTE["edge"]}"/>')
            if label:
                parts.append(_text(x0 + c * size + size / 2, y0 + r * size + size / 2 + 4, label,
                                   11 if size < 24 else 13,
                                   fill=PALETTE["muted"] if label == "0" else PALETTE["text"]))
    return "".join(parts)


def _pixels(x0, y0, image, scale, colour) -> str:
    """A 28×28 image as squares of one colour, opacity = ink (quantised to 8 levels: small SVG)."""
    levels: dict[int, list[str]] = {}
    grid = np.asarray(image).reshape(SIDE, SIDE)
    for r in range(SIDE):
        for c in range(SIDE):
            level = int(round(grid[r, c] * 8))
            if level:
                levels.setdefault(level, []).append(f"M{x0 + c * scale:g} {y0 + r * scale:g}h{scale}v{scale}h-{scale}z")
    return "".join(f'<path d="{"".join(d)}" fill="{colour}" fill-opacity="{level / 8:g}"/>'
                   for level, d in sorted(levels.items()))


def _frame(x0, y0, scale) -> str:
    return (f'<rect x="{x0:g}" y="{y0:g}" width="{SIDE * scale}" height="{SIDE * scale}" fill="#fff" '
            f'stroke="{PALETTE["edge"]}"/>')


def _svg(width, height, title, desc, body) -> dict:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="t d"><title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>'
           f'<rect width="{width}" height="{height}" rx="14" fill="{PALETTE["paper"]}" stroke="{PALETTE["edge"]}"/>'
           f'<g font-family="{FONT}">{body}</g></svg>')
    return {"svg": svg, "alt": desc}


def toy_shift() -> tuple[list[str], np.ndarray, list[str]]:
    """A 3×3 image with pixels named a…i, the 9×9 shift matrix, and the names T gives back."""
    names = list("abcdefghi")
    t = shift_matrix(3)
    out = ["".join(names[j] for j in range(9) if t[i, j]) or "0" for i in range(9)]
    return names, t, out


def shift_matrix_figure() -> dict:
    """Chapter 2: T for a 3×3 image, written out as T·x, and the 784×784 T on a real digit."""
    names, t, out = toy_shift()
    cell, small = 26, 20
    parts = [_text(20, 30, "Moving a 3 × 3 image one pixel right is a 9 × 9 matrix", 14, "start", weight="600")]
    top = 70
    parts.append(_cell_grid(20, top + 60, 3, 3, cell, [names[0:3], names[3:6], names[6:9]], "image x"))
    left = 150
    matrix_labels = [["1" if t[i, j] else "" for j in range(9)] for i in range(9)]
    parts.append(_cell_grid(left, top, 9, 9, small, matrix_labels, "T (9 × 9)"))
    parts.append(_text(left + 9 * small + 14, top + 4.5 * small + 5, "·", 22))
    parts.append(_cell_grid(left + 9 * small + 28, top, 9, 1, small, [[n] for n in names], "x"))
    parts.append(_text(left + 9 * small + 28 + small + 16, top + 4.5 * small + 5, "=", 18))
    parts.append(_cell_grid(left + 9 * small + 28 + small + 32, top, 9, 1, small, [[n] for n in out], "Tx"))
    right = left + 9 * small + 28 + small + 32 + small + 30
    parts.append(_cell_grid(right, top + 60, 3, 3, cell, [out[0:3], out[3:6], out[6:9]], "image Tx"))
    note = ("A 1 in row i, column j of T copies pixel j into pixel i (blank cells are 0): each pixel",
            "takes its left neighbour's value. The rows for the left-hand column are all 0: blank paper",
            "comes in there, and the right-hand column falls off.")
    for line, text in enumerate(note):
        parts.append(_text(20, top + 9 * small + 30 + 16 * line, text, 12, "start", PALETTE["muted"]))

    base, scale = top + 9 * small + 100, 4
    x = digit(*SHIFTED_DIGIT)
    tx = shifted(x, 1)
    parts.append(_text(20, base, f"The same rule for 28 × 28 pixels: T is {PIXELS} × {PIXELS}, with {int(_t().sum())} ones",
                       14, "start", weight="600"))
    for i, (image, label) in enumerate(((x, "x: a sample digit"), (tx, "Tx: one pixel to the right"))):
        x0 = 20 + i * (SIDE * scale + 60)
        parts.append(_frame(x0, base + 16, scale) + _pixels(x0, base + 16, image, scale, PALETTE["one"]))
        parts.append(_text(x0 + SIDE * scale / 2, base + 16 + SIDE * scale + 18, label, 12, fill=PALETTE["muted"]))
    width, height = right + 3 * cell + 20, base + 16 + SIDE * scale + 34
    desc = ("A 3 by 3 image with pixels a to i is written as a column of nine numbers. The 9 by 9 matrix T has "
            "a single 1 in six of its rows and zeros everywhere else; T times the column gives 0, a, b, 0, d, e, 0, g, h: "
            "the image moved one pixel to the right, with blank paper in the left-hand column. Below, the "
            "784 by 784 version of T moves a real handwritten digit one pixel to the right.")
    return _svg(width, height, "A one-pixel shift is a matrix", desc, "".join(parts))


def _cos_label(value: float) -> str:
    """Exactly 0 says so; a small nonzero cosine keeps a digit that shows it is not 0."""
    return "0 exactly" if value == 0 else f"{value:.3f}" if abs(value) < 0.1 else f"{value:.2f}"


def shift_overlap_figure() -> dict:
    """Chapter 3: a digit and its copies shifted k pixels, overlaid; shared ink and cosine under each."""
    x = digit(*SHIFTED_DIGIT)
    facts = overlap_facts()
    last = facts["first_orthogonal_shift"] if facts["first_orthogonal_shift"] is not None else MAX_SHIFT
    scale, gap = 3, 18
    parts = [_text(20, 28, "A digit (blue) and its copy moved k pixels right (red)", 14, "start", weight="600"),
             _text(20, 46, "Purple: pixels with ink in both. Zero shared ink means a dot product of zero.", 12,
                   "start", PALETTE["muted"])]
    for k in range(0, last + 1):
        y = shifted(x, k)
        x0, y0 = 20 + k * (SIDE * scale + gap), 62
        both = np.minimum(x, y) * (y > 0) * (x > 0)
        parts.append(_frame(x0, y0, scale) + _pixels(x0, y0, x, scale, PALETTE["x"])
                     + _pixels(x0, y0, y, scale, PALETTE["shifted"]) + _pixels(x0, y0, both, scale, PALETTE["both"]))
        cx = x0 + SIDE * scale / 2
        parts.append(_text(cx, y0 + SIDE * scale + 18, f"k = {k}", 12, weight="600"))
        parts.append(_text(cx, y0 + SIDE * scale + 34, f"shared ink: {facts['shift_shared_ink'][k]} px", 11,
                           fill=PALETTE["muted"]))
        parts.append(_text(cx, y0 + SIDE * scale + 50, f"cos = {_cos_label(facts['shift_cosines'][k])}", 11,
                           fill=PALETTE["muted"]))
    width = max(20 + (last + 1) * (SIDE * scale + gap) - gap + 20, 560)
    height = 62 + SIDE * scale + 64
    desc = (f"A handwritten {SHIFTED_DIGIT[0]} drawn in blue, overlaid in red with copies of itself moved 1 to "
            f"{last} pixels to the right (k = 0 is the digit on itself). " + " ".join(
                f"At k = {k} the two share {facts['shift_shared_ink'][k]} ink pixels and their cosine is "
                f"{_cos_label(facts['shift_cosines'][k])}." for k in range(1, last + 1)))
    return _svg(width, height, "Shifted copies of a digit, and when they become orthogonal", desc, "".join(parts))
