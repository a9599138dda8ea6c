"""`python -m py_runtime`: each command as a user would type it."""

import gzip
import struct
import subprocess
import sys

import pytest

from py_runtime import png
from py_runtime.__main__ import main, parse_expression
from runtime_helpers import REPO, committed_manifest, sample_digits


def sample_test_set(folder):
    """The committed sample's digits put back at their places in the MNIST test set, as the IDX file
    `mnist:INDEX` reads (t10k-images-idx3-ubyte.gz) of the first test digits, every one of which the
    sample holds: the command line runs on real digits without the full MNIST files."""
    images, _ = sample_digits()
    at = {index: i for i, index in enumerate(committed_manifest()["data"]["mnist-digits"]["test_indices"])}
    count = next(n for n in range(len(at) + 1) if n not in at)
    assert count >= 4, "the sample lacks one of the first test digits the commands below use"
    pixels = b"".join((images[at[n]] * 255).round().astype("uint8").tobytes() for n in range(count))
    folder.mkdir()
    header = struct.pack(">IIII", 0x803, count, 28, 28)                 # unsigned bytes, 3 dimensions
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(header + pixels))
    return folder


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data_dir = str(sample_test_set(tmp_path / "mnist"))

    def run(*args):
        assert main([*args, "--data-dir", data_dir]) == 0
        return capsys.readouterr().out

    return run


def test_encode_prints_latents_and_the_nearest_class(run):
    out = run("encode", "mnist:0", "centroid:3")
    assert "mnist:0: [" in out and "nearest centroid: 7" in out
    assert "centroid:3:" in out and "nearest centroid: 3 (distance 0.000)" in out


def test_decode_writes_a_png(run, tmp_path):
    out = run("decode", "0,0", "centroid:5", "--out", "d.png", "--backend", "python")
    width, height, _ = png.decode((tmp_path / "d.png").read_bytes())
    assert (width, height) == ((2 * 30 + 2) * 4, 32 * 4)
    assert "wrote d.png" in out


def test_reconstruct_with_the_16d_model(run, tmp_path):
    out = run("reconstruct", "mnist:0", "mnist:1", "--model", "mnist-ae-16d")
    assert out.count("mse 0.0") == 2
    assert (tmp_path / "reconstruct.png").is_file()


def test_reconstruct_a_drawing_from_a_png(run, tmp_path):
    drawing = [[1.0] * 100 for _ in range(100)]
    for y in range(20, 80):  # a dark vertical bar on white: a "1"
        for x in range(45, 55):
            drawing[y][x] = 0.0
    png.write_gray(tmp_path / "one.png", drawing)
    out = run("encode", "one.png", "--out", "seen.png")
    assert "nearest centroid: 1" in out


def test_interpolate_and_arith(run, tmp_path):
    out = run("interpolate", "mnist:3", "mnist:2", "--steps", "5", "--method", "spherical")
    assert out.count("t=") == 5
    out = run("arith", "mnist:0 - centroid:7 + centroid:1", "--model", "mnist-ae-16d", "--out", "a.png")
    assert out.splitlines()[-3].startswith("= [")
    assert (tmp_path / "a.png").is_file()


def test_expression_parser():
    assert parse_expression("mnist:0 - centroid:7 + 0.5*centroid:1") == [
        (1.0, 1.0, "mnist:0"), (-1.0, 1.0, "centroid:7"), (1.0, 0.5, "centroid:1")]
    assert parse_expression("1.5,-2 + centroid:1") == [(1.0, 1.0, "1.5,-2"), (1.0, 1.0, "centroid:1")]


def test_errors_are_sentences(run):
    with pytest.raises(SystemExit, match="has a 2-D latent"):
        run("decode", "1,2,3")
    with pytest.raises(SystemExit, match="not in the manifest"):
        run("encode", "mnist:0", "--model", "nope")


def test_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "py_runtime", "--help"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0 and "interpolate" in out.stdout and "centroid:D" in out.stdout
