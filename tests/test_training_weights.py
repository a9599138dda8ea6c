"""The committed weights: present, intact, and meeting the issue's figures."""

import hashlib

import pytest

from runtime_helpers import MODELS, WEIGHTS, committed_manifest


@pytest.fixture(scope="module")
def models():
    return committed_manifest()["models"]


def test_every_model_is_committed_with_its_checksum(models):
    assert set(MODELS) <= set(models)          # the MNIST models, and the face swap beside them
    for name, entry in models.items():
        data = (WEIGHTS / entry["file"]).read_bytes()
        assert len(data) == entry["bytes"], name
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name


@pytest.mark.parametrize("name", ["mnist-ae-2d", "mnist-ae-16d"])
def test_autoencoders_beat_pca_by_the_goal(models, name):
    entry = models[name]
    assert entry["pca_components"] == entry["latent_dim"]
    assert entry["test_mse"] <= 0.75 * entry["pca_test_mse"]


def test_denoiser_beats_pca_denoising(models):
    entry = models["mnist-dae"]
    assert entry["test_mse"] < entry["pca_test_mse"]


def test_2d_model_size_and_shape(models):
    entry = models["mnist-ae-2d"]
    assert entry["bytes"] <= 210_000
    sizes = [784] + [layer["out"] for layer in entry["encoder"] + entry["decoder"]]
    assert sizes == [784, 64, 16, 2, 16, 64, 784]
    assert len(entry["latent_sample"]["points"]) == len(entry["latent_sample"]["labels"]) >= 1000
    assert sorted(entry["centroids"]) == [str(d) for d in range(10)]
