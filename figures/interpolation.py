"""Chapter 7's numbers and its picture of a failure, from the site's own autoencoder and digits.

    facts()        what the prose quotes: why the plain re-encoding error fails (a blank page beats
                   every real digit) and the normalised score does not (though a filled square still
                   beats some digits); how often the halfway blend scores worse than both its
                   ends, and how unusual the chapter's same-class example is; where the video's own
                   1 → 7 morph breaks; the shift argument (every copy of a stroke moved two or more
                   pixels is equally far)
    morph_break()  the video's 1 → 7 morph, frame by frame, each separate piece of ink in its own colour

Every score is the demo's own (py_runtime.demos.interpolation), computed here in batches with NumPy.
"""
from __future__ import annotations

import base64
from fractions import Fraction
from html import escape

import numpy as np

from py_runtime import png
from py_runtime.demos import interpolation as demo
from py_runtime.demos._lib import mnist_data, models

VIDEO_PAIRS = ((1, 7, 0), (0, 6, 0))    # the video's pairs: class of a, class of b, which sample (0 = the first)
STEPS = demo.STRIP                      # frames per path in the video and the demo's strip: t = 0, 1/6, …, 1
NOISE_SEED = 0
SHIFT_ROWS = range(4, 24)               # the constructed stroke: rows 4–23, two columns wide, full ink
SHIFT_WIDTH = 2
SHIFTS_SHOWN = 8                        # distances of the constructed bar quoted for shifts 0 … 7
REAL_ONE_TOLERANCE = 0.01               # a shifted real 1 is "as far as no overlap" within this share
CROSSING_STEPS = 11                     # t = 0, 0.1, …, 1 when looking for a path through a third class


# --- the scores, in batches ------------------------------------------------------------------
def _model():
    return models.get(demo.MODEL)


def _digits() -> tuple[np.ndarray, np.ndarray]:
    """(200 × 784 pixels, 200 labels): the demo's real test digits, in the order 0–9 repeated."""
    rows = mnist_data.digits()
    return np.array([pixels for _, pixels in rows]), np.array([label for label, _ in rows])


def _reconstruct(images: np.ndarray) -> np.ndarray:
    return np.asarray(_model().reconstruct_batch(images.tolist()), dtype=float)


def scores(images: np.ndarray) -> np.ndarray:
    """The demo's re-encoding score of each row: ‖x − AE(x)‖² / (‖x‖² + ‖AE(x)‖²)."""
    again = _reconstruct(images)
    return ((images - again) ** 2).sum(1) / ((images ** 2).sum(1) + (again ** 2).sum(1))


def raw_errors(images: np.ndarray) -> np.ndarray:
    """The plain re-encoding error of each row: mean over the pixels of (x − AE(x))²."""
    return ((images - _reconstruct(images)) ** 2).mean(1)


def mean_normalised(images: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """‖x − AE(x)‖² / ‖x − mean digit‖²: another normalisation, which does not rescue a blank page."""
    return ((images - _reconstruct(images)) ** 2).sum(1) / ((images - mean) ** 2).sum(1)


SQUARE = range(10, 18)                  # a filled square of full ink, rows and columns 10–17: no digit


def _square() -> np.ndarray:
    picture = np.zeros((28, 28))
    picture[SQUARE.start:SQUARE.stop, SQUARE.start:SQUARE.stop] = 1.0
    return picture.reshape(-1)


def _controls() -> dict[str, np.ndarray]:
    """Pictures that are plainly not digits: a blank page, uniform random pixels (fixed seed) and a
    filled square, the last to show that a low score is no proof of a digit."""
    return {"blank": np.zeros(784), "noise": np.random.default_rng(NOISE_SEED).random(784), "square": _square()}


def _score_facts(images: np.ndarray) -> dict:
    raw, score = raw_errors(images), scores(images)
    blank = np.zeros((1, 784))
    blank_raw, blank_score = float(raw_errors(blank)[0]), float(scores(blank)[0])
    noise_score = float(scores(_controls()["noise"][None])[0])
    square_score = float(scores(_controls()["square"][None])[0])
    mean = np.asarray(mnist_data.pca_basis()["mean"], dtype=float)
    by_mean = mean_normalised(images, mean)
    blank_by_mean = float(mean_normalised(blank, mean)[0])
    return {
        "digit_count": len(images),
        "blank_raw_error": blank_raw,
        "digits_raw_error_median": float(np.median(raw)),
        "digits_raw_error_min": float(raw.min()),
        "digits_raw_worse_than_blank": int((raw > blank_raw).sum()),
        "blank_score": blank_score,
        "noise_score": noise_score,
        "digits_score_median": float(np.median(score)),
        "digits_score_max": float(score.max()),
        "digits_score_worse_than_blank": int((score >= blank_score).sum()),
        "digits_score_worse_than_noise": int((score >= noise_score).sum()),
        "square_side": len(SQUARE), "square_score": square_score,
        "digits_score_worse_than_square": int((score > square_score).sum()),
        "blank_mean_normalised": blank_by_mean,
        "digits_mean_normalised_worse_than_blank": int((by_mean > blank_by_mean).sum()),
    }


# --- halfway along every pair ----------------------------------------------------------------
def _pair_facts(images: np.ndarray, labels: np.ndarray) -> dict:
    """Over every pair of real digits of different classes: the halfway blend against its two ends,
    and against the halfway morph."""
    own = scores(images)
    codes = np.asarray(_model().encode_batch(images.tolist()), dtype=float)
    pairs = worse_than_both = morph_better = 0
    for i in range(len(images)):
        j = np.arange(i + 1, len(images))
        j = j[labels[j] != labels[i]]
        if not len(j):
            continue
        blend = scores((images[i] + images[j]) / 2)
        morph = scores(np.asarray(_model().decode_batch(((codes[i] + codes[j]) / 2).tolist()), dtype=float))
        pairs += len(j)
        worse_than_both += int((blend > np.maximum(own[i], own[j])).sum())
        morph_better += int((morph < blend).sum())
    return {"pairs": pairs, "pairs_blend_worse_than_both": worse_than_both / pairs,
            "pairs_morph_better_than_blend": morph_better / pairs}


def _same_class_facts(images: np.ndarray, labels: np.ndarray) -> dict:
    """The chapter's same-class example, 1 sample 1 and 1 sample 2: their scores and their halfway blend's,
    and how typical the pair is: its pixel distance against every same-class pair's, and how often a
    same-class blend is no worse than the worse of its two ends."""
    a, b = (np.asarray(mnist_data.digit(1, which), dtype=float) for which in (0, 1))
    a_score, b_score, blend_score = scores(np.array([a, b, (a + b) / 2]))
    i, j = np.triu_indices(len(images), 1)
    same = labels[i] == labels[j]
    distance = np.linalg.norm(images[i] - images[j], axis=1)
    own = scores(images)
    i, j = i[same], j[same]
    blends = scores((images[i] + images[j]) / 2)
    pair = float(np.linalg.norm(a - b))
    return {"same_class_a_score": float(a_score), "same_class_b_score": float(b_score),
            "same_class_blend_score": float(blend_score),
            "same_class_distance": pair,
            "same_class_pairs": int(same.sum()),
            "same_class_pairs_closer": int((distance[same] < pair).sum()),
            "same_class_median_distance": float(np.median(distance[same])),
            "different_class_median_distance": float(np.median(distance[~same])),
            "same_class_blend_no_worse": float((blends <= np.maximum(own[i], own[j])).mean())}


# --- where a morph breaks --------------------------------------------------------------------
def step_label(i: int, steps: int = STEPS) -> str:
    """t = i/(steps − 1) as a reader writes it: 0, 1/6, 1/3, 1/2, …, 1."""
    t = Fraction(i, steps - 1)
    return str(t.numerator) if t.denominator == 1 else f"{t.numerator}/{t.denominator}"


def morph_frames(a: int, b: int, which: int, steps: int = STEPS) -> list[list[float]]:
    """decode((1 − t)·z(a) + t·z(b)) at t = 0, 1/(steps − 1), …, 1: the video's bottom row."""
    z_a = _model().encode(mnist_data.digit(a, which))
    z_b = _model().encode(mnist_data.digit(b, which))
    return [demo.latent_morph(z_a, z_b, i / (steps - 1)) for i in range(steps)]


def broken_steps(a: int, b: int, which: int) -> list[tuple[str, int]]:
    """(t, pieces) for each frame of a morph whose ink falls into more than one piece."""
    pieces = [demo.ink_pieces(frame) for frame in morph_frames(a, b, which)]
    return [(step_label(i), n) for i, n in enumerate(pieces) if n > 1]


def _nearest_class(frames: np.ndarray, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The class of the real digit closest (in pixel distance) to each frame."""
    distances = (frames ** 2).sum(1)[:, None] - 2 * frames @ images.T + (images ** 2).sum(1)[None]
    return labels[distances.argmin(1)]


def _crossing(images: np.ndarray, labels: np.ndarray) -> dict:
    """Among the paths between the first samples of two classes, the one whose frames are closest to a
    real digit of a third class at the most steps (ties: the first in class order)."""
    best = {"crossing_steps": 0, "crossing_a": None, "crossing_b": None, "crossing_via": []}
    ts = np.linspace(0, 1, CROSSING_STEPS)
    for a in range(demo.CLASSES):
        for b in range(a + 1, demo.CLASSES):
            z_a, z_b = (np.asarray(_model().encode(mnist_data.digit(c, 0))) for c in (a, b))
            frames = np.asarray(_model().decode_batch([((1 - t) * z_a + t * z_b).tolist() for t in ts]), dtype=float)
            nearest = [int(c) for c in _nearest_class(frames, images, labels)]
            via = [c for c in nearest if c not in (a, b)]
            if len(via) > best["crossing_steps"]:
                best = {"crossing_steps": len(via), "crossing_a": a, "crossing_b": b,
                        "crossing_via": sorted(set(via))}
    return {**best, "crossing_total": CROSSING_STEPS}


def _morph_facts(images: np.ndarray, labels: np.ndarray) -> dict:
    a, b, which = VIDEO_PAIRS[0]
    video = [demo.ink_pieces(frame) for frame in morph_frames(a, b, which)]
    fine = np.linspace(0, 1, 101)
    z_0, z_1 = (_model().encode(mnist_data.digit(c, 0)) for c in (demo.DEFAULTS["a_class"], demo.DEFAULTS["b_class"]))
    default = [demo.ink_pieces(demo.latent_morph(z_0, z_1, float(t))) for t in fine]
    broken_t = [float(t) for t, n in zip(fine, default) if n > 1]
    halfway = np.asarray(demo.latent_morph(z_0, z_1, 0.5), dtype=float)[None]
    c, d, which2 = VIDEO_PAIRS[1]
    return {
        "ink_threshold": demo.INK,
        "video_a": a, "video_b": b,
        "video2_a": c, "video2_b": d,
        "video2_broken": [t for t, _ in broken_steps(c, d, which2)],
        "default_a": demo.DEFAULTS["a_class"], "default_b": demo.DEFAULTS["b_class"],
        "video_steps": [step_label(i) for i in range(STEPS)],
        "video_pieces": video,
        "video_broken": [step_label(i) for i, n in enumerate(video) if n > 1],
        "video_broken_pieces": [n for n in video if n > 1],
        "digits_one_piece": sum(demo.ink_pieces(x) == 1 for x in images.tolist()),
        "digits_multi_piece_classes": sorted({int(c) for x, c in zip(images.tolist(), labels)
                                              if demo.ink_pieces(x) > 1}),
        "reconstructions_one_piece": sum(demo.ink_pieces(x) == 1 for x in _reconstruct(images).tolist()),
        "default_broken_from": min(broken_t) if broken_t else None,
        "default_broken_to": max(broken_t) if broken_t else None,
        "default_halfway_pieces": demo.ink_pieces(halfway[0].tolist()),
        "default_halfway_nearest": int(_nearest_class(halfway, images, labels)[0]),
        **_crossing(images, labels),
    }


# --- the shift argument ----------------------------------------------------------------------
def stroke(column: int) -> np.ndarray:
    """A constructed 1: a vertical bar of full ink, SHIFT_WIDTH columns wide, its left edge at `column`."""
    picture = np.zeros((28, 28))
    picture[list(SHIFT_ROWS), column:column + SHIFT_WIDTH] = 1.0
    return picture.reshape(-1)


def shifted(picture: np.ndarray, by: int) -> np.ndarray:
    """`picture` moved `by` pixels to the right, paper coming in from the left."""
    grid = np.asarray(picture, dtype=float).reshape(28, 28)
    out = np.zeros_like(grid)
    out[:, by:] = grid[:, :28 - by]
    return out.reshape(-1)


def _first_from(values: list[bool]) -> int | None:
    """The first index from which every value is true, or None."""
    for i in range(len(values)):
        if all(values[i:]):
            return i
    return None


def _shift_facts() -> dict:
    copies = np.array([stroke(c) for c in range(28 - SHIFT_WIDTH + 1)])
    original = copies[0]
    distances = [float(np.linalg.norm(original - copies[s])) for s in range(SHIFTS_SHOWN)]
    overlaps = [float(original @ copies[s]) for s in range(SHIFTS_SHOWN)]
    far = float(np.sqrt(2) * np.linalg.norm(original))           # two pictures with no ink in common
    centred = copies - copies.mean(0)
    variances = np.linalg.svd(centred, compute_uv=False) ** 2
    share = np.cumsum(variances) / variances.sum()
    steps = np.diff(copies, axis=0)                                 # step s: column s + 2 on, column s off
    one = np.asarray(mnist_data.digit(1, 0), dtype=float)
    room = 28 - 1 - int(np.nonzero(one.reshape(28, 28).sum(0))[0].max())   # shifts before ink leaves the frame
    real = [float(np.linalg.norm(one - shifted(one, s)) / (np.sqrt(2) * np.linalg.norm(one)))
            for s in range(room + 1)]
    return {
        "shift_stroke_pixels": int(original.sum()),
        "shift_width": SHIFT_WIDTH, "shift_height": len(SHIFT_ROWS),
        "shift_distances": distances,
        "shift_far": far,
        "shift_equal_from": _first_from([abs(d - far) < 1e-9 for d in distances]),
        "shift_no_overlap_from": _first_from([o == 0 for o in overlaps]),
        "shift_step_cosines": [float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v))) for u, v in zip(steps, steps[1:])],
        "shift_copies": len(copies),
        "shift_rank": int(np.linalg.matrix_rank(copies)),
        "shift_flat_dimensions": int(np.linalg.matrix_rank(centred)),
        "shift_pca_for_90": int(np.searchsorted(share, 0.9) + 1),
        "real_one_shift_ratios": real,
        "real_one_tolerance": REAL_ONE_TOLERANCE,
        "real_one_max_shift": room,
        "real_one_within_tolerance_from": _first_from([r >= 1 - REAL_ONE_TOLERANCE for r in real]),
    }


HD_FRAME = (1920, 1080, 3)              # a full-HD video frame: width, height, colour values per pixel


def _sizes() -> dict:
    """How many numbers a picture is: an MNIST digit, this site's face crops, a full-HD video frame."""
    entries = models.manifest()["models"]
    face = entries["faces-swap"]["input_shape"]
    return {"mnist_values": int(np.prod(entries[demo.MODEL]["input_shape"])),
            "face_shape": [int(n) for n in face], "face_values": int(np.prod(face)),
            "hd_shape": list(HD_FRAME), "hd_frame_values": int(np.prod(HD_FRAME))}


def facts() -> dict:
    images, labels = _digits()
    return {**_score_facts(images), **_pair_facts(images, labels), **_same_class_facts(images, labels),
            **_morph_facts(images, labels), **_shift_facts(), **_sizes()}


# --- the figure ------------------------------------------------------------------------------
CELL, GAP, MARGIN, TOP = 96, 12, 20, 62
PIECE_COLOURS = ("#f4f1e8", "#f08c3a", "#56b4e9", "#e5c84a", "#cc79a7")   # largest piece first
BROKEN = "#d9480f"


def _grey_image(pixels, x: float, y: float) -> str:
    """A 28×28 frame as an embedded PNG, enlarged 4× so that it stays crisp."""
    rows = png.upscale(png.to_rows([min(max(v, 0.0), 1.0) for v in pixels]), 4)
    data = base64.b64encode(png.encode_gray(rows)).decode("ascii")
    return (f'<image x="{x}" y="{y}" width="{CELL}" height="{CELL}" image-rendering="pixelated" '
            f'href="data:image/png;base64,{data}"/>')


def _pieces_image(pieces: list[list[int]], x: float, y: float) -> str:
    """The ink (pixels ≥ INK) as squares, each piece in its own colour."""
    scale = CELL / 28
    cells = []
    for k, piece in enumerate(pieces):
        colour = PIECE_COLOURS[min(k, len(PIECE_COLOURS) - 1)]
        squares = "".join(f'<rect x="{i % 28}" y="{i // 28}" width="1" height="1"/>' for i in piece)
        cells.append(f'<g fill="{colour}">{squares}</g>')
    return (f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#111"/>'
            f'<g transform="translate({x} {y}) scale({scale:.5f})" shape-rendering="crispEdges">{"".join(cells)}</g>')


def morph_break() -> dict:
    """The video's 1 → 7 morph: top row the decoded frames, bottom row their ink (pixels ≥ INK) with
    each separate piece in its own colour; frames that fall apart are outlined."""
    a, b, which = VIDEO_PAIRS[0]
    frames = morph_frames(a, b, which)
    width = 2 * MARGIN + STEPS * CELL + (STEPS - 1) * GAP
    row2 = TOP + CELL + 34
    height = row2 + CELL + 40
    parts = [f'<rect width="{width}" height="{height}" rx="14" fill="#fbfaf6" stroke="#d9d4c7"/>',
             f'<text x="{MARGIN}" y="26" fill="#1f2023">The video\'s morph from a {a} to a {b}: '
             f'decode((1 − t)·z(a) + t·z(b))</text>',
             f'<text x="{MARGIN}" y="46" fill="#6b6b6b">Below each frame, its ink (pixels ≥ {demo.INK}), '
             f'one colour per separate piece</text>']
    broken = []
    for i, frame in enumerate(frames):
        x = MARGIN + i * (CELL + GAP)
        pieces = demo.ink_blobs(frame)
        parts.append(_grey_image(frame, x, TOP))
        parts.append(_pieces_image(pieces, x, row2))
        colour = BROKEN if len(pieces) > 1 else "#6b6b6b"
        word = "piece" if len(pieces) == 1 else "pieces"
        parts.append(f'<text x="{x + CELL / 2}" y="{TOP + CELL + 22}" text-anchor="middle" fill="#1f2023">'
                     f't = {step_label(i)}</text>')
        parts.append(f'<text x="{x + CELL / 2}" y="{row2 + CELL + 24}" text-anchor="middle" fill="{colour}">'
                     f'{len(pieces)} {word}</text>')
        if len(pieces) > 1:
            broken.append((step_label(i), len(pieces)))
            for y in (TOP, row2):
                parts.append(f'<rect x="{x - 3}" y="{y - 3}" width="{CELL + 6}" height="{CELL + 6}" fill="none" '
                             f'stroke="{BROKEN}" stroke-width="3" rx="4"/>')
    alt = (f"Seven frames of the latent morph from a {a} to a {b}, t = 0 to 1, and below each its ink "
           f"(pixels at least {demo.INK}) with each separate piece in its own colour. "
           + (("The stroke breaks: " + "; ".join(f"at t = {t} the ink falls into {n} pieces" for t, n in broken) + ".")
              if broken else "Every frame is one piece of ink."))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-labelledby="t"><title id="t">{escape(alt)}</title>'
           f'<g font-family="system-ui, \'DejaVu Sans\', sans-serif" font-size="14">{"".join(parts)}</g></svg>')
    return {"svg": svg, "alt": alt}
