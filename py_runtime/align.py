"""The stages of a face swap around the network: align, crop, mask, colour-match, blend.

A deepfake does not feed whole video frames to its autoencoder. The 2017 code, faceswap and
DeepFaceLab all find the face's landmarks, fit a similarity transform that puts them where
a template wants them, cut that aligned crop (the face fills it: eyes and mouth are large),
swap the crop, and paste the result back into the frame through a soft mask, after matching
its colours to the frame's. This module is those steps; the network is py_runtime.swap.

    marks = faces.landmarks("A", params)                          # detect
    fit = align.fit(marks)                                        # align: world -> crop pixels
    crop = faces.render("A", params, align.crop_view(fit))        # crop
    swapped = model.swap(crop, "B")                               # swap
    mask = align.face_mask(marks, fit)                            # mask
    frame = faces.render("A", params, faces.frame_view(128))
    out = align.composite(frame, faces.frame_view(128), swapped, mask, fit, colour="mean")

Pictures are flat HWC lists of floats in [0, 1], as everywhere in py_runtime.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from .geometry import convex_hull
from .raster import View

CROP = 64

# Where alignment puts each landmark, as fractions of the crop (x right, y down): the
# average face's eyes, nose tip and mouth centre, with the brows near the top edge and the
# chin just below the bottom one (a tight crop, like the original's).
TEMPLATE = {
    "eye_left": (0.259, 0.251),
    "eye_right": (0.741, 0.251),
    "nose": (0.5, 0.5),
    "mouth": (0.5, 0.644),
}
# The outline the mask follows, in order around the face.
OUTLINE = ("brow_left", "brow_right", *(f"jaw_right_{j}" for j in range(5)), "chin",
           *(f"jaw_left_{j}" for j in reversed(range(5))))


class Alignment(NamedTuple):
    """The similarity transform p = alpha·w + beta from a world point w to a crop pixel p,
    both written as complex numbers x + iy: alpha scales and rotates, beta shifts."""
    alpha: complex
    beta: complex
    size: int = CROP

    def to_crop(self, x, y):
        p = self.alpha * complex(x, y) + self.beta
        return p.real, p.imag

    @property
    def scale(self):
        return abs(self.alpha)

    @property
    def degrees(self):
        return math.degrees(math.atan2(self.alpha.imag, self.alpha.real))


def fit(marks: dict, size: int = CROP) -> Alignment:
    """The least-squares similarity taking the landmarks onto the template (Umeyama's
    method, which in the plane is one division of complex numbers):

        alpha = Σ (t_i - t̄) conj(w_i - w̄) / Σ |w_i - w̄|²,   beta = t̄ - alpha·w̄
    """
    w = [complex(*marks[name]) for name in TEMPLATE]
    t = [complex(x * size, y * size) for x, y in TEMPLATE.values()]
    w_mean, t_mean = sum(w) / len(w), sum(t) / len(t)
    spread = sum(abs(wi - w_mean) ** 2 for wi in w)
    alpha = sum((ti - t_mean) * (wi - w_mean).conjugate() for wi, ti in zip(w, t)) / spread
    return Alignment(alpha, t_mean - alpha * w_mean, size)


def crop_view(alignment: Alignment) -> View:
    """The renderer's view of the aligned crop: crop pixel p shows world point (p - beta)/alpha.

    Drawing the scene through this view is what cutting the crop out of an infinitely sharp
    frame would give; resampling a finite frame would only add blur."""
    alpha = alignment.alpha if abs(alignment.alpha) > 1e-9 else complex(1e-9, 0.0)
    inv = 1.0 / alpha
    shift = -alignment.beta * inv
    return View(alignment.size, inv.real, -inv.imag, shift.real, inv.imag, inv.real, shift.imag)


def crop_corners(alignment: Alignment) -> list:
    """The crop's four corners in world coordinates (to draw the crop box on the frame)."""
    view = crop_view(alignment)
    n = alignment.size
    return [view.to_world(x, y) for x, y in ((0, 0), (n, 0), (n, n), (0, n))]


def face_mask(marks: dict, alignment: Alignment, erode: float = 2.0, feather: float = 4.0) -> list:
    """The converter's mask: the convex hull of the outline landmarks (brows to chin) in crop
    pixels, shrunk by `erode` pixels and faded over `feather` pixels so no seam shows.

    One value per crop pixel, row-major. Inside a convex polygon the distance to the edge is
    the smallest of the distances to its sides' lines, each an affine function of (x, y)."""
    n = alignment.size
    hull = convex_hull([alignment.to_crop(*marks[name]) for name in OUTLINE])
    if len(hull) < 3:
        return [0.0] * (n * n)
    sides = []
    for (x0, y0), (x1, y1) in zip(hull, hull[1:] + hull[:1]):
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = -(y1 - y0) / length, (x1 - x0) / length        # inward normal for this winding
        sides.append((nx, ny, -(nx * x0 + ny * y0)))
    centre = (sum(x for x, _ in hull) / len(hull), sum(y for _, y in hull) / len(hull))
    if sides[0][0] * centre[0] + sides[0][1] * centre[1] + sides[0][2] < 0:
        sides = [(-a, -b, -c) for a, b, c in sides]
    inv = 1.0 / max(feather, 1e-6)
    xs = [x + 0.5 for x in range(n)]
    out = []
    for y in range(n):
        yc = y + 0.5
        row = [10.0 * n] * n
        for nx, ny, c in sides:
            base = ny * yc + c
            row = [min(d, nx * x + base) for d, x in zip(row, xs)]
        out += [0.0 if d <= erode else (1.0 if d >= erode + feather else (d - erode) * inv) for d in row]
    return out


def _bilinear(n, x, y):
    """The four pixels around continuous point (x, y) of an n×n picture, and their weights
    (edges clamped): a bilinear sample of any channel is sum(weight · value)."""
    x, y = x - 0.5, y - 0.5
    x0, y0 = int(math.floor(x)), int(math.floor(y))
    fx, fy = x - x0, y - y0
    x0, x1 = min(max(x0, 0), n - 1), min(max(x0 + 1, 0), n - 1)
    y0, y1 = min(max(y0, 0), n - 1), min(max(y0 + 1, 0), n - 1)
    return ((y0 * n + x0, y0 * n + x1, y1 * n + x0, y1 * n + x1),
            ((1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy))


def colour_stats(pixels, weights):
    """Weighted mean and standard deviation of each channel (the mask's pixels count most)."""
    total = sum(weights) or 1.0
    means, stds = [], []
    for ch in range(3):
        values = pixels[ch::3]
        m = sum(w * v for w, v in zip(weights, values)) / total
        var = sum(w * (v - m) * (v - m) for w, v in zip(weights, values)) / total
        means.append(m)
        stds.append(math.sqrt(max(var, 0.0)))
    return means, stds


COLOUR_MODES = ("none", "mean", "mean-std")


def match_colours(face, reference, mask, mode="mean"):
    """Move the swapped face's colours towards the original face's, under the mask.

    "mean" shifts each channel's mean onto the reference's (faceswap's avg-color);
    "mean-std" also rescales each channel's spread (Reinhard's colour transfer, done in
    RGB; DeepFaceLab's rct does it in L*a*b*). Both change the skin tone along with the
    light, which is why swaps are made between people of similar colouring."""
    if mode not in COLOUR_MODES or mode == "none":
        return list(face)
    m_face, s_face = colour_stats(face, mask)
    m_ref, s_ref = colour_stats(reference, mask)
    out = list(face)
    for ch in range(3):
        gain = (s_ref[ch] / s_face[ch]) if mode == "mean-std" and s_face[ch] > 1e-6 else 1.0
        shift = m_ref[ch] - gain * m_face[ch]
        out[ch::3] = [min(1.0, max(0.0, gain * v + shift)) for v in face[ch::3]]
    return out


def composite(frame, view: View, face, mask, alignment: Alignment):
    """Paste an aligned face back into the frame it came from, through its mask.

    For each frame pixel the crop pixel under it is alignment.to_crop(world point); the
    face and the mask are sampled there, and the frame pixel becomes
    mask·face + (1 - mask)·frame. Only pixels in the crop's footprint are visited."""
    n, size = view.size, alignment.size
    out = list(frame)
    corners = [view.to_pixel(*corner) for corner in crop_corners(alignment)]
    x0 = max(0, int(min(x for x, _ in corners)))
    x1 = min(n, int(max(x for x, _ in corners)) + 1)
    y0 = max(0, int(min(y for _, y in corners)))
    y1 = min(n, int(max(y for _, y in corners)) + 1)
    for y in range(y0, y1):
        for x in range(x0, x1):
            px, py = alignment.to_crop(*view.to_world(x + 0.5, y + 0.5))
            if not (0.0 <= px < size and 0.0 <= py < size):
                continue
            corners, weights = _bilinear(size, px, py)
            m = sum(w * mask[j] for j, w in zip(corners, weights))
            if m <= 0.0:
                continue
            r, g, b = (sum(w * face[3 * j + ch] for j, w in zip(corners, weights)) for ch in range(3))
            i = 3 * (y * n + x)
            out[i] += (r - out[i]) * m
            out[i + 1] += (g - out[i + 1]) * m
            out[i + 2] += (b - out[i + 2]) * m
    return out
