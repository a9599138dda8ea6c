"""Chapter 12's pipeline figure and facts: one whole face swap, frame in, frame out.

    pipeline_figure() -> {"svg", "alt"}: A's frame with its landmarks and the crop box, the
                         aligned crop, its code, the swap through decoder B, the mask, and the
                         colour-matched composite back in A's frame
    facts()           -> the numbers the chapter quotes about the alignment, the crop and the mask

Everything is computed by py_runtime.pipeline and py_runtime.align on the weights in weights/,
so a retrained model or a changed template changes the picture and the numbers. Seeds are
fixed: the same code and weights give the same figure.
"""
from __future__ import annotations

import functools
import inspect
import random
from html import escape

from py_runtime import align, faces, pipeline
from py_runtime import swap as swap_model

from .swap import card_svg, code_bars

# The example's expression and pose: drawn from the training distribution with a fixed seed,
# not picked for a good-looking result (a seed whose head is visibly tilted, so the figure
# shows the alignment undoing it).
EXAMPLE_SEED = 12
FRAME_SIZE = 128
COLOUR = "mean"
# The parameter sets the alignment is checked on (drawn like the training faces).
CHECK_SEED, CHECK_COUNT = 1201, 50


@functools.cache
def model():
    return swap_model.load()


def example_params() -> dict:
    return faces.random_params(random.Random(EXAMPLE_SEED))


@functools.cache
def example() -> dict:
    """The example run through every stage, A driving, B's decoder drawing."""
    swapped = pipeline.swap_crop(model(), "A", example_params(), "B")
    done = pipeline.finish(swapped, FRAME_SIZE, COLOUR)
    return {"swapped": swapped, "done": done}


# -- facts ---------------------------------------------------------------------------------------
def _mask_defaults() -> dict:
    parameters = inspect.signature(align.face_mask).parameters
    return {name: parameters[name].default for name in ("erode", "feather")}


def alignment_facts() -> dict:
    """How well the alignment recovers the head's tilt: over seeded random parameter sets,
    the rotation the fit undoes (−alignment.degrees; the crop turns the head back upright)
    against the renderer's roll angle (ROLL_DEGREES·roll, degrees, both people)."""
    rng = random.Random(CHECK_SEED)
    errors, tilts = [], []
    for _ in range(CHECK_COUNT):
        params = faces.random_params(rng)
        true_tilt = faces.ROLL_DEGREES * params["roll"]
        for who in ("A", "B"):
            fit = align.fit(faces.landmarks(who, params))
            errors.append(abs(-fit.degrees - true_tilt))
            tilts.append(abs(true_tilt))
    return {
        "parameter_sets": CHECK_COUNT,
        "fits": len(errors),
        "tilt_error_mean_degrees": round(sum(errors) / len(errors), 2),
        "tilt_error_max_degrees": round(max(errors), 2),
        "tilt_mean_degrees": round(sum(tilts) / len(tilts), 2),
        "roll_degrees": faces.ROLL_DEGREES,
    }


def crop_facts() -> dict:
    """The crop at default parameters: pixels per world unit (the frame is 64 units wide) for
    each person, and how much of the crop the mask covers (its mean value)."""
    out = {"crop_pixels": align.CROP, "frame_units": faces.SIZE, "scale": {}, "crop_units": {}, "mask_share": {}}
    for who in ("A", "B"):
        marks = faces.landmarks(who, faces.DEFAULT_PARAMS)
        fit = align.fit(marks)
        mask = align.face_mask(marks, fit)
        out["scale"][who] = round(fit.scale, 3)
        out["crop_units"][who] = round(align.CROP / fit.scale, 1)
        out["mask_share"][who] = round(sum(mask) / len(mask), 3)
    return out


def facts() -> dict:
    """What chapter 12 quotes about the pipeline around the network."""
    e = example()
    crop = e["swapped"].crop
    landmarks = faces.landmarks("A", faces.DEFAULT_PARAMS)
    template = {name: [round(100 * x, 1), round(100 * y, 1)] for name, (x, y) in align.TEMPLATE.items()}
    return {
        **crop_facts(),
        "alignment": alignment_facts(),
        "template": template,
        "template_eye_distance": round(100 * (align.TEMPLATE["eye_right"][0] - align.TEMPLATE["eye_left"][0]), 1),
        "landmarks": len(landmarks),
        "fit_landmarks": len(align.TEMPLATE),
        "outline_landmarks": len(align.OUTLINE),
        "mask": _mask_defaults(),
        "colour_modes": list(align.COLOUR_MODES),
        "example": {
            "seed": EXAMPLE_SEED,
            "roll_degrees": round(faces.ROLL_DEGREES * crop.params["roll"], 1),
            "alignment_degrees": round(crop.alignment.degrees, 1),
            "scale": round(crop.alignment.scale, 3),
            "frame_size": FRAME_SIZE,
            "colour": COLOUR,
        },
    }


# -- the picture ---------------------------------------------------------------------------------
INK, MUTED, BLUE, ORANGE, PAPER, EDGE, MARK = "#1f2023", "#5d5f66", "#0a5bb0", "#9a3b00", "#fbfaf6", "#d9d4c7", "#ffd23f"
FONT = "system-ui, 'DejaVu Sans', sans-serif"


def _picture(pixels, width: int, x: float, y: float, size: float) -> str:
    return (f'<image x="{x}" y="{y}" width="{size}" height="{size}" href="{faces.data_uri(pixels, width)}"/>'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="none" stroke="{EDGE}"/>')


def _labels(x: float, y: float, step: str, line1: str, line2: str = "") -> str:
    out = (f'<text x="{x}" y="{y}" text-anchor="middle" font-weight="700">{escape(step)}</text>'
           f'<text x="{x}" y="{y + 17}" text-anchor="middle" fill="{MUTED}">{escape(line1)}</text>')
    if line2:
        out += f'<text x="{x}" y="{y + 33}" text-anchor="middle" fill="{MUTED}">{escape(line2)}</text>'
    return out


def _arrow(x1: float, x2: float, y: float, colour: str = BLUE, name: str = "") -> str:
    head = f'{x2:.1f},{y:.1f} {x2 - 8:.1f},{y - 5:.1f} {x2 - 8:.1f},{y + 5:.1f}'
    out = (f'<line x1="{x1}" y1="{y}" x2="{x2 - 6}" y2="{y}" stroke="{colour}" stroke-width="2"/>'
           f'<polygon points="{head}" fill="{colour}"/>')
    if name:
        letter, _, sub = name.partition("_")
        sub = f'<tspan dy="4" font-size="10" font-style="normal">{escape(sub)}</tspan>' if sub else ""
        out += (f'<text x="{(x1 + x2) / 2}" y="{y - 10}" text-anchor="middle" font-weight="700" font-style="italic" '
                f'fill="{colour}">{escape(letter)}{sub}</text>')
    return out


def _frame_overlay(crop, view, x: float, y: float, size: float) -> str:
    """The landmarks (the fitted four larger) and the crop's square, drawn on the frame."""
    k = size / view.size
    parts = []
    corners = [view.to_pixel(*c) for c in align.crop_corners(crop.alignment)]
    points = " ".join(f"{x + k * px:.1f},{y + k * py:.1f}" for px, py in corners)
    parts.append(f'<polygon points="{points}" fill="none" stroke="{MARK}" stroke-width="2"/>')
    for name, (wx, wy) in crop.marks.items():
        px, py = view.to_pixel(wx, wy)
        r = 3.0 if name in align.TEMPLATE else 1.8
        parts.append(f'<circle cx="{x + k * px:.1f}" cy="{y + k * py:.1f}" r="{r}" fill="{MARK}" stroke="{INK}" '
                     f'stroke-width="0.6"/>')
    return "".join(parts)


def pipeline_figure() -> dict:
    """Detect, align and crop, encode, decode as B, mask, colour-match and blend: one real run."""
    e = example()
    swapped, done = e["swapped"], e["done"]
    crop = swapped.crop
    n = len(swapped.latent)
    size = crop.alignment.size
    grey = [v for m in done.mask for v in (m, m, m)]
    ranges = model().entry.get("latent_range", {})
    top, face, frame = 40, 96, 128
    fy = top + (frame - face) / 2                       # the crops sit level with the frames' middle
    mid = top + frame / 2
    label_y = top + frame + 24
    body = (
        _picture(done.frame, done.view.size, 16, top, frame)
        + _frame_overlay(crop, done.view, 16, top, frame)
        + _labels(80, label_y, "1 detect", f"{len(crop.marks)} landmarks,", "the crop’s square")
        + _arrow(150, 184, mid)
        + _picture(crop.pixels, size, 188, fy, face)
        + _labels(236, label_y, "2 align, crop", f"{size}×{size}, upright:", f"{abs(crop.alignment.degrees):.0f}° of tilt undone")
        + _arrow(290, 326, mid, name="E")
        + code_bars(swapped.latent, ranges, 330, fy + 8, 112, face - 16)
        + _labels(386, label_y, "3 encode", f"the code: {n} numbers")
        + _arrow(446, 482, mid, ORANGE, "D_B")
        + _picture(swapped.pixels, size, 486, fy, face)
        + _labels(534, label_y, "4 decode as B", "the swap")
        + _picture(grey, size, 598, fy, face)
        + _labels(646, label_y, "5 mask", "hull of the outline,", "eroded, feathered")
        + _arrow(700, 736, mid)
        + _picture(done.pixels, done.view.size, 740, top, frame)
        + _labels(804, label_y, "6 colour-match,", "blend into A’s frame")
        + '<text x="16" y="24" font-weight="700">One swap, frame in, frame out: A drives, B’s decoder draws</text>'
    )
    alt = (f"Six stages of one face swap by this site's model, left to right. First, A's whole frame "
           f"({done.view.size} pixels square) with its {len(crop.marks)} landmarks marked as dots and the square "
           f"the crop will be cut along, tilted with the head. Second, the aligned {size}×{size} crop: the face "
           f"turned upright (a tilt of {abs(crop.alignment.degrees):.0f} degrees undone), scaled and centred so the eyes, nose and "
           f"mouth sit where a fixed template puts them. Third, the shared encoder's code for that crop, {n} "
           f"numbers drawn as bars. Fourth, what decoder B draws from that code: the swap, "
           f"in B's looks. Fifth, the mask, white inside the convex hull of the face's outline landmarks, shrunk and "
           f"faded at the edge. Sixth, A's frame with the swapped face, its colours shifted to match A's, "
           f"pasted back through the mask and turned back to A's tilt.")
    return {"svg": card_svg(884, 256, "A face swap, stage by stage", alt, body, 13, "pt"), "alt": alt}
