"""PyTorch, the NumPy backend and the pure-Python backend agree on the committed sample: 200 MNIST
test digits, 20 of each class (weights/mnist-digits.safetensors), so the test runs without the IDX files."""

import pytest

import py_runtime
from runtime_helpers import MODELS, WEIGHTS, committed_manifest, sample_digits

TOLERANCE = 2e-3  # the bound; in practice the backends agree to ~1e-5


def torch_reference(name, images):
    """The trained network in PyTorch, with the shipped float16 weights read back in."""
    torch = pytest.importorskip("torch")
    np = pytest.importorskip("numpy")
    from training.models import Autoencoder

    entry = committed_manifest()["models"][name]
    tensors, _ = py_runtime.safetensors.read((WEIGHTS / entry["file"]).read_bytes())
    state = {k: torch.from_numpy(np.frombuffer(bytes(t.data), dtype="<f2").astype(np.float32).reshape(t.shape))
             for k, t in tensors.items()}
    sizes = [784] + [layer["out"] for layer in entry["encoder"]]
    model = Autoencoder(sizes)
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        x = torch.from_numpy(images)
        return model.encoder(x).numpy(), model(x).numpy()


@pytest.mark.parametrize("name", MODELS)
def test_three_way_parity_on_every_sample_digit(name, pure_python):
    np = pytest.importorskip("numpy")
    images, labels = sample_digits()
    assert len(images) == committed_manifest()["data"]["mnist-digits"]["count"]
    assert set(labels.tolist()) == set(range(10))                    # every class
    torch_z, torch_out = torch_reference(name, images)

    numpy_model = py_runtime.load(name, WEIGHTS, backend="numpy")
    python_model = pure_python.load(name, WEIGHTS)
    numpy_z, numpy_out = np.array(numpy_model.encode_batch(images)), np.array(numpy_model.reconstruct_batch(images))
    rows = images.tolist()
    python_z = np.array([python_model.encode(r) for r in rows])
    python_out = np.array([python_model.decode(z) for z in python_z.tolist()])

    for label, out in (("numpy", numpy_out), ("python", python_out)):
        assert np.abs(out - torch_out).max() <= TOLERANCE, label
    assert np.abs(numpy_out - python_out).max() <= TOLERANCE
    # Latents are unbounded (not squashed to [0, 1]), so compare them relative to their scale.
    scale = np.abs(torch_z).max()
    assert np.abs(numpy_z - torch_z).max() <= TOLERANCE * scale
    assert np.abs(python_z - torch_z).max() <= TOLERANCE * scale
