"""IEEE 754 half precision: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.

The weights ship as float16 to halve their size. `struct` has understood the "e"
format since Python 3.6, so decoding needs no NumPy; `half_to_float` spells the
same rule out bit by bit, for readers and for the tests.
"""

import struct


def decode(data, count=None):
    """Little-endian float16 bytes -> tuple of Python floats."""
    if count is None:
        count = len(data) // 2
    if len(data) != 2 * count:
        raise ValueError(f"float16 data has {len(data)} bytes, expected {2 * count}")
    return struct.unpack(f"<{count}e", data)


def encode(values):
    """Python floats -> little-endian float16 bytes (rounded to nearest even)."""
    return struct.pack(f"<{len(values)}e", *values)


def half_to_float(bits):
    """One float16, given as a 16-bit integer, decoded by hand."""
    sign = -1.0 if bits & 0x8000 else 1.0
    exponent = (bits >> 10) & 0x1F
    fraction = bits & 0x3FF
    if exponent == 0:  # zero or subnormal: no implicit leading 1
        return sign * fraction * 2.0 ** -24
    if exponent == 0x1F:  # all ones: infinity or not-a-number
        return sign * float("inf") if fraction == 0 else float("nan")
    return sign * (1 + fraction / 1024) * 2.0 ** (exponent - 15)


def decode_numpy(data, count=None):
    """Same as decode, as a float32 NumPy array (only called by the NumPy backend)."""
    import numpy as np

    array = np.frombuffer(bytes(data), dtype="<f2", count=-1 if count is None else count)
    return array.astype(np.float32)
