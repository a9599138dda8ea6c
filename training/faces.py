"""Fictional faces as training data: the renderer is py_runtime.faces (one source of truth,
pure Python, also what the browser runs); this module turns it into NumPy/PyTorch batches
and adds the original deepfake's random-warp augmentation.

    images = render_batch("A", params_list)      # float32 (N, 3, 64, 64) in [0, 1]
    params = sample_params(n, seed)              # list of parameter dicts, uniform
"""

import random

import numpy as np

from py_runtime import faces
from py_runtime.faces import IDENTITIES, PARAM_NAMES, PARAMS, SIZE, random_identity, render  # noqa: F401


def sample_params(count, seed):
    """`count` parameter dicts drawn uniformly over every range, deterministic by seed."""
    rng = random.Random(seed)
    return [faces.random_params(rng) for _ in range(count)]


def params_array(params_list):
    """(N, 9) float32 array of parameter vectors, in PARAM_NAMES order."""
    return np.asarray([faces.params_vector(p) for p in params_list], dtype=np.float32)


def render_batch(identity, params_list):
    """float32 (N, 3, 64, 64): every parameter set rendered for one identity (CHW for PyTorch)."""
    if isinstance(identity, str):
        identity = IDENTITIES[identity]
    out = np.empty((len(params_list), SIZE, SIZE, 3), dtype=np.float32)
    for n, params in enumerate(params_list):
        out[n] = np.asarray(render(identity, params), dtype=np.float32).reshape(SIZE, SIZE, 3)
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2))


def hwc_to_chw(pixels):
    return np.asarray(pixels, dtype=np.float32).reshape(SIZE, SIZE, 3).transpose(2, 0, 1)


def random_warp(x, generator, strength=0.04, points=5):
    """The original deepfake augmentation: bend each input image by a smooth random field.

    A `points`×`points` grid of random offsets (normal, `strength` in units of half the image,
    so 0.04 ≈ 1.3 pixels on a 64-pixel face, the original's 5 of 256) is interpolated bicubically to every pixel and the image resampled
    along it. The network sees the warped face and must rebuild the unwarped one, so it
    learns the face, not the exact pixels (x: torch float (N, 3, H, W))."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = x.shape
    offsets = torch.randn((n, 2, points, points), generator=generator) * strength
    offsets[:, :, [0, -1], :] = 0.0          # keep the border still, as the original's grid does
    offsets[:, :, :, [0, -1]] = 0.0
    flow = F.interpolate(offsets, size=(h, w), mode="bicubic", align_corners=True)
    theta = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).expand(n, 2, 3)
    grid = F.affine_grid(theta, (n, 3, h, w), align_corners=False) + flow.permute(0, 2, 3, 1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
