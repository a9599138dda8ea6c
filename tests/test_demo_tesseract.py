"""The tesseract demo's math on CPython: the hypercube, 4-D rotations, the cube-in-cube shadow,
the xw swap, and an MNIST digit's pixels as coordinates of a 784-vector."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from py_runtime.demos import mnist_data
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


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "", "x", None, 1e308, -1e308, [1], {}])
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
    nonzero = sum(1 for v in pixels if v > 0.004)
    assert f"{nonzero} of 784" in state["readouts"]
    assert f"{np.linalg.norm(pixels):.2f}" in state["readouts"]
    assert state["digit"].count("data:image/png;base64,") == 1


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 3 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)
