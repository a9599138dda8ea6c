"""The face swap's training loop: each step one warped batch per person through the shared
encoder and that person's own decoder, Adam on the sum of their losses.

    model, history, seconds = fit(SPEC, images, masks, steps, seed, log)
"""

import math
from collections import Counter

import torch

from .faces import random_transform, random_warp
from .progress import Progress
from .swap_loss import LatentCritic, confusion, critic_step, face_loss, latent_alignment
from .swap_model import IDENTITY_NAMES, FaceSwap

LOG_EVERY = 500


def learning_rate(step, steps, spec):
    """Linear warm-up (Adam's first steps are noisy), then a cosine decay to zero."""
    warm = spec["warmup_steps"]
    if step < warm:
        return spec["learning_rate"] * (step + 1) / warm
    t = (step - warm) / max(1, steps - warm)
    return spec["learning_rate"] * 0.5 * (1 + math.cos(math.pi * t))


def warp_strength(step, steps, spec):
    """Full random warp for most of the run, then eased off so the last steps sharpen the
    decoders on (almost) unwarped faces (DeepFaceLab offers a switch to turn the warp off;
    easing it is this project's choice, not the 2017 code's)."""
    start = spec["warp_until"] * steps
    if step < start:
        return spec["warp_strength"]
    t = (step - start) / max(1, steps - start)
    return spec["warp_strength"] * (1 - t) + spec["warp_final"] * t


def training_batch(images, masks, bs, gen, warp, spec):
    """One person's batch: (warped input, target, eyes-and-mouth mask). The original's affine
    jitter and flip (if `transform`) move target and mask together; the warp bends only the input."""
    idx = torch.randint(0, len(images), (bs,), generator=gen)
    target, weight = images[idx], masks[idx]
    if spec.get("transform"):
        both = random_transform(torch.cat([target, weight], 1), gen)
        target, weight = both[:, :3], both[:, 3:]
    return (random_warp(target, gen, warp) if warp > 0 else target), target, weight


def make_critic(spec):
    """The latent critic and its own optimizer, or None when the spec gives it no weight."""
    if not spec.get("critic_weight", 0):
        return None
    critic = LatentCritic(spec["latent_dim"], spec["critic_hidden"])
    return critic, torch.optim.Adam(critic.parameters(), lr=spec["critic_learning_rate"])


def training_loss(model, critic, batches, step, spec):
    """This step's loss: each person's rebuild, plus the codes' alignment and (ramped in) the
    critic's confusion. Also returns its parts as floats, for the running averages; the
    critic takes its own step here, on this step's codes."""
    total, codes, parts = 0.0, [], {}
    for who, (x, target, weight) in batches.items():
        z = model.encoder(x)
        loss = face_loss(model.decode(z, who), target, weight, spec)
        total = total + loss
        codes.append(z)
        parts[who] = loss.item()
    if spec["align_weight"]:
        align = latent_alignment(*codes, spec.get("align_variances", True))
        total = total + spec["align_weight"] * align
        parts["align"] = align.item()
    if critic:
        network, optimizer = critic
        parts["critic"] = critic_step(network, optimizer, codes)
        ramp = min(1.0, step / spec["critic_ramp_steps"])      # let the codes form first
        total = total + spec["critic_weight"] * ramp * confusion(network, codes)
    return total, parts


def history_record(step, running, count, critic):
    """The mean of each running figure over the last `count` steps."""
    return {"step": step, **{f"loss_{w}": round(running[w] / count, 5) for w in IDENTITY_NAMES},
            "align": round(running["align"] / count, 5),
            **({"critic_accuracy": round(running["critic"] / count, 3)} if critic else {})}


def fit(spec, images, masks, steps, seed, log=print):
    """Train the shared encoder and both decoders; each decoder sees only its own person.
    Returns (model, history every LOG_EVERY steps, seconds)."""
    torch.manual_seed(seed)
    model = FaceSwap(spec)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"  encoder {spec['encoder_channels']} → latent {spec['latent_dim']}, decoders {spec['decoder_channels']} "
        f"({spec.get('shared_ups', 0)} upscale blocks shared): {n_params:,} parameters "
        f"({2 * n_params / 1e6:.2f} MB in float16)")
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"])
    critic = make_critic(spec)
    gen = torch.Generator().manual_seed(seed)
    faces = {who: (torch.from_numpy(images[who]), torch.from_numpy(masks[who])) for who in IDENTITY_NAMES}
    history, running, progress = [], Counter(), Progress(steps, "training")
    model.train()
    for step in range(1, steps + 1):
        lr, warp = learning_rate(step - 1, steps, spec), warp_strength(step - 1, steps, spec)
        for group in optimizer.param_groups:
            group["lr"] = lr
        batches = {who: training_batch(*faces[who], spec["batch_size"], gen, warp, spec) for who in IDENTITY_NAMES}
        total, parts = training_loss(model, critic, batches, step, spec)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        running.update(parts)                                  # Counter.update adds
        if step % LOG_EVERY == 0 or step == steps:
            record = history_record(step, running, step - (history[-1]["step"] if history else 0), critic)
            history.append(record)
            running = Counter()
            progress.log(step, f"loss A {record['loss_A']:.4f}  B {record['loss_B']:.4f}  align "
                               f"{record['align']:.4f}  critic {record.get('critic_accuracy', 0):.2f}  "
                               f"lr {lr:.1e}  warp {warp:.3f}", log)
    model.eval()
    return model, history, progress.seconds()
