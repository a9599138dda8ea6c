"""Latent arithmetic from the latent-space article."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from py_runtime import latent

vectors = st.lists(st.floats(-100, 100), min_size=3, max_size=3)


def test_add_subtract_scale():
    assert latent.add([1, 2], [3, 4]) == [4, 6]
    assert latent.subtract([1, 2], [3, 4]) == [-2, -2]
    assert latent.scale([1, -2], 0.5) == [0.5, -1.0]
    with pytest.raises(ValueError):
        latent.add([1, 2], [1, 2, 3])


def test_distance_and_nearest_centroid():
    assert latent.distance([0, 0], [3, 4]) == 5.0
    centroids = {"0": [0.0, 0.0], "1": [10.0, 0.0], "7": [0.0, 10.0]}
    assert latent.nearest_centroid([1.0, 8.0], centroids) == (7, pytest.approx(math.hypot(1, 2)))
    assert latent.nearest_centroid([9.0, 0.0], {1: [10.0, 0.0], 2: [0.0, 0.0]}) == (1, 1.0)


def test_lerp_end_points_and_midpoint():
    a, b = [0.0, 2.0], [4.0, -2.0]
    assert latent.lerp(a, b, 0) == a and latent.lerp(a, b, 1) == b
    assert latent.lerp(a, b, 0.5) == [2.0, 0.0]


def test_slerp_stays_on_the_circle_between_unit_vectors():
    a, b = [1.0, 0.0], [0.0, 1.0]
    for t in (0.0, 0.25, 0.5, 1.0):
        z = latent.slerp(a, b, t)
        assert latent.norm(z) == pytest.approx(1.0)
        assert math.atan2(z[1], z[0]) == pytest.approx(t * math.pi / 2)


def test_slerp_falls_back_to_lerp_for_parallel_and_zero_vectors():
    assert latent.slerp([1.0, 1.0], [2.0, 2.0], 0.5) == pytest.approx([1.5, 1.5])
    assert latent.slerp([0.0, 0.0], [2.0, 2.0], 0.5) == [1.0, 1.0]


def test_interpolate():
    path = latent.interpolate([0.0], [1.0], 5)
    assert path == [[0.0], [0.25], [0.5], [0.75], [1.0]]
    assert len(latent.interpolate([1.0, 0.0], [0.0, 1.0], 3, "spherical")) == 3
    with pytest.raises(ValueError, match="linear' or 'spherical"):
        latent.interpolate([0.0], [1.0], 3, "cubic")


@given(vectors, vectors)
def test_feature_injection_then_removal_is_identity(z, direction):
    back = latent.subtract(latent.add(z, direction), direction)
    assert back == pytest.approx(z, abs=1e-9)


@given(vectors, vectors, st.floats(0, 1))
def test_slerp_end_points(a, b, t):
    assert latent.slerp(a, b, 0.0) == pytest.approx(a, abs=1e-6)
    assert latent.slerp(a, b, 1.0) == pytest.approx(b, abs=1e-6)
    assert all(math.isfinite(v) for v in latent.slerp(a, b, t))
