"""Write trained weights as float16 safetensors and record them in weights/manifest.json."""

import hashlib
import json
import math
from pathlib import Path

import numpy as np

from py_runtime import safetensors

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"


def float16_copy(model, blank):
    """The model as it ships: `blank` (a fresh model of the same shape) loaded with `model`'s
    weights rounded to float16 and back, so that every figure is measured on what ships.
    Returns (copy, float16 state dict)."""
    state = {k: v.detach().half() for k, v in model.state_dict().items()}
    blank.load_state_dict({k: v.float() for k, v in state.items()})
    return blank.eval(), state


def float16_tensor(array):
    """An array as safetensors.write takes it: ("F16", shape, little-endian float16 bytes)."""
    return "F16", np.shape(array), np.ascontiguousarray(array, dtype="<f2").tobytes()


def write_safetensors(out_dir, name, tensors, metadata=None):
    """Write {tensor name: (dtype, shape, raw bytes)} as NAME.safetensors, in the given order;
    return the fields a manifest entry records the file by (file, sha256, bytes)."""
    data = safetensors.write(tensors, metadata)
    file_name = f"{name}.safetensors"
    (Path(out_dir) / file_name).write_bytes(data)
    return {"file": file_name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def export_layers(out_dir, name, layers, tensors):
    """Write each layer's weight and bias (in the order the runtime reads them) as float16
    NAME.safetensors; return the fields every manifest entry of a model starts with."""
    ordered = {key: float16_tensor(tensors[key]) for layer in layers for key in (layer["weight"], layer["bias"])}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_safetensors(out_dir, name, ordered, {"model": name, "format": "pt"})
    return {**written, "dtype": "F16", "parameters": sum(math.prod(shape) for _, shape, _ in ordered.values())}


def _dumps(value, indent=0):
    """JSON with one key per line but short number lists kept on one line (readable diffs)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        flat = json.dumps(value, separators=(", ", ": "))
        if len(flat) <= 110 and not any(isinstance(v, (dict, list)) for v in value.values()):
            return flat
        items = [f'{pad}  {json.dumps(k)}: {_dumps(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        if all(isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v) for v in value):
            return "[" + ",".join(json.dumps(v, separators=(",", ":")) for v in value) + "]"
        items = [f"{pad}  {_dumps(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, separators=(", ", ": "))


def update_manifest(out_dir, name, entry, section="models"):
    """Merge one entry into out_dir/manifest.json under `section` ("models", or "data" for the
    demos' data files), keeping the others."""
    path = Path(out_dir) / "manifest.json"
    manifest = {"format": 1, "models": {}}
    if path.is_file():
        manifest = json.loads(path.read_text())
    manifest["format"] = 1
    manifest.setdefault(section, {})[name] = entry
    manifest[section] = dict(sorted(manifest[section].items()))
    text = _dumps(manifest) + "\n"
    json.loads(text)  # never write a manifest that does not parse
    path.write_text(text)
    return path


def rounded(values, digits=4):
    """Nested lists of floats rounded for the manifest (the latent map does not need more)."""
    if isinstance(values, (list, tuple)):
        return [rounded(v, digits) for v in values]
    return round(float(values), digits)
