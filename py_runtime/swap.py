"""The face-swap network (one shared encoder, one decoder per identity) in plain Python or NumPy.

    model = swap.load()                              # CPython, from weights/
    model = swap.load_model(manifest, weight_bytes)  # the browser hands the bytes over
    z = model.encode(pixels)         # 64*64*3 floats (HWC, [0, 1]) -> latent list
    face = model.decode(z, "B")      # latent -> B's face, 64*64*3 floats
    face = model.swap(pixels, "B")   # decode(encode(pixels), "B"): the deepfake

Layers are described in the manifest entry "faces-swap" (written by training/faces_swap.py):
3×3 convolutions (stride 1 or 2, padding 1) with an optional pixel shuffle after them,
and dense layers. The file keeps PyTorch's tensor layouts; everything the fast path needs
is rearranged once, at load time:

- activations are kept channels-last (HWC), so the 3×3 patch under an output pixel is three
  contiguous slices of the padded input, and each output value is one `sumprod(row, patch)`;
- kernel rows are reordered to match (ky, kx, channel), dense rows to match HWC flattening;
- a pixel shuffle's output channels are reordered to (dy, dx, channel), so shuffling is
  only slicing.
"""
from __future__ import annotations

import os
from itertools import repeat
from operator import add

from .backend import current_backend, sumprod, use_backend
from .manifest import ManifestError, load_manifest
from .model import _tensor_values, default_weights_dir, read_weights
from .safetensors import WeightFileError

NAME = "faces-swap"
SIZE = 64


def _sigmoid_list(values):
    import math
    tanh = math.tanh
    return [0.5 + 0.5 * tanh(0.5 * v) for v in values]


def _conv_rows(values, c_out, c_in, k):
    """PyTorch (out, in, kh, kw) flat -> one row per output channel in (ky, kx, in) order."""
    rows = []
    for o in range(c_out):
        base = o * c_in * k * k
        rows.append([values[base + (ci * k + ky) * k + kx] for ky in range(k) for kx in range(k) for ci in range(c_in)])
    return rows


def _shuffle_order(c_out, r):
    """Row order that makes a pixel shuffle a slicing job: new index (dy, dx, c) <- old c*r*r + dy*r + dx."""
    c = c_out // (r * r)
    return [ch * r * r + dy * r + dx for dy in range(r) for dx in range(r) for ch in range(c)]


class _Layer:
    def __init__(self, spec, weight, bias, slope):
        self.spec, self.kind = spec, spec["type"]
        self.activation = spec["activation"]
        self.slope = slope
        if self.kind == "conv":
            self.c_in, self.c_out, self.k = spec["in"], spec["out"], spec["kernel"]
            self.stride, self.shuffle = spec["stride"], spec.get("pixel_shuffle", 1)
            self.h, self.w = spec["input_hw"]
            self.h_out, self.w_out = self.h // self.stride, self.w // self.stride
            if spec["kernel"] != 3 or spec.get("padding", 1) != 1:
                raise ManifestError("faces-swap: only 3×3 convolutions with padding 1 are supported")
            rows = _conv_rows(weight, self.c_out, self.c_in, self.k)
            order = _shuffle_order(self.c_out, self.shuffle) if self.shuffle > 1 else list(range(self.c_out))
            self.rows = [rows[i] for i in order]
            self.bias = [bias[i] for i in order]
        else:
            n_out, n_in = spec["out"], spec["in"]
            rows = [list(weight[o * n_in:(o + 1) * n_in]) for o in range(n_out)]
            bias = list(bias)
            if "input_chw" in spec:      # flattened from a feature map: PyTorch flattens CHW, we keep HWC
                c, h, w = spec["input_chw"]
                perm = [ci * h * w + y * w + x for y in range(h) for x in range(w) for ci in range(c)]
                rows = [[row[j] for j in perm] for row in rows]
            if "output_chw" in spec:     # reshaped into a feature map: emit it in HWC order
                c, h, w = spec["output_chw"]
                perm = [ci * h * w + y * w + x for y in range(h) for x in range(w) for ci in range(c)]
                rows, bias = [rows[j] for j in perm], [bias[j] for j in perm]
            self.rows, self.bias = rows, bias
        self.n_out = len(self.rows)

    def _activate(self, out):
        if self.activation == "leaky_relu":
            s = self.slope
            return [v if v > 0.0 else s * v for v in out]
        if self.activation == "sigmoid":
            return _sigmoid_list(out)
        if self.activation == "relu":
            return [v if v > 0.0 else 0.0 for v in out]
        return out


class PythonLayer(_Layer):
    """Lists of floats, one sumprod per output value."""

    def __init__(self, spec, weight, bias, slope):
        super().__init__(spec, list(weight), list(bias), slope)
        if self.kind == "conv":
            self.bias_tiled = self.bias * (self.h_out * self.w_out)

    def __call__(self, x):
        if self.kind == "dense":
            return self._activate(list(map(add, [sumprod(row, x) for row in self.rows], self.bias)))
        c, w, s = self.c_in, self.w, self.stride
        wp = (w + 2) * c                      # one padded row
        zero_pixel, zero_row = [0.0] * c, [0.0] * wp
        padded = list(zero_row)
        line = w * c
        for y in range(self.h):
            padded += zero_pixel
            padded += x[y * line:(y + 1) * line]
            padded += zero_pixel
        padded += zero_row
        rows, span = self.rows, 3 * c
        out = []
        extend = out.extend
        for oy in range(self.h_out):
            top = oy * s * wp
            for ox in range(self.w_out):
                a = top + ox * s * c
                b, d = a + wp, a + 2 * wp
                patch = padded[a:a + span] + padded[b:b + span] + padded[d:d + span]
                extend(map(sumprod, rows, repeat(patch)))
        out = self._activate(list(map(add, out, self.bias_tiled)))
        if self.shuffle == 2:
            out = self._pixel_shuffle(out)
        return out

    def _pixel_shuffle(self, out):
        c2 = 2 * (self.c_out // 4)            # two output pixels' worth of channels
        step = 2 * c2
        res = []
        for oy in range(self.h_out):
            top, bottom = [], []
            for ox in range(self.w_out):
                base = (oy * self.w_out + ox) * step
                top += out[base:base + c2]
                bottom += out[base + c2:base + step]
            res += top
            res += bottom
        return res


class NumpyLayer(_Layer):
    """The same layer with NumPy: im2col by a sliding window, one matrix product."""

    def __init__(self, spec, weight, bias, slope):
        import numpy as np

        super().__init__(spec, weight.tolist(), bias.tolist(), slope)
        self.np = np
        self.matrix = np.asarray(self.rows, dtype=np.float32).T.copy()     # (in, out)
        self.bias_array = np.asarray(self.bias, dtype=np.float32)

    def __call__(self, x):
        np = self.np
        if self.kind == "dense":
            out = np.asarray(x, dtype=np.float32).reshape(-1) @ self.matrix + self.bias_array
        else:
            img = np.asarray(x, dtype=np.float32).reshape(self.h, self.w, self.c_in)
            padded = np.pad(img, ((1, 1), (1, 1), (0, 0)))
            windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(0, 1))   # H, W, C, 3, 3
            windows = windows[::self.stride, ::self.stride].transpose(0, 1, 3, 4, 2)
            cols = windows.reshape(self.h_out * self.w_out, 9 * self.c_in)
            out = cols @ self.matrix + self.bias_array
        if self.activation == "leaky_relu":
            out = np.where(out > 0, out, self.slope * out)
        elif self.activation == "sigmoid":
            out = 0.5 + 0.5 * np.tanh(0.5 * out)
        elif self.activation == "relu":
            out = np.maximum(out, 0)
        if self.kind == "conv" and self.shuffle == 2:
            c = self.c_out // 4
            out = out.reshape(self.h_out, self.w_out, 2, 2, c).transpose(0, 2, 1, 3, 4)
        return out.reshape(-1)


class FaceSwapModel:
    """A shared encoder and a decoder per identity, for one backend."""

    def __init__(self, entry, encoder, decoders, backend):
        self.entry, self.encoder, self.decoders, self.backend = entry, encoder, decoders, backend
        self.latent_dim = entry["latent_dim"]
        self.identities = list(decoders)
        self.smile_direction = list(entry.get("smile_direction", [0.0] * self.latent_dim))

    def __repr__(self):
        return f"FaceSwapModel(latent {self.latent_dim}, decoders {self.identities}, backend={self.backend!r})"

    @staticmethod
    def _run(layers, x):
        for layer in layers:
            x = layer(x)
        return x

    def _input(self, pixels):
        if hasattr(pixels, "reshape"):
            pixels = pixels.reshape(-1).tolist()
        pixels = [float(v) for v in pixels]
        if len(pixels) != SIZE * SIZE * 3:
            raise ValueError(f"a face has {SIZE * SIZE * 3} values (64×64 RGB, HWC), got {len(pixels)}")
        return pixels

    def _out(self, x):
        return x.tolist() if self.backend == "numpy" else x

    def encode(self, pixels):
        return self._out(self._run(self.encoder, self._input(pixels)))

    def decode(self, z, who):
        if who not in self.decoders:
            raise ValueError(f"no decoder {who!r}; this model has {', '.join(self.decoders)}")
        z = [float(v) for v in z]
        if len(z) != self.latent_dim:
            raise ValueError(f"a latent vector has {self.latent_dim} values, got {len(z)}")
        return self._out(self._run(self.decoders[who], z))

    def swap(self, pixels, who):
        """The deepfake: encode any face, decode it as `who`."""
        return self.decode(self.encode(pixels), who)


def load_model(manifest, data=None, *, weights_dir=None, verify=True, backend=None, name=NAME):
    """Build the swap model from a manifest (dict, JSON or path) and its weight file (bytes or path)."""
    if hasattr(manifest, "to_py"):
        manifest = manifest.to_py()
    if weights_dir is None and isinstance(manifest, (str, os.PathLike)) and not str(manifest).lstrip().startswith("{"):
        weights_dir = os.path.dirname(os.fspath(manifest))
    manifest = load_manifest(manifest)
    entry = manifest.get("models", {}).get(name)
    if entry is None:
        raise ManifestError(f"model {name!r} is not in the manifest: run `python -m training faces-swap`")
    for key in ("file", "sha256", "latent_dim", "encoder", "decoders"):
        if key not in entry:
            raise ManifestError(f"manifest entry {name!r} lacks {key!r}")
    file_name = entry["file"]
    tensors = read_weights(entry, data, weights_dir, verify)
    backend = use_backend(backend) if backend else current_backend()
    layer_class = NumpyLayer if backend == "numpy" else PythonLayer
    slope = entry.get("leaky_relu_slope", 0.1)

    def build(specs):
        layers = []
        for spec in specs:
            for key in (spec["weight"], spec["bias"]):
                if key not in tensors:
                    raise WeightFileError(f"{file_name}: tensor {key!r} named by the manifest is missing")
            if spec["type"] == "conv":
                shape = (spec["out"], spec["in"], spec["kernel"], spec["kernel"])
            else:
                shape = (spec["out"], spec["in"])
            weight = _tensor_values(tensors[spec["weight"]], shape, "F16", backend, file_name)
            bias = _tensor_values(tensors[spec["bias"]], (spec["out"],), "F16", backend, file_name)
            layers.append(layer_class(spec, weight, bias, slope))
        return layers

    encoder = build(entry["encoder"])
    decoders = {who: build(specs) for who, specs in entry["decoders"].items()}
    if encoder[-1].n_out != entry["latent_dim"]:
        raise WeightFileError(f"{file_name}: the encoder ends in {encoder[-1].n_out} values, not {entry['latent_dim']}")
    return FaceSwapModel(entry, encoder, decoders, backend)


def load(weights_dir=None, *, verify=True, backend=None):
    """The swap model from a weights directory on disk (default: the repository's weights/)."""
    weights_dir = os.fspath(weights_dir or default_weights_dir())
    return load_model(os.path.join(weights_dir, "manifest.json"), weights_dir=weights_dir, verify=verify,
                      backend=backend)
