"""What the face swap is measured against: two ways of putting B's face on A's expression
without a deep network.

    pictures = baselines(data, spec)    # "blend", "pca" and their reverses, as NumPy crops
"""

import numpy as np

from .swap_model import IDENTITY_NAMES


def pca_baseline(images, k):
    """The same idea made linear: a PCA encoder shared by both people (fit on each person's faces
    minus that person's mean face, so the components describe expression and pose rather than
    who it is), and per person a linear decoder fit by least squares. Returns swap(x, driver, who)."""
    flat = {w: images[w].reshape(len(images[w]), -1).astype(np.float32) for w in IDENTITY_NAMES}
    means = {w: flat[w].mean(0) for w in IDENTITY_NAMES}
    sample = np.concatenate([flat[w][:600] - means[w] for w in IDENTITY_NAMES]).astype(np.float64)
    gram_values, gram_vectors = np.linalg.eigh(sample @ sample.T)          # the Gram trick: 1200², not 12288²
    top = np.argsort(gram_values)[::-1][:k]
    components = (gram_vectors[:, top].T @ sample) / np.sqrt(np.maximum(gram_values[top], 1e-12))[:, None]
    linear_dec = {}
    for w in IDENTITY_NAMES:
        codes = np.hstack([(flat[w] - means[w]) @ components.T, np.ones((len(flat[w]), 1))])
        linear_dec[w] = np.linalg.lstsq(codes, flat[w], rcond=None)[0]

    def pca_swap(x, driver, who):
        f = x.reshape(len(x), -1).astype(np.float64)
        codes = np.hstack([(f - means[driver]) @ components.T, np.ones((len(f), 1))])
        return np.clip(codes @ linear_dec[who], 0, 1).reshape(x.shape).astype(np.float32)

    return pca_swap


def baselines(data, spec):
    """The baselines' pictures of the held-out crops: a pixel blend (A's crop half and half with
    B's average crop) and the PCA swap with as many components as the latent has, both ways;
    and PCA's own rebuild of B."""
    a_img, b_img = data["test"]["A"], data["test"]["B"]
    mean = {w: data["images"][w].mean(0, keepdims=True) for w in IDENTITY_NAMES}
    pca_swap = pca_baseline(data["images"], spec["latent_dim"])
    return {"blend": 0.5 * a_img + 0.5 * mean["B"], "blend_reverse": 0.5 * b_img + 0.5 * mean["A"],
            "pca": pca_swap(a_img, "A", "B"), "pca_reverse": pca_swap(b_img, "B", "A"),
            "pca_reconstruction_B": pca_swap(b_img, "B", "B")}
