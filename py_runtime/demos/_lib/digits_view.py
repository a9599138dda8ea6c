"""28×28 digits as pictures in a page: a PNG data URI, or an <img> tag holding one.

`py_runtime.png.encode_gray` makes the PNG bytes (ink = 1 = white, as MNIST stores it);
this only wraps them for HTML. The PNG stays 28×28: the page enlarges it with CSS
(`image-rendering: pixelated`), so every pixel stays a crisp square at any size.
"""
from __future__ import annotations

import base64
import struct
import zlib
from html import escape

from ... import png

SIDE = 28
_HEADER = png.SIGNATURE + png.chunk(b"IHDR", struct.pack(">IIBBBBB", SIDE, SIDE, 8, 0, 0, 0, 0))
_END = png.chunk(b"IEND", b"")


def encode(pixels) -> bytes:
    """784 floats in [0, 1] -> the same 8-bit greyscale PNG as png.encode_gray(to_rows(pixels)),
    about four times faster (one list comprehension instead of a call per pixel): the demos
    make several of these on every slider move."""
    data = bytes([0 if v <= 0.0 else 255 if v >= 1.0 else int(v * 255.0 + 0.5) if v == v else 0
                  for v in pixels])
    if len(data) != SIDE * SIDE:
        raise ValueError(f"a digit has {SIDE * SIDE} pixels, got {len(data)}")
    raw = b"".join(b"\x00" + data[i:i + SIDE] for i in range(0, SIDE * SIDE, SIDE))
    return _HEADER + png.chunk(b"IDAT", zlib.compress(raw, 6)) + _END


def data_uri(pixels) -> str:
    """784 floats in [0, 1] (row by row) -> 'data:image/png;base64,...'."""
    return "data:image/png;base64," + base64.b64encode(encode(pixels)).decode("ascii")


def img(pixels, alt: str, cls: str = "digit", attrs: str = "") -> str:
    """An <img> of a digit; `alt` is escaped, `attrs` is trusted markup (e.g. 'data-panel="x"')."""
    extra = f" {attrs}" if attrs else ""
    return (f'<img class="{escape(cls)}" src="{data_uri(pixels)}" alt="{escape(alt)}" '
            f'width="{SIDE}" height="{SIDE}"{extra}>')


def mse(a, b) -> float:
    """Mean squared difference per pixel between two images."""
    return sum((float(x) - float(y)) ** 2 for x, y in zip(a, b, strict=True)) / len(a)
