"""PCA, the linear autoencoder: the baseline every network has to beat.

With the k leading eigenvectors V (k x 784) of the training pixels' covariance,
encode(x) = V (x - mean) and decode(z) = mean + V^T z. Among all affine maps to k
numbers and back, this has the smallest total squared reconstruction error on the data
it was fitted to (Eckart-Young on the centred data); on other data it need not.

The covariance here divides by n, not n - 1: the eigenvectors and every variance *share*
are the same either way, only the eigenvalues scale by (n - 1)/n.
"""

import numpy as np


class PCA:
    def __init__(self, mean, components, variances):
        self.mean, self.components, self.variances = mean, components, variances

    @classmethod
    def fit(cls, x):
        """Eigen-decompose the covariance of x (N x D), components sorted by variance."""
        x = np.asarray(x, dtype=np.float64)
        mean = x.mean(axis=0)
        centred = x - mean
        covariance = centred.T @ centred / len(x)
        variances, vectors = np.linalg.eigh(covariance)
        order = np.argsort(variances)[::-1]
        components = vectors[:, order].T
        # Fix each vector's sign (eigh may return either) so results are reproducible.
        signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
        return cls(mean, components * signs[:, None], variances[order])

    def explained_ratio(self):
        """Each component's share of the total variance; rounding's tiny negatives count as 0."""
        variances = np.clip(self.variances, 0.0, None)
        return variances / variances.sum()

    def components_for_share(self, share):
        """The smallest k whose k leading components carry at least `share` of the total
        variance, from the full spectrum (not from a table of round k)."""
        cumulative = np.cumsum(self.explained_ratio())
        return int(min(np.searchsorted(cumulative, share - 1e-12) + 1, len(cumulative)))

    def encode(self, x, k):
        return (np.asarray(x, dtype=np.float64) - self.mean) @ self.components[:k].T

    def decode(self, z, k):
        return self.mean + z @ self.components[:k]

    def reconstruct(self, x, k):
        return self.decode(self.encode(x, k), k)

    def mse(self, x, k, target=None):
        """Mean squared error per pixel of reconstructing x (against `target` if given)."""
        target = x if target is None else target
        return float(np.mean((self.reconstruct(x, k) - target) ** 2))
