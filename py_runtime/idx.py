"""Read MNIST's IDX files (gzipped or not) with the standard library only.

An IDX file is a big-endian header - two zero bytes, a type code (0x08 = unsigned
byte), the number of dimensions - then one uint32 per dimension, then the raw data.
MNIST's images have magic 0x00000803 (3 dimensions: count, rows, columns) and its
labels 0x00000801 (1 dimension: count).
"""

import gzip
import struct

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


class IDXError(ValueError):
    """An IDX file whose header or size does not add up."""


def parse_idx(data, expected_magic=None, name="IDX data"):
    """Return (dims, payload) where payload is a memoryview of len prod(dims) bytes."""
    data = memoryview(data)
    if len(data) < 4:
        raise IDXError(f"{name}: {len(data)} bytes is too short for an IDX header")
    (magic,) = struct.unpack(">I", data[:4])
    if magic >> 16 != 0 or (magic >> 8) & 0xFF != 0x08:
        raise IDXError(f"{name}: magic number 0x{magic:08x} is not an unsigned-byte IDX file")
    if expected_magic is not None and magic != expected_magic:
        raise IDXError(f"{name}: magic number 0x{magic:08x}, expected 0x{expected_magic:08x}")
    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IDXError(f"{name}: truncated header ({len(data)} bytes, needs {header_size})")
    dims = struct.unpack(f">{ndim}I", data[4:header_size])
    size = 1
    for d in dims:
        size *= d
    if len(data) != header_size + size:
        raise IDXError(
            f"{name}: header promises {size} bytes of data for shape {dims}, "
            f"file has {len(data) - header_size}"
        )
    return dims, data[header_size:]


def read_idx_file(path, expected_magic=None):
    """Read one IDX file from disk; files ending in .gz are decompressed."""
    path = str(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    return parse_idx(data, expected_magic, name=path)
