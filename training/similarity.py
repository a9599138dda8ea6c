"""How alike two pictures are: SSIM (Wang et al. 2004) and PSNR.

ssim_map is differentiable PyTorch, so the swap's loss trains on it (training/swap_loss.py);
ssim and psnr take NumPy batches and are what the site quotes.

    ssim(pred, truth)    # (N,) mean SSIM per image; pred, truth: (N, 3, H, W) in [0, 1]
    psnr(pred, truth)    # (N,) dB, peak 1
"""

import numpy as np
import torch
import torch.nn.functional as F


def gaussian_window(size=11, sigma=1.5):
    x = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    return g / g.sum()


def ssim_map(a, b):
    """Per-pixel SSIM of two torch batches (N, 3, H, W) in [0, 1] (Wang et al. 2004: 11×11 Gaussian
    window, σ = 1.5, K1 = .01, K2 = .03, data range 1). Differentiable: the training loss uses it too."""
    g = gaussian_window().to(a.dtype)
    kernel_h = g.view(1, 1, 1, -1).repeat(3, 1, 1, 1)
    kernel_v = g.view(1, 1, -1, 1).repeat(3, 1, 1, 1)

    def blur(x):
        return F.conv2d(F.conv2d(x, kernel_h, groups=3), kernel_v, groups=3)

    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a ** 2
    var_b = blur(b * b) - mu_b ** 2
    cov = blur(a * b) - mu_a * mu_b
    return ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))


def ssim(a, b):
    """Mean SSIM per image, averaged over the three colour channels. a, b: (N, 3, H, W) arrays in [0, 1]."""
    a = torch.as_tensor(np.asarray(a), dtype=torch.float64)
    b = torch.as_tensor(np.asarray(b), dtype=torch.float64)
    return ssim_map(a, b).mean(dim=(1, 2, 3)).numpy()


def psnr(a, b):
    """Mean PSNR in dB per image, peak 1."""
    mse = np.mean((np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)) ** 2, axis=(1, 2, 3))
    return 10 * np.log10(1.0 / np.maximum(mse, 1e-10))
