"""Turn a drawing into an MNIST-style digit, the way MNIST itself was made.

LeCun et al. size-normalised each digit to fit a 20x20 box, keeping its aspect
ratio (the anti-aliasing gives grey levels), then placed it in a 28x28 field so
that its centre of mass sits at the centre. A digit drawn on a 280x280 canvas and
fed to the network raw looks nothing like that; after these steps it does:

    1. make ink bright on black (invert a dark-on-light drawing);
    2. crop to the bounding box of the ink;
    3. resample with area averaging so the longer side is 20 pixels;
    4. paste into 28x28, shifted so the centre of mass lands on pixel (14, 14).
"""

import math

FIELD, BOX = 28, 20
CENTRE = 14.5  # where MNIST's centres of mass are, measured at pixel centres


def _rows(pixels, width):
    if width is None:
        rows = [[float(v) for v in row] for row in pixels]
    else:
        pixels = list(pixels)
        if len(pixels) % width:
            raise ValueError(f"{len(pixels)} pixels do not make rows of width {width}")
        rows = [[float(v) for v in pixels[i:i + width]] for i in range(0, len(pixels), width)]
    if not rows or not rows[0]:
        raise ValueError("empty image")
    peak = max(max(row) for row in rows)
    if peak > 1.0:  # 0..255 input
        rows = [[v / 255.0 for v in row] for row in rows]
    return rows


def rgba_to_ink(rgba, width, height):
    """A canvas's ImageData (RGBA bytes) -> rows of ink in [0, 1].

    A transparent background means the alpha channel is the ink, whatever the stroke
    colour; an opaque one is converted to grey and inverted later if it is light.
    """
    rgba = bytes(rgba)
    if len(rgba) != 4 * width * height:
        raise ValueError(f"RGBA data has {len(rgba)} bytes, expected {4 * width * height}")
    alpha = [rgba[i] / 255.0 for i in range(3, len(rgba), 4)]
    if min(alpha) < 1.0 and sum(alpha) / len(alpha) < 0.5:
        flat = alpha
    else:
        flat = [(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]) / 255.0
                for i in range(0, len(rgba), 4)]
    return [flat[y * width:(y + 1) * width] for y in range(height)]


def _area_weights(n_in, n_out):
    """For each output cell, [(input index, fraction of the cell it covers), ...]."""
    ratio = n_in / n_out
    weights = []
    for j in range(n_out):
        start, end = j * ratio, (j + 1) * ratio
        cell = []
        for i in range(int(math.floor(start)), min(n_in, int(math.ceil(end)))):
            overlap = min(i + 1, end) - max(i, start)
            if overlap > 0:
                cell.append((i, overlap / ratio))
        weights.append(cell)
    return weights


def resample(rows, out_h, out_w):
    """Area-averaging resize (a box filter): every output pixel is the mean of what it covers."""
    in_h, in_w = len(rows), len(rows[0])
    wx, wy = _area_weights(in_w, out_w), _area_weights(in_h, out_h)
    narrow = [[sum(row[i] * w for i, w in cell) for cell in wx] for row in rows]
    return [[sum(narrow[i][x] * w for i, w in cell) for x in range(out_w)] for cell in wy]


def center_of_mass(rows):
    """(y, x) of the ink's centre of mass, measured at pixel centres (index + 0.5)."""
    total = sum(map(sum, rows))
    if total == 0:
        return len(rows) / 2, len(rows[0]) / 2
    y = sum((r + 0.5) * sum(row) for r, row in enumerate(rows)) / total
    x = sum((c + 0.5) * v for row in rows for c, v in enumerate(row)) / total
    return y, x


def canvas_to_mnist(pixels, width=None, *, invert="auto", threshold=0.1):
    """A drawing -> 784 floats in [0, 1], MNIST-style (white digit on black, 28x28).

    `pixels`: rows of grey values, or a flat list with `width`; 0..1 or 0..255.
    `invert`: True for dark ink on a light background, False for light on dark,
    "auto" to decide from the border (a light border means a light background).
    Pixels below `threshold` x the brightest one do not count for the bounding box.
    """
    rows = _rows(pixels, width)
    if invert == "auto":
        border = rows[0] + rows[-1] + [row[0] for row in rows] + [row[-1] for row in rows]
        invert = sum(border) / len(border) > 0.5
    if invert:
        rows = [[1.0 - v for v in row] for row in rows]

    peak = max(max(row) for row in rows)
    if peak <= 0.0:
        return [0.0] * (FIELD * FIELD)
    cutoff = threshold * peak
    ys = [y for y, row in enumerate(rows) if max(row) > cutoff]
    xs = [x for x in range(len(rows[0])) if any(row[x] > cutoff for row in rows)]
    crop = [[v / peak for v in row[xs[0]:xs[-1] + 1]] for row in rows[ys[0]:ys[-1] + 1]]

    h, w = len(crop), len(crop[0])
    factor = BOX / max(h, w)
    new_h, new_w = max(1, round(h * factor)), max(1, round(w * factor))
    digit = resample(crop, new_h, new_w)

    # MNIST's centres of mass sit on pixel (14, 14), whose centre is at 14.5.
    cy, cx = center_of_mass(digit)
    top = min(max(round(CENTRE - cy), 0), FIELD - new_h)
    left = min(max(round(CENTRE - cx), 0), FIELD - new_w)
    field = [0.0] * (FIELD * FIELD)
    for y in range(new_h):
        for x in range(new_w):
            field[(top + y) * FIELD + left + x] = min(1.0, max(0.0, digit[y][x]))
    return field
