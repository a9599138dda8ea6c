"""Training end to end on a few hundred digits: reproducible, exported, loadable, and the CLI."""

import json
import subprocess
import sys

import pytest

from runtime_helpers import REPO, mnist, mnist_dir, test_digits

torch = pytest.importorskip("torch")

from training.train import train  # noqa: E402  (needs torch)


@pytest.mark.slow
def test_tiny_training_run_exports_a_model_py_runtime_can_run(tmp_path, pure_python):
    entry = train("mnist-ae-2d", data=mnist(), epochs=2, out_dir=tmp_path, limit=400, log=lambda *a: None)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["models"]["mnist-ae-2d"] == entry
    for key in ("sha256", "bytes", "encoder", "decoder", "training", "test_mse", "pca_test_mse",
                "centroids", "latent_sample", "latent_range"):
        assert key in entry
    assert [layer["activation"] for layer in entry["decoder"]] == ["relu", "relu", "sigmoid"]
    assert len(entry["training"]["history"]) == 2
    assert sorted(entry["centroids"]) == [str(d) for d in range(10)]
    assert len(entry["latent_sample"]["points"]) == len(entry["latent_sample"]["labels"]) == 400

    model = pure_python.load("mnist-ae-2d", tmp_path)
    images, _ = test_digits(3)
    z = model.encode(images[0].tolist())
    assert z == pytest.approx(entry["latent_sample"]["points"][0], abs=2e-3)

    # Same seed, same bytes; retraining another model keeps this entry.
    again = train("mnist-ae-2d", data=mnist(), epochs=2, out_dir=tmp_path / "again", limit=400, log=lambda *a: None)
    assert again["sha256"] == entry["sha256"]
    train("mnist-dae", data=mnist(), epochs=1, out_dir=tmp_path, limit=200, log=lambda *a: None)
    models = json.loads((tmp_path / "manifest.json").read_text())["models"]
    assert sorted(models) == ["mnist-ae-2d", "mnist-dae"]
    assert models["mnist-dae"]["training"]["corruption"]["gaussian_std"] > 0
    assert "test_mse_clean" in models["mnist-dae"]


@pytest.mark.slow
def test_training_cli(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "training", "mnist-ae-16d", "--epochs", "1", "--limit", "300",
         "--data-dir", str(mnist_dir()), "--out", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "epoch   1/1" in out.stdout and "PCA-16" in out.stdout and "done: mnist-ae-16d" in out.stdout
    assert (tmp_path / "mnist-ae-16d.safetensors").is_file()


def test_training_cli_without_data(tmp_path):
    out = subprocess.run([sys.executable, "-m", "training", "mnist-ae-2d", "--data-dir", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "does not hold the four MNIST IDX files" in out.stderr
