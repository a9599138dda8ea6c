"""Loading models from the manifest: bytes or paths, both backends, and every way a file can be bad."""

import json
import os
import struct
import subprocess
import sys

import pytest

import py_runtime
from py_runtime import ManifestError, WeightFileError, load_model
from runtime_helpers import MODELS, REPO, WEIGHTS, committed_manifest


@pytest.fixture(scope="module")
def manifest():
    return committed_manifest()


@pytest.fixture(scope="module")
def weights_2d(manifest):
    return (WEIGHTS / manifest["models"]["mnist-ae-2d"]["file"]).read_bytes()


@pytest.mark.parametrize("backend", py_runtime.available_backends())
@pytest.mark.parametrize("name", MODELS)
def test_every_committed_model_loads_from_bytes(manifest, name, backend):
    data = (WEIGHTS / manifest["models"][name]["file"]).read_bytes()
    model = load_model(manifest, name, data, backend=backend)
    assert model.backend == backend
    z = model.encode([0.0] * 784)
    assert len(z) == manifest["models"][name]["latent_dim"]
    image = model.decode(z)
    assert len(image) == 784 and all(0.0 <= v <= 1.0 for v in image)
    assert model.reconstruct([[0.0] * 28] * 28) == pytest.approx(image, abs=1e-5)


def test_load_from_path_and_from_a_manifest_path(manifest):
    a = py_runtime.load("mnist-ae-2d", str(WEIGHTS), backend="python")
    b = load_model(str(WEIGHTS / "manifest.json"), "mnist-ae-2d", backend="python")
    c = load_model(json.dumps(manifest), "mnist-ae-2d", WEIGHTS / "mnist-ae-2d.safetensors", backend="python")
    z = [0.3, -1.0]
    assert a.decode(z) == b.decode(z) == c.decode(z)


def test_backend_selection(monkeypatch):
    previous = py_runtime.current_backend()
    try:
        assert py_runtime.use_backend("python") == "python"
        assert py_runtime.current_backend() == "python"
        with pytest.raises(ValueError, match="unknown backend 'fortran'"):
            py_runtime.use_backend("fortran")
    finally:
        py_runtime.use_backend(previous)


def test_backend_from_environment_variable():
    code = "import py_runtime; print(py_runtime.current_backend())"
    env = dict(os.environ, PY_RUNTIME_BACKEND="python")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "python"


def test_runs_without_numpy():
    """Block NumPy the way a bare Pyodide lacks it: py_runtime must import and compute anyway."""
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import py_runtime\n"
        "assert py_runtime.current_backend() == 'python', py_runtime.current_backend()\n"
        "m = py_runtime.load('mnist-ae-2d')\n"
        "print(m.encode([0.5] * 784))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 2


def test_importing_does_not_import_numpy():
    code = "import sys, py_runtime, py_runtime.__main__; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_truncated_weight_file_is_rejected(manifest, weights_2d):
    with pytest.raises(WeightFileError, match="mnist-ae-2d.safetensors: truncated"):
        load_model(manifest, "mnist-ae-2d", weights_2d[:-100])


def test_corrupt_weight_bytes_fail_the_checksum(manifest, weights_2d):
    corrupt = bytearray(weights_2d)
    corrupt[-1000] ^= 0xFF
    with pytest.raises(WeightFileError, match="sha256 mismatch"):
        load_model(manifest, "mnist-ae-2d", bytes(corrupt))
    load_model(manifest, "mnist-ae-2d", bytes(corrupt), verify=False)  # structure is still fine


def test_corrupt_header_is_rejected(manifest, weights_2d):
    corrupt = bytearray(weights_2d)
    corrupt[8:12] = b"\xff\xfe\x00{"
    with pytest.raises(WeightFileError, match="corrupt header"):
        load_model(manifest, "mnist-ae-2d", bytes(corrupt))


def rewrite_as_float32(data):
    tensors, metadata = py_runtime.safetensors.read(data)
    return py_runtime.safetensors.write(
        {k: ("F32", t.shape, struct.pack(f"<{t.size}f", *py_runtime.float16.decode(t.data)))
         for k, t in tensors.items()}, metadata)


def test_wrong_dtype_is_rejected(manifest, weights_2d):
    as_f32 = rewrite_as_float32(weights_2d)
    with pytest.raises(WeightFileError, match="has dtype F32, the manifest expects F16"):
        load_model(manifest, "mnist-ae-2d", as_f32, verify=False)


def test_a_file_for_another_model_is_rejected(manifest):
    other = (WEIGHTS / manifest["models"]["mnist-ae-16d"]["file"]).read_bytes()
    with pytest.raises(WeightFileError, match="bytes, the manifest expects|sha256 mismatch"):
        load_model(manifest, "mnist-ae-2d", other)
    with pytest.raises(WeightFileError, match="has shape \\[128, 784\\], expected \\[64, 784\\]"):
        load_model(manifest, "mnist-ae-2d", other, verify=False)


def test_manifest_errors(manifest, weights_2d):
    with pytest.raises(ManifestError, match="'mnist-vae' is not in the manifest; it has: .*mnist-ae-16d"):
        load_model(manifest, "mnist-vae", weights_2d)
    with pytest.raises(ManifestError, match="format"):
        load_model({"format": 99, "models": {}}, "mnist-ae-2d", weights_2d)
    broken = json.loads(json.dumps(manifest))
    broken["models"]["mnist-ae-2d"]["encoder"][0]["activation"] = "swish"
    with pytest.raises(ManifestError, match="unknown activation 'swish'"):
        load_model(broken, "mnist-ae-2d", weights_2d)


def test_input_sizes_are_checked(weights_2d, manifest):
    model = load_model(manifest, "mnist-ae-2d", weights_2d, backend="python")
    with pytest.raises(ValueError, match="784 pixels, got 100"):
        model.encode([0.0] * 100)
    with pytest.raises(ValueError, match="must have 2 values, got 3"):
        model.decode([0.0, 0.0, 0.0])
