"""Canvas -> MNIST preprocessing, and the PNG codec the CLI uses."""

import struct
import zlib

import pytest

from py_runtime import png
from py_runtime.preprocess import canvas_to_mnist, center_of_mass, resample, rgba_to_ink
from runtime_helpers import sample_digits


def as_canvas(image, size=280, offset=(50, 70), dark_on_light=True):
    """Blow a 28x28 digit up 7x into a corner of a big canvas, as a person might draw it."""
    canvas = [[0.0] * size for _ in range(size)]
    for y in range(28 * 7):
        for x in range(28 * 7):
            if 0 <= y + offset[0] < size and 0 <= x + offset[1] < size:
                canvas[y + offset[0]][x + offset[1]] = image[(y // 7) * 28 + x // 7]
    if dark_on_light:
        canvas = [[255 * (1.0 - v) for v in row] for row in canvas]
    return canvas


def correlation(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5


def test_a_drawn_digit_comes_back_looking_like_mnist():
    images, _ = sample_digits(5)                      # the committed sample's first 5: the digits 0 to 4
    for image in images.tolist():
        result = canvas_to_mnist(as_canvas(image))
        assert len(result) == 784 and max(result) == pytest.approx(1.0, abs=0.05)
        rows = [result[i:i + 28] for i in range(0, 784, 28)]
        cy, cx = center_of_mass(rows)
        assert abs(cy - 14.5) <= 0.5 and abs(cx - 14.5) <= 0.5
        ink = [y for y in range(28) if max(rows[y]) > 0.05]
        assert ink[-1] - ink[0] + 1 <= 21  # fits the 20-pixel box
        assert correlation(result, image) > 0.9  # the same digit, not merely alike


def test_light_ink_on_dark_and_flat_input():
    images, _ = sample_digits(1)
    image = images[0].tolist()
    a = canvas_to_mnist(as_canvas(image, dark_on_light=True))
    b = canvas_to_mnist(as_canvas(image, dark_on_light=False))
    assert a == pytest.approx(b, abs=1e-6)
    flat = [v for row in as_canvas(image, dark_on_light=False) for v in row]
    assert canvas_to_mnist(flat, width=280) == pytest.approx(b, abs=1e-9)


def test_blank_canvas_gives_a_blank_digit():
    assert canvas_to_mnist([[255] * 50] * 50) == [0.0] * 784


def test_rgba_from_a_transparent_canvas_uses_alpha():
    width = height = 4
    rgba = bytearray(4 * width * height)
    rgba[4 * 5 + 3] = 255  # one opaque black pixel on a transparent canvas
    ink = rgba_to_ink(rgba, width, height)
    assert ink[1][1] == 1.0 and sum(map(sum, ink)) == 1.0


def test_area_resample_preserves_the_mean():
    rows = [[float((x * y) % 7) for x in range(30)] for y in range(21)]
    small = resample(rows, 7, 10)
    mean = lambda r: sum(map(sum, r)) / (len(r) * len(r[0]))  # noqa: E731
    assert mean(small) == pytest.approx(mean(rows))


def flat(rows):
    return [v for row in rows for v in row]


def test_png_round_trip():
    rows = [[(x + y) / 54 for x in range(28)] for y in range(28)]
    width, height, back = png.decode(png.encode_gray(rows))
    assert (width, height) == (28, 28)
    assert flat(back) == pytest.approx(flat(rows), abs=1 / 255)


def filtered_png(rows, filter_type, channels=3):
    """An RGB PNG whose every line uses one filter type, to exercise the decoder's un-filtering."""
    height, width = len(rows), len(rows[0])
    lines, previous = [], bytes(width * channels)
    for row in rows:
        raw = bytes(v for v in row for _ in range(channels))
        out = bytearray()
        for i, v in enumerate(raw):
            left = raw[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                pred = left
            elif filter_type == 2:
                pred = up
            elif filter_type == 3:
                pred = (left + up) // 2
            else:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
            out.append((v - pred) & 0xFF)
        lines.append(bytes([filter_type]) + bytes(out))
        previous = raw
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return png.SIGNATURE + png.chunk(b"IHDR", ihdr) + png.chunk(b"IDAT", zlib.compress(b"".join(lines))) \
        + png.chunk(b"IEND", b"")


@pytest.mark.parametrize("filter_type", [1, 2, 3, 4])
def test_png_decoder_undoes_every_filter(filter_type):
    rows = [[(x * 37 + y * 11) % 256 for x in range(9)] for y in range(6)]
    _, _, back = png.decode(filtered_png(rows, filter_type))
    assert flat(back) == pytest.approx([v / 255 for v in flat(rows)], abs=1e-6)


def test_png_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match="not a PNG"):
        png.decode(b"GIF89a")
