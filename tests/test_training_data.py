"""training.mnist (IDX -> NumPy, data search order) and training.pca."""

import gzip
import struct

import numpy as np
import pytest

from py_runtime.idx import IDXError
from training import mnist
from training.pca import PCA
from runtime_helpers import mnist_dir


def write_fake_mnist(directory, n_train=12, n_test=6, gz=True):
    """Tiny but well-formed IDX files; the counts are patched in to fit the checks."""
    rng = np.random.default_rng(0)
    files = {"train-images-idx3-ubyte": (0x803, (n_train, 28, 28)), "train-labels-idx1-ubyte": (0x801, (n_train,)),
             "t10k-images-idx3-ubyte": (0x803, (n_test, 28, 28)), "t10k-labels-idx1-ubyte": (0x801, (n_test,))}
    for stem, (magic, dims) in files.items():
        payload = rng.integers(0, 10 if magic == 0x801 else 256, size=dims, dtype=np.uint8).tobytes()
        data = struct.pack(f">I{len(dims)}I", magic, *dims) + payload
        (directory / (stem + (".gz" if gz else ""))).write_bytes(gzip.compress(data) if gz else data)


@pytest.fixture
def small_counts(monkeypatch):
    files = {k: (v[0], v[1], 12 if k.startswith("train") else 6, v[3]) for k, v in mnist.FILES.items()}
    monkeypatch.setattr(mnist, "FILES", files)


@pytest.mark.parametrize("gz", [True, False])
def test_reads_gzipped_and_plain_idx(tmp_path, small_counts, gz):
    write_fake_mnist(tmp_path, gz=gz)
    data = mnist.load_mnist(tmp_path)
    assert data["train_images"].shape == (12, 28, 28) and data["test_labels"].shape == (6,)
    x = mnist.to_float(data["test_images"])
    assert x.shape == (6, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1


def test_wrong_counts_and_magic_are_rejected(tmp_path):
    write_fake_mnist(tmp_path)  # 12 digits where MNIST has 60,000
    with pytest.raises(IDXError, match="expected \\(60000"):
        mnist.load_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(struct.pack(">II", 0x803, 0)))
    with pytest.raises(IDXError, match="magic"):
        mnist.read_file(tmp_path, "test_labels")


def test_search_order_and_a_clear_message_without_network(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist, "SHARED_DIR", tmp_path / "nowhere")
    monkeypatch.setattr(mnist, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setattr(mnist, "fetch", lambda d: pytest.fail("must not download unless asked"))
    with pytest.raises(mnist.MNISTNotFound, match="--data-dir"):
        mnist.find_data_dir()
    with pytest.raises(mnist.MNISTNotFound, match="does not hold the four MNIST IDX files"):
        mnist.find_data_dir(tmp_path)
    write_fake_mnist(tmp_path)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    assert mnist.find_data_dir() == tmp_path


def test_the_real_files_and_the_shared_split():
    data = mnist.load_mnist(mnist_dir())
    assert data["train_images"].shape == (60000, 28, 28) and data["test_images"].shape == (10000, 28, 28)
    assert data["test_labels"][:4].tolist() == [7, 2, 1, 0]
    train_x, train_y, val_x, val_y, test_x, test_y = mnist.split(data)
    assert (len(train_x), len(val_x), len(test_x)) == (55000, 5000, 10000)
    again = mnist.split(data)
    assert np.array_equal(again[3], val_y)


def test_pca_is_exact_at_full_rank_and_improves_with_k():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((200, 5)) @ rng.standard_normal((5, 12))  # rank 5
    pca = PCA.fit(x)
    errors = [pca.mse(x, k) for k in range(1, 6)]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] == pytest.approx(0.0, abs=1e-20)
    # Matches the SVD's reconstruction error at k = 2.
    centred = x - x.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    assert pca.mse(x, 2) == pytest.approx(np.mean((centred - (u[:, :2] * s[:2]) @ vt[:2]) ** 2))
