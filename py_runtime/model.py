"""Autoencoders built from the manifest: encode, decode, reconstruct.

    model = load_model(manifest, "mnist-ae-2d", weight_bytes)   # in the browser
    model = load("mnist-ae-2d")                                  # on CPython, from weights/
    z = model.encode(image)        # 784 pixels in [0, 1] (or 28 rows of 28) -> latent list
    image = model.decode(z)        # latent -> 784 pixels
"""

import os

from . import float16, safetensors
from .backend import current_backend, use_backend
from .layers import build_dense
from .manifest import load_manifest, model_entry
from .safetensors import WeightFileError

IMAGE_SIZE = 784


def _flatten(image):
    """784 floats from a flat sequence, 28 rows of 28, or any array with 784 elements."""
    if hasattr(image, "reshape"):
        image = image.reshape(-1).tolist()
    elif len(image) and hasattr(image[0], "__len__"):
        image = [v for row in image for v in row]
    else:
        image = list(image)
    if len(image) != IMAGE_SIZE:
        raise ValueError(f"an MNIST image has {IMAGE_SIZE} pixels, got {len(image)}")
    return [float(v) for v in image]


class Autoencoder:
    """An encoder stack and a decoder stack of dense layers, for one backend."""

    def __init__(self, name, entry, encoder, decoder, backend):
        self.name, self.entry, self.backend = name, entry, backend
        self.encoder, self.decoder = encoder, decoder
        self.latent_dim = entry["latent_dim"]
        self.centroids = {int(k): list(v) for k, v in entry.get("centroids", {}).items()}

    def __repr__(self):
        sizes = [self.encoder[0].n_in] + [layer.n_out for layer in self.encoder + self.decoder]
        return f"Autoencoder({self.name!r}, {'-'.join(map(str, sizes))}, backend={self.backend!r})"

    def _run(self, layers, x):
        for layer in layers:
            x = layer(x)
        return x

    def _vector(self, values, size, what):
        values = _flatten(values) if size == IMAGE_SIZE else [float(v) for v in values]
        if len(values) != size:
            raise ValueError(f"{what} must have {size} values, got {len(values)}")
        if self.backend == "numpy":
            import numpy as np

            return np.asarray(values, dtype=np.float32)
        return values

    def _out(self, x):
        return x.tolist() if self.backend == "numpy" else x

    def encode(self, image):
        """Image -> latent vector (list of latent_dim floats)."""
        return self._out(self._run(self.encoder, self._vector(image, IMAGE_SIZE, "an image")))

    def decode(self, z):
        """Latent vector -> image (list of 784 floats in [0, 1])."""
        return self._out(self._run(self.decoder, self._vector(z, self.latent_dim, "a latent vector")))

    def reconstruct(self, image):
        """decode(encode(image)): what the bottleneck keeps of a digit."""
        z = self._run(self.encoder, self._vector(image, IMAGE_SIZE, "an image"))
        return self._out(self._run(self.decoder, z))

    # Batches: one matrix product per layer with NumPy, a loop in pure Python.
    def _batch(self, layers, items, size):
        if self.backend == "numpy":
            import numpy as np

            x = np.asarray(items, dtype=np.float32).reshape(len(items), size)
            return self._run(layers, x).tolist()
        return [self._run(layers, self._vector(item, size, "an input")) for item in items]

    def encode_batch(self, images):
        return self._batch(self.encoder, images, IMAGE_SIZE)

    def decode_batch(self, latents):
        return self._batch(self.decoder, latents, self.latent_dim)

    def reconstruct_batch(self, images):
        return self._batch(self.encoder + self.decoder, images, IMAGE_SIZE)


def _as_bytes(data):
    """Bytes from bytes-likes, Pyodide's JS Uint8Array proxies, or a path."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return data
    if hasattr(data, "to_bytes"):  # pyodide.ffi.JsProxy of a Uint8Array / ArrayBuffer
        return data.to_bytes()
    with open(os.fspath(data), "rb") as f:
        return f.read()


def tensor_values(tensor, expected_shape, expected_dtype, backend, file_name):
    """One tensor's values, checked against what the manifest says it is: float16 or float32
    decoded to an array (NumPy) or a list of floats (pure Python)."""
    if tensor.dtype != expected_dtype:
        raise WeightFileError(
            f"{file_name}: tensor {tensor.name!r} has dtype {tensor.dtype}, the manifest expects {expected_dtype}"
        )
    if list(tensor.shape) != list(expected_shape):
        raise WeightFileError(
            f"{file_name}: tensor {tensor.name!r} has shape {list(tensor.shape)}, expected {list(expected_shape)}"
        )
    if expected_dtype == "F16":
        return float16.decode_numpy(tensor.data) if backend == "numpy" else float16.decode(tensor.data)
    if backend == "numpy":
        import numpy as np

        return np.frombuffer(bytes(tensor.data), dtype="<f4").copy()
    return list(memoryview(tensor.data).cast("f"))


def layer_tensors(tensors, spec, weight_shape, dtype, backend, file_name):
    """(weight, bias) of the layer `spec` names, each checked and converted by tensor_values: the
    weight of `weight_shape`, the bias one value per output unit (weight_shape[0])."""
    for key in (spec["weight"], spec["bias"]):
        if key not in tensors:
            raise WeightFileError(f"{file_name}: tensor {key!r} named by the manifest is missing")
    weight = tensor_values(tensors[spec["weight"]], weight_shape, dtype, backend, file_name)
    bias = tensor_values(tensors[spec["bias"]], weight_shape[:1], dtype, backend, file_name)
    return weight, bias


def resolve_manifest(manifest, weights_dir=None):
    """(the manifest as a dict, the folder of its weight files) from a dict, a JS object handed
    over from the page, JSON text or a path; the folder is `weights_dir`, else the manifest's
    own folder when it was given as a path, else None (the default weights folder)."""
    if hasattr(manifest, "to_py"):
        manifest = manifest.to_py()
    if weights_dir is None and isinstance(manifest, (str, os.PathLike)) and not str(manifest).lstrip().startswith("{"):
        weights_dir = os.path.dirname(os.fspath(manifest))
    return load_manifest(manifest), weights_dir


def load_model(manifest, name, data=None, *, weights_dir=None, verify=True, backend=None):
    """Build model `name` from a manifest (dict, JSON or path) and its weight file.

    `data` is the weight file's bytes (what the browser fetched) or a path; when it is
    None the file named in the manifest is read from `weights_dir` (default: beside
    the manifest, if that was a path). With verify=True the sha256 and byte count
    must match the manifest. The structure of the file is always checked.
    """
    manifest, weights_dir = resolve_manifest(manifest, weights_dir)
    entry = model_entry(manifest, name)
    file_name = entry["file"]
    tensors = read_weights(entry, data, weights_dir, verify)

    backend = use_backend(backend) if backend else current_backend()
    dtype = entry.get("dtype", "F16")
    n_in = IMAGE_SIZE
    stacks = {}
    for part in ("encoder", "decoder"):
        stacks[part] = []
        for spec in entry[part]:
            bias = tensors.get(spec["bias"])
            n_out = spec.get("out", bias.shape[0] if bias is not None and bias.shape else 0)
            weight, bias = layer_tensors(tensors, spec, (n_out, n_in), dtype, backend, file_name)
            stacks[part].append(build_dense(backend, (n_out, n_in), weight, bias, spec["activation"]))
            n_in = n_out
        if part == "encoder" and n_in != entry["latent_dim"]:
            raise WeightFileError(f"{file_name}: the encoder ends in {n_in} units, latent_dim is {entry['latent_dim']}")
    if n_in != IMAGE_SIZE:
        raise WeightFileError(f"{file_name}: the decoder ends in {n_in} units, not {IMAGE_SIZE}")
    return Autoencoder(name, entry, stacks["encoder"], stacks["decoder"], backend)


def read_weights(entry, data=None, weights_dir=None, verify=True):
    """The tensors of a manifest entry's weight file: from `data` (bytes or a path) or the
    weights folder; the structure is always checked, size and sha256 when `verify`."""
    file_name = entry["file"]
    if data is None:
        data = os.path.join(weights_dir or default_weights_dir(), file_name)
    data = _as_bytes(data)
    tensors, _ = safetensors.read(data, name=file_name)
    if verify:
        if "bytes" in entry and len(data) != entry["bytes"]:
            raise WeightFileError(f"{file_name}: {len(data)} bytes, the manifest expects {entry['bytes']}")
        safetensors.verify_sha256(data, entry["sha256"], name=file_name)
    return tensors


def default_weights_dir():
    """$PY_RUNTIME_WEIGHTS, else the repository's weights/ (beside this package), else ./weights."""
    if os.environ.get("PY_RUNTIME_WEIGHTS"):
        return os.environ["PY_RUNTIME_WEIGHTS"]
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "weights")
    return beside if os.path.isfile(os.path.join(beside, "manifest.json")) else "weights"


def load(name="mnist-ae-2d", weights_dir=None, *, verify=True, backend=None):
    """Load a model from a weights directory on disk (CPython convenience)."""
    weights_dir = weights_dir or default_weights_dir()
    return load_model(os.path.join(weights_dir, "manifest.json"), name, weights_dir=weights_dir,
                      verify=verify, backend=backend)
