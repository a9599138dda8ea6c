"""Chapter 11's numbers and its one failure, measured on the site's 16-D autoencoder and the
20 sample digits of each class it ships (weights/mnist-digits): does a 1's slant survive
a − c₁ + c₇, how far past k = 1 the demo's result lies from every encoded digit, and how
far apart the class centroids are."""
from __future__ import annotations

import numpy as np

import py_runtime
from py_runtime.demos._lib import mnist_data
from py_runtime.png import encode_gray, tile

MODEL = "mnist-ae-16d"
SAMPLES = 20
VIDEO_ONE = 0                    # the 1 the latent-arithmetic video starts from (animations/latent_arithmetic.py)
DEMO_A = (2, 18)                 # the demo's opening a: a bold 2 (py_runtime/demos/latent_arithmetic.DEFAULTS)
KS = (0.0, 0.5, 1.0, 1.5, 2.0)


def _model():
    return py_runtime.load(MODEL)


def _centroids(model) -> dict[int, np.ndarray]:
    return {int(k): np.array(v) for k, v in model.centroids.items()}


def slant(pixels) -> float:
    """How far the stroke leans right per row going up: −μ₁₁/μ₀₂ of the ink's second moments
    (0 for an upright stroke, positive when the top is to the right of the bottom)."""
    image = np.asarray(pixels, dtype=float).reshape(28, 28)
    ys, xs = np.mgrid[0:28, 0:28]
    ink = image.sum()
    mx, my = (image * xs).sum() / ink, (image * ys).sum() / ink
    return float(-(image * (xs - mx) * (ys - my)).sum() / (image * (ys - my) ** 2).sum())


def nearest_class(model, code, centroids) -> int:
    return min(centroids, key=lambda k: float(np.linalg.norm(code - centroids[k])))


def ones_to_sevens(model=None) -> list[dict]:
    """For each sample 1: its slant, its offset from the mean 1, and what a − c₁ + c₇ decodes to:
    the decoded picture's slant and the class its re-encoded code lands nearest."""
    model = model or _model()
    c = _centroids(model)
    rows = []
    for which in range(SAMPLES):
        pixels = mnist_data.digit(1, which)
        code = np.array(model.encode(pixels))
        decoded = np.array(model.decode(code - c[1] + c[7]))
        rows.append({"which": which, "pixels": pixels, "decoded": decoded, "slant_in": slant(pixels),
                     "slant_out": slant(decoded), "offset": float(np.linalg.norm(code - c[1])),
                     "reads_as": nearest_class(model, np.array(model.encode(decoded)), c)})
    return rows


def _encoded_sample(model) -> np.ndarray:
    """The manifest's encoded test digits (codes of test digits, recorded at training time)."""
    return np.array(model.entry["latent_sample"]["points"])


def facts() -> dict:
    model = _model()
    c = _centroids(model)
    rows = ones_to_sevens(model)
    failures = [r for r in rows if r["reads_as"] != 7]
    sevens_slant = slant(model.decode(c[7]))
    # How far the demo's r = a + k (c₃ − c₂) lies from the nearest encoded test digit, against how far
    # an encoded test digit lies from its own nearest neighbour among the others.
    sample = _encoded_sample(model)
    gaps = np.linalg.norm(sample[:, None, :] - sample[None, :, :], axis=2)
    np.fill_diagonal(gaps, np.inf)
    neighbour = np.sort(gaps.min(axis=1))
    a = np.array(model.encode(mnist_data.digit(*DEMO_A)))
    reach = {str(k): float(np.linalg.norm(sample - (a + k * (c[3] - c[2])), axis=1).min()) for k in KS}
    beyond = {k: float((neighbour < d).mean()) for k, d in reach.items()}   # share of digits nearer their neighbour
    distance = lambda u, v: round(float(np.linalg.norm(u - v)), 4)
    video = rows[VIDEO_ONE]
    return {
        "ones": len(rows),
        "slant_correlation": round(float(np.corrcoef([r["slant_in"] for r in rows],
                                                     [r["slant_out"] for r in rows])[0, 1]), 4),
        "read_as_seven": sum(r["reads_as"] == 7 for r in rows),
        "failures": len(failures),
        "failure_reads_as": [r["reads_as"] for r in failures],
        "failure_offset_min": round(min((r["offset"] for r in failures), default=0.0), 2),
        "success_offset_max": round(max((r["offset"] for r in rows if r["reads_as"] == 7), default=0.0), 2),
        "video_slant_in": round(video["slant_in"], 3), "video_slant_out": round(video["slant_out"], 3),
        "mean_seven_slant": round(sevens_slant, 3),
        "mean_one_slant": round(slant(model.decode(c[1])), 3),
        "mean_abs_slant_in": round(float(np.mean([abs(r["slant_in"]) for r in rows])), 3),
        "mean_abs_slant_out": round(float(np.mean([abs(r["slant_out"]) for r in rows])), 3),
        "encoded_digits": len(sample),
        "neighbour_median": round(float(np.median(neighbour)), 3),
        "neighbour_p95": round(float(np.quantile(neighbour, 0.95)), 3),
        "reach": {k: round(v, 3) for k, v in reach.items()},
        "digits_nearer_than_reach": {k: round(v, 4) for k, v in beyond.items()},
        "centroid_distance": {"2-3": distance(c[2], c[3]), "4-9": distance(c[4], c[9]), "0-1": distance(c[0], c[1])},
        "demo_a_to_its_centroid": distance(a, c[2]),
    }


def ones_to_sevens_figure() -> dict:
    """Top row: sample 1s; bottom row: what a − c₁ + c₇ decodes to. The video's 1 first, the most
    upright success next, then every failure (or, if none, the farthest-off 1)."""
    model = _model()
    rows = ones_to_sevens(model)
    successes = sorted((r for r in rows if r["reads_as"] == 7), key=lambda r: abs(r["slant_in"]))
    failures = [r for r in rows if r["reads_as"] != 7] or [max(rows, key=lambda r: r["offset"])]
    shown = [rows[VIDEO_ONE]] + [r for r in successes[:2] if r["which"] != VIDEO_ONE][:1] + failures[:3]
    images = [list(r["pixels"]) for r in shown] + [list(np.clip(r["decoded"], 0, 1)) for r in shown]
    verdict = lambda r: "reads as a 7" if r["reads_as"] == 7 else f"reads as a {r['reads_as']}, not a 7"
    alt = ("Two rows of digits. Top: " + ", ".join(f"sample 1 number {r['which'] + 1}" for r in shown) +
           ". Bottom: each one's code minus the mean code of the 1s plus the mean code of the 7s, decoded: " +
           "; ".join(f"number {r['which'] + 1} {verdict(r)}" for r in shown) + ".")
    return {"png": encode_gray(tile(images, columns=len(shown), factor=4)), "alt": alt}
