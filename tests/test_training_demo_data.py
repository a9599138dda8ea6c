"""training.demo_data's measurements: components for a share of the variance from the full
spectrum, and how strongly neighbouring pixels (against any two pixels) move together."""
from __future__ import annotations

import numpy as np
import pytest

from training.demo_data import neighbour_pixel_correlation, pixel_pair_correlation
from training.pca import PCA


def test_components_for_share_reads_the_full_spectrum():
    pca = PCA(np.zeros(4), np.eye(4), np.array([5.0, 3.0, 1.5, 0.5]))     # shares 0.5, 0.3, 0.15, 0.05
    assert [pca.components_for_share(s) for s in (0.5, 0.8, 0.9, 0.95, 0.99, 1.0)] == [1, 2, 3, 3, 4, 4]
    assert pca.components_for_share(0.0) == 1
    clipped = PCA(np.zeros(3), np.eye(3), np.array([2.0, 2.0, -1e-15]))   # rounding's negatives count as 0
    assert clipped.explained_ratio().tolist() == [0.5, 0.5, 0.0]


def test_components_for_share_on_fitted_data():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((400, 6)) * np.array([4.0, 3.0, 2.0, 1.0, 0.5, 0.1])
    pca = PCA.fit(x)
    cumulative = np.cumsum(pca.explained_ratio())
    for share in (0.3, 0.6, 0.9, 0.99):
        k = pca.components_for_share(share)
        assert cumulative[k - 1] >= share and (k == 1 or cumulative[k - 2] < share)


def _images(rows):
    return np.asarray(rows, dtype=float).reshape(len(rows), 784)


def test_neighbour_correlation_is_one_when_neighbours_agree_and_ignores_blank_pairs():
    rng = np.random.default_rng(0)
    columns = rng.random((50, 28))
    same_rows = np.repeat(columns[:, None, :], 28, axis=1)          # every row the same random pattern
    assert neighbour_pixel_correlation(_images(same_rows)) < 0.3   # columns independent: neighbours unrelated
    flat_rows = np.repeat(rng.random((50, 28, 1)), 28, axis=2)     # each row one brightness
    assert neighbour_pixel_correlation(_images(flat_rows)) == pytest.approx(1.0)
    flat_rows[:, :, :3] = 0.0                                       # blank columns have no variance: skipped
    assert neighbour_pixel_correlation(_images(flat_rows)) == pytest.approx(1.0)


def test_pixel_pair_correlation_from_a_covariance():
    assert pixel_pair_correlation(np.diag([1.0, 2.0, 0.0])) == pytest.approx(0.0)
    full = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 0.0]])
    assert pixel_pair_correlation(full) == pytest.approx(0.5)       # the zero-variance pixel is left out
