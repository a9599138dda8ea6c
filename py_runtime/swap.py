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

- activations are kept channels-last (HWC), so the 3×3 window under an output pixel is three
  contiguous slices of the input, and each output value is one `sumprod(row, window)`;
- kernel rows are reordered to match (ky, kx, channel), dense rows to match HWC flattening;
- a pixel shuffle's output channels are reordered to (dy, dx, channel).

The pure-Python path (PythonLayer) does a little more, for speed in Pyodide, where nearly all
of a swap's time is inside `math.sumprod`: the windows leave out the taps on the zero padding
(and the kernel rows with them), the bias rides in the sumprod as a last weight times 1.0, and
each layer's input is rounded to 42 significant bits so that every product with a float16
weight is exact (see _round_to_42_bits). The results agree with the plain computation to
~1e-12, far inside float32's rounding, which the NumPy path uses.
"""
from __future__ import annotations

import os
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from .backend import current_backend, sumprod, use_backend
from .layers import python_activation, sigmoid
from .manifest import ManifestError
from .model import default_weights_dir, layer_tensors, read_weights, resolve_manifest
from .safetensors import WeightFileError

NAME = "faces-swap"
SIZE = 64


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


def _round_to_42_bits(values):
    """Every value rounded to 42 significant bits (Veltkamp's split: s = 2049·v, then s − (s − v)).

    Why: the weights are float16, 11 significant bits, so a weight times a 42-bit value is
    exact in a double. math.sumprod forms each product with an error-free fma, and Pyodide's
    WebAssembly has no fma instruction: its software fma is a third of sumprod's time, unless
    the product is exact. Each value moves by at most 2⁻⁴² of itself (float32 rounds at 2⁻²⁴)."""
    return [(s := v * 2049.0) - (s - v) for v in values]


def _taps(o, stride, size):
    """The kernel offsets t (0, 1, 2) whose input o·stride + t − 1 lies inside 0..size−1."""
    return tuple(t for t in range(3) if 0 <= o * stride + t - 1 < size)


@lru_cache(maxsize=None)
def _conv_windows(h, w, c, stride):
    """Each output pixel's window for a 3×3 convolution (padding 1) of an h×w×c input, worked
    out once per shape: ((start, stop) × 3, the flat HWC input's slices under kernel rows
    0, 1, 2; (kernel rows kept, kernel columns kept)). Taps on the zero padding are left out,
    not multiplied by zero: a row on it gets an empty slice, columns on it are cut off."""
    columns = [_taps(ox, stride, w) for ox in range(w // stride)]
    windows = []
    for oy in range(h // stride):
        kys = _taps(oy, stride, h)
        for ox, kxs in enumerate(columns):
            left, n = (ox * stride + kxs[0] - 1) * c, len(kxs) * c
            slices = ()
            for ky in range(3):
                start = (oy * stride + ky - 1) * w * c + left
                slices += (start, start + n) if ky in kys else (0, 0)
            windows.append((slices, (kys, kxs)))
    return windows


@lru_cache(maxsize=None)
def _shuffle_gather(h, w, c, r):
    """For a pixel shuffle of an h×w×(r·r·c) map whose channels are ordered (dy, dx, c): the
    index each value of the (r·h)×(r·w)×c result comes from, as one gather."""
    return itemgetter(*[((y // r) * w + x // r) * r * r * c + ((y % r) * r + x % r) * c + ch
                        for y in range(h * r) for x in range(w * r) for ch in range(c)])


_ONE = [1.0]


class PythonLayer(_Layer):
    """Lists of floats, one sumprod per output value, the bias included: each row ends in
    its bias, each window in a 1.0. A convolution's windows are three slices of the flat
    HWC input (see _conv_windows), its kernel rows cut to the taps they keep; a pixel
    shuffle is a reordering, one gather (see _shuffle_gather)."""

    def __init__(self, spec, weight, bias, slope):
        super().__init__(spec, list(weight), list(bias), slope)
        self.activate = python_activation(self.activation, slope)
        if self.kind == "dense":
            self.rows = [row + [b] for row, b in zip(self.rows, self.bias)]
            return
        c, cut = self.c_in, {}               # (kernel rows kept, kernel columns kept) -> the rows cut so
        for kys, kxs in {taps for _, taps in _conv_windows(self.h, self.w, c, self.stride)}:
            keep = itemgetter(*[(ky * 3 + kx) * c + ci for ky in kys for kx in kxs for ci in range(c)])
            cut[kys, kxs] = [[*keep(row), b] for row, b in zip(self.rows, self.bias)]
        self.pixels = [(*slices, cut[taps]) for slices, taps in _conv_windows(self.h, self.w, c, self.stride)]
        if self.shuffle > 1:
            self.shuffled = _shuffle_gather(self.h_out, self.w_out, self.c_out // self.shuffle ** 2, self.shuffle)

    def __call__(self, x):
        x = _round_to_42_bits(x)
        if self.kind == "dense":
            x.append(1.0)
            return self.activate(list(map(sumprod, self.rows, repeat(x))))
        out = []
        for a0, a1, b0, b1, c0, c1, rows in self.pixels:
            out += map(sumprod, rows, repeat(x[a0:a1] + x[b0:b1] + x[c0:c1] + _ONE))
        if self.shuffle > 1:
            out = self.shuffled(out)
        return self.activate(out)


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
            out = sigmoid(out, np.tanh)
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
        pixels = list(map(float, pixels))
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


def swap_entry(manifest, name=NAME):
    """The manifest's entry for the swap model, checked for the fields load_model reads."""
    entry = manifest.get("models", {}).get(name)
    if entry is None:
        raise ManifestError(f"model {name!r} is not in the manifest: run `python -m training faces-swap`")
    for key in ("file", "sha256", "latent_dim", "encoder", "decoders"):
        if key not in entry:
            raise ManifestError(f"manifest entry {name!r} lacks {key!r}")
    return entry


def load_model(manifest, data=None, *, weights_dir=None, verify=True, backend=None, name=NAME):
    """Build the swap model from a manifest (dict, JSON or path) and its weight file (bytes or path)."""
    manifest, weights_dir = resolve_manifest(manifest, weights_dir)
    entry = swap_entry(manifest, name)
    file_name = entry["file"]
    tensors = read_weights(entry, data, weights_dir, verify)
    backend = use_backend(backend) if backend else current_backend()
    layer_class = NumpyLayer if backend == "numpy" else PythonLayer
    slope = entry.get("leaky_relu_slope", 0.1)

    built = {}                         # a layer the decoders share (spec and tensors alike) is built once

    def build(specs):
        layers = []
        for spec in specs:
            same = repr(sorted(spec.items()))
            if same in built:
                layers.append(built[same])
                continue
            if spec["type"] == "conv":
                shape = (spec["out"], spec["in"], spec["kernel"], spec["kernel"])
            else:
                shape = (spec["out"], spec["in"])
            weight, bias = layer_tensors(tensors, spec, shape, "F16", backend, file_name)
            layers.append(built.setdefault(same, layer_class(spec, weight, bias, slope)))
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
