"""The manifest: what each weight file holds and how to wire it into a network.

`weights/manifest.json` is written by `python -m training` and read here. Shape::

    {
      "format": 1,
      "models": {
        "mnist-ae-2d": {
          "description": "784-64-16-2 autoencoder, ...",
          "kind": "autoencoder",                  # or "denoising-autoencoder"
          "file": "mnist-ae-2d.safetensors",      # beside manifest.json
          "sha256": "<hex of the whole file>",
          "bytes": 207800,                        # size of the file
          "dtype": "F16",                         # every tensor in the file
          "parameters": 103410,
          "input_shape": [28, 28],                # pixels in [0, 1], ink = 1
          "latent_dim": 2,
          "encoder": [                            # applied in order: x -> act(W x + b)
            {"weight": "encoder.0.weight", "bias": "encoder.0.bias",
             "in": 784, "out": 64, "activation": "relu"},
            ...                                   # last encoder layer: "linear"
          ],
          "decoder": [ ... ],                     # last decoder layer: "sigmoid"
          "training": {"seed": 0, "epochs": 40, "batch_size": 128, "optimizer": "adam",
                       "learning_rate": 0.002, "schedule": "cosine", "loss": "mse",
                       "train_images": 55000, "validation_images": 5000,
                       "corruption": null | {"gaussian_std": .., "clip": [0, 1]},
                       "seconds": 81.2, "torch": "2.13.0",
                       "history": [{"epoch": 1, "train_mse": .., "val_mse": ..}, ...]},
          "test_mse": 0.0371,         # mean squared error per pixel, 10,000 test digits,
                                      # float16 weights; for a denoiser: noisy in, clean out
          "pca_test_mse": 0.0556,     # PCA with latent_dim components, fit on the same
                                      # 55,000 training digits, same test inputs
          "pca_components": 2,        # = latent_dim
          "test_mse_clean": ..,       # denoiser only: clean in, clean out
          "pca_test_mse_clean": ..,   # denoiser only: PCA on clean inputs
          "centroids": {"0": [..latent_dim floats..], ..., "9": [..]},
                                      # mean latent of each class over the training split
          "latent_range": {"min": [..], "max": [..]},   # 1st/99th percentile per axis
          "latent_sample": {"points": [[..], ..], "labels": [7, 2, ..],
                            "indices": [..]}            # test-set digits, for the map
        },
        ...
      }
    }
"""

import json

FORMAT = 1
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear")


class ManifestError(ValueError):
    """A manifest that is missing, malformed, or lacks the model asked for."""


def load_manifest(source):
    """Accept a dict (as the browser hands it over), JSON text/bytes, or a path to manifest.json."""
    if isinstance(source, dict):
        manifest = source
    elif isinstance(source, (bytes, bytearray)):
        manifest = json.loads(bytes(source).decode("utf-8"))
    elif isinstance(source, str) and source.lstrip().startswith("{"):
        manifest = json.loads(source)
    else:
        with open(source, "rb") as f:
            manifest = json.loads(f.read().decode("utf-8"))
    if not isinstance(manifest, dict) or "models" not in manifest:
        raise ManifestError("manifest has no 'models' table")
    if manifest.get("format") != FORMAT:
        raise ManifestError(f"manifest format {manifest.get('format')!r} is not supported (expected {FORMAT})")
    return manifest


def model_entry(manifest, name):
    """The entry for one model, checked for the fields the runtime needs."""
    models = manifest.get("models", {})
    if name not in models:
        raise ManifestError(f"model {name!r} is not in the manifest; it has: {', '.join(sorted(models)) or 'none'}")
    entry = models[name]
    for key in ("file", "sha256", "latent_dim", "encoder", "decoder"):
        if key not in entry:
            raise ManifestError(f"manifest entry {name!r} lacks {key!r}")
    for part in ("encoder", "decoder"):
        for i, layer in enumerate(entry[part]):
            if not {"weight", "bias", "activation"} <= layer.keys():
                raise ManifestError(f"{name}: {part} layer {i} needs weight, bias and activation: {layer!r}")
            if layer["activation"] not in ACTIVATIONS:
                raise ManifestError(f"{name}: {part} layer {i} has unknown activation {layer['activation']!r}")
    return entry
