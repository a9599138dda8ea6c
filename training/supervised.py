"""The plain supervised loop both of the swap's judges are trained with: Adam with a cosine
schedule, random batches of 64, a progress line every `every` steps.

    model = fit_supervised(Regressor(), images, targets, F.mse_loss, steps, seed, log, "regressor")
"""

import torch


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
