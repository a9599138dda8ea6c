"""How the swap's two judges (the expression reader and the identity classifier) are built,
trained and run: one small CNN shape, the plain supervised loop (Adam with a cosine schedule,
random batches of 64, a progress line every `every` steps), and inference in batches.

    model = fit_supervised(judge_cnn(3, 96, 9), images, targets, F.mse_loss, steps, seed, log, "regressor")
    values = batched(model, images)
"""

import numpy as np
import torch
from torch import nn

LEAK = 0.1


def judge_cnn(channels, hidden, outputs):
    """Three stride-2 3×3 convolutions (64×64 → 8×8, to 16, 32, 48 channels), then two dense layers."""
    return nn.Sequential(
        nn.Conv2d(channels, 16, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
        nn.Conv2d(32, 48, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
        nn.Flatten(), nn.Linear(48 * 64, hidden), nn.LeakyReLU(LEAK), nn.Linear(hidden, outputs))


def fit_supervised(model, images, targets, loss_fn, steps, seed, log, label, augment=None, every=500, lr=2e-3):
    """Train `model` to map `images` (NumPy, N first) to `targets`; `augment(batch, generator)`
    changes each batch first. Seeded: the same call gives the same weights."""
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, steps))
    x, y = torch.from_numpy(images), torch.from_numpy(targets)
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        idx = torch.randint(0, len(x), (64,), generator=g)
        batch = augment(x[idx], g) if augment else x[idx]
        loss = loss_fn(model(batch), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if (step + 1) % every == 0:
            log(f"  {label} step {step + 1}/{steps}  loss {loss.item():.4f}")
    return model.eval()


def batched(model, images, batch=256):
    """model(images) without gradients, `batch` images at a time: NumPy in, NumPy out."""
    with torch.no_grad():
        return np.concatenate([model(torch.from_numpy(np.ascontiguousarray(images[i:i + batch]))).numpy()
                               for i in range(0, len(images), batch)])
