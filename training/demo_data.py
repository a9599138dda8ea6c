"""Data the browser demos need besides the networks, exported beside the weights.

- `mnist-digits`: a few real test digits per class (uint8), for the demos that start from
  a real digit (interpolation, latent arithmetic, the 784-dimensional view).
- `mnist-pca`: the mean digit and the leading principal components of the training split,
  float16, plus every component's share of the variance (for the PCA demo and chapter).

Both are recorded under "data" in weights/manifest.json, with sha256 and size, so the
browser fetches and verifies them like the models.

    python -m training.demo_data [--data-dir DIR] [--out DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from py_runtime.safetensors import write as safetensors_write

from .export import _dumps, rounded
from .mnist import load_mnist, split
from .pca import PCA
from .train import WEIGHTS_DIR

DIGITS_PER_CLASS = 20
PCA_COMPONENTS = 64


def sample_digits(test_images: np.ndarray, test_labels: np.ndarray, per_class: int = DIGITS_PER_CLASS):
    """The first `per_class` test digits of each class, ordered 0,1,...,9,0,1,...: reproducible."""
    by_class = [np.flatnonzero(test_labels == c)[:per_class] for c in range(10)]
    order = np.array([by_class[c][i] for i in range(per_class) for c in range(10)])
    return test_images[order], test_labels[order], order


def write_data(out_dir: Path, name: str, tensors: dict, entry: dict) -> dict:
    """Write NAME.safetensors and merge its entry into manifest.json under "data"."""
    raw = safetensors_write(tensors, {"source": "MNIST", "written_by": "training.demo_data"})
    file = f"{name}.safetensors"
    (out_dir / file).write_bytes(raw)
    entry = {"file": file, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw), **entry}
    path = out_dir / "manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else {"format": 1, "models": {}}
    manifest.setdefault("data", {})[name] = entry
    manifest["data"] = dict(sorted(manifest["data"].items()))
    path.write_text(_dumps(manifest) + "\n")
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
    ratio = pca.variances / pca.variances.sum()
    components = pca.components[:PCA_COMPONENTS].astype("<f2")
    basis = write_data(out_dir, "mnist-pca", {
        "mean": ("F16", (784,), pca.mean.astype("<f2").tobytes()),
        "components": ("F16", components.shape, components.tobytes()),
    }, {"description": f"mean and the {PCA_COMPONENTS} leading principal components of the "
                       f"{len(train_x):,} training digits",
        "components": PCA_COMPONENTS, "fit_on": int(len(train_x)),
        "explained_variance_ratio": rounded(ratio[:PCA_COMPONENTS].tolist(), 6),
        "cumulative_explained_variance": {str(k): round(float(ratio[:k].sum()), 4)
                                          for k in (1, 2, 3, 5, 10, 16, 20, 32, 50, 64, 100, 200, 784)}})
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
