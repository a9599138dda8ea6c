"""The tesseract demo's math on CPython: the hypercube, 4-D rotations (simple and double), the
cube-in-cube shadow, the xw swap, an MNIST digit's pixels as coordinates of a 784-vector, and a
random 784-vector, whose pixels, unlike a digit's, do not follow their neighbours."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from py_runtime.demos._lib import mnist_data
from py_runtime.demos import tesseract as demo


def edges(svg: str, axis: str):
    """The drawn edges along one original axis, as sorted segments."""
    found = re.findall(rf'<line x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)" class="edge edge-{axis}"/>', svg)
    return sorted(tuple(sorted([(float(a), float(b)), (float(c), float(d))])) for a, b, c, d in found)


def test_the_hypercube_has_16_vertices_and_32_edges_8_per_axis():
    assert len(demo.VERTICES) == 16 and len(demo.EDGES) == 32
    assert [sum(1 for e in demo.EDGES if e[2] == k) for k in range(4)] == [8, 8, 8, 8]


@pytest.mark.parametrize("angles", [(0, 0, 0), (90, 0, 0), (33, -71, 150), (-180, 45, 12)])
def test_rotations_are_orthogonal_with_determinant_one(angles):
    r = np.array(demo.rotation(*angles))
    assert r @ r.T == pytest.approx(np.eye(4), abs=1e-12) and np.linalg.det(r) == pytest.approx(1)


def test_zero_rotation_is_a_cube_inside_a_cube():
    r = demo.rotation(0, 0, 0)
    for v in demo.VERTICES:
        (x, y, z), w = demo.to_3d(v, r, 1.0)
        scale = demo.D4 / (demo.D4 - v[3])                   # w = +1: 1.5, w = −1: 0.75
        assert (x, y, z) == pytest.approx((v[0] * scale, v[1] * scale, v[2] * scale)) and w == v[3]
    state = demo.view()
    assert state["ratio"] > 1.5 and "a cube inside a cube" in state["readouts"]
    assert len(edges(state["svg"], "w")) == 8


def test_rotating_ninety_degrees_in_xw_swaps_x_and_w():
    assert demo.rotation(90, 0, 0)[0] == [0, 0, 0, 1]           # the shadow's x shows what was w
    before, after = demo.view(xw=0), demo.view(xw=90)
    assert "<dd>w</dd>" in after["readouts"] and "<dd>−x (used" in after["readouts"]
    assert edges(after["svg"], "x") == edges(before["svg"], "w")   # x edges now join the two cubes
    assert edges(after["svg"], "w") == edges(before["svg"], "x")   # and w edges run along x
    assert edges(after["svg"], "y") == edges(before["svg"], "y")   # the picture is the same; the roles swap
    assert edges(after["svg"], "x") != edges(before["svg"], "x")


def test_the_dimension_slider_squashes_the_tesseract_to_a_cube():
    state = demo.view(dim=3)
    assert state["ratio"] == pytest.approx(1) and "ordinary cube" in state["readouts"]
    assert edges(state["svg"], "w") == []                        # w edges have no length
    assert len(edges(state["svg"], "x")) == 8
    assert demo.view(dim=3.5)["ratio"] > 1 and demo.view(dim=3.5)["ratio"] < demo.view(dim=4)["ratio"]


@pytest.mark.parametrize("angles", [(30, 40, 50), (35, -20, 10), (90, 90, 90), (12, 0, 0), (0, 77, -33), (-180, 180, 180)])
def test_rotation_angles_are_the_eigenvalue_angles(angles):
    r = np.array(demo.rotation(*angles))
    expected = sorted({round(abs(float(np.degrees(np.angle(e)))), 6) for e in np.linalg.eigvals(r)}, reverse=True)
    big, small = demo.rotation_angles(demo.rotation(*angles))
    assert big == pytest.approx(expected[0], abs=1e-6)
    assert small == pytest.approx(expected[1] if len(expected) > 1 else expected[0], abs=1e-6)


@pytest.mark.parametrize("angles", [(30, 40, 0), (30, 0, 50), (0, 25, -70)])
def test_any_two_sliders_make_a_simple_rotation_and_three_a_double_one(angles):
    assert demo.rotation_angles(demo.rotation(*angles))[1] == pytest.approx(0.0, abs=1e-5)
    assert "simple: turns one plane" in demo.view(xw=angles[0], yw=angles[1], zw=angles[2])["readouts"]
    assert "double: turns two perpendicular planes" in demo.view(xw=30, yw=40, zw=50)["readouts"]
    assert "none: every direction stays put" in demo.view()["readouts"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {},
                                 10 ** 400, -(10 ** 400)])
def test_bad_input_gives_a_valid_answer(bad):
    for key in demo.DEFAULTS:
        state = demo.view(**{key: bad})
        json.dumps(state, allow_nan=False)
        for k, (low, high) in demo.LIMITS.items():
            assert low <= state["params"][k] <= high
    for key in demo.DIGIT_DEFAULTS:
        json.dumps(demo.digit_view(**{key: bad}), allow_nan=False)


def test_angles_wrap_round():
    assert demo.view(xw=270)["params"]["xw"] == -90 and demo.view(yaw=-190)["params"]["yaw"] == 170


@pytest.mark.parametrize("label,sample,row,col", [(3, 1, 14, 14), (7, 20, 0, 0), (0, 5, 27, 27), (9, 2, 10, 20)])
def test_a_pixel_is_one_coordinate_of_the_784_vector(label, sample, row, col):
    state = demo.digit_view(label=label, sample=sample, pixel=row * 28 + col)
    pixels = mnist_data.digit(label, sample - 1)
    k = row * 28 + col
    assert f"row {row}, column {col} → x[28·{row} + {col}] = x[{k}] = {pixels[k]:.2f}" in state["readouts"]
    nonzero = sum(1 for v in pixels if v != 0)
    assert f"{nonzero} of 784" in state["readouts"] and state["nonzero"] == nonzero
    assert f"{np.linalg.norm(pixels):.2f}" in state["readouts"]
    assert state["digit"].count("data:image/png;base64,") == 1


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 3 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)


def test_the_faintest_ink_counts_as_non_zero():
    faint = [0.0] * 784
    faint[5], faint[6] = 1 / 255, 2 / 255
    assert demo.nonzero(faint) == 2
    digits_with_faint_ink = [d for _, d in mnist_data.digits() if any(v == 1 / 255 for v in d)]
    assert digits_with_faint_ink                      # MNIST has such pixels, and they are counted
    assert all(demo.nonzero(d) == sum(1 for v in d if v > 0) for d in digits_with_faint_ink)


def test_a_random_vector_is_a_uniform_point_of_the_cube_and_repeatable():
    a, b = demo.random_vector(7), demo.random_vector(7)
    assert a == b and a != demo.random_vector(8) and len(a) == 784 and all(0 <= v <= 1 for v in a)
    pooled = [v for seed in range(20) for v in demo.random_vector(seed)]
    near = sum(1 for v in pooled if v <= 0.05 or v >= 0.95) / len(pooled)
    assert near == pytest.approx(0.1, abs=0.01)       # each pixel: 0.05 at each end


def test_neighbour_correlation_tells_static_from_strokes():
    stripes = [float(c >= 14) for r in range(28) for c in range(28)]      # two flat halves
    assert demo.neighbour_correlation(stripes) > 0.9
    assert demo.neighbour_correlation([0.0] * 784) is None
    static = [demo.neighbour_correlation(demo.random_vector(seed)) for seed in range(100)]
    assert abs(sum(static) / len(static)) < 0.02      # independent pixels: about 0 (one picture's SE ≈ 0.036)
    digits = [demo.neighbour_correlation(d) for _, d in mnist_data.digits()]
    assert min(digits) > max(abs(r) for r in static)


def test_the_random_vector_view():
    state = demo.digit_view(source="random", seed=3, pixel=0)
    pixels = demo.random_vector(3)
    assert state["params"]["source"] == "random" and "random 784-vector (seed 3)" in state["readouts"]
    assert f"x[0] = {pixels[0]:.2f}" in state["readouts"] and state["nonzero"] == 784
    assert f"{demo.near_surface(pixels)} of 784 coordinates" in state["readouts"]
    assert f"correlation {demo.neighbour_correlation(pixels):.2f} over the 756 pairs".replace("-", "−") in state["readouts"]
    bars = re.search(r'<path d="([^"]*)" class="bars"/>', state["vector"]).group(1)
    assert bars.count("M") == 784                     # every coordinate is drawn, none is 0
    assert demo.digit_view(source="nonsense")["params"]["source"] == "digit"
    for bad in (None, "", [], {}, float("nan"), 10 ** 400, -5):
        json.dumps(demo.digit_view(source="random", seed=bad), allow_nan=False)
