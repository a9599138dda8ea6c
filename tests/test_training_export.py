"""training.export: safetensors that py_runtime reads back, and a manifest that merges."""

import hashlib
import json
import struct

import numpy as np

from py_runtime import float16, safetensors
from training import export


def test_safetensors_written_by_training_read_by_runtime(tmp_path):
    tensors = {"a.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "a.bias": np.array([1.5, -2.0])}
    written = export.write_safetensors(tmp_path, "m", {k: export.float16_tensor(v) for k, v in tensors.items()},
                                       {"model": "m"})
    data = (tmp_path / written["file"]).read_bytes()
    assert written == {"file": "m.safetensors", "sha256": safetensors.sha256_hex(data), "bytes": len(data)}
    read, metadata = safetensors.read(data)
    assert list(read) == ["a.weight", "a.bias"] and metadata == {"model": "m"}
    assert float16.decode(read["a.weight"].data) == (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
    assert read["a.bias"].shape == (2,)


def test_export_layers_writes_the_exact_bytes_the_runtime_reads(tmp_path):
    """Byte for byte: u64 header length, compact JSON (metadata first, tensors in the runtime's
    order) padded with spaces to 8 bytes, then little-endian float16 data (py_runtime.safetensors.write)."""
    tensors = {"l.bias": np.array([1.0, -1.0]), "l.weight": np.array([[0.1, 0.2], [0.3, 0.4]], dtype=np.float32)}
    entry = export.export_layers(tmp_path, "m", [{"weight": "l.weight", "bias": "l.bias"}], tensors)
    data = (tmp_path / "m.safetensors").read_bytes()
    header = (b'{"__metadata__":{"model":"m","format":"pt"},'
              b'"l.weight":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},'
              b'"l.bias":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}}')
    header += b" " * (-len(header) % 8)
    raw = tensors["l.weight"].astype("<f2").tobytes() + tensors["l.bias"].astype("<f2").tobytes()
    assert data == struct.pack("<Q", len(header)) + header + raw
    assert entry == {"file": "m.safetensors", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                     "dtype": "F16", "parameters": 6}


def test_manifest_merge_keeps_other_models(tmp_path):
    export.update_manifest(tmp_path, "b-model", {"latent_dim": 2, "points": [[1.0, 2.0], [3.0, 4.0]]})
    export.update_manifest(tmp_path, "a-model", {"latent_dim": 16})
    export.update_manifest(tmp_path, "b-model", {"latent_dim": 3})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == {"format": 1, "models": {"a-model": {"latent_dim": 16}, "b-model": {"latent_dim": 3}}}
    assert list(manifest["models"]) == ["a-model", "b-model"]


def test_rounding_for_the_manifest():
    assert export.rounded([[1.23456789, 2], [3.0]], 3) == [[1.235, 2.0], [3.0]]
