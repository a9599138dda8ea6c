"""Fictional faces as training data: the renderer is py_runtime.faces (one source of truth,
pure Python, also what the browser runs); this module turns it into NumPy/PyTorch batches
and adds the original deepfake's random-warp augmentation.

    images = render_batch("A", params_list)      # float32 (N, 3, 64, 64) in [0, 1]
    params = sample_params(n, seed)              # list of parameter dicts, uniform
"""

import random

import numpy as np

from py_runtime import faces
from py_runtime.align import crop_view
from py_runtime.pipeline import aligned_crop
from py_runtime.faces import IDENTITIES, PARAM_NAMES, SIZE, render


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


def _crop(job):
    identity, params = job
    crop = aligned_crop(identity, params)
    return np.asarray(crop.pixels, dtype=np.float32).tobytes(), crop_view(crop.alignment)   # 4 bytes a value


def render_crops(identity, params_list, processes=2):
    """The aligned crops the swap network trains on, float32 (N, 3, 64, 64), and their views.

    Each face is found, aligned and cropped exactly as the demo does it
    (py_runtime.pipeline.aligned_crop). Rendering is pure Python, so it is spread over
    `processes` worker processes; the result does not depend on how many."""
    jobs = [(identity, params) for params in params_list]
    if processes > 1 and len(jobs) > 200:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(processes) as pool:
            done = pool.map(_crop, jobs, chunksize=64)
    else:
        done = [_crop(job) for job in jobs]
    out = np.frombuffer(b"".join(pixels for pixels, _ in done), dtype=np.float32).reshape(len(jobs), SIZE, SIZE, 3)
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2)), [view for _, view in done]


def random_warp(x, generator, strength=0.0625, points=5):
    """The original deepfake augmentation: bend each input image by a smooth random field.

    A `points`×`points` grid of random offsets, every node including the border ones, as in
    the 2017 code (normal, `strength` in units of half the image: 0.0625 is 2 px on a 64-px
    crop, the original's 5 px on the 160-px face it scaled to 64), interpolated bicubically to
    every pixel, and the image resampled along it. The network sees the warped face and must
    rebuild the unwarped one, so it learns the face, not the exact pixels. (The original made
    its target by fitting a similarity to the bent grid, so its target carried the field's
    rotation and scale and only the rest had to be undone; here the whole bend must be.
    random_transform is the original's separate affine jitter, off unless `transform` is set.
    x: torch (N, 3, H, W).)"""
    import torch
    import torch.nn.functional as F

    n, _, h, w = x.shape
    offsets = torch.randn((n, 2, points, points), generator=generator) * strength
    flow = F.interpolate(offsets, size=(h, w), mode="bicubic", align_corners=True)
    theta = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).expand(n, 2, 3)
    grid = F.affine_grid(theta, (n, 3, h, w), align_corners=False) + flow.permute(0, 2, 3, 1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_transform(x, generator, rotation=10.0, zoom=0.05, shift=0.05, flip=0.4):
    """The 2017 code's other augmentation, applied to input and target alike: a random
    rotation (±`rotation` degrees), zoom (×1 ± `zoom`), shift (± `shift` of the size) and,
    with probability `flip`, a mirror image. It teaches the decoders faces that the
    alignment did not put exactly in place. x: torch (N, C, H, W)."""
    import math

    import torch
    import torch.nn.functional as F

    n = x.shape[0]
    u = torch.rand((n, 4), generator=generator) * 2 - 1
    angle = u[:, 0] * math.radians(rotation)
    scale = 1 + u[:, 1] * zoom
    mirror = torch.where(torch.rand(n, generator=generator) < flip, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * mirror, -sin, u[:, 2] * shift * 2], 1),
                         torch.stack([sin * mirror, cos, u[:, 3] * shift * 2], 1)], 1)
    grid = F.affine_grid(theta, tuple(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def feature_mask(identity, params_list, size=SIZE, views=None):
    """float32 (N, 1, 64, 64) in [0, 1]: where the eyes (with brows) and the mouth are.

    DeepFaceLab's "eyes and mouth priority" weights the loss there, because those few pixels
    carry the expression but are a small part of the average error. The renderer knows where
    it drew them, so the mask is exact: the same face-frame geometry as
    py_runtime.faces.render_channels (head centre moved by yaw/pitch, rotated by roll;
    features slid by the turn), one soft ellipse per eye and one for the mouth. `views`
    (one py_runtime.faces.View per face, e.g. its aligned crop) say which part of the world
    each picture shows; by default the whole 64×64 frame."""
    if isinstance(identity, str):
        identity = IDENTITIES[identity]
    p = params_array(params_list)
    names = list(PARAM_NAMES)
    yaw, pitch, roll = (p[:, names.index(k)][:, None, None] for k in ("yaw", "pitch", "roll"))
    smile, mouth_open = (p[:, names.index(k)][:, None, None] for k in ("smile", "mouth_open"))
    cx, cy = 32.0 + 1.5 * yaw, 33.0 + 1.5 * pitch
    angle = np.radians(faces.ROLL_DEGREES) * roll
    c, s = np.cos(angle), np.sin(angle)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    if views is None:
        views = [faces.frame_view(size)] * len(p)
    a, b, tc, d, e, tf = (np.asarray([view[j] for view in views], dtype=np.float32)[:, None, None] for j in range(1, 7))
    wx, wy = a * xs + b * ys + tc, d * xs + e * ys + tf      # the world point under every pixel
    u = c * (wx - cx) + s * (wy - cy)          # face-frame coordinates of every pixel, as the renderer's
    v = -s * (wx - cx) + c * (wy - cy)
    shift_u, shift_v = 5.0 * yaw, 3.5 * pitch

    def blob(eu, ev, ru, rv):
        """1 inside the ellipse, falling smoothly to 0 one radius further out."""
        q = np.sqrt(((u - eu) / ru) ** 2 + ((v - ev) / rv) ** 2)
        return np.clip(2.0 - q, 0.0, 1.0)

    ident = identity
    mask = np.zeros((len(p), size, size), dtype=np.float32)
    eye_v = ident["eye_y"] + shift_v
    brow_v = ident["brow_y"] + shift_v
    for side in (-1.0, 1.0):
        eu = side * ident["eye_dx"] + shift_u * (1.0 + 0.15 * side * yaw)
        centre_v = 0.5 * (eye_v + brow_v + ident["eye_h"])       # from the brow to the lower lid
        half_v = 0.5 * (eye_v + ident["eye_h"] - brow_v) + 0.5
        mask = np.maximum(mask, blob(eu, centre_v, ident["eye_w"] + 1.0, half_v))
    gap = 4.2 * mouth_open
    mw = ident["mouth_w"] * (1.0 + 0.12 * smile) * (1.0 - 0.15 * np.abs(yaw))
    mv = ident["mouth_y"] + shift_v * 1.1
    lift = -2.6 * smile                          # the corners move by this much
    top, bottom = mv - 1.0 - 0.4 * gap + np.minimum(lift, 0), mv + 0.9 + gap + np.maximum(lift, 0)
    mask = np.maximum(mask, blob(shift_u * 1.15, 0.5 * (top + bottom), mw + 0.5, 0.5 * (bottom - top) + 0.5))
    return mask[:, None].astype(np.float32)
