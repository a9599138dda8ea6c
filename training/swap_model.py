"""The face-swap network and its settings: one shared encoder, one decoder per person.

    model = FaceSwap(SPEC)
    swapped = model(crops_of_A, "B")          # decoder_B(encoder(x)): B wearing A's expression

Strided 3×3 convolutions take the 64×64 crop down to 8×8 and a dense layer to the latent
vector; a shared dense layer expands it back to an 8×8 map and the first `shared_ups`
upscale blocks (the original puts one in its encoder) are shared too; each person's decoder
paints the rest up to 64×64×3 with "upscale" blocks (convolution, LeakyReLU(0.1), pixel shuffle).
"""

from torch import nn
import torch.nn.functional as F

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
    """Stride-2 convolutions with LeakyReLU down to an 8×8 map, then one dense layer to the code."""

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
        return {"encoder": encoder_specs(spec),
                "decoders": {who: decoder_specs(spec, who, self.shared_ups) for who in IDENTITY_NAMES}}


def encoder_specs(spec):
    """The encoder's layers as py_runtime.swap reads them: each stride-2 convolution, then the dense layer."""
    layers, size, c_in = [], 64, 3
    for i, c in enumerate(spec["encoder_channels"]):
        layers.append({"type": "conv", "weight": f"encoder.convs.{2 * i}.weight", "bias": f"encoder.convs.{2 * i}.bias",
                       "in": c_in, "out": c, "kernel": 3, "stride": 2, "padding": 1, "input_hw": [size, size],
                       "activation": "leaky_relu", "pixel_shuffle": 1})
        c_in, size = c, size // 2
    layers.append({"type": "dense", "weight": "encoder.dense.weight", "bias": "encoder.dense.bias",
                   "in": c_in * size * size, "out": spec["latent_dim"], "input_chw": [c_in, size, size],
                   "activation": "linear"})
    return layers


def decoder_specs(spec, who, shared_ups):
    """Person `who`'s decoder as py_runtime.swap reads it: the shared expansion and the first
    `shared_ups` blocks (tensors named in trunk.*), then that person's own blocks."""
    chans = spec["decoder_channels"]
    outs = [4 * b for b in chans[1:]] + [12]             # each convolution's channels before the shuffle
    layers = [{"type": "dense", "weight": "expand.weight", "bias": "expand.bias", "in": spec["latent_dim"],
               "out": chans[0] * 64, "output_chw": [chans[0], 8, 8], "activation": "leaky_relu", "shared": True}]
    size = 8
    for i, (c_in, c_out) in enumerate(zip(chans, outs)):
        shared = i < shared_ups
        prefix = f"trunk.{3 * i}" if shared else f"decoders.{who}.ups.{3 * (i - shared_ups)}"
        layer = {"type": "conv", "weight": f"{prefix}.weight", "bias": f"{prefix}.bias", "in": c_in,
                 "out": c_out, "kernel": 3, "stride": 1, "padding": 1, "input_hw": [size, size],
                 "activation": "leaky_relu" if i < len(outs) - 1 else "sigmoid", "pixel_shuffle": 2}
        if shared:
            layer["shared"] = True
        layers.append(layer)
        size *= 2
    return layers
