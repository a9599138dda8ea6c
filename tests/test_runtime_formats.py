"""float16, safetensors and IDX parsing: the byte-level formats py_runtime reads."""

import gzip
import json
import math
import struct

import pytest

from py_runtime import float16, safetensors
from py_runtime.idx import IMAGES_MAGIC, LABELS_MAGIC, IDXError, parse_idx, read_idx_file
from py_runtime.safetensors import WeightFileError


def test_struct_decoding_matches_the_bit_layout_for_every_half():
    data = struct.pack("<65536H", *range(65536))
    decoded = float16.decode(data)
    for bits, value in enumerate(decoded):
        by_hand = float16.half_to_float(bits)
        assert (math.isnan(value) and math.isnan(by_hand)) or value == by_hand, hex(bits)


def test_float16_round_trip_and_known_values():
    values = [0.0, 1.0, -2.0, 0.5, 65504.0, 2.0 ** -24]
    assert list(float16.decode(float16.encode(values))) == values
    assert float16.half_to_float(0x3C00) == 1.0
    assert float16.half_to_float(0xC000) == -2.0
    assert float16.half_to_float(0x7C00) == math.inf


def test_float16_numpy_agrees_with_struct():
    np = pytest.importorskip("numpy")
    data = np.random.default_rng(0).standard_normal(1000).astype("<f2").tobytes()
    assert float16.decode_numpy(data).tolist() == pytest.approx(list(float16.decode(data)), abs=0)


def sample_file(dtype="F16"):
    weight = float16.encode([0.5, -1.0, 2.0, 0.25, 1.5, -0.75]) if dtype == "F16" else struct.pack("<6f", *range(6))
    bias = float16.encode([0.1, 0.2]) if dtype == "F16" else struct.pack("<2f", 0.1, 0.2)
    return safetensors.write({"w": (dtype, (2, 3), weight), "b": (dtype, (2,), bias)}, {"note": "test"})


def test_safetensors_round_trip():
    tensors, metadata = safetensors.read(sample_file())
    assert metadata == {"note": "test"}
    assert tensors["w"].shape == (2, 3) and tensors["w"].dtype == "F16"
    assert float16.decode(tensors["w"].data) == (0.5, -1.0, 2.0, 0.25, 1.5, -0.75)
    header_len = struct.unpack("<Q", sample_file()[:8])[0]
    assert (8 + header_len) % 8 == 0


@pytest.mark.parametrize("cut", [0, 5, 8, 20, -1, -7])
def test_truncated_files_are_rejected(cut):
    data = sample_file()
    with pytest.raises(WeightFileError, match="truncated|too short|only|corrupt"):
        safetensors.read(data[:cut])


def test_truncated_data_says_truncated():
    with pytest.raises(WeightFileError, match="truncated"):
        safetensors.read(sample_file()[:-3])


def test_corrupt_header_is_rejected():
    data = bytearray(sample_file())
    data[9] = ord("!")
    with pytest.raises(WeightFileError, match="corrupt header"):
        safetensors.read(bytes(data))


def test_not_a_safetensors_file():
    with pytest.raises(WeightFileError, match="implausible"):
        safetensors.read(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def edit_header(data, change):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    change(header)
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data[8 + n:]


def test_unknown_dtype_is_rejected():
    bad = edit_header(sample_file(), lambda h: h["w"].update(dtype="F13"))
    with pytest.raises(WeightFileError, match="unknown dtype 'F13'"):
        safetensors.read(bad)


def test_shape_that_disagrees_with_the_offsets_is_rejected():
    bad = edit_header(sample_file(), lambda h: h["w"].update(shape=[3, 3]))
    with pytest.raises(WeightFileError, match="data_offsets span"):
        safetensors.read(bad)


def test_holes_and_trailing_bytes_are_rejected():
    with pytest.raises(WeightFileError, match="unexpected bytes"):
        safetensors.read(sample_file() + b"\x00\x00")


def test_checksum_mismatch_is_reported_with_both_hashes():
    data = sample_file()
    with pytest.raises(WeightFileError, match="sha256 mismatch.*manifest expects 0{64}"):
        safetensors.verify_sha256(data, "0" * 64, "x.safetensors")
    safetensors.verify_sha256(data, safetensors.sha256_hex(data))


def idx_bytes(magic, dims, payload):
    return struct.pack(f">I{len(dims)}I", magic, *dims) + payload


def test_idx_parsing(tmp_path):
    images = idx_bytes(IMAGES_MAGIC, (2, 28, 28), bytes(range(256)) * 6 + bytes(32))
    dims, payload = parse_idx(images, IMAGES_MAGIC)
    assert dims == (2, 28, 28) and len(payload) == 2 * 784
    (tmp_path / "a.gz").write_bytes(gzip.compress(images))
    (tmp_path / "a").write_bytes(images)
    assert read_idx_file(tmp_path / "a.gz")[0] == read_idx_file(tmp_path / "a")[0] == (2, 28, 28)


def test_idx_rejects_wrong_magic_and_size():
    labels = idx_bytes(LABELS_MAGIC, (3,), b"\x01\x02\x03")
    with pytest.raises(IDXError, match="expected 0x00000803"):
        parse_idx(labels, IMAGES_MAGIC)
    with pytest.raises(IDXError, match="promises 3 bytes"):
        parse_idx(labels[:-1], LABELS_MAGIC)
    with pytest.raises(IDXError, match="not an unsigned-byte IDX"):
        parse_idx(b"\x12\x34\x56\x78" + bytes(8))
