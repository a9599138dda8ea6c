"""Chapters 5 and 6, measured instead of asserted: on the 20 sample test digits of each class
the site ships (weights/mnist-digits), its PCA basis of the training digits (weights/mnist-pca)
and its 16-D autoencoder. The figures: the first eigen-digits, and a pixel against its
neighbour and against a far pixel. The facts: the worked example of chapter 6 computed by the
demo's own code, how a random 784-vector and real digits differ, how the dashed "this digit"
curve of the PCA demo sits against the solid one for its 1 and its 8, and how grey the
rebuilds of PCA and of the autoencoder are."""
from __future__ import annotations

import base64

import numpy as np

import py_runtime
from py_runtime.demos import pca_playground, tesseract
from py_runtime.demos._lib import mnist_data
from py_runtime.png import encode_rgb

MODEL = "mnist-ae-16d"
EIGEN_DIGITS = 8                 # the mean digit, then this many components
PIXEL = (14, 12)                 # the scatter's pixel (row, column): one near the centre, where strokes pass
FAR = (6, 20)                    # the pixel it is set against in the second panel: 8 rows up, 8 columns right
GREY = (0.2, 0.8)                # a pixel is "mid-grey" strictly between these
DIAGONAL = 0.25                  # a scatter dot is "near the diagonal" when its two brightnesses differ by at most this
WORKED_POINTS = [[2, 1], [1, 2], [0, 0], [-2, -1], [-1, -2]]     # chapter 6's worked example
STATIC_SEEDS = range(1, 201)     # as many random 784-vectors as there are sample digits
CURVE_EXAMPLE = 0                # "example 1" of the PCA demo (its sample 0)

PAPER, FRAME, TEXT, MUTED = "#fbfaf6", "#d9d4c7", "#1f2023", "#6b6b6b"
POSITIVE, NEGATIVE, INK = (10, 91, 176), (194, 65, 12), (31, 32, 35)
FONT = "system-ui, 'DejaVu Sans', sans-serif"


# --- numbers ------------------------------------------------------------------------------------

def sample_digits() -> np.ndarray:
    """The 200 sample test digits, (200, 784), ink = 1."""
    return np.array([pixels for _, pixels in mnist_data.digits()])


def correlation(a, b) -> float:
    """Pearson correlation of two equally long lists of numbers."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.corrcoef(a, b)[0, 1])


def _index(pixel) -> int:
    return 28 * pixel[0] + pixel[1]


def worked_example() -> dict:
    """Chapter 6's five points through the demo's own PCA: sums, Σ, eigenvalues, shares."""
    points = WORKED_POINTS
    result = pca_playground.pca2d(points)
    n = len(points)
    (l1, l2), (c1, c2) = result["eigenvalues"], result["axes"]
    cov = result["cov"]
    return {"n": n, "mean": result["mean"], "sum_xx": sum(x * x for x, _ in points),
            "sum_yy": sum(y * y for _, y in points), "sum_xy": sum(x * y for x, y in points),
            "xx_terms": [x * x for x, _ in points], "xy_terms": [x * y for x, y in points],
            "cov": cov, "l1": l1, "l2": l2, "c1": list(c1), "c2": list(c2),
            "total": cov[0][0] + cov[1][1], "share1": result["explained"][0], "share2": result["explained"][1],
            "sigma_c1_unnormalised": [cov[0][0] + cov[0][1], cov[1][0] + cov[1][1]],
            "sigma_c2_unnormalised": [cov[0][0] - cov[0][1], cov[1][0] - cov[1][1]]}


def static_versus_digits() -> dict:
    """Random 784-vectors and real digits side by side: how many pixels sit near the surface
    of the cube (within 0.05 of 0 or 1), and how alike a pixel and its right-hand neighbour
    are within each picture (tesseract.neighbour_correlation, the demo's readout)."""
    digits = sample_digits()
    statics = [tesseract.random_vector(seed) for seed in STATIC_SEEDS]
    digit_r = [tesseract.neighbour_correlation(d) for d in digits]
    static_r = [tesseract.neighbour_correlation(s) for s in statics]
    frame = np.ones((28, 28), dtype=bool)
    frame[2:-2, 2:-2] = False                               # the outermost two rows and columns
    return {"pictures": len(digits),
            "digit_zero_share": float(np.mean(digits == 0)),
            "frame_pixels": int(frame.sum()), "frame_zero_share": float(np.mean(digits[:, frame.ravel()] == 0)),
            "digit_near_surface_share": float(np.mean([tesseract.near_surface(d) / 784 for d in digits])),
            "static_near_surface_share": float(np.mean([tesseract.near_surface(s) / 784 for s in statics])),
            "digits_with_a_near_surface_pixel": int(sum(tesseract.near_surface(d) > 0 for d in digits)),
            "digit_neighbour_r": float(np.mean([r for r in digit_r if r is not None])),
            "static_neighbour_r": float(np.mean([r for r in static_r if r is not None])),
            "static_neighbour_r_max": float(max(abs(r) for r in static_r if r is not None)),
            "digit_neighbour_r_min": float(min(r for r in digit_r if r is not None))}


def pixel_pairs() -> dict:
    """The scatter's two correlations over the sample digits: PIXEL against its right-hand
    neighbour, and against the far pixel FAR."""
    digits = sample_digits()
    here = digits[:, _index(PIXEL)]
    right = digits[:, _index(PIXEL) + 1]
    far = digits[:, _index(FAR)]
    return {"pixel": list(PIXEL), "far": list(FAR), "neighbour_r": correlation(here, right),
            "far_r": correlation(here, far), "both_blank": int(np.sum((here == 0) & (right == 0))),
            "far_both_blank": int(np.sum((here == 0) & (far == 0))),
            "neighbour_near_diagonal": near_diagonal(here, right), "far_near_diagonal": near_diagonal(here, far)}


def near_diagonal(a, b, within: float = DIAGONAL) -> float:
    """Of the digits where the two pixels are not both blank (those pile up at (0, 0)), the share
    whose two brightnesses differ by at most `within`: how close the scatter lies to the diagonal."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    inked = (a != 0) | (b != 0)
    return float(np.mean(np.abs(a[inked] - b[inked]) <= within)) if inked.any() else 0.0


def curve_crossings(label: int, which: int = CURVE_EXAMPLE) -> dict:
    """The PCA demo's two curves for one digit: at how many k of 1..64 the share of *this*
    digit's variation captured is above the share of all training digits' variance explained."""
    states = [pca_playground.digit_view(digit=label, sample=which, k=k) for k in range(1, pca_playground.K_MAX + 1)]
    above = sum(1 for s in states if s["captured"] > s["explained"])
    return {"above": above, "of": len(states), "captured_1": states[0]["captured"], "explained_1": states[0]["explained"],
            "captured_16": states[15]["captured"], "explained_16": states[15]["explained"]}


def uncentred_line() -> dict:
    """What PCA without its first step (moving the origin to the mean) would find on the sample
    digits: the best line through 0, the top eigenvector of the uncentred second moments, and
    the angle between it and the sample's mean digit."""
    digits = sample_digits()
    mean = digits.mean(axis=0)
    values, vectors = np.linalg.eigh(digits.T @ digits / len(digits))
    cosine = abs(float(vectors[:, -1] @ mean)) / float(np.linalg.norm(mean))
    return {"cosine_with_mean": cosine, "angle_degrees": float(np.degrees(np.arccos(min(cosine, 1.0)))),
            "share_of_squares": float(values[-1] / values.sum())}


def grey_share(images) -> float:
    """The share of pixels strictly between GREY[0] and GREY[1]: soft edges make more of them."""
    images = np.asarray(images, dtype=float)
    return float(np.mean((images > GREY[0]) & (images < GREY[1])))


def rebuild_greyness() -> dict:
    """Mid-grey pixels in the sample digits, in their PCA rebuilds from k components and in the
    16-D autoencoder's rebuilds (k = its code size), and the per-pixel squared errors."""
    model = py_runtime.load(MODEL)
    k = int(model.entry["latent_dim"])
    digits = sample_digits()
    basis = mnist_data.pca_basis()
    mean, components = np.array(basis["mean"]), np.array(basis["components"][:k])
    pca = mean + (digits - mean) @ components.T @ components
    autoencoder = np.array(model.reconstruct_batch([list(d) for d in digits]))
    return {"k": k, "grey_low": GREY[0], "grey_high": GREY[1], "grey_original": grey_share(digits),
            "grey_pca": grey_share(pca), "grey_autoencoder": grey_share(autoencoder),
            "sample_pca_mse": float(np.mean((pca - digits) ** 2)),
            "sample_autoencoder_mse": float(np.mean((autoencoder - digits) ** 2))}


def presets() -> dict:
    """For each of the demo's starting clouds, by the demo's own code: how many points it has
    and PC1's share."""
    return {name: {"points": len(points), "pc1": pca_playground.pca2d(points)["explained"][0]}
            for name, points in pca_playground.PRESETS.items()}


def facts() -> dict:
    return {"worked": worked_example(), "presets": presets(), "tie_gap": pca_playground.TIE_GAP, "static": static_versus_digits(), "pairs": pixel_pairs(),
            "uncentred": uncentred_line(), "one_curve": curve_crossings(1), "eight_curve": curve_crossings(8), "rebuild": rebuild_greyness(),
            "eigen_digits": EIGEN_DIGITS,
            "eigen_digit_shares": list(mnist_data.pca_basis()["explained"][:EIGEN_DIGITS])}


# --- pictures -----------------------------------------------------------------------------------

def signed(value: float, digits: int = 2) -> str:
    """A number with a real minus sign, as the prose writes it."""
    return f"{value:.{digits}f}".replace("-", "\u2212")


def _mix(colour, weight: float) -> str:
    """`colour` blended over the paper by `weight` in [0, 1], as #rrggbb."""
    paper = (251, 250, 246)
    weight = min(max(weight, 0.0), 1.0)
    return "#" + "".join(f"{round(p + (c - p) * weight):02x}" for p, c in zip(paper, colour))


def _tile(pixels, x: float, y: float, cell: float, signed: bool) -> str:
    """A 28×28 picture as an embedded PNG (a few KB, where one SVG rectangle per pixel run costs
    tens). Signed pictures (components) are blue where the weight is positive, orange where
    negative, scaled by the largest weight; ink pictures are dark where the ink is."""
    values = np.asarray(pixels, dtype=float)
    peak = float(np.abs(values).max()) or 1.0
    weight = np.abs(values) / peak if signed else np.clip(values, 0, 1)
    paper = np.array((251, 250, 246), dtype=float)
    colours = (np.where(values[:, None] > 0, np.array(POSITIVE, float), np.array(NEGATIVE, float)) if signed
               else np.tile(np.array(INK, float), (values.size, 1)))
    rgb = (paper + (colours - paper) * weight[:, None]) / 255.0
    scale = max(1, round(cell))
    png = base64.b64encode(encode_rgb([float(v) for v in rgb.ravel()], width=28, scale=scale)).decode()
    side = 28 * cell
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{side:.1f}" height="{side:.1f}" fill="{PAPER}" stroke="{FRAME}"/>'
            f'<image x="{x:.1f}" y="{y:.1f}" width="{side:.1f}" height="{side:.1f}" href="data:image/png;base64,{png}"/>')


def _svg(width: int, height: int, title: str, description: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="t d"><title id="t">{title}</title><desc id="d">{description}</desc>'
            f'<rect width="{width}" height="{height}" rx="12" fill="{PAPER}" stroke="{FRAME}"/>'
            f'<g font-family="{FONT}" font-size="13" fill="{TEXT}">{body}</g></svg>')


def eigen_digits() -> dict:
    """The mean digit and the first EIGEN_DIGITS principal components, each with its share."""
    basis = mnist_data.pca_basis()
    left, top = 16.0, 52.0
    pictures = [("mean digit", basis["mean"], False)] + [
        (f"PC {i + 1}: {100 * basis['explained'][i]:.1f}%", basis["components"][i], True) for i in range(EIGEN_DIGITS)]
    columns = 5
    cell, size, gap = 3.6, 100.8, 30.0
    body = [f'<text x="{left}" y="22" fill="{MUTED}">the mean training digit, then principal components 1 to '
            f'{EIGEN_DIGITS} with their shares of the variance</text>',
            f'<text x="{left}" y="40" fill="{MUTED}">blue: positive weight, orange: negative weight, '
            f'paper: zero</text>']
    for n, (name, pixels, signed) in enumerate(pictures):
        x = left + (n % columns) * (size + gap)
        y = top + (n // columns) * (size + 34)
        body.append(_tile(pixels, x, y, cell, signed))
        body.append(f'<text x="{x + size / 2:.1f}" y="{y + size + 16:.1f}" text-anchor="middle">{name}</text>')
    width = int(left * 2 + columns * (size + gap) - gap)
    height = int(top + 2 * (size + 34) + 4)
    shares = ", ".join(f"{100 * s:.1f}%" for s in basis["explained"][:EIGEN_DIGITS])
    description = (f"Nine 28 by 28 pictures. The first is the mean training digit, a grey blur of ink. The others are "
                   f"principal components 1 to {EIGEN_DIGITS}, drawn with positive weights in blue and negative "
                   f"weights in orange; they explain {shares} of the variance. Early components are broad "
                   f"blobs; later ones are finer.")
    return {"svg": _svg(width, height, "The mean digit and the first eigen-digits", description, "".join(body)),
            "alt": description}


def _scatter(xs, ys, x0: float, y0: float, size: float, xlabel: str, ylabel: str, r: float) -> str:
    parts = [f'<rect x="{x0}" y="{y0}" width="{size}" height="{size}" fill="none" stroke="{FRAME}"/>']
    for t in (0.0, 0.5, 1.0):
        parts.append(f'<text x="{x0 + t * size:.1f}" y="{y0 + size + 15:.1f}" text-anchor="middle" '
                     f'fill="{MUTED}" font-size="11">{t:g}</text>')
        parts.append(f'<text x="{x0 - 6:.1f}" y="{y0 + (1 - t) * size + 4:.1f}" text-anchor="end" '
                     f'fill="{MUTED}" font-size="11">{t:g}</text>')
    for a, b in zip(xs, ys):
        parts.append(f'<circle cx="{x0 + a * size:.1f}" cy="{y0 + (1 - b) * size:.1f}" r="3" '
                     f'fill="{_mix(POSITIVE, 1)}" fill-opacity="0.35"/>')
    blank = sum(1 for a, b in zip(xs, ys) if a == 0 and b == 0)
    parts.append(f'<text x="{x0 + size / 2:.1f}" y="{y0 + size + 50:.1f}" text-anchor="middle" fill="{MUTED}" '
                 f'font-size="11">{blank} of the dots lie on top of each other at (0, 0)</text>')
    parts.append(f'<text x="{x0 + size / 2:.1f}" y="{y0 + size + 32:.1f}" text-anchor="middle">{xlabel}</text>')
    parts.append(f'<text transform="translate({x0 - 30:.1f} {y0 + size / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle">{ylabel}</text>')
    parts.append(f'<text x="{x0 + size / 2:.1f}" y="{y0 - 8:.1f}" text-anchor="middle" font-weight="700">'
                 f'correlation {signed(r)}</text>')
    return "".join(parts)


def neighbour_pixels() -> dict:
    """One pixel against its right-hand neighbour and against a far pixel, over the sample digits."""
    digits = sample_digits()
    pairs = pixel_pairs()
    here, right, far = digits[:, _index(PIXEL)], digits[:, _index(PIXEL) + 1], digits[:, _index(FAR)]
    (r, c), (fr, fc) = PIXEL, FAR
    size, top = 220.0, 66.0
    body = [f'<text x="20" y="22" fill="{MUTED}">each dot is one of the {len(digits)} sample test digits '
            f'(brightness: 0 = background, 1 = ink)</text>',
            _scatter(here, right, 70.0, top, size, f"pixel (row {r}, column {c})", f"its neighbour (column {c + 1})",
                     pairs["neighbour_r"]),
            _scatter(here, far, 70.0 + size + 90.0, top, size, f"pixel (row {r}, column {c})",
                     f"pixel (row {fr}, column {fc})", pairs["far_r"])]
    width, height = int(70 + 2 * size + 90 + 30), int(top + size + 64)
    description = (f"Two scatter plots over {len(digits)} test digits. Left: the brightness of the pixel in row {r}, "
                   f"column {c} against its right-hand neighbour, correlation {signed(pairs['neighbour_r'])}; "
                   f"{pairs['both_blank']} digits have both pixels blank, so their dots pile up at the bottom-left "
                   f"corner, and of the others {100 * pairs['neighbour_near_diagonal']:.0f}% lie within {DIAGONAL:g} of "
                   f"the diagonal. Right: the same pixel against the pixel in row {fr}, column {fc}, correlation "
                   f"{signed(pairs['far_r'])}; {pairs['far_both_blank']} dots pile up at the corner, and of the others "
                   f"{100 * pairs['far_near_diagonal']:.0f}% lie within {DIAGONAL:g} of the diagonal.")
    return {"svg": _svg(width, height, "A pixel against its neighbour, and against a far pixel", description,
                        "".join(body)), "alt": description}
