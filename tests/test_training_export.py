"""training.export: safetensors that py_runtime reads back, and a manifest that merges."""

import json

import numpy as np

from py_runtime import float16, safetensors
from training import export


def test_safetensors_written_by_training_read_by_runtime(tmp_path):
    tensors = {"a.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "a.bias": np.array([1.5, -2.0])}
    name, sha, size = export.write_weights(tmp_path, "m", {k: v.astype(np.float16) for k, v in tensors.items()},
                                           {"model": "m"})
    data = (tmp_path / name).read_bytes()
    assert len(data) == size and safetensors.sha256_hex(data) == sha
    read, metadata = safetensors.read(data)
    assert list(read) == ["a.weight", "a.bias"] and metadata == {"model": "m"}
    assert float16.decode(read["a.weight"].data) == (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
    assert read["a.bias"].shape == (2,)


def test_runtime_writer_and_training_writer_agree():
    array = np.array([[0.1, 0.2], [0.3, 0.4]], dtype=np.float16)
    ours = export.safetensors_bytes({"w": array}, {"k": "v"})
    theirs = safetensors.write({"w": ("F16", (2, 2), array.tobytes())}, {"k": "v"})
    assert ours == theirs


def test_manifest_merge_keeps_other_models(tmp_path):
    export.update_manifest(tmp_path, "b-model", {"latent_dim": 2, "points": [[1.0, 2.0], [3.0, 4.0]]})
    export.update_manifest(tmp_path, "a-model", {"latent_dim": 16})
    export.update_manifest(tmp_path, "b-model", {"latent_dim": 3})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == {"format": 1, "models": {"a-model": {"latent_dim": 16}, "b-model": {"latent_dim": 3}}}
    assert list(manifest["models"]) == ["a-model", "b-model"]


def test_rounding_for_the_manifest():
    assert export.rounded([[1.23456789, 2], [3.0]], 3) == [[1.235, 2.0], [3.0]]
