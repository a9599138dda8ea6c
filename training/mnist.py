"""MNIST from its IDX files (gzipped or not), as NumPy arrays.

Where the files are looked for, in order: the directory passed in (`--data-dir`),
$MNIST_DIR, `../shared/data/mnist` beside the repository, and - only when asked with
`download=True` - a download into `~/.cache/deepfakes-explained/mnist`.

    data = load_mnist()                     # dict of uint8 arrays
    x = to_float(data["test_images"][:10])  # (10, 784) float32 in [0, 1]
"""

import hashlib
import gzip
import os
import urllib.request
from pathlib import Path

import numpy as np

from py_runtime.idx import IMAGES_MAGIC, LABELS_MAGIC, IDXError, parse_idx

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared" / "data" / "mnist"
CACHE_DIR = Path.home() / ".cache" / "deepfakes-explained" / "mnist"

# name -> (magic, count, MD5 of the uncompressed file)
FILES = {
    "train_images": ("train-images-idx3-ubyte", IMAGES_MAGIC, 60000, "6bbc9ace898e44ae57da46a324031adb"),
    "train_labels": ("train-labels-idx1-ubyte", LABELS_MAGIC, 60000, "a25bea736e30d166cdddb491f175f624"),
    "test_images": ("t10k-images-idx3-ubyte", IMAGES_MAGIC, 10000, "2646ac647ad5339dbf082846283269ea"),
    "test_labels": ("t10k-labels-idx1-ubyte", LABELS_MAGIC, 10000, "27ae3e4e09519cfbb04c329615203637"),
}
# Public mirrors of the original files, tried in order by download().
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
VALIDATION_SIZE = 5000
SPLIT_SEED = 0


class MNISTNotFound(FileNotFoundError):
    pass


def _file_in(directory, stem):
    """The path of `stem` or `stem.gz` inside directory, or None."""
    for candidate in (directory / stem, directory / (stem + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _complete(directory):
    return directory is not None and all(_file_in(Path(directory), f[0]) for f in FILES.values())


def find_data_dir(data_dir=None, download=False):
    """The first directory holding all four files; see the module docstring for the order."""
    tried = []
    for candidate in (data_dir, os.environ.get("MNIST_DIR"), SHARED_DIR, CACHE_DIR):
        if candidate is None:
            continue
        tried.append(str(candidate))
        if _complete(candidate):
            return Path(candidate)
        if candidate == data_dir:
            raise MNISTNotFound(f"--data-dir {data_dir} does not hold the four MNIST IDX files "
                                f"({', '.join(f[0] for f in FILES.values())}, optionally .gz)")
    if download:
        return fetch(CACHE_DIR)
    raise MNISTNotFound("MNIST not found (looked in: " + ", ".join(tried) + "); "
                        "pass --data-dir DIR, set MNIST_DIR, or use --download")


def fetch(directory):
    """Download the four gzipped files from a public mirror and check their MD5s."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stem, _, _, md5 in FILES.values():
        target = directory / (stem + ".gz")
        if target.is_file():
            continue
        for mirror in MIRRORS:
            try:
                print(f"downloading {mirror}{stem}.gz")
                with urllib.request.urlopen(mirror + stem + ".gz", timeout=60) as response:
                    blob = response.read()
            except OSError as error:
                print(f"  failed: {error}")
                continue
            if hashlib.md5(gzip.decompress(blob)).hexdigest() != md5:
                print("  checksum mismatch, trying the next mirror")
                continue
            target.write_bytes(blob)
            break
        else:
            raise MNISTNotFound(f"could not download {stem}.gz from any mirror")
    return directory


def read_file(directory, key):
    """One of the four files as a uint8 array: images (N, 28, 28) or labels (N,)."""
    stem, magic, count, _ = FILES[key]
    path = _file_in(Path(directory), stem)
    if path is None:
        raise MNISTNotFound(f"{stem}[.gz] not in {directory}")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims, payload = parse_idx(data, magic, name=str(path))
    if dims[0] != count or (magic == IMAGES_MAGIC and tuple(dims[1:]) != (28, 28)):
        raise IDXError(f"{path}: shape {dims}, expected ({count}{', 28, 28' if magic == IMAGES_MAGIC else ''})")
    return np.frombuffer(payload, dtype=np.uint8).reshape(dims)


def load_mnist(data_dir=None, download=False):
    """All four arrays: train_images, train_labels, test_images, test_labels."""
    directory = find_data_dir(data_dir, download)
    data = {key: read_file(directory, key) for key in FILES}
    if data["train_labels"].max() > 9 or data["test_labels"].max() > 9:
        raise IDXError(f"{directory}: labels outside 0-9")
    return data


def to_float(images):
    """uint8 images -> (N, 784) float32 pixels in [0, 1], as the networks see them."""
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


def split(data, validation_size=VALIDATION_SIZE, seed=SPLIT_SEED):
    """The fixed train/validation split every model and baseline shares.

    Returns (train_x, train_y, val_x, val_y, test_x, test_y), x as (N, 784) float32.
    """
    order = np.random.default_rng(seed).permutation(len(data["train_images"]))
    val, train = order[:validation_size], order[validation_size:]
    x, y = to_float(data["train_images"]), data["train_labels"].astype(np.int64)
    return (x[train], y[train], x[val], y[val],
            to_float(data["test_images"]), data["test_labels"].astype(np.int64))
