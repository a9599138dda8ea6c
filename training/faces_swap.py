"""The deepfake: one shared encoder, one decoder per identity, trained on fictional faces.

    python -m training faces-swap [--steps N] [--out DIR] [--seed S]

This is the original 2017 face-swap architecture scaled down to run in a browser without
NumPy: strided convolutions down to a small latent vector, and per identity a decoder of
"upscale" blocks (convolution, LeakyReLU(0.1), pixel shuffle) back to a 64×64 colour face.
Each decoder only ever learns to rebuild *its own* person, from randomly warped inputs
(the original's augmentation). The loss is the original's mean absolute error plus the
structural DSSIM term DeepFaceLab added, both weighted up on the eyes and mouth (its
"eyes and mouth priority": the renderer knows where they are, training/faces.feature_mask),
because those few pixels carry the expression. The swap is then one line:
decoder_B(encoder(face of A)).

Everything quoted on the site is measured here, on held-out parameters, on the float16
weights that ship, and written into weights/manifest.json under "faces-swap":
swap SSIM/PSNR against the ground-truth rendering of B with A's parameters, beside two
baselines (a pixel blend, and a PCA encoder with per-identity linear decoders); an identity
check; expression transfer read back by a regressor trained on B's faces; a "smile
direction" in the latent space; model size and the latency of one swap in pure Python.
"""

import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from . import export
from .faces import PARAM_NAMES, PARAMS, feature_mask, params_array, random_warp, render_batch, sample_params

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
NAME = "faces-swap"
IDENTITY_NAMES = ("A", "B")
LEAK = 0.1

SPEC = {
    "description": "Face swap: a shared convolutional encoder to a 16-D latent (and its shared expansion to "
                   "an 8×8 map), and one upscaling decoder per fictional identity (A, B), 64×64 colour.",
    "kind": "face-swap",
    "latent_dim": 16,
    "encoder_channels": [8, 16, 24],     # stride-2 3×3 convolutions: 64 → 32 → 16 → 8
    "decoder_channels": [24, 12, 6],     # 8×8×24 → 16×16×12 → 32×32×6 → 64×64×3
    "train_per_identity": 8000,
    "test_count": 400,
    "steps": 16000, "batch_size": 32, "learning_rate": 1.5e-3,
    "warmup_steps": 500,
    "warp_strength": 0.04, "warp_until": 0.5, "warp_final": 0.0,   # warp_strength()
    "dssim_weight": 1.0, "priority_weight": 8.0,                   # face_loss()
    "align_weight": 0.05,                # latent_alignment(): same spread of codes for both people
    "seeds": {"A": 101, "B": 202, "test": 303, "regressor": 404},
}


class Encoder(nn.Module):
    def __init__(self, channels, latent_dim):
        super().__init__()
        layers, c_in = [], 3
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, stride=2, padding=1), nn.LeakyReLU(LEAK)]
            c_in = c
        self.convs = nn.Sequential(*layers)
        self.shape = (channels[-1], 8, 8)
        self.dense = nn.Linear(channels[-1] * 64, latent_dim)

    def forward(self, x):
        return self.dense(self.convs(x).flatten(1))


class Decoder(nn.Module):
    """One person's decoder: upscale blocks from the shared 8×8×c0 map to 64×64×3 (sigmoid)."""

    def __init__(self, channels):
        super().__init__()
        ups = []
        for c_in, c_out in zip(channels, channels[1:]):
            ups += [nn.Conv2d(c_in, 4 * c_out, 3, padding=1), nn.LeakyReLU(LEAK), nn.PixelShuffle(2)]
        ups += [nn.Conv2d(channels[-1], 4 * 3, 3, padding=1), nn.PixelShuffle(2), nn.Sigmoid()]
        self.ups = nn.Sequential(*ups)

    def forward(self, h):
        return self.ups(h)


class FaceSwap(nn.Module):
    """As in the original: the bottleneck *and* its expansion back to a small feature map are
    shared (the original's encoder ends Dense → Dense → reshape → upscale); each person's
    decoder only paints that shared map, locally, with 3×3 convolutions and pixel shuffles.
    That sharing is what makes A's "mouth here, smiling" come out as B's mouth."""

    def __init__(self, spec=SPEC):
        super().__init__()
        self.channels = list(spec["decoder_channels"])
        self.encoder = Encoder(spec["encoder_channels"], spec["latent_dim"])
        self.expand = nn.Linear(spec["latent_dim"], self.channels[0] * 64)
        self.decoders = nn.ModuleDict({n: Decoder(self.channels) for n in IDENTITY_NAMES})

    def decode(self, z, who):
        h = F.leaky_relu(self.expand(z), LEAK).view(-1, self.channels[0], 8, 8)
        return self.decoders[who](h)

    def forward(self, x, who):
        return self.decode(self.encoder(x), who)

    def layer_specs(self, spec=SPEC):
        """The manifest's description: tensor names and how the runtime wires them. The shared
        expansion is listed at the head of each decoder, naming the same tensors."""
        enc, size, c_in = [], 64, 3
        for i, c in enumerate(spec["encoder_channels"]):
            enc.append({"type": "conv", "weight": f"encoder.convs.{2 * i}.weight", "bias": f"encoder.convs.{2 * i}.bias",
                        "in": c_in, "out": c, "kernel": 3, "stride": 2, "padding": 1, "input_hw": [size, size],
                        "activation": "leaky_relu", "pixel_shuffle": 1})
            c_in, size = c, size // 2
        enc.append({"type": "dense", "weight": "encoder.dense.weight", "bias": "encoder.dense.bias",
                    "in": c_in * size * size, "out": spec["latent_dim"], "input_chw": [c_in, size, size],
                    "activation": "linear"})
        decoders = {}
        chans = spec["decoder_channels"]
        for who in IDENTITY_NAMES:
            p = f"decoders.{who}."
            dec = [{"type": "dense", "weight": "expand.weight", "bias": "expand.bias", "in": spec["latent_dim"],
                    "out": chans[0] * 64, "output_chw": [chans[0], 8, 8], "activation": "leaky_relu", "shared": True}]
            size = 8
            for i, (a, b) in enumerate(zip(chans, chans[1:])):
                dec.append({"type": "conv", "weight": f"{p}ups.{3 * i}.weight", "bias": f"{p}ups.{3 * i}.bias",
                            "in": a, "out": 4 * b, "kernel": 3, "stride": 1, "padding": 1, "input_hw": [size, size],
                            "activation": "leaky_relu", "pixel_shuffle": 2})
                size *= 2
            i = len(chans) - 1
            dec.append({"type": "conv", "weight": f"{p}ups.{3 * i}.weight", "bias": f"{p}ups.{3 * i}.bias",
                        "in": chans[-1], "out": 12, "kernel": 3, "stride": 1, "padding": 1, "input_hw": [size, size],
                        "activation": "sigmoid", "pixel_shuffle": 2})
            decoders[who] = dec
        return {"encoder": enc, "decoders": decoders}


def latent_alignment(za, zb, variances=True):
    """How differently the two people's faces are spread in the latent space: the distance
    between the batch means (and between the per-axis variances), relative to the codes' size
    so the encoder cannot just shrink them. Expression and pose are drawn from the same
    distribution for both people, so aligned codes make this small; it needs no pairs of
    matching faces, which a real deepfake does not have either."""
    va, vb = za.var(0), zb.var(0)
    scale = 0.5 * (va + vb).sum() + 1e-6
    term = ((za.mean(0) - zb.mean(0)) ** 2).sum() / scale
    if variances:
        term = term + ((va.sqrt() - vb.sqrt()) ** 2).sum() / scale
    return term


# --- quality measures ---------------------------------------------------------------------

def _gaussian_window(size=11, sigma=1.5):
    x = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    return g / g.sum()


def ssim_map(a, b):
    """Per-pixel SSIM of two torch batches (N, 3, H, W) in [0, 1] (Wang et al. 2004: 11×11 Gaussian
    window, σ = 1.5, K1 = .01, K2 = .03, data range 1). Differentiable: the training loss uses it too."""
    g = _gaussian_window().to(a.dtype)
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


def quality(pred, truth):
    return {"ssim": round(float(np.mean(ssim(pred, truth))), 4), "psnr": round(float(np.mean(psnr(pred, truth))), 2)}


class Regressor(nn.Module):
    """Reads the nine parameters back from a face (a small CNN, trained on one identity)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
            nn.Conv2d(32, 48, 3, stride=2, padding=1), nn.LeakyReLU(LEAK),
            nn.Flatten(), nn.Linear(48 * 64, 96), nn.LeakyReLU(LEAK), nn.Linear(96, len(PARAM_NAMES)))

    def forward(self, x):
        return self.net(x)


def train_regressor(images, params, steps, seed, log):
    torch.manual_seed(seed)
    model = Regressor()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, steps))
    x, y = torch.from_numpy(images), torch.from_numpy(params)
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        idx = torch.randint(0, len(x), (64,), generator=g)
        loss = F.mse_loss(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if (step + 1) % 1000 == 0:
            log(f"  regressor step {step + 1}/{steps}  mse {loss.item():.4f}")
    return model.eval()


def _batched(fn, x, batch=256):
    with torch.no_grad():
        return np.concatenate([fn(torch.from_numpy(x[i:i + batch])).numpy() for i in range(0, len(x), batch)])


def nearest_distance(queries, pool, batch=200):
    """RMS pixel distance from each query image to its nearest image in `pool`."""
    q = queries.reshape(len(queries), -1).astype(np.float32)
    p = pool.reshape(len(pool), -1).astype(np.float32)
    pn = (p * p).sum(1)
    out = []
    for i in range(0, len(q), batch):
        block = q[i:i + batch]
        d2 = (block * block).sum(1)[:, None] + pn[None, :] - 2 * block @ p.T
        out.append(np.sqrt(np.maximum(d2.min(1), 0) / q.shape[1]))
    return np.concatenate(out)


def _rounded_list(values, digits=4):
    return [round(float(v), digits) for v in values]


# --- training -----------------------------------------------------------------------------

def face_loss(pred, target, mask, spec):
    """L1 plus DSSIM (1 - SSIM) / 2, both weighted up by `priority_weight` on the eyes and mouth.

    L1 gets the colours right; DSSIM, the structural term DeepFaceLab trains with, is what
    the swap is judged by and rewards sharp edges (lids, pupils, lips) that L1 alone blurs.
    The priority mask makes the few pixels that carry the expression count."""
    weight = 1.0 + spec["priority_weight"] * mask
    l1 = (weight * (pred - target).abs()).mean()
    dssim = (weight[:, :, 5:-5, 5:-5] * (1.0 - ssim_map(pred, target)) / 2).mean()   # SSIM's window is 11 wide
    return l1 + spec["dssim_weight"] * dssim


def learning_rate(step, steps, spec):
    """Linear warm-up (Adam's first steps are noisy), then a cosine decay to zero."""
    warm = spec["warmup_steps"]
    if step < warm:
        return spec["learning_rate"] * (step + 1) / warm
    t = (step - warm) / max(1, steps - warm)
    return spec["learning_rate"] * 0.5 * (1 + math.cos(math.pi * t))


def warp_strength(step, steps, spec):
    """Full random warp for most of the run, then eased off so the last steps sharpen the
    decoders on (almost) unwarped faces, as DeepFaceLab users do at the end of training."""
    start = spec["warp_until"] * steps
    if step < start:
        return spec["warp_strength"]
    t = (step - start) / max(1, steps - start)
    return spec["warp_strength"] * (1 - t) + spec["warp_final"] * t


def fit(spec, images, masks, steps, seed, log=print):
    """Train the shared encoder and both decoders; each decoder sees only its own person."""
    torch.manual_seed(seed)
    model = FaceSwap(spec)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"  encoder {spec['encoder_channels']} → latent {spec['latent_dim']}, decoders {spec['decoder_channels']}: "
        f"{n_params:,} parameters ({2 * n_params / 1e6:.2f} MB in float16)")
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"])
    gen = torch.Generator().manual_seed(seed)
    data = {who: torch.from_numpy(images[who]) for who in IDENTITY_NAMES}
    mask = {who: torch.from_numpy(masks[who]) for who in IDENTITY_NAMES}
    history, started, running = [], time.time(), {key: 0.0 for key in (*IDENTITY_NAMES, "align")}
    bs = spec["batch_size"]
    model.train()
    for step in range(1, steps + 1):
        lr = learning_rate(step - 1, steps, spec)
        for group in optimizer.param_groups:
            group["lr"] = lr
        warp = warp_strength(step - 1, steps, spec)
        total, codes = 0.0, []
        for who in IDENTITY_NAMES:
            idx = torch.randint(0, len(data[who]), (bs,), generator=gen)
            target = data[who][idx]
            z = model.encoder(random_warp(target, gen, warp) if warp > 0 else target)
            loss = face_loss(model.decode(z, who), target, mask[who][idx], spec)
            total = total + loss
            codes.append(z)
            running[who] += loss.item()
        if spec["align_weight"]:
            align = latent_alignment(*codes, spec.get("align_variances", True))
            total = total + spec["align_weight"] * align
            running["align"] += align.item()
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        if step % 500 == 0 or step == steps:
            every = 500 if step % 500 == 0 else step % 500
            record = {"step": step, **{f"loss_{w}": round(running[w] / every, 5) for w in IDENTITY_NAMES},
                      "align": round(running["align"] / every, 5)}
            history.append(record)
            running = {key: 0.0 for key in running}
            log(f"  step {step:6d}/{steps}  loss A {record['loss_A']:.4f}  B {record['loss_B']:.4f}  "
                f"align {record['align']:.4f}  lr {lr:.1e}  warp {warp:.3f}  {time.time() - started:6.0f}s")
    model.eval()
    return model, history, time.time() - started


def train(out_dir=WEIGHTS_DIR, steps=None, seed=0, per_identity=None, test_count=None,
          regressor_steps=2000, log=print, spec=SPEC, latency_calls=15):
    started_all = time.time()
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    steps = spec["steps"] if steps is None else steps
    per_identity = per_identity or spec["train_per_identity"]
    test_count = test_count or spec["test_count"]
    seeds = spec["seeds"]

    t0 = time.time()
    train_params = {who: sample_params(per_identity, seeds[who] + seed) for who in IDENTITY_NAMES}
    train_images = {who: render_batch(who, train_params[who]) for who in IDENTITY_NAMES}
    test_params = sample_params(test_count, seeds["test"] + seed)
    test_images = {who: render_batch(who, test_params) for who in IDENTITY_NAMES}
    render_seconds = time.time() - t0
    log(f"{NAME}: rendered {per_identity:,} training faces per identity and {test_count} held-out parameter "
        f"sets for both in {render_seconds:.0f}s")

    train_masks = {who: feature_mask(who, train_params[who]) for who in IDENTITY_NAMES}
    model, history, train_seconds = fit(spec, train_images, train_masks, steps, seed, log)
    model.eval()

    # What ships: float16 weights. Measure on them.
    state = {k: v.detach().half() for k, v in model.state_dict().items()}
    shipped = FaceSwap(spec)
    shipped.load_state_dict({k: v.float() for k, v in state.items()})
    shipped.eval()
    enc = shipped.encoder

    def run(x, who):
        return _batched(lambda t: shipped(t, who), x)

    metrics = {}
    a_img, b_img = test_images["A"], test_images["B"]
    swap_ab = run(a_img, "B")          # B wearing A's expression
    swap_ba = run(b_img, "A")
    rec_a, rec_b = run(a_img, "A"), run(b_img, "B")
    q = {
        "swap": quality(swap_ab, b_img), "swap_reverse": quality(swap_ba, a_img),
        "reconstruction_A": quality(rec_a, a_img), "reconstruction_B": quality(rec_b, b_img),
    }
    # Baseline 1: blend A's face with B's average face, half and half, in pixel space.
    mean_b, mean_a = train_images["B"].mean(0, keepdims=True), train_images["A"].mean(0, keepdims=True)
    blend_ab = 0.5 * a_img + 0.5 * mean_b
    q["blend"] = quality(blend_ab, b_img)
    q["blend_reverse"] = quality(0.5 * b_img + 0.5 * mean_a, a_img)
    # Baseline 2: the same idea made linear. A PCA encoder shared by both people (fit on each
    # person's faces minus that person's mean face, so the components describe expression and
    # pose rather than who it is), and per person a linear decoder fit by least squares.
    k = spec["latent_dim"]
    flat = {w: train_images[w].reshape(len(train_images[w]), -1).astype(np.float32) for w in IDENTITY_NAMES}
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

    pca_ab = pca_swap(a_img, "A", "B")
    q["pca"] = quality(pca_ab, b_img)
    q["pca_reverse"] = quality(pca_swap(b_img, "B", "A"), a_img)
    q["pca_reconstruction_B"] = quality(pca_swap(b_img, "B", "B"), b_img)
    for key, value in q.items():
        metrics[f"{key}_ssim"], metrics[f"{key}_psnr"] = value["ssim"], value["psnr"]
    log("  SSIM / PSNR on held-out parameters (A's face through decoder B vs. B rendered with A's parameters):")
    for key in ("swap", "swap_reverse", "blend", "pca", "reconstruction_A", "reconstruction_B"):
        log(f"    {key:18s} {q[key]['ssim']:.3f}  {q[key]['psnr']:.2f} dB")

    # Identity check: nearer B's faces than A's (pixel distance to the nearest training face).
    pool_a, pool_b = train_images["A"][:2000], train_images["B"][:2000]
    to_a, to_b = nearest_distance(swap_ab, pool_a), nearest_distance(swap_ab, pool_b)
    metrics["identity_nearer_B"] = round(float(np.mean(to_b < to_a)), 4)
    metrics["identity_distance_to_B"] = round(float(np.mean(to_b)), 4)
    metrics["identity_distance_to_A"] = round(float(np.mean(to_a)), 4)
    blend_to_a, blend_to_b = nearest_distance(blend_ab, pool_a), nearest_distance(blend_ab, pool_b)
    metrics["blend_identity_nearer_B"] = round(float(np.mean(blend_to_b < blend_to_a)), 4)
    log(f"  identity: {100 * metrics['identity_nearer_B']:.1f}% of swaps are nearer B's faces than A's "
        f"(RMS to nearest B {metrics['identity_distance_to_B']:.3f}, to nearest A {metrics['identity_distance_to_A']:.3f});"
        f" pixel blend: {100 * metrics['blend_identity_nearer_B']:.1f}%")

    # Expression transfer: a regressor trained on B's faces reads the parameters back.
    reg = train_regressor(train_images["B"], params_array(train_params["B"]), regressor_steps,
                          seeds["regressor"] + seed, log)
    truth = params_array(test_params)
    ranges = np.array([PARAMS[n][1] - PARAMS[n][0] for n in PARAM_NAMES], dtype=np.float32)

    def read_error(images):
        err = np.abs(_batched(reg, images) - truth) / ranges       # share of each parameter's range
        return err.mean(0)

    own = read_error(b_img)
    transfer = read_error(swap_ab)
    transfer_blend = read_error(blend_ab)
    transfer_pca = read_error(pca_ab)
    metrics["expression_error"] = round(float(transfer.mean()), 4)
    metrics["expression_error_ground_truth"] = round(float(own.mean()), 4)
    metrics["expression_error_blend"] = round(float(transfer_blend.mean()), 4)
    metrics["expression_error_pca"] = round(float(transfer_pca.mean()), 4)
    metrics["expression_error_by_parameter"] = {n: round(float(e), 4) for n, e in zip(PARAM_NAMES, transfer)}
    log(f"  expression read back from the swap: mean error {100 * transfer.mean():.1f}% of each range "
        f"(on real B faces {100 * own.mean():.1f}%, blend {100 * transfer_blend.mean():.1f}%, "
        f"PCA {100 * transfer_pca.mean():.1f}%)")

    # Smile direction: mean latent of smiling faces minus mean latent of frowning ones.
    with torch.no_grad():
        lat = {w: _batched(enc, train_images[w]) for w in IDENTITY_NAMES}
    smiles = {w: params_array(train_params[w])[:, PARAM_NAMES.index("smile")] for w in IDENTITY_NAMES}
    all_lat = np.concatenate([lat["A"], lat["B"]])
    all_smile = np.concatenate([smiles["A"], smiles["B"]])
    direction = all_lat[all_smile > 0.5].mean(0) - all_lat[all_smile < -0.5].mean(0)
    test_lat = _batched(enc, a_img)
    smile_idx = PARAM_NAMES.index("smile")

    def smile_swaps(k):
        """B's swaps of the held-out A faces with k smile directions added, and the smile read from them."""
        moved = _batched(lambda t: shipped.decode(t, "B"), (test_lat + k * direction).astype(np.float32))
        return moved, _batched(reg, moved)[:, smile_idx]

    still, before = smile_swaps(0.0)
    for k, label in ((0.5, "half"), (1.0, "full")):
        moved, after = smile_swaps(k)
        metrics[f"smile_shift_{label}"] = round(float(np.mean(after - before)), 4)
    metrics["smile_rises_full"] = round(float(np.mean(after > before)), 4)
    # Where the pixels moved (k = 1): RMS change on the eyes and mouth (the priority mask) and elsewhere.
    where = feature_mask("B", test_params) > 0.5
    change = np.sqrt(((moved - still) ** 2).mean(1, keepdims=True))
    metrics["smile_change_features_rms"] = round(float(change[where].mean()), 4)
    metrics["smile_change_elsewhere_rms"] = round(float(change[~where].mean()), 4)
    log(f"  smile direction (|d| = {np.linalg.norm(direction):.2f}): adding half of it raises the smile read "
        f"from B's swaps by {metrics['smile_shift_half']:+.3f} on average, all of it by "
        f"{metrics['smile_shift_full']:+.3f} (smile runs from -1 to 1; it rises on "
        f"{100 * metrics['smile_rises_full']:.0f}% of faces); pixels move "
        f"{metrics['smile_change_features_rms']:.3f} RMS on the eyes and mouth, "
        f"{metrics['smile_change_elsewhere_rms']:.3f} elsewhere")

    # Export, then measure the shipped file in pure Python.
    specs = model.layer_specs(spec)
    layers = specs["encoder"] + [layer for who in IDENTITY_NAMES for layer in specs["decoders"][who]]
    lat_test = np.concatenate([test_lat, _batched(enc, b_img)])
    out_dir = Path(out_dir)
    entry = {
        "description": spec["description"],
        "kind": spec["kind"],
        **export.export_layers(out_dir, NAME, layers, {k: v.numpy() for k, v in state.items()}),
        "input_shape": [64, 64, 3],
        "layout": "HWC pixels in [0, 1]; tensors in PyTorch layout (conv: out, in, kh, kw; dense: out, in)",
        "latent_dim": spec["latent_dim"],
        "leaky_relu_slope": LEAK,
        "identities": list(IDENTITY_NAMES),
        "param_names": list(PARAM_NAMES),
        "encoder": specs["encoder"],
        "decoders": specs["decoders"],
        "smile_direction": _rounded_list(direction),
        "latent_range": {"min": _rounded_list(np.percentile(lat_test, 1, axis=0)),
                         "max": _rounded_list(np.percentile(lat_test, 99, axis=0))},
        "training": {
            "seed": seed, "steps": steps, "batch_size_per_identity": spec["batch_size"], "optimizer": "adam",
            "learning_rate": spec["learning_rate"], "warmup_steps": spec["warmup_steps"], "schedule": "linear warm-up, cosine",
            "loss": {"l1": 1.0, "dssim": spec["dssim_weight"], "eyes_mouth_priority": spec["priority_weight"]},
            "augmentation": {"random_warp": {"grid": 5, "std": spec["warp_strength"],
                                             "eased_from": spec["warp_until"], "to": spec["warp_final"]}},
            "latent_alignment_weight": spec["align_weight"],
            "train_faces_per_identity": per_identity, "test_parameter_sets": test_count,
            "threads": 1, "render_seconds": round(render_seconds, 1), "seconds": round(train_seconds, 1),
            "torch": torch.__version__.split("+")[0], "history": history,
        },
        "metrics": metrics,
    }
    export.update_manifest(out_dir, NAME, entry)
    entry["metrics"].update(measure_latency(out_dir, log, latency_calls))
    entry["training"]["total_seconds"] = round(time.time() - started_all, 1)
    export.update_manifest(out_dir, NAME, entry)
    log(f"  wrote {out_dir / entry['file']} ({entry['bytes']:,} bytes, {entry['parameters']:,} parameters) and "
        f"{out_dir / 'manifest.json'}; total {entry['training']['total_seconds']:.0f}s")
    return entry


def measure_latency(out_dir, log, calls=15):
    """Median ms of one swap (render excluded: encode A's face, decode with B) on this CPython.

    CPU time of this process (time.process_time), so that other jobs on a busy machine do
    not inflate it; wall-clock time on an idle machine is the same."""
    import platform
    import statistics

    from py_runtime import faces, swap

    image = faces.render("A", faces.DEFAULT_PARAMS)
    out = {"latency_python": platform.python_version(), "latency_clock": "process CPU time, median"}
    for backend in ("python", "numpy"):
        model = swap.load(out_dir, backend=backend)
        model.swap(image, "B")
        times = []
        for _ in range(calls):
            t = time.process_time()
            model.swap(image, "B")
            times.append(1000 * (time.process_time() - t))
        out[f"swap_ms_{backend}"] = round(statistics.median(times), 2)
    t = time.process_time()
    for _ in range(calls):
        faces.render("A", faces.DEFAULT_PARAMS)
    out["render_ms_python"] = round(1000 * (time.process_time() - t) / calls, 2)
    log(f"  one swap on CPython {out['latency_python']}: {out['swap_ms_python']:.1f} ms pure Python, "
        f"{out['swap_ms_numpy']:.2f} ms NumPy; rendering a face {out['render_ms_python']:.1f} ms")
    return out


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m training.faces_swap")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--per-identity", type=int)
    parser.add_argument("--out", default=str(WEIGHTS_DIR))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    train(args.out, steps=args.steps, seed=args.seed, per_identity=args.per_identity,
          log=lambda *a: print(*a, flush=True))


if __name__ == "__main__":
    main()
