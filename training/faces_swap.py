"""The deepfake: one shared encoder, one decoder per identity, trained on fictional faces.

    python -m training faces-swap [--steps N] [--out DIR] [--seed S]

This is the original 2017 face-swap architecture scaled down to run in a browser without
NumPy. Like the original it works on aligned crops: each rendered face is found (the
renderer's landmarks), aligned by a similarity transform and cut out tight, so that the eyes
and mouth fill a good part of the 64×64 picture (py_runtime.pipeline.aligned_crop). Strided
convolutions take the crop down to a small latent vector; a shared dense layer (and, as
in the original, where the first upscale sits in the encoder, the first `shared_ups` upscale
blocks) turn it back into a feature map, and each person's decoder paints that map up to a
64×64 colour face with "upscale" blocks (convolution, LeakyReLU(0.1), pixel shuffle).
Each decoder only ever learns to rebuild *its own* person, from randomly warped inputs
(the original's augmentation). The loss is the original's mean absolute error plus the
structural DSSIM term DeepFaceLab added, both weighted up on the eyes and mouth (its
"eyes and mouth priority": the renderer knows where they are, training/faces.feature_mask),
because those few pixels carry the expression. The swap is then one line:
decoder_B(encoder(crop of A)).

Everything quoted on the site is measured here, on held-out parameters, on the float16
weights that ship, and written into weights/manifest.json under "faces-swap":
swap SSIM/PSNR against the ground-truth crop of B with A's parameters, beside two baselines
(a pixel blend, and a PCA encoder with per-identity linear decoders); identity, by an identity
classifier that sees grey crops (training/identity.py); expression transfer, parameter by
parameter, read back by a regressor trained on B's crops, against its floor on B's own crops;
a "smile direction" in the latent space; model size and the latency of one swap in pure Python.
"""

import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from . import export
from .supervised import fit_supervised
from .faces import (PARAM_NAMES, PARAMS, feature_mask, params_array, random_transform, random_warp, render_crops,
                    sample_params)

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
NAME = "faces-swap"
IDENTITY_NAMES = ("A", "B")
LEAK = 0.1

SPEC = {
    "description": "Face swap on aligned 64×64 crops: a shared convolutional encoder to a 16-D latent, a shared "
                   "expansion to an 8×8 map and a shared first upscale block to 16×16, then one upscaling "
                   "decoder per fictional identity (A, B).",
    "kind": "face-swap",
    "latent_dim": 16,
    "encoder_channels": [8, 16, 24],     # stride-2 3×3 convolutions: 64 → 32 → 16 → 8
    "decoder_channels": [24, 12, 6],     # 8×8×24 → 16×16×12 → 32×32×6 → 64×64×3
    "shared_ups": 1,                     # upscale blocks both people share (the original: one, in its encoder)
    "train_per_identity": 8000,
    "test_count": 400,
    "steps": 12000, "batch_size": 32, "learning_rate": 1.5e-3,
    "warmup_steps": 500,
    "warp_strength": 0.04, "warp_until": 0.5, "warp_final": 0.0,    # warp_strength(): 1.3 px
    "transform": False,                  # random_transform(): the original's rotation, zoom, shift and flip
    "dssim_weight": 1.0, "priority_weight": 8.0,                    # face_loss()
    "align_weight": 0.05,                # latent_alignment(): same spread of codes for both people
    "critic_weight": 0.3, "critic_hidden": 64, "critic_learning_rate": 1e-3,   # LatentCritic: codes that
    "critic_ramp_steps": 1000,                                                   # do not say who it is
    "identity_pool": 38, "identity_faces": 120, "identity_steps": 1500,   # training/identity.py
    "seeds": {"A": 101, "B": 202, "test": 303, "regressor": 404, "identity": 505},
}

# What the chapter, the README and the video hold the model to; they quote these, not copies.
TARGETS = {
    "expression": ["smile", "mouth_open", "eyes_open"],
    "expression_error_over_floor": 2.0,        # swap error at most this many times the reader's floor
    "expression_correlation": 0.85,
    "gaze": ["gaze_x", "gaze_y"],
    "gaze_correlation": 0.7,
    "pose_light": ["yaw", "pitch", "roll", "light"],
    "pose_light_error": 0.06,
    "floor_error": 0.10,
    "swap_ssim": 0.90,
    "swap_reverse_ssim": 0.88,
    "weights_bytes": 1_500_000,
    "train_minutes": 60,
    "first_swap_ms": 100,
}


def upscale(c_in, c_out):
    """The original's upscale block: a 3×3 convolution to 4× the channels, LeakyReLU, and a pixel
    shuffle that turns each pixel's 4·c_out channels into a 2×2 block of c_out."""
    return [nn.Conv2d(c_in, 4 * c_out, 3, padding=1), nn.LeakyReLU(LEAK), nn.PixelShuffle(2)]


def to_pixels(c_in):
    """The last block: to 2×2 blocks of RGB, squashed into [0, 1]."""
    return [nn.Conv2d(c_in, 4 * 3, 3, padding=1), nn.PixelShuffle(2), nn.Sigmoid()]


def decoder_blocks(channels):
    """Every block from the 8×8 map to 64×64×3, in order, each a list of layers."""
    return [upscale(a, b) for a, b in zip(channels, channels[1:])] + [to_pixels(channels[-1])]


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
    """One person's decoder: the upscale blocks after the shared ones, up to 64×64×3 (sigmoid)."""

    def __init__(self, channels, skip=0):
        super().__init__()
        self.ups = nn.Sequential(*[layer for block in decoder_blocks(channels)[skip:] for layer in block])

    def forward(self, h):
        return self.ups(h)


class FaceSwap(nn.Module):
    """As in the original: the bottleneck *and* its expansion back to a small feature map are
    shared (the original's encoder ends Dense → Dense → reshape → upscale); so are the first
    `shared_ups` upscale blocks. Each person's decoder only paints the shared map, locally,
    with 3×3 convolutions and pixel shuffles. That sharing is what makes A's "mouth here,
    smiling" come out as B's mouth."""

    def __init__(self, spec=SPEC):
        super().__init__()
        self.channels = list(spec["decoder_channels"])
        self.shared_ups = spec.get("shared_ups", 0)
        self.encoder = Encoder(spec["encoder_channels"], spec["latent_dim"])
        self.expand = nn.Linear(spec["latent_dim"], self.channels[0] * 64)
        shared = decoder_blocks(self.channels)[:self.shared_ups]
        self.trunk = nn.Sequential(*[layer for block in shared for layer in block])
        self.decoders = nn.ModuleDict({n: Decoder(self.channels, self.shared_ups) for n in IDENTITY_NAMES})

    def decode(self, z, who):
        h = F.leaky_relu(self.expand(z), LEAK).view(-1, self.channels[0], 8, 8)
        return self.decoders[who](self.trunk(h))

    def forward(self, x, who):
        return self.decode(self.encoder(x), who)

    def layer_specs(self, spec=SPEC):
        """The manifest's description: tensor names and how the runtime wires them. The shared
        expansion and upscale blocks are listed at the head of each decoder, naming the same
        tensors (marked "shared")."""
        enc, size, c_in = [], 64, 3
        for i, c in enumerate(spec["encoder_channels"]):
            enc.append({"type": "conv", "weight": f"encoder.convs.{2 * i}.weight", "bias": f"encoder.convs.{2 * i}.bias",
                        "in": c_in, "out": c, "kernel": 3, "stride": 2, "padding": 1, "input_hw": [size, size],
                        "activation": "leaky_relu", "pixel_shuffle": 1})
            c_in, size = c, size // 2
        enc.append({"type": "dense", "weight": "encoder.dense.weight", "bias": "encoder.dense.bias",
                    "in": c_in * size * size, "out": spec["latent_dim"], "input_chw": [c_in, size, size],
                    "activation": "linear"})
        chans = spec["decoder_channels"]
        outs = [4 * b for b in chans[1:]] + [12]
        decoders = {}
        for who in IDENTITY_NAMES:
            dec = [{"type": "dense", "weight": "expand.weight", "bias": "expand.bias", "in": spec["latent_dim"],
                    "out": chans[0] * 64, "output_chw": [chans[0], 8, 8], "activation": "leaky_relu", "shared": True}]
            size = 8
            for i, (c_in, c_out) in enumerate(zip(chans, outs)):
                shared = i < self.shared_ups
                j = i if shared else i - self.shared_ups
                prefix = f"trunk.{3 * j}" if shared else f"decoders.{who}.ups.{3 * j}"
                layer = {"type": "conv", "weight": f"{prefix}.weight", "bias": f"{prefix}.bias", "in": c_in,
                         "out": c_out, "kernel": 3, "stride": 1, "padding": 1, "input_hw": [size, size],
                         "activation": "leaky_relu" if i < len(outs) - 1 else "sigmoid", "pixel_shuffle": 2}
                if shared:
                    layer["shared"] = True
                dec.append(layer)
                size *= 2
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


class LatentCritic(nn.Module):
    """A small network that guesses from a code whose face it came from (the logit of "B").

    It learns on detached codes to tell A's from B's; the encoder, in the same step, is
    trained to leave it at even odds (a confusion loss: cross-entropy against 1/2 for every
    code). Matching means and spreads (latent_alignment) still lets the two people fill
    different corners of the code space; once no network can tell the codes apart, decoder B
    is fed A's codes from the same distribution it was trained on. It is a training aid
    only: nothing of it ships. DeepFaceLab's "True Face" option (off by default) trains a code
    discriminator too, but its encoder side is one-sided: it pushes one person's codes to be
    taken for the other's."""

    def __init__(self, latent_dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent_dim, hidden), nn.LeakyReLU(LEAK),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(LEAK), nn.Linear(hidden, 1))

    def forward(self, z):
        return self.net(z)


def critic_step(critic, optimizer, codes):
    """One step of the critic on detached codes; returns its accuracy on them."""
    z = torch.cat([c.detach() for c in codes])
    labels = torch.cat([torch.full((len(c), 1), float(i)) for i, c in enumerate(codes)])
    logits = critic(z)
    loss = F.binary_cross_entropy_with_logits(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return ((logits > 0).float() == labels).float().mean().item()


def confusion(critic, codes):
    """The encoder's side: cross-entropy of the critic's guess against 1/2, smallest when the
    critic cannot tell whose code it sees."""
    logits = critic(torch.cat(codes))
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, 0.5))


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
    return fit_supervised(Regressor(), images, params, F.mse_loss, steps, seed, log, "regressor", every=1000)


def _batched(fn, x, batch=256):
    with torch.no_grad():
        return np.concatenate([fn(torch.from_numpy(x[i:i + batch])).numpy() for i in range(0, len(x), batch)])


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
    decoders on (almost) unwarped faces (DeepFaceLab offers a switch to turn the warp off;
    easing it is this project's choice, not the 2017 code's)."""
    start = spec["warp_until"] * steps
    if step < start:
        return spec["warp_strength"]
    t = (step - start) / max(1, steps - start)
    return spec["warp_strength"] * (1 - t) + spec["warp_final"] * t


class Progress:
    """A one-line progress bar: done/total, a bar, the elapsed time and an estimate of the rest."""

    def __init__(self, total, label, log, width=30):
        self.total, self.label, self.log, self.width = total, label, log, width
        self.started = time.time()

    def show(self, done, note=""):
        elapsed = time.time() - self.started
        filled = int(self.width * done / max(1, self.total))
        rest = elapsed / max(1, done) * (self.total - done)
        self.log(f"  {self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{self.total:,}  "
                 f"{elapsed / 60:4.1f} min, about {rest / 60:4.1f} min to go  {note}")


def training_batch(data, mask, who, bs, gen, warp, spec):
    """One person's batch: (warped input, target, eyes-and-mouth mask). The original's affine
    jitter and flip (if `transform`) move target and mask together; the warp bends only the input."""
    idx = torch.randint(0, len(data[who]), (bs,), generator=gen)
    target, weight = data[who][idx], mask[who][idx]
    if spec.get("transform"):
        both = random_transform(torch.cat([target, weight], 1), gen)
        target, weight = both[:, :3], both[:, 3:]
    return (random_warp(target, gen, warp) if warp > 0 else target), target, weight


def fit(spec, images, masks, steps, seed, log=print):
    """Train the shared encoder and both decoders; each decoder sees only its own person."""
    torch.manual_seed(seed)
    model = FaceSwap(spec)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"  encoder {spec['encoder_channels']} → latent {spec['latent_dim']}, decoders {spec['decoder_channels']} "
        f"({spec.get('shared_ups', 0)} upscale blocks shared): {n_params:,} parameters "
        f"({2 * n_params / 1e6:.2f} MB in float16)")
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"])
    critic_weight = spec.get("critic_weight", 0)
    if critic_weight:
        critic = LatentCritic(spec["latent_dim"], spec["critic_hidden"])
        critic_optimizer = torch.optim.Adam(critic.parameters(), lr=spec["critic_learning_rate"])
    gen = torch.Generator().manual_seed(seed)
    data = {who: torch.from_numpy(images[who]) for who in IDENTITY_NAMES}
    mask = {who: torch.from_numpy(masks[who]) for who in IDENTITY_NAMES}
    history, running = [], {key: 0.0 for key in (*IDENTITY_NAMES, "align", "critic")}
    progress = Progress(steps, "training", log)
    model.train()
    for step in range(1, steps + 1):
        lr = learning_rate(step - 1, steps, spec)
        for group in optimizer.param_groups:
            group["lr"] = lr
        warp = warp_strength(step - 1, steps, spec)
        total, codes = 0.0, []
        for who in IDENTITY_NAMES:
            x, target, weight = training_batch(data, mask, who, spec["batch_size"], gen, warp, spec)
            z = model.encoder(x)
            loss = face_loss(model.decode(z, who), target, weight, spec)
            total = total + loss
            codes.append(z)
            running[who] += loss.item()
        if spec["align_weight"]:
            align = latent_alignment(*codes, spec.get("align_variances", True))
            total = total + spec["align_weight"] * align
            running["align"] += align.item()
        if critic_weight:
            running["critic"] += critic_step(critic, critic_optimizer, codes)
            ramp = min(1.0, step / spec["critic_ramp_steps"])      # let the codes form first
            total = total + critic_weight * ramp * confusion(critic, codes)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        if step % 500 == 0 or step == steps:
            every = 500 if step % 500 == 0 else step % 500
            record = {"step": step, **{f"loss_{w}": round(running[w] / every, 5) for w in IDENTITY_NAMES},
                      "align": round(running["align"] / every, 5),
                      **({"critic_accuracy": round(running["critic"] / every, 3)} if critic_weight else {})}
            history.append(record)
            running = {key: 0.0 for key in running}
            progress.show(step, f"loss A {record['loss_A']:.4f}  B {record['loss_B']:.4f}  align "
                                f"{record['align']:.4f}  critic {record.get('critic_accuracy', 0):.2f}  "
                                f"lr {lr:.1e}  warp {warp:.3f}")
    model.eval()
    return model, history, time.time() - progress.started


def render_data(spec, seed, per_identity, test_count, log):
    """Training crops (with their views, for the eyes-and-mouth masks) and held-out test crops,
    rendered for both people with the same test parameters (each other's ground truth)."""
    seeds = spec["seeds"]
    t0 = time.time()
    params = {who: sample_params(per_identity, seeds[who] + seed) for who in IDENTITY_NAMES}
    crops = {who: render_crops(who, params[who]) for who in IDENTITY_NAMES}
    test_params = sample_params(test_count, seeds["test"] + seed)
    test = {who: render_crops(who, test_params)[0] for who in IDENTITY_NAMES}
    masks = {who: feature_mask(who, params[who], views=crops[who][1]) for who in IDENTITY_NAMES}
    seconds = time.time() - t0
    log(f"{NAME}: rendered and aligned {per_identity:,} training crops per identity and {test_count} held-out "
        f"parameter sets for both in {seconds:.0f}s")
    return {"params": params, "images": {w: crops[w][0] for w in IDENTITY_NAMES}, "masks": masks,
            "test_params": test_params, "test": test, "seconds": seconds}


def shipped_copy(model, spec):
    """The model as it ships: float16 weights, read back into float32 for measuring."""
    state = {k: v.detach().half() for k, v in model.state_dict().items()}
    shipped = FaceSwap(spec)
    shipped.load_state_dict({k: v.float() for k, v in state.items()})
    return shipped.eval(), state


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


def pictures(shipped, data, spec):
    """Every picture the figures compare: swaps both ways, reconstructions, and the baselines."""
    def run(x, who):
        return _batched(lambda t: shipped(t, who), x)

    a_img, b_img = data["test"]["A"], data["test"]["B"]
    mean = {w: data["images"][w].mean(0, keepdims=True) for w in IDENTITY_NAMES}
    pca_swap = pca_baseline(data["images"], spec["latent_dim"])
    return {
        "swap": run(a_img, "B"), "swap_reverse": run(b_img, "A"),          # B wearing A's expression, and back
        "reconstruction_A": run(a_img, "A"), "reconstruction_B": run(b_img, "B"),
        # baseline 1: A's crop half and half with B's average crop, in pixel space
        "blend": 0.5 * a_img + 0.5 * mean["B"], "blend_reverse": 0.5 * b_img + 0.5 * mean["A"],
        "pca": pca_swap(a_img, "A", "B"), "pca_reverse": pca_swap(b_img, "B", "A"),
        "pca_reconstruction_B": pca_swap(b_img, "B", "B"),
    }


def image_quality(pics, data, log):
    truth = {"swap": "B", "swap_reverse": "A", "reconstruction_A": "A", "reconstruction_B": "B", "blend": "B",
             "blend_reverse": "A", "pca": "B", "pca_reverse": "A", "pca_reconstruction_B": "B"}
    metrics = {}
    for key, who in truth.items():
        q = quality(pics[key], data["test"][who])
        metrics[f"{key}_ssim"], metrics[f"{key}_psnr"] = q["ssim"], q["psnr"]
    log("  SSIM / PSNR on held-out parameters (A's crop through decoder B vs. B's crop with A's parameters):")
    for key in ("swap", "swap_reverse", "blend", "pca", "reconstruction_A", "reconstruction_B"):
        log(f"    {key:18s} {metrics[key + '_ssim']:.3f}  {metrics[key + '_psnr']:.2f} dB")
    return metrics


def expression_readback(pics, data, spec, seed, regressor_steps, log):
    """A regressor trained on B's crops reads the nine parameters back. Its error on B's own
    held-out crops is the floor; on D_B(E(x_B)) it is what the autoencoder keeps; on the swap
    and the baselines, what carried over. Errors are mean absolute, as a share of each
    parameter's range; correlations are Pearson's, between A's parameter and the value read."""
    reg = train_regressor(data["images"]["B"], params_array(data["params"]["B"]), regressor_steps,
                          spec["seeds"]["regressor"] + seed, log)
    truth = params_array(data["test_params"])
    ranges = np.array([PARAMS[n][1] - PARAMS[n][0] for n in PARAM_NAMES], dtype=np.float32)
    read = {"floor": data["test"]["B"], "reconstruction": pics["reconstruction_B"], "swap": pics["swap"],
            "blend": pics["blend"], "pca": pics["pca"]}
    out = {}
    for key, images in read.items():
        values = _batched(reg, images)
        err = (np.abs(values - truth) / ranges).mean(0)
        corr = [float(np.corrcoef(values[:, i], truth[:, i])[0, 1]) if values[:, i].std() > 1e-9 else 0.0
                for i in range(len(PARAM_NAMES))]
        out[key] = {"error": {n: round(float(e), 4) for n, e in zip(PARAM_NAMES, err)},
                    "correlation": {n: round(c, 4) for n, c in zip(PARAM_NAMES, corr)},
                    "mean_error": round(float(err.mean()), 4)}
    log("  expression read back by a regressor trained on B's crops (error as a share of each range; r):")
    for n in PARAM_NAMES:
        log(f"    {n:10s} floor {out['floor']['error'][n]:.3f}  autoencoder {out['reconstruction']['error'][n]:.3f}  "
            f"swap {out['swap']['error'][n]:.3f} (r {out['swap']['correlation'][n]:+.2f})  "
            f"blend {out['blend']['error'][n]:.3f}")
    metrics = {"expression_error": out["swap"]["mean_error"], "expression_error_ground_truth": out["floor"]["mean_error"],
               "expression_error_blend": out["blend"]["mean_error"], "expression_error_pca": out["pca"]["mean_error"],
               "expression_error_by_parameter": out["swap"]["error"]}
    return metrics, out, reg


def identity_check(pics, spec, seed, log, size=None):
    """Who the swaps look like, to an identity classifier of grey crops (training/identity.py).
    `size` = (random people, crops each, steps) overrides the spec's (for tests)."""
    from . import identity

    people, each, steps = size or (spec["identity_pool"], spec["identity_faces"], spec["identity_steps"])
    images, labels, names = identity.identity_pool(people, each, spec["seeds"]["identity"] + seed)
    clf = identity.train_classifier(images, labels, steps, spec["seeds"]["identity"] + seed, log)
    out = {key: identity.recognised(clf, pics[key], names) for key in ("swap", "swap_reverse", "blend")}
    log(f"  identity, among {len(names)} people: swaps A→B recognised as B {100 * out['swap']['B']:.0f}%, "
        f"as A {100 * out['swap']['A']:.0f}%; B→A as A {100 * out['swap_reverse']['A']:.0f}%; "
        f"pixel blend as B {100 * out['blend']['B']:.0f}%")
    return out


def smile_direction(shipped, reg, data):
    """Mean latent of smiling training crops minus mean latent of frowning ones, and what adding
    it does to B's swaps of the held-out A crops (the smile read back, where the pixels move)."""
    enc = shipped.encoder
    lat = {w: _batched(enc, data["images"][w]) for w in IDENTITY_NAMES}
    smile_idx = PARAM_NAMES.index("smile")
    smiles = np.concatenate([params_array(data["params"][w])[:, smile_idx] for w in IDENTITY_NAMES])
    all_lat = np.concatenate([lat["A"], lat["B"]])
    direction = all_lat[smiles > 0.5].mean(0) - all_lat[smiles < -0.5].mean(0)
    test_lat = _batched(enc, data["test"]["A"])

    def smile_swaps(k):
        moved = _batched(lambda t: shipped.decode(t, "B"), (test_lat + k * direction).astype(np.float32))
        return moved, _batched(reg, moved)[:, smile_idx]

    metrics = {}
    still, before = smile_swaps(0.0)
    for k, label in ((0.5, "half"), (1.0, "full")):
        moved, after = smile_swaps(k)
        metrics[f"smile_shift_{label}"] = round(float(np.mean(after - before)), 4)
    metrics["smile_rises_full"] = round(float(np.mean(after > before)), 4)
    views = render_crops("B", data["test_params"])[1]
    where = feature_mask("B", data["test_params"], views=views) > 0.5
    change = np.sqrt(((moved - still) ** 2).mean(1, keepdims=True))
    metrics["smile_change_features_rms"] = round(float(change[where].mean()), 4)
    metrics["smile_change_elsewhere_rms"] = round(float(change[~where].mean()), 4)
    lat_test = np.concatenate([test_lat, _batched(enc, data["test"]["B"])])
    ranges = {"min": _rounded_list(np.percentile(lat_test, 1, axis=0)),
              "max": _rounded_list(np.percentile(lat_test, 99, axis=0))}
    return direction, ranges, metrics


def verdicts(metrics, readback, entry_bytes, seconds):
    """Each target, met or not, computed here once so that every page reads the same answer."""
    t, swap, floor = TARGETS, readback["swap"], readback["floor"]
    out = {}
    for n in t["expression"]:
        out[n] = (swap["error"][n] <= t["expression_error_over_floor"] * floor["error"][n]
                  and swap["correlation"][n] >= t["expression_correlation"])
    for n in t["gaze"]:
        out[n] = swap["correlation"][n] >= t["gaze_correlation"]
    for n in t["pose_light"]:
        out[n] = swap["error"][n] <= t["pose_light_error"]
    out["floor"] = all(floor["error"][n] <= t["floor_error"] for n in t["expression"] + t["gaze"])
    out["swap_ssim"] = metrics["swap_ssim"] >= t["swap_ssim"]
    out["swap_reverse_ssim"] = metrics["swap_reverse_ssim"] >= t["swap_reverse_ssim"]
    out["weights_bytes"] = entry_bytes <= t["weights_bytes"]
    out["train_minutes"] = seconds / 60 <= t["train_minutes"]
    return out


def train(out_dir=WEIGHTS_DIR, steps=None, seed=0, per_identity=None, test_count=None,
          regressor_steps=2000, log=print, spec=SPEC, latency_calls=15, identity_size=None):
    started_all = time.time()
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    steps = spec["steps"] if steps is None else steps
    data = render_data(spec, seed, per_identity or spec["train_per_identity"], test_count or spec["test_count"], log)
    model, history, train_seconds = fit(spec, data["images"], data["masks"], steps, seed, log)

    shipped, state = shipped_copy(model, spec)          # what ships: float16 weights; measure on them
    pics = pictures(shipped, data, spec)
    metrics = image_quality(pics, data, log)
    expression, readback, reg = expression_readback(pics, data, spec, seed, regressor_steps, log)
    metrics.update(expression)
    metrics["identity"] = identity_check(pics, spec, seed, log, identity_size)
    metrics["expression"] = readback
    direction, latent_range, smile = smile_direction(shipped, reg, data)
    metrics.update(smile)

    specs = model.layer_specs(spec)
    layers = specs["encoder"] + [layer for who in IDENTITY_NAMES for layer in specs["decoders"][who]]
    out_dir = Path(out_dir)
    entry = {
        "description": spec["description"],
        "kind": spec["kind"],
        **export.export_layers(out_dir, NAME, layers, {k: v.numpy() for k, v in state.items()}),
        "input_shape": [64, 64, 3],
        "input": "aligned crop (py_runtime.pipeline.aligned_crop)",
        "layout": "HWC pixels in [0, 1]; tensors in PyTorch layout (conv: out, in, kh, kw; dense: out, in)",
        "latent_dim": spec["latent_dim"],
        "shared_upscale_blocks": spec.get("shared_ups", 0),
        "leaky_relu_slope": LEAK,
        "identities": list(IDENTITY_NAMES),
        "param_names": list(PARAM_NAMES),
        "encoder": specs["encoder"],
        "decoders": specs["decoders"],
        "smile_direction": _rounded_list(direction),
        "latent_range": latent_range,
        "training": {
            "seed": seed, "steps": steps, "batch_size_per_identity": spec["batch_size"], "optimizer": "adam",
            "learning_rate": spec["learning_rate"], "warmup_steps": spec["warmup_steps"], "schedule": "linear warm-up, cosine",
            "loss": {"l1": 1.0, "dssim": spec["dssim_weight"], "eyes_mouth_priority": spec["priority_weight"]},
            "augmentation": {"random_warp": {"grid": 5, "std": spec["warp_strength"], "std_pixels": round(32 * spec["warp_strength"], 2),
                                             "eased_from": spec["warp_until"], "to": spec["warp_final"]},
                             "random_transform": bool(spec.get("transform"))},
            "latent_alignment_weight": spec["align_weight"],
            "latent_critic": {"weight": spec.get("critic_weight", 0), "hidden": spec.get("critic_hidden"),
                              "learning_rate": spec.get("critic_learning_rate"),
                              "ramp_steps": spec.get("critic_ramp_steps"), "loss": "confusion (target 1/2)"},
            "train_faces_per_identity": len(data["images"]["A"]), "test_parameter_sets": len(data["test_params"]),
            "threads": 1, "render_seconds": round(data["seconds"], 1), "seconds": round(train_seconds, 1),
            "torch": torch.__version__.split("+")[0], "history": history,
        },
        "targets": TARGETS,
        "metrics": metrics,
    }
    export.update_manifest(out_dir, NAME, entry)
    entry["metrics"].update(measure_latency(out_dir, log, latency_calls))
    entry["training"]["total_seconds"] = round(time.time() - started_all, 1)
    entry["verdicts"] = verdicts(metrics, readback, entry["bytes"], entry["training"]["total_seconds"])
    export.update_manifest(out_dir, NAME, entry)
    log(f"  wrote {out_dir / entry['file']} ({entry['bytes']:,} bytes, {entry['parameters']:,} parameters) and "
        f"{out_dir / 'manifest.json'}; total {entry['training']['total_seconds']:.0f}s")
    log("  targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in entry["verdicts"].items()))
    return entry


def measure_latency(out_dir, log, calls=15):
    """Median ms of one swap (render excluded: encode A's aligned crop, decode with B) on this CPython.

    CPU time of this process (time.process_time), so that other jobs on a busy machine do
    not inflate it; wall-clock time on an idle machine is the same."""
    import platform
    import statistics

    from py_runtime import faces, pipeline, swap

    image = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS).pixels
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
        pipeline.aligned_crop("A", faces.DEFAULT_PARAMS)
    out["render_ms_python"] = round(1000 * (time.process_time() - t) / calls, 2)
    log(f"  one swap on CPython {out['latency_python']}: {out['swap_ms_python']:.1f} ms pure Python, "
        f"{out['swap_ms_numpy']:.2f} ms NumPy; rendering an aligned crop {out['render_ms_python']:.1f} ms")
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
