"""Data the browser demos need besides the networks, exported beside the weights.

- `mnist-digits`: a few real test digits per class (uint8), for the demos that start from
  a real digit (interpolation, latent arithmetic, the 784-dimensional view).
- `mnist-pca`: the mean digit and the leading principal components of the training split,
  float16, plus every component's share of the variance (for the PCA demo and chapter),
  the number of components that reach a given share (`components_for_variance`, from the
  full spectrum) and how strongly neighbouring pixels move together
  (`neighbour_pixel_correlation`, against `pixel_pair_correlation` for any two pixels).

Both are recorded under "data" in weights/manifest.json, with sha256 and size, so the
browser fetches and verifies them like the models.

    python -m training.demo_data [--data-dir DIR] [--out DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .export import WEIGHTS_DIR, float16_tensor, rounded, update_manifest, write_safetensors
from .mnist import load_mnist, split
from .pca import PCA

DIGITS_PER_CLASS = 20
PCA_COMPONENTS = 64
VARIANCE_SHARES = ("0.5", "0.8", "0.9", "0.95", "0.99")
TABULATED_COUNTS = (1, 2, 3, 5, 10, 16, 20, 32, 50, 64, 100, 200, 784)


def sample_digits(test_images: np.ndarray, test_labels: np.ndarray, per_class: int = DIGITS_PER_CLASS):
    """The first `per_class` test digits of each class, ordered 0,1,...,9,0,1,...: reproducible."""
    by_class = [np.flatnonzero(test_labels == c)[:per_class] for c in range(10)]
    order = np.array([by_class[c][i] for i in range(per_class) for c in range(10)])
    return test_images[order], test_labels[order], order


def _correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of a with the same column of b, over the rows."""
    a, b = a - a.mean(axis=0), b - b.mean(axis=0)
    return (a * b).mean(axis=0) / (a.std(axis=0) * b.std(axis=0))


def _neighbour_pairs(images: np.ndarray):
    """Each pixel and its right-hand neighbour, as two (N, 28·27) arrays, and which of the
    28·27 pairs have two pixels of nonzero variance over the N images."""
    grid = np.asarray(images, dtype=np.float64).reshape(len(images), 28, 28)
    left, right = grid[:, :, :-1].reshape(len(grid), -1), grid[:, :, 1:].reshape(len(grid), -1)
    return left, right, (left.std(axis=0) > 0) & (right.std(axis=0) > 0)


def neighbour_pixel_correlation(images: np.ndarray) -> float:
    """How alike a pixel and its right-hand neighbour are, across the data set.

    For each of the 28 x 27 horizontally adjacent pairs (row r, columns c and c + 1), the
    Pearson correlation of the two pixels' values over all images; then the plain mean of
    those correlations over the pairs in which both pixels have nonzero variance (a pixel
    that is 0 in every image has no correlation with anything)."""
    left, right, varies = _neighbour_pairs(images)
    return float(_correlation(left[:, varies], right[:, varies]).mean())


def pixel_pair_correlation(covariance: np.ndarray) -> float:
    """The same for any two pixels: the mean correlation over all pairs of distinct pixels
    with nonzero variance, from the covariance matrix (the baseline the neighbours beat)."""
    spread = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    varies = spread > 0
    correlation = covariance[np.ix_(varies, varies)] / np.outer(spread[varies], spread[varies])
    n = int(varies.sum())
    return float((correlation.sum() - np.trace(correlation)) / (n * (n - 1)))


def write_data(out_dir: Path, name: str, tensors: dict, entry: dict) -> dict:
    """Write NAME.safetensors and merge its entry into manifest.json under "data"."""
    written = write_safetensors(out_dir, name, tensors, {"source": "MNIST", "written_by": "training.demo_data"})
    entry = {**written, **entry}
    update_manifest(out_dir, name, entry, section="data")
    return entry


def export(data: dict, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    images, labels, indices = sample_digits(data["test_images"], data["test_labels"])
    digits = write_data(out_dir, "mnist-digits", {
        "images": ("U8", images.shape, images.astype(np.uint8).tobytes()),
        "labels": ("U8", labels.shape, labels.astype(np.uint8).tobytes()),
    }, {"description": f"{DIGITS_PER_CLASS} MNIST test digits of each class, uint8, in the order 0-9 repeated",
        "count": int(len(labels)), "test_indices": [int(i) for i in indices]})

    train_x, *_ = split(data)
    pca = PCA.fit(train_x)
    ratio = pca.explained_ratio()
    centred = np.asarray(train_x, dtype=np.float64) - pca.mean
    basis = write_data(out_dir, "mnist-pca", {
        "mean": float16_tensor(pca.mean),
        "components": float16_tensor(pca.components[:PCA_COMPONENTS]),
    }, {"description": f"mean and the {PCA_COMPONENTS} leading principal components of the "
                       f"{len(train_x):,} training digits",
        "components": PCA_COMPONENTS, "fit_on": int(len(train_x)),
        "explained_variance_ratio": rounded(ratio[:PCA_COMPONENTS].tolist(), 6),
        "cumulative_explained_variance": {str(k): round(float(ratio[:k].sum()), 4) for k in TABULATED_COUNTS},
        "components_for_variance": {share: pca.components_for_share(float(share)) for share in VARIANCE_SHARES},
        "neighbour_pixel_correlation": round(neighbour_pixel_correlation(train_x), 4),
        "neighbour_pixel_pairs": int(_neighbour_pairs(train_x)[2].sum()),
        "pixel_pair_correlation": round(pixel_pair_correlation(centred.T @ centred / len(centred)), 4)})
    return {"mnist-digits": digits, "mnist-pca": basis}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.demo_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="directory with the MNIST IDX files (default: $MNIST_DIR, "
                                           "then ../shared/data/mnist)")
    parser.add_argument("--out", default=str(WEIGHTS_DIR), help="output directory (default: weights/)")
    args = parser.parse_args(argv)
    entries = export(load_mnist(args.data_dir), Path(args.out))
    for name, entry in entries.items():
        print(f"{name}: {entry['file']}, {entry['bytes']:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
