"""The smallest PNG codec that does the job: 8-bit greyscale and RGB out, common 8-bit PNGs in.

A PNG is a signature and a list of chunks (length, type, data, CRC-32). IHDR gives
the size and pixel format, IDAT holds zlib-compressed scanlines, each prefixed by a
filter byte, and IEND closes the file. Standard library only: struct and zlib.
"""

import base64
import math
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind, data):
    """One PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _row_bytes(row):
    """A row of pixels in [0, 1] -> bytes 0..255, rounded half up (one expression, no call per
    pixel: this runs on every redraw of a demo)."""
    return bytes(0 if v <= 0.0 else 255 if v >= 1.0 else int(v * 255.0 + 0.5) for v in row)


def _file(width, height, colour, scanlines, level):
    """A whole PNG file: 8 bits per channel of colour type `colour` (0 grey, 2 RGB), and the
    scanlines (each with its filter byte) zlib-compressed at `level` in one IDAT chunk."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(scanlines, level)) + chunk(b"IEND", b"")


def encode_gray(rows):
    """Rows of floats in [0, 1] -> PNG bytes (8-bit greyscale, filter 0 on every line)."""
    height, width = len(rows), len(rows[0])
    return _file(width, height, 0, b"".join(b"\x00" + _row_bytes(row) for row in rows), 9)


def encode_rgb(pixels, width=None, scale=1):
    """HWC floats in [0, 1] (R, G, B of pixel 0, then pixel 1, ...) -> 8-bit RGB PNG bytes,
    `width` pixels wide (None: a square picture); `scale` enlarges by pixel repetition."""
    width = width or math.isqrt(len(pixels) // 3)
    height = len(pixels) // (3 * width)
    try:                       # the fast path: values already in [0, 1] (renders, sigmoid outputs)
        data = bytes([int(v * 255.0 + 0.5) for v in pixels])
    except (ValueError, TypeError, OverflowError):
        data = bytes(max(0, min(255, int(v * 255.0 + 0.5))) if v == v else 0 for v in pixels)
    rows = []
    stride = 3 * width
    for y in range(height):
        row = data[y * stride:(y + 1) * stride]
        if scale > 1:
            row = b"".join(row[x * 3:x * 3 + 3] * scale for x in range(width))
        line = b"\x00" + row
        rows.extend([line] * scale)
    return _file(width * scale, height * scale, 2, b"".join(rows), 6)


def data_uri(png_bytes):
    """PNG bytes as a data: URI for an <img> or SVG <image>."""
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def rgb_data_uri(pixels, width=None, scale=1):
    """encode_rgb's PNG as a data: URI."""
    return data_uri(encode_rgb(pixels, width, scale))


def write_gray(path, rows):
    with open(path, "wb") as f:
        f.write(encode_gray(rows))


def to_rows(pixels, width=28):
    """A flat list of pixels -> rows of `width`."""
    return [list(pixels[i:i + width]) for i in range(0, len(pixels), width)]


def upscale(rows, factor):
    """Nearest-neighbour enlargement, so a 28x28 digit is visible."""
    return [[v for v in row for _ in range(factor)] for row in rows for _ in range(factor)]


def tile(images, columns=None, width=28, pad=2, background=0.25, factor=4):
    """Lay flat images out in a grid with a thin border, enlarged by `factor`."""
    columns = columns or len(images)
    grid_rows = (len(images) + columns - 1) // columns
    height = len(images[0]) // width
    out_w = columns * (width + pad) + pad
    out_h = grid_rows * (height + pad) + pad
    canvas = [[background] * out_w for _ in range(out_h)]
    for n, image in enumerate(images):
        top = pad + (n // columns) * (height + pad)
        left = pad + (n % columns) * (width + pad)
        for y in range(height):
            canvas[top + y][left:left + width] = image[y * width:(y + 1) * width]
    return upscale(canvas, factor)


def decode(data):
    """PNG bytes -> (width, height, rows of grey floats in [0, 1]), ink-agnostic.

    Handles 8-bit greyscale, grey+alpha, RGB and RGBA, non-interlaced: what paint
    programs and a browser canvas's toDataURL() produce. A transparent background means
    the alpha channel is the ink; otherwise alpha is composited on white.
    """
    (width, height, depth, color, _, _, interlace), idat = _chunks(data)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {color}, interlace {interlace}); "
                         "save it as 8-bit grey or RGB(A)")
    lines = _unfilter(zlib.decompress(idat), height, width * channels, channels)
    rows = [[_grey(line[x * channels:(x + 1) * channels]) / 255.0 for x in range(width)] for line in lines]
    if channels in (2, 4):
        alphas = [[line[x * channels + channels - 1] / 255.0 for x in range(width)] for line in lines]
    else:
        alphas = [[1.0] * width for _ in lines]
    border = [v for v in alphas[0] + alphas[-1]] + [row[0] for row in alphas] + [row[-1] for row in alphas]
    if sum(border) / len(border) < 0.5:
        # Strokes on a transparent canvas: the ink is where the alpha is, whatever its colour.
        return width, height, alphas
    # Otherwise composite on white.
    rows = [[g * a + (1.0 - a) for g, a in zip(g_row, a_row)] for g_row, a_row in zip(rows, alphas)]
    return width, height, rows


def _chunks(data):
    """The IHDR fields and the IDAT chunks' data, joined, of a PNG file."""
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("PNG has no IHDR chunk")
    return header, b"".join(idat)


def _unfilter(raw, height, stride, channels):
    """The scanlines' bytes, each line's filter undone: every byte was stored minus a
    prediction from its left, upper and upper-left neighbours (filter type 1 left, 2 up,
    3 their average, 4 Paeth's predictor; 0 none)."""
    previous = bytearray(stride)
    lines = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 0xFF
        lines.append(line)
        previous = line
    return lines


def _paeth(left, up, up_left):
    """Of the three neighbours, the one closest to left + up − up_left (ties: left, then up)."""
    p = left + up - up_left
    pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
    return left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)


def _grey(px):
    """One pixel's channels -> its grey level 0..255 (ITU-R 601 luma for colour)."""
    return px[0] if len(px) <= 2 else (0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2])
