"""py_runtime: run the site's MNIST autoencoders in plain Python, with or without NumPy.

The same code runs on CPython (NumPy backend when NumPy is installed, pure Python
otherwise) and inside Pyodide in the browser, where the page fetches the weights and
hands the bytes over:

    import py_runtime
    model = py_runtime.load_model(manifest_dict, "mnist-ae-2d", weight_bytes)
    z = model.encode(py_runtime.canvas_to_mnist(drawing_rows))
    picture = model.decode(py_runtime.latent.add(z, direction))

Modules, one job each: backend (NumPy or pure Python), float16, safetensors,
manifest, layers, model, latent (vector arithmetic), preprocess (canvas -> MNIST),
png (tiny PNG codec), idx (MNIST's file format), params (cleaning what a page sends),
and __main__ (the CLI). The demos are in py_runtime.demos, which imports this core and is
never imported by it.
"""

from . import latent
from .backend import available_backends, current_backend, use_backend
from .manifest import ManifestError, load_manifest
from .model import Autoencoder, default_weights_dir, load, load_model
from .preprocess import canvas_to_mnist, rgba_to_ink
from .safetensors import WeightFileError

__version__ = "0.1.0"

__all__ = [
    "Autoencoder", "ManifestError", "WeightFileError", "available_backends", "canvas_to_mnist",
    "current_backend", "default_weights_dir", "latent", "load", "load_manifest", "load_model",
    "rgba_to_ink", "use_backend",
]
