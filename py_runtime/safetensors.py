"""A strict reader for the safetensors format.

Layout: an 8-byte little-endian unsigned header length N, then N bytes of JSON
(`{"name": {"dtype": "F16", "shape": [64, 784], "data_offsets": [begin, end]}, ...,
"__metadata__": {...}}`), then the tensor bytes; offsets are relative to the end of
the header. Every check below turns a broken or foreign file into a sentence that
says what is wrong, instead of garbage weights or an IndexError deep in a layer.
"""

import hashlib
import json
import struct

DTYPE_SIZES = {"F16": 2, "F32": 4, "F64": 8, "BF16": 2, "I8": 1, "U8": 1, "I16": 2,
               "I32": 4, "I64": 8, "BOOL": 1}
MAX_HEADER_BYTES = 100_000_000


class WeightFileError(ValueError):
    """A weight file that is truncated, corrupt, of the wrong kind, or not the one expected."""


class Tensor:
    """One entry of the file: its dtype, shape and raw little-endian bytes."""

    __slots__ = ("name", "dtype", "shape", "data")

    def __init__(self, name, dtype, shape, data):
        self.name, self.dtype, self.shape, self.data = name, dtype, tuple(shape), data

    @property
    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n

    def __repr__(self):
        return f"Tensor({self.name!r}, {self.dtype}, shape={list(self.shape)})"


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def verify_sha256(data, expected, name="weight file"):
    actual = sha256_hex(data)
    if actual != expected:
        raise WeightFileError(
            f"{name}: sha256 mismatch - manifest expects {expected}, file has {actual}; "
            f"the file is corrupt or belongs to another manifest (rebuild with `make weights`)"
        )


def read(data, name="weight file"):
    """Parse safetensors bytes -> ({tensor name: Tensor}, metadata dict). Validates everything."""
    data = memoryview(data).cast("B")
    if len(data) < 8:
        raise WeightFileError(f"{name}: only {len(data)} bytes; a safetensors file starts with an 8-byte header length")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > MAX_HEADER_BYTES:
        raise WeightFileError(f"{name}: header length {header_len} is implausible; not a safetensors file?")
    if len(data) < 8 + header_len:
        raise WeightFileError(
            f"{name}: truncated - header is {header_len} bytes but the file has only {len(data) - 8} after the length"
        )
    try:
        header = json.loads(bytes(data[8:8 + header_len]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise WeightFileError(f"{name}: corrupt header, not valid UTF-8 JSON ({error})") from None
    if not isinstance(header, dict):
        raise WeightFileError(f"{name}: corrupt header, JSON is not an object")

    metadata = header.pop("__metadata__", None) or {}
    payload = data[8 + header_len:]
    tensors, spans = {}, []
    for key, info in header.items():
        if not isinstance(info, dict) or not {"dtype", "shape", "data_offsets"} <= info.keys():
            raise WeightFileError(f"{name}: corrupt header entry for {key!r}: {info!r}")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in DTYPE_SIZES:
            raise WeightFileError(f"{name}: tensor {key!r} has unknown dtype {dtype!r}")
        if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
            raise WeightFileError(f"{name}: tensor {key!r} has an invalid shape {shape!r}")
        if not (isinstance(offsets, list) and len(offsets) == 2
                and all(isinstance(o, int) for o in offsets) and 0 <= offsets[0] <= offsets[1]):
            raise WeightFileError(f"{name}: tensor {key!r} has invalid data_offsets {offsets!r}")
        begin, end = offsets
        count = 1
        for d in shape:
            count *= d
        if end - begin != count * DTYPE_SIZES[dtype]:
            raise WeightFileError(
                f"{name}: tensor {key!r} is {dtype}{shape}, i.e. {count * DTYPE_SIZES[dtype]} bytes, "
                f"but its data_offsets span {end - begin}"
            )
        if end > len(payload):
            raise WeightFileError(
                f"{name}: truncated - tensor {key!r} ends at byte {end} of the data, "
                f"which has only {len(payload)} bytes"
            )
        spans.append((begin, end, key))
        tensors[key] = Tensor(key, dtype, shape, payload[begin:end])

    # The spec requires the buffer to be covered exactly: no holes, no overlaps, no tail.
    position = 0
    for begin, end, key in sorted(spans):
        if begin != position:
            raise WeightFileError(f"{name}: corrupt layout - tensor {key!r} starts at {begin}, expected {position}")
        position = end
    if position != len(payload):
        raise WeightFileError(f"{name}: {len(payload) - position} unexpected bytes after the last tensor")
    return tensors, metadata


def write(tensors, metadata=None):
    """Serialise {name: (dtype, shape, raw bytes)} to safetensors bytes, in the given order.

    The one writer: training/export.py writes the shipped weights and demo data with it, and
    the tests build good and deliberately broken files with it. `raw` is anything bytes()
    takes (NumPy's `.tobytes()`, a memoryview), so this module needs no NumPy.
    """
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for key, (dtype, shape, raw) in tensors.items():
        header[key] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(bytes(raw))
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # pad so the data starts 8-byte aligned, as the reference writer does
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)
