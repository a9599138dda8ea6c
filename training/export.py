"""Write trained weights as float16 safetensors and record them in weights/manifest.json."""

import hashlib
import json
import struct
from pathlib import Path

import numpy as np


def safetensors_bytes(tensors, metadata=None):
    """{name: float16 array} -> the file's bytes, tensors in the given order.

    Format: u64 little-endian header length, JSON header, then the raw tensor data,
    each tensor's [begin, end) offsets counted from the end of the header.
    """
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype="<f2").tobytes()
        header[name] = {"dtype": "F16", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # 8-byte alignment of the data, as the reference writer does
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_weights(out_dir, name, tensors, metadata=None):
    """Write NAME.safetensors; return (file name, sha256, byte count)."""
    data = safetensors_bytes(tensors, metadata)
    file_name = f"{name}.safetensors"
    (Path(out_dir) / file_name).write_bytes(data)
    return file_name, hashlib.sha256(data).hexdigest(), len(data)


def export_layers(out_dir, name, layers, tensors):
    """Write each layer's weight and bias (in the order the runtime reads them) as float16
    NAME.safetensors; return the fields every manifest entry of a model starts with."""
    ordered = {}
    for layer in layers:
        for key in (layer["weight"], layer["bias"]):
            ordered[key] = np.asarray(tensors[key]).astype(np.float16)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    file_name, sha256, size = write_weights(out_dir, name, ordered, {"model": name, "format": "pt"})
    return {"file": file_name, "sha256": sha256, "bytes": size, "dtype": "F16",
            "parameters": int(sum(t.size for t in ordered.values()))}


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


def update_manifest(out_dir, name, entry):
    """Merge one model's entry into out_dir/manifest.json, keeping the others."""
    path = Path(out_dir) / "manifest.json"
    manifest = {"format": 1, "models": {}}
    if path.is_file():
        manifest = json.loads(path.read_text())
    manifest["format"] = 1
    manifest.setdefault("models", {})[name] = entry
    manifest["models"] = dict(sorted(manifest["models"].items()))
    text = _dumps(manifest) + "\n"
    json.loads(text)  # never write a manifest that does not parse
    path.write_text(text)
    return path


def rounded(values, digits=4):
    """Nested lists of floats rounded for the manifest (the latent map does not need more)."""
    if isinstance(values, (list, tuple)):
        return [rounded(v, digits) for v in values]
    return round(float(values), digits)
