"""The three networks and their training settings, in one table.

Every model is an encoder and a mirrored decoder of fully connected layers:
ReLU between layers, a linear latent, and a sigmoid on the 784 output pixels.
"""

import torch
from torch import nn

SPECS = {
    "mnist-ae-2d": {
        "description": "784-64-16-2 autoencoder: a 2-D latent you can draw as a map (the latent explorer).",
        "kind": "autoencoder",
        "sizes": [784, 64, 16, 2],
        "epochs": 100, "batch_size": 128, "learning_rate": 3e-3,
        "corruption": None,
        "latent_sample": 2000,
    },
    "mnist-ae-16d": {
        "description": "784-128-64-16 autoencoder: a 16-D latent, sharp reconstructions, latent arithmetic.",
        "kind": "autoencoder",
        "sizes": [784, 128, 64, 16],
        "epochs": 40, "batch_size": 128, "learning_rate": 2e-3,
        "corruption": None,
        "latent_sample": 300,
    },
    "mnist-dae": {
        "description": "784-128-32 denoising autoencoder: trained on noisy digits against clean targets.",
        "kind": "denoising-autoencoder",
        "sizes": [784, 128, 32],
        "epochs": 40, "batch_size": 128, "learning_rate": 2e-3,
        "corruption": {"gaussian_std": 0.5, "clip": [0.0, 1.0]},
        "latent_sample": 300,
    },
}


class Autoencoder(nn.Module):
    """encoder: sizes[0] -> ... -> sizes[-1] (linear); decoder: the mirror (sigmoid out)."""

    def __init__(self, sizes):
        super().__init__()
        self.sizes = list(sizes)
        self.encoder = self._stack(self.sizes, last="linear")
        self.decoder = self._stack(self.sizes[::-1], last="sigmoid")

    @staticmethod
    def _stack(sizes, last):
        modules = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            modules.append(nn.Linear(n_in, n_out))
            if i < len(sizes) - 2:
                modules.append(nn.ReLU())
        modules.append(nn.Sigmoid() if last == "sigmoid" else nn.Identity())
        return nn.Sequential(*modules)

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def layer_specs(self):
        """The manifest's description of the layers: tensor names, sizes, activations."""
        specs = {}
        for part, sizes, last in (("encoder", self.sizes, "linear"), ("decoder", self.sizes[::-1], "sigmoid")):
            n = len(sizes) - 1
            specs[part] = [
                {"weight": f"{part}.{2 * i}.weight", "bias": f"{part}.{2 * i}.bias",
                 "in": sizes[i], "out": sizes[i + 1], "activation": last if i == n - 1 else "relu"}
                for i in range(n)
            ]
        return specs


def corrupt(x, corruption, generator=None):
    """Add Gaussian pixel noise and clip back to [0, 1] (the denoiser's input)."""
    if not corruption:
        return x
    noise = torch.randn(x.shape, generator=generator) * corruption["gaussian_std"]
    low, high = corruption["clip"]
    return (x + noise).clamp(low, high)
